"""The database cache's table (settings.CACHES), made by ``migrate`` like every other table,
so a new server, a restored backup and the test database all have it. Idempotent: an
existing table is left as it is."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
