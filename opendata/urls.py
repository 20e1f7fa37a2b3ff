from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("files/<str:name>", views.download, name="file"),
    path("latest/<slug:dataset>.<slug:file_format>", views.latest, name="latest"),
]
