"""Management cards in the admin.

Cards are opened only by the meeting's adoption
(tracking.services.management_card_open), so they are never added or deleted
here. Officials see and change their own department's cards, the operator all
of them, the mayor's office sees all. Nothing is written by the admin itself:
the change form's budget and target date go through services.card_update, the
stage and the responsible official through actions that ask for a note and
call services.card_change_stage / card_handoff. Cards nobody carries (no
responsible official, or a deactivated one) come first for the operator,
with a warning.

The screens live beside this file: card_screens.py (card actions,
attachments, report submission), dashboard.py (the operator's dashboard),
spreadsheets.py (import and export); who may do what is asked of rules.py."""

from functools import partial

import rules
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.institutions import InstitutionScopedAdminMixin
from oasis.admin_utils import ReadOnlyMixin, dday_cell, pk_or_404, waiting_first_choice_filter

from . import rules as card_rules
from . import selectors, services
from .card_flags import (
    OPEN_REPORT_DUE,
    ReportFilter,
    falls_to_text,
    owner_left_text,
    report_due_html,
)
from .card_page import (
    card_page_context,
    change_owner_view,
    change_stage_view,
    write_report_view,
)
from .card_screens import (
    CardAttachmentForm,
    change_stage,
    hand_off,
    report_submit_form,
    report_submitted,
    save_attachments,
    submit_report,
)
from .dashboard import dashboard_view, warn_of_ownerless_cards
from .forms import ProgressReportForm
from .models import (
    CardAttachment,
    CardEvent,
    CardStage,
    ManagementCard,
    ProgressReport,
    ReportStatus,
)
from .resources import CardResource, ProgressReportResource, official_name
from .spreadsheets import CardImportMixin, ScopedExportMixin

EDITABLE = list(services.EDITABLE_FIELDS)


class CardEventInline(ReadOnlyMixin, admin.TabularInline):
    """Every change to the card, public and internal rows alike."""

    model = CardEvent
    template = "tracking/admin/history_inline.html"
    fields = [
        "created_at",
        "kind",
        "by",
        "from_stage",
        "to_stage",
        "from_name",
        "to_name",
        "text",
        "is_public",
    ]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    # The system's words in the reader's language, then the person's note.
    @admin.display(description=_("note"))
    def text(self, event):
        return event.text

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "from_official", "to_official")

    # Staff read colleagues' names here, not the masked public ones.
    @admin.display(description=_("by"))
    def by(self, event):
        return official_name(event.actor) or "—"

    @admin.display(description=_("from official"))
    def from_name(self, event):
        return official_name(event.from_official) or "—"

    @admin.display(description=_("to official"))
    def to_name(self, event):
        return official_name(event.to_official) or "—"


class CardAttachmentInline(admin.StackedInline):
    """Photos and documents of the card, with those sent with progress
    reports: added and removed here (through the services), never changed;
    officials only on their own department's cards. Stacked, so each input
    has its own label (a table gives only column headers)."""

    model = CardAttachment
    form = CardAttachmentForm
    fields = ["title", "photo", "document", "report", "uploaded_by", "created_at"]
    readonly_fields = ["report", "uploaded_by", "created_at"]
    extra = 1
    # The file itself is linked from its own field; Django's "view on site"
    # in each heading would be a second link, told apart by colour only.
    view_on_site = False

    def has_view_permission(self, request, obj=None):
        return rules.has_perm("tracking.see_card", request.user, obj) if obj else True

    def has_add_permission(self, request, obj=None):
        return obj is not None and rules.has_perm("tracking.change_card", request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Removed through services.card_detach (save_formset), which keeps a
        # history row of what went.
        return obj is not None and rules.has_perm("tracking.change_card", request.user, obj)

    # A new row's `photo` and `document` are the form's upload fields; an
    # existing (read-only) row shows its file under the same names.
    @admin.display(description=_("photo"))
    def photo(self, item):
        if item.pk is None or not item.is_photo:
            return "—"
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" style="max-height:60px"></a>',
            item.get_absolute_url(),
            item.get_thumbnail_url(),
            item.title,
        )

    @admin.display(description=_("document"))
    def document(self, item):
        if item.pk is None or item.is_photo:
            return "—"
        return format_html('<a href="{}">{}</a>', item.get_absolute_url(), item.original_name)


# The lists open on the work still to do; done work is one click away.
OpenCardsFilter = waiting_first_choice_filter(
    "stage",
    [stage for stage in CardStage.values if stage != CardStage.COMPLETED],
    title=_("stage"),
    default_label=_("Not completed"),
    default_note=_("This list shows the items not completed yet."),
)
RequestedReportsFilter = waiting_first_choice_filter(
    "status",
    [ReportStatus.REQUESTED],
    title=_("status"),
    default_label=_("Requested"),
    default_note=_(
        "This list shows the reports requested and not yet submitted, the earliest due first."
    ),
)


