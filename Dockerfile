# Production image: gunicorn serves Django; the same image runs the Celery worker and beat.
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 gettext fonts-noto-cjk \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
# collectstatic runs with the production settings, so the manifest is built by the storage that
# reads it (WhiteNoise's CompressedManifestStaticFilesStorage); the key and database URL here are
# build-only placeholders (nothing connects), and production refuses that key at run time.
RUN pip install --no-cache-dir . \
    && DJANGO_SETTINGS_MODULE=mileage_portal.settings.dev python manage.py compilemessages -v0 \
    && DJANGO_SETTINGS_MODULE=mileage_portal.settings.production DJANGO_BUILD_STEP=1 \
       SECRET_KEY=build-only-collectstatic-key-never-used-at-run-time DATABASE_URL=postgres://build@localhost/build \
       STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput -v0
ENV DJANGO_SETTINGS_MODULE=mileage_portal.settings.production STATIC_ROOT=/app/staticfiles PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["gunicorn", "mileage_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
