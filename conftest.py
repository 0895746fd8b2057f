"""Shared by every test folder: tests read the portal as a Korean user does.

The engine's own tests (scoring/tests) also run with `-p no:django`; then Django is not
configured and the fixture does nothing.
"""
import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _korean():
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from django.utils import translation

    with translation.override("ko"):
        yield
