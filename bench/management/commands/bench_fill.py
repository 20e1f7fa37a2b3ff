import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.check import problems
from bench.world import World, reset_database
from proposals.models import Proposal


class Command(BaseCommand):
    help = (
        "Fill PostgreSQL with the benchmark world (issue 10): at --scale 1, 170,000 "
        "proposals, 2,000,000 endorsements, 500,000 comments, 70,000 members."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=10)
        parser.add_argument(
            "--reset", action="store_true", help="Empty the database's tables first."
        )
        parser.add_argument("--report", help="Write the sizes and timings as JSON to this file.")

    def handle(self, *args, scale, seed, reset, report, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_fill writes with PostgreSQL's COPY: point DATABASE_URL at a "
                "PostgreSQL database (SQLite is not supported)."
            )
        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        if reset:
            reset_database(self.stdout.write)
        elif Proposal.objects.exists():
            raise CommandError(
                "This database already has proposals. Use an empty database, or --reset "
                "to empty this one first (everything in it is deleted)."
            )
        self.stdout.write(f"Filling at scale {scale}…")
        result = World(scale=scale, seed=seed, out=self.stdout.write).build()
        self.stdout.write(
            f"Done in {result.timings['total']:.1f} s: "
            + ", ".join(f"{n:,} {what}" for what, n in result.rows.items())
        )
        self.stdout.write(f"hot proposal: {result.hot_proposal_id}")
        found = problems()
        if report:
            with open(report, "w", encoding="utf-8") as handle:
                json.dump({**result.__dict__, "problems": found}, handle, indent=2)
        for problem in found:
            self.stderr.write(f"MISMATCH: {problem}")
        if found:
            raise CommandError(f"{len(found)} consistency problems")
        self.stdout.write("consistent: every counter equals its rows")
