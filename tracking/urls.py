from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("", views.card_list, name="list"),
    path("<int:pk>/", views.card_detail, name="detail"),
]
