"""Reads of graduation certification that pages share."""
from .models import Application, ApplicationStatus


def committee_pass(student):
    """The committee's latest pass decision for this student (an Application), else None.

    Once the evaluation committee passes a student she is certified, whatever today's checklist
    says (the committee may grant what the table leaves to it, or decide against the engine)."""
    return (Application.objects.filter(student=student, status=ApplicationStatus.PASSED)
            .select_related("decided_by").order_by("-decided_at").first())
