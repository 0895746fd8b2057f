"""Issue 13 (h9): no engine code on the pages a student or the committee reads, the committee's
pass shown as passed, and the what-if planner that takes the student's own input."""
import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import Role
from careers.models import CareerEntry
from certification import planner, services
from certification.models import CommitteeMembership
from scoring import labels
from scoring.engine import evaluate
from scoring.inputs import student_document
from tests.factories import StudentFactory, UserFactory, entry, major

pytestmark = pytest.mark.django_db

# What the engine writes and no page should: dotted rule ids, snake_case codes, upper-case
# test codes with an underscore, entry ids.
DOTTED = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z_]+(?:\.[A-Za-z_]+)*\b")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
UPPER_CODE = re.compile(r"\b[A-Z]+_[A-Z_]+\b")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CODES = ["language.english.TOEIC", "certificate.computer", "service.hours", "not_in_table", "capstone_entry",
         "TOEFL_IBT", "awarded"]


def visible_text(body):
    """The words of the page's content (<main>): no scripts, styles, tags or attributes
    (tooltips are quiet); the footer's project name is not an engine code."""
    if "<main" in body:
        body = body[body.index("<main"):]
    body = body.split("</main>")[0]
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", body)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", body))


def assert_no_codes(body):
    text = visible_text(body)
    for pattern in (DOTTED, SNAKE, UPPER_CODE, UUID):
        assert not pattern.findall(text), (pattern.pattern, pattern.findall(text)[:5])
    for code in CODES:
        assert code not in text
    assert not re.search(r"\bgpa\b", text)


@pytest.fixture
def senior():
    """10-3 in the graduation semester: two TOEIC results (the lower one refused, naming the
    better entry), a certificate the major's table does not list, a GPA row."""
    student = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20), gpa="2.50")
    entry(student, status="approved", data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    entry(student, status="approved", data={"test": "TOEIC", "score": 600}, date=datetime.date(2024, 5, 10))
    entry(student, kind="certificate", status="approved", date=datetime.date(2025, 1, 10),
          data={"name": "바리스타", "grade": "2급", "category": "private"})
    return student


@pytest.fixture
def member(senior):
    user = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=user, major=senior.major, chair=True)
    return user


def test_rule_ids_read_as_words_in_korean_and_english():
    with translation.override("ko"):
        assert labels.rule_label("not_in_table") == "전공 배점표에 없는 항목"
        # the rule set's own title comes first: 10-3's table calls it 선택영역 외
        assert labels.rule_label("not_in_table", ruleset="hankyong/10-3", program="hankyong-grad-cert") == "선택영역 외"
        assert labels.rule_label("language.english.TOEIC", ruleset="hankyong/10-3",
                                 program="hankyong-grad-cert") == "외국어 · TOEIC"
        assert labels.rule_label("service.hours") == "봉사 시간"
        assert labels.rule_label("gpa") == "평점평균"
        assert labels.rule_label("some.unknown_rule") == "기타 활동"
        assert labels.candidate_label({"kind": "activity", "type": "capstone_entry", "result": "awarded"}) \
            == "캡스톤디자인 출품 (수상)"
        assert labels.candidate_label({"kind": "language_test", "test": "TOEFL_IBT", "score": 100}) == "TOEFL iBT 100"
    with translation.override("en"):
        assert labels.rule_label("not_in_table") == "Not in the major's table"
        assert labels.rule_label("certificate.computer") == "Computer certificate"
        assert labels.rule_label("language.english.TOEIC") == "English · TOEIC"


def test_a_reason_naming_an_entry_shows_the_entry():
    uid = "0b7f3c3e-1111-2222-3333-444455556666"
    with translation.override("ko"):
        assert labels.readable_reason(f"x as {uid}, which", {uid: "TOEIC 705"}) == "x as “TOEIC 705”, which"
        assert labels.readable_reason(f"x as {uid}") == "x as 다른 실적"
        assert labels.readable_reason("TOEFL_IBT 100 (≥ 90) → 3.0") == "TOEFL iBT 100 (≥ 90) → 3.0"


