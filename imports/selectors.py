"""Reads of import batches, limited to what the user may see."""
from django.db.models import Q

from accounts.models import Role
from careers import access

from .models import ImportBatch, ImportedRow


def batches_visible_to(user):
    """Admins: every batch. Central-office staff: their institution's uploads, and any batch
    that touched a student they may see."""
    qs = ImportBatch.objects.select_related("uploaded_by")
    if user.is_superuser or user.role == Role.ADMIN:
        return qs
    scope = getattr(user, "staff_scope", None)
    if scope is None:
        return qs.none()
    touched = ImportedRow.objects.filter(student__in=access.students_visible_to(user)).values("batch")
    return qs.filter(Q(uploaded_by__staff_scope__institution=scope.institution_id) | Q(pk__in=touched)).distinct()


def batch_rows(user, batch):
    """The batch's rows whose student the user may see."""
    return (ImportedRow.objects.filter(batch=batch, student__in=access.students_visible_to(user))
            .select_related("student", "entry").order_by("row_number"))
