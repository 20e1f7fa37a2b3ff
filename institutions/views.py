"""A partner institution's public space (issue 16): /org/ lists the open
institutions; /org/<slug>/ is an institution's home (its branding, open
proposals, debates, polls and headline figures) and its pages reuse the
city-wide lists with the institution fixed (proposals.views,
debates.views, polls.views), so a filter or a column added there shows
here too. Every page is the same for every anonymous reader: page-cached."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from debates.views import debate_list_context
from oasis.files import serve_media
from oasis.page_cache import cached_for_anonymous
from polls.views import poll_list_context
from proposals.rules import addressee_refusal
from proposals.views import proposal_list_context
from stats import figures
from stats.models import Dimension
from stats.views import STAGE_COLUMNS, _table

from . import selectors


def _space(request, institution, section: str) -> dict:
    """What every page of the space shares: the institution, its colour
    and the space's navigation."""
    slug = institution.slug
    return {
        "institution": institution,
        "brand_color": selectors.brand_color(institution),
        "section": section,
        "space_pages": [
            ("home", _("Home"), reverse("institutions:home", args=[slug])),
            ("proposals", _("Proposals"), reverse("institutions:proposals", args=[slug])),
            ("debates", _("Debates"), reverse("institutions:debates", args=[slug])),
            ("polls", _("Polls"), reverse("institutions:polls", args=[slug])),
            ("stats", _("Statistics"), reverse("institutions:stats", args=[slug])),
        ],
    }


@cached_for_anonymous
def institution_list(request):
    return render(
        request,
        "institutions/list.html",
        {"institutions": list(selectors.open_institutions())},
    )


@cached_for_anonymous
def institution_home(request, slug):
    institution = selectors.institution_or_404(slug)
    context = _space(request, institution, "home")
    context.update(selectors.home_lists(institution, request.user))
    context["totals"] = figures.one_totals(Dimension.INSTITUTION, institution.slug)
    context["totals_link"] = figures.list_url(institution=institution.slug)
    return render(request, "institutions/home.html", context)


@cached_for_anonymous
def institution_proposals(request, slug):
    institution = selectors.institution_or_404(slug)
    context = _space(request, institution, "proposals")
    context.update(proposal_list_context(request, institution=institution))
    return render(request, "institutions/proposals.html", context)


@cached_for_anonymous
def institution_debates(request, slug):
    institution = selectors.institution_or_404(slug)
    context = _space(request, institution, "debates")
    context.update(debate_list_context(request, institution=institution))
    return render(request, "institutions/debates.html", context)


@cached_for_anonymous
def institution_polls(request, slug):
    institution = selectors.institution_or_404(slug)
    context = _space(request, institution, "polls")
    context.update(poll_list_context(request, institution=institution))
    return render(request, "institutions/polls.html", context)


@cached_for_anonymous
def institution_stats(request, slug):
    """Its figures from the statistics' institution dimension: the funnel
    all time and one row a year, each count linking to the list it counted
    (/stats/proposals/?institution=<slug>)."""
    institution = selectors.institution_or_404(slug)
    context = _space(request, institution, "stats")
    rows = figures.one_by_year(Dimension.INSTITUTION, institution.slug)
    totals = figures.one_totals(Dimension.INSTITUTION, institution.slug)
    context.update(
        {
            "totals": totals,
            "funnel": [
                {
                    "name": name,
                    "label": label,
                    "count": getattr(totals, name),
                    "link": figures.list_url(name, institution=institution.slug),
                }
                for name, label in STAGE_COLUMNS
            ],
            "by_year": _table(rows),
            "columns": STAGE_COLUMNS,
            "as_of": figures.as_of(),
        }
    )
    return render(request, "institutions/stats.html", context)


def institution_propose(request, slug):
    """The space's "propose" button: the proposal form with the institution
    chosen; a closed institution says so on its space instead."""
    institution = selectors.institution_or_404(slug)
    if refusal := addressee_refusal(institution, None):
        messages.error(request, refusal)
        return redirect("institutions:home", slug=institution.slug)
    return redirect(reverse("proposals:create") + "?" + urlencode({"institution": slug}))


def institution_logo(request, slug):
    institution = selectors.institution_or_404(slug)
    return serve_media(institution.logo)
