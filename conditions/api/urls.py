from django.urls import re_path

from . import views

app_name = "api"

urlpatterns = [
    # The operations (ninja's placeholder for the API's root is left out:
    # /api/ is an address like any other the API does not have).
    *(pattern for pattern in views.api.urls[0] if pattern.name != "api-root"),
    # Any other path, control characters included ("." stops at a newline).
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
