"""Who may open the graduation-certification pages (mileage_portal.permissions); which application
or document stays with the views' _application_or_404 and certification.services."""
from accounts.models import Role
from mileage_portal.permissions import has_role, is_admin, signed_in

can_read_applications = signed_in  # an application: certification.services decides which


def can_use_certification(user):
    """A student's own checklist, planner and application."""
    return has_role(user, Role.STUDENT)


def can_sit_committee(user):
    """Members of an evaluation committee, and admins."""
    return is_admin(user) or (signed_in(user) and user.committees.exists())
