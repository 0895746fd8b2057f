from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("", views.my_certification, name="mine"),
    path("apply/", views.apply, name="apply"),
    path("committee/", views.committee, name="committee"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
    path("documents/<int:pk>/", views.document_file, name="document"),
]
