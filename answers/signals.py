"""Signals this app sends for the floors above it to react to (connected in
their AppConfig.ready; answers never imports them)."""

from django.dispatch import Signal

# Sent by `answers.services.answer_publish` inside its transaction, once per
# published answer. kwargs: answer (the Answer, with its assignment and the
# proposal as the publication left it, ANSWERED). The conductor
# (pipeline/apps.py) connects tracking's promise card to it: an answer of
# 수용 or 일부 수용 below the debate bar is tracked in the same transaction
# as its publication.
answer_published = Signal()

# Sent inside the transaction of `answers.services.amendment_approve`, for
# every approved amendment of a published answer, once the answer reads as
# amended. kwargs: answer (the Answer, amended), amendment (the approved
# AnswerAmendment; `amendment.changed` names the parts that changed),
# old_decision and new_decision (AnswerDecision codes, equal when the
# decision stayed).
#
# What the conductor does with a decision change (pipeline.services.
# promise_follows_amended_answer; nothing here acts on it): to 수용/일부 수용 from anything else, the answer
# now promises something, so a "department promise" card is due if the
# proposal did not go on to debate; from 수용/일부 수용 to 불수용 or 추가 검토,
# an open promise card no longer stands and is suspended with the
# amendment's reason on its history (not deleted: what was promised stays
# readable). Between 수용 and 일부 수용 the card stays.
answer_amended = Signal()