def test_the_committee_page_and_the_students_pages_show_no_engine_codes(client, senior, member):
    application = services.apply(actor=senior.user, student=senior)
    rules = {i["rule"] for i in application.engine_result["items"]}
    assert {"language.english.TOEIC", "gpa"} <= rules  # the codes are there to hide
    certificate_rule = next(i["rule"] for i in application.engine_result["items"] if i["rule"].startswith("certificate"))
    assert any(UUID.search(i["reason"]) for i in application.engine_result["items"])

    client.force_login(member)
    body = client.get(f"/certification/applications/{application.pk}/").content.decode()
    with translation.override("ko"):
        certificate_words = labels.rule_label(certificate_rule, ruleset="hankyong/10-3", program="hankyong-grad-cert")
    assert "외국어 · TOEIC" in body and certificate_words in body and "바리스타 2급" in body
    assert_no_codes(body)
    assert_no_codes(client.get("/certification/committee/", {"semester": application.semester}).content.decode())

    client.force_login(senior.user)
    body = client.get("/certification/").content.decode()
    assert_no_codes(body)
    assert "“TOEIC 705”" in visible_text(body)  # the refused lower score names the better entry
    assert_no_codes(client.get("/certification/", {"test": "TOEFL_IBT", "score": "100"}).content.decode())
    dashboard = client.get("/me/").content.decode()
    assert_no_codes(dashboard)
    assert "hankyong/10-3" not in visible_text(dashboard)  # the version tag is only a tooltip


def test_after_the_committee_passes_her_the_page_says_certified(client, senior, member):
    application = services.apply(actor=senior.user, student=senior)
    assert application.engine_result["passed"] is False  # the engine alone says not yet
    client.force_login(senior.user)
    body = visible_text(client.get("/certification/").content.decode())
    assert "아직 미충족" in body or "미충족" in body

    services.decide(actor=member, application=application, passed=True, reason="위원회 심사로 필수영역 인정")
    body = client.get("/certification/").content.decode()
    summary = visible_text(body.split('id="checklist"')[0])
    assert "평가위원회 인증 통과" in summary and "미충족" not in summary
    assert "위원회 심사로 필수영역 인정" in summary
    checklist = visible_text(body.split('id="checklist"')[1].split("</section>")[0])
    assert "✗" not in checklist and "평가위원회 판정으로 인정" in checklist
    assert 'id="planner"' not in body  # nothing left to plan

    from scoring.services import recompute_student

    recompute_student(student_id=senior.pk)
    dashboard = client.get("/me/").content.decode()
    card = visible_text(dashboard.split('data-program="hankyong-grad-cert"')[1].split("</article>")[0])
    assert "평가위원회 인증 통과" in card and "✗" not in card and "미충족" not in card


