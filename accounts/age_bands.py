"""Age bands (연령대) as city polls target and break down results by them.
A member's band is computed from the birth year they gave (with consent)
on the day it is read: Korean statistics count age as the year's
difference, so a member born in 1996 is in their 30s all of 2026."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    UNDER_20 = "under20", _("Under 20")
    TWENTIES = "20s", _("20s")
    THIRTIES = "30s", _("30s")
    FORTIES = "40s", _("40s")
    FIFTIES = "50s", _("50s")
    SIXTIES = "60s", _("60s")
    SEVENTY_PLUS = "70plus", _("70 and over")


_BY_DECADE = {
    2: AgeBand.TWENTIES,
    3: AgeBand.THIRTIES,
    4: AgeBand.FORTIES,
    5: AgeBand.FIFTIES,
    6: AgeBand.SIXTIES,
}


def age_band_of(birth_year: int | None, year: int) -> str:
    """The band of a member born in `birth_year`, in `year`; "" when unknown."""
    if not birth_year:
        return ""
    age = year - birth_year
    if age < 20:
        return AgeBand.UNDER_20
    return _BY_DECADE.get(age // 10, AgeBand.SEVENTY_PLUS)