@admin.register(ManagementCard)
class ManagementCardAdmin(
    InstitutionScopedAdminMixin, CardImportMixin, ScopedExportMixin, admin.ModelAdmin
):
    institution_field = "proposal__institution"
    # The title and its target date first: on a phone they are what is read.
    list_display = [
        "proposal",
        "dday",
        "target_date",
        "report_due",
        "stage",
        "owner",
        "department",
        "kind",
        "meeting",
        "created_at",
    ]
    list_filter = [OpenCardsFilter, ReportFilter, "kind", "department"]
    list_select_related = [
        "proposal",
        "department__head",
        "responsible_official",
        "agenda_item__meeting",
    ]
    search_fields = ["proposal__title"]
    actions = [change_stage, hand_off]
    inlines = [CardAttachmentInline, CardEventInline]
    change_list_template = "tracking/admin/card_change_list.html"
    # Django's (import-export's) change form after the card's work: card_page.py.
    change_form_template = "tracking/admin/card_change_form.html"
    import_export_change_list_template = (
        "admin/tracking/managementcard/change_list_import_export.html"
    )
    # Export: CardResource; import: CardUpdateResource (stage and progress
    # updates through the services, previewed before anything is written).
    resource_classes = [CardResource]
    export_file_stem = "oasis-adopted-items"
    fields = [
        "proposal_link",
        "kind",
        "meeting",
        "answer_link",
        "department",
        "owner",
        "stage",
        "suspended_reason",
        "stage_changed_at",
        "percent_complete",
        "conditions",
        *EDITABLE,
        "created_at",
        "updated_at",
    ]

    def get_list_filter(self, request):
        # An official sees one department: no department filter to offer.
        if not rules.has_perm("tracking.see_all_cards", request.user):
            return [OpenCardsFilter, ReportFilter, "kind"]
        return self.list_filter

    def get_queryset(self, request):
        # The due date of the open report request, for its flag and filter.
        queryset = selectors.cards_visible_to(request.user).annotate(
            open_report_due=OPEN_REPORT_DUE
        )
        # Whether each row's owner can carry it and, if not, whether it falls
        # to a usable head (the "owner" column), in the list's one query.
        return queryset.with_owner_state()

    def get_ordering(self, request):
        if card_rules.hands_off_some_cards(request.user):
            # Cards nobody carries first: the operator (or the department
            # head) must hand them over.
            return ["owner_usable", "-created_at", "-id"]
        return super().get_ordering(request)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and rules.has_perm("tracking.change_card", request.user, obj):
            return [field for field in self.fields if field not in EDITABLE]
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or rules.has_perm("tracking.change_card", request.user, obj)

    def has_handoff_permission(self, request):
        # The action is offered to those who may hand over some card; the
        # service checks each selected card (a head: their department's).
        return card_rules.hands_off_some_cards(request.user)

    def get_object(self, request, object_id, from_field=None):
        """A card outside the user's department is refused (403), not
        quietly redirected: the URL names a card that exists."""
        obj = super().get_object(request, object_id, from_field)
        if (
            obj is None
            and ManagementCard.objects.filter(pk=pk_or_404(ManagementCard, object_id)).exists()
        ):
            raise PermissionDenied
        return obj

    def save_model(self, request, obj, form, change):
        services.card_update(
            card=obj,
            user=request.user,
            **{field: form.cleaned_data.get(field) for field in EDITABLE},
        )

    def get_inline_instances(self, request, obj=None):
        # A POST without the attachments' management form (a script, an older
        # page) still saves the card: the upload inline is simply not part of it.
        inlines = super().get_inline_instances(request, obj)
        if request.method == "POST" and "attachments-TOTAL_FORMS" not in request.POST:
            inlines = [i for i in inlines if not isinstance(i, CardAttachmentInline)]
        return inlines

    def save_formset(self, request, form, formset, change):
        if formset.model is not CardAttachment:
            return super().save_formset(request, form, formset, change)
        save_attachments(request, form, formset)
        return None

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            path(
                "dashboard/",
                view(dashboard_view),
                name="tracking_managementcard_dashboard",
            ),
            # The card page's work (card_page.py), each form on a page of its own.
            path(
                "<path:object_id>/stage/",
                view(change_stage_view),
                name="tracking_managementcard_stage",
            ),
            path(
                "<path:object_id>/owner/",
                view(change_owner_view),
                name="tracking_managementcard_owner",
            ),
            path(
                "<path:object_id>/report/",
                view(write_report_view),
                name="tracking_managementcard_report",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        card = self.get_object(request, unquote(object_id))
        if card is not None:
            extra_context = {**(extra_context or {}), **card_page_context(request, card)}
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_dashboard_link": rules.has_perm("tracking.see_dashboard", request.user),
        }
        warn_of_ownerless_cards(request)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("responsible official"), ordering="responsible_official")
    def owner(self, card):
        official = card.responsible_official
        usable = getattr(card, "owner_usable", None)
        if usable is None:  # the change page: no list annotation
            usable = not ManagementCard.objects.without_usable_owner().filter(pk=card.pk).exists()
        if not usable:
            return format_html(
                '<strong class="errornote card-flag">⚠ {} · {}</strong>',
                gettext("No owner") if official is None else owner_left_text(card),
                falls_to_text(card),
            )
        # Staff know their colleagues by name, not by the masked public one.
        return official_name(official)

    @admin.display(description=_("progress report"), ordering="open_report_due")
    def report_due(self, card):
        return report_due_html(card.open_report_due, stage=card.stage)

    @admin.display(description=_("D-day"), ordering="target_date")
    def dday(self, card):
        if card.stage == CardStage.COMPLETED:
            return dday_cell(None, finished=card.get_stage_display())
        return dday_cell(card.target_date)

    @admin.display(description=_("proposal"))
    def proposal_link(self, card):
        return format_html(
            '<a href="{}">#{} {}</a>',
            reverse("admin:proposals_proposal_change", args=[card.proposal_id]),
            card.proposal_id,
            card.proposal.title,
        )

    @admin.display(description=_("meeting"), ordering="agenda_item__meeting__scheduled_at")
    def meeting(self, card):
        # A department promise no meeting has adopted (yet) has none.
        if card.agenda_item_id is None:
            return "—"
        return card.agenda_item.meeting.title

    @admin.display(description=_("department's answer"))
    def answer_link(self, card):
        """The answer that opened a promise card (kept once a meeting adopts it)."""
        if card.answer_id is None:
            return "—"
        return format_html(
            '<a href="{}">{} · {}</a>',
            reverse("admin:answers_answer_change", args=[card.answer_id]),
            card.answer.get_decision_display(),
            card.answer.published_at.date() if card.answer.published_at else "",
        )


