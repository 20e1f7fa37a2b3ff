"""The mileage screens of the admin, as an operator uses them: the ledger
(read-only, filtered, searched, exported), the rules and the settings
(validated as rendered, nothing saved on error), and the adjustment."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.grades import Grade
from accounts.models import AuditRecord
from accounts.participation import Action, participated
from mileage.models import MileageEntry, MileageRule, MileageSettings
from tests.factories import CommentFactory, UserFactory, official
from tests.pages import form_fields, logged_in, page_text

from .helpers import assert_exact, balance, set_rule

pytestmark = pytest.mark.django_db

LEDGER = reverse("admin:mileage_mileageentry_changelist")
RULES = reverse("admin:mileage_mileagerule_changelist")
ADJUST = reverse("admin:mileage_mileageentry_adjust")


def _comments(n, member=None):
    set_rule(Action.COMMENT, 2)
    for _ in range(n):
        comment = CommentFactory(**({"author": member} if member else {}))
        participated(action=Action.COMMENT, member_id=comment.author_id, source=comment)


# --- the ledger ---------------------------------------------------------------


def test_the_ledger_is_read_only(operator_client):
    _comments(1)
    entry = MileageEntry.objects.get()
    listing = operator_client.get(LEDGER)
    assert listing.status_code == 200
    assert reverse("admin:mileage_mileageentry_add") not in listing.content.decode()
    assert operator_client.get(reverse("admin:mileage_mileageentry_add")).status_code == 403
    change = reverse("admin:mileage_mileageentry_change", args=[entry.pk])
    page = operator_client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    operator_client.post(change, {"points": 5000})
    entry.refresh_from_db()
    assert entry.points == 2
    delete = reverse("admin:mileage_mileageentry_delete", args=[entry.pk])
    assert operator_client.post(delete, {"post": "yes"}).status_code == 403
    assert MileageEntry.objects.count() == 1


def test_the_ledger_filters_by_action_and_grade_and_searches_by_email(operator_client):
    member = UserFactory(email="finder@example.com")
    _comments(2, member)
    _comments(3)
    by_email = operator_client.get(LEDGER, {"q": "finder@example"})
    assert by_email.context["cl"].result_count == 2
    by_action = operator_client.get(LEDGER, {"action__exact": "comment"})
    assert by_action.context["cl"].result_count == 5
    by_grade = operator_client.get(LEDGER, {"member__mileage_grade__exact": Grade.OASIS})
    assert by_grade.context["cl"].result_count == 0


def test_the_ledgers_queries_do_not_grow_with_its_rows(
    operator_client, django_assert_max_num_queries
):
    _comments(3)
    with django_assert_max_num_queries(20) as few:
        operator_client.get(LEDGER)
    _comments(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        operator_client.get(LEDGER)


def test_the_ledger_exports_as_csv_without_email_addresses(operator_client):
    _comments(2, UserFactory(email="hidden@example.com"))
    url = reverse("admin:mileage_mileageentry_export")
    page = operator_client.get(url)
    response = operator_client.post(url, {**form_fields(page), "format": "0"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["ID", "time", "member ID", "member", "reason", "points"]
    assert len(rows) == 3 and {row[5] for row in rows[1:]} == {"2"}
    assert "hidden@example.com" not in response.content.decode("utf-8-sig")


def test_only_operators_open_the_mileage_screens():
    clerk = logged_in(official())
    for url in (LEDGER, RULES, ADJUST):
        assert clerk.get(url).status_code in (302, 403)


# --- rules --------------------------------------------------------------------


def _rules_form(client):
    page = client.get(RULES)
    fields = form_fields(page, "changelist-form")
    rows = {fields[f"form-{i}-id"]: i for i in range(int(fields["form-TOTAL_FORMS"]))}
    return fields, rows


@pytest.mark.parametrize(
    ("points", "cap", "error"),
    [
        ("-5", "0", "greater than or equal to 0"),
        ("20000", "0", "less than or equal to 10000"),
        ("5", "3", "at least the points of one award"),
    ],
)
def test_absurd_rules_are_refused_and_nothing_is_saved(operator_client, points, cap, error):
    comment_rule = MileageRule.objects.get(action=Action.COMMENT)
    fields, rows = _rules_form(operator_client)
    i = rows[str(comment_rule.pk)]
    fields.update({f"form-{i}-points": points, f"form-{i}-daily_cap": cap, "_save": "Save"})
    response = operator_client.post(RULES, fields)
    assert response.status_code == 200
    assert error in page_text(response)
    comment_rule.refresh_from_db()
    assert (comment_rule.points, comment_rule.daily_cap) == (2, 20)


def test_an_operator_changes_a_rule_in_the_list(operator_client):
    comment_rule = MileageRule.objects.get(action=Action.COMMENT)
    fields, rows = _rules_form(operator_client)
    i = rows[str(comment_rule.pk)]
    fields.update({f"form-{i}-points": "3", f"form-{i}-daily_cap": "30", "_save": "Save"})
    response = operator_client.post(RULES, fields)
    assert response.status_code == 302
    comment_rule.refresh_from_db()
    assert (comment_rule.points, comment_rule.daily_cap) == (3, 30)
    assert AuditRecord.objects.filter(action="mileage.rule_changed").count() == 1
    assert (
        reverse("admin:mileage_mileagerule_add") not in operator_client.get(RULES).content.decode()
    )


# --- settings -----------------------------------------------------------------


def _settings_page(client):
    url = reverse("admin:mileage_mileagesettings_change", args=[MileageSettings.load().pk])
    return url, form_fields(client.get(url))


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"tree_from": "100"}, "more points than the grade below it"),
        ({"forest_from": "400"}, "more points than the grade below it"),
        ({"sprout_from": "-1"}, "greater than or equal to 0"),
        ({"sprout_from": "0"}, "greater than or equal to 1"),
        ({"oasis_from": "99999999999"}, "less than or equal to 10000000"),
    ],
)
def test_thresholds_out_of_order_or_absurd_are_refused(operator_client, changes, error):
    url, fields = _settings_page(operator_client)
    response = operator_client.post(url, {**fields, **changes})
    assert response.status_code == 200
    assert error in page_text(response)
    assert MileageSettings.load().thresholds() == [100, 500, 2000, 10000]


def test_new_thresholds_regrade_every_member(operator_client, django_capture_on_commit_callbacks):
    set_rule(Action.ADOPTED, 150)
    comment = CommentFactory()
    participated(action=Action.ADOPTED, member_id=comment.author_id, source=comment)
    assert balance(comment.author) == 150 and comment.author.mileage_grade == Grade.SPROUT

    url, fields = _settings_page(operator_client)
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(url, {**fields, "sprout_from": "50", "tree_from": "120"})
    assert response.status_code == 302
    balance(comment.author)
    assert comment.author.mileage_grade == Grade.TREE
    assert AuditRecord.objects.filter(action="mileage.thresholds_changed").count() == 1
    assert_exact()


# --- adjustment ---------------------------------------------------------------


def test_an_adjustment_needs_a_note_and_a_member(operator_client):
    member = UserFactory(email="member@example.com")
    fields = form_fields(operator_client.get(ADJUST))
    for changes, error in [
        ({"email": "member@example.com", "points": "50", "note": "   "}, "say why"),
        ({"email": "nobody@example.com", "points": "50", "note": "행사"}, "No member"),
        ({"email": "member@example.com", "points": "0", "note": "행사"}, "other than 0"),
        ({"email": "member@example.com", "points": "99999", "note": "행사"}, "less than"),
    ]:
        response = operator_client.post(ADJUST, {**fields, **changes})
        assert response.status_code == 200
        assert error in page_text(response)
    assert balance(member) == 0
    assert not MileageEntry.objects.exists()


def test_an_operator_adjusts_a_members_mileage(operator_client):
    member = UserFactory(email="member@example.com")
    listing = operator_client.get(LEDGER)
    assert ADJUST in listing.content.decode()
    fields = form_fields(operator_client.get(ADJUST))
    response = operator_client.post(
        ADJUST,
        {**fields, "email": "member@example.com", "points": "120", "note": "오프라인 행사 참여"},
        follow=True,
    )
    assert "+120 points recorded" in page_text(response)
    assert balance(member) == 120 and member.mileage_grade == Grade.SPROUT
    entry = MileageEntry.objects.get()
    assert (entry.action, entry.note) == (Action.ADJUSTMENT, "오프라인 행사 참여")
    record = AuditRecord.objects.get(action="mileage.adjusted")
    assert record.params == {"points": 120, "entry": entry.pk}
    assert_exact()


def test_an_adjustment_sent_twice_is_recorded_once(operator_client):
    """A double click or a browser resending the page (review of issue 13):
    the same rendered form makes one entry, and the second sending lands on
    the ledger instead of taking or giving the points again."""
    member = UserFactory(email="member@example.com")
    fields = form_fields(operator_client.get(ADJUST))
    sent = {**fields, "email": "member@example.com", "points": "30", "note": "오프라인 행사 참여"}
    first = operator_client.post(ADJUST, sent)
    second = operator_client.post(ADJUST, sent)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert balance(member) == 30
    assert MileageEntry.objects.count() == 1
    assert AuditRecord.objects.filter(action="mileage.adjusted").count() == 1
    assert_exact()


def test_an_adjustment_cannot_take_a_balance_below_zero(operator_client):
    # Given a member with 40 points
    member = UserFactory(email="member@example.com")
    fields = form_fields(operator_client.get(ADJUST))
    sent = {**fields, "email": "member@example.com", "points": "40", "note": "행사"}
    assert operator_client.post(ADJUST, sent).status_code == 302

    # When an operator tries to take 60
    fields = form_fields(operator_client.get(ADJUST))
    response = operator_client.post(
        ADJUST, {**fields, "email": "member@example.com", "points": "-60", "note": "정정"}
    )

    # Then the form says why, with the balance, and nothing is written
    assert response.status_code == 200
    assert "below 0: the member has 40 points now" in page_text(response)
    assert balance(member) == 40
    assert MileageEntry.objects.count() == 1

    # Taking exactly what there is still works
    fields = form_fields(operator_client.get(ADJUST))
    response = operator_client.post(
        ADJUST, {**fields, "email": "member@example.com", "points": "-40", "note": "정정"}
    )
    assert response.status_code == 302
    assert balance(member) == 0
    assert_exact()
