"""The demo's partner institution (demo/institutions.py, issue 16):
서울시설공단 with its departments, categories, administrator, proposals at
various stages and its poll, and its space as a visitor opens it."""

import io

from django.core.management import call_command

from accounts.models import Department, Institution, User
from polls.models import Poll
from proposals.models import Category, Proposal, ProposalStatus
from tests.pages import english_client, page_text


def test_the_demo_has_seoul_facilities_corporation(world):
    sisul = Institution.objects.get(slug="sisul")
    assert sisul.name == "서울시설공단" and sisul.is_active and not sisul.logo
    assert Department.objects.filter(institution=sisul).count() == 2
    assert Category.objects.filter(institution=sisul).count() == 3
    admin = User.objects.get(email="institution@demo.oasis.kr")
    assert admin.institution == sisul and admin.check_password("oasis-demo-2026")
    proposals = Proposal.objects.filter(institution=sisul)
    assert proposals.count() == 10
    statuses = set(proposals.values_list("status", flat=True))
    assert {ProposalStatus.OPEN, ProposalStatus.ASSIGNED, ProposalStatus.WITHDRAWN} <= statuses
    # every one under its own categories
    assert not proposals.exclude(category__institution=sisul).exists()
    poll = Poll.objects.get(institution=sisul)
    assert poll.voter_count > 0


def test_its_space_shows_its_work(world):
    reader = english_client()
    home = reader.get("/org/sisul/")
    assert home.status_code == 200
    text = page_text(home)
    assert "공영주차장 운영 시간, 어떻게 바꿀까요?" in text
    assert "공영주차장 전기차 충전기 고장 신고 버튼" in text
    listed = page_text(reader.get("/proposals/?institution=sisul"))
    assert "공영주차장 빈자리를 실시간으로 알려 주세요" in listed


def test_print_demo_logins_lists_the_institution_administrator(world):
    out = io.StringIO()
    call_command("print_demo_logins", stdout=out)
    assert "institution@demo.oasis.kr" in out.getvalue()
    assert "기관 관리자 (서울시설공단)" in out.getvalue()
