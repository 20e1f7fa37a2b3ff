"""Insecure direct object references, from the attacker's side: every role
(a visitor, citizen B against citizen A's things, an official of department
X against Y's and Y against X's, an expert, the mayor's office, an operator
where the rule stops operators too) sends the ids of objects that are not
theirs through the public URLs, the forms and the admin. Each attempt gets
a refusal (404, 403, or a redirect to the login or away with a message),
shows nothing it should not, and changes nothing.

The admin's hidden and trashed proposals for officials and the mayor's
office, and staff editing members' e-mail, are the admin-scope suite's
(tests/attacks/test_admin_scope.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.forms.models import model_to_dict

from answers.models import AnswerRating
from notifications.models import Notification
from tests.attacks.world import World, refreshed
from tests.pages import english_client, logged_in

pytestmark = pytest.mark.django_db

CITIZENS_BUT_A = ("citizen_b",)
STAFF = ("official_x", "official_y", "expert", "expert_external", "mayor_office")
NOT_OPERATORS = ("citizen_a", "citizen_b", *STAFF)
EVERYONE_BUT_A = ("anonymous", "citizen_b", *STAFF, "operator")
REFUSED = {302, 403, 404}


def snapshot(obj) -> dict:
    return model_to_dict(refreshed(obj))


@dataclass(frozen=True)
class Attack:
    id: str
    roles: tuple[str, ...]
    url: Callable[[World], str]
    data: dict | None = None  # None: a GET
    # what must not change: an object (compared field by field) or a reading
    unchanged: Callable[[World], object] = lambda w: None
    # text the attacker must not see in the answer
    secret: Callable[[World], str] | None = None
    allowed: frozenset = field(default_factory=lambda: frozenset(REFUSED))


def _state(attack, world):
    target = attack.unchanged(world)
    return snapshot(target) if hasattr(target, "_meta") else target


PUBLIC = [
    Attack(
        "edit another's proposal (page)",
        EVERYONE_BUT_A,
        lambda w: f"/proposals/{w.proposal_a.pk}/edit/",
        secret=lambda w: w.proposal_a.body,
    ),
    Attack(
        "edit another's proposal (form)",
        EVERYONE_BUT_A,
        lambda w: f"/proposals/{w.proposal_a.pk}/edit/",
        {"title": "가로챈 제목입니다", "body": "가로챈 본문입니다. " * 3, "category": "roads"},
        unchanged=lambda w: w.proposal_a,
    ),
    Attack(
        "withdraw another's proposal",
        EVERYONE_BUT_A,
        lambda w: f"/proposals/{w.proposal_a.pk}/withdraw/",
        {"reason": "x"},
        unchanged=lambda w: w.proposal_a,
    ),
    Attack(
        "delete another's proposal",
        EVERYONE_BUT_A,
        lambda w: f"/proposals/{w.proposal_a.pk}/delete/",
        {},
        unchanged=lambda w: w.proposal_a,
    ),
    Attack(
        "edit another's comment (page)",
        EVERYONE_BUT_A,
        lambda w: f"/proposals/comments/{w.comment_a.pk}/edit/",
    ),
    Attack(
        "edit another's comment (form)",
        EVERYONE_BUT_A,
        lambda w: f"/proposals/comments/{w.comment_a.pk}/edit/",
        {"body": "가로챈 댓글"},
        unchanged=lambda w: w.comment_a,
    ),
    Attack(
        "delete another's comment",
        EVERYONE_BUT_A,
        lambda w: f"/proposals/comments/{w.comment_a.pk}/delete/",
        {},
        unchanged=lambda w: w.comment_a,
    ),
    Attack(
        "delete another's argument",
        EVERYONE_BUT_A,
        lambda w: f"/debates/arguments/{w.argument_a.pk}/delete/",
        {},
        unchanged=lambda w: w.argument_a,
    ),
    Attack(
        "hide a proposal without being an operator",
        ("anonymous", *NOT_OPERATORS),
        lambda w: f"/proposals/{w.proposal_b.pk}/moderate/",
        {"action": "hide", "reason": "x"},
        unchanged=lambda w: w.proposal_b,
    ),
    Attack(
        "restore a hidden proposal without being an operator",
        ("anonymous", *NOT_OPERATORS),
        lambda w: f"/proposals/{w.proposal_hidden.pk}/moderate/",
        {"action": "restore", "reason": "x"},
        unchanged=lambda w: w.proposal_hidden,
    ),
    Attack(
        "hide a comment without being an operator",
        ("anonymous", *NOT_OPERATORS),
        lambda w: f"/proposals/comments/{w.comment_a.pk}/moderate/",
        {"action": "hide", "reason": "x"},
        unchanged=lambda w: w.comment_a,
    ),
    Attack(
        "hide an argument without being an operator",
        ("anonymous", *NOT_OPERATORS),
        lambda w: f"/debates/arguments/{w.argument_b.pk}/moderate/",
        {"action": "hide", "reason": "x"},
        unchanged=lambda w: w.argument_b,
    ),
    Attack(
        "promote a proposal without being an operator",
        ("anonymous", *NOT_OPERATORS),
        lambda w: f"/proposals/{w.proposal_a.pk}/promote/",
        {"reason": "x"},
        unchanged=lambda w: w.proposal_a,
    ),
    Attack(
        "rate the answer to another's proposal",
        EVERYONE_BUT_A,
        lambda w: f"/answers/{w.answer_x.pk}/rate/",
        {"score": "1", "comment": "x"},
        unchanged=lambda w: AnswerRating.objects.count(),
    ),
    Attack(
        "open another member's notice",
        EVERYONE_BUT_A,
        lambda w: (
            f"/notifications/{Notification.objects.filter(recipient=w.people.citizen_a).first().pk}/"
        ),
        unchanged=lambda w: Notification.objects.filter(recipient=w.people.citizen_a).first(),
    ),
    Attack(
        "read a hidden proposal",
        ("anonymous", "citizen_a", *STAFF),
        lambda w: w.proposal_hidden.get_absolute_url(),
        secret=lambda w: w.proposal_hidden.body,
        allowed=frozenset({200, 404}),  # the page says it is hidden, without its text
    ),
    Attack(
        "read a trashed proposal",
        ("anonymous", "citizen_a", "citizen_b", *STAFF, "operator"),
        lambda w: f"/proposals/{w.proposal_trashed.pk}/",
        secret=lambda w: w.proposal_trashed.body,
        allowed=frozenset({404}),
    ),
    Attack(
        "see a hidden proposal's photo",
        ("anonymous", "citizen_a", *STAFF),
        lambda w: f"/proposals/photos/{w.photo_hidden.pk}/full/",
        allowed=frozenset({404}),
    ),
    Attack(
        "see a trashed proposal's photo",
        ("anonymous", "citizen_a", "citizen_b", *STAFF, "operator"),
        lambda w: f"/proposals/photos/{w.photo_trashed.pk}/thumb/",
        allowed=frozenset({404}),
    ),
]


def admin_change(model: str, name: str):
    return lambda w: f"/admin/{model}/{getattr(w, name).pk}/change/"


ADMIN = [
    Attack(
        "a citizen opens the admin's proposal page",
        ("anonymous", "citizen_a", "citizen_b"),
        admin_change("proposals/proposal", "proposal_hidden"),
        secret=lambda w: w.proposal_hidden.body,
    ),
    Attack(
        "a citizen posts to the admin's proposal page",
        ("anonymous", "citizen_a", "citizen_b"),
        admin_change("proposals/proposal", "proposal_b"),
        {"title": "가로챈 제목", "is_hidden": "on", "_save": "1"},
        unchanged=lambda w: w.proposal_b,
    ),
    Attack(
        "another department's workroom",
        ("citizen_a", "official_x", "expert_external"),
        admin_change("answers/assignment", "assignment_y"),
        secret=lambda w: w.answer_y.summary,
    ),
    Attack(
        "another department's draft answer",
        ("citizen_a", "official_x", "expert_external"),
        admin_change("answers/answer", "answer_y"),
        secret=lambda w: w.answer_y.summary,
        allowed=frozenset({302, 403, 404}),
    ),
    Attack(
        "write in another department's workroom",
        ("citizen_a", "official_x", "expert", "expert_external", "mayor_office"),
        admin_change("answers/assignment", "assignment_y"),
        {"summary": "가로챈 답변", "decision": "accept", "_save_draft": "1", "_submit": "1"},
        unchanged=lambda w: w.answer_y,
    ),
    Attack(
        "write in the other department's workroom",
        ("official_y",),
        admin_change("answers/assignment", "assignment_x"),
        {"summary": "가로챈 답변", "decision": "accept", "_save_draft": "1"},
        unchanged=lambda w: w.answer_x,
    ),
    Attack(
        "another department's management card",
        ("citizen_a", "official_y", "expert_external"),
        admin_change("tracking/managementcard", "card_x"),
        # (public on the tracker; here it marks that the admin's page was served)
        secret=lambda w: w.card_x.proposal.title,
    ),
    Attack(
        "change another department's management card",
        ("citizen_a", "official_y", "expert", "expert_external", "mayor_office"),
        admin_change("tracking/managementcard", "card_x"),
        {"planned_budget": "1", "spent_budget": "1", "target_date": "2030-01-01", "_save": "1"},
        unchanged=lambda w: w.card_x,
    ),
    Attack(
        "change the other department's management card",
        ("official_x",),
        admin_change("tracking/managementcard", "card_y"),
        {"planned_budget": "1", "_save": "1"},
        unchanged=lambda w: w.card_y,
    ),
    Attack(
        "another department's progress report",
        ("citizen_a", "official_y", "expert_external"),
        admin_change("tracking/progressreport", "report_x"),
        {"done": "가로챈 보고", "percent": "100", "_save": "1"},
        unchanged=lambda w: w.report_x,
    ),
    Attack(
        "decide a meeting's item without being an operator",
        ("citizen_a", "official_x", "expert", "expert_external"),
        lambda w: (
            f"/admin/meetings/realizationmeeting/{w.meeting.pk}/decide/{w.card_y.agenda_item_id}/"
        ),
        {"decision": "not_adopted", "reason": "x"},
        unchanged=lambda w: w.card_y.agenda_item,
    ),
    Attack(
        "another member's record in the admin",
        ("citizen_a", "official_x", "expert", "expert_external"),
        lambda w: f"/admin/accounts/user/{w.people.citizen_b.pk}/change/",
        {"display_name": "가로챈 이름", "is_staff": "on", "is_superuser": "on", "_save": "1"},
        unchanged=lambda w: w.people.citizen_b,
    ),
]

CASES = [
    pytest.param(attack, role, id=f"{attack.id} [{role}]")
    for attack in [*PUBLIC, *ADMIN]
    for role in attack.roles
]


@pytest.mark.parametrize(("attack", "role"), CASES)
def test_no_role_reaches_what_is_not_theirs(world, attack, role):
    # given the attacker, and what they aim at as it is stored
    user = world.user(role)
    browser = english_client() if user is None else logged_in(user)
    before = _state(attack, world)

    # when they send its id
    url = attack.url(world)
    response = browser.get(url) if attack.data is None else browser.post(url, attack.data)

    # then they are refused, see nothing of it, and nothing changed
    assert response.status_code in attack.allowed, (response.status_code, response.get("Location"))
    if attack.secret is not None:
        assert attack.secret(world) not in response.content.decode()
    assert _state(attack, world) == before


# The same doors, opened by those they are for: the refusals above are the
# rule at work, not a page that is broken for everyone.
RIGHTFUL = [
    ("citizen_a", lambda w: f"/proposals/{w.proposal_a.pk}/edit/", lambda w: w.proposal_a.title),
    ("operator", lambda w: w.proposal_hidden.get_absolute_url(), lambda w: w.proposal_hidden.body),
    (
        "official_y",
        admin_change("answers/assignment", "assignment_y"),
        lambda w: w.answer_y.summary,
    ),
    ("operator", admin_change("answers/assignment", "assignment_y"), lambda w: w.answer_y.summary),
    (
        "official_x",
        admin_change("tracking/managementcard", "card_x"),
        lambda w: w.card_x.proposal.title,
    ),
    (
        "mayor_office",
        admin_change("tracking/managementcard", "card_x"),
        lambda w: w.card_x.proposal.title,
    ),
    ("official_x", admin_change("tracking/progressreport", "report_x"), lambda w: w.report_x.done),
]


@pytest.mark.parametrize(
    ("role", "url", "text"), RIGHTFUL, ids=[f"{i}-{r[0]}" for i, r in enumerate(RIGHTFUL)]
)
def test_the_rightful_role_does_reach_it(world, role, url, text):
    response = logged_in(world.user(role)).get(url(world), follow=True)
    assert response.status_code == 200
    assert text(world) in response.content.decode()
