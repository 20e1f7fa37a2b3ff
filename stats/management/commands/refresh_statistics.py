from django.core.management.base import BaseCommand

from stats.refresh import refresh


class Command(BaseCommand):
    help = "Count the open statistics now (--full rewrites every proposal's fact)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true")

    def handle(self, *args, full=False, **options):
        done = refresh(full=full)
        self.stdout.write(f"statistics: {done.facts_written} facts written in {done.took_ms} ms")
