"""Who is in the demo: its departments and categories, the fixed demo logins
(one per role) and about eighty generated members.

Plain data (demo/data/departments.json, logins.json, names.json) turned into
specs by pure functions; nothing touches the database. The generated members
are drawn with a fixed random seed, so every run plans the same people.

`DEMO_LOGINS` is the one list of demo accounts; `print_demo_logins` reads it too.
"""

import functools
import random
from dataclasses import dataclass

from accounts.districts import District
from accounts.roles import Role

from .datafiles import read

# The demo's published password (README, print_demo_logins); seed_demo refuses
# to load it where a real DJANGO_SECRET_KEY is set unless forced.
DEMO_PASSWORD = "oasis-demo-2026"  # nosec B105  # published on purpose, demo accounts only
# The demo staff's authenticator-app secret (TOTP, base32). Published on
# purpose, like the password, so that anyone can sign in as every staff role:
# FOR THE DEMO ONLY. `manage.py demo_totp_code` prints the current code.
DEMO_TOTP_SECRET = "OASISDEMOSEOULSTAFFCODEDEMOONLY2"  # nosec B105  # published, demo only
DEMO_EMAIL_DOMAIN = "demo.oasis.kr"
DEMO_SEED = 2026
GENERATED_MEMBER_COUNT = 80

# --- departments and categories ---------------------------------------------

_DEPARTMENTS = read("departments")
# (code, Korean name, English name); the operators' office comes last.
OPERATOR_DEPARTMENT: tuple[str, str, str] = tuple(
    _DEPARTMENTS["operator_department"][key] for key in ("code", "name", "name_en")
)
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    *((d["code"], d["name"], d["name_en"]) for d in _DEPARTMENTS["departments"]),
    OPERATOR_DEPARTMENT,
)
# The demo official working each department's items, by department code: a
# personal name, as staff see it (the public sees it masked).
DEPARTMENT_OFFICIALS: dict[str, str] = {
    d["code"]: d["official"]
    for d in (*_DEPARTMENTS["departments"], _DEPARTMENTS["operator_department"])
}
# (code, Korean name, English name, default department code)
CATEGORIES: tuple[tuple[str, str, str, str], ...] = tuple(
    (c["code"], c["name"], c["name_en"], c["default_department"])
    for c in _DEPARTMENTS["categories"]
)

# --- members -------------------------------------------------------------------


@dataclass(frozen=True)
class MemberSpec:
    email: str
    display_name: str
    roles: frozenset[str]
    role_ko: str = "시민"
    role_en: str = "Citizen"
    nickname: str = ""
    department_code: str = ""
    # Made the head (부서장) of department_code, if it has none.
    heads_department: bool = False
    is_superuser: bool = False
    district: str = ""
    birth_year: int | None = None
    gender: str = ""


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


CITIZEN_EMAIL = demo_email("citizen")
CITIZEN2_EMAIL = demo_email("citizen2")
PANEL_EMAIL = demo_email("panel")
OFFICIAL_EMAIL = demo_email("official")
OFFICIAL2_EMAIL = demo_email("official2")
OPERATOR_EMAIL = demo_email("operator")
ADMIN_EMAIL = demo_email("admin")
EXPERT_EMAIL = demo_email("expert")
EXPERT2_EMAIL = demo_email("expert2")
MAYOR_EMAIL = demo_email("mayor")


def _login(row: dict) -> MemberSpec:
    roles = frozenset(Role(name) for name in row["roles"])
    return MemberSpec(**{**row, "email": demo_email(row["email"]), "roles": roles})


# The fixed demo logins, one per role (two citizens, two officials, two experts).
DEMO_LOGINS: tuple[MemberSpec, ...] = tuple(_login(row) for row in read("logins"))


@functools.cache
def generated_members() -> tuple[MemberSpec, ...]:
    """About eighty ordinary members with realistic names, districts, birth
    years and genders: the authors, endorsers and commenters of the demo."""
    names = read("names")
    surnames = names["surnames"]
    given = {tuple(key.split("/")): tuple(value) for key, value in names["given"].items()}
    rng = random.Random(DEMO_SEED + 1)  # nosec B311  # reproducible demo names, not a secret
    districts = [d.value for d in District]
    nicknames = list(names["nicknames"])
    rng.shuffle(nicknames)
    members, used_names = [], set()
    for n in range(1, GENERATED_MEMBER_COUNT + 1):
        gender = "female" if n % 2 else "male"
        birth_year = rng.randint(1946, 2006)
        generation = "older" if birth_year < 1968 else "younger"
        while True:
            name = rng.choice(surnames) + rng.choice(given[(gender, generation)])
            if name not in used_names:
                used_names.add(name)
                break
        nickname = nicknames.pop() if nicknames and rng.random() < 0.22 else ""
        members.append(
            MemberSpec(
                email=demo_email(f"member{n:03d}"),
                display_name=name,
                nickname=nickname,
                roles=frozenset({Role.CITIZEN}),
                district="" if rng.random() < 0.08 else rng.choice(districts),
                birth_year=birth_year,
                gender=gender,
            )
        )
    return tuple(members)


def all_members() -> tuple[MemberSpec, ...]:
    return DEMO_LOGINS + generated_members()
