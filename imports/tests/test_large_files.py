"""Big import files (issue 12: a 144 KB .xlsx of 1,000,000 rows ran 43 s in a request): the row
cap refuses them before they are read through, and files over IMPORT_TASK_ROWS run as a task
whose page shows its progress and then its result."""
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from careers.models import CareerEntry, EntryStatus
from imports import services
from imports.models import ImportBatch, ImportJob
from imports.reading import FileProblem, read_table
from tests.factories import StudentFactory, staff_user

from .xlsx_files import xlsx

pytestmark = pytest.mark.django_db

HEADER = ["학번", "이수일", "회차"]
MILLION = 1_000_000


@pytest.fixture(scope="module")
def million_rows():
    """About 350 KB: a million identical rows compress to almost nothing."""
    return xlsx(HEADER[:2], lambda n: ["2023000101", "2024-05-02"], count=MILLION, declare=False)


@pytest.fixture
def kim():
    return StudentFactory(student_no="2023000101", name="김하늘")


@pytest.fixture
def office():
    return staff_user(central_office="취업지원팀")


def sessions(count, declare=True):
    return xlsx(HEADER, lambda n: ["2023000101", "2024-05-02", str(n)], count=count, declare=declare)


def test_a_million_row_xlsx_is_refused_after_reading_only_the_first_rows(million_rows, settings):
    assert len(million_rows) < 1024 * 1024
    with pytest.raises(FileProblem) as problem:
        read_table("drop.xlsx", million_rows)
    assert "20,000" in str(problem.value)
    assert problem.value.rows_read < 100_000  # it stopped early: not a million rows read


def test_a_declared_million_rows_is_refused_before_any_row_is_read():
    declared = xlsx(HEADER[:2], lambda n: ["2023000101", "2024-05-02"], count=MILLION, declare=True)
    with pytest.raises(FileProblem) as problem:
        read_table("drop.xlsx", declared)
    assert problem.value.rows_read == 0


def test_the_import_page_names_the_row_limit(client, kim, office, million_rows):
    client.force_login(office)
    response = client.post("/staff/imports/", {"source": "character_education",
                                               "file": SimpleUploadedFile("drop.xlsx", million_rows)})
    body = response.content.decode()
    assert response.status_code == 200 and "20,000" in body and 'id="import-commit"' not in body
    assert not ImportJob.objects.exists() and not CareerEntry.objects.exists()


def test_the_row_limit_is_a_setting_and_holds_for_csv_too(kim, office, settings):
    settings.IMPORT_MAX_ROWS = 50
    rows = "".join(f"2023000101,2024-05-02,{n}\n" for n in range(51))
    result = services.run_import(actor=office, source="character_education", dry_run=True,
                                 uploaded_file=SimpleUploadedFile("drop.csv", ("학번,이수일,회차\n" + rows).encode()))
    assert [str(e) for e in result.errors] == ["파일의 데이터 행이 50개를 넘습니다. 50행 이하의 파일로 나누어 올려 주세요."]
    fifty = "".join(f"2023000101,2024-05-02,{n}\n" for n in range(50))
    result = services.run_import(actor=office, source="character_education", dry_run=True,
                                 uploaded_file=SimpleUploadedFile("drop.csv", ("학번,이수일,회차\n" + fifty).encode()))
    assert result.ok and result.batch.row_count == 50


def test_an_xlsx_without_a_declared_size_streams_like_one_with_it(kim, office):
    for declare in (True, False):
        table = read_table("drop.xlsx", sessions(30, declare=declare))
        assert table.headers == HEADER and len(table.rows) == 30 and table.rows[0] == (2, ["2023000101",
                                                                                        "2024-05-02", "1"])


def test_a_3000_row_file_runs_as_a_task_with_its_progress_on_the_page(
        client, kim, office, django_capture_on_commit_callbacks):
    client.force_login(office)
    upload = SimpleUploadedFile("sessions.xlsx", sessions(3000))
    response = client.post("/staff/imports/", {"source": "character_education", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/imports/jobs/{job.pk}/"
    assert job.dry_run and job.rows_total == 3000 and job.status == ImportJob.Status.QUEUED

    # While the task runs, the page shows how far it got and refreshes itself.
    cache.set(job.progress_key, 1200)
    page = client.get(response.url).content.decode()
    assert 'id="import-progress"' in page and 'value="1200" max="3000"' in page and 'http-equiv="refresh"' in page
    assert "1200" in page and "3000" in page

    services.job_run(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.result["ok"] and job.result["created_count"] == 3000
    page = client.get(response.url).content.decode()
    assert 'id="import-commit"' in page and 'http-equiv="refresh"' not in page and "김하늘" in page
    assert not CareerEntry.objects.exists()  # a dry run

    with django_capture_on_commit_callbacks(execute=True):  # the commit is a task too (eager here)
        committed = client.post("/staff/imports/commit/", {"source": "character_education", "sha256": job.sha256,
                                                           "file_name": "sessions.xlsx"})
    commit_job = ImportJob.objects.exclude(pk=job.pk).get()
    assert committed.url == f"/staff/imports/jobs/{commit_job.pk}/"
    commit_job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert commit_job.status == ImportJob.Status.DONE and commit_job.batch == batch
    page = client.get(committed.url).content.decode()
    assert f"/staff/imports/{batch.pk}/" in page
    assert CareerEntry.objects.filter(kind="character_education", status=EntryStatus.APPROVED).count() == 3000


def test_a_job_page_is_only_for_its_owner(client, kim, office):
    job = ImportJob.objects.create(user=office, source="character_education", file_name="x.xlsx",
                                   sha256="0" * 64, rows_total=3000)
    client.force_login(staff_user(central_office="학생지원팀"))
    assert client.get(f"/staff/imports/jobs/{job.pk}/").status_code == 404


def test_a_job_whose_file_is_gone_says_so(client, kim, office):
    job = ImportJob.objects.create(user=office, source="character_education", file_name="x.xlsx",
                                   sha256="0" * 64, rows_total=3000)
    services.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    client.force_login(office)
    assert "다시 올려" in client.get(f"/staff/imports/jobs/{job.pk}/").content.decode()


def test_a_sheet_whose_one_row_is_numbered_a_million_is_refused_early():
    """openpyxl fills the gap before row 1,000,000 with empty rows: they count."""
    import io
    import zipfile

    from .xlsx_files import PARTS

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", (
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c t="inlineStr"><is><t>학번</t></is></c></row>'
            '<row r="1000000"><c t="inlineStr"><is><t>2023000101</t></is></c></row></sheetData></worksheet>'))
    with pytest.raises(FileProblem) as problem:
        read_table("gap.xlsx", buffer.getvalue())
    assert problem.value.rows_read == 20_001
