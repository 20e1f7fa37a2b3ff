from django.core.management.base import BaseCommand, CommandError

from bench.check import problems


class Command(BaseCommand):
    help = "Check the benchmark world's counters and records; exit non-zero on any mismatch."

    def handle(self, *args, **options):
        found = problems()
        for problem in found:
            self.stderr.write(f"MISMATCH: {problem}")
        if found:
            raise CommandError(f"{len(found)} consistency problems")
        self.stdout.write("consistent: every counter equals its rows")
