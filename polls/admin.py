"""City polls in the admin: the poll editor of the city's operators and of
a partner institution's administrators (their institution's polls only,
issue 16), and the department's read-only view of its own polls.

The editor is Django's change form with two inlines: background material
(images with their text alternative, files checked as proposals' are) and
the questions, each with its choices typed one a line (nested inlines are
not in Django; a second screen per question would make a four-choice poll
take five pages). Nothing is written by Django's own save: save_model and
save_formset call polls/services/editing.py, and the forms ask the rules
under the poll's row lock first, so a refused change shows its reason on
the form and nothing is half-saved. Preview, publish and close early are
screens of their own (admin_screens.py)."""

import datetime as dt
from functools import partial

import rules
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.institutions import InstitutionScopedAdminMixin, staff_institution_id
from accounts.predicates import is_institution_admin, is_official, is_operator
from oasis.admin_utils import WaitingFirstFilter, dday_cell
from oasis.errors import ServiceError

from . import editing_rules
from .admin_forms import (
    TARGET_FIELDS,
    AttachmentForm,
    PollForm,
    QuestionForm,
    QuestionFormSet,
)
from .admin_screens import close_view, preview_view, publish_view
from .models import Poll, PollAttachment, PollKind, PollStatus, Question
from .services import editing
from .staff_home import CLOSING_SOON_DAYS


class PollStateFilter(WaitingFirstFilter):
    """Where each poll stands; opened on the work: drafts, open polls and
    closed ones still waiting for their department's response."""

    title = _("state")
    parameter_name = "state"
    default_label = _("Drafts, open, or response due")
    default_note = _(
        "This list shows drafts, polls still open and closed polls waiting for the "
        "department's response."
    )

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Drafts")),
            ("open", _("Published")),
            ("closing", _("Closing within three days")),
            ("response_due", _("Closed, response due")),
            ("closed", _("Closed")),
        ]

    def waiting(self, queryset):
        return queryset.filter(
            Q(status__in=[PollStatus.DRAFT, PollStatus.PUBLISHED])
            | Q(status=PollStatus.CLOSED, response_published_at__isnull=True)
        )

    def narrow(self, queryset, value):
        now = timezone.now()
        return {
            "draft": lambda: queryset.filter(status=PollStatus.DRAFT),
            "open": lambda: queryset.filter(status=PollStatus.PUBLISHED),
            "closing": lambda: queryset.filter(
                status=PollStatus.PUBLISHED,
                ends_at__gt=now,
                ends_at__lte=now + dt.timedelta(days=CLOSING_SOON_DAYS),
            ),
            "response_due": lambda: queryset.filter(
                status=PollStatus.CLOSED, response_published_at__isnull=True
            ),
            "closed": lambda: queryset.filter(status=PollStatus.CLOSED),
        }.get(value, lambda: queryset)()


