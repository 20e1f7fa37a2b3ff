"""The decision pages of the realization meeting: each agenda item's
decision (adopted, held over, not adopted) is recorded on its own page,
which calls services.agenda_item_decide, and the "record decision" link that
leads there from the meeting's agenda and the agenda item list. Registered
in admin.py (RealizationMeetingAdmin.get_urls)."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from oasis.admin_utils import pk_or_404
from oasis.errors import ServiceError
from oasis.forms import add_service_errors

from . import rules as meeting_rules
from . import selectors, services
from .forms import AgendaDecisionForm
from .models import AgendaDecision, AgendaItem, RealizationMeeting


def decide_link(item, css_class="") -> str:
    """The "record decision" link of a pending item, or, before the meeting
    day (or once it can no longer be decided), why not: the link would only
    lead to a refusal."""
    if not item.is_pending:
        return "—"
    if refusal := meeting_rules.decide_refusal(item):
        return format_html('<span class="help">{}</span>', refusal)
    url = reverse("admin:meetings_realizationmeeting_decide", args=[item.meeting_id, item.pk])
    return format_html('<a class="{}" href="{}">{}</a>', css_class, url, gettext("Record decision"))


def decide_view(modeladmin, request, object_id, item_id):
    """Record the meeting's decision on one agenda item, through
    services.agenda_item_decide. An item of another meeting, or one
    already decided, is refused with the reason and nothing changes."""
    if not rules.has_perm("meetings.record_decision", request.user):
        raise PermissionDenied
    meeting = get_object_or_404(RealizationMeeting, pk=pk_or_404(RealizationMeeting, object_id))
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "proposal", "proposal__category"),
        pk=item_id,
    )
    change_url = reverse("admin:meetings_realizationmeeting_change", args=[meeting.pk])
    refusal = meeting_rules.decide_refusal(item, meeting)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect(change_url)
    form = AgendaDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.agenda_item_decide(
                item=item,
                meeting=meeting,
                user=request.user,
                **form.cleaned_data,
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(change_url)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("Decision recorded for “%(title)s”: %(decision)s.")
                % {
                    "title": item.proposal.title,
                    "decision": AgendaDecision(form.cleaned_data["decision"]).label,
                },
            )
            return redirect(change_url)
    entries = {e.item.pk: e for e in selectors.agenda_entries(meeting)}
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Record the decision on “%(title)s”") % {"title": item.proposal.title},
        "opts": modeladmin.model._meta,
        "meeting": meeting,
        "item": item,
        "entry": entries.get(item.pk),
        "form": form,
        "change_url": change_url,
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/meetings/agenda_item_decide.html", context)
