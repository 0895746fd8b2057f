"""Read-only views of other apps' data that careers' pages show, without importing those apps.

Careers is read by scoring (and the apps after it); it imports none of them. Where a careers page
shows what another app computed — the points each program gave an entry, the results whose last
evaluation failed — that app registers the reader here when Django starts (its AppConfig.ready),
and careers asks by name. A reader nobody registered is an error (a page would otherwise silently
show nothing).
"""
_readers = {}


def register(name, fn):
    _readers[name] = fn


def read(name, *args, **kwargs):
    try:
        fn = _readers[name]
    except KeyError:
        raise RuntimeError(f"No app registered the reader {name!r} (see careers/extensions.py).") from None
    return fn(*args, **kwargs)
