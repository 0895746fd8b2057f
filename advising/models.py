"""Advisors' and counselors' records: who counsels whom, sessions, honors club, special groups."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Institution, Major
from careers.models import StudentProfile


class CounselingType(models.TextChoices):
    """The contract's `counseling.type` (seed 000: 상담시스템(멘토교수, 취업, 국제))."""

    MENTOR = "mentor", _("Mentor professor")
    EMPLOYMENT = "employment", _("Employment")
    INTERNATIONAL = "international", _("International")


class AdvisorProfile(models.Model):
    """The major an advisor mentors for, and which year levels; read by the mentor-assignment rule."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor_profile",
                                limit_choices_to={"role": "advisor"}, verbose_name=_("advisor"))
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="advisors", verbose_name=_("major"))
    year_levels = models.JSONField(
        _("year levels"), default=list, blank=True,
        help_text=_("Year levels this advisor mentors, e.g. [1, 2]; empty: every year level."),
    )
    accepts_mentees = models.BooleanField(_("takes new mentees"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advisor profile")
        verbose_name_plural = _("advisor profiles")

    def __str__(self):
        return f"{self.user} ({self.major})"

    def takes_level(self, year_level):
        return not self.year_levels or int(year_level) in {int(y) for y in self.year_levels}


class Counselor(models.Model):
    """A staff member (or advisor) who holds employment or international counseling sessions.
    Which students they may counsel is still their ordinary scope (careers.access)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counselor",
                                verbose_name=_("user"))
    employment = models.BooleanField(_("employment counseling"), default=False)
    international = models.BooleanField(_("international counseling"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("counselor")
        verbose_name_plural = _("counselors")

    def __str__(self):
        return str(self.user)

    def types(self):
        return [t for t, on in ((CounselingType.EMPLOYMENT, self.employment),
                                (CounselingType.INTERNATIONAL, self.international)) if on]


class CounselingSession(models.Model):
    """One counseling session. While it exists its approved `counseling` entry counts for the
    student; editing it replaces that entry and deleting it revokes the entry (with a reason)."""

    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="counseling_sessions",
                                verbose_name=_("student"))
    counselor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("counselor"))
    type = models.CharField(_("type"), max_length=16, choices=CounselingType.choices)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes (counselors only)"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    entry = models.ForeignKey("careers.CareerEntry", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("career entry"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["student", "-date"])]
        verbose_name = _("counseling session")
        verbose_name_plural = _("counseling sessions")

    def __str__(self):
        return f"{self.student} {self.date} {self.get_type_display()}"


class MentorChange(models.Model):
    """Append-only log of every mentor assignment: by rule (actor empty) or by staff with a reason."""

    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="mentor_changes",
                                verbose_name=_("student"))
    previous = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("previous mentor"))
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("mentor professor"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("changed by"))
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("mentor change")
        verbose_name_plural = _("mentor changes")

    def __str__(self):
        return f"{self.student}: {self.previous} → {self.mentor}"


class HonorsClubRule(models.Model):
    """How an institution picks its honors club (아너스클럽) per year level: the top N, the top p %,
    or both (then the smaller of the two counts)."""

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="honors_rule",
                                       verbose_name=_("institution"))
    top_n = models.PositiveIntegerField(_("top N per year level"), null=True, blank=True)
    top_percent = models.DecimalField(
        _("top % per year level"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    min_mileage = models.DecimalField(_("minimum career mileage"), max_digits=10, decimal_places=3, default=0,
                                      help_text=_("Nobody below this joins, whatever their rank."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("honors-club rule")
        verbose_name_plural = _("honors-club rules")
        constraints = [models.CheckConstraint(condition=Q(top_n__isnull=False) | Q(top_percent__isnull=False),
                                              name="honors_rule_n_or_percent")]

    def __str__(self):
        parts = []
        if self.top_n is not None:
            parts.append(f"top {self.top_n}")
        if self.top_percent is not None:
            parts.append(f"top {self.top_percent}%")
        return f"{self.institution}: {' / '.join(parts)}"


class HonorsMembership(models.Model):
    """A student's honors-club place for one year (the December recomputation replaces a year's list)."""

    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="honors_memberships",
                                verbose_name=_("student"))
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    year_level = models.PositiveSmallIntegerField(_("year level"))
    rank = models.PositiveIntegerField(_("rank"))
    mileage = models.DecimalField(_("career mileage"), max_digits=10, decimal_places=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "year_level", "rank"]
        constraints = [models.UniqueConstraint(fields=["student", "year"], name="uniq_honors_student_year")]
        verbose_name = _("honors-club member")
        verbose_name_plural = _("honors-club members")

    def __str__(self):
        return f"{self.year} {self.student}"


class SpecialGroup(models.Model):
    """A special (intensive) management group, e.g. 대기업반 (seed 000)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="special_groups",
                                    verbose_name=_("institution"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["institution", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="uniq_special_group_name")]
        verbose_name = _("special management group")
        verbose_name_plural = _("special management groups")

    def __str__(self):
        return self.name


class SpecialGroupMember(models.Model):
    group = models.ForeignKey(SpecialGroup, on_delete=models.CASCADE, related_name="members",
                              verbose_name=_("group"))
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="special_groups",
                                verbose_name=_("student"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("how they were found"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "student__student_no"]
        constraints = [models.UniqueConstraint(fields=["group", "student"], name="uniq_special_group_member")]
        verbose_name = _("special group member")
        verbose_name_plural = _("special group members")

    def __str__(self):
        return f"{self.group}: {self.student}"
