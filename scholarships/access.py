"""Who may open the scholarship pages (mileage_portal.permissions). Who decides a redemption stays
with careers.access.may_decide_redemptions; which institution with the views' _institution_for."""
from accounts.models import Role
from mileage_portal.permissions import has_role, is_admin


def can_see_statement(user):
    """A student's DU-HEART statement and redemption form."""
    return has_role(user, Role.STUDENT)


def can_use_scholarship_office(user):
    """Windows, redemption requests, Rainbow selection, priority list, hiring search: staff, admins."""
    return has_role(user, Role.STAFF, Role.ADMIN)


def can_manage_institution(user):
    """Application windows: the central office of an institution, or an administrator."""
    if is_admin(user):
        return True
    scope = getattr(user, "staff_scope", None) if has_role(user, Role.STAFF) else None
    return bool(scope is not None and scope.central_office)


can_see_runs = is_admin  # recomputation runs
