"""Management cards in the admin.

Cards are opened only by the meeting's adoption
(tracking.services.management_card_open), so they are never added or deleted
here. Officials see and change their own department's cards, the operator all
of them, the mayor's office sees all. Nothing is written by the admin itself:
the change form's budget and target date go through services.card_update, the
stage and the responsible official through actions that ask for a note and
call services.card_change_stage / card_handoff. Cards nobody carries (no
responsible official, or a deactivated one) come first for the operator,
with a warning."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import SelectableFieldsExportForm

from accounts.selectors import user_is_official, user_is_operator
from oasis.admin_utils import ReadOnlyInlineMixin, ask_then_apply
from oasis.errors import ServiceError
from proposals.resources import ExcelFriendlyCSV

from . import rules as card_rules
from . import selectors, services
from .forms import HandoffForm, ProgressReportForm, StageChangeForm
from .models import (
    STAGE_TRANSITIONS,
    CardAttachment,
    CardEvent,
    ManagementCard,
    ProgressReport,
)
from .resources import CardResource, CardUpdateResource, ProgressReportResource, official_name

# CSV files from Korean Windows Excel are often CP949, not UTF-8.
IMPORT_ENCODINGS = ("utf-8-sig", "cp949")


class ColumnNamedExportForm(SelectableFieldsExportForm):
    """The export's field choices named as their columns are (translated),
    not "Field Name (column name)" with the English attribute name."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field else super()._get_field_label(resource, field_name)


class ScopedExportMixin(ExportActionMixin):
    """django-import-export export (CSV with a BOM, and Excel) of the
    admin's own queryset, so an official exports only their department's
    rows."""

    export_formats = [ExcelFriendlyCSV, XLSX]
    export_form_class = ColumnNamedExportForm
    show_change_form_export = False

    # Export file names: plain ASCII (a Korean name does not survive every
    # browser's Content-Disposition handling), but saying what is inside.
    export_file_stem = "oasis"

    def get_export_filename(self, request, queryset, file_format):
        day = timezone.localdate().isoformat()
        return f"{self.export_file_stem}-{day}.{file_format.get_extension()}"

    def get_valid_export_item_pks(self, request):
        # Called by django-import-export 4.4 when exporting the selection of the
        # "export" action; the base version is deprecated and warns.
        return self.get_queryset(request).values_list("pk", flat=True)


def to_utf8(data: bytes) -> bytes:
    """The uploaded text file re-encoded as UTF-8: read as UTF-8 (with or
    without a BOM), else as CP949. Undecodable bytes are left as they are,
    so the import form reports the file as unreadable."""
    for encoding in IMPORT_ENCODINGS:
        try:
            return data.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return data


EDITABLE = list(services.EDITABLE_FIELDS)


def _with_note(modeladmin, request, queryset, *, form, call, done, **page):
    """A card action's intermediate page: `form` (with the note) for the
    selected cards, then `call(card, cleaned_data)` for each."""
    return ask_then_apply(
        modeladmin,
        request,
        queryset,
        form=form,
        error_message=gettext("Please correct the form. Nothing has been changed."),
        call=call,
        done=done,
        template="tracking/admin/card_action.html",
        **page,
    )


@admin.action(
    description=_("Change the stage of selected cards (asks for a note)"), permissions=["change"]
)
def change_stage(modeladmin, request, queryset):
    return _with_note(
        modeladmin,
        request,
        queryset,
        action="change_stage",
        form=StageChangeForm(
            request.POST if "apply" in request.POST else None,
            # One card: offer only where it can go; several: every stage,
            # and a card that cannot go there is skipped with its reason.
            stages=STAGE_TRANSITIONS[queryset[0].stage] if len(queryset) == 1 else None,
        ),
        title=_("Change the stage"),
        intro=_(
            "Stages go review → planning → in progress → completed. Any stage before "
            "completion may be suspended with a reason; a suspended item resumes at "
            "planning. Completed is final."
        ),
        submit_label=_("Change the stage"),
        call=lambda card, data: services.card_change_stage(
            card=card, user=request.user, to_stage=data["to_stage"], note=data["note"]
        ),
        done=ngettext_lazy(
            "%(count)d card changed stage.", "%(count)d cards changed stage.", "count"
        ),
    )


