"""Approving, rejecting or revoking an entry recomputes the student's stored results after commit."""
import datetime

import pytest

from accounts.models import Institution
from careers import services
from careers.demo import pdf_bytes
from django.core.files.uploadedfile import SimpleUploadedFile
from scoring.models import StoredResult
from tests.factories import StudentFactory, major, staff_user, write_intro

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit hooks must really run
# DU-HEART counts an achievement submitted within 2 years of it (seed 002), so a recent test date.
RECENT = (datetime.date.today() - datetime.timedelta(days=40)).isoformat()


@pytest.fixture
def daegu_student():
    inst = Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])
    campus = inst.campuses.create(code="gyeongsan", name="경산캠퍼스")
    dep = campus.departments.create(name="정보통신공학부")
    m = dep.majors.create(name="컴퓨터정보공학전공")
    student = StudentFactory(major=m, admission_year=2021)
    write_intro(student)
    return student


def submitted_toeic(student, score, date):
    e = services.entry_create(actor=student.user, student=student, kind="language_test",
                              data={"test": "TOEIC", "score": score, "date": date})
    services.evidence_add(actor=student.user, entry=e, uploaded_file=SimpleUploadedFile("t.pdf", pdf_bytes()))
    return services.entry_submit(actor=student.user, entry=e)


def test_approval_stores_each_programs_result_with_its_trace(daegu_student):
    staff = staff_user(department=daegu_student.major.department)
    e = submitted_toeic(daegu_student, 705, RECENT)
    assert not StoredResult.objects.filter(student=daegu_student).exists()
    services.entry_approve(actor=staff, entry=e)
    results = {r.program: r for r in StoredResult.objects.filter(student=daegu_student)}
    assert set(results) == {"du-heart", "career-mileage"}
    du = results["du-heart"]
    assert du.total == 300 and du.ruleset and du.ruleset_version
    item = du.items_by_entry()[str(e.pk)][0]
    assert item["counted"] and item["points"] == 300 and "TOEIC" in item["reason"]

    services.entry_revoke(actor=staff, entry=e, reason="원본 불일치")
    du.refresh_from_db()
    assert du.total == 0
    assert not du.items_by_entry()[str(e.pk)][0]["counted"]


def test_an_achievement_submitted_over_two_years_later_earns_nothing_and_says_why(daegu_student):
    staff = staff_user(department=daegu_student.major.department)
    old = (datetime.date.today() - datetime.timedelta(days=365 * 2 + 30)).isoformat()
    e = submitted_toeic(daegu_student, 905, old)
    services.entry_approve(actor=staff, entry=e)
    du = StoredResult.objects.get(student=daegu_student, program="du-heart")
    item = du.items_by_entry()[str(e.pk)][0]
    assert du.total == 0 and not item["counted"] and item["reason"]


def test_dashboard_shows_the_points_side_by_side(client, daegu_student):
    staff = staff_user(department=daegu_student.major.department)
    e = submitted_toeic(daegu_student, 810, RECENT)
    services.entry_approve(actor=staff, entry=e)
    client.force_login(daegu_student.user)
    body = client.get("/me/").content.decode()
    assert 'id="standing"' in body and 'data-program="du-heart"' in body and 'data-program="career-mileage"' in body
    assert "+400" in body  # TOEIC 800+ earns 400 DU-HEART points (seed 002)


def test_the_batch_path_stores_what_the_single_path_would(daegu_student):
    from careers.models import CareerEntry, EntryStatus
    from scholarships.models import LedgerEntry
    from scoring.services import recompute_student, recompute_students

    others = [StudentFactory(major=daegu_student.major, admission_year=2021) for _ in range(3)]
    students = [daegu_student, *others]
    CareerEntry.objects.bulk_create([
        CareerEntry(student=s, kind="language_test", data={"test": "TOEIC", "score": 600 + 100 * i},
                    date=RECENT, submitted_on=RECENT, status=EntryStatus.APPROVED, created_by=s.user)
        for i, s in enumerate(students)])
    assert recompute_students(student_ids=[s.pk for s in students]) == 4
    batch = {(r.student_id, r.program): r.result for r in StoredResult.objects.all()}
    ledger = LedgerEntry.objects.count()
    assert len(batch) == 8 and ledger == 4  # one accrual per TOEIC
    for s in students:
        recompute_student(student_id=s.pk)
    single = {(r.student_id, r.program): r.result for r in StoredResult.objects.all()}
    assert single == batch
    assert LedgerEntry.objects.count() == ledger  # nothing left to accrue


def test_a_large_chunk_writes_the_same_ledger_rows_as_one_student_at_a_time(daegu_student):
    """Over scholarships.services.COPY_FROM new rows go by COPY; the rows must be the ones the
    ordinary INSERT writes for the same results."""
    from careers.models import CareerEntry, EntryStatus
    from scholarships.models import LedgerEntry
    from scholarships.services import COPY_FROM
    from scoring.services import recompute_student, recompute_students

    def population():
        students = [StudentFactory(major=daegu_student.major, admission_year=2021) for _ in range(8)]
        CareerEntry.objects.bulk_create([
            CareerEntry(student=s, kind="program", date=RECENT, submitted_on=RECENT, status=EntryStatus.APPROVED,
                        data={"name": f"프로그램 {j}", "hours": 2 + j}, created_by=s.user)
            for s in students for j in range(15)])
        return students

    def rows(students):
        by_student = {s.pk: i for i, s in enumerate(students)}
        return sorted((by_student[r.student_id], r.kind, r.points, r.occurred_on, r.reason, r.ruleset_version)
                      for r in LedgerEntry.objects.filter(student__in=students))

    together, one_by_one = population(), population()
    recompute_students(student_ids=[s.pk for s in together])
    for s in one_by_one:
        recompute_student(student_id=s.pk)
    assert len(rows(together)) > COPY_FROM  # the COPY path was taken
    assert rows(together) == rows(one_by_one)
    assert all(r.created_at for r in LedgerEntry.objects.filter(student__in=together))
