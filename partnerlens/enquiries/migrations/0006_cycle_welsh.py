"""A cycle's title and introduction in both languages: ``title`` stays the English title
(``title_cy`` beside it) and ``introduction`` is new, with ``introduction_cy``.

SQLite adds these columns by rebuilding the table, which drops its triggers, so the
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
        ("enquiries", "0005_open_link_hash"),
    ]

    operations = [
        # Unapplying removes the columns last, by rebuilding the table again.
        migrations.RunPython(migrations.RunPython.noop, _recreate_sqlite_trigger),
        migrations.AddField(
            model_name="cycle",
            name="title_cy",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="cycle",
            name="introduction",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="cycle",
            name="introduction_cy",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(_recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
