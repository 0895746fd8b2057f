"""The menu of each role in a browser (Debian's Chromium through Playwright), with the demo logins
of the README: every link it shows opens, and department staff are not offered what refuses them."""

import pytest
from django.core.management import call_command

from accounts.models import User
from careers.management.commands.seed_demo import PASSWORD
from careers.models import StudentProfile
from mileage_portal.menu import menu_for
from tests.test_browser import page  # noqa: F401 (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "/login/" not in page.url, username


def test_each_role_sees_its_menu_and_every_link_opens(page, live_server):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    student = StudentProfile.objects.filter(major__department__campus__institution__code="hankyong",
                                            self_introduction__isnull=False).order_by("student_no").first()
    logins = {"student": student.user.username, "department staff": "staff-10-3",
              "central staff": "staff-hankyong", "advisor": "prof05", "admin": "admin"}
    menus = {}
    for role, username in logins.items():
        _login(page, live_server, username)
        links = page.eval_on_selector_all("nav.nav a[data-menu]", "els => els.map(e => e.getAttribute('href'))")
        user = User.objects.get(username=username)
        assert links == [item["url"] for item in menu_for(user)], role
        for href in links:
            response = page.goto(f"{live_server.url}{href}")
            assert response.status == 200, (role, href, response.status)
            if not href.startswith("/admin/"):  # Django's admin has its own header
                assert page.locator("nav.nav a[data-menu]").count() == len(links), (role, href)  # same menu everywhere
        menus[role] = links
    assert "/staff/imports/" not in menus["department staff"]  # the drift issue 13 found: it refused them
    assert "/staff/imports/" in menus["central staff"] and "/staff/imports/" in menus["admin"]
    assert "/me/" in menus["student"] and "/certification/" in menus["student"]
    assert not {"/staff/", "/students/", "/advising/"} & set(menus["student"])
    assert "/staff/" not in menus["advisor"] and "/advising/" in menus["advisor"]
    assert "/rules/" in menus["admin"] and "/rules/" not in menus["central staff"]
    # the Korean labels of the menu, as a student reads them
    _login(page, live_server, logins["student"])
    assert page.inner_text("nav.nav a[data-menu='careers:dashboard']") == "나의 경력"
