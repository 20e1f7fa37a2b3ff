"""The audit trail (accounts/audit.py): a row per staff change, stored as a
code and parameters and read in the reader's language; read by operators
only, never changed or deleted, superusers included."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditAction, audit_record, describe, register_actions
from accounts.models import AuditRecord
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import logged_in, page_text

pytestmark = pytest.mark.django_db

register_actions(
    {
        "test.renamed": AuditAction(
            label=_("Department official"),  # any string already in the catalogue
            # Words as a function of the parameters, read when shown.
            words=lambda p: f"{_('Department official')} {p['old']} → {p['new']}",
        )
    }
)


def test_a_row_keeps_who_what_and_on_what():
    staff = operator(email="op@example.com")
    department = DepartmentFactory(name="교통정책과")
    record = audit_record(
        actor=staff, action="test.renamed", target=department, params={"old": 1, "new": 2}
    )
    record.refresh_from_db()
    assert (record.actor, record.actor_email, record.action) == (
        staff,
        "op@example.com",
        "test.renamed",
    )
    assert record.target_type.model_class() is type(department)
    assert record.target_id == str(department.pk)
    assert record.target_repr == "교통정책과"
    assert record.params == {"old": 1, "new": 2}


def test_a_row_is_read_in_the_readers_language():
    record = audit_record(actor=None, action="test.renamed", params={"old": 1, "new": 2})
    with translation.override("ko"):
        assert describe(record) == "부서 담당자 1 → 2"
    with translation.override("en"):
        assert describe(record) == "Department official 1 → 2"


def test_an_unknown_code_or_parameters_that_do_not_fit_still_read():
    unknown = audit_record(actor=None, action="test.nobody_knows", params={"a": 1})
    assert describe(unknown) == "test.nobody_knows (a=1)"
    misfit = audit_record(actor=None, action="test.renamed", params={"old": 1})
    assert describe(misfit) == "test.renamed (old=1)"


def test_a_row_is_never_changed_or_deleted():
    record = audit_record(actor=None, action="test.renamed", params={"old": 1, "new": 2})
    record.params = {}
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()
    with pytest.raises(ValueError):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.get().params == {"old": 1, "new": 2}


def test_operators_read_the_trail_and_other_staff_do_not():
    record = audit_record(actor=operator(), action="test.renamed", params={"old": 1, "new": 2})
    reader = logged_in(operator())
    listing = reader.get("/admin/accounts/auditrecord/")
    assert listing.status_code == 200
    assert "Department official 1 → 2" in page_text(listing)
    assert reader.get(f"/admin/accounts/auditrecord/{record.pk}/change/").status_code == 200
    for outsider in (official(), UserFactory(is_staff=True)):
        client = logged_in(outsider)
        assert client.get("/admin/accounts/auditrecord/").status_code == 403
        assert b"auditrecord" not in client.get("/admin/").content


@pytest.mark.parametrize("who", ["operator", "superuser"])
def test_nobody_adds_changes_or_deletes_a_row_in_the_admin(who):
    record = audit_record(actor=None, action="test.renamed", params={"old": 1, "new": 2})
    staff = operator() if who == "operator" else UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(staff)
    assert client.get("/admin/accounts/auditrecord/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditrecord/{record.pk}/delete/").status_code == 403
    client.post(f"/admin/accounts/auditrecord/{record.pk}/change/", {"action": "x"})
    assert AuditRecord.objects.get().action == "test.renamed"


def test_the_trail_names_departments_in_one_query_for_a_page():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.selectors import department_names

    register_actions(
        {
            "test.moved": AuditAction(
                label=_("Department official"),
                words="%(to)s",
                formats={"to": department_names},
            )
        }
    )
    client = logged_in(operator())

    def rows(count):
        for n in range(count):
            department = DepartmentFactory(name_en=f"Department {n}")
            audit_record(actor=None, action="test.moved", params={"to": department.pk})
        with CaptureQueriesContext(connection) as queries:
            listing = client.get("/admin/accounts/auditrecord/")
        assert f"Department {count - 1}" in page_text(listing)
        return len(queries)

    # The same number of queries for 2 rows and for 32: not one per row.
    assert rows(2) == rows(30)
