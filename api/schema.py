"""The OpenAPI schema's parts every operation shares: the reader's language
(?lang= and Accept-Language), the partner key header (optional), and the
JSON errors an operation may answer with (api.errors)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .authentication import HEADER


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the reader's language.")
    code = serializers.CharField(help_text="A stable code: not_found, throttled, …")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each parameter that cannot be used, with why.",
    )


LANGUAGE = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["ko", "en"],
    description=(
        "The language of labels, texts and error messages: ko (default) or en. "
        "Without it, the Accept-Language header decides."
    ),
)

ERRORS = {
    "400": OpenApiResponse(
        ValidationErrorSerializer, description="A filter or page parameter cannot be used."
    ),
    "401": OpenApiResponse(ErrorSerializer, description="The API key sent is unknown or revoked."),
    "404": OpenApiResponse(ErrorSerializer, description="Not found, not public, or past the end."),
    "429": OpenApiResponse(
        ErrorSerializer, description="Over the rate limit; the Retry-After header says when."
    ),
}


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), LANGUAGE]

    def _get_response_bodies(self, direction="response"):
        # Here rather than in get_response_serializers, which an operation's
        # extend_schema(responses=...) replaces: every operation, the other
        # parts' included, documents the errors api.errors may answer.
        responses = super()._get_response_bodies(direction)
        for code, error in ERRORS.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PartnerKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": HEADER,
            "description": (
                "Optional. A partner institution's key raises its rate limit; "
                "`Authorization: Api-Key <key>` works too. Without a key the API is "
                "open to everyone at the anonymous rate."
            ),
        }

    def get_security_requirement(self, auto_schema):
        # Either the key or nothing at all.
        return [{self.name: []}, {}]
