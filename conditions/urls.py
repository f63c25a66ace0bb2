from django.urls import path

from conditions import embed_views, signoff_views, views

app_name = "conditions"

urlpatterns = [
    path("", views.home, name="home"),
    path("conditions/", views.condition_index, name="index"),
    path("conditions/<slug:slug>/", views.condition_detail, name="detail"),
    path("conditions/<slug:slug>/handout.pdf", views.condition_handout, name="handout"),
    path("conditions/<slug:slug>/feedback/", views.condition_feedback, name="feedback"),
    # The compact article partners may frame (conditions/embed_views.py).
    path("embed/conditions/<slug:slug>/", embed_views.embed_article, name="embed"),
    path("preview/conditions/<int:pk>/", views.condition_preview, name="preview"),
    path("drugs/", views.drug_index, name="drugs"),
    path("drugs/<slug:slug>/", views.drug_detail, name="drug"),
    path("topics/", views.topic_index, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    # An outside specialist's sign-off page: the token is the credential.
    path("review/<str:token>/", signoff_views.signoff, name="signoff"),
]
