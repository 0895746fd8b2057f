"""Issue 10 §1: a student's standing never disappears silently.

Every kind of entry, entered the way the portal takes it (a student's forms, staff approval,
campus-system imports, a counselor's session log, the certification committee's points), leaves
every program of the student answering; a program that does not score a kind shows it as an item
"not scored by this program". An evaluation that still fails keeps the last good result, marked
stale with the error, on the student's card, the staff home, the admin pages and the rule preview.
"""
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.models import Role
from careers.demo import pdf_bytes
from careers.kinds import KIND_FORMS, STUDENT_KINDS
from careers.models import CareerEntry, EntryStatus
from certification.models import CommitteeMembership
from scoring.models import StoredResult
from scoring.services import recompute_student
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user, write_intro

pytestmark = pytest.mark.django_db

ALL_PROGRAMS = ["career-mileage", "du-heart", "hankyong-grad-cert"]
NOT_SCORED_KO = "이 프로그램에서 점수를 주지 않는 항목"

# One valid input per student kind, as a student types it into the form (careers/tests/test_kinds.py).
STUDENT_INPUT = {
    "language_test": {"test": "TOEIC", "score": "705", "date": "2024-03-10"},
    "certificate": {"name": "방재기사", "category": "national_technical", "tier": "기사", "date": "2024-06-01"},
    "award": {"title": "공공데이터 공모전", "organizer": "행정안전부", "scale": "national_1", "prize": "excellence",
              "team_size": "3", "date": "2024-09-01"},
    "paper": {"title": "센서 이상치 탐지", "venue": "kci", "format": "paper", "role": "first", "authors": "2",
              "date": "2024-05-01"},
    "program": {"title": "취업 캠프", "hours": "12", "category": "employment", "provider": "campus", "date": "2024-07-01"},
    "volunteer": {"organization": "대한적십자사", "hours": "8", "verified_by": "1365", "date": "2024-08-01"},
    "internship": {"organization": "LG전자", "start": "2024-07-01", "end": "2024-08-31"},
    "overseas_study": {"type": "exchange", "provider": "campus", "start": "2024-03-01", "end": "2024-06-30"},
    "leadership": {"organization": "club", "role": "president", "semesters": "2", "date": "2024-06-30"},
    "lab_service": {"months": "6", "date": "2024-06-30"},
    "patent": {"title": "스마트 화분", "type": "patent", "date": "2024-04-01"},  # + filed (the form's field)
    "employment": {"employer": "네이버", "start": "2024-09-01"},
    "startup": {"company": "코드랩", "business_registration_no": "123-45-67890", "date": "2024-02-01"},
    "activity": {"title": "졸업작품전", "type": "exhibition", "result": "entered", "count": "1", "date": "2024-11-01"},
}


def _patent_input():
    # The patent form names the filed/registered field `status` (stored data) or `stage`: whichever
    # the form has, the contract receives it as `stage` and the review as `status`.
    field = "stage" if "stage" in KIND_FORMS["patent"].base_fields else "status"
    return {**STUDENT_INPUT["patent"], field: "filed"}


@pytest.fixture
def senior():
    """A 10-3 student in the graduation semester at a Hankyong that (for this test) also runs DU-HEART."""
    m = major("10-3")
    institution = m.department.campus.institution
    institution.programs = ALL_PROGRAMS
    institution.save(update_fields=["programs"])
    student = StudentFactory(major=m, admission_year=2022, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20))
    write_intro(student)
    return student


