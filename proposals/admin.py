"""The operators' workroom for proposals, comments and reports.

The admin never writes a proposal, comment or report itself: change pages are
read-only, and every change is an action that calls a service in services.py
(which checks that the user is an operator, checks the transition and records
the event). Hard delete is switched off: nothing a citizen writes is lost.
Who sees what comes from the role groups (accounts/permissions.py); the
moderation actions (moderation.py) and the export are for those who run
the work (proposals.moderate through OperatorOnlyMixin): the city's
operators, and a partner institution's administrators over their
institution's rows only (every list here is scoped to it, and each service
asks again with its row, issue 16)."""

from django import forms
from django.contrib import admin
from django.contrib.admin import ShowFacets
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin
from import_export.formats.base_formats import XLSX
from rangefilter.filters import DateRangeFilterBuilder

from accounts.access_records import RecordedMemberSearchMixin
from accounts.institutions import InstitutionScopedAdminMixin, institution_condition
from oasis.admin_utils import OperatorOnlyMixin, ReadOnlyMixin, WaitingFirstFilter
from oasis.exports import ExcelFriendlyCSV
from oasis.pagination import CappedPaginator

from .merge_admin import MergeAdminMixin
from .models import Category, Comment, PipelineSettings, Proposal, ProposalEvent, Report
from .moderation import (
    dismiss_reports,
    hide_comments,
    hide_proposals,
    restore_from_trash,
    trash_proposals,
    unhide_comments,
    unhide_proposals,
)
from .recategorise import RecategoriseAdminMixin
from .resources import ProposalResource
from .search import search_condition
from .similar_admin import SimilarProposalsAdminMixin

# --- filters ------------------------------------------------------------------


class EndorsementCountFilter(admin.SimpleListFilter):
    """Buckets around the bars of the pipeline: Democracy Seoul sent a
    proposal to its department at 50 endorsements and to debate at 500."""

    title = _("endorsements")
    parameter_name = "endorsements"
    BUCKETS = {"0": (0, 0), "1-49": (1, 49), "50-499": (50, 499), "500+": (500, None)}

    def lookups(self, request, model_admin):
        return [
            ("0", _("None")),
            ("1-49", _("1 to 49")),
            ("50-499", _("50 to 499")),
            ("500+", _("500 or more")),
        ]

    def queryset(self, request, queryset):
        bucket = self.BUCKETS.get(self.value())
        if bucket is None:
            return queryset
        low, high = bucket
        queryset = queryset.filter(endorsement_count__gte=low)
        return queryset if high is None else queryset.filter(endorsement_count__lte=high)


