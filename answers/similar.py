"""What "similar proposals" shows of a department's answer (issue 16: similar
proposals AND their answers, so a citizen endorses instead of repeating).
The proposals floor asks through proposals.similarity.register_answer_reader,
connected in answers/apps.py."""

from collections.abc import Sequence

from .models import Answer, AnswerDecision, AnswerStatus

SUMMARY_CHARS = 140


def published_answers(proposal_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """{proposal id: (decision label, summary cut to a line)} of the published
    answers of these proposals, in one query."""
    if not proposal_ids:
        return {}
    rows = (
        Answer.objects.filter(
            status=AnswerStatus.PUBLISHED, assignment__proposal_id__in=list(proposal_ids)
        )
        .order_by("published_at")
        .values_list("assignment__proposal_id", "decision", "summary")
    )
    found = {}
    for proposal_id, decision, summary in rows:  # the latest wins
        line = " ".join(summary.split())
        if len(line) > SUMMARY_CHARS:
            line = line[: SUMMARY_CHARS - 1] + "…"
        label = str(AnswerDecision(decision).label) if decision else ""
        found[proposal_id] = (label, line)
    return found
