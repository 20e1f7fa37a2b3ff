"""`manage.py seed_demo`: load the demo world (departments, categories, demo
logins, members, proposals with endorsements and comments), then move some
proposals through every stage of the pipeline (demo/pipeline.py).

Idempotent: whatever exists is kept and nothing is created twice. The data is
planned with a fixed random seed (demo/plan.py), so every run plans the same
world. The demo sends no mail: its notices are history, written as already
handled, and no e-mail is queued for them.
"""

from io import StringIO
from time import monotonic

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo import plan
from demo.fanouts import seed_fan_outs
from demo.institutions import seed_institutions
from demo.merges import MergesSeeded, seed_merges
from demo.mileage import seed_mileage
from demo.panel import seed_panel
from demo.pipeline import seed_pipeline
from demo.proposals import DemoSeeder
from demo.staff import staff_authenticator_apps
from demo.themes import seed_themes
from mileage.services import folds_deferred
from notifications.services import notices_without_email
from opendata.build import build_exports
from proposals.models import Proposal
from stats.refresh import refresh as refresh_statistics
from stats.reports import reports_make_due


class Command(BaseCommand):
    help = (
        "Load the demo data: Seoul departments and policy categories, a login for "
        "every role (password oasis-demo-2026), generated members and about 200 "
        "proposals with endorsements and comments. Running it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo data even when DJANGO_SECRET_KEY is set (a production deployment).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds any proposal.",
        )
        parser.add_argument(
            "--proposals",
            type=int,
            default=plan.PROPOSAL_COUNT,
            metavar="N",
            help="Load only the first N demo proposals (default: all %(default)s).",
        )

    def handle(self, *args, if_empty=False, proposals=plan.PROPOSAL_COUNT, **options):
        if proposals < 0:
            raise CommandError("--proposals must be zero or more.")
        if not settings.SECRET_KEY.startswith("dev-only") and not options.get("force"):
            # A real secret key means a real deployment: the demo logins (a
            # superuser with a published password) must not appear there by accident.
            raise CommandError(
                "This looks like a production deployment (DJANGO_SECRET_KEY is set). "
                "The demo accounts have a published password; add --force to load them anyway."
            )
        if if_empty and Proposal.objects.exists():
            # A demo database from before staff needed a second factor gets
            # the demo's authenticator app all the same.
            staff_authenticator_apps()
            self.stdout.write(
                "Proposals already exist, so the demo data was not loaded (--if-empty)."
            )
            return
        started = monotonic()
        loading_began = timezone.now()
        # The demo's notices are history, not news: they stay in the site,
        # marked as handled, and no e-mail is queued (with a real SMTP server
        # hundreds would go out).
        # Mileage's services hear every action and store its claim; they are
        # folded into the ledger once a member, when the rest is loaded.
        with notices_without_email():
            with folds_deferred():
                with transaction.atomic():
                    created = DemoSeeder(now=timezone.now()).run(proposal_count=proposals)
                # The pipeline's steps run after the proposals are committed,
                # as the promotion tasks do in real life.
                stages = seed_pipeline()
                # The citizen panel rates the proposals still open once the
                # pipeline has moved the others on.
                panel = seed_panel()
                # The themed calls, an open one and a closed one, with their
                # own proposals (after the pipeline, which leaves them alone).
                with transaction.atomic():
                    themes = seed_themes()
                # The partner institution 서울시설공단, its space's proposals
                # and poll (issue 16).
                institutions = seed_institutions()
                # The proposals' similarity terms, read here as a bulk writer
                # does (Kiwi in this process): the services leave them to the
                # worker, one task a proposal (proposals/similarity.py). Before
                # the merge, which picks the open proposal its duplicate repeats.
                call_command("similarity_terms", "--missing", stdout=StringIO())
                # A duplicate merged, its endorsers asked to carry over (issue
                # 16); in the full demo only, so a smaller run has the plan's
                # proposals and the themes' alone.
                merges = MergesSeeded()
                if proposals >= plan.PROPOSAL_COUNT:
                    with transaction.atomic():
                        merges = seed_merges()
                    call_command("similarity_terms", "--missing", stdout=StringIO())
                # The debates' and polls' fan-outs, as history (demo/fanouts.py).
                with transaction.atomic():
                    seed_fan_outs()
            # Mileage last: the ledger is drawn from everything above.
            with transaction.atomic():
                mileage_entries = seed_mileage(now=timezone.now(), since=loading_began)
            # The open statistics counted once, so /stats/ has figures at
            # once (the beat keeps them up to date from then on).
            refresh_statistics(full=True)
            # The monthly and yearly reports of the demo's past (about
            # fourteen months and last year), as the beat would have made
            # them on each 1st, so /stats/reports/ is not empty; their
            # figures are as of the loading. Idempotent: a second run makes none.
            reports = reports_make_due()
            # The open-data files made once from the counted world, so
            # /open-data/ has files to download at once (the beat makes them
            # nightly from then on).
            open_data_files = build_exports()
        staff_authenticator_apps()
        seconds = monotonic() - started
        if stages.any():
            self.stdout.write(
                "Pipeline demo: "
                + ", ".join(f"{name} {count}" for name, count in stages.stages.items())
            )
        if panel.ratings:
            self.stdout.write(f"Citizen panel: {panel.members} members, {panel.ratings} ratings.")
        if themes.themes:
            self.stdout.write(
                f"Themed calls: {themes.themes} themes, {themes.proposals} proposals to them."
            )
        if merges.merged:
            self.stdout.write(
                f"Merges: {merges.merged} duplicate merged, {merges.asked} endorsers asked."
            )
        if institutions.institutions:
            self.stdout.write(
                f"Partner institutions: {institutions.institutions}, with "
                f"{institutions.proposals} proposals and {institutions.polls} poll."
            )
        if reports:
            self.stdout.write(f"Reports: {len(reports)} monthly and yearly reports.")
        if mileage_entries:
            self.stdout.write(f"Mileage demo: {mileage_entries:,} ledger entries.")
        if open_data_files:
            self.stdout.write(f"Open data: {len(open_data_files)} files at /open-data/.")
        if not created.any():
            self.stdout.write(
                f"Demo data already present; nothing new was created ({seconds:.1f} s)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {seconds:.1f} s: "
                f"{created.departments} departments, {created.categories} categories, "
                f"{created.members} members, {created.proposals} proposals "
                f"({created.withdrawn} withdrawn), {created.endorsements:,} endorsements, "
                f"{created.comments:,} comments."
            )
        )
        self.stdout.write("Demo logins: python manage.py print_demo_logins")
