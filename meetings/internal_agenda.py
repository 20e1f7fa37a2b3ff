"""The internal agenda: the printable agenda as the public sees it, with
each proposer's real name and e-mail address, and a cover list of the
proposers to make name cards and a seating plan from. Personal data, so it
is for the meeting's secretariat (operators) and the mayor's office only
(rules.py, meetings.read_internal_agenda): officials and experts get 403,
citizens never reach the admin. Each reading leaves an access record naming
the proposers shown (accounts/access_records.py). Registered in admin.py as
admin:meetings_realizationmeeting_agenda_internal."""

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts.access_records import access_record_write
from accounts.models import AccessAction
from oasis.admin_utils import pk_or_404

from . import selectors
from .models import RealizationMeeting


def internal_agenda_view(modeladmin, request, object_id):
    if not rules.has_perm("meetings.read_internal_agenda", request.user):
        raise PermissionDenied
    meeting = get_object_or_404(RealizationMeeting, pk=pk_or_404(RealizationMeeting, object_id))
    entries = selectors.agenda_entries(meeting, internal=True)
    contacts = list(
        {entry.contact.member_id: entry.contact for entry in entries if entry.contact}.values()
    )
    # Written before the page is drawn: the record is the point, whatever
    # happens afterwards (access_record_write).
    access_record_write(
        request=request,
        action=AccessAction.VIEW,
        member_ids=[contact.member_id for contact in contacts],
        query=f"meeting={meeting.pk}",
    )
    response = TemplateResponse(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "entries": entries,
            # The cover's proposers by their real names, as on their name cards.
            "attendees": meeting.attendee_groups([contact.name for contact in contacts]),
            "internal": True,
            "contacts": contacts,
            "back_url": reverse("admin:meetings_realizationmeeting_change", args=[meeting.pk]),
        },
    )
    # Real names and addresses: kept by no cache on the way.
    response["Cache-Control"] = "private, no-store"
    return response
