from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # Resolved before allauth's own /accounts/signup/ (oasis/urls.py includes
    # this file first): allauth's sign-up in one transaction.
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("profile/export/", views.export, name="export"),
    path("profile/delete/", views.delete, name="delete"),
    # Ahead of allauth's own page at this address (oasis/urls.py includes
    # these first); reverse("mfa_activate_totp") still gives this URL.
    path("2fa/totp/activate/", views.activate_authenticator_app, name="activate_totp"),
]
