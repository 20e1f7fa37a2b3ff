"""The site's address in the database follows the environment: staff on a
staging copy who click "View on site" in the admin land on staging, not on the
production city domain."""

import re

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command

from tests.factories import ProposalFactory
from tests.pages import page_html

pytestmark = pytest.mark.django_db

STAGING = "https://oasis.staging.example"


def test_view_on_site_in_the_admin_lands_on_this_installation(settings, operator_client):
    # Given a staging installation, deployed (its container runs migrate)
    settings.OASIS_SITE_URL = STAGING
    call_command("migrate", verbosity=0)
    proposal = ProposalFactory()

    # When an operator opens the proposal in the admin and follows "View on site"
    change = operator_client.get(f"/admin/proposals/proposal/{proposal.pk}/change/")
    assert change.status_code == 200
    link = re.search(r'href="(/admin/r/[^"]+)"', page_html(change)).group(1)
    response = operator_client.get(link)

    # Then they are sent to the proposal on staging
    assert response.status_code == 302
    assert response["Location"] == f"http://oasis.staging.example{proposal.get_absolute_url()}"


def test_the_test_installation_itself_is_named_by_its_site_url(settings):
    # The test database was migrated with the default OASIS_SITE_URL, not
    # with the city's real domain.
    assert Site.objects.get_current().domain == "127.0.0.1:8000"
