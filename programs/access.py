"""Who may open the programs pages (mileage_portal.permissions); which program and action stays
with programs.services (programs_visible_to, may_run, may_approve_close)."""
from accounts.models import Role
from mileage_portal.permissions import has_role


def can_see_programs(user):
    """Students apply; staff and admins run them. Advisors have no programs to see."""
    return has_role(user, Role.STUDENT, Role.STAFF, Role.ADMIN)


def can_create_program(user):
    """Department staff create their department's programs."""
    scope = getattr(user, "staff_scope", None) if has_role(user, Role.STAFF) else None
    return bool(scope is not None and scope.department_id)
