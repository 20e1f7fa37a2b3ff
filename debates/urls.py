from django.urls import path

from . import views

app_name = "debates"

urlpatterns = [
    path("", views.debate_list, name="list"),
    path("<int:pk>/", views.debate_detail, name="detail"),
    path("<int:pk>/stance/", views.stance_set, name="stance"),
    path("<int:pk>/arguments/", views.argument_create, name="argument_create"),
    path("arguments/<int:pk>/delete/", views.argument_delete, name="argument_delete"),
    path("arguments/<int:pk>/moderate/", views.argument_moderate, name="argument_moderate"),
]
