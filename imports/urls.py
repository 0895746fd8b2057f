from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("commit/", views.commit, name="commit"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
]
