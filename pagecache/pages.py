"""Serve a rendered page again while its counters (pagecache.watch) have not moved.

    return pages.serve(request, [f"student:{student.pk}", f"user:{request.user.pk}", "global"],
                       lambda: render(request, "careers/dashboard.html", context(student)))

The view checks access first, as always (the entry page alone leaves the check to the render,
and says why: careers.views.entry_detail); `serve` then reads the counters (one query), and either
returns the stored HTML or renders, stores and returns it. The key holds the code's build, the
date (Korea), the path with its query, the user, the language and the counters, so a stored page
is only ever served to the user it was rendered for, in the same language, before anything it
shows has changed. Per-request parts are put back on the way out: CSRF tokens are masked anew for
this request and the CSP nonce is this response's. Not cached: htmx partials, pages with messages
waiting to be shown, anything but a 200 HTML response without cookies, and any database but
PostgreSQL (the counters are PostgreSQL triggers; SQLite runs pages as before).
"""
import hashlib
import os
import re
import secrets
import zlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.translation import get_language

CSRF_HOLE = "\x00csrf\x00"
NONCE_HOLE = "\x00nonce\x00"
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def enabled():
    return settings.PAGE_CACHE and connection.vendor == "postgresql"


def versions(keys):
    """[(counter, value)] for the database's epoch (made anew if a flush removed it) and `keys`; a
    counter never written is 0."""
    wanted = ["epoch", *keys]
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, n FROM pagecache_version WHERE key = ANY(%s)", [wanted])
        found = dict(cursor.fetchall())
        if "epoch" not in found:
            cursor.execute("INSERT INTO pagecache_version (key, n) VALUES ('epoch', %s) ON CONFLICT (key) DO NOTHING",
                           [secrets.randbits(62)])
            cursor.execute("SELECT n FROM pagecache_version WHERE key = 'epoch'")
            found["epoch"] = cursor.fetchone()[0]
    return [(key, found.get(key, 0)) for key in wanted]


@once
def build():
    """A digest of the code, templates, translations and rule files this process runs: a deploy
    changes it, so no page rendered by older code outlives it."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=12)
    # the project's packages and its templates, translations and rules; not var/ (evidence files)
    tops = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and ((p / "__init__.py").exists() or p.name in ("templates", "locale", "rules")))
    for top in tops:
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "tests", "static"))
            for name in sorted(files):
                if name.endswith((".py", ".html", ".mo", ".yaml", ".yml")):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def _cacheable_request(request):
    if request.method != "GET" or getattr(request, "htmx", False) or not enabled():
        return False
    waiting = getattr(request, "_messages", None)
    return not (waiting is not None and len(waiting))  # counting does not mark them shown


def _cacheable_response(response):
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and response.get("Content-Type", "").startswith("text/html"))


def _holes(html, request):
    """The HTML with this request's CSRF tokens and CSP nonce replaced by placeholders."""
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        for token in set(_TOKEN.findall(html)):
            if _unmask_cipher_token(token) == secret:
                html = html.replace(token, CSRF_HOLE)
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:  # a LazyNonce is true once the page used it
        html = html.replace(str(nonce), NONCE_HOLE)
    return html


def _filled(html, request):
    if CSRF_HOLE in html:  # one fresh mask for the response (masking is what BREACH needs)
        html = html.replace(CSRF_HOLE, get_token(request))
    if NONCE_HOLE in html:
        html = html.replace(NONCE_HOLE, str(request._csp_nonce))
    return html


def key_for(request, keys):
    parts = (build(), timezone.localdate().isoformat(), request.get_full_path(), request.user.pk,
             get_language(), versions(keys))
    return "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def serve(request, keys, render):
    """`render()`'s response, or the stored copy of it while nothing under `keys` has changed."""
    if not _cacheable_request(request):
        return render()
    key = key_for(request, keys)
    stored = cache.get(key)
    if stored is not None:
        content_type, packed = stored
        response = HttpResponse(_filled(zlib.decompress(packed).decode(), request), content_type=content_type)
        response["X-Page-Cache"] = "hit"
        return response
    response = render()
    if _cacheable_response(response):
        # compressed: a dashboard of 40 entries is 41 KB of HTML, 6 KB packed (Redis holds the pages
        # of everyone active in the last PAGE_CACHE_SECONDS)
        packed = zlib.compress(_holes(response.content.decode(response.charset), request).encode(), 1)
        cache.set(key, (response["Content-Type"], packed), settings.PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
    return response
