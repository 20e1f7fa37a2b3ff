from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from proposals.models import Proposal, ProposalStatus
from proposals.selectors import proposal_list


def home(request):
    """Latest and most endorsed proposals, and the headline counts."""
    public = Proposal.objects.public()
    counts = public.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status=ProposalStatus.OPEN)),
        adopted=Count("id", filter=Q(status=ProposalStatus.ADOPTED)),
    )
    from accounts.models import User

    counts["members"] = User.objects.filter(is_active=True).count()
    return render(
        request,
        "home.html",
        {
            "latest": proposal_list().order_by("-created_at", "-id")[:6],
            "popular": proposal_list()
            .filter(status=ProposalStatus.OPEN)
            .order_by("-endorsement_count", "-id")[:6],
            "counts": counts,
        },
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool | None:
    """None when there is no broker to reach (tasks run inline)."""
    from django.conf import settings

    from oasis.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER or str(app.conf.broker_url).startswith("memory://"):
        return None

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def healthz(request):
    """Database and broker reachability, for load balancers and compose."""
    database, broker = _database_ok(), _broker_ok()
    healthy = database and broker is not False
    return JsonResponse(
        {
            "status": "ok" if healthy else "fail",
            "database": "ok" if database else "fail",
            "broker": {None: "inline", True: "ok", False: "fail"}[broker],
        },
        status=200 if healthy else 503,
    )


def ratelimited(request, exception):
    response = render(
        request,
        "errors/429.html",
        {"message": _("Too many requests. Please wait a little and try again.")},
        status=429,
    )
    return response
