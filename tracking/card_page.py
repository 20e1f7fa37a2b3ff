"""The card's own page in the admin: besides Django's change form (budget,
target date, attachments, history), what needs attention (no owner, an
overdue report) and the work itself: change the stage, name the responsible
official, write a progress report at any time. Each form posts to its own
page here (so a refused one is shown again with its reason), which calls
the service and returns to the card. Who sees which form is asked of
rules.py; admin.py registers the URLs (ManagementCardAdmin.get_urls) and
puts `card_page_context` on the change page."""

import rules
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.once import AlreadySubmitted, create_once
from oasis.errors import ServiceError
from oasis.forms import add_service_errors

from . import rules as card_rules
from . import services
from .card_flags import falls_to_text, flag, owner_left_text, report_due_html
from .forms import CardReportForm, HandoffForm, StageChangeForm
from .models import STAGE_TRANSITIONS, ManagementCard
from .resources import official_name

# Links to work on a card that apps above tracking add (awards: record the
# proposer's reward, mark a best policy): each is `tool(user, card)` giving
# (label, url) pairs, registered from the app's AppConfig.ready() with
# `register_card_tool`, so tracking never imports them.
_CARD_TOOLS: dict[str, object] = {}


def register_card_tool(key: str, tool) -> None:
    """Add `tool(user, card) -> [(label, url), ...]` to every card's page."""
    _CARD_TOOLS[key] = tool


def card_tools(user, card) -> list[tuple[str, str]]:
    return [link for _key, tool in sorted(_CARD_TOOLS.items()) for link in tool(user, card)]


# Prefixes keep the two note fields of the card page apart (ids, labels).
STAGE_PREFIX = "stage"
OWNER_PREFIX = "owner"


def card_url(card) -> str:
    return reverse("admin:tracking_managementcard_change", args=[card.pk])


def _card(modeladmin, request, object_id) -> ManagementCard:
    """The card `object_id` as `modeladmin` finds it for this user: another
    department's card is refused (403, get_object), a missing one is 404."""
    card = modeladmin.get_object(request, unquote(object_id))
    if card is None:
        raise Http404
    return card


def may_change_stage(user, card) -> bool:
    return rules.has_perm("tracking.change_card", user, card) and not card.is_completed


def may_hand_off(user, card) -> bool:
    return rules.has_perm("tracking.hand_off_card", user, card) and card.department_id is not None


def may_file_report(user, card) -> bool:
    return (
        rules.has_perm("tracking.file_report", user, card)
        and card_rules.report_filing_refusal(card) is None
    )


def stage_form(card, data=None) -> StageChangeForm:
    return StageChangeForm(data, prefix=STAGE_PREFIX, stages=STAGE_TRANSITIONS[card.stage])


def owner_form(card, data=None) -> HandoffForm:
    return HandoffForm(
        data,
        prefix=OWNER_PREFIX,
        departments={card.department_id},
        exclude={card.responsible_official_id},
    )


def card_page_context(request, card) -> dict:
    """What the card's change page adds to Django's form: the flags (no
    active owner, the open report request and whether it is overdue) and
    the forms this user may use on this card."""
    user = request.user
    request_open = services.open_report_request(card)
    # The same definition as the card list and the homes (issue 11 counted
    # a moved owner as ownerless on the homes but not here).
    ownerless = ManagementCard.objects.without_usable_owner().filter(pk=card.pk).exists()
    return {
        "card_flags": (
            [flag(f"{owner_left_text(card)} · {falls_to_text(card)}")] if ownerless else []
        ),
        "card_report_request": request_open,
        "card_report_due": report_due_html(
            request_open.due_date if request_open else None, stage=card.stage
        ),
        "card_next_request_at": (
            None
            if request_open or card.is_completed
            else timezone.localtime(services.report_next_request_at(card))
        ),
        "card_stage_form": stage_form(card) if may_change_stage(user, card) else None,
        "card_owner_form": owner_form(card) if may_hand_off(user, card) else None,
        "card_may_file_report": may_file_report(user, card),
        "card_tools": card_tools(user, card),
        # Another official of the department submits the request itself.
        "card_report_submit_url": (
            reverse("admin:tracking_progressreport_change", args=[request_open.pk])
            if request_open is not None
            and not may_file_report(user, card)
            and rules.has_perm("tracking.submit_report", user, request_open)
            else None
        ),
    }


