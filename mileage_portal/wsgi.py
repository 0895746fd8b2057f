"""WSGI entry point (gunicorn mileage_portal.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage_portal.settings.dev")
application = get_wsgi_application()
