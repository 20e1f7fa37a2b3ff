"""The bulk actions of the answers admin, for operators: publish or return
the selected answers (from the Assignment or the Answer list), refuse or
approve reassignment requests. Each calls the service in services.py for
every selected row; a refused row is skipped with its reason. admin.py wires
them to the lists with `permissions=["operate"]`."""

from django.contrib import admin
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import apply_each, moderate_with_reason
from oasis.errors import ServiceError

from . import services
from .models import Answer
from .workroom import require_answer

ANSWERS_PUBLISHED = ngettext_lazy(
    "%(count)d answer was published.", "%(count)d answers were published.", "count"
)
ANSWERS_RETURNED = ngettext_lazy(
    "%(count)d answer was returned to its department.",
    "%(count)d answers were returned to their departments.",
    "count",
)


def _row_answer(obj) -> Answer | None:
    """The answer of a selected row of the Answer or the Assignment list."""
    if isinstance(obj, Answer):
        return obj
    return getattr(obj, "answer", None)


@admin.action(description=_("Publish the selected answers"), permissions=["operate"])
def publish_answers(modeladmin, request, queryset):
    """Publish each selected submitted answer (Assignment or Answer rows)."""
    answers = [_row_answer(obj) for obj in queryset]
    apply_each(
        request,
        answers,
        service=lambda answer: services.answer_publish(
            answer=require_answer(answer), user=request.user
        ),
        done=ANSWERS_PUBLISHED,
    )


@admin.action(
    description=_("Return the selected answers for changes (asks for a reason)"),
    permissions=["operate"],
)
def return_answers(modeladmin, request, queryset):
    return moderate_with_reason(
        modeladmin,
        request,
        queryset,
        action="return_answers",
        title=gettext("Return answers for changes"),
        intro=gettext(
            "These answers go back to their departments as drafts. The department "
            "is told the reason you give."
        ),
        submit_label=gettext("Return"),
        service=lambda obj, user, reason: services.answer_return(
            answer=require_answer(_row_answer(obj)), user=user, reason=reason
        ),
        done=ANSWERS_RETURNED,
    )


@admin.action(
    description=_("Refuse the selected reassignment requests (asks for a reason)"),
    permissions=["operate"],
)
def refuse_requests(modeladmin, request, queryset):
    return moderate_with_reason(
        modeladmin,
        request,
        queryset,
        action="refuse_requests",
        title=gettext("Refuse reassignment requests"),
        intro=gettext(
            "The proposals stay with their departments. Each department is told the reason you give."
        ),
        submit_label=gettext("Refuse"),
        service=lambda obj, user, reason: services.reassignment_decide(
            request=obj, user=user, approve=False, reason=reason
        ),
        done=ngettext_lazy(
            "%(count)d request was refused.", "%(count)d requests were refused.", "count"
        ),
    )


@admin.action(
    description=_("Reassign the selected to the department each suggests"),
    permissions=["operate"],
)
def approve_suggested(modeladmin, request, queryset):
    def approve(obj):
        if obj.suggested_department is None:
            raise ServiceError(
                gettext("No department was suggested; decide it on the assignment's page.")
            )
        services.reassignment_decide(
            request=obj, user=request.user, approve=True, department=obj.suggested_department
        )

    apply_each(
        request,
        queryset,
        service=approve,
        done=ngettext_lazy(
            "%(count)d proposal was reassigned.", "%(count)d proposals were reassigned.", "count"
        ),
    )
