"""The polls' staff screens, each in its own module, registered here."""

from django.contrib import admin

from .admin_arguments import PollArgumentAdmin
from .models import PollArgument

admin.site.register(PollArgument, PollArgumentAdmin)
