from django.urls import path

from . import staff_views, views

app_name = "careers"
urlpatterns = [
    path("me/", views.dashboard, name="dashboard"),
    path("me/self-introduction/", views.self_introduction, name="self_introduction"),
    path("me/entries/new/<slug:kind>/", views.entry_new, name="entry_new"),
    path("students/", views.student_list, name="student_list"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("entries/<uuid:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<uuid:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<uuid:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<uuid:pk>/", views.evidence_file, name="evidence_file"),
    path("evidence/<uuid:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("organizations/search/", views.org_search, name="org_search"),
    path("notifications/", views.notifications, name="notifications"),
    path("staff/", staff_views.staff_home, name="staff_home"),
    path("staff/queue/", staff_views.queue, name="queue"),
    path("staff/queue/approve/", staff_views.bulk_approve, name="bulk_approve"),
    path("entries/<uuid:pk>/original-seen/", staff_views.original_seen, name="original_seen"),
    path("entries/<uuid:pk>/organization/", staff_views.adopt_organization, name="adopt_organization"),
    path("entries/<uuid:pk>/<slug:action>/", views.entry_action, name="entry_action"),
]
