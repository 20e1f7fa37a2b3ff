from django.urls import path

from . import results_views, views

app_name = "polls"

urlpatterns = [
    path("", views.poll_list, name="list"),
    path("<int:pk>/", views.poll_detail, name="detail"),
    path("<int:pk>/vote/", views.poll_vote, name="vote"),
    path("files/<int:pk>/", views.poll_attachment, name="attachment"),
    path("<int:pk>/results/", results_views.results, name="results"),
]
