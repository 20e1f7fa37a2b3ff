"""Security headers and transport, from the attacker's side.

The attacker looks for: a page that runs injected inline script (no CSP, or one
with 'unsafe-inline'); a first visit over plain HTTP that can be downgraded (no
HSTS, no redirect); cookies sent over HTTP or with cross-site requests; a
member's data export kept by a shared cache; a page that can be framed; and a
proxy chain that loses the visitor's HTTPS so every form post is refused.

Production answers are checked with production's own settings: a subprocess
computes them from a DEBUG-off environment (tests/production.py) and the tests
apply them to this process's requests, which carry what the TLS-terminating
proxy adds (X-Forwarded-Proto) and the production host name."""

import re
from pathlib import Path

import pytest
from django.test import Client

from debates import services as debate_services
from tests.debates.helpers import open_debate
from tests.factories import UserFactory, operator
from tests.pages import log_in_with_second_factor
from tests.production import PRODUCTION_HOST, production_settings

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
HTTPS = {"host": PRODUCTION_HOST, "x-forwarded-proto": "https"}
PLAIN_HTTP = {"host": PRODUCTION_HOST, "x-forwarded-proto": "http"}


@pytest.fixture(scope="module")
def production_values(tmp_path_factory):
    return production_settings(tmp_path_factory.mktemp("production"))


@pytest.fixture
def production(settings, production_values):
    """This process answers as production does (DEBUG is already off in tests)."""
    for name, value in production_values.items():
        if name != "DEBUG":
            setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return settings


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


def inline_scripts(html: str) -> list[str]:
    """The opening tags of <script> elements without a src."""
    return [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]


# --- Content Security Policy ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/proposals/", "/accounts/login/", "/accounts/signup/"])
def test_public_pages_refuse_injected_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    directives = policy(response)

    # Only our own scripts, never inline ones or eval: an injected <script> or
    # onclick="…" would not run.
    assert directives["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert "style-src-attr" not in directives  # public pages allow no style="…"
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]

    # And the page needs nothing the policy refuses.
    html = response.content.decode()
    assert inline_scripts(html) == []
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html), "style attribute"


def test_a_debated_proposal_draws_its_stance_bar_without_style_attributes(client):
    # The stance bar's parts once had style="flex-grow: N", which the policy
    # refuses; they carry data-share and static/js/oasis.js sizes them.
    debate = open_debate()
    debate_services.stance_set(debate=debate, user=UserFactory(), position="for")
    debate_services.stance_set(debate=debate, user=UserFactory(), position="against")

    html = client.get(debate.proposal.get_absolute_url()).content.decode()

    assert 'class="debate-bar"' in html
    assert re.search(r'<span class="debate-bar-for" data-share="1">', html)
    assert inline_scripts(html) == []
    assert not re.search(r"\sstyle\s*=", html)


