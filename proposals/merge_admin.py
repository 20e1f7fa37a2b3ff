"""Merging a duplicate into another proposal: the operators' screen, a
button on the proposal's admin page (issue 16). The merge is
merging.proposal_merge; this screen finds the target (by its number or
words of its title), shows both proposals' stages and what will happen in
words (merging.merge_preview), and asks for the reason before the operator
confirms. The city's operators merge anywhere, a partner institution's
administrators within their institution; officials and other staff never
see it (proposals.merge_proposal).

`MergeAdminMixin` puts the screen's address and the button on the
proposals' ModelAdmin."""

import rules
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import pk_or_404
from oasis.errors import ServiceError

from . import merging
from .forms import MODERATION_REASON_MAX_LENGTH
from .models import PROPOSAL_TRANSITIONS, Proposal, ProposalStatus

# Candidates listed for a search by words.
CANDIDATES_SHOWN = 10


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Number of the proposal to merge into"),
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": _("Enter the number of the proposal to merge into.")},
    )
    reason = forms.CharField(
        label=_("Reason (shown on both proposals' timelines)"),
        max_length=MODERATION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Please give a reason.")},
    )


class FindForm(forms.Form):
    q = forms.CharField(label=_("Find the proposal to merge into"), max_length=100, required=False)


def _candidates(queryset, source, words: str):
    """Proposals a merge could go to, by number or words of the title:
    same place (city or institution), not merged, not the source."""
    words = words.strip()
    if not words:
        return []
    rows = queryset.exclude(pk=source.pk).exclude(status=ProposalStatus.MERGED)
    rows = rows.filter(institution_id=source.institution_id)
    if words.isdigit() and len(words) < 10:
        rows = rows.filter(pk=int(words))
    else:
        for word in words.split()[:5]:
            rows = rows.filter(title__icontains=word)
    return list(rows.only("pk", "title", "status", "endorsement_count")[:CANDIDATES_SHOWN])


def merge_view(modeladmin, request, object_id):
    """GET: the source, a search for the target (?q=) and, once one is
    chosen (?target=), both stages and the preview with the reason form.
    POST: merge, or show why not (nothing written)."""
    if not rules.has_perm("proposals.merge_proposal", request.user):
        raise PermissionDenied
    queryset = modeladmin.get_queryset(request)
    source = queryset.filter(pk=pk_or_404(Proposal, object_id)).first()
    # The list is the user's institution's already; asked with the source
    # all the same (issue 16: an institution's administrator merges their
    # institution's proposals, within it).
    if source is None or not rules.has_perm("proposals.merge_proposal", request.user, source):
        raise Http404
    change_url = reverse("admin:proposals_proposal_change", args=[source.pk])
    find = FindForm(request.GET or None)
    candidates = _candidates(queryset, source, find.cleaned_data["q"]) if find.is_valid() else []
    if request.method == "POST":
        form = MergeForm(request.POST)
    else:
        form = MergeForm(initial={"target": request.GET.get("target")})
    target_id = None
    if form.is_bound:
        if form.is_valid() or "target" not in form.errors:
            target_id = form.cleaned_data.get("target")
    else:
        raw = request.GET.get("target", "")
        target_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    target = queryset.filter(pk=target_id).first() if target_id else None
    if target_id and target is None:
        if form.is_bound:
            form.add_error("target", gettext("There is no proposal #%(id)s.") % {"id": target_id})
        else:
            messages.error(request, gettext("There is no proposal #%(id)s.") % {"id": target_id})
    preview = merging.merge_preview(source, target) if target is not None else None
    if form.is_bound and form.is_valid() and target is not None:
        try:
            merging.proposal_merge(
                actor=request.user,
                source=source,
                target=target,
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("#%(source)s was merged into #%(target)s.")
                % {"source": source.pk, "target": target.pk},
            )
            return HttpResponseRedirect(change_url)
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        "admin/proposals/merge.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": gettext("Merge into another proposal"),
            "source": source,
            "target": target,
            "preview": preview,
            "find": find,
            "candidates": candidates,
            "searched": find.is_valid() and bool(find.cleaned_data["q"].strip()),
            "form": form,
            "back_url": change_url,
        },
    )


class MergeAdminMixin:
    """For the proposals' ModelAdmin: the screen's address and, on a
    proposal's page, the "Merge into another proposal" button (for those
    who run the proposal's institution, while it can still be merged)."""

    def get_urls(self):
        def view(request, object_id):
            return merge_view(self, request, object_id)

        return [
            path(
                "<path:object_id>/merge/",
                self.admin_site.admin_view(view),
                name="proposals_proposal_merge",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if rules.has_perm("proposals.merge_proposal", request.user):
            proposal = self.get_object(request, unquote(object_id))
            if (
                proposal is not None
                and rules.has_perm("proposals.merge_proposal", request.user, proposal)
                and proposal.is_public
                and ProposalStatus.MERGED in PROPOSAL_TRANSITIONS.get(proposal.status, set())
            ):
                extra_context["merge_url"] = reverse(
                    "admin:proposals_proposal_merge", args=[proposal.pk]
                )
        return super().change_view(request, object_id, form_url, extra_context)