def _entry_id(response):
    match = re.search(r"/entries/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_every_kind_through_the_portal_leaves_every_program_answering(client, senior,
                                                                      django_capture_on_commit_callbacks):
    reviewer = staff_user(department=senior.major.department)
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    committee = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=committee, major=senior.major, chair=True)
    ids = {}
    with django_capture_on_commit_callbacks(execute=True):
        # 1. the student enters each kind through its form, uploads the evidence and submits
        client.force_login(senior.user)
        for kind in STUDENT_KINDS:
            data = _patent_input() if kind == "patent" else STUDENT_INPUT[kind]
            created = client.post(f"/me/entries/new/{kind}/", data)
            assert created.status_code == 302, (kind, created.content.decode()[:2000])
            pk = _entry_id(created)
            if KIND_FORMS[kind].requires_evidence:
                client.post(f"/entries/{pk}/evidence/", {"file": SimpleUploadedFile(f"{kind}.pdf", pdf_bytes())})
            client.post(f"/entries/{pk}/submit/")
            assert CareerEntry.objects.get(pk=pk).status == EntryStatus.SUBMITTED, kind
            ids[kind] = pk
        # 2. staff approve each on the entry page
        client.force_login(reviewer)
        for kind, pk in ids.items():
            client.post(f"/entries/{pk}/approve/", {"reason": ""})
            assert CareerEntry.objects.get(pk=pk).status == EntryStatus.APPROVED, kind
        # 3. campus systems: a course and a 인성교육 session by the staff import page
        client.force_login(admin)
        for source, text in [
            ("academic_records", f"학번,교과목명,성적,이수일\n{senior.student_no},진로선택과 취업준비,A+,2024-06-20\n"),
            ("character_education", f"학번,이수일,회차\n{senior.student_no},2024-04-01,1\n"),
        ]:
            upload = SimpleUploadedFile(f"{source}.csv", text.encode("utf-8"), content_type="text/csv")
            preview = client.post("/staff/imports/", {"source": source, "file": upload})
            assert 'id="import-commit"' in preview.content.decode(), preview.content.decode()[:3000]
            client.post("/staff/imports/commit/", {"source": source, "sha256": preview.context["batch"].sha256,
                                                   "file_name": f"{source}.csv"})
        # 4. a counseling session logged by a counselor (admin: every session type)
        client.post(f"/advising/students/{senior.pk}/sessions/new/", {"type": "mentor", "date": "2024-04-01",
                                                                      "notes": "진로 상담"})
        # 5. the certification committee grants points (a `manual` entry) after the student applies
        client.force_login(senior.user)
        client.post("/certification/apply/", {})
        from certification.models import Application

        application = Application.objects.get(student=senior)
        client.force_login(committee)
        client.post(f"/certification/applications/{application.pk}/points/",
                    {"area": "committee", "points": "0.5", "reason": "학회 발표"})

    kinds = set(CareerEntry.objects.filter(student=senior, status=EntryStatus.APPROVED).values_list("kind", flat=True))
    assert kinds == set(KIND_FORMS), set(KIND_FORMS) - kinds  # every kind arrived, approved

    results = {r.program: r for r in StoredResult.objects.filter(student=senior)}
    assert sorted(results) == ALL_PROGRAMS
    entry_ids = {str(pk) for pk in CareerEntry.objects.filter(student=senior).values_list("pk", flat=True)}
    for program, stored in results.items():
        assert stored.error == "" and stored.stale_since is None and stored.has_result, (program, stored.error)
        # every entry is an item of every program: scored, or shown with the reason it is not
        assert entry_ids <= {i["entry_id"] for i in stored.result["items"]}, program
    manual = str(CareerEntry.objects.get(student=senior, kind="manual").pk)
    patent = ids["patent"]
    for program in ("career-mileage", "du-heart"):
        item = next(i for i in results[program].result["items"] if i["entry_id"] == manual)
        assert not item["counted"] and item["points"] == 0 and item["reason"].startswith(NOT_SCORED_KO), item
    cm_patent = next(i for i in results["career-mileage"].result["items"] if i["entry_id"] == patent)
    assert cm_patent["counted"] and cm_patent["points"] == 10, cm_patent  # 출원 10 (patent_points)
    grad_manual = next(i for i in results["hankyong-grad-cert"].result["items"] if i["entry_id"] == manual)
    assert grad_manual["counted"] and grad_manual["points"] == 0.5

    # the student's dashboard shows a card per program, none of them marked stale
    client.force_login(senior.user)
    page = client.get("/me/").content.decode()
    for program in ALL_PROGRAMS:
        assert f'data-program="{program}"' in page
    assert "최신 결과가 아님" not in page


# ------------------------------------------------------------------ stale results
@pytest.fixture
def evaluated(senior):
    """The senior with a good result in every program (a TOEIC 705)."""
    entry(senior, status=EntryStatus.APPROVED, data={"test": "TOEIC", "score": 705}, date=datetime.date(2024, 3, 10))
    recompute_student(student_id=senior.pk)
    return senior


def _break(student):
    """An entry the engine refuses for the whole student, as a campus-system import could store it
    without the form (a TOEIC score off the test's scale)."""
    return entry(student, status=EntryStatus.APPROVED, data={"test": "TOEIC", "score": 1500},
                 date=datetime.date(2024, 5, 10))


