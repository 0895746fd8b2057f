"""Zip bombs dressed as HWPX (issue 12): refused from the zip's directory, with bounded memory,
for evidence and for certification documents alike."""
import datetime
import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from careers.evidence import check_upload
from careers.models import Evidence
from tests.factories import StudentFactory, entry, major

pytestmark = pytest.mark.django_db

EXPANDED = 300 * 1024 * 1024  # what the bomb's `mimetype` member unpacks to


@pytest.fixture(scope="module")
def bomb():
    """A ~300 KB .hwpx whose `mimetype` member unpacks to 300 MB (built in chunks: the test itself
    never holds it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("mimetype")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            member.write(b"application/hwp+zip")
            chunk = bytes(1024 * 1024)
            for _ in range(EXPANDED // len(chunk)):
                member.write(chunk)
        archive.writestr("Contents/section0.xml", "<hs:sec/>")
    return buffer.getvalue()


def many_members(count):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        for n in range(count):
            archive.writestr(f"BinData/{n}.bin", b"x")
    return buffer.getvalue()


def refusal_and_peak(content, name="report.hwpx"):
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as error:
            check_upload(SimpleUploadedFile(name, content))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return " ".join(error.value.messages), peak


def test_a_zip_bomb_is_refused_with_a_clear_error_and_bounded_memory(bomb):
    assert len(bomb) < 2 * 1024 * 1024
    message, peak = refusal_and_peak(bomb)
    assert "증빙" in message and "HWPX" in message
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_an_hwpx_with_too_many_members_is_refused():
    from careers.evidence import HWPX_MAX_MEMBERS

    message, _ = refusal_and_peak(many_members(HWPX_MAX_MEMBERS + 1))
    assert "HWPX" in message and str(HWPX_MAX_MEMBERS) in message


def test_a_normal_hwpx_with_many_pictures_is_still_accepted():
    assert check_upload(SimpleUploadedFile("report.hwpx", many_members(50))).content_type == "application/hwp+zip"


def test_the_bomb_attached_to_an_entry_stores_nothing(bomb):
    from careers import services

    draft = entry(StudentFactory())
    with pytest.raises(ValidationError):
        services.evidence_add(actor=draft.student.user, entry=draft,
                              uploaded_file=SimpleUploadedFile("report.hwpx", bomb))
    assert not Evidence.objects.filter(entry=draft).exists()


def test_a_certification_document_gets_the_same_check(client, bomb):
    from certification.models import Application

    senior = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                            expected_graduation=datetime.date.today() + datetime.timedelta(days=60))
    client.force_login(senior.user)
    response = client.post("/certification/apply/", {
        "exemption": "employed_final_semester",
        "documents": SimpleUploadedFile("재직증명서.hwpx", bomb),
    }, follow=True)
    assert not Application.objects.filter(student=senior).exists()
    assert "압축" in response.content.decode()  # the bomb's own message, not "upload a PDF, …, HWPX"
