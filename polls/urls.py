from django.urls import path

from . import results_views, targeting_views, views, views_discussion

app_name = "polls"

urlpatterns = [
    path("", views.poll_list, name="list"),
    path("<int:pk>/", views.poll_detail, name="detail"),
    path("<int:pk>/vote/", views.poll_vote, name="vote"),
    path("files/<int:pk>/", views.poll_attachment, name="attachment"),
    path("<int:pk>/results/", results_views.results, name="results"),
    # The discussion poll (토론형): arguments and endorsements (공감).
    path("<int:pk>/arguments/", views_discussion.argument_post, name="argument_post"),
    path(
        "arguments/<int:pk>/endorse/",
        views_discussion.argument_endorse,
        name="argument_endorse",
    ),
    path(
        "arguments/<int:pk>/unendorse/",
        views_discussion.argument_unendorse,
        name="argument_unendorse",
    ),
    path("<int:pk>/your-details/", targeting_views.details_needed, name="details_needed"),
]
