"""public_link_hash -> open_link_hash: one name, "open link", in pages and code. The hashes
themselves are unchanged (their purpose stays "public"), so links already sent still work."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0004_cycle_frozen_trigger")]

    operations = [
        migrations.RenameField("cycle", "public_link_hash", "open_link_hash"),
    ]
