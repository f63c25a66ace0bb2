from django.urls import path, re_path

from conditions.api import views

app_name = "api"

urlpatterns = [
    path("conditions/", views.condition_list, name="conditions"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition"),
    path("lookup/", views.lookup, name="lookup"),
    path("openapi.json", views.openapi_document, name="openapi"),
    # Any other path, control characters included ("." stops at a newline).
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
