from django.urls import path

from . import report_views, views

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("departments/", views.departments, name="departments"),
    path("themes/", views.themes, name="themes"),
    # The proposals a figure counts (every figure links here).
    path("proposals/", views.proposal_list, name="proposals"),
    # Monthly and yearly reports (stats/reports.py makes them, frozen).
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<str:kind>/<str:period>/", report_views.report_detail, name="report"),
]
