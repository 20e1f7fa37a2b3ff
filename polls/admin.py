"""City polls in the admin: a list of registrations."""

from django.contrib import admin

from .response_admin import register as register_results_screen

# The results and the department's response (the results part of issue 14).
register_results_screen(admin.site)
