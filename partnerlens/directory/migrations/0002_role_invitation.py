"""Invitation -> RoleInvitation: one name per thing (a cycle invitation is an email in
enquiries). RenameModel keeps every row."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("Invitation", "RoleInvitation"),
        migrations.AlterField(
            model_name="roleinvitation",
            name="partnership",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="role_invitations",
                to="directory.partnership",
            ),
        ),
    ]
