"""The site's own address in the database (django.contrib.sites), which the
admin's "view on site" links and allauth's e-mails use when they have no
request to ask. It follows OASIS_SITE_URL, so a staging copy links to staging
and production to production; migration 0003 once fixed it to the city's
domain for every installation."""

from urllib.parse import urlsplit

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.sites.models import Site as CurrentSite
from django.db import DEFAULT_DB_ALIAS

SITE_NAME = "오아시스"


def site_domain() -> str:
    """OASIS_SITE_URL's host (and port, if it names one)."""
    return urlsplit(settings.OASIS_SITE_URL).netloc


def site_sync(*, apps=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Set the current Site's domain to OASIS_SITE_URL's host, creating the row
    (named 오아시스) if it is missing; its name, which operators may edit, is
    left alone. Connected to post_migrate (accounts/apps.py), so every
    `migrate`, which the web container runs at each start, brings it in line
    with the environment. Writes only when the domain differs."""
    Site = (apps or global_apps).get_model("sites", "Site")
    domain = site_domain()
    if not domain:
        return
    site = Site.objects.using(using).filter(pk=settings.SITE_ID).first()
    if site is None:
        Site.objects.using(using).create(pk=settings.SITE_ID, domain=domain, name=SITE_NAME)
    elif site.domain != domain:
        site.domain = domain
        site.save(using=using, update_fields=["domain"])
    CurrentSite.objects.clear_cache()
