"""Give the role groups the admin permissions of the new AnswerAmendment
model (officials view and write their department's; the operator all)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups

    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_staff_member_proxy"),
        ("answers", "0002_answer_amendments"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
