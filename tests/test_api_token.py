"""Token auth for the API (issue 12): a user makes a token on their account page and scripts call the
API with it; no password is hashed per request. Basic auth stays for scripts."""
import base64
from unittest import mock

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD, StudentFactory, entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    s = StudentFactory()
    entry(s)
    return s


def make_token(user):
    browser = Client()
    browser.force_login(user)
    page = browser.post("/account/api-token/", {"action": "create"})
    assert page.status_code == 200
    return page.context["new_key"], browser


def test_a_student_makes_a_token_on_the_account_page_and_sees_it_once(student):
    key, browser = make_token(student.user)
    page = browser.get("/account/api-token/")
    text = page.content.decode()
    assert "API 토큰" in text and "토큰이 있습니다" in text
    assert page.context["new_key"] is None  # shown only in the answer to the request that made it


def test_a_token_request_works_without_hashing_a_password(student):
    key, _ = make_token(student.user)
    api = Client()
    with mock.patch.object(User, "check_password", autospec=True, side_effect=AssertionError("hashed")) as check:
        response = api.get("/api/v1/entries/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1
    assert not check.called


def test_basic_auth_still_works_for_scripts_and_checks_the_password(student):
    basic = base64.b64encode(f"{student.user.username}:{PASSWORD}".encode()).decode()
    with mock.patch.object(User, "check_password", autospec=True, wraps=User.check_password) as check:
        response = Client().get("/api/v1/entries/", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200 and check.called


def test_a_replaced_or_revoked_token_stops_working(student):
    first, browser = make_token(student.user)
    second = browser.post("/account/api-token/", {"action": "create"}).context["new_key"]
    assert first != second
    assert Client().get("/api/v1/entries/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert Client().get("/api/v1/entries/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
    browser.post("/account/api-token/", {"action": "revoke"})
    assert Client().get("/api/v1/entries/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 401
    assert "토큰이 없습니다" in browser.get("/account/api-token/").content.decode()
