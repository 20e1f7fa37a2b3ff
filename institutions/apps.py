from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    """Partner institutions (기관협력, issue 16): the operators' registration
    screen and each institution's public space at /org/<slug>/. The
    Institution model itself lives in accounts, beside Department, because
    departments, categories, proposals and polls on lower floors point at it."""

    name = "institutions"
    verbose_name = _("Partner institutions")

    def ready(self):
        from accounts.staff_home import register_section

        from .staff_home import SECTIONS

        # The institution administrator's "오늘 할 일" (accounts.staff_home).
        for key, builder, order in SECTIONS:
            register_section(key, builder, order=order)
