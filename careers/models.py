"""Student profiles, self-introductions, the organisation directory, career entries, evidence."""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import Major
from mileage_portal.choices import CachedChoicesDisplayMixin

from .kinds import KIND_CHOICES, KIND_FORMS


class AdmissionType(models.TextChoices):
    FRESHMAN = "freshman", _("Freshman")
    TRANSFER_3 = "transfer_3", _("3rd-year transfer")
    TRANSFER_4 = "transfer_4", _("4th-year transfer")
    FOREIGN = "foreign", _("Foreign admission")


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    ON_LEAVE = "on_leave", _("On leave")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The contract's student.flags (docs/evaluate.md); absent = false.
STUDENT_FLAGS = [
    ("athlete", _("Sports scholarship student")),
    ("severe_disability", _("Severe disability")),
    ("employed_final_semester", _("Employed in the final semester")),
    ("national_scholarship_applied", _("Applied for the national scholarship this semester")),
    ("disabled_excellence_scholarship", _("Receives the excellent-disabled-student scholarship")),
    ("national_exam_scholarship", _("National-exam scholarship recipient")),
    ("leave_2021", _("On leave in academic year 2021")),
]


class StudentProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profile")
    student_no = models.CharField(_("student number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="students", verbose_name=_("major"))
    admission_year = models.PositiveSmallIntegerField(
        _("admission year"), validators=[MinValueValidator(1980), MaxValueValidator(2100)]
    )
    admission_type = models.CharField(_("admission type"), max_length=16, choices=AdmissionType.choices)
    year_level = models.PositiveSmallIntegerField(
        _("year level"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    semesters_completed = models.PositiveSmallIntegerField(
        _("semesters completed"), default=0, validators=[MaxValueValidator(16)]
    )
    gpa = models.DecimalField(
        _("GPA"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(4.5)],
    )
    expected_graduation = models.DateField(_("expected graduation"), null=True, blank=True)
    enrollment_status = models.CharField(
        _("status"), max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ENROLLED
    )
    flags = models.JSONField(_("flags"), default=dict, blank=True)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="mentees", limit_choices_to={"role": "advisor"}, verbose_name=_("mentor professor"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["student_no"]
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")

    def __str__(self):
        return f"{self.student_no} {self.name}"

    @property
    def department(self):
        return self.major.department

    @property
    def campus(self):
        return self.major.department.campus

    @property
    def institution(self):
        return self.major.department.campus.institution

    def flag_list(self):
        return [label for key, label in STUDENT_FLAGS if self.flags.get(key)]


JOB_FIELDS = [
    ("management", _("Management / office")),
    ("sales", _("Sales / marketing")),
    ("it", _("IT / software")),
    ("engineering", _("Engineering / R&D")),
    ("production", _("Production / quality")),
    ("design", _("Design / media")),
    ("public", _("Public sector")),
    ("education", _("Education")),
    ("welfare", _("Welfare / healthcare")),
    ("finance", _("Finance")),
    ("startup", _("Start-up")),
    ("graduate_school", _("Graduate school")),
    ("overseas", _("Overseas employment")),
]


class SelfIntroduction(models.Model):
    """Seed 000: the self-introduction with employment wishes; entries cannot be submitted before it."""

    student = models.OneToOneField(StudentProfile, on_delete=models.CASCADE, related_name="self_introduction")
    job_fields = models.JSONField(_("desired job fields"), default=list, blank=True)
    desired_companies = models.CharField(_("desired companies"), max_length=300, blank=True)
    desired_jobs = models.CharField(_("desired jobs (free text)"), max_length=300, blank=True)
    text = models.TextField(_("self-introduction"))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-introduction")
        verbose_name_plural = _("self-introductions")

    def is_complete(self):
        wishes = bool(self.job_fields or self.desired_companies.strip() or self.desired_jobs.strip())
        return wishes and len(self.text.strip()) >= settings.SELF_INTRO_MIN_CHARS


class Organization(models.Model):
    """The organisation directory (seed 000: "주관기관을 조회하여 선택")."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PUBLIC = "public", _("Public agency")
        NONPROFIT = "nonprofit", _("Non-profit")
        SCHOOL = "school", _("School / university")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    aliases = models.CharField(_("other names"), max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


EDITABLE_STATUSES = (EntryStatus.DRAFT, EntryStatus.REJECTED)


class CareerEntry(CachedChoicesDisplayMixin, FSMModelMixin, models.Model):
    """One claimed achievement. Kind-specific fields live in `data` under the contract's names,
    validated by the kind's form in careers.kinds. Status changes only through the transitions
    below, called by careers.services (which checks who may)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)
    status = FSMField(_("status"), default=EntryStatus.DRAFT, choices=EntryStatus.choices, protected=True)
    date = models.DateField(_("date"))
    data = models.JSONField(_("details"), default=dict)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True)
    organization_direct_input = models.BooleanField(
        _("organization typed in"), default=False, help_text=_("Not found in the directory; staff should check it.")
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=50, default="portal")
    # Seed 000: off-campus certificates and individual overseas training are recognised after
    # staff have seen the original at the office.
    original_seen_on = models.DateField(_("original seen on"), null=True, blank=True)
    original_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["student", "status"]), models.Index(fields=["status", "kind"]),
                   # the staff queue's order: a page of waiting entries reads one page of this index
                   models.Index(fields=["status", "submitted_on", "created_at"], name="careers_entry_queue_idx")]
        verbose_name = _("career entry")
        verbose_name_plural = _("career entries")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def form_class(self):
        return KIND_FORMS[self.kind]

    @property
    def summary(self):
        return self.form_class.summary(self.data)

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def requires_evidence(self):
        return self.form_class.requires_evidence

    # --- lifecycle: draft → submitted → approved | rejected → revoked ------------------------
    @transition(field=status, source=[EntryStatus.DRAFT, EntryStatus.REJECTED], target=EntryStatus.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=EntryStatus.SUBMITTED, target=EntryStatus.DRAFT)
    def withdraw(self):
        pass

    @transition(field=status, source=EntryStatus.SUBMITTED, target=EntryStatus.DRAFT)
    def return_for_info(self):
        """Staff ask for more information: back to the student as a draft, with a note."""

    @transition(field=status, source=EntryStatus.SUBMITTED, target=EntryStatus.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=EntryStatus.SUBMITTED, target=EntryStatus.REJECTED)
    def reject(self):
        pass

    @transition(field=status, source=EntryStatus.APPROVED, target=EntryStatus.REVOKED)
    def revoke(self):
        pass

    def to_contract(self):
        """This entry as an entry of the evaluation contract's input."""
        return contract_entry(self.id, self.kind, self.data, self.date, self.status, self.submitted_on)


# The columns contract_entry reads, for callers that fetch many entries without model instances
# (batch recomputation reads 40 per student; values_list skips building 800,000 objects).
CONTRACT_COLUMNS = ("id", "kind", "data", "date", "status", "submitted_on")
_CONTRACT_STATUS = {EntryStatus.APPROVED: "approved", EntryStatus.SUBMITTED: "submitted"}


def contract_entry(id, kind, data, date, status, submitted_on):
    """One entry as an entry of the evaluation contract's input. Drafts are not given to the
    engine (scoring.inputs leaves them out); a revoked entry is reported as rejected so that its
    explanation says it does not count."""
    doc = {"id": str(id), "kind": kind, **data, "date": date.isoformat(),
           "status": _CONTRACT_STATUS.get(status, "rejected")}
    if kind == "patent":
        # The patent form stores filed/registered as `status`; the contract calls it `stage` and
        # keeps `status` for the review (issue 10: writing one over the other wiped the student).
        stage = data.get("stage") or data.get("status")
        if stage:
            doc["stage"] = stage
    if submitted_on:
        doc["submitted_on"] = submitted_on.isoformat()
    return doc


def evidence_path(instance, filename):
    # Unguessable and carrying nothing about the student: the name is random, the extension is
    # the one the sniffed content type maps to (set by careers.evidence before saving).
    return f"evidence/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{instance.extension}"


class Evidence(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(CareerEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    EXTENSIONS = {
        "application/pdf": ".pdf",
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "application/x-hwp": ".hwp",
        "application/hwp+zip": ".hwpx",
    }

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name

    @property
    def extension(self):
        return self.EXTENSIONS.get(self.content_type, "")

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self):
        return self.content_type == "application/pdf"
