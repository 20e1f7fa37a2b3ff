"""Language helpers for data that carries its own English name."""

from django.utils.translation import get_language


def in_page_language(korean: str, english: str) -> str:
    """Korean is the data's own language; English pages use the English name
    when there is one."""
    if english and (get_language() or "ko").startswith("en"):
        return english
    return korean
