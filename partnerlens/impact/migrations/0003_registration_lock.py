"""The database refuses any change to a registration's registered fields (a trigger): the
model refuses too (``Registration.save``), but a bulk update or raw SQL would not pass it.
Deleting is left to the partnership's own deletion (cascade); ``registered_by`` may still
become NULL when an account is removed.

Kept apart from the generated migrations: regenerating those must keep this one."""

from django.db import migrations

FIELDS = (
    "partnership_id",
    "question",
    "measure",
    "start_year",
    "schools",
    "spec_hash",
    "registered_at",
    "data_to_year",
)

SQLITE = (
    "CREATE TRIGGER impact_registration_locked BEFORE UPDATE ON impact_registration "
    "WHEN " + " OR ".join(f"OLD.{f} IS NOT NEW.{f}" for f in FIELDS) + " "
    "BEGIN SELECT RAISE(ABORT, 'impact registration is locked'); END;"
)
POSTGRES = (
    "CREATE OR REPLACE FUNCTION impact_registration_locked() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'impact registration is locked' "
    "USING ERRCODE = 'integrity_constraint_violation'; END; "
    "$$ LANGUAGE plpgsql; "
    "CREATE TRIGGER impact_registration_locked BEFORE UPDATE ON impact_registration "
    "FOR EACH ROW WHEN ("
    + " OR ".join(f"OLD.{f} IS DISTINCT FROM NEW.{f}" for f in FIELDS)
    + ") EXECUTE FUNCTION impact_registration_locked();"
)
DROP = {
    "sqlite": "DROP TRIGGER IF EXISTS impact_registration_locked;",
    "postgresql": "DROP TRIGGER IF EXISTS impact_registration_locked ON impact_registration; "
    "DROP FUNCTION IF EXISTS impact_registration_locked();",
}


def lock(apps, schema_editor):
    sql = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def unlock(apps, schema_editor):
    sql = DROP.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("impact", "0002_estimates")]

    operations = [migrations.RunPython(lock, unlock)]
