"""The theme screens, registered by admin.py (each wrapped in
admin_site.admin_view, where the second factor is asked):

- the preview of a theme's public page, drafts included, for the staff who
  may see the theme;
- the operators' picks for the theme debate (a closed theme's standing
  proposals, most endorsed first);
- the department's final response and what came of it (an official of the
  theme's department, or an operator).

Each form posts to its own page, which calls the service; a refusal comes
back on the form with its reason, success goes back to the theme."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from oasis.admin_utils import admin_page, pk_or_404
from oasis.errors import ServiceError

from . import rules as theme_rules
from . import services
from .forms import PickForm, ResponseForm
from .models import Theme
from .selectors import pick_candidates, theme_page_context, visible_to_staff


def theme_url(theme) -> str:
    return reverse("admin:themes_theme_change", args=[theme.pk])


def _theme(request, object_id) -> Theme:
    """The theme, if this staff member may see it (else 404, as the admin's
    own change page answers for a row outside its queryset)."""
    theme = (
        visible_to_staff(request.user)
        .select_related("department")
        .filter(pk=pk_or_404(Theme, object_id))
        .first()
    )
    if theme is None:
        raise Http404
    return theme


def preview_view(modeladmin, request, object_id):
    """The theme's public page as citizens will see it, drafts included:
    the public template itself (so the preview cannot drift from the page),
    under its preview banner with a link back to the editor. Reads only."""
    if not rules.has_perm("themes.see_theme", request.user):
        raise PermissionDenied
    theme = _theme(request, object_id)
    return TemplateResponse(
        request,
        "themes/detail.html",
        {**theme_page_context(theme, preview=True), "editor_url": theme_url(theme)},
    )


def pick_view(modeladmin, request, object_id):
    """An operator picks a closed theme's proposals for the theme debate."""
    if not rules.has_perm("themes.pick_for_debate", request.user):
        raise PermissionDenied
    theme = _theme(request, object_id)
    entries = list(pick_candidates(theme)[:200])
    form = PickForm(request.POST if request.method == "POST" else None, entries=entries)
    refusal = theme_rules.pick_refusal(theme)
    if form.is_bound and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["proposals"]}
        try:
            picked = services.theme_pick_for_debate(
                theme=theme,
                actor=request.user,
                proposals=[e.proposal for e in entries if e.proposal_id in chosen],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d proposal was picked for the theme debate; its proposer is told.",
                    "%(count)d proposals were picked for the theme debate; their proposers are told.",
                    len(picked),
                )
                % {"count": len(picked)},
            )
            return HttpResponseRedirect(theme_url(theme))
    return admin_page(
        modeladmin,
        request,
        template="admin/themes/theme/pick.html",
        title=gettext("Pick proposals for the theme debate"),
        theme=theme,
        entries=entries,
        form=form,
        refusal=refusal,
    )


def respond_view(modeladmin, request, object_id):
    """The department's final response to a closed theme, and what came of it."""
    theme = _theme(request, object_id)
    if not rules.has_perm("themes.respond_theme", request.user, theme):
        raise PermissionDenied
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        initial={"response": theme.response, "outcome": theme.outcome},
    )
    if form.is_bound and form.is_valid():
        publish = "save_draft" not in request.POST
        try:
            services.theme_respond(
                theme=theme,
                actor=request.user,
                response=form.cleaned_data["response"],
                outcome=form.cleaned_data["outcome"],
                publish=publish,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("The final response is published on the theme's page.")
                if theme.response_published_at
                else gettext("The final response is saved as a draft; it is not public yet."),
            )
            return HttpResponseRedirect(request.path)
    return admin_page(
        modeladmin,
        request,
        template="admin/themes/theme/respond.html",
        title=gettext("The department's final response"),
        theme=theme,
        form=form,
        refusal=theme_rules.respond_refusal(theme, "-"),
        proposal_count=theme.proposal_count,
    )
