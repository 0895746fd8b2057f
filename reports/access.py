"""Who may open the report pages (mileage_portal.permissions); which student's report stays with
careers.access.get_student_or_404."""
from accounts.models import Role
from mileage_portal.permissions import has_role, signed_in

can_read_reports = signed_in  # one student's report or portfolio: the student goes through get_student_or_404


def can_share_portfolio(user):
    return has_role(user, Role.STUDENT)


def can_batch_reports(user):
    """Counseling reports for many students: advisors (their mentees), staff (their scope), admins."""
    return has_role(user, Role.ADVISOR, Role.STAFF, Role.ADMIN)
