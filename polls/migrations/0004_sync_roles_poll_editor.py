from django.db import migrations


def sync_roles(apps, schema_editor):
    # Give the operators the poll editor and the officials their
    # department's polls read-only (accounts.permissions.ROLE_PERMISSIONS).
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("polls", "0003_operators_read_arguments"),
        ("proposals", "0018_theme_event_kinds"),
        ("accounts", "0013_consent_via_poll"),
        # sync_role_groups sets each group to the whole table: every app it
        # names must have its models by then.
        ("awards", "0001_rewards_monthly_awards_best_policies"),
        ("themes", "0001_themes"),
        ("mileage", "0004_poll_vote_action"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
