"""Give the role groups the admin permissions of the answers, debates,
meetings and tracking models. Depends on all of them, so the sync sees every
model the table names (accounts/permissions.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_sync_roles_pipeline"),
        ("answers", "0001_initial"),
        ("debates", "0001_initial"),
        ("meetings", "0001_initial"),
        ("tracking", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
