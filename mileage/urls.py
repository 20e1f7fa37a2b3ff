"""The mileage pages (oasis/urls.py includes them at the site's root)."""

from django.urls import path

from . import views

app_name = "mileage"

urlpatterns = [
    path("me/mileage/", views.my_mileage, name="mine"),
    path("mileage/ranking/", views.ranking, name="ranking"),
]