class _PollPartInline:
    """An inline of the poll (`obj`): editable by those who may edit that
    poll, shown to the department read-only."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return obj is None or rules.has_perm("polls.see_poll_admin", request.user, obj)

    def has_add_permission(self, request, obj=None):
        return rules.has_perm("polls.edit_poll", request.user, obj)

    def has_change_permission(self, request, obj=None):
        return rules.has_perm("polls.edit_poll", request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return rules.has_perm("polls.edit_poll", request.user, obj)


class AttachmentInline(_PollPartInline, admin.TabularInline):
    model = PollAttachment
    form = AttachmentForm
    fields = ["kind", "file", "title", "position"]
    verbose_name = _("image or file")
    verbose_name_plural = _("Background material: images and files")

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if rules.has_perm("polls.edit_poll", request.user, obj) else 0


class QuestionInline(_PollPartInline, admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    verbose_name_plural = _("Questions and choices")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")

    def _locked(self, request, obj) -> bool:
        if obj is None:
            return False
        if request.method == "POST":
            # The page was rendered editable when it carries the questions'
            # words; the formset's clean refuses the change with its reason
            # if votes came in meanwhile (nothing silently dropped).
            return not any(
                key.startswith("questions-") and key.endswith("-text") for key in request.POST
            )
        return editing_rules.questions_refusal(obj) is not None

    def get_fields(self, request, obj=None):
        choices = "choice_list" if self._read_only(request, obj) else "choices_text"
        if obj is not None and obj.kind == PollKind.YES_NO:
            return ["text", choices]
        if obj is not None and obj.kind == PollKind.DISCUSSION:
            return ["text"]
        return ["text", "kind", "max_choices", "required", choices]

    def _read_only(self, request, obj) -> bool:
        return self._locked(request, obj) or not rules.has_perm(
            "polls.edit_poll", request.user, obj
        )

    def get_readonly_fields(self, request, obj=None):
        if self._read_only(request, obj):
            return ["text", "kind", "max_choices", "required", "choice_list"]
        return []

    def get_max_num(self, request, obj=None, **kwargs):
        if obj is not None and obj.kind in (PollKind.YES_NO, PollKind.DISCUSSION, PollKind.CHOICE):
            return 1
        return None

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None or self._locked(request, obj):
            return 0
        if obj.kind == PollKind.SURVEY or not obj.questions.exists():
            return 1
        return 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._locked(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.kind != PollKind.SURVEY:
            return False
        return super().has_delete_permission(request, obj) and not self._locked(request, obj)

    @admin.display(description=_("choices"))
    def choice_list(self, question):
        return " · ".join(choice.label for choice in question.choices.all()) or "—"


@admin.register(Poll)
class PollAdmin(InstitutionScopedAdminMixin, admin.ModelAdmin):
    form = PollForm
    change_form_template = "admin/polls/poll/change_form.html"
    list_display = ["title", "kind", "status", "department", "period", "dday", "voter_count"]
    list_filter = [PollStateFilter, "kind", "department"]
    list_select_related = ["department"]
    search_fields = ["title"]
    search_help_text = _("The poll's title.")
    list_per_page = 50
    ordering = ["-starts_at", "-id"]
    inlines = [AttachmentInline, QuestionInline]

    # --- who sees what ---------------------------------------------------------

    def get_queryset(self, request):
        return editing_rules.polls_seen_in_admin(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return (
            is_operator(request.user)
            or is_official(request.user)
            or is_institution_admin(request.user)
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return rules.has_perm("polls.see_poll_admin", request.user, obj)

    def has_add_permission(self, request):
        return rules.has_perm("polls.edit_poll", request.user)

    def has_change_permission(self, request, obj=None):
        return rules.has_perm("polls.edit_poll", request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Only a draft nobody voted in; a published poll is closed instead.
        if not rules.has_perm("polls.edit_poll", request.user, obj):
            return False
        return obj is None or (obj.status == PollStatus.DRAFT and obj.voter_count == 0)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        own = None if is_operator(request.user) else staff_institution_id(request.user)
        if own is None:
            return form
        # An institution's administrator: the poll is their institution's,
        # shown and not chosen (polls.admin_forms.PollForm).
        return type(form.__name__, (form,), {"own_institution_id": own})

    def get_actions(self, request):
        # Deleting goes through the service, one poll at a time (a draft only).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        editing.poll_delete(poll=obj, actor=request.user)

    # --- the form ----------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        first = ["title", "summary", "background", "department", "institution"]
        first = (["kind"] if obj is None else ["kind_shown"]) + first
        fieldsets = [
            (None, {"fields": first}),
            (_("Period"), {"fields": ["starts_at", "ends_at"]}),
            (
                _("Who may vote"),
                {
                    "fields": [
                        f"{name}_shown" if name in self._fixed_targets(obj) else name
                        for name in ("target_districts", "target_age_bands", "target_genders")
                    ],
                    "description": _(
                        "Leave these empty for a poll every member may vote in. Members are "
                        "asked for what a poll needs, with its purpose, and only items they "
                        "consented to are read."
                    ),
                },
            ),
            (_("Settings"), {"fields": ["results_shown", "allow_vote_change"]}),
        ]
        if obj is not None:
            fieldsets.append(
                (
                    _("State"),
                    {"fields": ["status", "published_at", "closed_at", "voter_count"]},
                )
            )
        return fieldsets

    def _fixed_targets(self, obj) -> list[str]:
        """Who may vote is fixed once somebody voted, and once it closed."""
        if obj is not None and (obj.status == PollStatus.CLOSED or editing_rules.has_votes(obj)):
            return ["target_districts", "target_age_bands", "target_genders"]
        return []

    def get_readonly_fields(self, request, obj=None):
        fields = ["status", "published_at", "closed_at", "voter_count", "kind_shown"]
        fields += [f"{name}_shown" for name in TARGET_FIELDS]
        if obj is not None and obj.status == PollStatus.CLOSED:
            fields += ["starts_at", "ends_at", "results_shown", "allow_vote_change"]
        if self._fixed_targets(obj):
            fields += [*self._fixed_targets(obj), "allow_vote_change"]
        return list(dict.fromkeys(fields))

    @admin.display(description=_("type"))
    def kind_shown(self, poll):
        return poll.get_kind_display()

    def _targets_shown(self, poll, field):
        choices, _label = TARGET_FIELDS[field]
        names = dict(choices.choices)
        shown = [str(names.get(value, value)) for value in getattr(poll, field)]
        return ", ".join(shown) or gettext("Everyone")

    @admin.display(description=_("Districts"))
    def target_districts_shown(self, poll):
        return self._targets_shown(poll, "target_districts")

    @admin.display(description=_("Age bands"))
    def target_age_bands_shown(self, poll):
        return self._targets_shown(poll, "target_age_bands")

    @admin.display(description=_("Genders"))
    def target_genders_shown(self, poll):
        return self._targets_shown(poll, "target_genders")

    def get_inline_instances(self, request, obj=None):
        # A new poll is saved first (its type decides its questions' shape);
        # its questions and material are written on the page that follows.
        return [] if obj is None else super().get_inline_instances(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as exc:
            # The admin's transaction was rolled back: nothing was written.
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                preview_url=reverse("admin:polls_poll_preview", args=[obj.pk]),
                publish_url=reverse("admin:polls_poll_publish", args=[obj.pk])
                if obj.status == PollStatus.DRAFT
                and rules.has_perm("polls.publish_poll", request.user, obj)
                else "",
                close_url=reverse("admin:polls_poll_close", args=[obj.pk])
                if obj.status == PollStatus.PUBLISHED
                and rules.has_perm("polls.close_poll", request.user, obj)
                else "",
                locked_note=editing_rules.questions_refusal(obj) or "",
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- saving through the services ---------------------------------------------

    def save_model(self, request, obj, form, change):
        changes = form.changes()
        if not change:
            created = editing.poll_create(
                actor=request.user, kind=form.cleaned_data["kind"], **changes
            )
            obj.pk, obj.id = created.pk, created.pk
            obj._state.adding = False
            return
        editing.poll_update(poll=Poll(pk=obj.pk), actor=request.user, changes=changes)

    def save_related(self, request, form, formsets, change):
        # The poll's own relations are its inlines; nothing else to save.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is PollAttachment:
            self._save_attachments(request, form, formset)
        elif formset.model is Question and formset.has_any_change():
            drafts = []
            for item in formset.forms:
                if item.instance.pk is None and not item.has_changed():
                    continue
                delete = formset._should_delete_form(item)
                if item.instance.pk is None and delete:
                    continue
                data = item.cleaned_data
                drafts.append(
                    editing.QuestionDraft(
                        pk=item.instance.pk,
                        text=data.get("text") or "",
                        kind=data.get("kind") or item.instance.kind,
                        max_choices=data.get("max_choices") or 1,
                        required=data.get("required", item.instance.required),
                        labels=item.labels(),
                        delete=delete,
                    )
                )
            editing.questions_save(poll=form.instance, actor=request.user, questions=drafts)

    def _save_attachments(self, request, form, formset):
        for item in formset.forms:
            if item.instance.pk is None:
                if item.has_changed() and not formset._should_delete_form(item):
                    formset.new_objects.append(
                        editing.attachment_add(
                            poll=form.instance,
                            actor=request.user,
                            kind=item.cleaned_data["kind"],
                            upload=item.cleaned_data["file"],
                            title=item.cleaned_data["title"],
                            position=item.cleaned_data.get("position") or 0,
                        )
                    )
            elif formset._should_delete_form(item):
                editing.attachment_remove(attachment=item.instance, actor=request.user)
                formset.deleted_objects.append(item.instance)
            elif item.has_changed():
                editing.attachment_describe(
                    attachment=item.instance,
                    actor=request.user,
                    title=item.cleaned_data["title"],
                    position=item.cleaned_data.get("position") or 0,
                )
                formset.changed_objects.append((item.instance, item.changed_data))

    def response_add(self, request, obj, post_url_continue=None):
        # The questions are written on the next page: always continue there.
        messages.info(
            request, gettext("Now write the poll's questions and add its background material.")
        )
        return HttpResponseRedirect(reverse("admin:polls_poll_change", args=[obj.pk]))

    # --- the list -----------------------------------------------------------------

    @admin.display(description=_("period"), ordering="starts_at")
    def period(self, poll):
        return format_html(
            "{} ~ {}",
            timezone.localtime(poll.starts_at).strftime("%Y-%m-%d"),
            timezone.localtime(poll.ends_at).strftime("%Y-%m-%d"),
        )

    @admin.display(description=_("D-day"), ordering="ends_at")
    def dday(self, poll):
        if poll.status == PollStatus.CLOSED:
            return dday_cell(None, finished=gettext("Closed"))
        if poll.status == PollStatus.DRAFT:
            return dday_cell(None, finished=gettext("Draft"))
        return dday_cell(poll.ends_at)

    # --- the poll's own screens -----------------------------------------------------

    def get_urls(self):
        def screen(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            path("<path:object_id>/preview/", screen(preview_view), name="polls_poll_preview"),
            path("<path:object_id>/publish/", screen(publish_view), name="polls_poll_publish"),
            path("<path:object_id>/close/", screen(close_view), name="polls_poll_close"),
            *super().get_urls(),
        ]


# The other parts' screens: hiding discussion arguments, and the results
# with the department's response.
from .admin_arguments import PollArgumentAdmin  # noqa: E402
from .models import PollArgument  # noqa: E402
from .response_admin import register as register_results_screen  # noqa: E402

admin.site.register(PollArgument, PollArgumentAdmin)
register_results_screen(admin.site)
