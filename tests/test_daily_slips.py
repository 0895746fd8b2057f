"""Issue 13 slips: the window button says what it does, a form error shows once (beside its field,
named in the summary), and the self-introduction's minimum is stated before the first save with a
live count."""
import html
import re

import pytest
from django.conf import settings

from tests.factories import StudentFactory, major, staff_user

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_button_that_opens_a_window_says_so(client):
    office = staff_user(institution=major().department.campus.institution, central_office="학생지원팀")
    client.force_login(office)
    body = client.get("/scholarships/staff/windows/").content.decode()
    buttons = [html.unescape(b).strip() for b in re.findall(r"<button[^>]*>(.*?)</button>", body, re.S)]
    assert "신청 기간 열기" in buttons
    assert "진행 중" not in buttons


def test_an_entry_form_error_is_shown_once_and_the_summary_names_the_field(client):
    student = StudentFactory()
    client.force_login(student.user)
    response = client.post("/me/entries/new/language_test/", {"test": "TOEIC", "score": "", "date": "2025-05-11"})
    body = response.content.decode()
    errors = re.findall(r'<p class="error"[^>]*>(.*?)</p>', body, re.S)
    assert errors, body
    for error in errors:
        assert body.count(error) == 1, error  # not repeated in the summary
    summary = re.search(r'<div class="msg msg-error"[^>]*id="form-errors".*?</div>', body, re.S).group(0)
    assert 'href="#id_score"' in summary and "점수" in html.unescape(summary)


def test_a_self_introduction_error_is_shown_once(client):
    student = StudentFactory()
    client.force_login(student.user)
    response = client.post("/me/self-introduction/", {"job_fields": ["it"], "text": "짧은 글"})
    page = text(response)
    error = f"최소 {settings.SELF_INTRO_MIN_CHARS}자"
    matches = re.findall(r"자기소개서: [^<]*", response.content.decode())
    assert len(matches) == 1, matches
    assert error in page


def test_the_self_introduction_minimum_is_stated_before_the_first_save_with_a_count(client):
    student = StudentFactory()
    client.force_login(student.user)
    response = client.get("/me/self-introduction/")
    body = response.content.decode()
    page = text(response)
    assert f"최소 {settings.SELF_INTRO_MIN_CHARS}자 이상 작성하십시오" in page
    counter = re.search(r'<p class="char-count warn" id="text-count"[^>]*>.*?</p>', body, re.S).group(0)
    assert 'data-count-for="id_text"' in counter and f'data-count-min="{settings.SELF_INTRO_MIN_CHARS}"' in counter
    assert "0자 작성" in text_of(counter)
    assert "<script>" not in body and "oninput" not in body  # the count runs from static/js/portal.js


def test_the_counter_counts_what_was_sent_back(client):
    student = StudentFactory()
    client.force_login(student.user)
    response = client.post("/me/self-introduction/", {"job_fields": ["it"], "text": "  가나다라마  "})
    counter = re.search(r'<p class="char-count warn" id="text-count".*?</p>', response.content.decode(), re.S).group(0)
    assert "5자 작성" in text_of(counter)


def text_of(fragment):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)))
