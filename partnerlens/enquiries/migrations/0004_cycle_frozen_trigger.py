"""A database trigger that refuses to change a cycle's anonymity mode, partnership or
framework version once it has any response, so that even a write bypassing
``Cycle.save`` (a queryset ``update``, raw SQL, another program) cannot do it.

The error is an integrity error on both databases (SQLSTATE 23000 on PostgreSQL,
SQLITE_CONSTRAINT on SQLite), whose message starts with ``cycle_frozen``.
"""

from django.db import migrations

CHANGED = (
    "NEW.anonymity_mode IS DISTINCT FROM OLD.anonymity_mode"
    " OR NEW.partnership_id IS DISTINCT FROM OLD.partnership_id"
    " OR NEW.framework_version_id IS DISTINCT FROM OLD.framework_version_id"
)
MESSAGE = "cycle_frozen: anonymity mode, partnership and framework version are fixed once a cycle has responses"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION enquiries_cycle_frozen() RETURNS trigger AS $$
    BEGIN
        IF ({CHANGED})
           AND EXISTS (SELECT 1 FROM enquiries_response WHERE cycle_id = OLD.id) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER enquiries_cycle_frozen BEFORE UPDATE ON enquiries_cycle
    FOR EACH ROW EXECUTE FUNCTION enquiries_cycle_frozen();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS enquiries_cycle_frozen ON enquiries_cycle;",
    "DROP FUNCTION IF EXISTS enquiries_cycle_frozen();",
]

SQLITE = [
    f"""
    CREATE TRIGGER enquiries_cycle_frozen BEFORE UPDATE ON enquiries_cycle
    FOR EACH ROW WHEN ({CHANGED.replace("IS DISTINCT FROM", "IS NOT")})
        AND EXISTS (SELECT 1 FROM enquiries_response WHERE cycle_id = OLD.id)
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS enquiries_cycle_frozen;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(
                f"No cycle_frozen trigger for {schema_editor.connection.vendor}"
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0003_receipts"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
