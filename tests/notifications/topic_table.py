"""Who hears each kind of notice under which topic (issue 16): the table the
topic tests check the senders against. A new kind of notice must be added
here with its topics, which is the moment its author decides who hears it
as what (a member's preferences are per topic)."""

from notifications.models import NoticeTopic as T

WORK = {T.WORK}
# The proposer under "my proposals", the followers under "followed proposals".
PROPOSAL = {T.MY_PROPOSALS, T.FOLLOWED}
# A management card's news: the followers under "adopted items I follow".
CARD = {T.MY_PROPOSALS, T.ADOPTED}
# A debate's end: the proposer, the followers, and those who joined it.
DEBATE_END = {T.MY_PROPOSALS, T.FOLLOWED, T.DEBATES}
MINE = {T.MY_PROPOSALS}
PERSONAL = {T.PERSONAL}

KIND_TOPICS = {
    # answers
    "assigned": PROPOSAL,
    "assigned_department": WORK,
    "assigned_operator": WORK,
    "assigned_nobody": WORK,
    "reassigned": WORK,
    "reassigned_public": PROPOSAL,
    "reassignment_requested": WORK,
    "reassignment_approved": WORK,
    "reassignment_refused": WORK,
    "answer_reminder": WORK,
    "answer_overdue": WORK,
    "answer_overdue_unapproved": WORK,
    "answer_overdue_department": WORK,
    "answer_overdue_head": WORK,
    "answer_submitted": WORK,
    "answer_returned": WORK,
    "answer_published": PROPOSAL,
    "answer_rated": WORK,
    "extension_requested": WORK,
    "extension_granted": WORK,
    "extension_refused": WORK,
    "deadline_extended": PROPOSAL,
    "amendment_submitted": WORK,
    "amendment_returned": WORK,
    "answer_amended": PROPOSAL,
    "answer_amended_decision": PROPOSAL,
    "answer_author_left": WORK,
    # awards
    "reward_given": PERSONAL,
    "monthly_award_won": PERSONAL,
    # debates
    "debate_opened": PROPOSAL,
    "debate_closed": DEBATE_END,
    "debate_summary": DEBATE_END,
    "debate_summary_due": WORK,
    # meetings
    "selected": PROPOSAL,
    "not_selected": PROPOSAL,
    "meeting_invitation": MINE,
    "decision_adopted": PROPOSAL,
    "decision_held": PROPOSAL,
    "decision_not_adopted": PROPOSAL,
    "opinion_requested": WORK,
    "opinion_reminder": WORK,
    "opinion_overdue": WORK,
    "opinion_missing": WORK,
    "opinion_request_flagged": WORK,
    # panel
    "panel_application_approved": PERSONAL,
    "panel_application_refused": PERSONAL,
    "panel_membership_ended": PERSONAL,
    # pipeline
    "assignment_blocked": WORK,
    "not_reached": PROPOSAL,
    "unowned_work": WORK,
    "department_headless": WORK,
    # polls
    "poll_closed": WORK,
    "poll_opened_in_district": {T.DISTRICT_POLLS},
    "institution_poll_opened_in_district": {T.DISTRICT_POLLS},
    "poll_response_published": PERSONAL,
    # proposals
    "proposal_new_comments": MINE,
    "proposal_endorsements_reached": MINE,
    "proposal_halfway_to_answer": MINE,
    # merges: the merged proposal's proposer and followers; each endorser asked
    # to carry their endorsement over
    "proposal_merged": PROPOSAL,
    "proposal_carry_asked": PERSONAL,
    # themes
    "theme_closed": WORK,
    "theme_debate_picked": MINE,
    "theme_response_published": MINE,
    # tracking
    "card_opened": WORK,
    "card_opened_carried": WORK,
    "promise_opened": WORK,
    "promise_opened_carried": WORK,
    "promise_adopted": WORK,
    "card_stage_changed": CARD,
    "card_handoff": WORK,
    "report_requested": WORK,
    "report_reminder": WORK,
    "report_overdue": WORK,
    "card_report": CARD,
    "cards_owner_left": WORK,
}
