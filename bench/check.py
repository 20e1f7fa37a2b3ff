"""The consistency query run at the end of bench_fill (and by bench_check):
every denormalised counter equals the rows it counts, no row points at
nothing, and no public proposal is left due for a promotion the conductor
would have made. Returns the problems found, in words; none is the pass."""

from django.db import connection

from mileage.checks import ledger_problems
from pipeline.services import due_filter
from proposals.models import PipelineSettings, Proposal

# (what, SQL counting the offending rows)
CHECKS = [
    (
        "proposals whose endorsement_count differs from their endorsements",
        """
        SELECT count(*) FROM proposals_proposal p
        LEFT JOIN (SELECT proposal_id, count(*) AS n FROM proposals_endorsement GROUP BY 1) e
          ON e.proposal_id = p.id
        WHERE p.endorsement_count <> coalesce(e.n, 0)
        """,
    ),
    (
        "proposals whose comment_count differs from their comments (not deleted)",
        """
        SELECT count(*) FROM proposals_proposal p
        LEFT JOIN (SELECT proposal_id, count(*) AS n FROM proposals_comment
                   WHERE deleted_at IS NULL GROUP BY 1) c
          ON c.proposal_id = p.id
        WHERE p.comment_count <> coalesce(c.n, 0)
        """,
    ),
    (
        "debates whose stance counts differ from their stances",
        """
        SELECT count(*) FROM debates_debate d
        LEFT JOIN (SELECT debate_id,
                          count(*) FILTER (WHERE position = 'for') AS f,
                          count(*) FILTER (WHERE position = 'against') AS a,
                          count(*) FILTER (WHERE position = 'undecided') AS u
                   FROM debates_stance GROUP BY 1) s ON s.debate_id = d.id
        WHERE (d.for_count, d.against_count, d.undecided_count)
              <> (coalesce(s.f, 0), coalesce(s.a, 0), coalesce(s.u, 0))
        """,
    ),
    (
        "endorsements of a missing proposal or member",
        """
        SELECT count(*) FROM proposals_endorsement e
        WHERE NOT EXISTS (SELECT 1 FROM proposals_proposal p WHERE p.id = e.proposal_id)
           OR NOT EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = e.user_id)
        """,
    ),
    (
        "comments of a missing proposal or member",
        """
        SELECT count(*) FROM proposals_comment c
        WHERE NOT EXISTS (SELECT 1 FROM proposals_proposal p WHERE p.id = c.proposal_id)
           OR (c.author_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = c.author_id))
        """,
    ),
    (
        "proposals past the answer stage without a current assignment",
        """
        SELECT count(*) FROM proposals_proposal p
        WHERE p.status IN ('assigned', 'answered', 'debate', 'review', 'on_agenda',
                           'not_selected', 'adopted', 'not_adopted')
          AND NOT EXISTS (SELECT 1 FROM answers_assignment a
                          WHERE a.proposal_id = p.id AND a.is_current)
        """,
    ),
    (
        "adopted proposals without a management card",
        """
        SELECT count(*) FROM proposals_proposal p
        WHERE p.status = 'adopted'
          AND NOT EXISTS (SELECT 1 FROM tracking_managementcard c WHERE c.proposal_id = p.id)
        """,
    ),
    (
        "proposals in debate or later without a debate",
        """
        SELECT count(*) FROM proposals_proposal p
        WHERE p.status IN ('debate', 'review', 'on_agenda', 'not_selected', 'adopted', 'not_adopted')
          AND NOT EXISTS (SELECT 1 FROM debates_debate d WHERE d.proposal_id = p.id)
        """,
    ),
    (
        "proposals without their 'created' timeline row",
        """
        SELECT count(*) FROM proposals_proposal p
        WHERE NOT EXISTS (SELECT 1 FROM proposals_proposalevent e
                          WHERE e.proposal_id = p.id AND e.kind = 'created')
        """,
    ),
]


def problems() -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for what, sql in CHECKS:
            cursor.execute(sql)
            (count,) = cursor.fetchone()
            if count:
                found.append(f"{count} {what}")
    due = Proposal.objects.public().filter(due_filter(PipelineSettings.load())).count()
    if due:
        found.append(f"{due} public proposals due for a promotion the conductor would have made")
    # The mileage ledger: balances, grades and month totals equal the entries.
    found.extend(f"mileage: {problem}" for problem in ledger_problems())
    return found
