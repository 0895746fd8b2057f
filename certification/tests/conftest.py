import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _korean(settings):
    settings.LANGUAGE_CODE = "ko"
    from django.utils import translation

    with translation.override("ko"):
        yield