class TrashFilter(admin.SimpleListFilter):
    """By default the list leaves out the trash, as the public site does; the
    operator opens the trash (or everything) with this filter."""

    title = _("trash")
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("yes", _("In the trash")), ("all", _("All, with the trash"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Not in the trash"),
        }
        for lookup, label in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_trash()
        if self.value() == "all":
            return queryset
        return queryset.not_deleted()


class OfficialCommentFilter(admin.SimpleListFilter):
    title = _("written by")
    parameter_name = "official"

    def lookups(self, request, model_admin):
        return [("yes", _("A department official")), ("no", _("A member"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(author_department__isnull=False)
        if self.value() == "no":
            return queryset.filter(author_department__isnull=True)
        return queryset


class HandledFilter(WaitingFirstFilter):
    """Opens on the reports waiting for an operator; handled ones are one
    click away (`?handled=no`, the old link to the waiting ones, still works)."""

    title = _("handled")
    parameter_name = "handled"
    default_label = _("Waiting")
    default_note = _("This list shows the reports waiting to be handled.")

    def lookups(self, request, model_admin):
        return [("yes", _("Handled"))]

    def waiting(self, queryset):
        return queryset.filter(resolved_at__isnull=True)

    def narrow(self, queryset, value):
        if value == "yes":
            return queryset.filter(resolved_at__isnull=False)
        if value == "no":
            return self.waiting(queryset)
        return queryset


# --- proposals ----------------------------------------------------------------


class ProposalEventInline(ReadOnlyMixin, admin.TabularInline):
    """The proposal's timeline, public and internal rows alike, read-only."""

    model = ProposalEvent
    verbose_name = _("timeline entry")
    verbose_name_plural = _("timeline")
    fields = readonly_fields = [
        "created_at",
        "kind",
        "from_status",
        "to_status",
        "actor",
        "actor_role",
        "actor_department",
        "text",
        "is_public",
    ]

    # The system's words in the reader's language, then the person's reason.
    @admin.display(description=_("reason"))
    def text(self, event):
        return event.text

    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "actor_department")


@admin.register(Proposal)
class ProposalAdmin(
    SimilarProposalsAdminMixin,
    InstitutionScopedAdminMixin,
    MergeAdminMixin,
    RecategoriseAdminMixin,
    RecordedMemberSearchMixin,
    OperatorOnlyMixin,
    ReadOnlyMixin,
    ExportActionMixin,
    admin.ModelAdmin,
):
    list_display = [
        "id",
        "title",
        "status",
        "category",
        "district_label",
        "endorsement_count",
        "comment_count",
        "view_count",
        "author",
        "created_at",
        "is_hidden",
        "similar_column",
    ]
    list_display_links = ["id", "title"]
    list_select_related = ["author", "category", "department"]
    list_filter = [
        "status",
        ("created_at", DateRangeFilterBuilder(title=_("created"))),
        "category",
        "district",
        "department",
        EndorsementCountFilter,
        "is_hidden",
        TrashFilter,
    ]
    # The title is listed so the search box shows; get_search_results
    # searches title, text and tags as the public list does (every word, the
    # bigram index), or the author.
    search_fields = ["title", "author__email", "author__display_name", "author__nickname"]
    search_help_text = _(
        "Words in the title, text or tags, or the author's e-mail, name or nickname."
    )
    masked_search_help_text = _("Words in the title, text or tags, or the author's nickname.")
    list_per_page = 50
    # At ten-year size (170,000 proposals) each exact count of the list cost
    # 150-170 ms: count at most 10,001 rows (oasis/pagination.py, the
    # template says "more than 10,000"), never count the whole table a
    # second time for "(N total)", and no facet counts.
    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    fieldsets = [
        (None, {"fields": ["title", "body", "author", "category", "district", "tags"]}),
        (
            _("Pipeline"),
            {
                "fields": [
                    "status",
                    "department",
                    "endorsement_count",
                    "comment_count",
                    "view_count",
                ]
            },
        ),
        (
            _("Moderation"),
            {"fields": ["is_hidden", "hidden_reason", "deleted_at", "withdrawn_at"]},
        ),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
        (_("Similar proposals"), {"fields": ["similar_list"]}),
    ]
    inlines = [ProposalEventInline]
    # The operators' buttons (assign, recategorise) beside the history link;
    # it extends django-import-export's, which ExportActionMixin would set.
    change_form_template = "admin/proposals/proposal/change_form.html"
    actions = [
        hide_proposals,
        unhide_proposals,
        trash_proposals,
        restore_from_trash,
    ]  # the conductor adds "promote for creativity" (pipeline/admin.py)

    # django-import-export: export only (no import), CSV and Excel.
    resource_classes = [ProposalResource]
    export_formats = [ExcelFriendlyCSV, XLSX]
    show_change_form_export = False

    def get_queryset(self, request):
        # Hidden and trashed proposals are the moderators' (read_content):
        # other staff see what the public sees.
        queryset = super().get_queryset(request)
        return queryset if self._may_moderate(request) else queryset.public()

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if self._may_moderate(request):
            return filters
        return [f for f in filters if f not in ("is_hidden", TrashFilter)]

    # Authors a search reaches at most: their ids go into the list's query.
    MAX_SEARCHED_AUTHORS = 1000

    def get_search_results(self, request, queryset, search_term):
        """Proposals whose title, text or tags hold every word (as on the public
        list, through the same index), or written by a member matching every
        word in the fields this staff member may search (masked: the nickname
        only). The members are looked up first, so the list's query is an OR
        of two indexed conditions (bigrams, author_id) that PostgreSQL can
        answer from both indexes, never a scan of every proposal."""
        if not search_term.strip():
            return queryset, False
        author_fields = [
            field.removeprefix("author__")
            for field in self.get_search_fields(request)
            if field.startswith("author__")
        ]
        author_ids = []
        if author_fields:
            members = get_user_model().objects.all()
            for word in search_term.split()[:5]:
                members = members.filter(
                    Q.create(
                        [(f"{field}__icontains", word) for field in author_fields], connector=Q.OR
                    )
                )
            author_ids = list(members.values_list("pk", flat=True)[: self.MAX_SEARCHED_AUTHORS])
        matches = search_condition(search_term) or Q(pk__in=[])
        if author_ids:
            matches |= Q(author_id__in=author_ids)
        return queryset.filter(matches), False

    def get_valid_export_item_pks(self, request):
        # Called by django-import-export 4.4 when exporting the selection of the
        # "export" action; the base version is deprecated and warns.
        return self.get_queryset(request).values_list("pk", flat=True)

    @admin.display(description=_("district"), ordering="district")
    def district_label(self, proposal):
        return proposal.get_district_display() if proposal.district else _("Whole city")


# --- comments -----------------------------------------------------------------


@admin.register(Comment)
class CommentAdmin(
    InstitutionScopedAdminMixin,
    RecordedMemberSearchMixin,
    OperatorOnlyMixin,
    ReadOnlyMixin,
    admin.ModelAdmin,
):
    institution_field = "proposal__institution"
    list_display = [
        "id",
        "excerpt",
        "proposal_link",
        "author",
        "department_badge",
        "is_hidden",
        "deleted_by_author",
        "created_at",
    ]
    list_display_links = ["id", "excerpt"]
    list_select_related = ["proposal", "author", "author_department"]
    list_filter = [
        "is_hidden",
        OfficialCommentFilter,
        ("created_at", DateRangeFilterBuilder(title=_("created"))),
    ]
    search_fields = [
        "body",
        "proposal__title",
        "author__email",
        "author__display_name",
        "author__nickname",
    ]
    search_help_text = _("Comment text, proposal title, or the author's e-mail, name or nickname.")
    masked_search_help_text = _("Comment text, proposal title, or the author's nickname.")
    list_per_page = 50
    # 500,000 comments at ten-year size: as for proposals, never an exact
    # count of the whole table per page.
    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    fields = [
        "proposal",
        "author",
        "author_department",
        "body",
        "is_hidden",
        "hidden_reason",
        "deleted_at",
        "created_at",
        "updated_at",
    ]
    actions = [hide_comments, unhide_comments]

    def get_queryset(self, request):
        # As for proposals: other staff see the comments the public sees.
        queryset = super().get_queryset(request)
        if self._may_moderate(request):
            return queryset
        return queryset.filter(
            is_hidden=False,
            deleted_at__isnull=True,
            proposal__is_hidden=False,
            proposal__deleted_at__isnull=True,
        )

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return filters if self._may_moderate(request) else [f for f in filters if f != "is_hidden"]

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return str(comment)

    @admin.display(description=_("proposal"), ordering="proposal")
    def proposal_link(self, comment):
        url = reverse("admin:proposals_proposal_change", args=[comment.proposal_id])
        return format_html(
            '<a href="{}">#{} {}</a>', url, comment.proposal_id, comment.proposal.title
        )

    @admin.display(description=_("department badge"))
    def department_badge(self, comment):
        return comment.author_department.label if comment.author_department else ""

    @admin.display(description=_("deleted by the author"), boolean=True)
    def deleted_by_author(self, comment):
        return comment.deleted_at is not None


# --- reports ------------------------------------------------------------------


@admin.register(Report)
class ReportAdmin(OperatorOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Reports are handled by acting on their target (hiding it marks its open
    reports handled), so the list links straight to it; a report that needs no
    action is closed with a reason."""

    list_display = ["reason", "target", "reporter", "created_at", "handled"]
    list_select_related = ["reporter", "proposal", "comment"]
    list_filter = [HandledFilter, "reason"]
    list_per_page = 50
    fields = ["reason", "detail", "target", "reporter", "created_at", "resolved_at", "resolution"]
    readonly_fields = ["target"]
    actions = [dismiss_reports]

    def get_queryset(self, request):
        # A report is of its proposal's institution, or of its comment's
        # proposal's (issue 16): an institution's administrators see and
        # close only their institution's; another's id in a URL or in an
        # action's selection finds nothing. (Two paths, so not
        # InstitutionScopedAdminMixin's one `institution_field`.)
        user = request.user
        return (
            super()
            .get_queryset(request)
            .filter(
                Q(proposal__isnull=False, comment__isnull=True)
                & institution_condition(user, "proposal__institution")
                | Q(proposal__isnull=True, comment__isnull=False)
                & institution_condition(user, "comment__proposal__institution")
            )
        )

    @admin.display(description=_("reported item"))
    def target(self, report):
        if report.proposal_id:
            url = reverse("admin:proposals_proposal_change", args=[report.proposal_id])
            label = gettext("Proposal #%(id)s “%(title)s”") % {
                "id": report.proposal_id,
                "title": report.proposal.title,
            }
        else:
            url = reverse("admin:proposals_comment_change", args=[report.comment_id])
            label = gettext("Comment #%(id)s “%(excerpt)s”") % {
                "id": report.comment_id,
                "excerpt": report.comment,
            }
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("handled"), boolean=True, ordering="resolved_at")
    def handled(self, report):
        return report.resolved_at is not None


# --- reference data -----------------------------------------------------------


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "institution", "default_department", "position"]

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("default_department")
        # Read-only once made (CategoryAdmin): then the stored one.
        if "institution" in self.fields:
            institution = cleaned.get("institution")
        else:
            institution = self.instance.institution
        # A category's proposals are answered by its default department: one
        # of the same institution's, or of the city's for a city category.
        if department is not None and department.institution_id != (
            institution.pk if institution else None
        ):
            self.add_error(
                "default_department",
                _("Choose a department of the same institution as the category."),
            )
        return cleaned


@admin.register(Category)
class CategoryAdmin(InstitutionScopedAdminMixin, admin.ModelAdmin):
    form = CategoryForm
    list_display = ["name", "name_en", "code", "institution", "default_department", "position"]
    list_select_related = ["default_department", "institution"]
    list_filter = ["institution"]
    list_editable = ["position"]
    search_fields = ["name", "name_en", "code"]

    def get_readonly_fields(self, request, obj=None):
        # The addressee is chosen when the category is made, as a
        # department's institution is: its proposals were filed to that
        # addressee, and moving the category would route them to a
        # department that may not answer them.
        return ["institution"] if obj is not None else []


# --- pipeline settings ----------------------------------------------------------


@admin.register(PipelineSettings)
class PipelineSettingsAdmin(admin.ModelAdmin):
    """The one settings record: thresholds and deadlines the operators tune.
    The list goes straight to the record; it can be neither added twice nor deleted."""

    fieldsets = (
        (
            _("Endorsement bars"),
            {
                "fields": [
                    "answer_threshold",
                    "debate_threshold",
                    "debate_min_comments",
                    "debate_min_views",
                ]
            },
        ),
        (
            _("The citizen panel's score as a debate condition"),
            {"fields": ["debate_min_panel_score", "debate_min_panel_raters"]},
        ),
        (
            _("Periods"),
            {
                "fields": [
                    "endorsement_window_days",
                    "answer_deadline_days",
                    "answer_reminder_days",
                    "debate_length_days",
                ]
            },
        ),
        (
            _("Department deadlines"),
            {
                "fields": [
                    "answer_days_unit",
                    "escalate_to_head_days",
                    "escalate_to_operators_days",
                ]
            },
        ),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings_row = PipelineSettings.load()
        return redirect(reverse("admin:proposals_pipelinesettings_change", args=[settings_row.pk]))
