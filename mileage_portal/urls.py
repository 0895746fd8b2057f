"""Root URLs: pages, the API under /api/v1/, its OpenAPI schema and docs, admin, i18n."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from careers import api as careers_api
from careers import views as careers_views
from scoring.api import EvaluateView

router = DefaultRouter()
router.register("entries", careers_api.EntryViewSet, basename="entry")
router.register("evidence", careers_api.EvidenceViewSet, basename="evidence")
router.register("students", careers_api.StudentProfileViewSet, basename="student")

urlpatterns = [
    path("", careers_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a file: no inline script (CSP)
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/evaluate/", EvaluateView.as_view(), name="evaluate"),
    path("api/v1/", include(router.urls)),
    path("programs/", include("programs.urls")),
    path("certification/", include("certification.urls")),
    path("staff/imports/", include("imports.urls")),
    path("scholarships/", include("scholarships.urls")),
    path("rules/", include("scoring.urls")),
    path("reports/", include("reports.urls")),
    path("advising/", include("advising.urls")),
    path("", include("careers.urls")),
]

handler400 = "mileage_portal.http.bad_request"
