"""The login backend: Django's ModelBackend, reading the signed-in user of each request with her
staff scope and student profile (every page needs one or the other: the menu, careers.access).

On PostgreSQL the user so read is kept in the cache under her page-cache counter (`user:<id>`,
pagecache.watch), which triggers advance with any write to her row (but a login's last_login),
her staff scope or her student profile: a request then costs one small counter query instead of
the user query (the largest part of a cached page's time, bench/README.md). A deactivated account,
a new password (the session hash) or a changed scope moves the counter, so the next request reads
the row again. The copy holds what the row holds, password hash included, like the session store
next to it; Redis is private to the portal (docker-compose) and must stay so.
"""
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from pagecache import pages


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        if pages.enabled():
            counters = pages.versions([f"user:{user_id}"])
            key = "auth-user:" + hashlib.blake2b(repr((pages.build(), user_id, counters)).encode(),
                                                 digest_size=16).hexdigest()
            user = cache.get(key)
            if user is None:
                user = self._read(user_id)
                if user is not None:
                    cache.set(key, user, settings.PAGE_CACHE_SECONDS)
        else:
            user = self._read(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _read(user_id):
        model = get_user_model()
        try:
            return model._default_manager.select_related("staff_scope", "student_profile").get(pk=user_id)
        except model.DoesNotExist:
            return None
