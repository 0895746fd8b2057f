"""Checking an uploaded evidence file: the content decides its type, never the name.

Accepted: PDF, JPEG, PNG, HWP (5.0 compound file, or 3.x) and HWPX (a zip whose `mimetype`
member says application/hwp+zip). Images are decoded fully and re-encoded by Pillow, which
drops EXIF and every other metadata block (the orientation is applied first, so the picture
looks the same). Returns the bytes to store, their type and SHA-256.
"""
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps

Image.MAX_IMAGE_PIXELS = 60_000_000  # a decompression bomb is an error, not a warning
HWPX_MIMETYPE = b"application/hwp+zip"
# A zip bomb is refused from the central directory before anything is decompressed (issue 12: a
# 1 MB .hwpx took the server to 2.2 GB). Real HWPX files hold a few dozen members; their XML
# compresses some 5-30 times (small members may compress more: the ratio counts from 1 MB).
HWPX_MAX_MEMBERS = 1000
HWPX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
HWPX_MAX_RATIO = 200


@dataclass
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str


def _refuse(message):
    raise ValidationError(message, code="invalid_evidence")


def check_upload(uploaded) -> CheckedFile:
    """Validate an UploadedFile; raise ValidationError with a Korean message naming the file field."""
    limit = settings.EVIDENCE_MAX_BYTES
    if uploaded is None:
        _refuse(_("Evidence file: choose a file to upload."))
    if uploaded.size is not None and uploaded.size > limit:
        _refuse(_("Evidence file: the file is larger than %(limit)s.") % {"limit": filesizeformat(limit)})
    raw = uploaded.read(limit + 1)
    if len(raw) > limit:
        _refuse(_("Evidence file: the file is larger than %(limit)s.") % {"limit": filesizeformat(limit)})
    if not raw:
        _refuse(_("Evidence file: the file is empty."))
    sniffed = magic.from_buffer(raw[:65536] if len(raw) > 65536 else raw, mime=True)
    description = magic.from_buffer(raw[:4096])

    if sniffed == "application/pdf":
        content, content_type = _check_pdf(raw), "application/pdf"
    elif sniffed in ("image/jpeg", "image/png"):
        content, content_type = _reencode_image(raw, sniffed), sniffed
    elif sniffed == "application/x-hwp" or description.startswith("Hangul (Korean) Word Processor File 3"):
        content, content_type = raw, "application/x-hwp"
    elif sniffed == "application/zip" and _is_hwpx(raw):  # refuses a zip bomb with its own message
        content, content_type = raw, "application/hwp+zip"
    else:
        _refuse(
            _("Evidence file: this kind of file is not accepted (it is %(kind)s). Upload a PDF, JPEG, PNG or HWP/HWPX file.")
            % {"kind": sniffed}
        )
    return CheckedFile(content=content, content_type=content_type, sha256=hashlib.sha256(content).hexdigest())


def _check_pdf(raw):
    if not raw.startswith(b"%PDF-") or b"%%EOF" not in raw[-2048:]:
        _refuse(_("Evidence file: the PDF is damaged or incomplete."))
    return raw


def _reencode_image(raw, mime):
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()  # structure and checksums
        # WeasyPrint (the counseling report) sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it
        # is imported, which would make load() pad a cut image instead of failing: evidence never
        # accepts a truncated image, whatever was imported before.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        with Image.open(io.BytesIO(raw)) as img:
            img.load()  # every pixel: a truncated image fails here
            img = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            clean = img.copy()
            clean.info = {}  # no EXIF, XMP, ICC, text chunks: only pixels go back out
            if mime == "image/jpeg":
                if clean.mode not in ("RGB", "L"):
                    clean = clean.convert("RGB")
                clean.save(out, format="JPEG", quality=90, optimize=True)
            else:
                clean.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse(_("Evidence file: the image is damaged or incomplete."))


def _is_hwpx(raw):
    """Whether the zip is an HWPX document. Only the central directory is read to judge its size;
    of the `mimetype` member at most a few bytes are decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            if len(members) > HWPX_MAX_MEMBERS:
                _refuse_archive()
            declared = 0
            for info in members:
                declared += info.file_size
                squeezed = info.file_size > 1024 * 1024 and info.file_size > HWPX_MAX_RATIO * info.compress_size
                if declared > HWPX_MAX_UNCOMPRESSED or squeezed:
                    _refuse_archive()
            with archive.open("mimetype") as member:
                return member.read(len(HWPX_MIMETYPE) + 16).strip() == HWPX_MIMETYPE
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error):
        return False


def _refuse_archive():
    _refuse(_("Evidence file: the HWPX file expands too much when unpacked (at most %(members)d parts and "
              "%(size)s in all); save it again in Hangul or upload a PDF.")
            % {"members": HWPX_MAX_MEMBERS, "size": filesizeformat(HWPX_MAX_UNCOMPRESSED)})
