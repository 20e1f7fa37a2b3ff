from django.urls import path

from . import views

app_name = "pipeline"

# Mounted under /proposals/ (oasis/urls.py): the action belongs to a proposal's page.
urlpatterns = [
    path("<int:pk>/promote/", views.proposal_promote, name="promote"),
]
