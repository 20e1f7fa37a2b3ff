from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.monthly, name="monthly"),
    path("best/", views.best, name="best"),
]
