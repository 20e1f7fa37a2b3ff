"""Django admin (and django-import-export) texts whose Korean we word ourselves.

Django's own Korean catalogue has a few awkward or broken entries ("뷰 진행
보고", "보기위한 1관리카드 를(을) 선택"). Listing the same msgids here puts
them in our catalogue (locale/ko), which Django reads before its own, so
our wording is used. Nothing imports this module; makemessages reads it."""

from django.utils.translation import gettext_noop

ADMIN_STRINGS = (
    gettext_noop("View %s"),
    gettext_noop("Select %s to view"),
    # django-import-export's export page, which its Korean catalogue lacks.
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Select all"),
)
