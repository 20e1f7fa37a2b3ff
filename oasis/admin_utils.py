"""Pieces every app's admin uses: running a service over selected rows, the
intermediate page of an action that needs a form, moderation actions that
ask for a reason, the deadline (D-day) cell of every list with a deadline,
the operators-only mixin and the read-only mixin for records nobody edits by
hand."""

import datetime
from collections.abc import Callable

import rules
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _lazy

from oasis.errors import ServiceError
from oasis.forms import ModerationReasonForm

MAX_SKIPPED_LISTED = 10


def pk_or_404(model, object_id):
    """The primary key an admin URL's `object_id` names, or Http404 when it
    cannot name one (a word where a number belongs): the ORM would raise a
    ValueError for it, a 500, where the admin's own pages quietly find nothing."""
    try:
        return model._meta.pk.to_python(unquote(str(object_id)))
    except ValidationError:
        raise Http404 from None


# --- deadlines ----------------------------------------------------------------------

# A deadline this many days away or fewer is marked as close (its own colour).
DDAY_SOON_DAYS = 3


def days_until(deadline, *, now=None) -> tuple[int, bool]:
    """Whole Seoul calendar days from today to `deadline` (a date or an aware
    datetime; 0 on the day, negative once past) and whether it is overdue: a
    date is overdue the day after, a datetime from that moment on."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if isinstance(deadline, datetime.datetime):
        return (timezone.localtime(deadline).date() - today).days, now > deadline
    days = (deadline - today).days
    return days, days < 0


def dday_cell(deadline, *, now=None, finished: str | None = None) -> SafeString:
    """The D-day cell of every admin list with a deadline: "D-3", "D-day" or,
    once past, "Overdue 3 days late" ("기한 지남 3일 지남") in the overdue colour with the words
    saying it too (colour alone is not enough to read it). `finished` (e.g.
    "Answered") replaces the count for work that is done; no deadline is "—".

    The markup is shared with the CSS (static/css/admin.css): `.dday` on every
    cell, `.dday-soon` within DDAY_SOON_DAYS, `.overdue` with its
    `.overdue-label` once past (a list row holding it is tinted), `.dday-done`
    for finished work."""
    if finished:
        return format_html('<span class="dday dday-done">{}</span>', finished)
    if deadline is None:
        return format_html('<span class="dday dday-none">{}</span>', "—")
    days, overdue = days_until(deadline, now=now)
    if overdue:
        late = (
            ngettext("%(days)d day late", "%(days)d days late", -days) % {"days": -days}
            if days < 0
            else gettext("today")
        )
        return format_html(
            '<span class="dday overdue"><strong class="overdue-label">{}</strong> {}</span>',
            gettext("Overdue"),
            late,
        )
    text = gettext("D-day") if days == 0 else gettext("D-%(days)d") % {"days": days}
    soon = " dday-soon" if days <= DDAY_SOON_DAYS else ""
    return format_html('<span class="dday{}">{}</span>', soon, text)


def apply_each(request, objects, *, service, done) -> int:
    """Call `service(obj)` for each object. A refusal (ServiceError or
    ValidationError) skips that object and its reason is shown; `done` is an
    ngettext_lazy message with %(count)d for the ones that changed. Returns
    how many changed."""
    changed, skipped = 0, []
    for obj in objects:
        try:
            service(obj)
        except (ServiceError, ValidationError) as exc:
            skipped.append(
                (obj, exc.message if isinstance(exc, ServiceError) else " ".join(exc.messages))
            )
        else:
            changed += 1
    if changed:
        messages.success(request, done % {"count": changed})
    else:
        messages.info(request, gettext("Nothing was changed."))
    for obj, message in skipped[:MAX_SKIPPED_LISTED]:
        messages.warning(
            request,
            gettext("Skipped #%(id)s “%(item)s”: %(message)s")
            % {"id": obj.pk, "item": obj, "message": message},
        )
    if len(skipped) > MAX_SKIPPED_LISTED:
        more = len(skipped) - MAX_SKIPPED_LISTED
        messages.warning(
            request,
            ngettext("%(count)d more item was skipped.", "%(count)d more items were skipped.", more)
            % {"count": more},
        )
    return changed


def admin_page(modeladmin, request, *, template, title, **context):
    """A staff screen of `modeladmin`'s (a preview, a pick, a response form)
    rendered in the admin's frame: the site's context, the model's opts and
    the page's title, then `context`."""
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": title,
            **context,
        },
    )


