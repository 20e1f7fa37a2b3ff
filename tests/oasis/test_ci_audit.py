"""`make audit` (.ci/audit.py) never passes silently: pip-audit itself says
"No known vulnerabilities found" and exits 0 when it could check nothing.
A stand-in pip-audit answers as the real one does in each case."""

import os
import subprocess
import sys
from pathlib import Path

AUDIT = Path(__file__).resolve().parent.parent.parent / ".ci" / "audit.py"

SKIPPED = {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}
CLEAN = {"name": "django", "version": "5.2.1", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.2"], "aliases": []}],
}


def audit(tmp_path, deps, **env):
    fake = tmp_path / "pip-audit"
    fake.write_text(
        f"#!{sys.executable}\nimport json\nprint(json.dumps({{'dependencies': {deps!r}}}))\n"
    )
    fake.chmod(0o755)
    return subprocess.run(
        [sys.executable, str(AUDIT)],
        env={**os.environ, "PIP_AUDIT": str(fake), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unreachable_database_is_said_loudly_not_passed_as_clean(tmp_path):
    done = audit(tmp_path, [SKIPPED])
    assert "NOT AUDITED" in done.stdout
    assert "says NOTHING about known vulnerabilities" in done.stdout
    assert "audited, no known vulnerabilities" not in done.stdout
    assert done.returncode == 0


def test_an_unreachable_database_fails_where_the_audit_is_required(tmp_path):
    done = audit(tmp_path, [SKIPPED], OASIS_AUDIT_REQUIRED="1")
    assert "NOT AUDITED" in done.stdout
    assert done.returncode == 2


def test_a_known_vulnerability_fails_the_run(tmp_path):
    done = audit(tmp_path, [VULNERABLE, CLEAN])
    assert "VULNERABLE django 5.2.1: PYSEC-2099-1 (fix: 5.2.2)" in done.stdout
    assert done.returncode == 1


def test_a_clean_audit_says_how_many_packages_it_checked(tmp_path):
    done = audit(tmp_path, [CLEAN])
    assert "1 packages audited, no known vulnerabilities" in done.stdout
    assert done.returncode == 0
