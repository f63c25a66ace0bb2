"""Django's user admin, with the dates Django keeps shown, not edited.

A user's "last login" and "date joined" are recorded to the microsecond,
and the admin's date and time inputs hold whole seconds: saving a user's
form unchanged rewrote both. Nobody sets them by hand, so they are shown.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin  # registers Django's UserAdmin first
from django.contrib.auth import get_user_model

User = get_user_model()


class UserAdmin(auth_admin.UserAdmin):
    readonly_fields = ["last_login", "date_joined"]


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
