"""Users with one role each, the academic structure, and staff scope."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    STAFF = "staff", _("Staff")
    ADVISOR = "advisor", _("Advisor")
    ADMIN = "admin", _("Administrator")


class Program(models.TextChoices):
    """The rule programs (the evaluation contract's `program`)."""

    CAREER_MILEAGE = "career-mileage", _("Career mileage")
    DU_HEART = "du-heart", _("DU-HEART mileage")
    HANKYONG_GRAD_CERT = "hankyong-grad-cert", _("Hankyong graduation certification")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    display_name = models.CharField(_("name"), max_length=100, blank=True)

    @property
    def is_student(self):
        return self.role == Role.STUDENT

    @property
    def is_staff_member(self):
        return self.role == Role.STAFF

    @property
    def is_advisor(self):
        return self.role == Role.ADVISOR

    @property
    def is_portal_admin(self):
        return self.role == Role.ADMIN or self.is_superuser

    def __str__(self):
        return self.display_name or self.username


class Institution(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    programs = models.JSONField(
        _("rule programs"), default=list, help_text=_("Rule programs its students are evaluated by.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.name


class Campus(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="campuses")
    code = models.SlugField(_("code"), help_text=_("The contract's campus id, e.g. anseong, pyeongtaek."))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["institution__name", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="uniq_campus_code")]
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")

    def __str__(self):
        return f"{self.institution.name} {self.name}"


class Department(models.Model):
    """A department or school (학과/학부) of one campus."""

    campus = models.ForeignKey(Campus, on_delete=models.PROTECT, related_name="departments")
    college = models.CharField(_("college"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["campus__name", "name"]
        constraints = [models.UniqueConstraint(fields=["campus", "name"], name="uniq_department_name")]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Major(models.Model):
    """A major. Institutions edit the list in the admin; Hankyong's come from seed 004."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="majors")
    code = models.CharField(
        _("rule-set code"),
        max_length=16,
        blank=True,
        help_text=_("Seed 004 table-of-contents number for Hankyong majors, e.g. 10-3."),
    )
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department__campus__name", "department__name", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="uniq_major_name")]
        verbose_name = _("major")
        verbose_name_plural = _("majors")

    def __str__(self):
        return f"{self.department.name} {self.name}"


class StaffScope(models.Model):
    """What a staff member may work on: one department, or a central office (all departments)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_scope")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True)
    central_office = models.CharField(
        _("central office"), max_length=100, blank=True, help_text=_("e.g. 취업지원팀; empty for department staff")
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False) | ~models.Q(central_office=""),
                name="staff_scope_department_or_office",
            )
        ]

    def __str__(self):
        return self.central_office or str(self.department)
