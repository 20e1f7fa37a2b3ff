"""The staff's spreadsheets of a poll (CSV that Excel opens as UTF-8, and
XLSX): the results (counts, percentages, the breakdowns with the same groups
hidden as on the page) and the anonymous answers (one row per answer: a
respondent number, the question, the choice or the text; no member id,
e-mail or group, since a voter's district, age band and written answer
side by side could name them where the breakdowns hide small groups).

Every text cell goes through oasis.exports.neutralise_formula, so a
spreadsheet shows a cell that starts like a formula as text, and characters
a workbook cannot hold are dropped rather than failing the export. Who may
export: results_rules (`polls.export_results`)."""

import re
from collections import defaultdict

import tablib
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from oasis.exports import ExcelFriendlyCSV, neutralise_formula

from .models import Answer, Poll
from .results import PollResults

FORMATS = {"csv": ExcelFriendlyCSV, "xlsx": XLSX}
# Control characters openpyxl refuses in a cell (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _cell(value):
    if isinstance(value, str):
        return neutralise_formula(_ILLEGAL.sub("", value))
    return value


def _dataset(headers, rows, title) -> tablib.Dataset:
    data = tablib.Dataset(headers=[_cell(h) for h in headers], title=title[:31])
    for row in rows:
        data.append([_cell(value) for value in row])
    return data


def results_dataset(results: PollResults) -> tablib.Dataset:
    """One row per number: the whole result, then each group of each breakdown."""
    poll = results.poll
    headers = [
        _("question"),
        _("question text"),
        _("breakdown"),
        _("group"),
        _("choice"),
        _("votes"),
        _("share (%)"),
        _("members in the group"),
    ]
    hidden = _("Not shown: fewer than %(n)d members") % {"n": results.min_group}
    rows = [["", poll.title, _("voters"), "", "", results.voter_count, "", ""]]
    for number, question in enumerate(results.questions, start=1):
        label = f"Q{number}"
        for choice in question.choices:
            rows.append(
                [
                    label,
                    question.text,
                    _("all"),
                    "",
                    choice.label,
                    choice.share.count,
                    float(choice.share.percent),
                    question.answer_count,
                ]
            )
        if question.text_count is not None:
            rows.append(
                [label, question.text, _("written answers"), "", "", question.text_count, "", ""]
            )
        for breakdown in question.breakdowns:
            for row in breakdown.rows:
                if row.hidden:
                    rows.append(
                        [label, question.text, breakdown.title, row.label, hidden, "", "", ""]
                    )
                    continue
                for choice, cell in zip(question.choices, row.cells, strict=True):
                    rows.append(
                        [
                            label,
                            question.text,
                            breakdown.title,
                            row.label,
                            choice.label,
                            cell.count,
                            float(cell.percent),
                            row.total,
                        ]
                    )
    if results.discussion:
        for side in results.discussion.sides:
            rows.append(["", "", _("arguments"), side.label, "", side.arguments, "", ""])
            rows.append(["", "", _("endorsements"), side.label, "", side.endorsements, "", ""])
    return _dataset(headers, rows, _("results"))


def _respondent_order(poll: Poll, ballot_id: int) -> str:
    """Where a ballot's respondent stands in the answers export: a keyed hash
    of the ballot, the same at every export, unrelated to when it was cast.
    Numbered in ballot order, respondent N would be the N-th voter, and the
    mileage ledger (member, time, the ballot as its source) tells staff who
    that is, with their written answers and reasons beside their number."""
    message = f"polls.answers_export:{poll.pk}:{ballot_id}"
    return salted_hmac("polls.results_export.respondent", message).hexdigest()


def answers_dataset(poll: Poll) -> tablib.Dataset:
    """Every answer, anonymous: respondents numbered 1, 2, … in an order that
    says nothing of who voted when (_respondent_order; never their ids)."""
    headers = [_("respondent"), _("question"), _("question text"), _("choice"), _("written answer")]
    positions = {q.pk: n for n, q in enumerate(poll.questions.all(), start=1)}
    by_ballot: dict[int, list] = defaultdict(list)
    answers = (
        Answer.objects.filter(ballot__poll=poll)
        .order_by("ballot_id", "question__position", "question_id", "choice__position", "id")
        .values_list("ballot_id", "question_id", "question__text", "choice__label", "text")
        .iterator(chunk_size=2000)
    )
    for ballot_id, question_id, question_text, choice_label, text in answers:
        by_ballot[ballot_id].append(
            [f"Q{positions.get(question_id, '')}", question_text, choice_label or "", text]
        )
    ordered = sorted(by_ballot, key=lambda ballot_id: _respondent_order(poll, ballot_id))
    rows = [
        [number, *row]
        for number, ballot_id in enumerate(ordered, start=1)
        for row in by_ballot[ballot_id]
    ]
    return _dataset(headers, rows, _("answers"))


def export_file(dataset: tablib.Dataset, file_format: str) -> tuple[bytes | str, str]:
    """The file's content and its content type."""
    fmt = FORMATS[file_format]()
    return fmt.export_data(dataset), fmt.get_content_type()
