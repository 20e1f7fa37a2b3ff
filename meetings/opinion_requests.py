"""The meeting's expert opinions page, part of its preparation: per agenda
item who was asked for an opinion, by when, and whether they answered (the
missing opinions), a form to ask experts (services.expert_opinion_request)
and a button to withdraw a request still waiting
(services.expert_opinion_request_withdraw). The secretariat's (operators,
meetings.request_opinion). Registered in admin.py
(RealizationMeetingAdmin.get_urls), wrapped in admin_site.admin_view."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from oasis.admin_utils import dday_cell, pk_or_404
from oasis.errors import ServiceError
from oasis.forms import add_service_errors

from . import selectors, services
from .forms import OpinionRequestForm
from .models import ExpertOpinionRequest, OpinionRequestStatus, RealizationMeeting


def _status_cell(request: ExpertOpinionRequest):
    if request.status == OpinionRequestStatus.OPEN:
        return dday_cell(request.due_date)
    return dday_cell(None, finished=request.get_status_display())


def opinion_requests_view(modeladmin, request, object_id):
    """GET: the page. POST: ask the chosen experts; the form comes back with
    the reasons if anything is refused, and nothing is written."""
    if not rules.has_perm("meetings.request_opinion", request.user):
        raise PermissionDenied
    meeting = get_object_or_404(RealizationMeeting, pk=pk_or_404(RealizationMeeting, object_id))
    page_url = reverse("admin:meetings_realizationmeeting_opinions", args=[meeting.pk])
    form = OpinionRequestForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services.expert_opinion_request(
                    item=form.cleaned_data["item"],
                    experts=form.cleaned_data["experts"],
                    due_date=form.cleaned_data["due_date"],
                    user=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d expert was asked; they are told by notice and e-mail.",
                        "%(count)d experts were asked; they are told by notice and e-mail.",
                        len(made),
                    )
                    % {"count": len(made)},
                )
                return redirect(page_url)
        messages.error(request, gettext("Nobody was asked: correct the form below."))
    rows = selectors.opinion_preparation(meeting)
    for row in rows:
        for opinion_request in row.requests:
            opinion_request.status_cell = _status_cell(opinion_request)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Expert opinions for %(meeting)s") % {"meeting": meeting.title},
        "opts": modeladmin.model._meta,
        "meeting": meeting,
        "rows": rows,
        "form": form,
        "missing": sum(row.missing for row in rows),
        "change_url": reverse("admin:meetings_realizationmeeting_change", args=[meeting.pk]),
        "page_url": page_url,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request, "admin/meetings/realizationmeeting/opinion_requests.html", context
    )


def opinion_request_withdraw_view(modeladmin, request, object_id, request_id):
    """The "withdraw" button of a waiting request (a POST only)."""
    if not rules.has_perm("meetings.request_opinion", request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    opinion_request = get_object_or_404(
        ExpertOpinionRequest,
        pk=request_id,
        agenda_item__meeting_id=pk_or_404(RealizationMeeting, object_id),
    )
    try:
        services.expert_opinion_request_withdraw(request=opinion_request, user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The request was withdrawn."))
    return redirect(
        "admin:meetings_realizationmeeting_opinions", opinion_request.agenda_item.meeting_id
    )
