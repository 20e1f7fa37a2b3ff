"""Nothing private leaves through the read API: an anonymous reader walks
every GET path of /api/schema/ (every page of every list, every detail
reached from a list, every choice of every filter, in Korean and English)
over the secret world, and no secret marker appears anywhere in any answer,
while the public markers do. The hidden objects' own ids answer 404. Every
field name met is on the allow-list (tests/privacy/fields.py).

The walk knows no endpoint by name: an endpoint added later is walked as
it appears in the schema."""

import pytest
from django.conf import settings

from tests.privacy.fields import ALLOWED, FORBIDDEN
from tests.privacy.walk import REQUIRED, ApiWalk, markers_in, mentions, numbers, objects
from tests.privacy.world import PUBLIC, SECRETS, SMALL_GROUP_DISTRICT

PREFIX = settings.SPECTACULAR_SETTINGS["SCHEMA_PATH_PREFIX"].replace("\\", "")


@pytest.fixture(scope="module")
def walk(secret_world, django_db_blocker):
    with django_db_blocker.unblock():
        return ApiWalk(extra_ids=secret_world.hidden_ids).run()


@pytest.fixture(scope="module")
def partner_walk(secret_world, django_db_blocker):
    """The same walk with a partner's key: a key raises the rate limit and
    nothing else."""
    if not secret_world.partner_key:
        pytest.skip("the API has no partner keys yet")
    with django_db_blocker.unblock():
        return ApiWalk(
            extra_ids=secret_world.hidden_ids, headers={"HTTP_X_API_KEY": secret_world.partner_key}
        ).run()


def _secrets(world) -> dict:
    """The world's markers, and its partner key's value and hash."""
    secrets = dict(SECRETS)
    if world.partner_key:
        from api.models import hash_key

        secrets["partner_key"] = world.partner_key
        secrets["partner_key_hash"] = hash_key(world.partner_key)
    return secrets


def _section(source: str) -> str:
    """`proposals` of /api/v1/proposals/12/timeline/?lang=ko."""
    path = source.split("?")[0]
    if not path.startswith(PREFIX):
        return ""
    return path[len(PREFIX) :].strip("/").split("/")[0]


def test_no_secret_appears_in_any_answer(walk, secret_world, db):
    assert markers_in(walk.seen, _secrets(secret_world)) == []


def test_a_partner_reads_no_more_than_anyone(partner_walk, walk, secret_world, db):
    assert markers_in(partner_walk.seen, _secrets(secret_world)) == []
    assert [url for url, status in partner_walk.statuses.items() if status in (401, 403)] == []
    assert partner_walk.statuses == walk.statuses
    assert [(kind, url, status) for kind, url, status in partner_walk.probes if status != 404] == []


def test_the_walk_read_the_public_things(walk, db):
    """Proof that the walk saw data: each part of the API shows its public
    marker somewhere, and every list without parameters answers."""
    sections = {_section(path["template"]) for path in walk.get_paths()}
    missing = []
    for section, names in REQUIRED.items():
        if section not in sections:
            continue
        seen = [each for each in walk.seen if _section(each.source) == section]
        for name in names:
            if not markers_in(seen, {name: PUBLIC[name]}):
                missing.append(f"{section}: {PUBLIC[name]}")
    assert missing == []
    for path in walk.get_paths():
        if "{" not in path["template"]:
            assert walk.statuses.get(walk.first_page(path)) == 200, path["template"]


def test_no_answer_is_a_server_error(walk, db):
    assert [url for url, status in walk.statuses.items() if status >= 500] == []


def test_hidden_objects_are_not_found_by_their_ids(walk, db):
    """A hidden, trashed or draft object's id on its detail path is 404,
    as its page is."""
    assert [(kind, url, status) for kind, url, status in walk.probes if status != 404] == []


def test_every_field_is_on_the_allow_list(walk, db):
    assert not set(ALLOWED) & set(FORBIDDEN), "a forbidden field was allowed"
    unknown = {}
    for each in walk.seen:
        for name, where in each.fields.items():
            if name not in ALLOWED:
                unknown.setdefault(name, f"{each.source} {where}")
    assert unknown == {}, (
        "New fields in the API: check each is public data and add it to "
        "tests/privacy/fields.py with its reason"
    )


def test_results_not_yet_public_give_no_counts(walk, secret_world, db):
    """The open poll shows its results only after the close: its choices
    are listed without a count or a share (one member voted 찬성)."""
    labels = set(secret_world.poll_open.questions.get().choices.values_list("label", flat=True))
    leaking = [
        f"{each.source}: {obj}"
        for each in walk.seen
        for obj in objects(each.body)
        if mentions(obj, labels) and any(number > 0 for number in numbers(obj))
    ]
    assert leaking == []


def test_a_group_under_the_threshold_is_not_broken_down(walk, db):
    """One voter of the closed poll lives in 도봉구: no row for that group
    carries a number (its share would tell how they voted)."""
    leaking = [
        f"{each.source}: {obj}"
        for each in walk.seen
        for obj in objects(each.body)
        if mentions(obj, {SMALL_GROUP_DISTRICT}) and any(number > 0 for number in numbers(obj))
    ]
    assert leaking == []


def _proposal_ids(obj: dict) -> list:
    """The proposals an object points at: `proposal_id`, `proposal` as an
    id, or `proposal` as an object with its `id`."""
    found = [obj.get("proposal_id")]
    pointer = obj.get("proposal")
    found.append(pointer.get("id") if isinstance(pointer, dict) else pointer)
    return [value for value in found if isinstance(value, int) and not isinstance(value, bool)]


def test_nothing_points_at_a_hidden_proposal(walk, secret_world, db):
    """A meeting's items, a card, an answer or a debate of a proposal hidden
    since is not listed, not even by the proposal's id alone."""
    hidden = set(secret_world.hidden_ids["proposal"])
    pointing = [
        f"{each.source}: {obj}"
        for each in walk.seen
        for obj in objects(each.body)
        if hidden & set(_proposal_ids(obj))
    ]
    assert pointing == []
