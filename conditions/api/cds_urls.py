"""/cds-services (``conditions.api.cds``): the discovery endpoint, the
services, and a JSON 404 for any other service id."""

from django.urls import re_path

from conditions.api.cds import cds, gate, unknown_service

app_name = "cds"

urlpatterns = [
    *cds.url_patterns(),
    # Any other path below /cds-services/, control characters included.
    re_path(
        r"^cds-services/(?P<path>[\s\S]+)$",
        gate(unknown_service, None, service=True),
        name="unknown",
    ),
]
