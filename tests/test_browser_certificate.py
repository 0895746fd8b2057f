"""The certificate form in a browser: picking a catalogue name fills category and tier."""
import shutil

import pytest

from careers.models import CareerEntry
from tests.factories import StudentFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(locale="ko-KR", viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def test_picking_a_catalogue_name_fills_category_and_tier(page, live_server):
    student = StudentFactory()
    student.user.set_password("cert-pick-2026!")
    student.user.save()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", student.user.username)
    page.fill("#id_password", "cert-pick-2026!")
    page.click("button[type=submit]")
    page.wait_for_url("**/me/")

    page.goto(f"{live_server.url}/me/entries/new/certificate/")
    assert page.locator("#id_name").get_attribute("list") == "certificate-names"
    page.fill("#id_name", "전기기사")
    assert page.input_value("#id_category") == "national_technical"
    assert page.input_value("#id_tier") == "기사"
    page.fill("#id_name", "재경관리사")  # not national technical: the tier is cleared
    assert page.input_value("#id_category") == "national_accredited_private"
    assert page.input_value("#id_tier") == ""
    page.fill("#id_name", "전기기사")
    page.fill("#id_date", "2025-05-11")
    page.click("button[type=submit]")
    page.wait_for_url("**/entries/*/")
    saved = CareerEntry.objects.get(student=student)
    assert (saved.data["name"], saved.data["category"], saved.data["tier"]) == ("전기기사", "national_technical", "기사")
