"""Celery tasks of scholarships: the December Rainbow selection (scheduled by django-celery-beat,
see migrations/0002_ledger_append_only_and_schedules.py; also runnable on demand). Scoring's batch
tasks and nightly schedule live in scoring (scoring/tasks.py, scoring/migrations)."""
from celery import shared_task
from django.utils import timezone


@shared_task(name="scholarships.tasks.december_selection")
def december_selection(year=None):
    """Freeze the Rainbow list of every institution that uses career mileage (idempotent)."""
    from accounts.models import Institution

    from . import services

    year = year or timezone.localdate().year
    snapshots = {inst.code: services.selection_run(actor=None, institution=inst, year=year).pk
                 for inst in Institution.objects.all() if "career-mileage" in (inst.programs or [])}
    # The same December run assigns missing mentors and recomputes the honors club from the
    # standing it just ranked (advising reads that ranking; scholarships does not read advising).
    from advising.services import december_run

    december_run(year=year)
    return snapshots
