from django.urls import path

from newsletter import feeds, views

app_name = "newsletter"

# The fixed addresses come before the edition pattern; their words are
# also reserved as edition slugs (models.RESERVED_SLUGS).
urlpatterns = [
    path("", views.newsletter_home, name="home"),
    path("feed/", feeds.EditionFeed(), name="feed"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences_page, name="preferences"),
    path("preferences/<str:token>/data.json", views.preferences_data, name="preferences_data"),
    path("preferences/<str:token>/erase/", views.preferences_erase, name="preferences_erase"),
    path("click/<str:token>/", views.click, name="click"),
    path("<slug:slug>/", views.edition_detail, name="edition"),
]
