from django.core.management.base import BaseCommand, CommandError

from mileage.checks import claims_waiting, ledger_problems


class Command(BaseCommand):
    help = (
        "Check the mileage ledger: balances, grades and monthly totals equal the "
        "entries, and no source is credited twice. Exits non-zero on a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fold", action="store_true", help="Fold any claims still waiting first."
        )

    def handle(self, *args, fold=False, **options):
        if fold:
            from mileage.services import claims_fold_all

            claims_fold_all()
        problems = ledger_problems()
        if waiting := claims_waiting():
            self.stdout.write(f"{waiting} claims are waiting to be folded (the sweep folds them).")
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write("The mileage ledger is consistent.")
