"""How a member appears on public pages: `{% load members %}{% member_name user %}`
gives their public name with their mileage grade's emoticon beside it
(accounts/grades.py), the emoticon carrying the grade's name as its text
alternative. It reads only the user's own fields (`mileage_grade` is kept on
the row by mileage's services), so a list that select_related its authors
adds no query.

`{% grade_badge grade %}` is the emoticon alone, for a grade without a name
(the grade ladder on the mileage page)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.grades import GRADE_EMOTICONS, Grade
from accounts.names import public_name_for

register = template.Library()


@register.simple_tag
def grade_badge(grade) -> str:
    """The grade's emoticon as an image named by the grade's words ("등급: 나무"),
    so a screen reader says the grade and a pointer shows it."""
    try:
        grade = Grade(int(grade))
    except (TypeError, ValueError):
        return ""
    return format_html(
        '<span class="grade grade-{}" role="img" aria-label="{}" title="{}">{}</span>',
        grade.value,
        _("Grade: %(grade)s") % {"grade": grade.label},
        grade.label,
        GRADE_EMOTICONS[grade],
    )


def shows_grade(user) -> bool:
    """Members show their grade; a withdrawn member shows none (nothing of
    them is left to rank), and staff speak for the city, not as members
    earning mileage, so their names stay plain (they are not ranked either)."""
    return user is not None and user.withdrawn_at is None and not user.is_staff


@register.simple_tag
def member_name(user) -> str:
    """The public name with the grade's emoticon (escaped: a nickname is
    typed by the member). None, for an author whose row is gone, reads as a
    withdrawn member."""
    name = public_name_for(user)
    if not shows_grade(user):
        return format_html('<span class="member-name">{}</span>', name)
    return format_html(
        '<span class="member-name">{} {}</span>', name, grade_badge(user.mileage_grade)
    )
