from django.urls import path

from . import legal_views

app_name = "legal"

urlpatterns = [
    path("consent/", legal_views.consent, name="consent"),
    path("<slug:kind>/", legal_views.document, name="document"),
    path("<slug:kind>/<slug:version>/", legal_views.document_version, name="version"),
]
