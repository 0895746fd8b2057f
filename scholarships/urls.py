from django.urls import path

from . import views

app_name = "scholarships"
urlpatterns = [
    path("me/", views.statement, name="statement"),
    path("staff/windows/", views.windows, name="windows"),
    path("staff/redemptions/", views.redemptions, name="redemptions"),
    path("staff/redemptions/<int:pk>/<slug:action>/", views.redemption_decide, name="redemption_decide"),
    path("staff/selection/", views.selections, name="selections"),
    path("staff/selection/<int:pk>/", views.selection, name="selection"),
    path("staff/selection/<int:pk>/rows/<int:row_pk>/", views.selection_adjust, name="selection_adjust"),
    path("staff/selection/<int:pk>/approve/", views.selection_approve, name="selection_approve"),
    path("staff/selection/<int:pk>/export/", views.selection_export, name="selection_export"),
    path("staff/priority/", views.priority, name="priority"),
    path("staff/hiring/", views.hiring, name="hiring"),
    path("admin/batches/", views.batches, name="batches"),
]
