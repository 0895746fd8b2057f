"""Tests: the real PostgreSQL and Redis of the machine (DATABASE_URL, REDIS_URL), never SQLite.

The database is PostgreSQL unless DATABASE_URL says otherwise; pytest-django creates a fresh
test database per run.
"""
import tempfile

from .base import *  # noqa: F401,F403
from .base import env

DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/mileage_portal"),
}
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
# Unit tests run tasks eagerly; the integration tests that prove the queue start a real worker.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="mileage-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
RULES_CACHE_DIR = tempfile.mkdtemp(prefix="mileage-test-rules-")
