"""`manage.py print_demo_logins`: the demo accounts as a table, for `make run`.

The list itself lives in demo/data/logins.json (demo.members.DEMO_LOGINS),
which `seed_demo` uses to create them."""

import unicodedata

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from accounts.models import User
from demo import members
from demo.institutions import institution_logins
from demo.staff import demo_totp_code


def display_width(text: str) -> int:
    """Columns a terminal uses: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def demo_login_rows() -> list[tuple[str, str, str, str]]:
    return [
        (login.role_ko, login.role_en, login.email, members.DEMO_PASSWORD)
        for login in members.DEMO_LOGINS
    ] + [
        # The partner institution's administrator (demo/institutions.py).
        (login.role_ko, login.role_en, login.email, members.DEMO_PASSWORD)
        for login in institution_logins()
    ]


class Command(BaseCommand):
    help = "Print the demo logins (role, e-mail, password) created by seed_demo."

    def handle(self, *args, **options):
        header = ("역할", "Role", "E-mail", "Password")
        rows = demo_login_rows()
        widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells):
            return (
                "  "
                + "  ".join(
                    pad(cell, width) for cell, width in zip(cells, widths, strict=True)
                ).rstrip()
            )

        rule = "  " + "  ".join("─" * width for width in widths)
        out = self.stdout
        out.write("")
        out.write(self.style.MIGRATE_HEADING("  오아시스 데모 계정 · Oasis demo logins"))
        out.write(line(header))
        out.write(rule)
        for row in rows:
            out.write(line(row))
        out.write(rule)
        first, last = (
            members.generated_members()[0].email,
            members.generated_members()[-1].email,
        )
        out.write(
            f"  Also {len(members.generated_members())} citizen members, {first} … {last}, "
            "with the same password."
        )
        out.write("  Log in at http://127.0.0.1:8000/accounts/login/ · staff roles also at /admin/")
        code, seconds_left = demo_totp_code()
        out.write(
            "  Staff roles (all but the citizens and the panel) then give a second code "
            f"from an authenticator app: now {code} ({seconds_left} s left);"
        )
        out.write(
            "  `python manage.py demo_totp_code` prints the current one, or add the "
            f"demo-only secret {members.DEMO_TOTP_SECRET} to your authenticator app."
        )
        missing = self._missing_logins()
        if missing:
            out.write(
                self.style.WARNING(
                    f"  {len(missing)} of these accounts are not in the database yet: "
                    "run `python manage.py seed_demo`."
                )
            )
        out.write("")

    def _missing_logins(self) -> list[str]:
        """Which demo logins do not exist; none reported if the database
        cannot be read (the table is still worth printing)."""
        emails = [login.email for login in members.DEMO_LOGINS] + [
            login.email for login in institution_logins()
        ]
        try:
            found = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        except DatabaseError:
            return []
        return [email for email in emails if email not in found]
