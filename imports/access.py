"""Who may import from campus systems (mileage_portal.permissions)."""
from accounts.models import Role
from mileage_portal.permissions import is_admin, signed_in


def can_import(user):
    """Central-office staff and administrators; department staff, advisors and students do not."""
    if not signed_in(user):
        return False
    if is_admin(user):
        return True
    scope = getattr(user, "staff_scope", None)
    return user.role == Role.STAFF and scope is not None and bool(scope.central_office)
