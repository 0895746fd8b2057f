"""Settings of bench/report.py's processes: the test settings with one MEDIA_ROOT shared by the
benchmark and its Celery workers (the report cache and the ZIP live there, as on S3 in production)."""
import os

from mileage_portal.settings.test import *  # noqa: F401,F403
from mileage_portal.settings.test import STORAGES

MEDIA_ROOT = os.environ["BENCH_MEDIA_ROOT"]
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                    "OPTIONS": {"location": MEDIA_ROOT}}}
