"""The database refuses to change or delete audit entries (the model refuses first).

The one UPDATE let through is the one Django makes when an account is deleted: the entry's
``actor_id`` becomes NULL and nothing else changes (``on_delete=SET_NULL``).

PostgreSQL: a row trigger refuses UPDATE and DELETE. SQLite: a trigger refuses UPDATE;
DELETE is refused by the model only, because Django empties SQLite tables between
transactional tests (``flush``) with DELETE, where PostgreSQL uses TRUNCATE, which row
triggers do not see.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
           AND (NEW.id, NEW.at, NEW.verb, NEW.object_type, NEW.object_id,
                NEW.partnership_id, NEW.detail)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.at, OLD.verb, OLD.object_type, OLD.object_id,
                OLD.partnership_id, OLD.detail) THEN
            RETURN NEW;  -- an account deleted: its entries forget who it was
        END IF;
        RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
]
POSTGRESQL_UNDO = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]
SQLITE = [
    """
    CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE ON audit_auditevent
    WHEN NOT (
        NEW.actor_id IS NULL AND NEW.id IS OLD.id AND NEW.at IS OLD.at
        AND NEW.verb IS OLD.verb AND NEW.object_type IS OLD.object_type
        AND NEW.object_id IS OLD.object_id AND NEW.partnership_id IS OLD.partnership_id
        AND NEW.detail IS OLD.detail
    )
    BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused');
    END
    """,
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS audit_auditevent_append_only"]


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # no placeholders: RAISE uses %

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_UNDO, "sqlite": SQLITE_UNDO}),
        )
    ]
