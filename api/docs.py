"""The API's documentation pages, Swagger UI (/api/docs/) and ReDoc
(/api/redoc/), served from our own static files (drf-spectacular-sidecar)
under the site's Content Security Policy: no inline script (Swagger's
start-up script is fetched from the same address, drf-spectacular's split
view; ReDoc's carries the request's nonce).

Each page relaxes the policy only where its library needs it, and only on
that page: both draw their icons as data: images (an image cannot run
script), and ReDoc writes its styles into <style> elements at run time
(styled-components), which no nonce reaches; a style cannot run script and
these pages show nothing but the public schema."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace, csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


@method_decorator(csp_update({"img-src": ["data:"]}), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "Oasis open API"


@method_decorator(
    csp_replace({"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]}),
    name="dispatch",
)
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
    title = "Oasis open API"
