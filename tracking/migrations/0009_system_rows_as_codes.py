"""Rewrite the timeline and card-history rows the system wrote as Korean
sentences (oasis.i18n.for_the_record) into a code and its parameters, so they
read in the reader's language (proposals/event_texts.py). Lives here, on the
highest floor that wrote such rows, because recognising them needs the
answers' decisions and the cards' stages.

Recognised: the endorsement bar passed, the endorsement window closed, an
answer published (decision, days late), an answer rated, a debate's counts at
closing (and the proposer's withdrawal), a debate argument hidden or restored,
a card's stage change (with the progress report that made it), a progress
report; in card histories: a report, a report's stage change, an edit's field
names, a photo or document attached or removed. What follows the system's
words in a row (the person's reason or note) is kept as typed in `reason` /
`note`. A row that matches none of these (a label renamed since, a sentence
edited by hand) stays as stored: it still reads, in Korean."""

import re

from django.db import migrations
from django.utils import translation

N = r"(\d+)"
REST = r"\s*(.*)"


def _labels(choices) -> dict[str, str]:
    """Korean label → code, as the rows were written."""
    with translation.override("ko"):
        return {str(label): value for value, label in choices.choices}


def _proposal_rules():
    from answers.models import AnswerDecision

    from tracking.models import CardStage

    decisions = _labels(AnswerDecision)
    stages = _labels(CardStage)

    def endorsed(m):
        return {"text": "endorsed", "count": int(m[1])}, m[2]

    def window(m):
        return {"text": "endorsement_window_closed", "bar": int(m[1]), "count": int(m[2])}, m[3]

    def published(m, late):
        if m[1] not in decisions:
            return None
        return {"text": "answer_published", "decision": decisions[m[1]], "late_days": late}, m[3]

    def rated(m):
        return {"text": "answer_rated", "score": int(m[1])}, m[2]

    def counts(m):
        params = {"text": "debate_counts", "for": int(m[1]), "against": int(m[2])}
        params.update(undecided=int(m[3]), withdrawn=bool(m[4]))
        return params, m[5]

    def argument(m):
        return {"text": "argument_moderated", "id": int(m[1])}, m[2]

    def stage(m):
        if m[1] not in stages or m[2] not in stages:
            return None
        params = {"text": "card_stage", "from": stages[m[1]], "to": stages[m[2]]}
        rest = m[3]
        if report := re.fullmatch(N + "차 진행 보고:" + REST, rest, re.S):
            params["period"], rest = int(report[1]), report[2]
        return params, rest

    def report(m):
        return {"text": "card_report", "period": int(m[1]), "percent": int(m[2])}, m[3]

    return {
        "status_changed": [
            (re.compile("시민 " + N + "명이 추천했어요." + REST, re.S), endorsed),
            (
                re.compile(
                    "추천 기간이 끝났어요. 필요한 추천 "
                    + N
                    + "개 중 "
                    + N
                    + "개를 받았어요."
                    + REST,
                    re.S,
                ),
                window,
            ),
            (
                re.compile(r"결정: (.+?)\. 기한 안에 답변했어요\.()" + REST, re.S),
                lambda m: published(m, 0),
            ),
            (
                re.compile(r"결정: (.+?)\. 기한보다 " + N + "일 늦게 답변했어요." + REST, re.S),
                lambda m: published(m, int(m[2])),
            ),
        ],
        "answer_rated": [(re.compile("5점 만점에 " + N + "점" + REST, re.S), rated)],
        "debate_closed": [
            (
                re.compile(
                    "찬성 "
                    + N
                    + ", 반대 "
                    + N
                    + ", 유보 "
                    + N
                    + r"\.( 제안자가 제안을 철회했어요\.)?"
                    + REST,
                    re.S,
                ),
                counts,
            )
        ],
        "comment_hidden": [
            (re.compile(r"(?:토론 의견|Debate argument) #" + N + ":" + REST, re.S), argument)
        ],
        "comment_unhidden": [
            (re.compile(r"(?:토론 의견|Debate argument) #" + N + ":" + REST, re.S), argument)
        ],
        "card_stage_changed": [(re.compile("채택 과제: ‘(.+?)’ → ‘(.+?)’." + REST, re.S), stage)],
        "card_report": [(re.compile(N + "차 진행 보고: " + N + "% 진행." + REST, re.S), report)],
    }


def _card_rules():
    from tracking.models import ManagementCard

    with translation.override("ko"):
        fields = {
            str(f.verbose_name): f.name
            for f in ManagementCard._meta.get_fields()
            if hasattr(f, "verbose_name")
        }

    def report(m):
        return {"text": "card_report", "period": int(m[1]), "percent": int(m[2])}, m[3]

    def report_stage(m):
        return {"text": "report_stage", "period": int(m[1])}, m[2]

    def edited(m):
        names = [name.strip() for name in m[1].split(",")]
        if not all(name in fields for name in names):
            return None
        return {"text": "card_edited", "fields": [fields[name] for name in names]}, m[2]

    def file(code, photo):
        return lambda m: ({"text": code, "photo": photo, "title": m[1]}, "")

    return {
        "report": [(re.compile(N + "차 진행 보고: " + N + "% 진행." + REST, re.S), report)],
        "stage_changed": [(re.compile(N + "차 진행 보고:" + REST, re.S), report_stage)],
        "edited": [(re.compile(r"바뀐 항목: (.+?)\." + REST, re.S), edited)],
        "attached": [
            (re.compile("사진 첨부: (.*)", re.S), file("attached", True)),
            (re.compile("문서 첨부: (.*)", re.S), file("attached", False)),
        ],
        "detached": [
            (re.compile("사진 삭제: (.*)", re.S), file("detached", True)),
            (re.compile("문서 삭제: (.*)", re.S), file("detached", False)),
        ],
    }


def _rewrite(queryset, text_field, rules):
    """Rewrite each row whose text matches a rule of its kind; a batch at a
    time, so a large table is never held in memory."""
    changed = []
    for row in (
        queryset.filter(params={}, kind__in=list(rules))
        .exclude(**{text_field: ""})
        .iterator(chunk_size=2000)
    ):
        for pattern, build in rules[row.kind]:
            match = pattern.fullmatch(getattr(row, text_field))
            result = build(match) if match else None
            if result:
                row.params, rest = result
                setattr(row, text_field, rest.strip())
                changed.append(row)
                break
        if len(changed) >= 2000:
            queryset.model.objects.bulk_update(changed, ["params", text_field])
            changed = []
    if changed:
        queryset.model.objects.bulk_update(changed, ["params", text_field])


def forwards(apps, schema_editor):
    ProposalEvent = apps.get_model("proposals", "ProposalEvent")
    CardEvent = apps.get_model("tracking", "CardEvent")
    _rewrite(ProposalEvent.objects.all(), "reason", _proposal_rules())
    _rewrite(CardEvent.objects.all(), "note", _card_rules())


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0008_card_event_params"),
        ("proposals", "0010_event_params"),
    ]

    # Backwards leaves the codes: they read in Korean for a Korean reader.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
