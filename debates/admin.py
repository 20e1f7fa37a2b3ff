"""The operators' workroom for debates and their arguments.

As in the proposals admin, nothing is edited in place: change pages are
read-only and every change is an action that calls a service (close early
with a reason, publish the results on results.py's page, hide or restore an
argument), so the admin, the pages and the beat task follow the same rules
and leave the same timeline rows. Hard delete is off: nothing a citizen writes is lost."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.access_records import RecordedMemberSearchMixin
from accounts.institutions import InstitutionScopedAdminMixin
from oasis.admin_utils import (
    OperatorOnlyMixin,
    ReadOnlyMixin,
    WaitingFirstFilter,
    dday_cell,
    moderation_action,
)

from . import services
from .models import Argument, Debate, DebateStatus
from .results import publish_summary

close_debates = moderation_action(
    name="close_debates",
    description=_("Close selected debates now (asks for a reason)"),
    title=_("Close debates"),
    intro=_(
        "These debates will stop taking stances and arguments now. If a debate has not "
        "reached its end, the reason you give is shown on its page and timeline."
    ),
    submit_label=pgettext_lazy("debate", "Close"),
    service=lambda d, user, reason: services.debate_close(debate=d, actor=user, reason=reason),
    done=ngettext_lazy("%(count)d debate was closed.", "%(count)d debates were closed.", "count"),
)

hide_arguments = moderation_action(
    name="hide_arguments",
    description=_("Hide selected arguments (asks for a reason)"),
    title=_("Hide arguments"),
    intro=_("These arguments will be hidden from the public. Their text stays stored."),
    submit_label=_("Hide"),
    service=lambda a, user, reason: services.argument_hide(argument=a, user=user, reason=reason),
    done=ngettext_lazy(
        "%(count)d argument was hidden.", "%(count)d arguments were hidden.", "count"
    ),
)

unhide_arguments = moderation_action(
    name="unhide_arguments",
    description=_("Restore selected hidden arguments (asks for a reason)"),
    title=_("Restore hidden arguments"),
    intro=_("These arguments will be shown to the public again."),
    submit_label=_("Restore"),
    service=lambda a, user, reason: services.argument_unhide(argument=a, user=user, reason=reason),
    done=ngettext_lazy(
        "%(count)d argument was restored.", "%(count)d arguments were restored.", "count"
    ),
)


class DebateStateFilter(WaitingFirstFilter):
    """Where each debate stands, as one filter: open, closed with results
    due, results published. It was two (status and results) that combined:
    after closing a debate from the "open" list, "results due" kept
    `status=open` and listed nothing until the filters were cleared. Opened
    on the operators' work: debates still open or waiting for results."""

    title = _("state")
    parameter_name = "state"
    default_label = _("Open or results due")
    default_note = _(
        "This list shows the debates still open and the closed ones whose results are due."
    )

    def lookups(self, request, model_admin):
        return [
            ("open", _("Open")),
            ("due", _("Closed, results due")),
            ("published", _("Results published")),
        ]

    def waiting(self, queryset):
        return queryset.filter(
            Q(status=DebateStatus.OPEN)
            | Q(status=DebateStatus.CLOSED, summary_published_at__isnull=True)
        )

    def narrow(self, queryset, value):
        if value == "open":
            return queryset.filter(status=DebateStatus.OPEN)
        if value == "due":
            return queryset.filter(status=DebateStatus.CLOSED, summary_published_at__isnull=True)
        if value == "published":
            return queryset.filter(summary_published_at__isnull=False)
        return queryset


def _proposal_link(proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    return format_html('<a href="{}">#{} {}</a>', url, proposal.pk, proposal.title)


class ArgumentInline(ReadOnlyMixin, admin.TabularInline):
    """The debate's arguments, read-only; hide them from the arguments list."""

    model = Argument
    fields = readonly_fields = [
        "created_at",
        "side",
        "author",
        "author_department",
        "author_role",
        "body",
        "is_hidden",
        "deleted_at",
    ]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "author_department")


