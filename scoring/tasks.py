"""Celery tasks of scoring. Eager without a broker (settings), a real worker otherwise."""
from celery import shared_task

from . import batch_tasks  # noqa: F401  (Celery's autodiscovery imports <app>.tasks only)
from . import services


@shared_task(acks_late=True)
def recompute_student_results(student_id):
    """After an approval, rejection, revocation, import or redemption: the student's stored results
    and ledger. Returns the number of students recomputed (0 if the profile is gone)."""
    return services.recompute_students(student_ids=[student_id])


@shared_task(name="scoring.tasks.preview_revision")
def preview_revision(revision_id):
    """What publishing a rule-file draft would change (scoring.rulesets.run_preview)."""
    from . import rulesets
    from .models import RuleRevision

    try:
        summary = rulesets.run_preview(revision_id=revision_id)
    except Exception as error:  # the page stops waiting and says why
        RuleRevision.objects.filter(pk=revision_id).update(preview={"failed": str(error)[:500]})
        raise
    return {"students": summary["students"], "changed": summary["changed"]}
