"""The front page's headline figures and next realization meeting
(proposals.front_page), registered from StatsConfig.ready()."""

from django.urls import reverse

from meetings.selectors import next_scheduled_meeting
from proposals.front_page import FrontSection

from . import figures

KEY = "stats"
# First of the apps' sections: the figures stand where the old counts stood,
# right under the invitation to propose.
ORDER = 5


def headline_section() -> FrontSection:
    """All-time figures (received, answered, debated, put to a meeting,
    adopted, completed, the adoption rate), each linking to its list; this
    year's received and adopted; when they were counted; the next scheduled
    realization meeting. Four queries, whatever the number of proposals:
    the figures come from the summary tables (stats.figures.headline)."""
    headline = figures.headline()
    all_time = headline["all"]
    this_year = headline["this_year"]
    meeting = next_scheduled_meeting()
    return FrontSection(
        key=KEY,
        template="stats/front_section.html",
        data={
            "all": all_time,
            "links": {name: figures.list_url(name) for name in figures.STAGE_BY_NAME},
            "this_year": this_year,
            "year": headline["year"],
            "this_year_links": {
                "received": figures.list_url("received", year=headline["year"]),
                "adopted": figures.list_url("adopted", year=headline["year"]),
            },
            "as_of": headline["as_of"],
            "stats_url": reverse("stats:overview"),
            "meeting": meeting,
            "meetings_url": reverse("meetings:list"),
        },
    )