def test_a_failed_evaluation_keeps_the_last_good_result_marked_stale(client, evaluated):
    before = {r.program: (r.total, r.result) for r in StoredResult.objects.filter(student=evaluated)}
    _break(evaluated)
    recompute_student(student_id=evaluated.pk)
    after = {r.program: r for r in StoredResult.objects.filter(student=evaluated)}
    assert sorted(after) == ALL_PROGRAMS  # nothing vanished
    for program, stored in after.items():
        assert (stored.total, stored.result) == before[program]  # the last good result, unchanged
        assert "score" in stored.error and stored.stale_since is not None, stored.error
    first_failure = after["career-mileage"].stale_since

    # the student's card says it is not the latest and why
    client.force_login(evaluated.user)
    page = client.get("/me/").content.decode()
    assert page.count("최신 결과가 아님") == 3
    assert "score" in page

    # failing again keeps the date of the first failure; a good evaluation clears the mark
    recompute_student(student_id=evaluated.pk)
    assert StoredResult.objects.get(student=evaluated, program="career-mileage").stale_since == first_failure
    CareerEntry.objects.filter(student=evaluated, data__score=1500).update(data={"test": "TOEIC", "score": 905})
    recompute_student(student_id=evaluated.pk)
    fixed = str(CareerEntry.objects.get(student=evaluated, data__score=905).pk)
    for stored in StoredResult.objects.filter(student=evaluated):
        assert (stored.error, stored.stale_since) == ("", None)
        assert fixed in {i["entry_id"] for i in stored.result["items"]}  # the new, good result
    assert "최신 결과가 아님" not in client.get("/me/").content.decode()


def test_a_student_never_evaluated_successfully_is_still_counted(client, senior):
    _break(senior)
    recompute_student(student_id=senior.pk)
    rows = list(StoredResult.objects.filter(student=senior))
    assert sorted(r.program for r in rows) == ALL_PROGRAMS
    assert all(not r.has_result and r.error for r in rows)
    client.force_login(senior.user)
    assert client.get("/me/").content.decode().count("아직 결과가 없음") == 3


def test_staff_and_admin_pages_count_and_list_stale_results(client, evaluated):
    _break(evaluated)
    recompute_student(student_id=evaluated.pk)
    reviewer = staff_user(department=evaluated.major.department)
    client.force_login(reviewer)
    home = client.get("/staff/").content.decode()
    assert 'id="stale-results"' in home and evaluated.student_no in home and "score" in home
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in ("/rules/", "/rules/runs/"):
        page = client.get(url).content.decode()
        assert 'id="stale-results"' in page and evaluated.student_no in page, url
    listed = client.get("/admin/scoring/storedresult/", {"stale": "yes"}).content.decode()
    assert evaluated.student_no in listed
    # staff of another department do not see this student in their count
    other = staff_user(department=major("1-1").department)
    client.force_login(other)
    assert evaluated.student_no not in client.get("/staff/").content.decode()


def test_the_rule_preview_lists_who_cannot_be_evaluated_and_why(client, evaluated):
    from scoring import rulesets

    _break(evaluated)
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    text = rulesets.current_text("career-mileage", "rules.yaml")
    revision = rulesets.save_draft(actor=admin, program="career-mileage", path="rules.yaml",
                                   text=text + "\n# a comment only\n")
    summary = rulesets.run_preview(revision_id=revision.pk)
    assert summary["errors"] >= 1
    listed = {e["student_no"]: e["error"] for e in summary["error_examples"]}
    assert "score" in listed[evaluated.student_no]
    client.force_login(admin)
    page = client.get(f"/rules/revisions/{revision.pk}/").content.decode()
    shown = page[page.index('id="preview-errors"'):]
    assert evaluated.student_no in shown and "평가 불가" in shown and listed[evaluated.student_no] in shown


def test_a_defect_in_the_engine_marks_the_result_stale_instead_of_failing_the_approval(evaluated, monkeypatch):
    import scoring.services

    def crash(doc, rules_dir=None):
        raise TypeError("'<' not supported between instances of 'NoneType' and 'int'")

    monkeypatch.setattr(scoring.services, "evaluate", crash)
    recompute_student(student_id=evaluated.pk)  # does not raise
    for stored in StoredResult.objects.filter(student=evaluated):
        assert stored.has_result and stored.error.startswith("internal error (TypeError)")


def test_committee_points_stored_before_they_named_their_program_get_it(senior):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("careers.migrations.0003_committee_points_name_their_program")
    old = CareerEntry.objects.create(student=senior, kind="manual", status=EntryStatus.APPROVED,
                                     date=datetime.date(2025, 11, 1), created_by=senior.user,
                                     data={"area": "committee", "points": 2, "reason": "학회 발표"},
                                     source="committee:1")
    migration.name_the_program(apps, None)
    old.refresh_from_db()
    assert old.data["program"] == "hankyong-grad-cert"
    recompute_student(student_id=senior.pk)
    du_heart = StoredResult.objects.get(student=senior, program="du-heart")
    assert du_heart.total == 0  # no longer paid by DU-HEART's own committee area
