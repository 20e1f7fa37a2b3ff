"""`manage.py demo_totp_code`: the code the demo staff's authenticator app
would show now, for signing in as a staff role after the password.

The secret is the published demo one (demo.members.DEMO_TOTP_SECRET); add it
to an authenticator app to get the codes on a phone instead."""

from django.core.management.base import BaseCommand

from demo import members
from demo.staff import demo_totp_code


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of the demo staff accounts "
        "(and the demo-only secret, to add to an authenticator app)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help="Print the 6-digit code only (for scripts)."
        )

    def handle(self, *args, quiet=False, **options):
        code, seconds_left = demo_totp_code()
        if quiet:
            self.stdout.write(code)
            return
        self.stdout.write(self.style.SUCCESS(f"  {code}") + f"  (valid for {seconds_left} more s)")
        self.stdout.write(
            f"  Demo staff's authenticator secret (demo only!): {members.DEMO_TOTP_SECRET}"
        )
