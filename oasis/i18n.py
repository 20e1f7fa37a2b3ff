"""Language helpers for data that carries its own English name."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language


def in_page_language(korean: str, english: str) -> str:
    """Korean is the data's own language; English pages use the English name
    when there is one."""
    if english and (get_language() or "ko").startswith("en"):
        return english
    return korean


def for_the_record(make_text, *args, **kwargs) -> str:
    """Build a text that goes on the public record (a timeline reason) in the
    site's own language, whatever language the member acting has chosen:
    the record is written once and read by everyone."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(make_text(*args, **kwargs))
