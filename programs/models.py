from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import Department
from careers.kinds import PROGRAM_CATEGORIES as CATEGORIES
from careers.models import CareerEntry, StudentProfile



class ProgramStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSE_REQUESTED = "close_requested", _("Close requested")
    CLOSED = "closed", _("Closed")


class Program(FSMModelMixin, models.Model):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="programs",
                                   verbose_name=_("department"))
    title = models.CharField(_("program title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=CATEGORIES)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)])
    certified = models.BooleanField(_("certified (인증) program"), default=False)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = FSMField(_("status"), default=ProgramStatus.OPEN, choices=ProgramStatus.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    close_requested_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="program_ends_after_start")]

    def __str__(self):
        return self.title

    @transition(field=status, source=ProgramStatus.OPEN, target=ProgramStatus.CLOSE_REQUESTED)
    def request_close(self):
        pass

    @transition(field=status, source=ProgramStatus.CLOSE_REQUESTED, target=ProgramStatus.CLOSED)
    def approve_close(self):
        pass

    @transition(field=status, source=ProgramStatus.CLOSE_REQUESTED, target=ProgramStatus.OPEN)
    def return_close(self):
        pass


class Participation(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participants")
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="participations")
    applied_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(null=True, help_text="None until the department records attendance.")
    entry = models.OneToOneField(CareerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "student"], name="uniq_participation")]
        ordering = ["student__student_no"]
