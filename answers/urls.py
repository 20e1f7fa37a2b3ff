from django.urls import path

from . import views

app_name = "answers"

urlpatterns = [
    path("<int:pk>/rate/", views.answer_rate, name="rate"),
]