def intermediate_page(
    modeladmin, request, *, form, template="admin/intermediate_action.html", **context
):
    """The page (admin/intermediate_action.html or one extending it) that
    shows `form` for the action's selected rows; `context` gives at least
    title, action, submit_label and queryset (and intro for the default
    summary)."""
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": modeladmin.media + form.media,
            **context,
        },
    )


def ask_then_apply(modeladmin, request, queryset, *, form, error_message, call, done, **page):
    """An admin action that needs a form: the first POST (from the changelist)
    shows `form` on the intermediate page (`page`: see intermediate_page);
    the second (`apply` in the POST) calls `call(obj, cleaned_data)` for each
    selected row through apply_each, so a refused row is skipped with its
    reason, and returns to the changelist. An invalid form shows the page
    again with `error_message`, and nothing is changed."""
    if form.is_bound:
        if form.is_valid():
            apply_each(
                request, queryset, service=lambda obj: call(obj, form.cleaned_data), done=done
            )
            return None  # back to the changelist, filters kept
        modeladmin.message_user(request, error_message, messages.ERROR)
    return intermediate_page(modeladmin, request, form=form, queryset=queryset, **page)


def moderate_with_reason(
    modeladmin: admin.ModelAdmin,
    request,
    queryset,
    *,
    action: str,
    title: str,
    intro: str,
    submit_label: str,
    service: Callable[..., object],
    done,
):
    """Run a moderation service on every selected item, with a reason.

    The first POST (from the changelist) shows an intermediate page that asks
    for the reason. The second (`apply` in the POST) calls `service(obj, user,
    reason)` per item; a ServiceError skips that item and its message is shown.
    Without a reason nothing is changed and the page says so."""
    return ask_then_apply(
        modeladmin,
        request,
        queryset,
        form=ModerationReasonForm(request.POST if "apply" in request.POST else None),
        error_message=gettext("Please give a reason. Nothing has been changed."),
        call=lambda obj, data: service(obj, request.user, data["reason"]),
        done=done,
        template="admin/moderation_reason.html",
        title=title,
        intro=intro,
        submit_label=submit_label,
        action=action,
    )


def moderation_action(*, name, description, title, intro, submit_label, service, done):
    """An admin action, for operators only (OperatorOnlyMixin), that asks for
    a reason and then calls `service(obj, user, reason)` for each selected
    item. `done` is an ngettext_lazy message with a %(count)d placeholder."""

    def action(modeladmin, request, queryset):
        return moderate_with_reason(
            modeladmin,
            request,
            queryset,
            action=name,
            title=title,
            intro=intro,
            submit_label=submit_label,
            service=service,
            done=done,
        )

    action.__name__ = name
    return admin.action(description=description, permissions=["moderate"])(action)


# --- lists that open on the work waiting ------------------------------------------


