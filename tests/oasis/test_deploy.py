"""Deploying: the first commands a fresh production container runs work
before anything else has been done (no collectstatic yet), and Django's own
deployment check finds nothing but the two choices we made on purpose."""

import re

from tests.production import PRODUCTION_HOST, manage


def test_migrate_runs_with_debug_off_before_collectstatic(tmp_path):
    # Given a fresh production environment: DEBUG off, an empty database and
    # no static manifest yet
    # When the container's first command runs
    done = manage(tmp_path, "migrate", "--noinput", "-v0")

    # Then it migrates, instead of failing on a missing manifest entry
    assert done.returncode == 0, done.stderr[-3000:]
    # and names the site after this installation's OASIS_SITE_URL
    site = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.contrib.sites.models import Site; print(Site.objects.get_current().domain)",
    )
    assert site.stdout.strip().splitlines()[-1] == PRODUCTION_HOST, site.stderr[-3000:]


def test_the_deployment_check_finds_only_deliberate_choices(tmp_path):
    done = manage(tmp_path, "check", "--deploy")
    assert done.returncode == 0, done.stderr[-3000:]
    found = set(re.findall(r"\((\w+\.\w+)\)", done.stdout + done.stderr))
    # W005: HSTS without includeSubDomains, W021: without preload — both
    # switchable by environment (README), off by default on purpose.
    assert found <= {"security.W005", "security.W021"}, done.stdout + done.stderr
