"""Imports from campus systems: good files, bad rows, the same file twice, dry runs, who may import."""
import datetime
import io
import os
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from accounts.models import Campus, Department, Institution, Major, Role
from audit.models import AuditEvent
from careers.kinds import KIND_FORMS
from careers.models import CareerEntry, EntryStatus, StudentProfile
from imports import services
from imports.models import ImportBatch, ImportedRow
from tests.factories import StudentFactory, UserFactory, major, staff_user

pytestmark = pytest.mark.django_db

SAMPLES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "samples")


@pytest.fixture
def kim():
    return StudentFactory(student_no="2023000101", name="김하늘")


@pytest.fixture
def lee():
    return StudentFactory(student_no="2023000102", name="이바다")


@pytest.fixture
def office():
    return staff_user(central_office="취업지원팀")


def csv_file(text, name="drop.csv"):
    # Excel writes a BOM in front of UTF-8 CSV; campus exports usually carry one.
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows, name="drop.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


INTERNSHIPS = (
    "학번,성명,기관명,시작일,종료일,4대보험,학점인정\n"
    "2023000101,김하늘,한경테크,2024-07-01,2024-08-31,Y,예\n"
    "2023000102,이바다,안성시청,2024.01.02,2024.02.28,N,아니오\n"
)


def run(actor, source, upload, dry_run=False):
    return services.run_import(actor=actor, source=source, uploaded_file=upload, dry_run=dry_run)


def test_good_csv_creates_approved_entries_marked_with_source_and_batch(kim, lee, office):
    result = run(office, "academic_office_internships", csv_file(INTERNSHIPS))
    batch = result.batch
    assert (batch.status, batch.row_count, batch.created_count, batch.skipped_count) == ("committed", 2, 2, 0)
    entry = CareerEntry.objects.get(student=kim)
    assert entry.kind == "internship" and entry.status == EntryStatus.APPROVED
    assert entry.source == "import:academic_office_internships"
    assert entry.decided_by == office and entry.created_by == office and entry.decided_at is not None
    assert entry.date == datetime.date(2024, 8, 31)  # an internship is recognised on its end date
    assert entry.data == {"organization": "한경테크", "start": "2024-07-01", "end": "2024-08-31",
                          "health_insurance": True, "overseas": False, "credit_bearing": True,
                          "major_related": False}
    assert set(entry.data) <= set(KIND_FORMS["internship"].base_fields)  # the link is not in the data
    assert CareerEntry.objects.get(student=lee).data["start"] == "2024-01-02"
    rows = ImportedRow.objects.filter(batch=batch).order_by("row_number")
    assert [(r.row_number, r.entry.student_id) for r in rows] == [(2, kim.pk), (3, lee.pk)]
    event = AuditEvent.objects.get(action="import.batch")
    assert event.actor == office and event.object_id == str(batch.pk)
    assert event.data["created"] == 2 and event.data["skipped"] == 0 and event.data["sha256"] == batch.sha256
    assert entry.history.first().history_user == office


