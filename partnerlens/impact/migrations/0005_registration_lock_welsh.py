"""The database lock on a registration (migration 0003's trigger) covers its Welsh question
too: the trigger is replaced by one that also refuses a change to ``question_cy``.

On SQLite, 0004 rebuilt the table to add the column, which dropped 0003's trigger with the
old table; this puts the lock back. Reversing restores 0003's trigger as it was."""

from django.db import migrations

OLD = (
    "partnership_id",
    "question",
    "measure",
    "start_year",
    "schools",
    "spec_hash",
    "registered_at",
    "data_to_year",
)
NEW = (*OLD, "question_cy")

DROP = {
    "sqlite": "DROP TRIGGER IF EXISTS impact_registration_locked;",
    "postgresql": "DROP TRIGGER IF EXISTS impact_registration_locked ON impact_registration; "
    "DROP FUNCTION IF EXISTS impact_registration_locked();",
}


def create(vendor: str, fields) -> str | None:
    if vendor == "sqlite":
        return (
            "CREATE TRIGGER impact_registration_locked BEFORE UPDATE ON impact_registration "
            "WHEN " + " OR ".join(f"OLD.{f} IS NOT NEW.{f}" for f in fields) + " "
            "BEGIN SELECT RAISE(ABORT, 'impact registration is locked'); END;"
        )
    if vendor == "postgresql":
        return (
            "CREATE OR REPLACE FUNCTION impact_registration_locked() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'impact registration is locked' "
            "USING ERRCODE = 'integrity_constraint_violation'; END; "
            "$$ LANGUAGE plpgsql; "
            "CREATE TRIGGER impact_registration_locked BEFORE UPDATE ON impact_registration "
            "FOR EACH ROW WHEN ("
            + " OR ".join(f"OLD.{f} IS DISTINCT FROM NEW.{f}" for f in fields)
            + ") EXECUTE FUNCTION impact_registration_locked();"
        )
    return None


def _replace(schema_editor, fields) -> None:
    vendor = schema_editor.connection.vendor
    sql = create(vendor, fields)
    if sql:
        schema_editor.execute(DROP[vendor])
        schema_editor.execute(sql)


def lock_welsh(apps, schema_editor):
    _replace(schema_editor, NEW)


def lock_as_before(apps, schema_editor):
    _replace(schema_editor, OLD)


class Migration(migrations.Migration):
    dependencies = [("impact", "0004_welsh_texts")]

    operations = [migrations.RunPython(lock_welsh, lock_as_before)]
