"""The demo's plan (demo/plan.py, demo/members.py and the data files): no database."""

import re

from demo import members, plan
from demo.datafiles import read

SMALL = 15


def test_the_plan_is_deterministic_and_a_smaller_count_is_a_prefix():
    full = plan.proposal_specs()
    plan.proposal_specs.cache_clear()
    assert plan.proposal_specs() == full
    assert plan.proposal_specs(SMALL) == full[:SMALL]


def test_the_plan_has_varied_realistic_proposals():
    specs = plan.proposal_specs()
    assert len(specs) >= 200
    assert len({(s.title, s.author) for s in specs}) == len(specs)
    assert len(plan.IDEAS) >= 50
    assert len({s.idea for s in specs if s.idea}) == len(plan.IDEAS)
    assert [s.title for s in specs[: len(plan.REALIZED)]] == list(plan.REALIZED_TITLES)
    for spec in specs:
        assert 2 <= len(spec.title) <= 100
        assert "\n\n" in spec.body, "bodies have several paragraphs"
        assert not re.search(r"[{}]", spec.title + spec.body), "no unfilled placeholder"
        assert 1 <= len(spec.tags) <= 4
        assert spec.author not in spec.endorsers
        assert len(spec.comments) <= 8
    assert len({s.district for s in specs}) >= 20
    assert len({s.category for s in specs}) == len(members.CATEGORIES)


def test_every_story_and_text_the_pipeline_names_exists():
    # The meetings name proposals of the plan and stories the cards know.
    titles = {s.title for s in plan.proposal_specs()}
    stories = read("cards")["stories"]
    for meeting in read("meetings")["held"]:
        for item in meeting["agenda"]:
            assert item["title"] in titles, item["title"]
            assert item.get("story", "completed") in stories
    for name in ("answers", "debates"):
        assert set(read(name)["by_title"]) <= titles, name


def test_each_answer_and_debate_is_written_for_its_own_proposal():
    answers = list(read("answers")["by_title"].values())
    for field in ("summary", "necessity", "effectiveness", "feasibility"):
        assert len({a[field] for a in answers}) == len(answers), field
    debates = list(read("debates")["by_title"].values())
    assert len({tuple(d["stances"].values()) for d in debates}) == len(debates)
    bodies = [a["body"] for d in debates for a in d["arguments"]]
    assert len(set(bodies)) == len(bodies)


# Who someone is or what a topic is about: a stock phrase that says so lands
# on proposals (and after idea paragraphs) it contradicts.
PARTICULAR = re.compile(
    r"직장인|출퇴근|퇴근|대학생|대학원생|사회초년생|은퇴|아이|아빠|엄마|부부|가게|상인|70대|통장"
    r"|지나다니는 길|우리 동네|운영 시간|어르신 일자리|큰 예산이 드는 일이 아니"
)


def test_stock_phrases_fit_any_proposal():
    for phrases in (
        plan.DISTRICT_OPENINGS,
        plan.CITY_OPENINGS,
        plan.CLOSINGS,
        plan.SUPPORT_COMMENTS,
        plan.DEBATE_COMMENTS,
    ):
        for phrase in phrases:
            assert not PARTICULAR.search(phrase), phrase


def test_officials_comment_only_on_proposals_past_the_answer_bar():
    officials = set(plan.OFFICIAL_COMMENTS)
    for spec in plan.proposal_specs():
        if len(spec.endorsers) < plan.ANSWER_BAR:
            assert not {c.author for c in spec.comments} & officials, spec.title
