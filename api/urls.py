from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .base import NotFoundView
from .docs import RedocView, SwaggerView
from .routes import all_routes

router = DefaultRouter()
for prefix, viewset, basename in all_routes():
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Under the site's CSP (api.docs): no inline script.
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Last: whatever else is asked under /api/ is a JSON 404 (api.base).
    re_path(r"^", NotFoundView.as_view()),
]
