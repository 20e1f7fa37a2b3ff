"""The "publish the results" screen of the debates admin: an action on the
debate list whose intermediate page shows the closed debate's counts beside
the form for its results (토론결과), then calls
services.debate_publish_summary. Registered in admin.py's DebateAdmin."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import intermediate_page
from oasis.errors import ServiceError

from . import rules as debate_rules
from . import services
from .forms import SummaryForm


@admin.action(
    description=_("Publish the results of the selected debate (asks for the text)"),
    permissions=["moderate"],
)
def publish_summary(modeladmin, request, queryset):
    """One debate at a time: an intermediate page asks for the results
    (토론결과), then debate_publish_summary publishes them and moves the
    proposal on to working review."""
    debates = list(queryset.select_related("proposal")[:2])
    if len(debates) != 1:
        modeladmin.message_user(
            request, gettext("Select one debate to publish its results."), messages.ERROR
        )
        return None
    debate = debates[0]
    if refusal := debate_rules.summary_refusal(debate):
        modeladmin.message_user(request, refusal, messages.ERROR)
        return None
    form = SummaryForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            services.debate_publish_summary(
                debate=debate, operator=request.user, summary=form.cleaned_data["summary"]
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except ServiceError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return None
        else:
            modeladmin.message_user(
                request,
                gettext("The results of the debate on “%(title)s” are published.")
                % {"title": debate.proposal.title},
                messages.SUCCESS,
            )
            return None
    return intermediate_page(
        modeladmin,
        request,
        form=form,
        template="debates/admin/publish_summary.html",
        title=gettext("Publish the debate's results"),
        submit_label=gettext("Publish the results"),
        action="publish_summary",
        queryset=[debate],
        debate=debate,
        argument_counts=debate.arguments.not_deleted()
        .filter(is_hidden=False)
        .aggregate(
            for_side=Count("pk", filter=Q(side="for")),
            against_side=Count("pk", filter=Q(side="against")),
        ),
    )
