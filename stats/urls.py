from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    # The proposals a figure counts (every figure links here).
    path("proposals/", views.proposal_list, name="proposals"),
]
