"""The legal pages (이용약관, 개인정보처리방침), each version readable for
good, and the page where a member agrees to the versions in force."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import legal
from .forms import ConsentForm
from .models import ConsentVia
from .selectors import consented_items, latest_consent
from .services import consent_record


def _document_context(kind: str, shown: legal.DocumentVersion) -> dict:
    return {
        "kind": kind,
        "document": shown,
        "body_template": shown.template_name(get_language() or "ko"),
        "current": legal.current(kind),
        "versions": [v for v in reversed(legal.versions(kind))],
        "upcoming": legal.upcoming(kind),
        # What the privacy policy lists, from the settings and the registry,
        # so the text says what the portal does.
        "data_items": legal.DATA_ITEMS,
        "officer": settings.OASIS_PRIVACY_OFFICER,
        "processors": settings.OASIS_PRIVACY_PROCESSORS,
        "withdrawn_days": settings.OASIS_WITHDRAWN_RETENTION_DAYS,
        "access_record_years": settings.OASIS_ACCESS_RECORD_RETENTION_DAYS // 365,
        "view_mark_days": settings.OASIS_VIEW_MARK_RETENTION_DAYS,
    }


def document(request, kind):
    """The version of `kind` in effect today."""
    if kind not in legal.KINDS:
        raise Http404
    return render(request, "legal/document.html", _document_context(kind, legal.current(kind)))


def document_version(request, kind, version):
    """Any version of `kind`, earlier and announced ones included."""
    shown = legal.version(kind, version) if kind in legal.KINDS else None
    if shown is None:
        raise Http404
    return render(request, "legal/document.html", _document_context(kind, shown))


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
def consent(request):
    """Agree to the terms and the privacy policy in force, and choose the
    optional items again (those unticked are erased)."""
    record = latest_consent(request.user)
    form = ConsentForm(request.POST or None, consented=consented_items(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            consent_record(
                user=request.user,
                optional_items=form.optional_items(),
                via=ConsentVia.RECONSENT,
            )
        request.session[legal.CONSENT_SESSION_KEY] = legal.consent_signature()
        messages.success(request, _("Thank you. Your consent is recorded."))
        return redirect(_safe_next(request))
    changed = (
        legal.outdated(record.terms_version, record.privacy_version)
        if record
        else [legal.required_version(kind) for kind in legal.KINDS]
    )
    return render(
        request,
        "legal/consent.html",
        {
            "form": form,
            "first_time": record is None,
            "changed": changed,
            "terms": legal.current(legal.Kind.TERMS),
            "privacy": legal.current(legal.Kind.PRIVACY),
            "next": _safe_next(request),
            "data_items": legal.DATA_ITEMS,
        },
    )
