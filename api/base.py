"""What every endpoint of the read API shares: the reader's language and
choices given as a stable code plus a label in that language.

The language is `?lang=ko|en` when given, else the first supported language
of the Accept-Language header, else Korean. Unlike the pages, the session
and the language cookie are ignored: an API answer depends only on what the
request says, so a partner's script and a cache see the same thing.

Every viewset of /api/v1/ derives from `ReadOnlyViewSet` (or mixes
`ReaderLanguageMixin` into its own base); every choice is a
`CodeLabelField`:

    status = CodeLabelField(choices=ProposalStatus)
    category = CodeLabelField()          # an object with .code and .label
    district = CodeLabelField(choices=District, blank_label=_("Whole city"))
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from oasis.page_cache import STATUS_HEADER, query_for_key
from oasis.page_cache import cache as pages_cache

LANGUAGE_PARAMETER = "lang"
SUPPORTED_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # ("ko", "en")
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE  # "ko"


def _supported(code: str) -> str | None:
    code = (code or "").strip().lower()
    if not code or "\x00" in code:
        return None
    base = code.split("-")[0].split("_")[0]
    return base if base in SUPPORTED_LANGUAGES else None


def reader_language(request) -> str:
    """The language an API answer is written in: ?lang=, else
    Accept-Language, else Korean. An unsupported ?lang= is ignored rather
    than refused, like an unsupported Accept-Language."""
    chosen = _supported(request.GET.get(LANGUAGE_PARAMETER, ""))
    if chosen:
        return chosen
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if header and len(header) <= 1000:
        from django.utils.translation.trans_real import parse_accept_lang_header

        for code, _quality in parse_accept_lang_header(header):
            chosen = _supported(code)
            if chosen:
                return chosen
    return DEFAULT_LANGUAGE


class ReaderLanguageMixin:
    """Answer (errors included) in the reader's language. The response is
    rendered inside the language's block: labels are lazy translations and
    would otherwise be written in whatever language the middleware left
    active when Django renders the response after the view."""

    def dispatch(self, request, *args, **kwargs):
        language = reader_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response


class _Stored(Exception):
    """Raised after the throttles when a copy of the answer is in the cache."""

    def __init__(self, content: bytes):
        self.content = content


class ShortCacheMixin:
    """The same answer for a few seconds (settings.PAGE_CACHE_SECONDS, as
    the site's public pages): an API list read by many programs at once is
    serialised once, not once per request. Unlike the site's page cache,
    which answers before the middleware, this one answers after the key is
    checked and the throttles counted, so a cached answer still costs the
    caller its rate and an unknown key is still refused. Every reader gets
    the same answer for the same address and language (a partner's key only
    raises its limit), so the key is the path, its query and the language.
    Only 200 answers are kept."""

    def _short_cache_key(self, request) -> str:
        query = query_for_key(request._request)
        digest = hashlib.sha256(
            f"{request.path}?{query}|{translation.get_language()}".encode()
        ).hexdigest()
        return f"api:{digest}"

    def _short_cache_on(self, request) -> bool:
        return settings.PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self._short_cache_on(request):
            content = pages_cache.get(self._short_cache_key(request))
            if content is not None:
                raise _Stored(content)

    def handle_exception(self, exc):
        if isinstance(exc, _Stored):
            response = HttpResponse(exc.content, content_type="application/json")
            response[STATUS_HEADER] = "hit"
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            isinstance(response, Response)
            and response.status_code == 200
            and self._short_cache_on(request)
        ):
            response.render()
            pages_cache.set(
                self._short_cache_key(request),
                response.content,
                settings.PAGE_CACHE_SECONDS,
            )
            response[STATUS_HEADER] = "miss"
        return response


class ReadOnlyViewSet(ReaderLanguageMixin, ShortCacheMixin, viewsets.ReadOnlyModelViewSet):
    """The base of the API's list + detail endpoints."""


class CodeLabelField(serializers.Field):
    """A choice as `{"code": ..., "label": ...}`: the code is stable (what
    a program filters and compares on), the label is in the reader's
    language (what a person reads).

    `choices`: a Django Choices class; the value is its code. Without it the
    value is an object with `.code` and `.label` (a Category, a Department).
    `blank_label`: the label of the empty code (district "" is the whole
    city); without it an empty value is null."""

    def __init__(self, choices=None, blank_label=None, **kwargs):
        self.choices_class = choices
        self.blank_label = blank_label
        kwargs["read_only"] = True
        if blank_label is None:
            kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if self.choices_class is None:
            if value is None:
                return None
            return {"code": value.code, "label": str(value.label)}
        if value in ("", None):
            if self.blank_label is None:
                return None
            return {"code": "", "label": str(self.blank_label)}
        try:
            label = self.choices_class(value).label
        except ValueError:
            label = value  # a code retired from the choices still reads
        return {"code": value, "label": str(label)}

    def codes(self) -> list[str] | None:
        """Every code the field may give, for the schema (None: not known)."""
        if self.choices_class is None:
            return None
        codes = [str(value) for value in self.choices_class.values]
        return ["", *codes] if self.blank_label is not None else codes

    def get_attribute(self, instance):
        # A missing relation (no department yet) is null, not an error.
        try:
            return super().get_attribute(instance)
        except (AttributeError, KeyError):
            return None


def code_label(value, choices, blank_label=None):
    """A CodeLabelField's output outside a serializer (a dict a view builds)."""
    return CodeLabelField(choices=choices, blank_label=blank_label).to_representation(value)


class CodeLabelFieldExtension(OpenApiSerializerFieldExtension):
    """The schema of a CodeLabelField: an object whose code is one of the
    choices' codes when they are known."""

    target_class = CodeLabelField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        code = build_basic_type(OpenApiTypes.STR)
        codes = field.codes()
        if codes is not None:
            code["enum"] = codes
        schema = build_object_type(
            properties={
                "code": code,
                "label": {
                    **build_basic_type(OpenApiTypes.STR),
                    "description": "In the reader's language (?lang= or Accept-Language).",
                },
            },
            required=["code", "label"],
        )
        return schema


class NotFoundView(ReaderLanguageMixin, APIView):
    """Any address under /api/ that names nothing: a JSON 404 like every
    other API error, not the site's HTML page (an id with a dot in it, a
    mistyped path)."""

    schema = None  # not an operation of the schema

    def get(self, request, *args, **kwargs):
        raise NotFound()

    head = options = get
