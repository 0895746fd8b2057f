"""Production: everything from the environment; refuses to start with unsafe defaults."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import BUILD_ONLY_SECRET_KEY, INSECURE_DEFAULT_SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=False).")
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set to a private value of at least 32 characters.")
# The image runs collectstatic with the production settings at build time (the manifest must be
# built by the same storage that reads it) and a throw-away key; that key is refused at run time.
if SECRET_KEY == BUILD_ONLY_SECRET_KEY and not env.bool("DJANGO_BUILD_STEP", default=False):
    raise ImproperlyConfigured("SECRET_KEY is the image's build-only key: set a private SECRET_KEY at run time.")
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must be set in production (PostgreSQL).")
# Each gunicorn worker keeps its database connection (checked before reuse) instead of opening one
# per request: a new PostgreSQL backend forks and loads its catalog caches for every table a page
# touches, which cost the pages more than their queries under load (bench/README.md, issue 12).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)  # noqa: F405
# Off by default: a health check is a `SELECT 1` round trip before every request's first query (a
# sixth of a cached page's time under load, bench/README.md). Without it a connection the database
# dropped (a restart) fails one request per worker, after which Django opens a new one.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=False)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Static files: WhiteNoise serves STATIC_ROOT from gunicorn itself (no proxy rule needed), with
# hashed names from the manifest `collectstatic` builds in the image and far-future cache headers.
# A missing manifest entry is an error that `manage.py check --deploy` reports (mileage_portal.checks).
# Pre-compressed copies are off by default: gzip level 9 of the 1,250 files (Swagger UI, admin)
# took `collectstatic` from 1 s to 86 s here; STATIC_COMPRESS=True turns them on (a proxy with
# gzip on does the same job).
STORAGES["staticfiles"] = {"BACKEND": (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage" if env.bool("STATIC_COMPRESS", default=False)
    else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage")}
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
