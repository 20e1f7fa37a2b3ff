"""The conductor's staff screens: operators promote proposals for their
creativity from the proposals list (and assign them by hand, the answers
stage's screen), and change the pipeline's bars after a
preview (settings_screen.py). It extends the proposals admin, which sits on
a lower floor and does not know the conductor."""

import rules
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from answers.hand_assignment import HandAssignmentAdminMixin, assign_to_department
from oasis.admin_utils import moderation_action
from proposals.admin import PipelineSettingsAdmin, ProposalAdmin
from proposals.models import PipelineSettings, Proposal

from . import services
from .settings_screen import settings_view
from .staff_home import blocked_proposals

promote_by_hand = moderation_action(
    name="promote_by_hand",
    description=_("Promote selected proposals for their creativity (asks for a reason)"),
    title=_("Promote for creativity"),
    intro=_(
        "Below the endorsement bar, an operator may move a proposal one step: an open "
        "or not-reached proposal goes to its department for an answer, an answered one "
        "to debate. The reason is shown on its timeline and sent to the proposer."
    ),
    submit_label=_("Promote"),
    service=lambda p, user, reason: services.proposal_promote_by_hand(
        proposal=p, user=user, reason=reason
    ),
    done=ngettext_lazy(
        "%(count)d proposal was promoted.", "%(count)d proposals were promoted.", "count"
    ),
)


class BlockedFromAssignmentFilter(admin.SimpleListFilter):
    """Proposals past the answer bar that no department could be given
    (staff_home.blocked_proposals): the operator home's "could not be
    assigned" row opens the list with this filter."""

    title = _("assignment")
    parameter_name = "blocked"

    def lookups(self, request, model_admin):
        return [("yes", _("Blocked from assignment"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=blocked_proposals().values("pk"))
        return queryset


class PipelineProposalAdmin(HandAssignmentAdminMixin, ProposalAdmin):
    actions = [*ProposalAdmin.actions, promote_by_hand, assign_to_department]
    list_filter = [*ProposalAdmin.list_filter, BlockedFromAssignmentFilter]


class PreviewedPipelineSettingsAdmin(PipelineSettingsAdmin):
    """The settings form; saving a bar change shows its preview first."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and rules.has_perm(
            "pipeline.change_settings", request.user
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = settings_view(self, request, object_id, form_url, extra_context)
        return response or super().change_view(request, object_id, form_url, extra_context)


admin.site.unregister(Proposal)
admin.site.register(Proposal, PipelineProposalAdmin)
admin.site.unregister(PipelineSettings)
admin.site.register(PipelineSettings, PreviewedPipelineSettingsAdmin)
