"""Accounts: django-allauth with e-mail login and verification; Kakao, Naver
and Google appear only when their keys are in the environment."""

from .base import INSTALLED_APPS
from .env import env_str
from .limits import allauth_rate

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# Staff land on their home in the admin after signing in (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# allauth speaks to members about themselves by their own name, not the
# masked one the public sees (str(user)).
ACCOUNT_USER_DISPLAY = "accounts.names.own_name"
# Security notices by e-mail (allauth): a password changed or reset, an
# address added or removed, an authenticator app set up or recovery codes
# made. A staff member's first app is set up with the password alone; this
# tells them at once if someone else did it.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[오아시스] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
# Per account (key: the e-mail typed in) and per address limits on the
# account endpoints, from the one table in limits.py (README, "Rate limits").
ACCOUNT_RATE_LIMITS = {
    action: allauth_rate(action)
    for action in ("signup", "login", "login_failed", "reset_password", "confirm_email")
}
# The second factor (allauth.mfa): staff must use it to open the admin
# (accounts.admin_site); any member may turn it on at /accounts/2fa/.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.second_factor.StaffMFAAdapter"
MFA_TOTP_ISSUER = "Oasis"
# One 30-second step either side, for phones whose clocks drift (RFC 6238
# recommends no more); a code still works once only.
MFA_TOTP_TOLERANCE = 1

# A social login never attaches itself to an existing account by e-mail: some
# providers (Naver) report every address as verified, which would let anyone
# with a matching address take the account over. Members connect providers
# from their own, logged-in account instead.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False

# A provider is installed, and so shown, only when both its keys are set.
SOCIALACCOUNT_PROVIDERS: dict = {}
for _provider, _prefix in (("kakao", "KAKAO"), ("naver", "NAVER"), ("google", "GOOGLE")):
    _client_id = env_str(f"{_prefix}_CLIENT_ID")
    _secret = env_str(f"{_prefix}_CLIENT_SECRET")
    if _client_id and _secret:
        INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": _client_id, "secret": _secret, "key": ""}],
        }
