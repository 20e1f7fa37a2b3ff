"""Using pages in tests as a member does: a client that reads the English
interface (Korean is the default), logged in; what a page says (its text,
its markup, the messages it shows); and a rendered form's fields, to fill
and send back as a browser would."""

import html
import re
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from accounts.predicates import must_use_second_factor
from tests.factories import UserFactory

# --- clients --------------------------------------------------------------------------------


def english(client: Client) -> Client:
    """Assertions read the English interface; Korean is the default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english_client(*, csrf_checks: bool = False) -> Client:
    """A visitor who is not logged in, reading English. With `csrf_checks`,
    posts are refused as a browser's would be without the page's token."""
    return english(Client(enforce_csrf_checks=csrf_checks))


def logged_in(user=None, *, csrf_checks: bool = False) -> Client:
    """A client of its own, logged in as `user` (a new member by default),
    reading English (see english_client for `csrf_checks`). Staff are
    signed in with their second factor, as the admin requires."""
    client = english_client(csrf_checks=csrf_checks)
    user = user or UserFactory()
    if must_use_second_factor(user):
        log_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client


# The TOTP secret of staff in tests (the demo's own is in demo/members.py).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_authenticator_app(user, secret: str = TEST_TOTP_SECRET):
    """`user`'s TOTP authenticator, set up with `secret` unless they have one
    (as if they had scanned its QR code on allauth's set-up page)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return totp or TOTP.activate(user, secret).instance


def log_in_with_second_factor(client: Client, user) -> Client:
    """Log `client` in as `user` as if they had typed their password and then
    the code from their authenticator app: the user gets a TOTP authenticator
    (TEST_TOTP_SECRET) unless they have one, and the session records the
    "mfa" step exactly as allauth's login stage does after a right code."""
    from allauth.account.internal.flows.login import record_authentication
    from django.test import RequestFactory

    client.force_login(user)
    totp = with_authenticator_app(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    request.session.save()
    return client


def totp_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now for `secret`, computed with
    allauth's own TOTP functions. A code is accepted once only; `step` -1 or
    +1 gives the previous or next one, which allauth also accepts
    (MFA_TOTP_TOLERANCE), for a test that needs a second code."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


# --- what a page says -----------------------------------------------------------------------


def _content(response_or_html) -> str:
    if isinstance(response_or_html, str):
        return response_or_html
    return response_or_html.content.decode()


def page_html(response) -> str:
    """The page's markup with entities decoded, for looking at its elements."""
    return html.unescape(response.content.decode())


def page_text(response_or_html) -> str:
    """The text a reader sees: scripts and tags removed, entities decoded,
    whitespace collapsed. Takes a response or a piece of markup."""
    markup = re.sub(r"<script.*?</script>", " ", _content(response_or_html), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def flash(response) -> list[str]:
    """The messages shown at the top of a site page (templates/base.html)."""
    return [
        html.unescape(message).strip()
        for message in re.findall(
            r'<p class="message message-\w+">(.*?)</p>', response.content.decode(), re.S
        )
    ]


def messages_sent(response) -> list[str]:
    """The messages the request left for the member, shown or still to be
    shown after a redirect (the admin's messages, for instance)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- forms as rendered ----------------------------------------------------------------------


class _FormReader(HTMLParser):
    """Collects every <form> on a page with what a browser would send for it
    untouched: text and hidden inputs, checked boxes and radios, selected
    options, textareas. Not sent: file inputs (a browser sends no file
    unless one is chosen), buttons, and disabled fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, bool, list, list] | None = None  # name, multiple, selected, all
        self._textarea: tuple[str, list] | None = None

    def _add(self, name: str, value: str) -> None:
        fields = self._form["fields"]
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "id": attrs.get("id"),
                "action": attrs.get("action"),
                "fields": {},
                "options": {},
            }
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in attrs or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
                return
            self._add(name, attrs.get("value") or "")
        elif tag == "select":
            self._select = (name, "multiple" in attrs, [], [])
        elif tag == "textarea":
            self._textarea = (name, [])

    def _option(self, attrs):
        name, _multiple, selected, every = self._select
        self._form["options"].setdefault(name, []).append(attrs.get("value") or "")
        value = attrs.get("value") or ""
        every.append(value)
        if "selected" in attrs:
            selected.append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, multiple, selected, every = self._select
            self._select = None
            if multiple:
                self._form["fields"][name] = selected
            elif selected or every:
                self._add(name, (selected or every)[0])  # a browser sends the first option
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            self._textarea = None
            # A browser drops the newline that may follow <textarea>.
            self._add(name, "".join(parts).removeprefix("\r\n").removeprefix("\n"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def form_fields(response, form_id: str | None = None) -> dict:
    """What the page's form would send if submitted untouched: its fields by
    name (a list where a name repeats), formsets' management forms included.
    The form with id `form_id`, or else the page's largest form (an admin
    change page also has the log-out form), the header's language switch
    aside (it is on every page)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    forms = reader.forms
    if form_id is not None:
        forms = [form for form in forms if form["id"] == form_id]
    else:
        forms = [form for form in forms if form["action"] != LANGUAGE_SWITCH] or forms
    assert forms, f"no form{f' #{form_id}' if form_id else ''} on the page"
    return dict(max(forms, key=lambda form: len(form["fields"]))["fields"])


# The header's language switch (templates/base.html), on every page.
LANGUAGE_SWITCH = "/i18n/setlang/"


def form_posting_to(response, action: str) -> dict:
    """The page's form whose action is `action`: {"fields": what it would
    send untouched, "options": each select's option values}. Fails when the
    page has no such form, or more than one."""
    found = forms_posting_to(response, action)
    assert len(found) == 1, f"{len(found)} forms post to {action}"
    return found[0]


def forms_posting_to(response, action: str) -> list[dict]:
    """Every form on the page whose action is `action`, in page order, each
    as form_posting_to gives it (allauth's e-mail page has two)."""
    return [form for form in forms_on(response) if form["action"] == action]


def forms_on(response) -> list[dict]:
    """Every form on the page, in page order, each as form_posting_to gives
    it with its "action" besides."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.forms
