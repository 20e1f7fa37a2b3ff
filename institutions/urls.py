"""An institution's space: /org/<slug>/ and its pages (proposals, debates,
polls, statistics), and /org/, the open institutions."""

from django.urls import path

from . import views

app_name = "institutions"

urlpatterns = [
    path("", views.institution_list, name="list"),
    path("<slug:slug>/", views.institution_home, name="home"),
    path("<slug:slug>/proposals/", views.institution_proposals, name="proposals"),
    path("<slug:slug>/debates/", views.institution_debates, name="debates"),
    path("<slug:slug>/polls/", views.institution_polls, name="polls"),
    path("<slug:slug>/stats/", views.institution_stats, name="stats"),
    path("<slug:slug>/propose/", views.institution_propose, name="propose"),
    path("<slug:slug>/logo/", views.institution_logo, name="logo"),
]
