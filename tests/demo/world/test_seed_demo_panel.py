"""The demo's citizen panel: panel@demo and the members who joined, one
application waiting on the operators' home, one refused with its note, and
ratings whose counts and scores are exactly those kept on the proposals."""

from django.db.models import Count, F, Sum

from accounts.models import User
from accounts.roles import Role
from accounts.staff_home import home_sections
from demo.members import OPERATOR_EMAIL, PANEL_EMAIL
from panel import selectors
from panel.models import ApplicationStatus, PanelApplication, PanelRating
from panel.services import panel_score_of
from proposals.models import Proposal
from tests.pages import logged_in, page_text


def test_the_panel_has_members_one_waiting_and_one_refused_application(world):
    first = User.objects.get(email=PANEL_EMAIL)
    assert PanelApplication.objects.get(member=first).status == ApplicationStatus.APPROVED
    approved = PanelApplication.objects.filter(status=ApplicationStatus.APPROVED)
    assert approved.count() >= 7
    for application in approved.select_related("member"):
        assert application.member.has_role(Role.PANEL)
    refused = PanelApplication.objects.get(status=ApplicationStatus.REFUSED)
    assert refused.decision_note and not refused.member.has_role(Role.PANEL)
    pending = PanelApplication.objects.get(status=ApplicationStatus.PENDING)
    operator = User.objects.get(email=OPERATOR_EMAIL)
    sections = {s.key: s for _h, group in home_sections(operator) for s in group}
    assert sections["panel.applications"].count == 1
    assert sections["panel.applications"].rows[0].title == pending.member.get_full_name()


def test_every_proposals_panel_score_is_that_of_its_ratings(world):
    totals = PanelRating.objects.values("proposal").annotate(
        n=Count("pk"), total=Sum(F("creativity") + F("public_value") + F("feasibility"))
    )
    assert len(totals) >= 8
    kept = dict(
        Proposal.objects.filter(panel_rating_count__gt=0).values_list("pk", "panel_rating_count")
    )
    assert kept == {row["proposal"]: row["n"] for row in totals}
    for row in totals:
        proposal = Proposal.objects.get(pk=row["proposal"])
        assert proposal.panel_score == panel_score_of(row["total"], row["n"])
        assert not PanelRating.objects.filter(proposal=proposal, member=proposal.author).exists()


def test_the_panel_login_has_proposals_left_to_rate_and_sees_the_form(world):
    member = User.objects.get(email=PANEL_EMAIL)
    waiting = selectors.proposals_to_rate(member)
    rated_by_others = waiting.filter(panel_rating_count__gt=0).first()
    assert rated_by_others is not None
    client = logged_in(member)
    text = page_text(client.get(rated_by_others.get_absolute_url()))
    assert "Citizen panel rating" in text and "Submit my rating" in text
    assert waiting.first().title in page_text(client.get("/panel/to-rate/"))
