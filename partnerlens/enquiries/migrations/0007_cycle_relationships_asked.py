"""A cycle's choice of which partners its relationship questions ask about: every partner,
or (a re-survey) only those whose tie is new or has changed (``enquiries.partners``).

SQLite adds the column by rebuilding the table, which drops its triggers, so the
cycle_frozen trigger of migration 0004 is created again afterwards (PostgreSQL keeps it).
"""

import importlib

from django.db import migrations, models

frozen = importlib.import_module("partnerlens.enquiries.migrations.0004_cycle_frozen_trigger")


def _recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*frozen.SQLITE_REVERSE, *frozen.SQLITE]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0006_cycle_welsh"),
    ]

    operations = [
        # Unapplying removes the column last, by rebuilding the table again.
        migrations.RunPython(migrations.RunPython.noop, _recreate_sqlite_trigger),
        migrations.AddField(
            model_name="cycle",
            name="relationships_asked",
            field=models.CharField(
                choices=[
                    ("all", "Every partner"),
                    ("changed", "Only partners whose tie is new or has changed"),
                ],
                default="all",
                max_length=10,
            ),
        ),
        migrations.RunPython(_recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
