"""The amounts and daily caps a fresh portal starts with (mileage/defaults.py,
documented in the README), the settings row, and the operator's admin
permissions on the ledger, rules and settings (accounts/permissions.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.permissions import sync_role_groups
    from mileage.defaults import ensure_defaults

    ensure_defaults(apps)
    sync_role_groups(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_member_mileage_balance_and_grade"),
        ("mileage", "0002_claims_and_bounds"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
