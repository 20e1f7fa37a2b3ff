"""The topic of every notice (issue 16): a member chooses per topic whether
to see it in the site and how to get its e-mail, so every notice must say
its reader's topic, per recipient: the proposer under "my proposals", the
followers under "followed proposals" ("adopted items I follow" for a card's
news), staff under "my work", what concerns the member alone under "about
me". Checked three ways: every registered kind has its row in the table
(topic_table.py); every `notify()` call in the code names a topic; and the
senders, called on a small world, store each recipient's topic. The demo
world is checked against the table too (tests/demo/world/test_seed_demo_topics.py)."""

import ast
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from notifications.messages import registered_kinds
from notifications.models import NoticeTopic, Notification
from proposals.services import proposal_follow
from tests.factories import DepartmentFactory, ProposalFactory, UserFactory, official, operator

from .topic_table import KIND_TOPICS

ROOT = Path(settings.BASE_DIR)
# Folders that are not apps sending notices (notifications defines notify;
# faults drives a test rig).
NOT_SENDERS = {"tests", "notifications", "faults", "docs", "locale", "static", "templates"}


def test_every_registered_kind_has_its_topics_in_the_table():
    missing = sorted(registered_kinds() - set(KIND_TOPICS))
    assert not missing, (
        f"Say who hears these as what in tests/notifications/topic_table.py: {missing}"
    )
    assert not set(KIND_TOPICS) - registered_kinds()
    for kind, topics in KIND_TOPICS.items():
        assert topics and topics <= set(NoticeTopic.values), kind


def _sender_files():
    for path in sorted(ROOT.glob("*/**/*.py")):
        top = path.relative_to(ROOT).parts[0]
        if top.startswith(".") or top in NOT_SENDERS:
            continue
        yield path


def test_every_notify_call_in_the_code_names_its_topic():
    """A `notify(...)` without `topic=` would store "" and escape every
    preference: this fails on the first such call anyone adds."""
    untopical = []
    calls = 0
    for path in _sender_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "notify":
                continue
            calls += 1
            keywords = {k.arg for k in node.keywords}
            if "topic" not in keywords and None not in keywords:  # None: **kwargs
                untopical.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls >= 40  # the walk found the senders
    assert not untopical, f"notify() without topic=: {untopical}"


# --- the senders, on a small world ------------------------------------------------


@pytest.fixture
def world(db):
    """A proposal whose proposer also follows it, a follower, an operator,
    and an official of a department."""
    department = DepartmentFactory()
    proposal = ProposalFactory()
    follower = UserFactory()
    proposal_follow(proposal=proposal, user=follower)
    proposal_follow(proposal=proposal, user=proposal.author)
    return SimpleNamespace(
        proposal=proposal,
        proposer=proposal.author,
        follower=follower,
        operator=operator(),
        official=official(department=department),
        department=department,
    )


def _ns(**fields):
    return SimpleNamespace(**fields)


