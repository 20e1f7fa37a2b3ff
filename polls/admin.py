"""The polls' staff screens, each in its own module, registered here."""

from django.contrib import admin

from .admin_arguments import PollArgumentAdmin
from .models import PollArgument
from .response_admin import register as register_results_screen

admin.site.register(PollArgument, PollArgumentAdmin)
# The results and the department's response (the results part of issue 14).
register_results_screen(admin.site)
