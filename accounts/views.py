import copy
import json

from allauth.account.views import SignupView as AllauthSignupView
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import services
from .export import member_data
from .forms import AccountDeleteForm, ProfileForm
from .member_home import member_sections
from .models import ConsentVia, User
from .second_factor import record_second_factor


# Private pages are never stored by the browser or a cache on the way: not
# the profile, and above all not the personal-data export.
@never_cache
@login_required
def profile(request):
    # The form validates a copy: a ModelForm writes what was typed into its
    # instance even when it is refused, and the page (and the header) must keep
    # showing what is saved.
    form = ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        services.profile_save(
            user=request.user,
            fields={f: form.cleaned_data[f] for f in form.Meta.fields},
            optional_items=form.optional_items(),
            via=ConsentVia.PROFILE,
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        # What apps above this one show the member (accounts.member_home).
        {"form": form, "member_sections": member_sections(request.user)},
    )


@never_cache
@login_required
def export(request):
    data = json.dumps(member_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="oasis-my-data-{stamp}.json"'
    return response


@never_cache
@login_required
def delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_withdraw(user=user)
        messages.success(request, _("Your account is closed. Thank you for taking part in Oasis."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


class SignupView(AllauthSignupView):
    """allauth's sign-up, made whole or not at all. The form checks that the
    nickname is free, but two people may send the same one at the same moment:
    both pass the check and the second write breaks the unique constraint.
    The account, its profile and its e-mail address are then written in one
    transaction, and the loser is shown the form again with the usual message
    instead of a 500 and an account without a profile or an address."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            # The nickname is the one unique value the form's own checks
            # leave to the moment of writing; the e-mail address allauth
            # checks and locks itself.
            email = form.cleaned_data.get("email", "")
            if (
                form.cleaned_data.get("nickname")
                and not User.objects.filter(email__iexact=email).exists()
            ):
                form.add_error("nickname", _("This nickname is already taken."))
            else:
                form.add_error(None, _("Something changed while you signed up. Please try again."))
            return self.form_invalid(form)


signup = SignupView.as_view()


class ActivateAuthenticatorAppView(ActivateTOTPView):
    """allauth's "activate authenticator app" page (same URL, same name).
    Whoever sets the app up here has just typed a right code from it, which
    proves the second factor as much as the login step does; the session
    records it, so staff go on to the admin without a second code."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record_second_factor(
            self.request,
            Authenticator.objects.get(user=self.request.user, type=Authenticator.Type.TOTP),
        )
        return response


activate_authenticator_app = ActivateAuthenticatorAppView.as_view()