@admin.action(
    description=_("Hand selected cards to another official (asks for a note)"),
    permissions=["handoff"],
)
def hand_off(modeladmin, request, queryset):
    departments = {card.department_id for card in queryset}
    owners = {card.responsible_official_id for card in queryset}
    return _with_note(
        modeladmin,
        request,
        queryset,
        action="hand_off",
        form=HandoffForm(
            request.POST if "apply" in request.POST else None,
            departments=departments,
            # The one current owner of the selected cards is no choice.
            exclude=owners if len(owners) == 1 else (),
        ),
        title=_("Hand cards to another official"),
        intro=_(
            "The new official must be an active official of the card's department. "
            "The card keeps its whole history; both officials and the operators are told."
        ),
        submit_label=_("Hand over"),
        call=lambda card, data: services.card_handoff(
            card=card, user=request.user, to_official=data["to_official"], note=data["note"]
        ),
        done=ngettext_lazy(
            "%(count)d card was handed over.", "%(count)d cards were handed over.", "count"
        ),
    )


class CardEventInline(ReadOnlyInlineMixin, admin.TabularInline):
    """Every change to the card, public and internal rows alike."""

    model = CardEvent
    fields = [
        "created_at",
        "kind",
        "by",
        "from_stage",
        "to_stage",
        "from_name",
        "to_name",
        "note",
        "is_public",
    ]
    readonly_fields = fields
    ordering = ["created_at", "id"]

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


