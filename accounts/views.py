import copy
import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import services
from .export import member_data
from .forms import AccountDeleteForm, ProfileForm


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
        services.profile_update(user=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


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
