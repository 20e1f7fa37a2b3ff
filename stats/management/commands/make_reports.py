from django.core.management.base import BaseCommand

from stats.reports import reports_make_due


class Command(BaseCommand):
    help = (
        "Make the monthly and yearly reports that are due and not made yet, as the "
        "daily beat does (stats/reports.py); a period already reported is left as it is."
    )

    def handle(self, *args, **options):
        made = reports_make_due()
        names = ", ".join(f"{report.kind} {report.period_start:%Y-%m}" for report in made)
        self.stdout.write(f"reports: {len(made)} made" + (f" ({names})" if names else ""))
