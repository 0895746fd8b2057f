"""Priority list and hiring-condition search (seed 000), with Excel export."""
import io

import pytest
from openpyxl import load_workbook

from careers.models import EntryStatus
from scoring.services import recompute_student
from tests.factories import StudentFactory, entry, staff_user

from .conftest import RECENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(daegu_major):
    def make(level, tests, certs=()):
        s = StudentFactory(major=daegu_major, year_level=level, admission_year=2021)
        for data in tests:
            entry(s, data=data, status=EntryStatus.APPROVED, date=RECENT)
        for name in certs:
            entry(s, kind="certificate", status=EntryStatus.APPROVED, date=RECENT,
                  data={"name": name, "grade": "", "category": "national_technical", "tier": "기사"})
        recompute_student(student_id=s.pk)
        return s
    return {
        "toeic_850_cert": make(3, [{"test": "TOEIC", "score": 850}], ["정보처리기사"]),
        "jlpt_n1": make(3, [{"test": "JLPT", "grade": "N1"}]),  # N1 converts like TOEIC 900
        "toeic_620": make(4, [{"test": "TOEIC", "score": 620}], ["정보처리기사"]),
        "nothing": make(2, []),
    }


def test_language_condition_converts_every_test(client, office, candidates):
    client.force_login(office)
    body = client.get("/scholarships/staff/hiring/", {"min_language": "800"}).content.decode()
    assert candidates["toeic_850_cert"].student_no in body and candidates["jlpt_n1"].student_no in body
    assert candidates["toeic_620"].student_no not in body and candidates["nothing"].student_no not in body


def test_all_conditions_must_hold_and_the_export_has_the_same_students(client, office, candidates):
    client.force_login(office)
    query = {"min_language": "600", "certificates": "정보처리기사", "year_levels": ["3"]}
    body = client.get("/scholarships/staff/hiring/", query).content.decode()
    assert body.count("<tr data-student=") == 1 and candidates["toeic_850_cert"].student_no in body
    export = client.get("/scholarships/staff/hiring/", {**query, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [candidates["toeic_850_cert"].student_no]


def test_priority_list_orders_by_career_mileage(client, office, candidates):
    client.force_login(office)
    body = client.get("/scholarships/staff/priority/").content.decode()
    order = [s.student_no for s in sorted(candidates.values(), key=lambda s: -s.results.get(
        program="career-mileage").total)]
    positions = [body.index(n) for n in order]
    assert positions == sorted(positions)


def test_staff_see_only_their_scope(client, candidates):
    from tests.factories import major

    client.force_login(staff_user(department=major("2-2").department))
    body = client.get("/scholarships/staff/hiring/", {"min_language": ""}).content.decode()
    assert not any(s.student_no in body for s in candidates.values())
    client.force_login(candidates["nothing"].user)
    assert client.get("/scholarships/staff/priority/").status_code == 403


def test_priority_list_shows_the_language_the_hiring_search_shows(client, office, candidates):
    client.force_login(office)
    student = candidates["toeic_850_cert"]
    row = _row(client.get("/scholarships/staff/priority/").content.decode(), student.student_no)
    searched = _row(client.get("/scholarships/staff/hiring/", {"min_language": "800"}).content.decode(),
                    student.student_no)
    assert row.rsplit("<td>", 1)[1] == searched.rsplit("<td>", 1)[1] != "—</td></tr>"
    export = client.get("/scholarships/staff/priority/", {"export": "xlsx"})
    rows = {r[0]: r for r in load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True)}
    assert rows[student.student_no][-1] is not None


def _row(body, student_no):
    start = body.index(f'<tr data-student="{student_no}">')
    return body[start:body.index("</tr>", start) + 5]


def test_a_certificate_condition_finds_every_spelling_of_the_name(client, office, daegu_major):
    # the certificate catalogue: '컴활' is 컴퓨터활용능력, 'MOS(MASTER)' is MOS Master
    typed = StudentFactory(major=daegu_major, year_level=3, admission_year=2021)
    entry(typed, kind="certificate", status=EntryStatus.APPROVED, date=RECENT,
          data={"name": "컴활", "grade": "1급", "category": "national_technical", "tier": "서비스1급"})
    other = StudentFactory(major=daegu_major, year_level=3, admission_year=2021)
    entry(other, kind="certificate", status=EntryStatus.APPROVED, date=RECENT,
          data={"name": "워드프로세서", "grade": "", "category": "national_technical"})
    client.force_login(office)
    body = client.get("/scholarships/staff/hiring/", {"certificates": "컴퓨터활용능력"}).content.decode()
    assert typed.student_no in body and other.student_no not in body
