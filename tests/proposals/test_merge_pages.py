"""Merging duplicates as people do it (issue 16): the operator's screen from
a proposal's admin page (find, preview, confirm), the merged proposal's page
and its one-click carry-over, the target's list of merged proposals, the
member's requests on /me/, and the public list's status label."""

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from proposals import merging, services
from proposals.models import (
    CarryState,
    Endorsement,
    EndorsementCarry,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from tests.factories import ProposalFactory, UserFactory, official, operator
from tests.pages import (
    english_client,
    form_fields,
    form_posting_to,
    logged_in,
    messages_sent,
    page_html,
    page_text,
)

pytestmark = pytest.mark.django_db


def _screen(proposal):
    return reverse("admin:proposals_proposal_merge", args=[proposal.pk])


def _change(proposal):
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


@pytest.fixture(name="pair")
def pair_fixture(role_groups):
    endorsers = UserFactory.create_batch(2)
    source = ProposalFactory(title="걷고 싶은 한강다리", status=ProposalStatus.ASSIGNED)
    for member in endorsers:
        Endorsement.objects.create(proposal=source, user=member)
    Proposal.objects.filter(pk=source.pk).update(endorsement_count=2)
    source.refresh_from_db()
    target = ProposalFactory(title="한강 다리 보행로 넓히기")
    return source, target, endorsers


def test_the_operator_finds_previews_and_merges_from_the_proposals_page(pair):
    source, target, endorsers = pair
    staff = operator()
    client = logged_in(staff, csrf_checks=True)

    # The button on the proposal's admin page leads to the screen
    change = client.get(_change(source))
    assert f'href="{_screen(source)}"' in page_html(change)

    # A search by words of the title lists the target with a link to choose it
    found = client.get(_screen(source), {"q": "보행로"})
    assert f'href="?target={target.pk}"' in page_html(found)

    # Choosing it shows both stages and what will happen, before anything is written
    page = client.get(_screen(source), {"target": target.pk})
    text = page_text(page)
    assert "Awaiting department answer" in text and "Gathering endorsements" in text
    assert f"#{source.pk} keeps the record of reaching “Awaiting department answer”" in text
    assert f"2 endorsers of #{source.pk} will be asked to carry their endorsement over" in text
    assert "only when its member carries it over" in text
    assert not Proposal.objects.filter(status=ProposalStatus.MERGED).exists()

    # Confirming with a reason merges, as the form is rendered
    fields = form_fields(page, "merge-form")
    assert fields["target"] == str(target.pk)
    done = client.post(_screen(source), {**fields, "reason": "같은 제안입니다"})
    assert done.status_code == 302
    assert f"#{source.pk} was merged into #{target.pk}." in messages_sent(done)
    source.refresh_from_db()
    assert (source.status, source.merged_into_id) == (ProposalStatus.MERGED, target.pk)
    assert EndorsementCarry.objects.filter(source=source, state=CarryState.ASKED).count() == 2
    assert AuditRecord.objects.filter(action=merging.MERGE_AUDIT, actor=staff).exists()
    # A merged proposal's page offers no second merge
    assert _screen(source) not in page_html(client.get(_change(source)))


def test_a_refused_merge_says_why_in_korean_and_writes_nothing(pair):
    source, _target, _endorsers = pair
    other = ProposalFactory(status=ProposalStatus.DEBATE)
    client = logged_in(operator(), csrf_checks=True)
    client.cookies["django_language"] = "ko"
    page = client.get(_screen(source), {"target": other.pk})
    assert "더 이상 추천을 받지 않아" in page_text(page)
    answer = client.post(_screen(source), {**form_fields(page, "merge-form"), "reason": "중복"})
    assert answer.status_code == 200
    assert "더 이상 추천을 받지 않아" in page_text(answer)
    source.refresh_from_db()
    assert source.status == ProposalStatus.ASSIGNED
    assert not EndorsementCarry.objects.exists()
    assert not ProposalEvent.objects.filter(kind=EventKind.MERGED_INTO).exists()


def test_a_number_that_names_no_proposal_is_a_message_not_an_error(pair):
    source, _target, _endorsers = pair
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(_screen(source))
    answer = client.post(
        _screen(source), {**form_fields(page, "merge-form"), "target": "999999", "reason": "중복"}
    )
    assert answer.status_code == 200
    assert "There is no proposal #999999." in page_text(answer)
    answer = client.post(
        _screen(source), {**form_fields(page, "merge-form"), "target": "abc", "reason": "중복"}
    )
    assert answer.status_code == 200
    assert client.get(_screen(source), {"target": "x" * 50}).status_code == 200
    assert client.get(reverse("admin:proposals_proposal_merge", args=["abc"])).status_code == 404


def test_officials_see_no_merge(pair):
    source, target, _endorsers = pair
    clerk = logged_in(official(department=source.category.default_department), csrf_checks=True)
    assert clerk.get(_screen(source)).status_code == 403
    assert clerk.post(_screen(source), {"target": target.pk, "reason": "중복"}).status_code == 403
    change = clerk.get(_change(source))
    assert _screen(source) not in page_html(change)
    source.refresh_from_db()
    assert source.status == ProposalStatus.ASSIGNED


@pytest.fixture(name="merged")
def merged_fixture(pair):
    source, target, endorsers = pair
    services.comment_create(proposal=source, author=UserFactory(), body="좋은 생각이에요")
    merging.proposal_merge(actor=operator(), source=source, target=target, reason="중복")
    source.refresh_from_db()
    return source, target, endorsers


def test_the_merged_page_points_to_the_target_and_its_comments_stay(merged):
    source, target, _endorsers = merged
    page = english_client().get(source.get_absolute_url())
    text = page_text(page)
    assert f"This proposal was merged into #{target.pk}." in text
    assert f'href="{target.get_absolute_url()}"' in page_html(page)
    assert "좋은 생각이에요" in text
    assert "Merged into another proposal" in text  # the status badge
    # Korean readers read the banner in Korean
    korean = english_client()
    korean.cookies["django_language"] = "ko"
    assert f"이 제안은 #{target.pk}에 합쳐졌습니다." in page_text(
        korean.get(source.get_absolute_url())
    )
    # The target lists it
    target_page = english_client().get(target.get_absolute_url())
    assert "Merged proposals" in page_text(target_page)
    assert f'href="{source.get_absolute_url()}"' in page_html(target_page)


def test_commenting_or_endorsing_a_merged_proposal_is_refused_with_a_message(merged):
    source, _target, _endorsers = merged
    member = UserFactory()
    client = logged_in(member, csrf_checks=True)
    page = client.get(source.get_absolute_url())
    assert f'action="{reverse("proposals:comment_create", args=[source.pk])}"' not in page_html(
        page
    )
    # What a stale page (opened before the merge) would still send
    csrf = client.cookies["csrftoken"].value
    answer = client.post(
        reverse("proposals:comment_create", args=[source.pk]),
        {"body": "댓글", "csrfmiddlewaretoken": csrf},
        follow=True,
    )
    assert "merged into" in page_text(answer)
    answer = client.post(
        reverse("proposals:endorse", args=[source.pk]),
        {"action": "endorse", "csrfmiddlewaretoken": csrf},
        follow=True,
    )
    assert "merged into" in page_text(answer)
    assert source.comments.count() == 1
    assert not Endorsement.objects.filter(user=member).exists()


def test_the_member_carries_with_one_click_from_the_merged_page(merged):
    source, target, endorsers = merged
    member = endorsers[0]
    client = logged_in(member, csrf_checks=True)
    page = client.get(source.get_absolute_url())
    carry = EndorsementCarry.objects.get(member=member, source=source)
    form = form_posting_to(page, reverse("proposals:carry", args=[carry.pk]))
    done = client.post(
        reverse("proposals:carry", args=[carry.pk]), {**form["fields"], "action": "carry"}
    )
    assert done.status_code == 302 and done["Location"].startswith(target.get_absolute_url())
    target.refresh_from_db()
    assert target.endorsement_count == 1
    carry.refresh_from_db()
    assert carry.state == CarryState.CARRIED
    # The page no longer asks, and the target's page says they endorse it
    assert reverse("proposals:carry", args=[carry.pk]) not in page_html(
        client.get(source.get_absolute_url())
    )
    assert "You endorsed this proposal." in page_text(client.get(target.get_absolute_url()))
    # A second post (the back button) counts nothing more
    again = client.post(
        reverse("proposals:carry", args=[carry.pk]),
        {**form["fields"], "action": "carry"},
        follow=True,
    )
    assert "You have already answered this request." in page_text(again)
    target.refresh_from_db()
    assert target.endorsement_count == 1


def test_the_member_sees_their_requests_on_their_page_and_may_decline(merged):
    source, target, endorsers = merged
    member = endorsers[1]
    client = logged_in(member, csrf_checks=True)
    page = client.get(reverse("me"))
    carry = EndorsementCarry.objects.get(member=member, source=source)
    assert "Carry your endorsements over" in page_text(page)
    form = form_posting_to(page, reverse("proposals:carry", args=[carry.pk]))
    done = client.post(
        reverse("proposals:carry", args=[carry.pk]),
        {**form["fields"], "action": "decline"},
        follow=True,
    )
    assert "your endorsement stays where it was" in page_text(done)
    carry.refresh_from_db()
    assert carry.state == CarryState.DECLINED
    assert not target.endorsements.exists()
    assert "Carry your endorsements over" not in page_text(client.get(reverse("me")))


def test_another_members_request_is_not_found(merged):
    source, _target, _endorsers = merged
    carry = EndorsementCarry.objects.filter(source=source).first()
    client = logged_in(UserFactory(), csrf_checks=True)
    client.get(reverse("me"))
    answer = client.post(
        reverse("proposals:carry", args=[carry.pk]),
        {"action": "carry", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert answer.status_code == 404
    carry.refresh_from_db()
    assert carry.state == CarryState.ASKED


def test_the_public_list_labels_merged_proposals(merged, django_assert_max_num_queries):
    source, _target, _endorsers = merged
    with django_assert_max_num_queries(12):
        page = english_client().get(reverse("proposals:list"), {"status": "merged"})
    assert page.status_code == 200
    text = page_text(page)
    assert source.title in text and "Merged into another proposal" in text
