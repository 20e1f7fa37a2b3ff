from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("", views.theme_list, name="list"),
    path("<int:pk>/", views.theme_detail, name="detail"),
    path("<int:pk>/propose/", views.theme_propose, name="propose"),
    path("material/<int:pk>/", views.theme_material, name="material"),
]
