"""Signals this app sends for the floors above it to react to (connected in
their AppConfig.ready; answers never imports them)."""

from django.dispatch import Signal

# Sent inside the transaction of `answers.services.amendment_approve`, for
# every approved amendment of a published answer, once the answer reads as
# amended. kwargs: answer (the Answer, amended), amendment (the approved
# AnswerAmendment; `amendment.changed` names the parts that changed),
# old_decision and new_decision (AnswerDecision codes, equal when the
# decision stayed).
#
# What a receiver should do with a decision change (the conductor decides;
# nothing here acts on it): to 수용/일부 수용 from anything else, the answer
# now promises something, so a "department promise" card is due if the
# proposal did not go on to debate; from 수용/일부 수용 to 불수용 or 추가 검토,
# an open promise card no longer stands and should be closed with the
# amendment's reason on its history (not deleted: what was promised stays
# readable). Between 수용 and 일부 수용 the card stays.
answer_amended = Signal()
