"""The staff's screen of poll results ("결과와 부서 응답"): the polls whose
results they answer (operators: all; officials: their department's), each
with its response, a link to the results page and the exports. A poll's
page here is the response form: write, save, publish
(polls.services.responses). Registered from polls/admin.py with one line.

Nothing is written by the admin itself: the form calls the services, which
ask results_rules who may and audit the change. Which rows a user sees comes
from results.polls_for_results_staff, the list twin of the rule."""

import rules
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oasis.errors import PermissionDenied, ServiceError

from . import results_export
from .models import PollResponse
from .results import (
    awaiting_response,
    poll_results,
    polls_for_results_staff,
    voting_over,
)
from .services import responses


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("The department's response"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=responses.RESPONSE_MAX_LENGTH,
        help_text=_(
            "What the department makes of the result and what it will do. Published on the results page; the voters are told."
        ),
    )


class ResponseStateFilter(admin.SimpleListFilter):
    title = _("response")
    parameter_name = "response"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Voting over, not yet published")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(awaiting_response())
        if self.value() == "published":
            return queryset.filter(response_published_at__isnull=False)
        return queryset


class PollResponseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "department",
        "ends_at",
        "voter_count",
        "response_state",
        "files",
    ]
    list_filter = [ResponseStateFilter, "kind", "status"]
    search_fields = ["title"]
    ordering = ["-ends_at", "-id"]
    list_per_page = 50

    # -- who

    def get_queryset(self, request):
        return polls_for_results_staff(request.user)

    def has_module_permission(self, request) -> bool:
        return rules.has_perm("polls.open_results_screen", request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is None:
            return rules.has_perm("polls.open_results_screen", request.user)
        return rules.has_perm("polls.respond_to_results", request.user, obj)

    has_change_permission = has_view_permission

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # -- columns

    @admin.display(description=_("response"))
    def response_state(self, poll):
        if poll.response_published_at:
            return gettext("Published %(date)s") % {
                "date": timezone.localtime(poll.response_published_at).strftime("%Y-%m-%d")
            }
        if poll.response:
            return gettext("Written, not published")
        if voting_over(poll):
            return gettext("Waiting for the response")
        return gettext("Voting not over")

    @admin.display(description=_("results"))
    def files(self, poll):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">CSV</a> · <a href="{}">Excel</a>',
            reverse("polls:results", args=[poll.pk]),
            gettext("page"),
            _export_url(poll, "results", "csv"),
            _export_url(poll, "results", "xlsx"),
        )

    # -- screens

    def get_urls(self):
        return [
            path(
                "<path:object_id>/export/<str:what>/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="polls_pollresponse_export",
            ),
            *super().get_urls(),
        ]

    def _poll_or_404(self, request, object_id):
        poll = self.get_queryset(request).filter(pk=_int(unquote(object_id))).first()
        if poll is None:
            raise Http404
        return poll

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The response form, with the results beside it."""
        poll = self._poll_or_404(request, object_id)
        form = ResponseForm(request.POST or None, initial={"response": poll.response})
        if request.method == "POST" and form.is_valid():
            publish = "_publish" in request.POST
            try:
                with transaction.atomic():
                    responses.poll_respond(
                        poll=poll, actor=request.user, response=form.cleaned_data["response"]
                    )
                    if publish:
                        responses.poll_response_publish(poll=poll, actor=request.user)
            except PermissionDenied:
                raise
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    gettext("The response is published; the voters are being told.")
                    if publish
                    else gettext("The response is saved."),
                )
                return redirect(reverse("admin:polls_pollresponse_change", args=[poll.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Results and response: %(title)s") % {"title": poll.title},
            "opts": self.model._meta,
            "poll": poll,
            "form": form,
            "results": poll_results(poll, user=request.user),
            "refusal": responses.response_refusal(poll),
            "exports": [
                (label, _export_url(poll, what, "csv"), _export_url(poll, what, "xlsx"))
                for label, what in (
                    (gettext("Results, with the breakdowns"), "results"),
                    (gettext("Anonymous answers"), "answers"),
                )
            ],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/polls/response.html", context)

    def export_view(self, request, object_id, what, file_format):
        """A spreadsheet of the poll's results or its anonymous answers."""
        poll = self._poll_or_404(request, object_id)
        if not rules.has_perm("polls.export_results", request.user, poll):
            raise PermissionDenied
        if what not in ("results", "answers") or file_format not in results_export.FORMATS:
            raise Http404
        if what == "results":
            dataset = results_export.results_dataset(
                poll_results(poll, user=request.user, breakdowns=True, texts=False)
            )
        else:
            dataset = results_export.answers_dataset(poll)
        content, content_type = results_export.export_file(dataset, file_format)
        response = HttpResponse(content, content_type=content_type)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="poll-{poll.pk}-{what}-{stamp}.{file_format}"'
        )
        return response


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _export_url(poll, what: str, file_format: str) -> str:
    return reverse("admin:polls_pollresponse_export", args=[poll.pk, what, file_format])


def register(site) -> None:
    site.register(PollResponse, PollResponseAdmin)
