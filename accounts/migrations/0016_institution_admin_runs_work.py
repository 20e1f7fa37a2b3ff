from django.db import migrations


def sync_roles(apps, schema_editor):
    # Institution administrators now run their institution's work, not only
    # read it (accounts.permissions.ROLE_PERMISSIONS).
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0015_institution_admin_role"),
        # Every app the table names must have its models by then.
        ("proposals", "0020_similarity_terms_index"),
        ("polls", "0005_poll_institution"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
