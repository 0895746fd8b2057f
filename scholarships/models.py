"""DU-HEART points ledger, redemption windows and requests, the December Rainbow selection.

The ledger is append-only (pretix's Transaction): a balance is a sum of rows; an upgrade is its
own row paying the difference; a revoked entry is a reversing row; a confirmed redemption is a
negative row. Rows are never updated or deleted (save/delete refuse, as audit.AuditEvent does).
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from careers.models import StudentProfile

# Seed 001: 1 point = 1,000 won; at least 300 points per redemption. The semester limit ("8학기
# 초과자는 장학금 신청 불가") is read from the DU-HEART rule file (scholarships.services, issue 10).
WON_PER_POINT = 1000
MIN_REDEMPTION_POINTS = 300


class AppendOnlyError(Exception):
    pass


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError(f"{self._meta.label} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} rows are never deleted")


class LedgerKind(models.TextChoices):
    ACCRUAL = "accrual", _("Accrual")
    UPGRADE = "upgrade", _("Upgrade (difference)")
    REVERSAL = "reversal", _("Reversal")
    REDEMPTION = "redemption", _("Scholarship redemption")


class LedgerEntry(AppendOnly):
    """One row of a student's DU-HEART mileage: + accrual/upgrade, − reversal/redemption."""

    # One index serves every lookup: (student, entry_id); a batch's first run writes ~20 rows per
    # student, each paying for every index the table has.
    student = models.ForeignKey(StudentProfile, on_delete=models.PROTECT, related_name="ledger", db_index=False)
    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    points = models.IntegerField(_("points"))
    entry_id = models.CharField(max_length=64, blank=True,
                                help_text="The career entry an accrual or reversal is about.")
    occurred_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=500)
    redemption = models.OneToOneField("Redemption", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="ledger_row")
    ruleset_version = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["occurred_on", "id"]
        indexes = [models.Index(fields=["student", "entry_id"])]
        verbose_name = _("ledger row")
        verbose_name_plural = _("ledger rows")

    def __str__(self):
        return f"{self.student_id} {self.kind} {self.points:+d}"


class RedemptionWindow(models.Model):
    """An application period that staff open at a semester's end. Tuition is stored here, per
    window (one institution-wide tuition for the semester): the cap for N × 1,000 won."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="redemption_windows")
    semester = models.CharField(_("semester"), max_length=20, help_text=_("e.g. 2025-2"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    tuition_won = models.PositiveIntegerField(_("tuition (won)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on"]
        constraints = [models.UniqueConstraint(fields=["institution", "semester"], name="uniq_window_semester")]
        verbose_name = _("redemption window")
        verbose_name_plural = _("redemption windows")

    def __str__(self):
        return f"{self.institution} {self.semester}"

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class RedemptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class Redemption(models.Model):
    student = models.ForeignKey(StudentProfile, on_delete=models.PROTECT, related_name="redemptions")
    window = models.ForeignKey(RedemptionWindow, on_delete=models.PROTECT, related_name="redemptions")
    points = models.PositiveIntegerField(_("points"), validators=[MinValueValidator(MIN_REDEMPTION_POINTS)])
    status = models.CharField(_("status"), max_length=16, choices=RedemptionStatus.choices,
                              default=RedemptionStatus.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decision_reason = models.TextField(_("reason"), blank=True)  # stored whole; notices hold a cut copy

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")

    def __str__(self):
        return f"{self.student} {self.points} ({self.status})"

    @property
    def won(self):
        return self.points * WON_PER_POINT


# --- December Rainbow selection (seed 000) ----------------------------------------------------
# "1~5학년: 1인당 100만원 ~ 15만원": year 1 gets 1,000,000 won down to 150,000 won for year 5.
# Quotas are not in the seed; 5 a level is a placeholder admins edit in the admin.
DEFAULT_AMOUNTS = {1: 1_000_000, 2: 700_000, 3: 500_000, 4: 300_000, 5: 150_000}
DEFAULT_QUOTA = 5


class SelectionQuota(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="selection_quotas")
    year_level = models.PositiveSmallIntegerField(_("year level"),
                                                  validators=[MinValueValidator(1), MaxValueValidator(5)])
    quota = models.PositiveIntegerField(_("quota"), default=DEFAULT_QUOTA)
    amount_won = models.PositiveIntegerField(_("amount (won)"))

    class Meta:
        ordering = ["institution", "year_level"]
        constraints = [models.UniqueConstraint(fields=["institution", "year_level"], name="uniq_quota_level")]
        verbose_name = _("Rainbow quota")
        verbose_name_plural = _("Rainbow quotas")

    def __str__(self):
        return f"{self.institution} {self.year_level}: {self.quota} × {self.amount_won}"


class SnapshotStatus(models.TextChoices):
    DRAFT = "draft", _("Under review")
    APPROVED = "approved", _("Approved")


class SelectionSnapshot(models.Model):
    """The frozen December list of one institution and year; reviewed, adjusted, approved."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="selections")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=SnapshotStatus.choices,
                              default=SnapshotStatus.DRAFT)
    tie_break = models.CharField(max_length=200)
    quotas = models.JSONField(default=dict, help_text="The quotas and amounts in force when it ran.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["-year", "institution"]
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="uniq_selection_year")]
        verbose_name = _("Rainbow selection")
        verbose_name_plural = _("Rainbow selections")

    def __str__(self):
        return f"{self.institution} {self.year}"


class SelectionRow(models.Model):
    snapshot = models.ForeignKey(SelectionSnapshot, on_delete=models.CASCADE, related_name="rows")
    student = models.ForeignKey(StudentProfile, on_delete=models.PROTECT, related_name="+")
    year_level = models.PositiveSmallIntegerField()
    rank = models.PositiveIntegerField()
    mileage = models.DecimalField(max_digits=10, decimal_places=3)
    gpa = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    selected = models.BooleanField(default=False)
    amount_won = models.PositiveIntegerField(default=0)
    adjusted = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["year_level", "rank"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "student"], name="uniq_selection_student")]


class SelectionAdjustment(AppendOnly):
    """Staff changed one row of a draft list: who, when, what and why."""

    row = models.ForeignKey(SelectionRow, on_delete=models.CASCADE, related_name="adjustments")
    selected = models.BooleanField()
    amount_won = models.PositiveIntegerField()
    reason = models.TextField()  # stored whole; SelectionRow.note holds a cut copy
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
