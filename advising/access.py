"""Who may open the counseling pages (mileage_portal.permissions); which student, session or group
stays with careers.access and advising.selectors/services."""
from accounts.models import Role
from mileage_portal.permissions import has_role, signed_in


def can_use_advising(user):
    """Counseling: everyone but students (they see dates and next steps on /me/)."""
    return signed_in(user) and user.role != Role.STUDENT


def can_manage_honors_and_groups(user):
    """The honors club and special management groups: staff and admins."""
    return has_role(user, Role.STAFF, Role.ADMIN)