def test_typing_a_toeic_score_moves_the_total(client, senior):
    client.force_login(senior.user)
    doc = student_document(senior, services.PROGRAM)
    now = evaluate(doc)["total"]
    response = client.get("/certification/", {"test": "TOEIC", "score": "800"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body  # htmx gets the planner's part only
    total = float(re.search(r'id="what-if-total">([\d.]+)<', body).group(1))
    assert total > now
    assert total == evaluate(planner._with(doc, [{"kind": "language_test", "test": "TOEIC", "score": 800,
                                                  "date": doc["as_of"]}]))["total"]
    # the required area is still open: the page says so rather than 충족
    verdict = re.search(r'id="what-if-verdict">([^<]+)<', body).group(1)
    assert verdict != "충족 요건을 충족합니다" and "요건 충족" not in verdict
    assert "아직 남은 요건" in visible_text(body)


def test_picked_achievements_from_the_majors_table_count(client, senior):
    client.force_login(senior.user)
    doc = student_document(senior, services.PROGRAM)
    choices = dict(planner.choices(doc))
    certificates = dict(choices["우리 전공 배점표의 자격증"] if "우리 전공 배점표의 자격증" in choices
                        else next(iter(choices.values())))
    token = next(t for t, label in certificates.items() if label.startswith("정보처리기사"))
    body = client.get("/certification/", {"pick": token}, HTTP_HX_REQUEST="true").content.decode()
    total = float(re.search(r'id="what-if-total">([\d.]+)<', body).group(1))
    assert total > evaluate(doc)["total"]


def test_bad_planner_input_names_the_field_and_stores_nothing(client, senior):
    client.force_login(senior.user)
    before = CareerEntry.objects.filter(student=senior).count()
    body = visible_text(client.get("/certification/", {"test": "TOEIC", "score": "1200"}).content.decode())
    assert "점수: TOEIC은(는) 10~990점입니다." in body
    body = visible_text(client.get("/certification/", {"test": "OPIC", "score": "XX"}).content.decode())
    assert "점수: OPIc은(는) 등급제입니다." in body
    body = visible_text(client.get("/certification/", {"test": "NOPE", "score": "1"}).content.decode())
    assert "시험: 목록에 있는 시험을 고르세요." in body
    body = visible_text(client.get("/certification/", {"pick": "certificate:없는 자격증"}).content.decode())
    assert "실적: 목록에서 고르세요." in body
    assert CareerEntry.objects.filter(student=senior).count() == before


def test_with_the_required_area_done_the_cheapest_sets_really_pass(senior):
    day = datetime.date(2025, 6, 1)
    entry(senior, kind="course", status="approved", date=day,
          data={"name": "진로선택과 취업준비", "grade": "A0", "credit_bearing": True})
    for month in (3, 5, 9, 11):
        entry(senior, kind="character_education", status="approved", data={}, date=datetime.date(2023, month, 2))
    doc = student_document(senior, services.PROGRAM)
    current = evaluate(doc)
    assert current["passed"] is False and all(r["met"] for r in current["requirements"])
    result = planner.plan(doc)
    assert result["options"] and all(option["passes"] for option in result["options"])
    sizes = [len(option["steps"]) for option in result["options"]]
    assert sizes == sorted(sizes) and sizes[0] == min(sizes)  # fewest achievements first
    for option in result["options"]:
        assert evaluate(planner._with(doc, [s["entry"] for s in option["steps"]]))["passed"] is True


def test_in_english_the_planner_and_the_committee_page_read_in_english(client, senior, member, settings):
    application = services.apply(actor=senior.user, student=senior)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(member)
    body = client.get(f"/certification/applications/{application.pk}/").content.decode()
    assert "English · TOEIC" in visible_text(body)
    assert_no_codes(body)
    client.force_login(senior.user)
    body = client.get("/certification/", {"test": "TOEFL_IBT", "score": "100"}).content.decode()
    text = visible_text(body.split('id="planner"')[1].split("</section>")[0])
    assert "TOEFL iBT 100" in text and "Still missing:" in text, text
    assert_no_codes(body)


def test_the_planner_takes_an_hsk_or_jlpt_score_beside_the_level():
    """HSK and JLPT report a total beside the level, which the entry form takes: so does the planner."""
    day = datetime.date(2026, 6, 1)
    assert planner.typed_test("HSK", "5급 210", day) == {
        "kind": "language_test", "test": "HSK", "grade": "5", "score": 210, "date": day}
    assert planner.typed_test("JLPT", "N2 120", day)["score"] == 120
    assert "score" not in planner.typed_test("HSK", "5급", day)  # the level alone, as before
    with translation.override("ko"):
        with pytest.raises(ValidationError) as error:
            planner.typed_test("HSK", "5급 400", day)
        assert error.value.message_dict == {"score": ["점수: HSK 5 점수는 0점부터 300점까지입니다."]}
        with pytest.raises(ValidationError) as error:
            planner.typed_test("HSK", "210", day)
        assert "5급" not in error.value.message_dict["score"][0] and "6 210" in error.value.message_dict["score"][0]


def test_an_hsk_score_moves_the_what_if_total_where_the_major_reads_it(client):
    """3-3 prints HSK "4급(195-)" above "4급(180-)": typing the score reaches the higher row."""
    student = StudentFactory(major=major("3-3"), admission_year=2022, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20), gpa="2.50")
    client.force_login(student.user)

    def what_if(score):
        body = client.get("/certification/", {"test": "HSK", "score": score}, HTTP_HX_REQUEST="true").content.decode()
        assert 'id="what-if-total"' in body, visible_text(body)[:500]
        return float(re.search(r'id="what-if-total">([\d.]+)<', body).group(1))

    assert what_if("4급 195") > what_if("4급")
    body = visible_text(client.get("/certification/", {"test": "HSK", "score": "4급 400"}).content.decode())
    assert "점수: HSK 4 점수는 0점부터 300점까지입니다." in body
