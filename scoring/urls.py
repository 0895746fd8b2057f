from django.urls import path

from . import views

app_name = "scoring"
urlpatterns = [
    path("", views.index, name="rules"),
    path("edit/<slug:program>/<path:path>", views.edit, name="edit"),
    path("revisions/<int:pk>/", views.revision, name="revision"),
    path("revisions/<int:pk>/preview/", views.preview, name="preview"),
    path("revisions/<int:pk>/publish/", views.publish, name="publish"),
    path("revisions/<int:pk>/discard/", views.discard, name="discard"),
    path("runs/", views.runs, name="runs"),
]
