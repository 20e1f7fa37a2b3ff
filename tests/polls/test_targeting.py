"""The targeting rules (polls.targeting): who may vote in a targeted poll,
who is asked for a missing profile item, who is told they are outside, and
the validator the poll editor uses for the target lists."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import ConsentVia
from accounts.services import consent_record
from polls.targeting import (
    clean_targets,
    eligibility,
    target_summary,
    voter_groups,
)
from tests.factories import UserFactory
from tests.polls.target_helpers import targeted_poll

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def member(**profile):
    """A member who gave (and consented to) exactly the items in `profile`."""
    return UserFactory(**profile)


# (target, the member's profile, expected: "allowed", a list of missing items, or "outside")
RULES = [
    # No target: everyone, with or without data.
    ({}, {}, "allowed"),
    ({}, {"district": "mapo", "birth_year": 1996, "gender": "female"}, "allowed"),
    # District only.
    ({"districts": ["mapo", "eunpyeong"]}, {"district": "mapo"}, "allowed"),
    ({"districts": ["mapo", "eunpyeong"]}, {"district": "gangnam"}, "outside"),
    ({"districts": ["mapo"]}, {}, ["district"]),
    # ... other items given do not stand in for the district.
    ({"districts": ["mapo"]}, {"birth_year": 1996, "gender": "male"}, ["district"]),
    # Age bands only (born 1996: in their 30s all of 2026).
    ({"ages": ["20s", "30s"]}, {"birth_year": 1996}, "allowed"),
    ({"ages": ["40s"]}, {"birth_year": 1996}, "outside"),
    ({"ages": ["under20"]}, {"birth_year": 2010}, "allowed"),
    ({"ages": ["70plus"]}, {"birth_year": 1950}, "allowed"),
    ({"ages": ["20s"]}, {"district": "mapo"}, ["birth_year"]),
    # Gender only.
    ({"genders": ["female"]}, {"gender": "female"}, "allowed"),
    ({"genders": ["female"]}, {"gender": "male"}, "outside"),
    ({"genders": ["female", "other"]}, {}, ["gender"]),
    # Several kinds: every one must match.
    ({"districts": ["mapo"], "ages": ["30s"]}, {"district": "mapo", "birth_year": 1996}, "allowed"),
    ({"districts": ["mapo"], "ages": ["30s"]}, {"district": "mapo", "birth_year": 1980}, "outside"),
    ({"districts": ["mapo"], "ages": ["30s"]}, {"district": "mapo"}, ["birth_year"]),
    ({"districts": ["mapo"], "ages": ["30s"]}, {}, ["district", "birth_year"]),
    # Outside on what is known: told so, not asked for the rest.
    ({"districts": ["mapo"], "ages": ["30s"]}, {"district": "gangnam"}, "outside"),
    ({"districts": ["mapo"], "genders": ["female"]}, {"gender": "male"}, "outside"),
    (
        {"districts": ["mapo"], "ages": ["30s"], "genders": ["female"]},
        {"district": "mapo", "birth_year": 1996, "gender": "female"},
        "allowed",
    ),
    (
        {"districts": ["mapo"], "ages": ["30s"], "genders": ["female"]},
        {"district": "mapo", "birth_year": 1996, "gender": "other"},
        "outside",
    ),
    (
        {"districts": ["mapo"], "ages": ["30s"], "genders": ["female"]},
        {"birth_year": 1996},
        ["district", "gender"],
    ),
]


@pytest.mark.parametrize(("target", "profile", "expected"), RULES)
def test_who_may_vote(target, profile, expected):
    poll = targeted_poll(**target)
    found = eligibility(member(**profile), poll, TODAY)
    if expected == "allowed":
        assert found.allowed and not found.missing and not found.reason
    elif expected == "outside":
        assert not found.allowed and not found.missing
        assert found.reason
    else:
        assert not found.allowed and not found.reason
        assert found.missing == expected


def test_an_item_given_without_consent_is_missing():
    """Data on the profile that the member never consented to is not read."""
    someone = UserFactory(district="mapo", birth_year=1996, consented=False)
    consent_record(user=someone, optional_items=set(), via=ConsentVia.PROFILE)
    someone.district, someone.birth_year = "mapo", 1996  # as if left over, not erased
    poll = targeted_poll(districts=["mapo"], ages=["30s"])
    assert eligibility(someone, poll, TODAY).missing == ["district", "birth_year"]
    assert voter_groups(someone, TODAY) == {"district": "", "age_band": "", "gender": ""}


def test_consent_withdrawn_after_giving_data_makes_the_item_missing_again():
    someone = member(district="mapo", birth_year=1996)
    poll = targeted_poll(districts=["mapo"])
    assert eligibility(someone, poll, TODAY).allowed
    consent_record(user=someone, optional_items={"birth_year"}, via=ConsentVia.PROFILE)
    someone.refresh_from_db()
    found = eligibility(someone, poll, TODAY)
    assert not found.allowed and found.missing == ["district"]


def test_the_age_band_is_the_one_on_the_day():
    """Born 2006: under 20 through 2025, in their 20s from 1 January 2026."""
    someone = member(birth_year=2006)
    poll = targeted_poll(ages=["20s"])
    assert eligibility(someone, poll, dt.date(2025, 12, 31)).reason
    assert eligibility(someone, poll, dt.date(2026, 1, 1)).allowed


def test_a_visitor_who_is_not_logged_in_may_not_vote_in_a_targeted_poll():
    assert eligibility(AnonymousUser(), targeted_poll(), TODAY).allowed
    found = eligibility(AnonymousUser(), targeted_poll(genders=["male"]), TODAY)
    assert not found.allowed and found.missing == ["gender"]


def test_the_reason_says_which_group_the_poll_asks_in_korean_and_nothing_about_the_member():
    someone = member(district="gangnam", birth_year=1980, gender="male")
    poll = targeted_poll(districts=["eunpyeong", "mapo"])
    with translation.override("ko"):
        reason = eligibility(someone, poll, TODAY).reason
    # In the districts' own order (as the editor stores them), not the member's.
    assert reason.startswith("이 투표는 은평구·마포구 주민에게 묻습니다.")
    assert "강남" not in reason and "1980" not in reason


@pytest.mark.parametrize(
    ("target", "korean", "english"),
    [
        (
            {"districts": ["mapo", "eunpyeong"]},
            "이 투표는 마포구·은평구 주민에게 묻습니다.",
            "This poll asks residents of Mapo-gu, Eunpyeong-gu.",
        ),
        (
            {"ages": ["20s", "30s"]},
            "이 투표는 20대·30대 시민에게 묻습니다.",
            "This poll asks citizens aged 20s, 30s.",
        ),
        (
            {"genders": ["female"]},
            "이 투표는 여성 시민에게 묻습니다.",
            "This poll asks citizens of gender Female.",
        ),
        (
            {"districts": ["mapo"], "ages": ["under20", "70plus"]},
            "이 투표는 마포구에 사는 20세 미만·70세 이상 시민에게 묻습니다.",
            "This poll asks residents of Mapo-gu aged Under 20, 70 and over.",
        ),
        (
            {"districts": ["mapo"], "genders": ["male"]},
            "이 투표는 마포구에 사는 남성 시민에게 묻습니다.",
            "This poll asks residents of Mapo-gu of gender Male.",
        ),
        (
            {"ages": ["40s"], "genders": ["female"]},
            "이 투표는 40대 여성 시민에게 묻습니다.",
            "This poll asks citizens aged 40s of gender Female.",
        ),
        (
            {"districts": ["jongno"], "ages": ["60s"], "genders": ["other"]},
            "이 투표는 종로구에 사는 60대 기타 시민에게 묻습니다.",
            "This poll asks residents of Jongno-gu aged 60s of gender Other.",
        ),
    ],
)
def test_target_summary_in_both_languages(target, korean, english):
    poll = targeted_poll(**target)
    with translation.override("ko"):
        assert target_summary(poll).sentence == korean
    with translation.override("en"):
        assert target_summary(poll).sentence == english


def test_a_poll_for_everyone_has_no_target_sentence():
    summary = target_summary(targeted_poll())
    assert not summary.targeted and summary.sentence == ""


# --- the editor's validator ------------------------------------------------------------------


def test_clean_targets_orders_and_deduplicates_known_values():
    assert clean_targets(["mapo", "jongno", "mapo"], ["30s", "20s"], None) == (
        ["jongno", "mapo"],
        ["20s", "30s"],
        [],
    )


def test_clean_targets_names_each_list_with_unknown_values():
    with pytest.raises(ValidationError) as refused:
        clean_targets(["mapo", "atlantis"], ["20s"], ["robot", 3])
    errors = refused.value.message_dict
    assert set(errors) == {"target_districts", "target_genders"}
    assert "atlantis" in errors["target_districts"][0]


@pytest.mark.parametrize("value", ["mapo", {"mapo": True}, [None]])
def test_clean_targets_refuses_what_is_not_a_list_of_values(value):
    with pytest.raises(ValidationError) as refused:
        clean_targets(value, [], [])
    assert set(refused.value.message_dict) == {"target_districts"}
