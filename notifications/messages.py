"""The words of each kind of notice, in the catalogue's languages. A notice
stores its kind and parameters; its text is rendered in the reader's language
when shown or e-mailed."""

from django.utils.translation import gettext_lazy as _

# kind: (title, message). Parameters: title (the proposal), department, count,
# deadline, meeting, decision reason, etc. — whatever the sender put in params.
MESSAGES = {
    "assignment_blocked": (
        _("A proposal could not be assigned"),
        _(
            "“%(title)s” passed the answer bar but could not be assigned: %(reason)s Please assign it in the admin."
        ),
    ),
    "assigned_department": (
        _("New proposal for your department to answer"),
        _(
            "“%(title)s” reached %(count)s endorsements and was assigned to %(department)s. Please answer by %(deadline)s."
        ),
    ),
    "assigned_operator": (
        _("Copy: a proposal was assigned to %(department)s"),
        _(
            "“%(title)s” reached %(count)s endorsements and was assigned to %(department)s, to answer by %(deadline)s."
        ),
    ),
    "assigned": (
        _("A department will answer the proposal"),
        _(
            "“%(title)s” reached %(count)s endorsements. %(department)s will answer it by %(deadline)s."
        ),
    ),
    "reassigned": (
        _("A proposal was reassigned to your department"),
        _("“%(title)s” was reassigned to %(department)s. Please answer by %(deadline)s."),
    ),
    "reassignment_requested": (
        _("A department asks to reassign a proposal"),
        _("%(department)s asks to have “%(title)s” reassigned: %(reason)s"),
    ),
    "reassignment_approved": (
        _("Your reassignment request was approved"),
        _("“%(title)s” now goes to %(department)s; your department no longer needs to answer it."),
    ),
    "reassignment_refused": (
        _("Your reassignment request was refused"),
        _("The operators kept “%(title)s” with %(department)s: %(reason)s"),
    ),
    "answer_reminder": (
        _("Reminder: an answer is due soon"),
        _("The answer to “%(title)s” is due on %(deadline)s."),
    ),
    "answer_overdue": (
        _("An answer is overdue"),
        _("%(department)s has not answered “%(title)s”, due on %(deadline)s."),
    ),
    "answer_submitted": (
        _("An answer waits for your approval"),
        _("%(department)s answered “%(title)s”. Please review and publish it."),
    ),
    "answer_returned": (
        _("Your answer was returned for changes"),
        _("The operators returned the answer to “%(title)s”: %(reason)s"),
    ),
    "answer_published": (
        _("The department answered"),
        _("%(department)s published its answer to “%(title)s”: %(decision)s."),
    ),
    "not_reached": (
        _("The endorsement period ended"),
        _("“%(title)s” did not reach the endorsements needed for a department answer."),
    ),
    "debate_opened": (
        _("A debate opened"),
        _(
            "“%(title)s” is now open for debate until %(ends)s. Take a stance and give your reasons."
        ),
    ),
    "debate_closed": (
        _("The debate closed"),
        _(
            "The debate on “%(title)s” closed: %(for)s for, %(against)s against, %(undecided)s undecided."
        ),
    ),
    "debate_summary": (
        _("Debate results published"),
        _("The results of the debate on “%(title)s” are published."),
    ),
    "debate_summary_due": (
        _("A debate closed: please publish its results"),
        _(
            "The debate on “%(title)s” closed (%(for)s for, %(against)s against, %(undecided)s undecided). Please write and publish its results."
        ),
    ),
    "selected": (
        _("Going to the realization meeting"),
        _("The working review put “%(title)s” forward to the realization meeting: %(reason)s"),
    ),
    "not_selected": (
        _("Not put to the realization meeting"),
        _("The working review did not put “%(title)s” forward: %(reason)s"),
    ),
    "meeting_invitation": (
        _("You are invited to the realization meeting"),
        _(
            "“%(title)s” is on the agenda of the realization meeting on %(meeting)s at %(place)s. You are warmly invited."
        ),
    ),
    "decision_adopted": (
        _("Adopted!"),
        _("The realization meeting adopted “%(title)s”. %(reason)s"),
    ),
    "decision_held": (
        _("Held over to the next meeting"),
        _("The realization meeting held “%(title)s” over to its next meeting. %(reason)s"),
    ),
    "decision_not_adopted": (
        _("Not adopted"),
        _("The realization meeting did not adopt “%(title)s”. %(reason)s"),
    ),
    "card_opened": (
        _("An adopted item for your department"),
        _(
            "The realization meeting adopted “%(title)s”. %(department)s keeps its management card: please name the responsible official and plan it."
        ),
    ),
    # answers app
    "reassigned_public": (
        _("Another department will answer the proposal"),
        _("“%(title)s” was reassigned to %(department)s, which will answer it by %(deadline)s."),
    ),
    "answer_overdue_unapproved": (
        _("An overdue answer waits for your approval"),
        _(
            "The answer of %(department)s to “%(title)s” was due on %(deadline)s and still waits for your approval."
        ),
    ),
    "answer_rated": (
        _("The proposer rated your answer"),
        _("The proposer rated your department's answer to “%(title)s”: %(score)s out of 5."),
    ),
    # tracking app
    "card_stage_changed": (
        _("An adopted item moved on"),
        _("The adopted item “%(title)s” is now “%(stage)s”. %(note)s"),
    ),
    "card_handoff": (
        _("An adopted item changed hands"),
        _("The management card of “%(title)s” passed from %(from)s to %(to)s. %(note)s"),
    ),
    "report_requested": (
        _("A progress report is requested"),
        _(
            "Please submit progress report %(period)s on the adopted item “%(title)s” by %(deadline)s."
        ),
    ),
    "report_reminder": (
        _("Reminder: a progress report is due soon"),
        _("Progress report %(period)s on the adopted item “%(title)s” is due on %(deadline)s."),
    ),
    "report_overdue": (
        _("A progress report is overdue"),
        _(
            "%(department)s has not submitted progress report %(period)s on “%(title)s”, due on %(deadline)s."
        ),
    ),
    "card_report": (
        _("A progress report on an adopted item"),
        _("Progress report %(period)s on the adopted item “%(title)s”: %(percent)s%% complete."),
    ),
}


def _render(template, params) -> str:
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def render_title(notification) -> str:
    title, _message = MESSAGES.get(notification.kind, (notification.kind, ""))
    return _render(title, notification.params)


def render_message(notification) -> str:
    _title, message = MESSAGES.get(notification.kind, ("", ""))
    return _render(message, notification.params)