@admin.register(ProgressReport)
class ProgressReportAdmin(InstitutionScopedAdminMixin, ScopedExportMixin, admin.ModelAdmin):
    """Bimonthly progress reports. They are requested by the schedule, never
    added or deleted here. An official submits their own department's
    requested reports (the change form calls services.report_submit); a
    submitted report is read-only. The operator sees all of them."""

    institution_field = "card__proposal__institution"

    form = ProgressReportForm
    resource_classes = [ProgressReportResource]
    export_file_stem = "oasis-progress-reports"
    list_display = [
        "report_label",
        "dday",
        "due_date",
        "status",
        "department",
        "period",
        "requested_at",
        "submitted_at",
        "percent_complete",
    ]
    list_filter = [RequestedReportsFilter, "card__department"]
    list_select_related = ["card__proposal", "card__department"]
    search_fields = ["card__proposal__title"]
    ordering = ["due_date", "id"]
    EDIT = ["done", "stage", "percent_complete", "spent_budget", "next_steps"]
    INFO = [
        "card",
        "period",
        "status",
        "requested_at",
        "due_date",
        "submitted_at",
        "author",
        "reminded_at",
        "escalated_at",
    ]
    fields = INFO + EDIT

    def get_queryset(self, request):
        return (
            selectors.reports_visible_to(request.user)
            .select_related("card__proposal")
            .prefetch_related("photos")
        )

    def get_fields(self, request, obj=None):
        # A requested report takes new photos; a submitted one shows its own.
        if self._can_submit(request, obj):
            return [*self.INFO, *self.EDIT, "photos"]
        return [*self.INFO, *self.EDIT, "photo_previews"]

    @admin.display(description=_("Photos"))
    def photo_previews(self, report):
        photos = list(report.photos.all()) if report.pk else []
        if not photos:
            return "—"
        return format_html_join(
            " ",
            '<a href="{}"><img src="{}" alt="{}" style="max-height:80px"></a>',
            (
                (photo.get_absolute_url(), photo.get_thumbnail_url(), photo.title)
                for photo in photos
            ),
        )

    @admin.display(description=_("progress report"), ordering="card__proposal__title")
    def report_label(self, report):
        # The period in the link text, so a card's reports differ in the list.
        return str(report)

    def get_list_filter(self, request):
        # An official sees one department: no department filter to offer.
        if not rules.has_perm("tracking.see_all_cards", request.user):
            return [RequestedReportsFilter]
        return self.list_filter

    @admin.display(description=_("D-day"), ordering="due_date")
    def dday(self, report):
        if report.is_submitted:
            return dday_cell(None, finished=report.get_status_display())
        return dday_cell(report.due_date)

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST or not obj.is_submitted:
            return super().response_change(request, obj)
        return report_submitted(self, request, obj)

    @admin.display(description=_("responsible department"), ordering="card__department__name")
    def department(self, report):
        return report.card.department

    def _can_submit(self, request, obj):
        return obj is not None and rules.has_perm("tracking.submit_report", request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        if self._can_submit(request, obj):
            return self.INFO
        return [*self.INFO, *self.EDIT, "photo_previews"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._can_submit(request, obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if (
            obj is None
            and ProgressReport.objects.filter(pk=pk_or_404(ProgressReport, object_id)).exists()
        ):
            raise PermissionDenied
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        return report_submit_form(super().get_form(request, obj, change, **kwargs))

    def save_model(self, request, obj, form, change):
        submit_report(request, obj, form)
