"""개인정보 접속기록: every time staff see or take members' personal data in
the admin, a row says who, when, from which address, what and whose
(PIPA safety-measures standard, art. 8). `AccessRecordedAdminMixin` puts this
on a ModelAdmin of members; anything else that shows or exports members'
data to staff calls `access_record_write`."""

from django.template.response import TemplateResponse

from oasis.admin_utils import MaskedMemberSearchMixin
from oasis.http import client_ip

from .models import AccessAction, AccessRecord


def access_record_write(*, request, action: str, member_ids, query: str = "") -> AccessRecord:
    """Record that `request.user` (staff) did `action` (AccessAction) to the
    data of `member_ids`, chosen by `query`. Always writes: the record is
    the point, whatever else fails afterwards."""
    staff = request.user
    return AccessRecord.objects.create(
        staff=staff if staff.is_authenticated else None,
        staff_email=getattr(staff, "email", "") or "",
        action=action,
        member_ids=sorted({int(pk) for pk in member_ids}),
        query=query[:500],
        path=request.get_full_path()[:500],
        ip=client_ip(request) or None,
    )


def _member_id(obj, path: str):
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


class AccessRecordedAdminMixin:
    """For a ModelAdmin whose rows are members' data (the members, their
    addresses, social logins, consents): a list (with or without a search)
    and a row's page each leave an access record naming the members shown,
    found through `access_member` (a dotted attribute path to the member's
    id). Only successful pages are recorded: a refused one showed nothing."""

    access_member = "pk"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and "cl" in (response.context_data or {}):
            changelist = response.context_data["cl"]
            query = request.GET.urlencode()
            access_record_write(
                request=request,
                action=AccessAction.SEARCH if changelist.query else AccessAction.LIST,
                member_ids=[_member_id(row, self.access_member) for row in changelist.result_list],
                query=query,
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code == 200 and original is not None:
            access_record_write(
                request=request,
                action=AccessAction.VIEW,
                member_ids=[_member_id(original, self.access_member)],
            )
        return response


class RecordedMemberSearchMixin(MaskedMemberSearchMixin):
    """For lists of what members wrote (proposals, comments, arguments),
    whose search reaches the author's e-mail or real name for those allowed
    to unmask: such a search is a look-up of members' personal data, so it
    leaves an access record naming the authors it found (`access_member`,
    the path to the author's id)."""

    access_member = "author_id"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        changelist = context.get("cl")
        if changelist is not None and changelist.query and self._may_unmask(request):
            access_record_write(
                request=request,
                action=AccessAction.SEARCH,
                member_ids=[
                    member
                    for row in changelist.result_list
                    if (member := _member_id(row, self.access_member)) is not None
                ],
                query=request.GET.urlencode(),
            )
        return response
