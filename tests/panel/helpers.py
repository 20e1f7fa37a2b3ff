"""Panel members and proposals to rate, made through the services where a
test is about them and straight in the database where it is not."""

from accounts.roles import Role
from panel import services
from proposals.models import ProposalStatus
from tests.factories import ProposalFactory, UserFactory, operator


def panel_member(**fields):
    """A citizen on the panel (the role given as an approval gives it)."""
    return UserFactory(roles=[Role.PANEL], **fields)


def approved_member(actor=None, **fields):
    """A citizen who applied and was approved through the services."""
    member = UserFactory(**fields)
    application = services.panel_apply(member=member, motivation="동네 일을 함께 보고 싶습니다.")
    services.panel_application_approve(application=application, actor=actor or operator())
    member.__dict__.pop("role_names", None)
    application.refresh_from_db()
    return member, application


def open_proposal(**fields):
    fields.setdefault("status", ProposalStatus.OPEN)
    return ProposalFactory(**fields)


def rate(proposal, member, c=4, p=4, f=4, note=""):
    return services.panel_rate(
        proposal=proposal,
        member=member,
        creativity=c,
        public_value=p,
        feasibility=f,
        note=note,
    )
