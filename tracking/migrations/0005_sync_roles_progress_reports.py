"""Give the role groups the admin permissions of the new ProgressReport model
(officials view and submit their department's reports; the operator all)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_sync_roles_all_apps"),
        ("tracking", "0004_progress_reports"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