class CardAttachmentForm(forms.ModelForm):
    """A new photo or document; checked here (to show the reason on the
    form) and stored by services.card_attach in save_formset."""

    photo = forms.FileField(label=_("photo"), required=False)
    document = forms.FileField(label=_("document"), required=False)

    class Meta:
        model = CardAttachment
        fields = ["title"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                services.card_attachment_check(
                    title=cleaned.get("title", ""),
                    photo=cleaned.get("photo"),
                    document=cleaned.get("document"),
                )
            except ValidationError as exc:
                raise ValidationError(exc.message_dict.get("__all__") or exc.messages) from None
        return cleaned


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

    def has_view_permission(self, request, obj=None):
        return card_rules.can_see_card_in_admin(request.user, obj) if obj else True

    def has_add_permission(self, request, obj=None):
        return obj is not None and card_rules.can_change_card(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Removed through services.card_detach (save_formset), which keeps a
        # history row of what went.
        return obj is not None and card_rules.can_change_card(request.user, obj)

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


@admin.register(ManagementCard)
class ManagementCardAdmin(ImportMixin, ScopedExportMixin, admin.ModelAdmin):
    list_display = [
        "proposal",
        "department",
        "owner",
        "stage",
        "target_date",
        "meeting",
        "created_at",
    ]
    list_filter = ["stage", "department"]
    list_select_related = ["proposal", "department", "responsible_official", "agenda_item__meeting"]
    search_fields = ["proposal__title"]
    actions = [change_stage, hand_off]
    inlines = [CardAttachmentInline, CardEventInline]
    change_list_template = "tracking/admin/card_change_list.html"
    import_export_change_list_template = (
        "admin/tracking/managementcard/change_list_import_export.html"
    )
    # Export: CardResource; import: CardUpdateResource (stage and progress
    # updates through the services, previewed before anything is written).
    resource_classes = [CardResource]
    export_file_stem = "oasis-adopted-items"
    import_formats = [ExcelFriendlyCSV, XLSX]
    from_encoding = "utf-8"
    fields = [
        "proposal_link",
        "meeting",
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
        if user_is_official(request.user) and not user_is_operator(request.user):
            return ["stage"]
        return self.list_filter

    def get_queryset(self, request):
        queryset = selectors.cards_visible_to(request.user)
        if card_rules.hands_off_some_cards(request.user):
            # Cards nobody carries first: the operator (or the department
            # head) must hand them over.
            queryset = queryset.annotate(
                is_ownerless=Case(
                    When(selectors.OWNERLESS, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        return queryset

    def get_ordering(self, request):
        if card_rules.hands_off_some_cards(request.user):
            return ["-is_ownerless", "-created_at", "-id"]
        return super().get_ordering(request)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and card_rules.can_change_card(request.user, obj):
            return [field for field in self.fields if field not in EDITABLE]
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or card_rules.can_change_card(request.user, obj)

    def has_handoff_permission(self, request):
        # The action is offered to those who may hand over some card; the
        # service checks each selected card (a head: their department's).
        return card_rules.hands_off_some_cards(request.user)

    def get_object(self, request, object_id, from_field=None):
        """A card outside the user's department is refused (403), not
        quietly redirected: the URL names a card that exists."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None and ManagementCard.objects.filter(pk=object_id).exists():
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
        # Read by the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for item_form in formset.deleted_forms:
            if item_form.instance.pk is None:
                continue
            try:
                services.card_detach(attachment=item_form.instance, user=request.user)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                formset.deleted_objects.append(item_form.instance)
        for item_form in formset.extra_forms:
            if not item_form.has_changed() or item_form.instance.pk is not None:
                continue
            try:
                item = services.card_attach(
                    card=form.instance,
                    user=request.user,
                    title=item_form.cleaned_data.get("title", ""),
                    photo=item_form.cleaned_data.get("photo"),
                    document=item_form.cleaned_data.get("document"),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                formset.new_objects.append(item)
        return None

    # --- import (django-import-export) ----------------------------------------

    def get_import_resource_classes(self, request):
        return [CardUpdateResource]

    def get_export_resource_classes(self, request):
        return [CardResource]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request):
        # The operator and officials; not the mayor's office (view only).
        return super().has_import_permission(request) and (
            user_is_operator(request.user) or user_is_official(request.user)
        )

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # A row refused on confirm (e.g. changed since the preview) rolls
        # the whole import back, not only rows with exceptions.
        kwargs["rollback_on_validation_errors"] = True
        kwargs["use_transactions"] = True
        return kwargs

    def write_to_tmp_storage(self, import_file, input_format):
        """As django-import-export's, but a text file is stored as UTF-8
        whatever it came in (UTF-8 or CP949); preview and confirm both read
        the stored copy with from_encoding = utf-8."""
        data = b"".join(import_file.chunks())
        if not input_format.is_binary():
            data = to_utf8(data)
        tmp_storage = self.get_tmp_storage_class()(
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        tmp_storage.save(data)
        return tmp_storage

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rolled back by import_data: say so instead of "import finished".
            self.message_user(
                request,
                gettext(
                    "Nothing was imported: some rows were refused. "
                    "Please import the file again to see why."
                ),
                messages.ERROR,
            )
            return redirect(
                reverse("admin:tracking_managementcard_import", current_app=self.admin_site.name)
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        # import-export's own message is not translated into Korean.
        updated, unchanged = result.totals["update"], result.totals["skip"]
        message = ngettext(
            "Import finished: %(count)d card updated.",
            "Import finished: %(count)d cards updated.",
            updated,
        ) % {"count": updated}
        if unchanged:
            message += " " + ngettext(
                "%(count)d row had no changes.", "%(count)d rows had no changes.", unchanged
            ) % {"count": unchanged}
        messages.success(request, message)

    def generate_log_entries(self, result, request):
        # The card history (CardEvent) is the record; no admin LogEntry rows.
        return None

    def get_urls(self):
        return [
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="tracking_managementcard_dashboard",
            ),
            *super().get_urls(),
        ]

    def dashboard_view(self, request):
        """The operator's summary per department, and the cards nobody carries."""
        if not user_is_operator(request.user):
            raise PermissionDenied
        rows = selectors.dashboard_by_department()
        totals = {
            key: sum(row[key] for row in rows)
            for key in ("open", "overdue", "stalled", "completed")
        }
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Adopted items by department"),
            "opts": self.model._meta,
            "rows": rows,
            "totals": totals,
            "ownerless": selectors.cards_without_owner(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "tracking/admin/dashboard.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_dashboard_link": user_is_operator(request.user),
        }
        if card_rules.hands_off_some_cards(request.user) and request.method == "GET":
            ownerless = (
                selectors.cards_without_owner()
                .filter(pk__in=selectors.cards_visible_to(request.user).values("pk"))
                .count()
            )
            if ownerless:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d open card has no active responsible official. Please hand it over.",
                        "%(count)d open cards have no active responsible official. Please hand them over.",
                        ownerless,
                    )
                    % {"count": ownerless},
                )
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("responsible official"), ordering="responsible_official")
    def owner(self, card):
        official = card.responsible_official
        if official is None or not official.is_active:
            return format_html(
                '<strong class="errornote" style="display:inline;padding:2px 6px">⚠ {}</strong>',
                gettext("No owner")
                if official is None
                else gettext("%(name)s (deactivated)") % {"name": official_name(official)},
            )
        # Staff know their colleagues by name, not by the masked public one.
        return official_name(official)

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
        return card.agenda_item.meeting.title


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedExportMixin, admin.ModelAdmin):
    """Bimonthly progress reports. They are requested by the schedule, never
    added or deleted here. An official submits their own department's
    requested reports (the change form calls services.report_submit); a
    submitted report is read-only. The operator sees all of them."""

    form = ProgressReportForm
    resource_classes = [ProgressReportResource]
    export_file_stem = "oasis-progress-reports"
    list_display = [
        "report_label",
        "department",
        "period",
        "status",
        "requested_at",
        "due_date",
        "submitted_at",
        "percent_complete",
    ]
    list_filter = ["status", "card__department"]
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
        if user_is_official(request.user) and not user_is_operator(request.user):
            return ["status"]
        return self.list_filter

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST or not obj.is_submitted:
            return super().response_change(request, obj)
        self.message_user(
            request,
            gettext("Submitted: %(report)s. Thank you.") % {"report": obj},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:tracking_progressreport_changelist"))

    @admin.display(description=_("responsible department"), ordering="card__department__name")
    def department(self, report):
        return report.card.department

    def _can_submit(self, request, obj):
        return (
            obj is not None
            and card_rules.report_refusal(obj, obj.card) is None
            and card_rules.can_change_card(request.user, obj.card)
        )

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
        if obj is None and ProgressReport.objects.filter(pk=object_id).exists():
            raise PermissionDenied
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class SubmitForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if self.errors or self.instance.pk is None:
                    return cleaned
                # Refusals (stage jump, completed card) become form errors,
                # checked here so nothing is written.
                card = self.instance.card
                stage = cleaned.get("stage") or card.stage
                if stage != card.stage and (
                    refusal := card_rules.stage_change_refusal(card, stage)
                ):
                    self.add_error("stage", refusal)
                if refusal := card_rules.report_refusal(self.instance, card):
                    raise forms.ValidationError(refusal)
                try:
                    services.report_photos_check(cleaned.get("photos"))
                except ValidationError as exc:
                    for message in exc.message_dict["photos"]:
                        self.add_error("photos", message)
                return cleaned

        return SubmitForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            services.report_submit(
                report=obj,
                user=request.user,
                done=data.get("done"),
                stage=data.get("stage") or None,
                percent=data.get("percent_complete"),
                spent_budget=data.get("spent_budget"),
                next_steps=data.get("next_steps") or "",
                photos=data.get("photos") or (),
            )
        except ServiceError as exc:
            raise PermissionDenied(exc.message) from exc
        obj.refresh_from_db()  # the service wrote its own copy; response_change reads this
