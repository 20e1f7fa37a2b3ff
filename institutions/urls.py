"""An institution's space: /org/<slug>/ and its pages (proposals, debates,
polls, statistics). Built by the institution-space part of issue 16."""

app_name = "institutions"

urlpatterns: list = []
