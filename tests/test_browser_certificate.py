"""The certificate form in a browser: picking a catalogue name fills category and tier."""
import pytest

from careers.models import CareerEntry
from tests.factories import StudentFactory
from tests.test_browser import page  # noqa: F401 (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_picking_a_catalogue_name_fills_category_and_tier(page, live_server):  # noqa: F811
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
