"""유사제안 in the operators' proposal admin (issue 16, seed 004): a column on
the list and the list on a proposal's page, each linking to the other
proposal's admin page (where the merge is done). Kept apart from admin.py
so the merge's pieces and these stay separate."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext_lazy

from .models import ProposalStatus
from .similarity import similar_cached_many, similar_to_proposal

# A list page works out at most this many lists that were not cached (each
# a search); the others show "…" and are worked out on the next loads. The
# lists are cached (proposals.similarity.CACHE_SECONDS), so a page read
# again costs one cache read for all its rows.
COMPUTE_PER_PAGE = 20
NOT_YET = object()


def _admin_url(pk: int) -> str:
    return reverse("admin:proposals_proposal_change", args=[pk])


class SimilarProposalsAdminMixin:
    """For ProposalAdmin: `similar_column` for list_display and
    `similar_list` for a read-only field."""

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        found = similar_cached_many([row.pk for row in rows])
        budget = COMPUTE_PER_PAGE
        for row in rows:
            hits = found.get(row.pk)
            if hits is None and budget > 0 and row.similarity_terms:
                hits = similar_to_proposal(row)
                budget -= 1
            if hits is None:
                hits = NOT_YET if row.similarity_terms else []
            row.similar_hits = hits
        return changelist

    @admin.display(description=pgettext_lazy("admin column", "Similar proposals"))
    def similar_column(self, obj):
        hits = getattr(obj, "similar_hits", NOT_YET)
        if hits is NOT_YET:
            return format_html(
                '<span title="{}">…</span>', gettext("Not worked out yet; open the proposal.")
            )
        if not hits:
            return "—"
        top = hits[0]
        more = len(hits) - 1
        link = format_html(
            '<a href="{}">#{} {}</a>',
            _admin_url(top["pk"]),
            top["pk"],
            Truncator(top["title"]).chars(24),
        )
        if not more:
            return link
        return format_html("{} {}", link, gettext("and %(n)d more") % {"n": more})

    @admin.display(description=pgettext_lazy("admin column", "Similar proposals"))
    def similar_list(self, obj):
        if obj is None or not obj.pk or not obj.similarity_terms:
            return "—"
        hits = similar_to_proposal(obj)
        if not hits:
            return gettext("None above the similarity floor.")
        return format_html(
            '<ul class="similar-admin-list">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">#{} {}</a> · {} · {} · {}</li>',
                (
                    (
                        _admin_url(hit["pk"]),
                        hit["pk"],
                        hit["title"],
                        ProposalStatus(hit["status"]).label,
                        gettext("%(n)d endorsements") % {"n": hit["endorsement_count"]},
                        gettext("similarity %(score)d%%") % {"score": round(hit["score"] * 100)},
                    )
                    for hit in hits
                ),
            ),
        )
