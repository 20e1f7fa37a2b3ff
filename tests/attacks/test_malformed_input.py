"""Malformed input, from the attacker's side: bad encodings, null bytes,
huge, negative, zero and non-numeric ids in every URL that takes one
(public and admin, read from the URLconf), unknown filter values and
impossible page numbers. The answer is a 404, a 400, a redirect or the page
with a friendly message, never a 500."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from accounts.models import User
from debates.models import Argument
from proposals.models import Comment, Proposal, Report
from tests.attacks.routes import fill, parameters, routes, routes_with_ids
from tests.pages import english, logged_in

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "-1", "9" * 30, "%00%FF"]


def _never_raising(client: Client) -> Client:
    """A 500 is seen as the visitor sees it (the error page), not raised
    into the test."""
    client.raise_request_exception = False
    return client


def _status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize("route", routes_with_ids())
def test_bad_ids_in_every_url_are_never_a_500(world, route):
    # given an operator (who sees the admin) and a visitor
    operator = _never_raising(logged_in(world.people.operator))
    visitor = _never_raising(english(Client()))
    failures = []
    for bad in BAD_IDS:
        url = fill(route, bad)
        # when they ask for it with a malformed id, alone or next to a real one
        urls = [url]
        names = [name for name in parameters(route) if name != "size"]
        if len(names) > 1:  # each one malformed next to real ones
            real = {
                "object_id": world.meeting.pk,
                "item_id": world.card_x.agenda_item_id,
                # A meeting's opinion request (none needs to exist to be refused).
                "request_id": 1,
                "content_type_id": ContentType.objects.get_for_model(Proposal).pk,
                # /legal/<kind>/<version>/
                "kind": "privacy",
                "version": "2026-12-01",
                # a poll's spreadsheet: /admin/polls/pollresponse/<id>/export/results/csv/
                "what": "results",
                "file_format": "csv",
                # the newest open-data file: /open-data/latest/<dataset>.<file_format>
                "dataset": "proposals",
                # a report: /stats/reports/<kind>/<period>/
                "period": "2026-10",
            }
            for name in names:
                others = {other: real[other] for other in names if other != name}
                urls.append(fill(route, bad, **others))
        for target in urls:
            for who, client in (("operator", operator), ("visitor", visitor)):
                if not route.startswith("admin/") or who == "operator":
                    status = _status(client, target)
                    # then never a server error
                    if status >= 500:
                        failures.append((who, target, status))
    assert failures == []


PUBLIC_LISTS = [
    "/",
    "/proposals/",
    "/debates/",
    "/meetings/",
    "/adopted/",
    "/notifications/",
    "/me/",
]
BAD_QUERIES = [
    "page=-1",
    "page=0",
    "page=1000000000",
    "page=abc",
    "page=1e9",
    "page=%00",
    "page=" + "9" * 400,
    "status=nonsense",
    "status=%00",
    "category=nonsense",
    "category=%27",
    "district=nonsense",
    "stage=nonsense",
    "year=abc",
    "year=-1",
    "year=99999999999999999999",
    "sort=nonsense",
    "sort=-id",
    "sort=__class__",
    "tag=%FF%FE",
    "q=%FF%FE%C3%28",
    "q=" + "가" * 5000,
    "unknown=1",
    "page=2&page=abc&status=open&status=zzz",
    "%FF=%FF",
    # A search is never counted, so its pages are numbered without a total:
    # a number past any real list must not reach the database as an offset.
    "q=a&page=99999999999999999999",
    "q=a&page=9223372036854775807",
]


@pytest.mark.parametrize("path", PUBLIC_LISTS)
def test_bad_query_parameters_on_public_lists_are_never_a_500(world, path):
    member = _never_raising(logged_in(world.people.citizen_a))
    failures = [
        (query, status)
        for query in BAD_QUERIES
        if (status := _status(member, f"{path}?{query}")) >= 500
    ]
    assert failures == []


def test_an_impossible_comment_page_shows_the_last_one_instead_of_a_500(world):
    visitor = _never_raising(english(Client()))
    proposal = Proposal.objects.public().first()
    for number in ("99999999999999999999", "9223372036854775807", "-5", "x"):
        response = visitor.get(f"{proposal.get_absolute_url()}?comments={number}")
        assert response.status_code == 200, number


def _changelists():
    return [route for route, pattern in routes() if (pattern.name or "").endswith("_changelist")]


ADMIN_QUERIES = [
    "p=-1",
    "p=1000000000&o=abc",
    "p=abc&o=99",
    "o=-99.1.%27",
    "q=%FF%FE%27%22",
    "status__exact=nonsense&decision__exact=%27",
    "department__id__exact=abc&card__department__id__exact=abc",
    "meeting__id__exact=" + "9" * 30 + "&groups__id__exact=-1",
    "unknown_field=1&id__gt=abc",
    "_to_field=password&_popup=abc",
]


@pytest.mark.parametrize("route", _changelists())
def test_bad_query_parameters_on_admin_lists_are_never_a_500(world, route):
    operator = _never_raising(logged_in(world.people.operator))
    failures = [
        (query, status)
        for query in ADMIN_QUERIES
        if (status := _status(operator, f"/{route}?{query}")) >= 500
    ]
    assert failures == []


# --- null bytes and bad encodings ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/proposals/proposal/?q=%00",
        "/admin/accounts/user/?q=a%00",
        "/admin/debates/argument/?q=%00",
        "/admin/meetings/agendaitem/?decision__exact=%00",
        "/admin/proposals/report/?reason__exact=spam%00",
        "/admin/tracking/managementcard/?%00=1",
    ],
)
def test_a_null_byte_in_an_admin_query_is_a_bad_request(world, url):
    """The admin takes `q` and its filters to the database as they come, and
    PostgreSQL cannot hold a NUL in text: the search fails there with a 500
    (on SQLite it quietly finds nothing). No browser sends one from what a
    person types, so it is refused as malformed."""
    operator = _never_raising(logged_in(world.people.operator))
    assert _status(operator, url) == 400


@pytest.mark.parametrize(
    "url", ["/proposals/?q=%00", "/proposals/?tag=a%00b", "/adopted/?category=%00"]
)
def test_a_null_byte_in_a_public_filter_is_refused_by_its_form(world, url):
    """The public lists' filters are forms: the field refuses NUL with its
    message and the list is shown; nothing reaches the database."""
    member = _never_raising(logged_in(world.people.citizen_a))
    assert _status(member, url) == 200


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/proposals/{proposal_b}/comments/", {"body": "좋아요\x00요"}),
        ("/proposals/{proposal_b}/report/", {"reason": "spam\x00", "detail": "\x00"}),
        ("/debates/{debate}/arguments/", {"side": "for", "body": "찬성합니다\x00" * 5}),
        ("/debates/{debate}/stance/", {"position": "for\x00"}),
        ("/accounts/profile/", {"display_name": "김\x00", "nickname": "\x00"}),
        ("/proposals/new/", {"title": "다리\x00", "body": "본문\x00" * 10, "category": "roads"}),
        ("/accounts/login/", {"login": "a@example.com\x00", "password": "\x00"}),
        ("/i18n/setlang/", {"language": "en\x00", "next": "/\x00"}),
    ],
)
def test_null_bytes_in_form_fields_are_refused_without_a_500(world, url, fields):
    # given a member sending a form with NUL bytes in its fields
    member = _never_raising(logged_in(world.people.citizen_a))
    target = url.format(proposal_b=world.proposal_b.pk, debate=world.debate.pk)

    # when it is sent
    response = member.post(target, fields)

    # then it is refused (the field's message or a bad request); nothing
    # holding a NUL is stored
    assert response.status_code < 500
    stored = [
        *Comment.objects.values_list("body", flat=True),
        *Argument.objects.values_list("body", flat=True),
        *Proposal.objects.values_list("title", "body"),
        *Report.objects.values_list("detail", flat=True),
        *User.objects.values_list("display_name", "nickname"),
    ]
    assert "\x00" not in repr(stored)


def test_a_form_body_in_broken_utf8_is_never_a_500(world):
    member = _never_raising(logged_in(world.people.citizen_a))
    for url in (
        f"/proposals/{world.proposal_b.pk}/comments/",
        "/accounts/profile/",
        "/proposals/new/",
        f"/debates/{world.debate.pk}/arguments/",
    ):
        response = member.post(
            url,
            data=b"body=%FF%FE%C3%28&title=\xff\xfe&nickname=\xc3\x28",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code < 500, url
        response = member.post(
            url, data=b"\xff\xfe\x00garbage", content_type="multipart/form-data; boundary=zz"
        )
        assert response.status_code < 500, url


def _actions():
    """(changelist URL, action name) for every action of every admin list."""
    from django.contrib import admin
    from django.urls import reverse

    return [
        (reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"), name)
        for model, model_admin in admin.site._registry.items()
        # (every action, before the asker's permissions narrow them)
        for _function, name, _description in model_admin._get_base_actions()
    ]


@pytest.mark.parametrize(("url", "action"), _actions())
def test_an_admin_action_on_rows_that_are_not_ids_is_a_bad_request(world, url, action):
    """The admin filters the selection with `pk__in`: "abc" raised there, and
    an id beyond the database's integers overflowed, both with a 500."""
    operator = _never_raising(logged_in(world.people.operator))
    for bad in ["abc", "9" * 30, "1.5", "\x00"]:
        response = operator.post(url, {"action": action, "_selected_action": [bad], "index": "0"})
        assert response.status_code in (400, 403), (bad, response.status_code)


def test_under_make_run_the_refusal_is_the_sites_page_not_a_traceback(world, settings):
    # `make run` serves with DEBUG on; a raised BadRequest would show Django's
    # technical page (paths, settings, the Python version) to whoever sent it.
    settings.DEBUG = True
    response = english(Client()).get("/admin/proposals/proposal/?q=%00")
    assert response.status_code == 400
    assert b"The request could not be handled" in response.content
    assert b"BadRequest at" not in response.content
    assert b"Traceback" not in response.content
