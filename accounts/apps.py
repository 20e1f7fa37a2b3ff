from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members and departments")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import audit_words
        from .audit import register_actions
        from .middleware import remember_current_consent
        from .site import site_sync

        register_actions(audit_words.ACTIONS)

        # After every migrate (and every test database flush): the Site's
        # domain follows OASIS_SITE_URL (accounts/site.py).
        post_migrate.connect(site_sync, sender=self, dispatch_uid="accounts.site_sync")
        # The consent check of accounts.middleware, done once at login.
        user_logged_in.connect(remember_current_consent, dispatch_uid="remember_current_consent")


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site of accounts.admin_site: staff sign in
    through allauth's rate-limited login and must pass the second factor."""

    default = False  # named in INSTALLED_APPS; "accounts" stays AccountsConfig
    default_site = "accounts.admin_site.StaffAdminSite"
