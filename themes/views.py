"""The public pages of themed calls (테마상상): the list, a theme's page and
proposing to a theme. Thin: selectors read, themes.services writes, and a
refusal becomes a message on the page with what was typed kept."""

import os

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.once import AlreadySubmitted, create_once
from oasis.errors import ServiceError
from oasis.files import serve_media
from oasis.forms import add_service_errors
from oasis.page_cache import cached_for_anonymous
from oasis.ratelimits import rate_limited
from proposals.forms import ProposalForm
from proposals.uploads import photo_allowance_check

from . import rules as theme_rules
from . import selectors, services
from .models import Theme, ThemeMaterial


def _public_theme_or_404(pk) -> Theme:
    """A published or closed theme; a draft is not there for the public
    (the admin's preview shows it to staff)."""
    try:
        return selectors.public_themes().get(pk=pk)
    except (Theme.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


@cached_for_anonymous
def theme_list(request):
    """/themes/: open themes first with their D-day and proposal count, then
    the ones about to open, then the closed ones; paged."""
    return render(
        request,
        "themes/list.html",
        {"page": selectors.theme_list_page(request.GET.get("page")), "query": ""},
    )


@cached_for_anonymous
def theme_detail(request, pk):
    """A theme's page: what the city asks and why, its material, its
    proposals, the debate picks, and the department's final response."""
    theme = _public_theme_or_404(pk)
    return render(
        request,
        "themes/detail.html",
        selectors.theme_page_context(theme, page_number=request.GET.get("page")),
    )


@login_required
@rate_limited("propose")
def theme_propose(request, pk):
    """The proposal form with the theme above it. Sent twice, it proposes
    once (the form's one-time token). Once the theme is closed the page says
    so; a form sent after the close is shown again with its text and the
    reason, and nothing is saved."""
    theme = _public_theme_or_404(pk)
    if request.method != "POST" and (refusal := theme_rules.theme_open_refusal(theme)):
        messages.error(request, refusal)
        return redirect("themes:detail", pk=theme.pk)
    # A themed call is the city's: its categories only (issue 16).
    form = ProposalForm(request.POST or None, request.FILES or None, city_only=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            photo_allowance_check(request, data["photos"])
            return services.theme_propose(
                theme=theme,
                author=request.user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                district=data["district"],
                tag_names=data["tags"],
                photos=data["photos"],
                files=data["files"],
            )

        try:
            proposal = create_once(
                user=request.user,
                token=data["submission_token"],
                create=create,
                url_of=lambda made: made.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            messages.info(request, _("This form was already sent; here is what it made."))
            return redirect(done.url)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your proposal is published in the theme. Thank you!"))
            return redirect(proposal)
    return render(
        request,
        "themes/propose.html",
        {"form": form, "theme": theme, "phase": selectors.phase_of(theme)},
    )


def theme_material(request, pk):
    """A theme's reference file, served once its theme is public; staff
    who may see the theme (themes.see_theme) also get a draft's, which the
    admin's preview links."""
    material = get_object_or_404(ThemeMaterial.objects.select_related("theme"), pk=pk)
    theme = material.theme
    if not selectors.is_public(theme) and not rules.has_perm(
        "themes.see_theme", request.user, theme
    ):
        raise Http404
    return serve_media(material.file, download_name=os.path.basename(material.file.name))
