"""One-click unsubscribe (issue 16): every notice e-mail and every digest
carries a link that turns off e-mail for its topic, without logging in.

The link is a `django.core.signing` token under its own salt holding the
member's id and, for each topic it stops, the version of the member's
preference when the e-mail was written. The signature is the authority (no
login, no CSRF token: a mail client posts it by RFC 8058); the version makes
it single-use: once the preference changed (by this link or on the settings
page), the link is "already handled" and writes nothing. It has no expiry:
a link in an old e-mail stays the way to stop that e-mail, and the version
already limits what a leaked link can do to one step the member wanted.

A notice's e-mail stops its own topic. A digest's body has one link per
topic it lists; its List-Unsubscribe header (one link, for the mail client's
button) stops every topic the digest lists."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from .models import EmailMode, Notification, NotificationPreference
from .preferences import DEFAULTS, forget_cached

SALT = "notifications.unsubscribe"


class BadToken(Exception):
    """Forged, tampered or malformed."""


@dataclass
class Unsubscribe:
    user: User
    versions: dict[str, int]  # topic → the version the link was made for


def current_versions(user, topics) -> dict[str, int]:
    rows = dict(
        NotificationPreference.objects.filter(user=user, topic__in=list(topics)).values_list(
            "topic", "version"
        )
    )
    return {topic: rows.get(topic, 1) for topic in topics}


def make_token(user, topics) -> str:
    """A token stopping e-mail of `topics` for `user`, at their current
    versions."""
    versions = current_versions(user, sorted(set(topics)))
    return signing.dumps({"u": user.pk, "t": versions}, salt=SALT, compress=True)


def link(token: str) -> str:
    path = reverse("notifications:unsubscribe", args=[token])
    return settings.OASIS_SITE_URL.rstrip("/") + path


def headers(token: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: the mail client's own unsubscribe
    button posts to the link, one click."""
    return {
        "List-Unsubscribe": f"<{link(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_token(token: str) -> Unsubscribe:
    """The member and topics of a token, or BadToken."""
    try:
        data = signing.loads(token, salt=SALT)
        user_id = data["u"]
        versions = data["t"]
        if not isinstance(user_id, int) or not isinstance(versions, dict) or not versions:
            raise BadToken
        if any(t not in DEFAULTS or not isinstance(v, int) for t, v in versions.items()):
            raise BadToken
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken from error
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise BadToken
    return Unsubscribe(user=user, versions=versions)


def still_due(request: Unsubscribe) -> list[str]:
    """The topics of the link whose version has not moved on, in order."""
    now = current_versions(request.user, request.versions)
    return [t for t, v in request.versions.items() if now[t] == v]


def unsubscribe_apply(request: Unsubscribe) -> list[str]:
    """Turn e-mail off for each topic of the link whose preference is still
    at the link's version; a topic whose version moved on is left as it is
    (the link was used, or the member chose since). Returns the topics
    turned off now (empty: the link was already handled)."""
    user = request.user
    done = []
    with transaction.atomic():
        rows = {
            row.topic: row
            for row in NotificationPreference.objects.select_for_update().filter(
                user=user, topic__in=list(request.versions)
            )
        }
        for topic, version in request.versions.items():
            row = rows.get(topic)
            if (row.version if row else 1) != version:
                continue
            if row is None:
                try:
                    with transaction.atomic():
                        NotificationPreference.objects.create(
                            user=user,
                            topic=topic,
                            in_site=DEFAULTS[topic].in_site,
                            email=EmailMode.OFF,
                            version=2,
                        )
                except IntegrityError:
                    continue  # the member chose meanwhile: this link is stale
            else:
                NotificationPreference.objects.filter(pk=row.pk, version=version).update(
                    email=EmailMode.OFF, version=F("version") + 1, updated_at=timezone.now()
                )
            Notification.objects.filter(
                recipient=user, topic=topic, emailed_at__isnull=True
            ).exclude(digest="").update(emailed_at=timezone.now())
            done.append(topic)
    forget_cached(user)
    return done


def email_with_unsubscribe(
    templates: str, context: dict, *, to: str, message_id: str, token: str
) -> EmailMultiAlternatives:
    """The one shape of every notice e-mail and digest: `<templates>_subject.txt`,
    `<templates>.txt` and `<templates>.html` rendered in the active language,
    its Message-ID, and the one-click unsubscribe headers of `token`."""
    subject = render_to_string(f"{templates}_subject.txt", context).strip()
    mail = EmailMultiAlternatives(
        subject,
        render_to_string(f"{templates}.txt", context),
        to=[to],
        headers={"Message-ID": message_id, **headers(token)},
    )
    mail.attach_alternative(render_to_string(f"{templates}.html", context), "text/html")
    return mail