def test_inline_script_in_the_admin_runs_only_with_this_responses_nonce():
    # The proposal list's date-range filter (django-admin-rangefilter) brings
    # an inline <script> and <style>; they carry the request's nonce.
    client = Client()
    log_in_with_second_factor(client, operator())

    first = client.get("/admin/proposals/proposal/")
    second = client.get("/admin/proposals/proposal/")

    assert first.status_code == 200
    directives = policy(first)
    nonces = [s for s in directives["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    assert "'unsafe-inline'" not in directives["script-src"]
    scripts = inline_scripts(first.content.decode())
    assert scripts, "the range filter's script is on the page"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    # A nonce is good for one response only: an attacker cannot learn it once
    # and reuse it.
    assert nonce not in second["Content-Security-Policy"]


def test_the_admin_allows_style_attributes_but_no_injected_script():
    client = Client()
    log_in_with_second_factor(client, operator())
    directives = policy(client.get("/admin/"))
    assert directives["style-src-attr"] == ["'unsafe-inline'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    # Event handler attributes: only django-import-export's one, by the hash
    # of its exact text; an injected onerror="…" matches no hash.
    assert "'unsafe-inline'" not in directives["script-src-attr"]
    assert directives["script-src-attr"][0] == "'unsafe-hashes'"
    assert len(directives["script-src-attr"]) == 2
    assert directives["script-src-attr"][1].startswith("'sha256-")


# --- framing, sniffing, referrers ----------------------------------------------------


def test_pages_cannot_be_framed_sniffed_or_leak_their_address(client):
    response = client.get("/proposals/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# --- HTTPS in production ---------------------------------------------------------------


def test_plain_http_is_redirected_to_https(production):
    response = Client(headers=PLAIN_HTTP).get("/proposals/?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"https://{PRODUCTION_HOST}/proposals/?page=2"


def test_https_answers_carry_hsts_for_a_year_without_preload(production):
    response = Client(headers=HTTPS).get("/proposals/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_and_the_redirect_have_environment_knobs(tmp_path):
    values = production_settings(
        tmp_path,
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_SSL_REDIRECT"] is False


def test_production_answers_only_its_own_host_names(production):
    # No loopback or address in ALLOWED_HOSTS: a request naming another host
    # (DNS rebinding, Host header poisoning of links) is refused.
    for host in ("localhost", "127.0.0.1", "evil.example"):
        response = Client(headers={"host": host, "x-forwarded-proto": "https"}).get("/")
        assert response.status_code == 400, host


def test_the_container_health_check_works_by_address_over_plain_http(production):
    # What docker compose's health check sends: plain HTTP to 127.0.0.1.
    response = Client(headers={"host": "127.0.0.1:8000"}).get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


# --- cookies ---------------------------------------------------------------------------


def _cookie(response, name):
    assert name in response.cookies, f"{name} not set"
    return response.cookies[name]


def test_session_csrf_and_language_cookies_are_secure_and_same_site(production):
    UserFactory(email="member@example.com")
    browser = Client(headers=HTTPS)

    login_page = browser.get("/accounts/login/")
    csrf = _cookie(login_page, production.CSRF_COOKIE_NAME)
    logged_in = browser.post(
        "/accounts/login/", {"login": "member@example.com", "password": "pass-word-123"}
    )
    session = _cookie(logged_in, production.SESSION_COOKIE_NAME)
    switched = browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    language = _cookie(switched, production.LANGUAGE_COOKIE_NAME)

    for cookie in (csrf, session, language):
        assert cookie["secure"] is True, cookie.key
        assert cookie["samesite"] == "Lax", cookie.key
    assert session["httponly"] is True
    assert language["httponly"] is True


# --- private data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/accounts/profile/export/", "/accounts/profile/", "/me/", "/notifications/"]
)
def test_a_members_private_pages_are_never_stored(path):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


# --- behind the TLS-terminating proxy ----------------------------------------------------


def test_a_form_posted_over_https_through_the_proxy_is_accepted(production):
    # The visitor's browser speaks HTTPS to the proxy; nginx passes on
    # X-Forwarded-Proto: https, so Django sees the request's own origin.
    UserFactory(email="member@example.com")
    browser = Client(enforce_csrf_checks=True, headers=HTTPS)
    page = browser.get("/accounts/login/")
    token = page.context["csrf_token"]
    response = browser.post(
        "/accounts/login/",
        {"login": "member@example.com", "password": "pass-word-123", "csrfmiddlewaretoken": token},
        headers={"origin": f"https://{PRODUCTION_HOST}"},
    )
    assert response.status_code == 302


def test_a_proxy_that_overwrites_the_scheme_would_break_every_form(production):
    # What the old nginx.conf did (X-Forwarded-Proto $scheme behind TLS
    # termination): Django believes the request came over HTTP and refuses
    # the browser's https:// Origin. Here the redirect answers first; with it
    # off (a plain-HTTP trial), the post is refused as cross-origin.
    production.SECURE_SSL_REDIRECT = False
    browser = Client(enforce_csrf_checks=True, headers=PLAIN_HTTP)
    page = browser.get("/accounts/login/")
    response = browser.post(
        "/accounts/login/",
        {
            "login": "x@example.com",
            "password": "x",
            "csrfmiddlewaretoken": page.context["csrf_token"],
        },
        headers={"origin": f"https://{PRODUCTION_HOST}"},
    )
    assert response.status_code == 403


def _nginx_conf() -> str:
    text = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    return re.sub(r"#.*", "", text)  # comments say nothing nginx does


def test_nginx_passes_on_the_https_a_trusted_proxy_reports():
    conf = _nginx_conf()
    forwarded = re.findall(r"proxy_set_header\s+X-Forwarded-Proto\s+(\$\w+)\s*;", conf)
    assert forwarded, "nginx sets X-Forwarded-Proto"
    assert "$scheme" not in forwarded, "X-Forwarded-Proto must not be overwritten with $scheme"

    # The variable it sends is mapped: the upstream proxy's header when a
    # trusted proxy sent one, nginx's own scheme otherwise.
    (variable,) = set(forwarded)
    mapping = re.search(r"map\s+(\S+)\s+" + re.escape(variable) + r"\s*\{(.*?)\}", conf, flags=re.S)
    assert mapping, f"{variable} comes from a map"
    source, body = mapping.group(1), mapping.group(2)
    assert "$http_x_forwarded_proto" in source
    assert re.search(r"default\s+\$scheme\s*;", body)
    # Only a peer nginx trusts may claim HTTPS for the visitor.
    trusted = re.search(r"geo\s+\$realip_remote_addr\s+(\$\w+)\s*\{(.*?)\}", conf, flags=re.S)
    assert trusted and trusted.group(1) in source
    assert re.search(r"default\s+0\s*;", trusted.group(2))


def test_nginx_keeps_overwriting_the_visitors_address():
    conf = _nginx_conf()
    assert re.search(r"proxy_set_header\s+X-Real-IP\s+\$remote_addr\s*;", conf)
    assert not re.search(r"proxy_set_header\s+X-Real-IP\s+\$http_", conf)


def test_nginx_believes_only_the_proxy_named_in_the_environment():
    # Whole private networks were trusted: behind Docker's userland proxy
    # every visitor seemed to come from the bridge's gateway, and could then
    # claim any address (past per-address limits) or HTTPS.
    conf = _nginx_conf()
    trusted = re.search(r"geo\s+\$realip_remote_addr\s+\$\w+\s*\{(.*?)\n\}", conf, flags=re.S)
    peers = re.findall(r"^\s*(\S+)\s+1\s*;", trusted.group(1), flags=re.M)
    assert peers == ["${OASIS_TRUSTED_PROXY}"]
    assert re.findall(r"set_real_ip_from\s+(\S+)\s*;", conf) == ["${OASIS_TRUSTED_PROXY}"]
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert "./deploy/nginx.conf:/etc/nginx/templates/default.conf.template:ro" in compose
    assert "OASIS_TRUSTED_PROXY: ${OASIS_TRUSTED_PROXY:-127.0.0.1/32}" in compose
