"""The moderation actions of the proposals admin: hiding, restoring and
trashing proposals, hiding comments, closing reports. Each asks for a
reason on its intermediate page (oasis.admin_utils.moderation_action) and
calls the service in services.py, which checks the operator (or the
administrator of the row's institution) with the row under its lock, the
transition, and records the event; admin.py wires them to the lists."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from oasis.admin_utils import moderation_action

from . import services

hide_proposals = moderation_action(
    name="hide_proposals",
    description=_("Hide selected proposals (asks for a reason)"),
    title=_("Hide proposals"),
    intro=_(
        "These proposals will be hidden from the public. Their text stays stored "
        "and their page shows the reason you give."
    ),
    submit_label=_("Hide"),
    service=lambda p, user, reason: services.proposal_hide(proposal=p, user=user, reason=reason),
    done=ngettext_lazy(
        "%(count)d proposal was hidden.", "%(count)d proposals were hidden.", "count"
    ),
)

unhide_proposals = moderation_action(
    name="unhide_proposals",
    description=_("Restore selected hidden proposals (asks for a reason)"),
    title=_("Restore hidden proposals"),
    intro=_("These proposals will be shown to the public again."),
    submit_label=_("Restore"),
    service=lambda p, user, reason: services.proposal_unhide(proposal=p, user=user, reason=reason),
    done=ngettext_lazy(
        "%(count)d proposal was restored.", "%(count)d proposals were restored.", "count"
    ),
)

trash_proposals = moderation_action(
    name="trash_proposals",
    description=_("Move selected proposals to the trash (asks for a reason)"),
    title=_("Move proposals to the trash"),
    intro=_(
        "These proposals will leave the public site. They stay stored and can be "
        "restored from the trash."
    ),
    submit_label=_("Move to the trash"),
    service=lambda p, user, reason: services.proposal_trash(proposal=p, user=user, reason=reason),
    done=ngettext_lazy(
        "%(count)d proposal was moved to the trash.",
        "%(count)d proposals were moved to the trash.",
        "count",
    ),
)

restore_from_trash = moderation_action(
    name="restore_from_trash",
    description=_("Restore selected proposals from the trash (asks for a reason)"),
    title=_("Restore proposals from the trash"),
    intro=_("These proposals will be back on the public site."),
    submit_label=_("Restore"),
    service=lambda p, user, reason: services.proposal_restore(proposal=p, user=user, reason=reason),
    done=ngettext_lazy(
        "%(count)d proposal was restored from the trash.",
        "%(count)d proposals were restored from the trash.",
        "count",
    ),
)

hide_comments = moderation_action(
    name="hide_comments",
    description=_("Hide selected comments (asks for a reason)"),
    title=_("Hide comments"),
    intro=_("These comments will be hidden from the public. Their text stays stored."),
    submit_label=_("Hide"),
    service=lambda c, user, reason: services.comment_set_hidden(
        comment=c, user=user, reason=reason, hidden=True
    ),
    done=ngettext_lazy("%(count)d comment was hidden.", "%(count)d comments were hidden.", "count"),
)

unhide_comments = moderation_action(
    name="unhide_comments",
    description=_("Restore selected hidden comments (asks for a reason)"),
    title=_("Restore hidden comments"),
    intro=_("These comments will be shown to the public again."),
    submit_label=_("Restore"),
    service=lambda c, user, reason: services.comment_set_hidden(
        comment=c, user=user, reason=reason, hidden=False
    ),
    done=ngettext_lazy(
        "%(count)d comment was restored.", "%(count)d comments were restored.", "count"
    ),
)

dismiss_reports = moderation_action(
    name="dismiss_reports",
    description=_("Close selected reports without hiding anything (asks for a reason)"),
    title=_("Close reports"),
    intro=_(
        "The reported content stays as it is. The reason is kept with each report for the record."
    ),
    submit_label=_("Close reports"),
    service=lambda r, user, reason: services.report_dismiss(report=r, user=user, reason=reason),
    done=ngettext_lazy("%(count)d report was closed.", "%(count)d reports were closed.", "count"),
)
