from django.urls import path

from . import similar_views, views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("similar/", similar_views.similar_fragment, name="similar"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("photos/<int:pk>/<str:size>/", views.proposal_photo, name="photo"),
    path("files/<int:pk>/", views.proposal_attachment, name="attachment"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("<int:pk>/delete/", views.proposal_trash, name="trash"),
    path("<int:pk>/endorse/", views.proposal_endorse, name="endorse"),
    path("carries/<int:pk>/", views.endorsement_carry, name="carry"),
    path("<int:pk>/follow/", views.proposal_follow, name="follow"),
    path("<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("<int:pk>/report/", views.report, {"target": "proposal"}, name="report"),
    path("comments/<int:pk>/report/", views.report, {"target": "comment"}, name="comment_report"),
    path("<int:pk>/moderate/", views.moderate, {"target": "proposal"}, name="moderate"),
    path(
        "comments/<int:pk>/moderate/",
        views.moderate,
        {"target": "comment"},
        name="comment_moderate",
    ),
]
