"""allauth's own words that Oasis says differently in Korean.

Our catalogue (LOCALE_PATHS) comes before allauth's, so an entry here
replaces allauth's translation wherever allauth uses the same English.
makemessages only keeps strings it finds in our source, hence this list:
nothing imports it for its values."""

from django.utils.translation import gettext_noop

REWORDED = [
    # allauth: "%(name)s 으로 로그인 되었습니다." (a stray space, the wrong particle)
    gettext_noop("Successfully signed in as %(name)s."),
    # The e-mail addresses page: allauth's "주" alone says nothing.
    gettext_noop("Primary"),
    gettext_noop("Make Primary"),
    gettext_noop("Verified"),
    gettext_noop("Unverified"),
    gettext_noop("Code"),
    gettext_noop("You have signed out."),
]
