"""Give the role groups the permissions of the pipeline's new models."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_language"),
        ("proposals", "0005_pipeline"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
