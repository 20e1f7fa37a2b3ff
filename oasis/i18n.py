"""Language helpers: data that carries its own English name, and the
language switch."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language


def in_page_language(korean: str, english: str) -> str:
    """Korean is the data's own language; English pages use the English name
    when there is one."""
    if english and (get_language() or "ko").startswith("en"):
        return english
    return korean


def for_the_record(make_text, *args, **kwargs) -> str:
    """Build a text stored as data (the title given to a progress report's
    photo) in the site's own language, whatever language the member acting
    has chosen. Not for the timeline or a card's history: their rows store a
    code and parameters and are written in the reader's language when read
    (proposals/event_texts.py)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(make_text(*args, **kwargs))


# The language switch in every page's header (templates/base.html) posts here
# without a CSRF token. A token in the form would make every page, anonymous
# ones included, set a csrftoken cookie, and a page that sets a cookie cannot
# be served from a cache (oasis/page_cache.py) or by a proxy. Skipping the
# check is safe here: a forged switch from another site can only change the
# visitor's display language (a cookie they change back with the same form);
# it reads nothing, writes nothing on the server and never touches the
# session, and `next` is only followed to this site (url_has_allowed_host_and_scheme).
set_language = csrf_exempt(django_set_language)
