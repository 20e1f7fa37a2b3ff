from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members and departments")

    def ready(self):
        from allauth.account.signals import user_signed_up
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
        # A new member earns the sign-up's mileage (accounts.participation).
        user_signed_up.connect(_signed_up, dispatch_uid="accounts.member_signed_up")


def _signed_up(sender, request, user, **kwargs):
    from .services import member_signed_up

    member_signed_up(user=user)


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site of accounts.admin_site: staff sign in
    through allauth's rate-limited login and must pass the second factor."""

    default = False  # named in INSTALLED_APPS; "accounts" stays AccountsConfig
    default_site = "accounts.admin_site.StaffAdminSite"
