"""Fill `Proposal.similarity_terms` (issue 16) for rows written before it or
by a bulk writer that left it empty.

    manage.py similarity_terms --missing     only rows without terms
    manage.py similarity_terms --all         every row again (after a change
                                             of proposals/similarity.py)
    manage.py similarity_terms --all --after 52000   go on from an id

Rows are read and written in batches by id, each batch its own short
transaction, so the command can be stopped and run again: --missing goes on
where it stopped, --all --after <the last id printed> too."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from proposals.models import Proposal
from proposals.similarity import NOTHING_FOUND, terms_of_many


class Command(BaseCommand):
    help = "Fill the similarity terms of proposals (Kiwi nouns and stems)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="Every proposal again.")
        which.add_argument("--missing", action="store_true", help="Only those without terms.")
        parser.add_argument("--after", type=int, default=0, help="Start after this id.")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, all=False, missing=False, after=0, batch=500, **options):
        if not (all or missing):
            raise CommandError("Say --all or --missing.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        done, last, started = 0, after, time.monotonic()
        while True:
            rows = Proposal.objects.filter(pk__gt=last).order_by("pk")
            if missing:
                rows = rows.filter(similarity_terms="")
            rows = list(rows.values_list("pk", "title", "body")[:batch])
            if not rows:
                break
            # A text without any term is marked read, so --missing (and
            # the beat's sweep) leaves it alone next time.
            terms = [t or NOTHING_FOUND for t in terms_of_many((t, b) for _, t, b in rows)]
            with transaction.atomic():
                objs = [
                    Proposal(pk=pk, similarity_terms=t)
                    for (pk, _, _), t in zip(rows, terms, strict=True)
                ]
                Proposal.objects.bulk_update(objs, ["similarity_terms"], batch_size=batch)
            done += len(rows)
            last = rows[-1][0]
            self.stdout.write(f"{done} proposals, last id {last}")
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Done: {done} proposals in {seconds:.1f} s."))
