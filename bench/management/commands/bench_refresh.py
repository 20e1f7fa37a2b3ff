"""`manage.py bench_refresh --out FILE`: time the open statistics' refresh
(stats.refresh) in a filled world, and read every figure /stats/ shows.

1. A full refresh (the nightly one): every proposal's fact rewritten.
2. A plain refresh after a busy ten minutes: --changed proposals (default
   0.3 % of them, ~500 at full scale) touched as a status change touches
   them (their `updated_at`), so each fact is read and written again.
3. A plain refresh with nothing changed (the beat's usual case).
4. Each figure function (stats.figures) once: its queries and time.

Writes JSON: milliseconds, facts written and tallies kept per step."""

import json
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from proposals.models import Proposal
from stats import figures
from stats.models import Dimension, ProposalFact, Tally
from stats.refresh import refresh


def _timed_refresh(full: bool) -> dict:
    started = time.monotonic()
    done = refresh(full=full)
    return {
        "ms": round((time.monotonic() - started) * 1000),
        "facts_written": done.facts_written,
    }


def _figures() -> dict:
    year = timezone.localdate().year
    years = figures.years()
    latest = years[-1] if years else year
    reads = {
        "as_of": figures.as_of,
        "years": figures.years,
        "totals": figures.totals,
        "headline": figures.headline,
        "by_year": figures.by_year,
        "by_month": lambda: figures.by_month(latest),
        **{
            f"breakdown_{dimension}": (lambda d=dimension: figures.breakdown(d))
            for dimension in Dimension.values
            if dimension != Dimension.ALL
        },
        "timeliness": figures.timeliness,
        "timeliness_year": lambda: figures.timeliness(latest),
        "card_progress": figures.card_progress,
        "period_snapshot_year": lambda: figures.period_snapshot(latest),
    }
    measured = {}
    for name, read in reads.items():
        with CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            read()
            ms = (time.monotonic() - started) * 1000
        measured[name] = {"queries": len(queries), "ms": round(ms, 1)}
    return measured


class Command(BaseCommand):
    help = "Time the statistics refresh and read every figure (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--changed", type=float, default=0.003, help="Share of proposals touched."
        )

    def handle(self, *args, out, changed, **options):
        result = {"full": _timed_refresh(full=True)}
        total = Proposal.objects.count()
        touched = max(10, round(total * changed))
        # Spread over the table, as a busy ten minutes would be.
        ids = list(Proposal.objects.order_by("?").values_list("pk", flat=True)[:touched])
        Proposal.objects.filter(pk__in=ids).update(updated_at=Now())
        result["incremental_changed"] = {**_timed_refresh(full=False), "touched": len(ids)}
        result["incremental_idle"] = _timed_refresh(full=False)
        result["facts"] = ProposalFact.objects.count()
        result["tallies"] = Tally.objects.count()
        result["figures"] = _figures()
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
        self.stdout.write(json.dumps({k: v for k, v in result.items() if k != "figures"}))
