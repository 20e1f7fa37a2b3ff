"""`make audit`: pip-audit against requirements.lock, saying plainly what was
and was not checked.

pip-audit reports "No known vulnerabilities found" and exits 0 even when it
could not look a single package up (no route to the vulnerability database:
OSV, or PyPI's per-release JSON). That would read as a clean audit. This
wrapper counts the packages actually audited and:

- fails (exit 1) when a known vulnerability is found;
- prints a loud NOT AUDITED banner when packages could not be checked, and
  exits 0, unless OASIS_AUDIT_REQUIRED=1, then exits 2. The default lets a
  machine without the database (like our CI, which reaches package registries
  only) still land tested work, while nobody can mistake the run for an audit;
  a CI with internet access sets OASIS_AUDIT_REQUIRED=1.

Services are tried in order (OSV, then PyPI) until one audits something."""

import json
import os
import subprocess  # nosec B404  # runs pip-audit only, with a fixed argv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
# The venv's pip-audit; PIP_AUDIT names another (tests/oasis/test_ci_audit.py).
PIP_AUDIT = os.environ.get("PIP_AUDIT") or str(Path(sys.executable).with_name("pip-audit"))
SERVICES = ["osv", "pypi"]
BANNER = "#" * 78


def run(service: str) -> tuple[list[dict], str]:
    """The dependencies pip-audit reported with `service`, and its complaint if
    it reported nothing."""
    done = subprocess.run(  # nosec B603  # our own argv, no shell
        [
            PIP_AUDIT,
            "--requirement", str(LOCK),
            # The lock pins every package: no resolver, no temporary venv.
            "--no-deps", "--disable-pip",
            "--vulnerability-service", service,
            "--format", "json",
            "--progress-spinner", "off",
            "--timeout", "20",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        return json.loads(done.stdout)["dependencies"], ""
    except (json.JSONDecodeError, KeyError):
        error = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [], f"pip-audit failed (exit {done.returncode}): {error}"


def main() -> int:
    deps: list[dict] = []
    notes: list[str] = []
    for service in SERVICES:
        deps, error = run(service)
        audited = [d for d in deps if "skip_reason" not in d]
        if audited:
            break
        reason = error or next((d["skip_reason"] for d in deps), "nothing to audit")
        notes.append(f"{service}: {reason}")
    else:
        service = None

    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]

    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"pip-audit: VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fix: {fixes})")

    if skipped or not deps:
        required = os.environ.get("OASIS_AUDIT_REQUIRED") == "1"
        print(BANNER)
        print(
            f"pip-audit: NOT AUDITED: {len(skipped)} of {len(deps)} locked packages could "
            "not be checked for known vulnerabilities."
        )
        for note in notes:
            print(f"  {note}")
        if not audited:
            print("  The vulnerability database was unreachable from this machine. This run")
            print("  says NOTHING about known vulnerabilities in requirements.lock.")
        else:
            print("  Not checked: " + ", ".join(d["name"] for d in skipped))
        print(
            "  Run `make audit` where OSV or PyPI can be reached"
            + ("." if required else "; OASIS_AUDIT_REQUIRED=1 makes this an error.")
        )
        print(BANNER)
        if vulnerable:
            return 1
        return 2 if required else 0

    if vulnerable:
        print(f"pip-audit ({service}): {len(vulnerable)} vulnerable package(s) in requirements.lock")
        return 1
    print(f"pip-audit ({service}): {len(audited)} packages audited, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
