"""The proposal room's pages at the site's root: the front page and a
member's own page (oasis/urls.py includes them at "")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
]
