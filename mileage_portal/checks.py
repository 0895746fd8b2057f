"""Deployment checks Django's own `check --deploy` does not make, run by `manage.py check --deploy`.

An outside probe found the production image serving a 500 on every page while `check --deploy`
was silent: the static manifest had never been built. These checks name what would break.
"""
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Files every page links to: without their manifest entry no page renders.
PAGE_ASSETS = ("css/portal.css", "js/portal.js", "vendor/htmx-2.0.11.min.js", "vendor/chart-4.6.1.umd.min.js")


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs, **kwargs):
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if not storage.exists(storage.manifest_name):
        return [Error(
            f"No static files manifest in STATIC_ROOT ({settings.STATIC_ROOT}): every page would be a 500.",
            hint="Run `manage.py collectstatic --noinput` with these settings (the image does it when it is built).",
            id="mileage_portal.E001",
        )]
    errors = []
    for name in PAGE_ASSETS:
        try:
            storage.stored_name(name)
        except ValueError:
            errors.append(Error(f"The static files manifest has no entry for {name!r}.",
                                hint="Run collectstatic again with these settings.", id="mileage_portal.E002"))
    return errors


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        return [Warning(
            "The cache is local to each process: the failed-login throttle is not shared between gunicorn workers.",
            hint="Set REDIS_URL (docker-compose sets redis://redis:6379/2).", id="mileage_portal.W001",
        )]
    return []


@register(Tags.security, deploy=True)
def check_static_served(app_configs, **kwargs):
    if "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE:
        return [Warning("Nothing in the app serves /static/ (WhiteNoise is not in MIDDLEWARE).",
                        hint="Use mileage_portal.settings.production or serve STATIC_ROOT from the proxy.",
                        id="mileage_portal.W002")]
    return []
