from django.urls import path  # noqa: F401  (the parts of issue 14 add their routes)

app_name = "polls"

urlpatterns: list = []
