"""A URLconf with a careless endpoint, for proving the walker finds what it
looks for: every proposal (hidden ones too) with its author's e-mail, and a
detail that serves any id. The real API must never look like this."""

from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import DefaultRouter

from oasis import urls as site_urls
from proposals.models import Proposal


class CarelessSerializer(serializers.ModelSerializer):
    author_email = serializers.CharField(source="author.email")

    class Meta:
        model = Proposal
        fields = ["id", "title", "author_email"]


class SmallPages(PageNumberPagination):
    page_size = 3


class CarelessViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Proposal.objects.order_by("pk")
    serializer_class = CarelessSerializer
    pagination_class = SmallPages


router = DefaultRouter()
router.register("careless-proposals", CarelessViewSet, basename="careless")

# Beside the whole site (its middleware and templates name its URLs), and
# under the API's prefix so the schema lists it with the real endpoints.
urlpatterns = [
    path("api/v1/", include((router.urls, "careless"), namespace="careless")),
    *site_urls.urlpatterns,
]
