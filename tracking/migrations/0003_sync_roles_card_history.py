"""Give the role groups the admin permissions of the new CardEvent model
(officials and the mayor's office see a card's history inline)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_sync_roles_all_apps"),
        ("tracking", "0002_card_history_budget"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
