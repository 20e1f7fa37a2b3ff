"""What the printable agenda needs to keep each item on one A4 page: long
texts condensed on paper (whole on screen), and the address of the full text
printed instead."""

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.text import Truncator

register = template.Library()


@register.filter(needs_autoescape=True)
def condensed(text, limit, autoescape=True):
    """`text` in paragraphs; longer than `limit` characters, it prints cut
    there (with "…") while the screen keeps it whole (agenda.css shows
    .agenda-screen or .agenda-print)."""
    text = text or ""
    full = linebreaks_filter(text, autoescape)
    if len(text) <= int(limit):
        return full
    short = linebreaks_filter(Truncator(text).chars(int(limit)), autoescape)
    return format_html(
        '<div class="agenda-screen">{}</div><div class="agenda-print">{}</div>', full, short
    )


@register.simple_tag
def site_address(path: str) -> str:
    """The public address of `path` on this site (settings.OASIS_SITE_URL):
    on paper a link is only as good as the address printed."""
    return settings.OASIS_SITE_URL.rstrip("/") + path
