"""The ledger's spreadsheet export (django-import-export). Export only:
entries are written by services.py alone."""

from django.utils.translation import gettext_lazy as _
from import_export import widgets
from import_export.fields import Field

from oasis.exports import EscapedResource

from .models import MileageEntry


class MileageEntryResource(EscapedResource):
    """One row per entry, as an operator audits the ledger. The member is
    their id and public (masked) name; no e-mail address leaves."""

    id = Field(attribute="id", column_name=_("ID"), widget=widgets.IntegerWidget())
    time = Field(attribute="created_at", column_name=_("time"), widget=widgets.DateTimeWidget())
    member_id = Field(
        attribute="member_id", column_name=_("member ID"), widget=widgets.IntegerWidget()
    )
    member = Field(attribute="member__public_name", column_name=_("member"))
    reason = Field(attribute="get_action_display", column_name=_("reason"))
    points = Field(attribute="points", column_name=_("points"), widget=widgets.IntegerWidget())
    source = Field(column_name=_("source"))
    proposal = Field(
        attribute="proposal_id", column_name=_("proposal"), widget=widgets.IntegerWidget()
    )
    reverses = Field(
        attribute="reverses_id", column_name=_("reverses"), widget=widgets.IntegerWidget()
    )
    note = Field(attribute="note", column_name=_("note"))

    class Meta:
        model = MileageEntry
        fields = (
            "id",
            "time",
            "member_id",
            "member",
            "reason",
            "points",
            "source",
            "proposal",
            "reverses",
            "note",
        )
        export_order = fields

    def get_queryset(self):
        return MileageEntry.objects.select_related("member", "source_type")

    def dehydrate_source(self, entry):
        return f"{entry.source_type.model} #{entry.source_id}"
