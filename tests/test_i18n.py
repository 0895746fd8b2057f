"""Messages after an action come in the viewer's language, whichever language ran first."""
import pytest
from django.conf import settings
from django.utils import translation

from careers.models import EntryStatus
from tests.factories import StudentFactory, entry, staff_user, write_intro

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_staff_reads_the_approval_message_in_the_language_they_chose(client):
    student = StudentFactory()
    write_intro(student)
    staff = staff_user(department=student.major.department)
    first, second = (entry(student, status=EntryStatus.SUBMITTED) for _ in range(2))
    client.force_login(staff)

    # Korean first: the message texts are looked up now, not when the module was imported.
    response = client.post(f"/entries/{first.pk}/approve/", {"reason": ""}, follow=True)
    assert _messages(response) == ["승인되었습니다."]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        response = client.post(f"/entries/{second.pk}/approve/", {"reason": ""}, follow=True)
    assert _messages(response) == ["Approved."]


def test_the_student_is_told_in_korean_whatever_language_staff_use(client):
    from audit.models import Notification

    student = StudentFactory()
    write_intro(student)
    staff = staff_user(department=student.major.department)
    item = entry(student, status=EntryStatus.SUBMITTED)
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        client.post(f"/entries/{item.pk}/reject/", {"reason": "사본이 흐립니다"}, follow=True)
    notice = Notification.objects.get(user=student.user)
    assert "반려" in notice.message and "rejected" not in notice.message


def test_a_refused_page_is_a_korean_portal_page_with_a_way_back(client):
    student = StudentFactory()
    client.force_login(student.user)
    response = client.get("/staff/queue/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "접근 권한이 없습니다" in body and "처음 화면으로" in body and 'class="topbar"' in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Not allowed" in client.get("/staff/queue/").content.decode()


def test_a_missing_page_is_a_korean_portal_page(client):
    student = StudentFactory()
    client.force_login(student.user)
    response = client.get("/entries/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()
