"""The legal basics (PIPA): who answers for personal data, who processes it
for the city, and how long each kind of record is kept. Every value can be
set from the environment; the defaults are placeholders of the creative
policy office that runs the portal."""

from .env import env_int, env_str

# 개인정보 보호책임자 and the office that handles members' requests, as the
# privacy policy shows them.
OASIS_PRIVACY_OFFICER = {
    "name": env_str("OASIS_PRIVACY_OFFICER_NAME", "서울특별시 창의정책담당관"),
    "name_en": env_str(
        "OASIS_PRIVACY_OFFICER_NAME_EN",
        "Director, Creative Policy Office, Seoul Metropolitan Government",
    ),
    "department": env_str("OASIS_PRIVACY_OFFICE", "창의정책담당관 시민제안팀"),
    "department_en": env_str(
        "OASIS_PRIVACY_OFFICE_EN", "Citizen Proposals Team, Creative Policy Office"
    ),
    "phone": env_str("OASIS_PRIVACY_PHONE", "02-2133-0000"),
    "email": env_str("OASIS_PRIVACY_EMAIL", "privacy@oasis.seoul.example"),
}

# 개인정보 처리 위탁: who processes members' data for the city. One entry per
# processor as "company|company in English|task|task in English", separated
# by ";" in OASIS_PRIVACY_PROCESSORS.
_DEFAULT_PROCESSORS = (
    "서울디지털재단|Seoul Digital Foundation|포털 서버 운영과 유지보수|Running and maintaining the portal's servers;"
    "(주)오아시스메일|Oasis Mail Co., Ltd.|이메일 발송 (가입 확인, 알림)|Sending e-mail (sign-up confirmation, notices)"
)
OASIS_PRIVACY_PROCESSORS = [
    dict(zip(("name", "name_en", "task", "task_en"), entry.split("|"), strict=True))
    for entry in env_str("OASIS_PRIVACY_PROCESSORS", _DEFAULT_PROCESSORS).split(";")
    if entry.count("|") == 3
]

# Retention, in days.
# 개인정보 접속기록: at least two years under the PIPA safety-measures standard
# (art. 8) for a public body's system.
OASIS_ACCESS_RECORD_RETENTION_DAYS = env_int("OASIS_ACCESS_RECORD_RETENTION_DAYS", 730)
# What a withdrawn member leaves behind (notices, follows, consent records,
# last login) is kept this long after withdrawal, to answer a dispute about
# the withdrawal itself, then deleted.
OASIS_WITHDRAWN_RETENTION_DAYS = env_int("OASIS_WITHDRAWN_RETENTION_DAYS", 30)
# Per-visitor view marks only count a view once a day.
OASIS_VIEW_MARK_RETENTION_DAYS = env_int("OASIS_VIEW_MARK_RETENTION_DAYS", 2)
