"""Deploying: the first commands a fresh production container runs work
before anything else has been done (no collectstatic yet)."""

from tests.production import manage


def test_migrate_runs_with_debug_off_before_collectstatic(tmp_path):
    # Given a fresh production environment: DEBUG off, an empty database and
    # no static manifest yet
    # When the container's first command runs
    done = manage(tmp_path, "migrate", "--noinput", "-v0")

    # Then it migrates, instead of failing on a missing manifest entry
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "var" / "oasis.sqlite3").exists()
