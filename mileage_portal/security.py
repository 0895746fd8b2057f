"""Login policy (README "Security choices"): whose address a failed login counts against, and the
throttle on many failed logins from one address across usernames (password spraying).

django-axes locks a username *from one address* after AXES_FAILURE_LIMIT failures. Behind a
reverse proxy every request arrives from the proxy's address, so that lock would bind the account
for everyone; the client address is therefore taken from X-Forwarded-For, but only as far as
TRUSTED_PROXY_COUNT proxies we run ourselves have written it (a client can put anything in the
header; the entries our own proxies append are the only ones to believe).
"""
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with N trusted proxies in front, the N-th address from
    the right of X-Forwarded-For (the one our outermost proxy saw)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # not through our proxies: do not believe a shorter header
    return forwarded[-count]


def _failures_key(ip):
    return f"login-failures-ip:{ip}"


def record_failed_login(sender, credentials=None, request=None, **kwargs):
    """user_login_failed: count failures per client address for LOGIN_FAILURES_WINDOW seconds."""
    ip = client_ip(request)
    if not ip:
        return
    key = _failures_key(ip)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURES_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURES_WINDOW)


def spraying(request):
    ip = client_ip(request)
    return bool(ip) and (cache.get(_failures_key(ip)) or 0) >= settings.LOGIN_FAILURES_PER_IP


class SprayThrottleBackend:
    """First authentication backend: once an address has failed LOGIN_FAILURES_PER_IP logins (any
    usernames) within the window, every login from it is refused until the window passes, right
    password or not. Covers the login page and Basic auth on the API alike."""

    def authenticate(self, request, **credentials):
        if request is not None and spraying(request):
            raise PermissionDenied(_("Too many failed logins from your network. Try again in 15 minutes."))
        return None

    # No get_user(): this backend never logs anyone in, and Django's force_login and session
    # restore pick the first backend that has one (ModelBackend).
