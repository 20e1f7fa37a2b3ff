"""The operators' list of discussion polls' arguments (토론형): read-only,
searchable, with the hide and show-again actions, each asking for a reason
and calling polls.services.discussion (which writes the audit row). A
partner institution's administrators moderate their institution's polls'
arguments here too, and see no other (issue 16). A
member's report of an argument has no machinery of its own: proposals'
reports hold a proposal or a comment only, so operators find arguments
here, from the poll or by their text."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.access_records import RecordedMemberSearchMixin
from accounts.institutions import InstitutionScopedAdminMixin
from oasis.admin_utils import OperatorOnlyMixin, ReadOnlyMixin, moderation_action

from .services import discussion as services
from .views_discussion import poll_page_url

hide_arguments = moderation_action(
    name="hide_poll_arguments",
    description=_("Hide selected arguments (asks for a reason)"),
    title=_("Hide arguments"),
    intro=_(
        "These arguments will leave the poll's page and its tallies. Their text and "
        "endorsements stay stored, and come back as they were if you show them again."
    ),
    submit_label=_("Hide"),
    service=lambda a, user, reason: services.argument_hide(argument=a, actor=user, reason=reason),
    done=ngettext_lazy(
        "%(count)d argument was hidden.", "%(count)d arguments were hidden.", "count"
    ),
)

unhide_arguments = moderation_action(
    name="unhide_poll_arguments",
    description=_("Show selected hidden arguments again (asks for a reason)"),
    title=_("Show hidden arguments again"),
    intro=_("These arguments will be shown on the poll's page again."),
    submit_label=_("Show again"),
    service=lambda a, user, reason: services.argument_unhide(argument=a, actor=user, reason=reason),
    done=ngettext_lazy(
        "%(count)d argument is shown again.", "%(count)d arguments are shown again.", "count"
    ),
)


class PollArgumentAdmin(
    InstitutionScopedAdminMixin,
    RecordedMemberSearchMixin,
    OperatorOnlyMixin,
    ReadOnlyMixin,
    admin.ModelAdmin,
):
    # An argument is its poll's institution's (hidden ones and their
    # reasons included): the list, its pages and actions are scoped to it.
    institution_field = "poll__institution"
    list_display = [
        "id",
        "excerpt",
        "poll_link",
        "side",
        "author",
        "endorsement_count",
        "is_hidden",
        "created_at",
    ]
    list_display_links = ["id", "excerpt"]
    list_select_related = ["poll", "author"]
    list_filter = ["is_hidden", "side"]
    search_fields = ["body", "poll__title", "author__email", "author__nickname"]
    search_help_text = _("Argument text, poll title, or the author's e-mail or nickname.")
    list_per_page = 50
    ordering = ["-created_at", "-id"]
    fields = [
        "poll",
        "side",
        "author",
        "body",
        "endorsement_count",
        "is_hidden",
        "hidden_reason",
        "created_at",
    ]
    actions = [hide_arguments, unhide_arguments]

    @admin.display(description=_("argument"))
    def excerpt(self, argument):
        return str(argument)

    @admin.display(description=_("poll"), ordering="poll__title")
    def poll_link(self, argument):
        return format_html(
            '<a href="{}">{}</a>',
            poll_page_url(argument.poll, f"argument-{argument.pk}"),
            argument.poll.title,
        )
