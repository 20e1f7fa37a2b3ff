from django.urls import path

from . import views

app_name = "panel"

urlpatterns = [
    path("", views.panel_home, name="home"),
    path("apply/", views.panel_apply, name="apply"),
    path("applications/<int:pk>/withdraw/", views.panel_withdraw, name="withdraw"),
    path("to-rate/", views.to_rate, name="to_rate"),
    path("proposals/<int:pk>/rate/", views.rate, name="rate"),
]