@admin.register(Debate)
class DebateAdmin(InstitutionScopedAdminMixin, OperatorOnlyMixin, ReadOnlyMixin, admin.ModelAdmin):
    institution_field = "proposal__institution"
    list_display = [
        "id",
        "proposal_title",
        "status",
        "dday",
        "starts_at",
        "ends_at",
        "for_count",
        "against_count",
        "undecided_count",
        "argument_count",
        "results_published",
    ]
    list_display_links = ["id", "proposal_title"]
    list_select_related = ["proposal"]
    list_filter = [DebateStateFilter]
    search_fields = ["proposal__title"]
    search_help_text = _("The proposal's title.")
    list_per_page = 50
    # Open debates end latest, so they come first, then the recently closed.
    ordering = ["-ends_at", "-id"]
    fieldsets = [
        (None, {"fields": ["proposal_link", "status", "starts_at", "ends_at"]}),
        (_("Stances"), {"fields": ["for_count", "against_count", "undecided_count"]}),
        (_("Closing"), {"fields": ["closed_at", "closed_by", "close_reason"]}),
        (_("Debate results"), {"fields": ["summary", "summary_published_at", "summary_by"]}),
    ]
    readonly_fields = ["proposal_link"]
    inlines = [ArgumentInline]
    actions = [close_debates, publish_summary]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                live_arguments=Count("arguments", filter=Q(arguments__deleted_at__isnull=True))
            )
        )

    @admin.display(description=_("proposal"), ordering="proposal__title")
    def proposal_title(self, debate):
        return debate.proposal.title

    @admin.display(description=_("proposal"))
    def proposal_link(self, debate):
        return _proposal_link(debate.proposal)

    @admin.display(description=_("D-day"), ordering="ends_at")
    def dday(self, debate):
        # An open debate counts down to its end; a closed one has no deadline.
        if debate.status != DebateStatus.OPEN:
            return dday_cell(None, finished=gettext("Closed"))
        return dday_cell(debate.ends_at)

    @admin.display(description=_("arguments"), ordering="live_arguments")
    def argument_count(self, debate):
        return debate.live_arguments

    @admin.display(
        description=_("results published"), boolean=True, ordering="summary_published_at"
    )
    def results_published(self, debate):
        return debate.summary_published_at is not None


@admin.register(Argument)
class ArgumentAdmin(
    InstitutionScopedAdminMixin,
    RecordedMemberSearchMixin,
    OperatorOnlyMixin,
    ReadOnlyMixin,
    admin.ModelAdmin,
):
    institution_field = "debate__proposal__institution"
    list_display = [
        "id",
        "excerpt",
        "proposal",
        "side",
        "author",
        "badge",
        "is_hidden",
        "deleted_by_author",
        "created_at",
    ]
    list_display_links = ["id", "excerpt"]
    list_select_related = [
        "debate__proposal",
        "author",
        "author_department",
        "author_institution",
    ]
    list_filter = ["side", "is_hidden", "author_role"]
    search_fields = ["body", "debate__proposal__title", "author__email", "author__nickname"]
    search_help_text = _("Argument text, proposal title, or the author's e-mail or nickname.")
    list_per_page = 50
    fields = [
        "debate",
        "side",
        "author",
        "author_department",
        "author_role",
        "author_institution",
        "body",
        "is_hidden",
        "hidden_reason",
        "deleted_at",
        "created_at",
        "updated_at",
    ]
    actions = [hide_arguments, unhide_arguments]

    @admin.display(description=_("argument"))
    def excerpt(self, argument):
        return str(argument)

    @admin.display(description=_("proposal"), ordering="debate__proposal__title")
    def proposal(self, argument):
        return _proposal_link(argument.debate.proposal)

    @admin.display(description=_("badge"))
    def badge(self, argument):
        if argument.author_department:
            return argument.author_department.label
        if argument.author_institution:
            return gettext("Institution administrator · %(name)s") % {
                "name": argument.author_institution.label
            }
        return argument.get_author_role_display() if argument.author_role else ""

    @admin.display(description=_("deleted by the author"), boolean=True)
    def deleted_by_author(self, argument):
        return argument.deleted_at is not None
