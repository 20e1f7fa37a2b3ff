"""The poll editor's own screens, registered by admin.py (each wrapped in
admin_site.admin_view, where the second factor is asked): the preview of
the public page, publishing a draft and closing a poll early. Each form posts
to its own page, which calls the service; a refusal comes back with its
reason, success goes back to the poll."""

import rules
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from oasis.admin_utils import admin_page, pk_or_404
from oasis.errors import ServiceError

from . import editing_rules
from .admin_forms import CloseForm
from .models import Poll, PollStatus
from .services import editing
from .views import page_context


def change_url(poll) -> str:
    return reverse("admin:polls_poll_change", args=[poll.pk])


def _poll(modeladmin, request, object_id, perm="polls.see_poll_admin") -> Poll:
    """The poll of `object_id` among those the editor lists for the user
    (another institution's, or another department's, is not found, as on
    its change page), if they may do `perm` to it."""
    poll = (
        editing.with_questions(modeladmin.get_queryset(request).select_related("department"))
        .prefetch_related("attachments")
        .filter(pk=pk_or_404(Poll, unquote(object_id)))
        .first()
    )
    if poll is None:
        raise Http404
    if not rules.has_perm(perm, request.user, poll):
        raise PermissionDenied
    return poll


def preview_view(modeladmin, request, object_id):
    """The poll as its public page will show it (the public page's own
    template and context, polls.views.page_context), under a banner saying
    it is a preview, with no working form: for the operator writing it and
    the department asking it. A draft's images are served to them by the
    public attachment view (polls.views.poll_attachment). Read-only (GET)."""
    poll = _poll(modeladmin, request, object_id)
    context = page_context(request, poll)
    # Nobody votes in a preview: the vote's place shows the questions and
    # their choices as the page lists them for a reader who cannot vote.
    context.update(
        form=None,
        ballot=None,
        my_vote=[],
        changing=False,
        may_vote=False,
        can_change=False,
        details_needed_url="",
        refused_now=None,
        vote_refusal=gettext("This is a preview: nothing here can be voted on."),
        problems=editing_rules.publish_refusals(poll, list(poll.questions.all()))
        if poll.status == PollStatus.DRAFT
        else [],
        edit_url=change_url(poll),
        is_preview=True,
    )
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "polls/preview.html", context)


def publish_view(modeladmin, request, object_id):
    """Publish a draft: the page lists what is missing, if anything, and
    the button publishes (services.editing.poll_publish)."""
    poll = _poll(modeladmin, request, object_id, perm="polls.publish_poll")
    problems = editing_rules.publish_refusals(poll, list(poll.questions.all()))
    if request.method == "POST":
        try:
            editing.poll_publish(poll=poll, actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            gettext("“%(title)s” is published: it takes votes from %(date)s.")
            % {
                "title": poll.title,
                "date": timezone.localtime(poll.starts_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
        return HttpResponseRedirect(change_url(poll))
    return admin_page(
        modeladmin,
        request,
        template="admin/polls/publish.html",
        title=gettext("Publish the poll"),
        poll=poll,
        problems=problems,
    )


def close_view(modeladmin, request, object_id):
    """Close a published poll now, with a reason (services.editing.poll_close)."""
    poll = _poll(modeladmin, request, object_id, perm="polls.close_poll")
    form = CloseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            editing.poll_close(poll=poll, actor=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                gettext("“%(title)s” is closed; its department is asked for its response.")
                % {"title": poll.title},
            )
            return HttpResponseRedirect(change_url(poll))
    return admin_page(
        modeladmin,
        request,
        template="admin/polls/close.html",
        title=gettext("Close the poll early"),
        poll=poll,
        form=form,
        media=modeladmin.media + form.media,
    )
