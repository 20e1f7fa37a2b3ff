"""Operators read the discussion polls' arguments in the admin (to hide or
show them again): the role groups take accounts/permissions.py's new entry."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    # sync_role_groups sets each group to the whole table: every app it names
    # must have its models by then (awards' first migration follows the rest).
    dependencies = [
        ("polls", "0002_results_and_responses_screen"),
        ("awards", "0001_rewards_monthly_awards_best_policies"),
        ("mileage", "0004_poll_vote_action"),
        ("proposals", "0017_pipeline_panel_score_bar"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
