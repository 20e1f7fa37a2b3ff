"""Debates in each state, made through the services, and small page helpers."""

import html
import re
from datetime import timedelta

from django.conf import settings
from django.test import Client

from debates import services
from debates.models import Debate
from proposals.models import ProposalStatus
from tests.factories import ProposalFactory, UserFactory


def open_debate(**proposal_fields) -> Debate:
    """A debate opened on an answered proposal, as the promotion opens it."""
    proposal_fields.setdefault("status", ProposalStatus.ANSWERED)
    proposal = ProposalFactory(**proposal_fields)
    return services.debate_open(proposal=proposal, actor=None, reason="500명이 추천했습니다.")


def closed_debate(**proposal_fields) -> Debate:
    """A debate that ran its course and was closed by the schedule."""
    debate = open_debate(**proposal_fields)
    return services.debate_close(debate=debate, now=debate.ends_at + timedelta(minutes=1))


def english(client: Client) -> Client:
    """Assertions read the English interface; Korean is the default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def logged_in(user=None) -> Client:
    browser = english(Client())
    browser.force_login(user or UserFactory())
    return browser


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def flash(response) -> list[str]:
    """The messages shown at the top of the page."""
    return [
        html.unescape(m)
        for m in re.findall(r'<p class="message message-\w+">(.*?)</p>', response.content.decode())
    ]
