from django.urls import path

from . import views

app_name = "advising"
urlpatterns = [
    path("", views.index, name="index"),
    path("students/<int:pk>/", views.student, name="student"),
    path("students/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("students/<int:pk>/mentor/", views.mentor_edit, name="mentor_edit"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("honors/", views.honors, name="honors"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group, name="group"),
]
