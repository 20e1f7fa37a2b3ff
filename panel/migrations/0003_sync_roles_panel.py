"""Give the operators' group the admin's view permission on the panel's
applications and ratings (accounts.permissions.ROLE_PERMISSIONS)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_member_mileage_balance_and_grade"),
        ("panel", "0002_membership_end"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
