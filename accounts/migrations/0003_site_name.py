"""Name the site 오아시스, so allauth's e-mails greet members from Oasis rather
than from a host name."""

from django.db import migrations


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=1, defaults={"domain": "oasis.seoul.go.kr", "name": "오아시스"})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
