"""The decision table of a realization meeting: every item of the agenda on
one page, the undecided ones each with its decision, reason and conditions,
saved at once through services.meeting_decisions_record (the same checks as
the one-item page in decisions.py, all rows or none). Also the "meeting
held" button of the meeting's page (services.meeting_mark_held). Registered
in admin.py (RealizationMeetingAdmin.get_urls), each wrapped in
admin_site.admin_view."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from accounts.models import User
from accounts.roles import Role
from oasis.admin_utils import pk_or_404
from oasis.errors import ServiceError
from oasis.forms import add_service_errors

from . import rules as meeting_rules
from . import selectors, services
from .forms import LATER, DecisionRowForm
from .models import RealizationMeeting


class DecisionTableRow:
    """What the table shows for one item: the agenda entry; for an open item
    its form; for another, why it cannot be decided now or the decision
    made. An item that was open when the page was drawn but no longer is
    (decided on another screen) still gets the decision that was posted for
    it checked, so the service refuses it and the whole table with it,
    instead of the posted decision being dropped unseen."""

    def __init__(self, entry, form=None, refusal="", editable=False):
        self.entry = entry
        self.form = form
        self.refusal = refusal
        self.editable = editable

    @property
    def item(self):
        return self.entry.item


def _posted_a_decision(data, prefix: str) -> bool:
    return data is not None and data.get(f"{prefix}-decision", LATER) != LATER


def _department_id(item) -> int | None:
    # The department the adopted item's card will go to (as management_card_open).
    return item.proposal.department_id or item.proposal.category.default_department_id


def _officials_by_department(entries) -> dict[int, list]:
    """The active officials of every item's department, in one query: whom
    the meeting may name to carry an adopted item."""
    ids = {_department_id(entry.item) for entry in entries} - {None}
    officials = (
        User.objects.filter(is_active=True, department_id__in=ids, groups__name=Role.OFFICIAL)
        .distinct()
        .order_by("display_name", "id")
    )
    by_department: dict[int, list] = {}
    for official in officials:
        by_department.setdefault(official.department_id, []).append(official)
    return by_department


def _rows(meeting, data=None) -> list[DecisionTableRow]:
    rows = []
    entries = selectors.agenda_entries(meeting)
    officials = _officials_by_department(entries)
    for entry in entries:
        item = entry.item
        prefix = f"item-{item.pk}"
        refusal = meeting_rules.decide_refusal(item, meeting)
        named = officials.get(_department_id(item), [])
        if not refusal:
            form = DecisionRowForm(data, prefix=prefix, officials=named)
            rows.append(DecisionTableRow(entry, form=form, editable=True))
        elif _posted_a_decision(data, prefix):
            form = DecisionRowForm(data, prefix=prefix, officials=named)
            rows.append(DecisionTableRow(entry, form=form, refusal=refusal))
        else:
            # A decided item shows its decision; an open one that cannot be
            # decided yet, why not.
            rows.append(DecisionTableRow(entry, refusal=refusal if item.is_pending else ""))
    return rows


def _show_refusals(rows, errors) -> None:
    """Each refused row's error on its form, next to the row."""
    for row in rows:
        exc = errors.get(row.item.pk)
        if exc is None or row.form is None:
            continue
        if isinstance(exc, ValidationError):
            add_service_errors(row.form, exc)
        else:
            row.form.add_error(None, exc.message)


def decision_table_view(modeladmin, request, object_id):
    """All the items of a meeting on one page. A row left on "later" stays
    undecided; the rows with a decision are recorded together, or, if any
    is refused, none is and every refused row says why."""
    if not rules.has_perm("meetings.record_decision", request.user):
        raise PermissionDenied
    meeting = get_object_or_404(RealizationMeeting, pk=pk_or_404(RealizationMeeting, object_id))
    change_url = reverse("admin:meetings_realizationmeeting_change", args=[meeting.pk])
    posted = request.method == "POST"
    rows = _rows(meeting, request.POST if posted else None)
    open_rows = [row for row in rows if row.form is not None]
    if posted and open_rows:
        # A decision posted for an item that can no longer take one is
        # refused with the rule's reason, as the service would refuse it.
        for row in open_rows:
            if not row.editable:
                row.form.is_valid()
                row.form.add_error(None, row.refusal)
        # Every row is validated (not stopping at the first), so each shows its errors.
        if all([row.form.is_valid() for row in open_rows]):  # noqa: C419
            chosen = [
                services.DecisionRow(item=row.item, **row.form.cleaned_data)
                for row in open_rows
                if row.form.cleaned_data["decision"]
            ]
            if not chosen:
                messages.warning(
                    request, gettext("Nothing was recorded: no item has a decision chosen.")
                )
            else:
                try:
                    services.meeting_decisions_record(
                        meeting=meeting, rows=chosen, user=request.user
                    )
                except services.DecisionTableRefused as refused:
                    _show_refusals(rows, refused.errors)
                    messages.error(
                        request,
                        gettext(
                            "Nothing was recorded: correct the items marked below and save again."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d decision recorded.",
                            "%(count)d decisions recorded.",
                            len(chosen),
                        )
                        % {"count": len(chosen)},
                    )
                    return redirect(change_url)
        else:
            messages.error(
                request,
                gettext("Nothing was recorded: correct the items marked below and save again."),
            )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Decisions of %(meeting)s") % {"meeting": meeting.title},
        "opts": modeladmin.model._meta,
        "meeting": meeting,
        "rows": rows,
        "has_open_rows": any(row.editable for row in rows),
        "change_url": change_url,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request, "admin/meetings/realizationmeeting/decision_table.html", context
    )


def mark_held_view(modeladmin, request, object_id):
    """The "meeting held" button of the meeting's page (a POST only)."""
    if not rules.has_perm("meetings.record_decision", request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    meeting = get_object_or_404(RealizationMeeting, pk=pk_or_404(RealizationMeeting, object_id))
    try:
        services.meeting_mark_held(meeting=meeting, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("%(item)s is marked as held.") % {"item": meeting})
    return redirect("admin:meetings_realizationmeeting_change", meeting.pk)
