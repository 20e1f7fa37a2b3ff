import json

from django.core.management.base import BaseCommand

from bench import sessions, targets


class Command(BaseCommand):
    help = (
        "For the benchmark harness: the pages to measure and the sessions to see them "
        "with (JSON), or the spike's members and its before/after (bench/harness.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "what", choices=["pages", "spike-members", "spike-state", "spike-check"]
        )
        parser.add_argument("--out", required=True, help="JSON file to write.")
        parser.add_argument("--count", type=int, default=0)
        parser.add_argument("--target", choices=["hot", "fresh"], default="hot")
        parser.add_argument("--tag", default="")
        parser.add_argument("--keys", help="spike-members: file for the session keys, one a line.")
        parser.add_argument("--before", help="spike-check: the spike-state file from before.")

    def handle(self, *args, what, out, count, target, tag, keys, before, **options):
        if what == "pages":
            hot = targets.hot_proposal()
            fresh = targets.fresh_proposal()
            result = {
                "pages": targets.pages(),
                "sessions": targets.logins(),
                "hot_id": hot.pk,
                "hot_endorsements": hot.endorsement_count,
                "fresh_id": fresh.pk if fresh else None,
            }
        elif what == "spike-members":
            targets.spike_rules()
            proposal = targets.hot_proposal() if target == "hot" else targets.fresh_proposal()
            users = sessions.new_members(count, tag=tag)
            session_keys = sessions.sessions_for(users)
            with open(keys, "w", encoding="ascii") as handle:
                handle.write("\n".join(session_keys) + "\n")
            result = {"proposal_id": proposal.pk, "path": proposal.get_absolute_url()}
        elif what == "spike-state":
            with open(out, encoding="utf-8") as handle:
                proposal_id = json.load(handle)["proposal_id"]
            result = targets.spike_state(proposal_id)
        else:
            with open(before, encoding="utf-8") as handle:
                result = targets.spike_invariants(json.load(handle), tag=tag)
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2, default=str)
