"""Create the role groups and give them their admin permissions. The mapping
lives in accounts/permissions.py (ROLE_PERMISSIONS)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("proposals", "0002_search_trigram"),
    ]

    # Going back leaves the groups: removing them would drop every membership.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