def test_results_are_recomputed_for_every_affected_student(kim, lee, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run(office, "academic_office_internships", csv_file(INTERNSHIPS))
    assert len(callbacks) == 2


def test_good_xlsx_with_english_headers_and_excel_cells(kim, office):
    upload = xlsx_file([
        ["student_no", "title", "organizer", "scale", "prize", "team_size", "date", "비고"],
        [2023000101, "창업 아이디어 경진대회", "학생복지처", "교내", "대상", 3, datetime.datetime(2024, 5, 20), "x"],
        [2023000101, "Campus Hackathon", "SW중심대학사업단", "campus", "excellence", None, "2024-06-01", None],
        [None, None, None, None, None, None, None, None],  # Excel leaves empty rows behind
    ])
    result = run(office, "student_welfare_awards", upload)
    assert result.batch.created_count == 2 and result.batch.row_count == 2
    first, second = CareerEntry.objects.filter(student=kim).order_by("date")
    assert first.data == {"title": "창업 아이디어 경진대회", "organizer": "학생복지처", "scale": "campus",
                          "prize": "grand", "team_size": 3, "major_related": False, "date": "2024-05-20",
                          # the award form's later check boxes (issue 10: facts the rules read), unticked
                          "academic_society": False, "overseas": False}
    assert second.data["prize"] == "excellence" and second.data["team_size"] == 1  # team size defaults to 1
    assert first.status == EntryStatus.APPROVED and first.source == "import:student_welfare_awards"


def test_a_file_with_bad_rows_imports_nothing_and_names_every_error(kim, lee, office):
    other = Institution.objects.create(code="elsewhere", name="다른대학교")
    dept = Department.objects.create(campus=Campus.objects.create(institution=other, code="main", name="본교"),
                                     name="경영학과")
    StudentFactory(student_no="2023999999", major=Major.objects.create(department=dept, name="경영학"))
    text = (
        "학번,성명,기관명,시작일,종료일,4대보험\n"
        "2023000101,김하늘,한경테크,2024-07-01,2024-08-31,Y\n"  # a good row: not imported either
        "2023000999,,한경테크,2024-07-01,2024-08-31,Y\n"
        "2023999999,,한경테크,2024-07-01,2024-08-31,Y\n"
        "2023000102,이바다,안성시청,2024-09-01,2024-08-31,Y\n"
        "2023000102,이바다,,2024-13-01,2024-08-31,아마도\n"
        "2023000102,홍길동,안성시청,2024-07-01,2024-08-31,N\n"
    )
    with pytest.raises(services.ImportRejected) as rejected:
        run(office, "academic_office_internships", csv_file(text))
    errors = [(e.row, e.column, e.message) for e in rejected.value.result.errors]
    assert errors == [
        (3, "학번", "등록되지 않은 학번입니다."),
        (4, "학번", "조회 권한이 없는 학생입니다."),
        (5, "종료일", "종료일은(는) 시작일과 같거나 그 이후여야 합니다."),
        (6, "4대보험", "Y 또는 N(예/아니오)으로 입력하세요."),
        (6, "기관명", "이 필드는 필수 항목입니다."),
        (6, "시작일", "올바른 날짜를 입력하세요."),
        (7, "성명", "학번 2023000102 학생의 이름은 이바다입니다."),
    ]
    assert str(rejected.value.result.errors[0]) == "3행 · 학번: 등록되지 않은 학번입니다."
    assert CareerEntry.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert ImportedRow.objects.count() == 0 and not AuditEvent.objects.filter(action="import.batch").exists()


def test_missing_columns_are_reported_on_the_header_row(kim, office):
    result = run(office, "academic_office_internships", csv_file("학번,기관명,시작일\n2023000101,한경테크,2024-07-01\n"),
                 dry_run=True)
    assert [str(e) for e in result.errors] == ["1행 · 종료일 (end): 필수 열이 없습니다."]


def test_the_same_file_twice_creates_nothing_the_second_time(kim, lee, office):
    first = run(office, "academic_office_internships", csv_file(INTERNSHIPS))
    second = run(office, "academic_office_internships", csv_file(INTERNSHIPS))
    assert first.batch.created_count == 2
    assert (second.batch.created_count, second.batch.skipped_count, second.batch.row_count) == (0, 2, 2)
    assert CareerEntry.objects.count() == 2
    # The key is the normalised row: the same records as Excel with English headers are known too.
    again = xlsx_file([
        ["student_no", "organization", "start", "end", "health_insurance", "credit_bearing"],
        ["2023000101", "한경테크", datetime.date(2024, 7, 1), datetime.date(2024, 8, 31), "yes", "Y"],
    ])
    assert run(office, "academic_office_internships", again).batch.skipped_count == 1
    assert CareerEntry.objects.count() == 2


def test_a_dry_run_writes_nothing(kim, lee, office):
    result = run(office, "academic_office_internships", csv_file(INTERNSHIPS), dry_run=True)
    assert result.ok and result.batch.pk is None and result.batch.status == "dry_run"
    assert result.batch.created_count == 2 and [r.student for r in result.to_create] == [kim, lee]
    assert CareerEntry.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert ImportedRow.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_record_ids_are_the_key_when_the_file_has_them(kim, office):
    text = "관리번호,학번,유형,국가,시작일,종료일\nX-1,2023000101,교환학생,일본,2024-03-01,2024-08-20\n"
    assert run(office, "international_office_exchange", csv_file(text)).batch.created_count == 1
    entry = CareerEntry.objects.get()
    assert entry.data == {"type": "exchange", "country": "일본", "provider": "campus",
                          "start": "2024-03-01", "end": "2024-08-20"}
    # A corrected export of the same record is the same record: imports never edit approved entries.
    corrected = text.replace("일본", "대한민국")
    assert run(office, "international_office_exchange", csv_file(corrected)).batch.skipped_count == 1
    twice = text + "X-1,2023000101,어학연수,미국,2024-01-01,2024-02-01\n"
    with pytest.raises(services.ImportRejected) as rejected:
        run(office, "international_office_exchange", csv_file(twice))
    assert [str(e) for e in rejected.value.result.errors] == ["3행 · 관리번호: 2행과 같은 기록번호입니다."]


def test_academic_records_update_gpa_and_add_courses(kim, lee, office):
    text = ("학번,평점평균,교과목명,성적,이수일\n"
            "2023000101,3.87,진로선택과 취업준비,A+,2024-06-20\n"
            "2023000101,3.87,창의적 문제해결,B0,2024-06-20\n"
            "2023000102,4.1,,,\n")
    result = run(office, "academic_records", csv_file(text))
    assert (result.batch.created_count, result.batch.updated_count) == (2, 2)
    kim.refresh_from_db()
    lee.refresh_from_db()
    assert kim.gpa == Decimal("3.87") and lee.gpa == Decimal("4.10")
    course = CareerEntry.objects.get(student=kim, data__name="진로선택과 취업준비")
    assert course.kind == "course" and course.data == {"name": "진로선택과 취업준비", "grade": "A+",
                                                      "credit_bearing": True, "foreign_language": False,
                                                      "date": "2024-06-20"}
    assert ImportedRow.objects.filter(entry__isnull=True, student=lee).count() == 1
    assert run(office, "academic_records", csv_file(text)).batch.skipped_count == 3
    bad = "학번,평점\n2023000101,4.7\n2023000102,\n"
    errors = run(office, "academic_records", csv_file(bad), dry_run=True).errors
    assert [str(e) for e in errors] == [
        "2행 · 평점: 평점은 0에서 4.5 사이, 소수 둘째 자리까지 입력하세요(예: 3.75).",
        "3행 · 평점: 평점이나 교과목 중 하나는 입력하세요.",
    ]
    assert StudentProfile.objects.get(pk=kim.pk).gpa == Decimal("3.87")


def test_character_education_is_one_entry_per_session(kim, office):
    text = "학번,이수일\n2023000101,2024-03-05\n2023000101,2024-03-05\n2023000101,2024-04-02\n"
    assert run(office, "character_education", csv_file(text)).batch.created_count == 3
    assert CareerEntry.objects.filter(kind="character_education", student=kim).count() == 3
    assert run(office, "character_education", csv_file(text)).batch.skipped_count == 3
    assert CareerEntry.objects.count() == 3


def test_program_attendance_maps_korean_choices(kim, office):
    text = "학번,프로그램명,이수시간,인증,분류,이수일\n2023000101,취업캠프,12,Y,취업,2024-02-10\n"
    run(office, "program_attendance", csv_file(text))
    assert CareerEntry.objects.get().data == {"title": "취업캠프", "hours": 12, "certified": True,
                                              "category": "employment", "provider": "campus",
                                              "date": "2024-02-10", "camp": False}
    bad = "학번,프로그램명,이수시간,분류,이수일\n2023000101,취업캠프,12,우주,2024-02-10\n"
    (error,) = run(office, "program_attendance", csv_file(bad), dry_run=True).errors
    assert (error.row, error.column) == (2, "분류") and "'우주'" in error.message


def test_unreadable_files_are_one_error(kim, office):
    result = run(office, "character_education", SimpleUploadedFile("x.xlsx", b"not a workbook"), dry_run=True)
    assert [str(e) for e in result.errors] == ["파일을 읽을 수 없습니다. CSV(UTF-8) 또는 엑셀(.xlsx)로 저장해 주세요."]


def test_cp949_csv_from_older_systems(kim, office):
    upload = SimpleUploadedFile("old.csv", "학번,이수일\n2023000101,2024-03-05\n".encode("cp949"))
    assert run(office, "character_education", upload).batch.created_count == 1


# --- pages --------------------------------------------------------------------------------------
def test_upload_preview_commit_and_result_pages(client, kim, lee, office):
    client.force_login(office)
    page = client.get("/staff/imports/").content.decode()
    assert "교내 인턴십" in page and "기관명" in page
    preview = client.post("/staff/imports/", {"source": "academic_office_internships",
                                              "file": csv_file(INTERNSHIPS)})
    body = preview.content.decode()
    assert preview.status_code == 200 and "한경테크" in body and 'id="import-commit"' in body
    assert CareerEntry.objects.count() == 0
    sha = preview.context["batch"].sha256
    done = client.post("/staff/imports/commit/", {"source": "academic_office_internships", "sha256": sha,
                                                  "file_name": "drop.csv"}, follow=True)
    body = done.content.decode()
    batch = ImportBatch.objects.get()
    assert done.redirect_chain[-1][0] == f"/staff/imports/{batch.pk}/"
    assert "2건을 새로 만들었습니다" in body and "한경테크" in body
    assert CareerEntry.objects.filter(status=EntryStatus.APPROVED).count() == 2
    # The kept file is gone once committed: the same button cannot import twice.
    again = client.post("/staff/imports/commit/", {"source": "academic_office_internships", "sha256": sha,
                                                   "file_name": "drop.csv"}, follow=True)
    assert "다시 올려 주세요" in again.content.decode() and ImportBatch.objects.count() == 1
    assert "drop.csv" in client.get("/staff/imports/").content.decode()


def test_the_preview_lists_every_error_and_offers_no_commit(client, kim, office):
    client.force_login(office)
    text = "학번,기관명,시작일,종료일\n2023000101,한경테크,2024-07-01,2024-08-31\n2023000999,한경테크,어제,2024-08-31\n"
    body = client.post("/staff/imports/", {"source": "academic_office_internships",
                                           "file": csv_file(text)}).content.decode()
    assert "3행 · 학번: 등록되지 않은 학번입니다." in body and "3행 · 시작일: 올바른 날짜를 입력하세요." in body
    assert 'id="import-commit"' not in body and "아무것도 가져오지 않습니다" in body


@pytest.mark.parametrize("who", ["department_staff", "student", "advisor"])
def test_only_central_office_staff_and_admins_may_import(client, kim, who):
    user = {"department_staff": lambda: staff_user(department=major().department),
            "student": lambda: kim.user,
            "advisor": lambda: UserFactory(role=Role.ADVISOR)}[who]()
    client.force_login(user)
    assert client.get("/staff/imports/").status_code == 403
    response = client.post("/staff/imports/", {"source": "academic_office_internships", "file": csv_file(INTERNSHIPS)})
    assert response.status_code == 403
    assert client.post("/staff/imports/commit/", {}).status_code == 403
    with pytest.raises(PermissionDenied):
        run(user, "academic_office_internships", csv_file(INTERNSHIPS))
    assert CareerEntry.objects.count() == 0


def test_admins_may_import(client, kim, lee):
    admin = UserFactory(role=Role.ADMIN)
    assert run(admin, "academic_office_internships", csv_file(INTERNSHIPS)).batch.created_count == 2
    client.force_login(admin)
    assert client.get("/staff/imports/").status_code == 200


def test_batches_of_another_institution_are_not_listed(client, kim, lee, office):
    batch = run(office, "academic_office_internships", csv_file(INTERNSHIPS)).batch
    other = Institution.objects.create(code="elsewhere", name="다른대학교")
    stranger = staff_user(central_office="학생처", institution=other)
    client.force_login(stranger)
    assert client.get(f"/staff/imports/{batch.pk}/").status_code == 404
    assert "drop.csv" not in client.get("/staff/imports/").content.decode()


# --- the command ----------------------------------------------------------------------------------
def write(tmp_path, text, name="drop.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_command_dry_run_commit_and_errors(tmp_path, kim, lee, office):
    path = write(tmp_path, INTERNSHIPS)
    out = io.StringIO()
    call_command("import_records", "--source", "academic_office_internships", "--file", path,
                 "--actor", office.username, stdout=out)
    assert "created 2" in out.getvalue() and CareerEntry.objects.count() == 0
    call_command("import_records", "--source", "academic_office_internships", "--file", path,
                 "--actor", office.username, "--commit", stdout=out)
    assert CareerEntry.objects.count() == 2 and ImportBatch.objects.get().uploaded_by == office
    bad = write(tmp_path, "학번,기관명,시작일,종료일\n2023000999,한경,2024-07-01,2024-08-31\n2023000101,,2024-07-01,x\n",
                "bad.csv")
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_records", "--source", "academic_office_internships", "--file", bad,
                     "--actor", office.username, "--commit", stdout=out, stderr=err)
    assert failed.value.returncode == 2
    assert err.getvalue().splitlines() == [
        "2행 · 학번: 등록되지 않은 학번입니다.", "3행 · 기관명: 이 필드는 필수 항목입니다.", "3행 · 종료일: 올바른 날짜를 입력하세요.",
    ]
    assert CareerEntry.objects.count() == 2
    for args in (["--actor", "nobody"], ["--actor", kim.user.username], ["--source", "mystery"]):
        options = {"--source": "academic_office_internships", "--file": path, "--actor": office.username,
                   **dict([args])}
        with pytest.raises(CommandError) as failed:
            call_command("import_records", *[x for kv in options.items() for x in kv], stdout=out)
        assert failed.value.returncode == 1


@pytest.mark.django_db(transaction=True)
def test_command_exit_status_for_nightly_drops(tmp_path, kim, office):
    from django.db import connection

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mileage_portal.settings.test", "IMPORTS_ACTOR": office.username,
           "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)}

    def command(path, *extra):
        return subprocess.run([sys.executable, "manage.py", "import_records", "--source", "character_education",
                               "--file", path, *extra], cwd=settings.BASE_DIR, env=env, capture_output=True,
                              text=True)

    good = command(write(tmp_path, "학번,이수일\n2023000101,2024-03-05\n"), "--commit")
    assert good.returncode == 0, good.stderr
    bad = command(write(tmp_path, "학번,이수일\n2023000101,2024-03-05\n2023000999,2024-03-05\n", "bad.csv"), "--commit")
    assert bad.returncode == 2 and "3행 · 학번: 등록되지 않은 학번입니다." in bad.stderr
    assert CareerEntry.objects.count() == 1


def test_the_sample_files_have_the_documented_columns(office):
    from imports.reading import read_table
    from imports.sources import SOURCES

    for source in SOURCES:
        path = os.path.join(SAMPLES, f"{source}.csv")
        with open(path, "rb") as handle:
            table = read_table(path, handle.read())
        result = services.ImportResult(batch=ImportBatch(source=source))
        services._map_header(SOURCES[source], table.headers, result.errors)
        assert result.errors == [], source
