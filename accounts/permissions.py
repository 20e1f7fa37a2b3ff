"""What each role may do in Django's admin, as model permissions on its group.

`ROLE_PERMISSIONS` is the one place this mapping lives. The data migration
`accounts/0002_role_groups` calls `sync_role_groups`; when the table changes
(a new app, a new role), add a data migration that calls it again.

Model permissions only open the admin's doors (which lists a role sees, whether
a form is editable). What a user may do to a given object is decided by the
apps' `rules.py` predicates and enforced in their services."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from .roles import Role

ALL_ACTIONS = ("add", "change", "delete", "view")

# role → {"app_label.model_name" or "app_label.*": actions}
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.OPERATOR: {
        "proposals.*": ALL_ACTIONS,
        "accounts.user": ("view", "change"),
        "accounts.department": ("view", "change", "add"),
        "answers.*": ALL_ACTIONS,
        "debates.*": ALL_ACTIONS,
        "meetings.*": ALL_ACTIONS,
        "tracking.*": ALL_ACTIONS,
        "notifications.notification": ("view",),
        # Applications and ratings are read in the admin; every change is
        # an action calling panel's services.
        "panel.*": ("view",),
        # The ledger is read-only (entries are written by mileage's services);
        # "adjust" is the operator's adjustment with a note.
        "mileage.mileageentry": ("view", "adjust"),
        "mileage.mileagerule": ("view", "change"),
        "mileage.mileagesettings": ("view", "change"),
        # Rewards, 이달의 상상지기 and best policies: read in the admin; the
        # award screens write through awards.services (awards/rules.py).
        "awards.*": ("view",),
        # Discussion polls' arguments: read in the admin; hiding and showing
        # again are actions calling polls.services.discussion.
        "polls.pollargument": ("view",),
        # City polls: the editor's forms write through polls' editing
        # services (polls/editing_rules.py).
        "polls.poll": ALL_ACTIONS,
        "polls.pollattachment": ALL_ACTIONS,
        "polls.question": ALL_ACTIONS,
        "polls.choice": ALL_ACTIONS,
    },
    Role.OFFICIAL: {
        "proposals.proposal": ("view",),
        "proposals.comment": ("view",),
        # Their department's queue and answers; which rows is decided by the
        # answers app's rules (own department only).
        "answers.assignment": ("view", "change"),
        "answers.answer": ("view", "add", "change"),
        "answers.reassignmentrequest": ("view", "add"),
        "answers.deadlineextension": ("view", "add"),
        "answers.answeramendment": ("view", "add"),
        "meetings.workingreview": ("view", "change"),
        "meetings.reviewdecision": ("view", "add", "change"),
        "meetings.realizationmeeting": ("view",),
        "meetings.agendaitem": ("view",),
        "tracking.*": ("view", "change"),
        # Their department's polls, read-only (polls.see_poll_admin).
        "polls.poll": ("view",),
        "polls.pollattachment": ("view",),
        "polls.question": ("view",),
    },
    Role.MAYOR_OFFICE: {
        "proposals.proposal": ("view",),
        "meetings.realizationmeeting": ("view", "change"),
        "meetings.agendaitem": ("view", "change"),
        "meetings.expertopinion": ("view",),
        "tracking.*": ("view",),
    },
    Role.EXPERT_INTERNAL: {
        "meetings.workingreview": ("view", "change"),
        "meetings.reviewdecision": ("view", "add", "change"),
        "meetings.expertopinion": ("view", "add", "change"),
        "meetings.realizationmeeting": ("view",),
    },
    Role.EXPERT_EXTERNAL: {
        "meetings.expertopinion": ("view", "add", "change"),
        "meetings.realizationmeeting": ("view",),
    },
    # A partner institution's administrator runs their institution's work in
    # the admin as the city's operators run the city's (which rows:
    # accounts.institutions.institution_condition; what they may do to a
    # row: the apps' rules, through accounts.predicates.runs_institution).
    # Registering the institution, its departments, categories and
    # administrators stays the city operators' (institutions/admin.py).
    Role.INSTITUTION_ADMIN: {
        "proposals.proposal": ("view", "change"),
        "proposals.comment": ("view", "change"),
        "proposals.report": ("view", "change"),
        "proposals.category": ("view",),
        "accounts.department": ("view",),
        "answers.assignment": ("view", "change"),
        "answers.answer": ("view", "change"),
        "answers.reassignmentrequest": ("view", "change"),
        "answers.deadlineextension": ("view", "change"),
        "answers.answeramendment": ("view", "change"),
        "debates.debate": ("view", "change"),
        "debates.argument": ("view", "change"),
        "polls.poll": ALL_ACTIONS,
        "polls.pollattachment": ALL_ACTIONS,
        "polls.question": ALL_ACTIONS,
        "polls.choice": ALL_ACTIONS,
        "polls.pollargument": ("view",),
        "tracking.managementcard": ("view",),
        "tracking.progressreport": ("view",),
    },
    Role.PANEL: {},
    Role.CITIZEN: {},
}


def _models_for(target: str, apps):
    """The models a mapping key names, as `apps` knows them. A key naming an
    app or model that does not exist yet in `apps` (a migration's historical
    state from before it was added) yields nothing; the later migration that
    calls `sync_role_groups` again grants it."""
    app_label, _dot, model_name = target.partition(".")
    try:
        app_config = apps.get_app_config(app_label)
    except LookupError:
        return []
    if model_name == "*":
        return list(app_config.get_models())
    try:
        return [app_config.get_model(model_name)]
    except LookupError:
        return []


def role_permission_keys(role: str, apps=global_apps) -> set[tuple[str, str]]:
    """The (app_label, codename) pairs `role`'s group should hold."""
    keys = set()
    for target, actions in ROLE_PERMISSIONS.get(role, {}).items():
        for model in _models_for(target, apps):
            opts = model._meta
            keys.update((opts.app_label, f"{action}_{opts.model_name}") for action in actions)
    return keys


def _ensure_permission_rows(apps, using: str) -> None:
    """Permissions are normally created after `migrate` finishes (post_migrate),
    so on a fresh database they do not exist yet while migrations run. Create
    them now for every app the mapping names."""
    app_labels = {
        target.partition(".")[0] for mapping in ROLE_PERMISSIONS.values() for target in mapping
    }
    for app_label in sorted(app_labels):
        try:
            app_config = global_apps.get_app_config(app_label)
        except LookupError:
            continue
        create_permissions(app_config, apps=apps, verbosity=0, using=using)


def sync_role_groups(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create a group for every role and set its permissions to exactly those
    in ROLE_PERMISSIONS. Idempotent. Works with a migration's historical
    `apps` as well as the live registry. Permissions an operator added to a
    role group by hand are removed: the table is the truth."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _ensure_permission_rows(apps, using)

    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        keys = role_permission_keys(role.value, apps)
        permissions = list(
            Permission.objects.using(using)
            .select_related("content_type")
            .filter(
                content_type__app_label__in={app_label for app_label, _c in keys},
                codename__in={codename for _a, codename in keys},
            )
        )
        # The filter above is a superset when two apps share a codename.
        permissions = [p for p in permissions if (p.content_type.app_label, p.codename) in keys]
        missing = keys - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise LookupError(f"Permissions missing for role {role.value}: {sorted(missing)}")
        group.permissions.set(permissions)
