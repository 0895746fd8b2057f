"""The security choices of README "Security choices" (issue 12), each as a user or an attacker meets it."""
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from careers import services as careers_services
from careers.models import CareerEntry, EntryStatus
from scholarships.models import Redemption, RedemptionStatus, RedemptionWindow
from scholarships.tests.conftest import daegu, daegu_major, office, student  # noqa: F401 (fixtures)
from scholarships.tests.test_redemption import window_for, with_points
from scholarships import services as scholarship_services
from tests.factories import PASSWORD, StudentFactory, UserFactory, entry, staff_user

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"


# --- Content-Security-Policy -------------------------------------------------------------------
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy  # (plus a nonce on a page that uses one)
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy and "form-action 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_no_template_needs_an_inline_script():
    """Inline handlers (onclick=...) and <script> blocks without src would be blocked by the policy."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: inline handler")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag and "csp_nonce" not in tag:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert not offenders


def test_the_api_doc_page_loads_its_script_from_a_file(client):
    client.force_login(UserFactory())
    page = client.get("/api/docs/")
    assert page.status_code == 200
    scripts = re.findall(r"<script\b[^>]*>", page.content.decode())
    assert scripts and all("src=" in tag for tag in scripts)


# --- sessions and the schema ---------------------------------------------------------------------
def test_a_session_lasts_a_working_day_and_ends_with_the_browser(client):
    user = UserFactory()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_the_api_schema_needs_a_login(client):
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code == 401
    client.force_login(UserFactory())
    assert client.get("/api/schema/").status_code == 200


# --- login lockout behind a proxy, password spraying ----------------------------------------------
def fail_login(username, remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**extra).post("/login/", {"username": username, "password": "wrong-password"})


def login(username, remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**extra).post("/login/", {"username": username, "password": PASSWORD}).status_code == 302


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_behind_a_trusted_proxy_an_attacker_locks_only_their_own_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    victim = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail_login(victim.username, remote="10.9.9.9", forwarded="203.0.113.66")
    # Every request comes from the proxy 10.9.9.9; the victim's own address is another one.
    assert login(victim.username, remote="10.9.9.9", forwarded="198.51.100.7")
    assert not login(victim.username, remote="10.9.9.9", forwarded="203.0.113.66")


def test_without_a_trusted_proxy_a_forged_forwarded_header_changes_nothing(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    victim = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_login(victim.username, remote="203.0.113.66", forwarded=f"192.0.2.{n}")
    assert not login(victim.username, remote="203.0.113.66", forwarded="192.0.2.200")
    assert login(victim.username, remote="198.51.100.7")


def test_password_spraying_from_one_address_is_throttled(settings):
    settings.LOGIN_FAILURES_PER_IP = 6
    users = [UserFactory() for _ in range(7)]
    for user in users[:6]:  # one try per username: no account reaches axes' limit
        fail_login(user.username, remote="203.0.113.5")
    assert not login(users[6].username, remote="203.0.113.5")  # even the right password
    assert login(users[6].username, remote="198.51.100.7")  # other addresses are not affected


# --- redemptions are decided by the central office ------------------------------------------------
def test_department_staff_see_but_do_not_decide_redemptions(client, student):  # noqa: F811
    with_points(student)
    window = window_for(student)
    r = scholarship_services.redemption_request(actor=student.user, student=student, window=window, points=300)
    department_staff = staff_user(department=student.major.department)
    client.force_login(department_staff)
    page = client.get("/scholarships/staff/redemptions/").content.decode()
    assert f'data-redemption="{r.pk}"' in page and "중앙 부서" in page
    assert f"/scholarships/staff/redemptions/{r.pk}/confirm/" not in page
    refused = client.post(f"/scholarships/staff/redemptions/{r.pk}/confirm/", follow=True)
    assert refused.status_code == 403 or "처리할 권한이 없습니다" in refused.content.decode()
    r.refresh_from_db()
    assert r.status == RedemptionStatus.REQUESTED

    office = staff_user(institution=window.institution, central_office="학생지원팀")
    client.force_login(office)
    assert f"/scholarships/staff/redemptions/{r.pk}/confirm/" in client.get("/scholarships/staff/redemptions/").content.decode()
    client.post(f"/scholarships/staff/redemptions/{r.pk}/confirm/")
    r.refresh_from_db()
    assert r.status == RedemptionStatus.CONFIRMED


# --- a reason of zero-width spaces is no reason ---------------------------------------------------
@pytest.mark.parametrize("reason", ["\u200b\u200b\u200b", "\ufeff \u200d", "\u3164\u3164", "\u2060\u00ad"])
def test_a_reason_of_only_invisible_characters_is_refused_naming_the_field(client, reason):
    s = StudentFactory()
    e = entry(s, status=EntryStatus.SUBMITTED)
    client.force_login(staff_user(department=s.major.department))
    response = client.post(f"/entries/{e.pk}/reject/", {"reason": reason}, follow=True)
    e.refresh_from_db()
    assert e.status == EntryStatus.SUBMITTED
    assert "사유" in response.content.decode()


def test_visible_text_around_invisible_characters_is_kept_as_typed():
    s = StudentFactory()
    e = entry(s, status=EntryStatus.SUBMITTED)
    careers_services.entry_reject(actor=staff_user(department=s.major.department), entry=e,
                                  reason="\u200b 증빙 서류가 흐립니다\u200b")
    e.refresh_from_db()
    assert e.status == EntryStatus.REJECTED and e.decision_reason == "증빙 서류가 흐립니다"


def test_the_evidence_file_itself_carries_no_policy_but_its_page_does(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from careers.demo import pdf_bytes

    s = StudentFactory()
    e = entry(s)
    ev = careers_services.evidence_add(actor=s.user, entry=e, uploaded_file=SimpleUploadedFile("a.pdf", pdf_bytes()))
    client.force_login(s.user)
    page = client.get(f"/entries/{e.pk}/")
    assert "Content-Security-Policy" in page.headers
    pdf = client.get(f"/evidence/{ev.pk}/")
    assert pdf.status_code == 200 and "Content-Security-Policy" not in pdf.headers  # the browser's PDF viewer
