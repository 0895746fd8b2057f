"""Uploads: the content decides, images lose their metadata, the gate on submission."""
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from careers import services
from careers.demo import image_bytes, pdf_bytes
from careers.models import Evidence
from tests.factories import StudentFactory, entry, write_intro

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    student = StudentFactory()
    return entry(student)


def upload(e, name, content, content_type="application/octet-stream"):
    return services.evidence_add(actor=e.student.user, entry=e,
                                 uploaded_file=SimpleUploadedFile(name, content, content_type=content_type))


def refused(e, name, content):
    before = Evidence.objects.filter(entry=e).count()
    with pytest.raises(ValidationError) as err:
        upload(e, name, content)
    assert Evidence.objects.filter(entry=e).count() == before  # nothing stored
    message = " ".join(err.value.messages)
    assert "증빙" in message  # names the field: 증빙서류 (evidence file)
    return message


def test_a_text_file_named_pdf_is_refused(draft):
    assert "PDF" in refused(draft, "score.pdf", b"This is not a PDF, just words.\n" * 20)


def test_an_executable_renamed_png_is_refused(draft):
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
    refused(draft, "photo.png", elf)
    refused(draft, "photo.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 300)


def test_an_empty_file_is_refused(draft):
    assert "빈 파일" in refused(draft, "empty.pdf", b"")


def test_a_file_over_the_limit_is_refused(draft, settings):
    settings.EVIDENCE_MAX_BYTES = 50_000
    big = pdf_bytes() + b"%" + b"x" * 60_000 + b"\n%%EOF\n"
    message = refused(draft, "big.pdf", big)
    assert "48.8" in message or "50" in message  # the limit, in the student's words


def test_a_truncated_image_is_refused(draft):
    png = image_bytes("PNG")
    refused(draft, "cut.png", png[: len(png) // 2])
    jpeg = image_bytes("JPEG")
    refused(draft, "cut.jpg", jpeg[: len(jpeg) // 2])


def test_a_truncated_pdf_is_refused(draft):
    pdf = pdf_bytes()
    refused(draft, "cut.pdf", pdf[: len(pdf) // 2])


def test_real_pdf_png_and_jpeg_are_accepted_and_hashed(draft):
    for name, content, kind in [("a.pdf", pdf_bytes(), "application/pdf"),
                                ("b.png", image_bytes("PNG"), "image/png"),
                                ("c.jpg", image_bytes("JPEG"), "image/jpeg")]:
        evidence = upload(draft, name, content)
        assert evidence.content_type == kind
        stored = evidence.file.read()
        assert hashlib.sha256(stored).hexdigest() == evidence.sha256
        assert evidence.size == len(stored)
    assert draft.evidence.count() == 3


def test_the_type_comes_from_the_content_not_the_name(draft):
    evidence = upload(draft, "scan.pdf", image_bytes("PNG"))  # a PNG misnamed .pdf is still a PNG
    assert evidence.content_type == "image/png"
    assert evidence.file.name.endswith(".png")


def test_hwpx_is_accepted(draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", "<hs:sec/>")
    assert upload(draft, "report.hwpx", buffer.getvalue()).content_type == "application/hwp+zip"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "hello")
    refused(draft, "report.hwpx", plain_zip.getvalue())


def test_exif_is_gone_after_upload(draft):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (37.0, 30.0, 0.0)}  # GPS
    original = image_bytes("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "SecretCam"
    evidence = upload(draft, "with-gps.jpg", original)
    stored = Image.open(io.BytesIO(evidence.file.read()))
    assert dict(stored.getexif()) == {}
    assert b"SecretCam" not in evidence.file.open("rb").read()


def test_stored_names_are_unguessable(draft):
    a = upload(draft, "홍길동_토익성적표.pdf", pdf_bytes())
    b = upload(draft, "홍길동_토익성적표.pdf", pdf_bytes())
    assert a.file.name != b.file.name
    assert "홍길동" not in a.file.name and draft.student.student_no not in a.file.name
    assert len(a.file.name.rsplit("/", 1)[1]) >= 32 + len(".pdf")
    assert a.original_name == "홍길동_토익성적표.pdf"


def test_evidence_cannot_be_added_to_an_approved_entry():
    from django.core.exceptions import PermissionDenied

    student = StudentFactory()
    e = entry(student, status="approved")
    with pytest.raises(PermissionDenied):
        upload(e, "a.pdf", pdf_bytes())


def test_no_upload_no_submission():
    student = StudentFactory()
    write_intro(student)
    e = entry(student)
    with pytest.raises(ValidationError) as err:
        services.entry_submit(actor=student.user, entry=e)
    assert any("증빙" in m for m in err.value.messages)
    e.refresh_from_db()
    assert e.status == "draft"
    upload(e, "a.pdf", pdf_bytes())
    services.entry_submit(actor=student.user, entry=e)
    e.refresh_from_db()
    assert e.status == "submitted"


class TestSelfIntroductionGate:
    def test_no_submission_before_the_self_introduction(self):
        student = StudentFactory()
        e = entry(student)
        upload(e, "a.pdf", pdf_bytes())
        with pytest.raises(ValidationError) as err:
            services.entry_submit(actor=student.user, entry=e)
        assert any("자기소개서" in m for m in err.value.messages)
        e.refresh_from_db()
        assert e.status == "draft"

    def test_a_too_short_self_introduction_does_not_open_the_gate(self):
        student = StudentFactory()
        write_intro(student, text="짧아요")
        e = entry(student)
        upload(e, "a.pdf", pdf_bytes())
        with pytest.raises(ValidationError):
            services.entry_submit(actor=student.user, entry=e)

    def test_after_writing_it_the_entry_can_be_submitted(self):
        student = StudentFactory()
        e = entry(student)
        upload(e, "a.pdf", pdf_bytes())
        services.self_introduction_save(actor=student.user, student=student, job_fields=["it", "public"],
                                        desired_companies="한국전력공사", desired_jobs="",
                                        text="저는 데이터로 문제를 푸는 사람입니다. " * 8)
        services.entry_submit(actor=student.user, entry=e)
        e.refresh_from_db()
        assert e.status == "submitted"

    def test_self_introduction_page_refuses_missing_wishes_and_short_text(self, client):
        student = StudentFactory()
        client.force_login(student.user)
        response = client.post("/me/self-introduction/", {"text": "짧음"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "희망" in body  # employment wishes are required
        assert "100" in body  # the minimum length is stated
        assert not hasattr(student, "self_introduction") or student.self_introduction is None


def test_a_truncated_image_is_refused_after_the_report_renderer_was_imported(draft):
    import weasyprint  # noqa: F401  (it switches Pillow to padding truncated images)

    png = image_bytes("PNG")
    refused(draft, "cut.png", png[: len(png) // 2])
