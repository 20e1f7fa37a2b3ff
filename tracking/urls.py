from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("", views.card_list, name="list"),
    path("<int:pk>/", views.card_detail, name="detail"),
    path("files/<int:pk>/", views.card_file, name="file"),
    path("photos/<int:pk>/<str:size>/", views.card_photo, name="photo"),
]
