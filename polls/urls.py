from django.urls import path

from . import targeting_views, views

app_name = "polls"

urlpatterns = [
    path("", views.poll_list, name="list"),
    path("<int:pk>/", views.poll_detail, name="detail"),
    path("<int:pk>/vote/", views.poll_vote, name="vote"),
    path("<int:pk>/files/<int:attachment_pk>/", views.poll_attachment, name="attachment"),
    path("<int:pk>/your-details/", targeting_views.details_needed, name="details_needed"),
]
