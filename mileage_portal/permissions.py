"""One way a view declares who may open it, shared by the views, the menu and the tests.

Each app keeps its predicates in `<app>/access.py`: small functions `can_<do>(user) -> bool` that
answer "may this user ever use this page?" from the role and scope alone. A view declares one with
`@permission_required(predicate)`: an anonymous visitor is sent to the login page, a signed-in user
the predicate refuses gets 403. Which *record* a user may see stays with the record choke point
(`careers.access.get_*_or_404`: a hidden student's record is "not found"), called inside the view.

The decorator records the predicate on the view (`view.permission`), and outer decorators
(`login_required`, `require_POST`, ...) keep it because they copy the function's attributes. The menu
(`mileage_portal.menu.menu_for`) asks the same predicate before it shows a link, and
`tests/test_permissions_matrix.py` walks every URL and fails for a project view without one.
Pages anyone may open (login, the language switch, a signed portfolio link) say so with `@public`.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def public(user):
    """Anyone, signed in or not."""
    return True


def signed_in(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user):
    return signed_in(user) and (user.is_superuser or user.role == "admin")


def has_role(user, *roles):
    return signed_in(user) and (user.role in roles or ("admin" in roles and user.is_superuser))


def permission_required(predicate):
    """Declare who may open the decorated view; see the module docstring."""
    def decorate(view):
        if predicate is public:
            view.permission = public
            return view

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.permission = predicate
        return wrapper
    return decorate


def allows(view, user):
    """Whether `view`'s declared permission lets `user` in (False for an undeclared view)."""
    predicate = getattr(view, "permission", None)
    return predicate is not None and bool(predicate(user))
