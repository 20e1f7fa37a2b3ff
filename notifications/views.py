from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import messages as notice_messages
from . import services, unsubscribe
from .forms import PreferencesForm
from .models import EmailMode, NoticeTopic, Notification


@never_cache  # private: never kept by a cache on the way
@login_required
def notification_list(request):
    """My notices, newest first, unread ones marked."""
    # Topics the member chose not to see in the site are left out.
    notices = Notification.objects.filter(recipient=request.user, in_site=True).select_related(
        "proposal"
    )
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    # The page keeps these instances, whose names are now written once for all.
    page.object_list = list(page.object_list)
    notice_messages.prepare(page.object_list)
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Mark a notice read and go to what it is about."""
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notice, user=request.user)
    target = notice.url if url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None) else ""
    return redirect(target or "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notices are marked as read."))
    return redirect("notifications:list")


@never_cache
@login_required
def notification_settings(request):
    """What the member is told of, where (the site, e-mail) and when."""
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, changes=form.changes())
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "email_modes": EmailMode.choices},
    )


@never_cache
@csrf_exempt  # authorised by the link's signature; mail clients post it (RFC 8058)
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token):
    """Stop e-mail of the link's topics, without logging in: GET shows what
    stops and a button, POST (the button, or the mail client's one click)
    does it. A forged link is refused (400), a used one says so; neither
    writes anything."""
    try:
        wanted = unsubscribe.read_token(token)
    except unsubscribe.BadToken:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    due = unsubscribe.still_due(wanted)
    done = []
    if request.method == "POST" and due:
        done = unsubscribe.unsubscribe_apply(wanted)
    if not due or (request.method == "POST" and not done):
        return render(request, "notifications/unsubscribe_used.html")
    labels = [NoticeTopic(t).label for t in (done or due)]
    return render(
        request,
        "notifications/unsubscribe.html",
        {"labels": labels, "done": bool(done), "token": token},
    )
