from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("students/<int:pk>/report.pdf", views.student_report, name="student_report"),
    path("students/<int:pk>/portfolio/", views.student_portfolio, name="student_portfolio"),
    path("me/share/", views.share, name="share"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/download/", views.batch_download, name="batch_download"),
]