def _page(modeladmin, request, card, *, form, title, intro, submit_label, multipart=False):
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        "tracking/admin/card_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "original": card,
            "title": title,
            "intro": intro,
            "form": form,
            "submit_label": submit_label,
            "multipart": multipart,
            "media": modeladmin.media + form.media,
        },
    )


def _done(request, card, message):
    messages.success(request, message)
    return HttpResponseRedirect(card_url(card))


def _card_work_view(modeladmin, request, object_id, *, perm, make_form, call, done, **page):
    """A card's one-form work page: the form, and once it is valid the
    service `call(card, cleaned_data)`; a refusal comes back on the form,
    success goes back to the card with `done(card)` as its message."""
    card = _card(modeladmin, request, object_id)
    if not rules.has_perm(perm, request.user, card):
        raise PermissionDenied
    form = make_form(card, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            card = call(card, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return _done(request, card, done(card))
    return _page(modeladmin, request, card, form=form, **page)


def change_stage_view(modeladmin, request, object_id):
    """Move the card to another stage with a note (services.card_change_stage)."""
    return _card_work_view(
        modeladmin,
        request,
        object_id,
        perm="tracking.change_card",
        make_form=stage_form,
        call=lambda card, data: services.card_change_stage(
            card=card, user=request.user, to_stage=data["to_stage"], note=data["note"]
        ),
        done=lambda card: (
            gettext("The item is now “%(stage)s”.") % {"stage": card.get_stage_display()}
        ),
        title=gettext("Change the stage"),
        intro=gettext(
            "Stages go review → planning → in progress → completed. Any stage before "
            "completion may be suspended with a reason; a suspended item resumes at "
            "planning. Completed is final."
        ),
        submit_label=gettext("Change the stage"),
    )


def change_owner_view(modeladmin, request, object_id):
    """Name the card's responsible official (services.card_handoff)."""
    return _card_work_view(
        modeladmin,
        request,
        object_id,
        perm="tracking.hand_off_card",
        make_form=owner_form,
        call=lambda card, data: services.card_handoff(
            card=card, user=request.user, to_official=data["to_official"], note=data["note"]
        ),
        done=lambda card: (
            gettext("%(name)s is now responsible for this item.")
            % {"name": official_name(card.responsible_official)}
        ),
        title=gettext("Responsible official"),
        intro=gettext(
            "The responsible official must be an active official of the card's department. "
            "The card keeps its whole history; both officials and the operators are told."
        ),
        submit_label=gettext("Make responsible"),
    )


def write_report_view(modeladmin, request, object_id):
    """Write the card's progress report now (services.report_file): it
    answers the open request, or counts as the next period's report."""
    card = _card(modeladmin, request, object_id)
    if not rules.has_perm("tracking.file_report", request.user, card):
        raise PermissionDenied
    request_open = services.open_report_request(card)
    form = CardReportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        card=card,
    )
    refusal = card_rules.report_filing_refusal(card)
    if form.is_bound and refusal:
        form.add_error(None, refusal)
    if form.is_bound and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            report = create_once(
                user=request.user,
                token=data.get("submission_token", ""),
                create=lambda: services.report_file(
                    card=card,
                    user=request.user,
                    done=data["done"],
                    stage=data.get("stage") or None,
                    percent=data["percent_complete"],
                    spent_budget=data.get("spent_budget"),
                    next_steps=data.get("next_steps") or "",
                    photos=data.get("photos") or (),
                ),
                url_of=lambda report: card_url(card),
            )
        except AlreadySubmitted as done:
            return HttpResponseRedirect(done.url)
        except ValidationError as exc:
            add_service_errors(form, _as_form_fields(exc))
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return _done(
                request,
                card,
                gettext("Submitted: %(report)s. Thank you.") % {"report": report},
            )
    if request_open is not None:
        intro = gettext("This report answers the request for report %(period)d, due %(date)s.") % {
            "period": request_open.period,
            "date": request_open.due_date.isoformat(),
        }
    else:
        intro = gettext(
            "No report has been requested yet. This one counts as the next period's report: "
            "the next request comes two months after it."
        )
    return _page(
        modeladmin,
        request,
        card,
        form=form,
        title=gettext("Write a progress report"),
        intro=intro,
        submit_label=gettext("Submit the report"),
        multipart=True,
    )


def _as_form_fields(exc: ValidationError) -> ValidationError:
    """The service names percent complete `percent`; the form `percent_complete`."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors = exc.message_dict
    if "percent" in errors:
        errors["percent_complete"] = errors.pop("percent")
    return ValidationError(errors)
