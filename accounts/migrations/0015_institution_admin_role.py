from django.db import migrations


def sync_roles(apps, schema_editor):
    # Give the new institution administrator role its group and its
    # view permissions (accounts.permissions.ROLE_PERMISSIONS).
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0014_institutions"),
        # sync_role_groups sets each group to the whole table: every app it
        # names must have its models by then.
        ("proposals", "0019_institutions_merges_similarity"),
        ("answers", "0005_deadline_steps_and_extensions"),
        ("debates", "0001_initial"),
        ("meetings", "0003_expert_opinion_requests"),
        ("tracking", "0011_promise_cards"),
        ("notifications", "0004_topics_preferences_digests"),
        ("panel", "0003_sync_roles_panel"),
        ("mileage", "0004_poll_vote_action"),
        ("awards", "0001_rewards_monthly_awards_best_policies"),
        ("polls", "0005_poll_institution"),
        ("themes", "0001_themes"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
