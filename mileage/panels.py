"""What mileage shows on the member's own pages (their home and profile,
accounts.member_home): balance, grade, the way to the next grade and what
earned the last points. Three queries."""

from accounts.member_home import MemberSection

from . import selectors

# Entries shown on the panel; /me/mileage/ has them all.
RECENT = 3


def member_panel(user) -> MemberSection:
    return MemberSection(
        key="mileage",
        template="mileage/member_panel.html",
        data={
            "balance": user.mileage_balance,
            "progress": selectors.grade_progress(user),
            "rows": selectors.ledger_rows(selectors.recent_entries(user, RECENT)),
        },
    )
