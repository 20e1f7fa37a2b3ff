from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import messages as notice_messages
from . import services
from .models import Notification


@never_cache  # private: never kept by a cache on the way
@login_required
def notification_list(request):
    """My notices, newest first, unread ones marked."""
    notices = Notification.objects.filter(recipient=request.user).select_related("proposal")
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