class WaitingFirstFilter(admin.SimpleListFilter):
    """A list filter whose first choice, taken when the list is opened
    without it, is the work still waiting (`default_label`, rows from
    `waiting`); the other choices (`lookups`, then "All" as ALL) narrow the
    list as usual. The list says so above the rows (`list_note`, shown by
    templates/admin/change_list.html) with a link to see everything.

    A subclass sets title, parameter_name, default_label, default_note and
    writes `waiting(queryset)`, `lookups()` and `narrow(queryset, value)`."""

    ALL = "all"
    default_label = _lazy("Waiting")
    default_note = ""  # "This list shows … by default."

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        # An export (django-import-export's view, reached by the list's
        # "Export" button with the list's own filters) with no choice made
        # here takes every row in the user's scope, as before lists opened
        # on the waiting work: a file of records, not of today's to-do.
        match = getattr(request, "resolver_match", None)
        self.exporting = bool(match and (match.url_name or "").endswith("_export"))
        self.list_note = self.default_note if self.value() is None else ""
        # The list as it stands (sorting, search, other filters) with this
        # filter at "All"; the page number (and the admin's error flag) is
        # dropped: the count changes.
        query = {k: v for k, v in request.GET.items() if k not in ("p", "e")}
        query[self.parameter_name] = self.ALL
        self.show_all_url = "?" + urlencode(query)

    def has_output(self):
        return True

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": self.default_label,
        }
        for lookup, label in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": label,
            }
        yield {
            "selected": self.value() == self.ALL,
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": gettext("All"),
        }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset if self.exporting else self.waiting(queryset)
        if value == self.ALL:
            return queryset
        return self.narrow(queryset, value)

    def waiting(self, queryset):
        raise NotImplementedError

    def narrow(self, queryset, value):
        """Rows for the lookup `value`; an unknown value narrows nothing (as
        Django's own filters ignore one), never a 500."""
        return queryset


def waiting_first_choice_filter(field, waiting, *, title, default_label, default_note):
    """A WaitingFirstFilter over a model field with choices (`status`,
    `stage`): opened on the values in `waiting`, each choice one click
    away. Its parameter is the field's name (`?status=held`)."""

    class ChoiceFilter(WaitingFirstFilter):
        parameter_name = field

        def _all_choices(self, model):
            return model._meta.get_field(field).flatchoices

        def lookups(self, request, model_admin):
            # One waiting value is the default choice already: listed twice
            # ("Requested" and "Requested") it would read as two things.
            shown_first = {str(value) for value in waiting} if len(waiting) == 1 else set()
            return [
                (key, label)
                for key, label in self._all_choices(model_admin.model)
                if str(key) not in shown_first
            ]

        def waiting(self, queryset):
            return queryset.filter(**{f"{field}__in": waiting})

        def narrow(self, queryset, value):
            choices = {str(key) for key, _label in self._all_choices(queryset.model)}
            return queryset.filter(**{field: value}) if value in choices else queryset

    ChoiceFilter.title = title
    ChoiceFilter.default_label = default_label
    ChoiceFilter.default_note = default_note
    ChoiceFilter.__name__ = ChoiceFilter.__qualname__ = f"Waiting{field.title()}Filter"
    return ChoiceFilter


class OperatorOnlyMixin:
    """Moderation (`permissions=["moderate"]` on an action) and export ask
    the app's own `<app>.moderate` rule (rules.py), the same rule its
    services apply."""

    def _may_moderate(self, request) -> bool:
        return rules.has_perm(f"{self.opts.app_label}.moderate", request.user)

    def has_moderate_permission(self, request) -> bool:
        return self._may_moderate(request)

    def has_export_permission(self, request) -> bool:
        return self._may_moderate(request)


# Lookups that find members by what the public never sees of them.
MEMBER_IDENTITY_LOOKUPS = ("email", "display_name")


class MaskedMemberSearchMixin:
    """Search by a member's e-mail or real name (`author__email`, …) unmasks
    them: only for those the `accounts.unmask_members` rule lets (operators).
    Everyone else's search drops those lookups (and its help text says what
    is left: `masked_search_help_text`)."""

    masked_search_help_text = None

    def _may_unmask(self, request) -> bool:
        return rules.has_perm("accounts.unmask_members", request.user)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self._may_unmask(request):
            return fields
        return [
            field
            for field in fields
            if field.lstrip("^=@").rpartition("__")[2] not in MEMBER_IDENTITY_LOOKUPS
        ]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if self.masked_search_help_text and not self._may_unmask(request):
            changelist.search_help_text = self.masked_search_help_text
        return changelist


class ReadOnlyMixin:
    """Rows citizens wrote or the system recorded (events, arguments,
    ratings): shown, never added, changed or deleted through the admin. For a
    ModelAdmin and an inline alike; `extra` and `can_delete` are read by
    inlines only."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