def _send(sender: str, w) -> None:
    """Call one sender with the world (objects the sender only reads are
    plain namespaces)."""
    from answers import notices as answers
    from awards import notices as awards
    from debates import notices as debates
    from meetings import notices as meetings
    from panel import notices as panel
    from pipeline import notices as pipeline
    from polls import notices as polls
    from proposals import notices as proposals
    from themes import notices as themes
    from tracking import notices as tracking

    p, d = w.proposal, w.department
    assignment = _ns(pk=1, proposal=p, department=d, department_id=d.pk)
    card = _ns(pk=1, proposal=p, department=d, department_id=d.pk, get_absolute_url=lambda: "/c/")
    report = _ns(pk=1, card=card, period="2026-1", due_date=dt.date(2026, 3, 1))
    now = timezone.now()
    {
        "answer_published": lambda: answers.tell_answer_published(
            assignment=assignment, answer=_ns(pk=1, decision="accepted")
        ),
        "answer_submitted": lambda: answers.tell_answer_submitted(
            assignment=assignment, event_id=1
        ),
        "answer_returned": lambda: answers.tell_answer_returned(
            assignment=assignment, event_id=1, reason="보완해 주세요."
        ),
        "not_reached": lambda: pipeline.tell_not_reached(proposal=p),
        "assignment_blocked": lambda: pipeline.tell_assignment_blocked(proposal=p, reason=""),
        "debate_opened": lambda: debates.tell_debate_opened(
            debate=_ns(pk=1, proposal=p, ends_at=now)
        ),
        "card_stage_changed": lambda: tracking.tell_stage_changed(
            card=card, event=_ns(pk=1, to_stage="in_progress", note="")
        ),
        "card_report": lambda: tracking.tell_card_report(card=card, report=report, percent=40),
        "report_overdue": lambda: tracking.tell_report_overdue(report=report),
        "meeting_invitation": lambda: meetings.tell_invited(
            meeting=_ns(pk=1, scheduled_at=now, place="시청", get_absolute_url=lambda: "/m/"),
            proposal=p,
        ),
        "proposal_endorsements_reached": lambda: proposals.tell_endorsement_milestones(
            proposal_id=p.pk, before=9, after=10
        ),
        "proposal_new_comments": lambda: proposals.tell_new_comment(
            proposal=p, comment=_ns(author_id=w.follower.pk)
        ),
        "poll_closed": lambda: polls.tell_poll_closed(
            poll=_ns(pk=1, department_id=d.pk, title="설문", voter_count=3)
        ),
        "theme_closed": lambda: themes.tell_theme_closed(
            theme=_ns(pk=1, department=d, title="테마", proposal_count=2)
        ),
        "reward_given": lambda: awards.tell_reward_given(
            reward=_ns(
                pk=1,
                proposer=w.proposer,
                card=card,
                kind="gift",
                amount_won=10000,
                given_on=dt.date(2026, 3, 1),
            )
        ),
        "monthly_award_won": lambda: awards.tell_award_won(
            award=_ns(pk=1, month=dt.date(2026, 2, 1)), winners=[_ns(official=w.official)]
        ),
        "panel_application_approved": lambda: panel.tell_application_approved(
            application=_ns(pk=1, member=w.follower)
        ),
    }[sender]()


# kind → who hears it under which topic (names of the world's people)
SENT = [
    ("answer_published", {"proposer": "my_proposals", "follower": "followed"}),
    ("answer_submitted", {"operator": "work"}),
    ("answer_returned", {"official": "work"}),
    ("not_reached", {"proposer": "my_proposals", "follower": "followed"}),
    ("assignment_blocked", {"operator": "work"}),
    ("debate_opened", {"proposer": "my_proposals", "follower": "followed"}),
    ("card_stage_changed", {"proposer": "my_proposals", "follower": "adopted"}),
    ("card_report", {"proposer": "my_proposals", "follower": "adopted"}),
    ("report_overdue", {"operator": "work"}),
    ("meeting_invitation", {"proposer": "my_proposals"}),
    ("proposal_endorsements_reached", {"proposer": "my_proposals"}),
    ("proposal_new_comments", {"proposer": "my_proposals"}),
    ("poll_closed", {"official": "work"}),
    ("theme_closed", {"official": "work"}),
    ("reward_given", {"proposer": "personal"}),
    ("monthly_award_won", {"official": "personal"}),
    ("panel_application_approved", {"follower": "personal"}),
]


@pytest.mark.parametrize(("kind", "expected"), SENT, ids=[kind for kind, _ in SENT])
def test_each_recipient_hears_under_their_own_topic_once(world, kind, expected):
    _send(kind, world)
    people = {
        getattr(world, name).pk: name for name in ("proposer", "follower", "operator", "official")
    }
    stored = [
        (people.get(recipient_id, recipient_id), topic)
        for recipient_id, topic in Notification.objects.filter(kind=kind).values_list(
            "recipient_id", "topic"
        )
    ]
    # once each (the proposer who follows too is told as the proposer)
    assert sorted(stored) == sorted(expected.items())
    assert {topic for _name, topic in stored} <= KIND_TOPICS[kind]
