"""Role groups and their admin permissions (accounts/permissions.py, created
by the data migration accounts/0002_role_groups)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.permissions import ROLE_PERMISSIONS, role_permission_keys, sync_role_groups
from accounts.roles import Role
from tests.factories import UserFactory, official, operator

pytestmark = pytest.mark.django_db

PROPOSAL_MODELS = [m._meta.model_name for m in apps.get_app_config("proposals").get_models()]


def group_permissions(role) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_every_role_is_in_the_table():
    # A new role must be given its permissions on purpose, even if none.
    assert set(ROLE_PERMISSIONS) == set(Role.values)


def test_the_migration_created_a_group_per_role():
    # Given the database as the migrations left it
    # Then there is one group named by each role
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_operators_manage_proposals_and_view_and_change_members_and_departments():
    perms = group_permissions(Role.OPERATOR)
    assert {
        f"proposals.{action}_{model}"
        for model in PROPOSAL_MODELS
        for action in ("add", "change", "delete", "view")
    } <= perms
    assert {"accounts.view_user", "accounts.change_user", "accounts.change_department"} <= perms
    # Members are never created or deleted by hand in the admin.
    assert "accounts.add_user" not in perms and "accounts.delete_user" not in perms


@pytest.mark.parametrize("role", [Role.PANEL, Role.CITIZEN])
def test_citizens_and_the_panel_have_no_admin_permissions(role):
    assert group_permissions(role) == set()


@pytest.mark.parametrize(
    "role",
    [
        Role.OFFICIAL,
        Role.MAYOR_OFFICE,
        Role.EXPERT_INTERNAL,
        Role.EXPERT_EXTERNAL,
    ],
)
def test_staff_roles_only_read_proposals_and_never_delete_anything(role):
    perms = group_permissions(role)
    assert not {
        p for p in perms if p.startswith("proposals.") and not p.startswith("proposals.view_")
    }
    assert not {p for p in perms if ".delete_" in p}


def test_institution_administrators_run_their_work_but_delete_only_their_draft_polls():
    # They moderate (change) proposals, comments and reports as the city's
    # operators do, which rows being their institution's; they never add or
    # delete a proposal, and delete nothing but polls (a draft, by the rules).
    perms = group_permissions(Role.INSTITUTION_ADMIN)
    assert {
        "proposals.change_proposal",
        "proposals.change_comment",
        "proposals.change_report",
        "answers.change_answer",
        "polls.add_poll",
    } <= perms
    assert not {p for p in perms if p.startswith("proposals.") and ".add_" in p}
    assert {p for p in perms if ".delete_" in p} <= {
        "polls.delete_poll",
        "polls.delete_pollattachment",
        "polls.delete_question",
        "polls.delete_choice",
    }
    # Registering institutions, departments and members stays the city's.
    assert not {p for p in perms if p.startswith("accounts.") and ".view_" not in p}


def test_the_groups_match_the_table():
    for role in Role:
        assert group_permissions(role) == {
            f"{app_label}.{codename}" for app_label, codename in role_permission_keys(role)
        }


def test_members_get_their_group_permissions():
    staff = operator()
    officer = official()
    citizen = UserFactory()
    assert staff.has_perms(["proposals.change_proposal", "accounts.change_user"])
    assert not staff.has_perm("accounts.add_user")
    assert officer.has_perms(["proposals.view_proposal", "proposals.view_comment"])
    assert not officer.has_perm("proposals.change_proposal")
    assert not officer.has_perm("proposals.view_report")
    assert not citizen.has_perm("proposals.view_proposal")


def test_sync_is_idempotent_and_puts_back_the_table():
    # Given a role group that was edited by hand
    group = Group.objects.get(name=Role.OFFICIAL)
    group.permissions.add(Permission.objects.get(codename="delete_proposal"))
    group.permissions.remove(Permission.objects.get(codename="view_comment"))
    # When the table is applied again, twice
    sync_role_groups()
    sync_role_groups()
    # Then the group holds exactly what the table says, and no group is doubled
    assert group_permissions(Role.OFFICIAL) == {
        f"{app_label}.{codename}" for app_label, codename in role_permission_keys(Role.OFFICIAL)
    }
    assert "proposals.delete_proposal" not in group_permissions(Role.OFFICIAL)
    assert "proposals.view_comment" in group_permissions(Role.OFFICIAL)
    assert Group.objects.filter(name=Role.OFFICIAL).count() == 1


def test_sync_creates_missing_groups_and_permissions():
    # Given a database where the groups and the proposal permissions are gone
    Group.objects.filter(name__in=Role.values).delete()
    Permission.objects.filter(content_type__app_label="proposals").delete()
    # When the table is applied
    sync_role_groups()
    # Then everything is back
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    assert "proposals.change_proposal" in group_permissions(Role.OPERATOR)


def test_sync_works_on_the_migrations_historical_models():
    # Given the models as the data migration sees them, and no role groups
    state = MigrationExecutor(connection).loader.project_state(("accounts", "0002_role_groups"))
    Group.objects.filter(name__in=Role.values).delete()
    # When the migration's function runs with them
    sync_role_groups(apps=state.apps)
    # Then the groups are as the table says
    assert group_permissions(Role.MAYOR_OFFICE) == {"proposals.view_proposal"}
    assert "accounts.change_department" in group_permissions(Role.OPERATOR)


def test_a_model_unknown_to_the_registry_is_skipped(monkeypatch):
    # A later migration may name a model an earlier historical state lacks.
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.PANEL, {"debates.nosuchmodel": ("view",)})
    assert role_permission_keys(Role.PANEL) == set()
    sync_role_groups()
    assert group_permissions(Role.PANEL) == set()
