from django.urls import re_path

from conditions.api import changes  # noqa: F401 - registers /api/changes/
from conditions.api.api import get_and_head_only
from conditions.api.views import api, not_found

app_name = "api"

urlpatterns = [
    *api.url_patterns(),
    # Any other path, control characters included ("." stops at a newline).
    re_path(r"^(?P<path>[\s\S]*)$", get_and_head_only(not_found)),
]
