"""Spreadsheet exports (django-import-export). Export only: nothing is ever
imported into proposals, since every write goes through services.py."""

from django.utils.translation import gettext_lazy as _
from import_export import widgets
from import_export.fields import Field

from accounts.names import public_name_for
from oasis.exports import EscapedResource

from .models import Proposal


class ProposalResource(EscapedResource):
    """One row per proposal, as an operator reports on them. The author is the
    public (masked) name; no e-mail address or other personal data leaves."""

    id = Field(attribute="id", column_name=_("ID"), widget=widgets.IntegerWidget())
    title = Field(attribute="title", column_name=_("title"))
    status = Field(attribute="get_status_display", column_name=_("status"))
    category = Field(column_name=_("category"))
    district = Field(column_name=_("district"))
    department = Field(attribute="department__name", column_name=_("department"))
    endorsements = Field(
        attribute="endorsement_count", column_name=_("endorsements"), widget=widgets.IntegerWidget()
    )
    comments = Field(
        attribute="comment_count", column_name=_("comments"), widget=widgets.IntegerWidget()
    )
    views = Field(attribute="view_count", column_name=_("views"), widget=widgets.IntegerWidget())
    author = Field(column_name=_("author"))
    created = Field(
        attribute="created_at", column_name=_("created"), widget=widgets.DateTimeWidget()
    )

    class Meta:
        model = Proposal
        fields = (
            "id",
            "title",
            "status",
            "category",
            "district",
            "department",
            "endorsements",
            "comments",
            "views",
            "author",
            "created",
        )
        export_order = fields

    def get_queryset(self):
        return Proposal.objects.select_related("category", "department", "author")

    def dehydrate_category(self, proposal):
        return proposal.category.label

    def dehydrate_district(self, proposal):
        return proposal.get_district_display() if proposal.district else str(_("Whole city"))

    def dehydrate_author(self, proposal):
        return public_name_for(proposal.author)
