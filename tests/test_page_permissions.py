"""One permission layer: every URL declares who may open it, the declaration matches this matrix for
every role, the door answers 403 (or the login page) for everyone else, and the menu shows a link
exactly when its page opens.

The matrix below is written from the README's roles, not read from the code: `DOOR` says, for each
URL name, which roles get past the page's door. Which *record* they then see is the record matrix
in tests/test_permissions_matrix.py (careers.access: a hidden student's record is "not found").
A URL added without a line here, or a project view without `@permission_required`, fails
`test_every_url_declares_who_may_open_it`.
"""
import uuid

import pytest
from django.urls import URLResolver, get_resolver, reverse

from mileage_portal.menu import ITEMS, menu_for
from tests.test_permissions_matrix import ROLES, SECRET_NAME, _body, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SIGNED_IN = set(ROLES) - {"anonymous"}
STUDENTS = {"owner", "other_student"}
STAFF = {"department_staff", "other_department_staff", "central_staff"}
REVIEWERS = STAFF | {"admin"}
NOT_STUDENTS = SIGNED_IN - STUDENTS
ADMIN = {"admin"}
EVERYONE = set(ROLES)

# Django's and DRF's own views, and the one project page meant for people without a login.
PUBLIC = {
    "login": "the login page",
    "logout": "logging out",
    "set_language": "the language menu works before login",
    "reports:shared": "a student's signed, expiring portfolio link for companies (README)",
}

DOOR = {
    "home": SIGNED_IN,
    "accounts:api_token": SIGNED_IN,
    "careers:dashboard": STUDENTS, "careers:self_introduction": STUDENTS, "careers:entry_new": STUDENTS,
    "careers:student_list": NOT_STUDENTS,
    "careers:student_detail": SIGNED_IN, "careers:entry_detail": SIGNED_IN, "careers:entry_edit": SIGNED_IN,
    "careers:entry_action": SIGNED_IN, "careers:evidence_upload": SIGNED_IN, "careers:evidence_file": SIGNED_IN,
    "careers:evidence_delete": SIGNED_IN, "careers:org_search": SIGNED_IN, "careers:notifications": SIGNED_IN,
    "careers:staff_home": REVIEWERS, "careers:queue": REVIEWERS, "careers:bulk_approve": REVIEWERS,
    "careers:original_seen": REVIEWERS, "careers:adopt_organization": REVIEWERS,
    "programs:list": STUDENTS | REVIEWERS, "programs:detail": STUDENTS | REVIEWERS,
    "programs:action": STUDENTS | REVIEWERS,
    "programs:new": {"department_staff", "other_department_staff"},  # department staff create; central staff approve
    "certification:mine": STUDENTS, "certification:apply": STUDENTS,
    "certification:committee": ADMIN,  # committee members (nobody in this world sits on one) and admins
    "certification:application": SIGNED_IN, "certification:application_action": SIGNED_IN,
    "certification:document": SIGNED_IN,
    "imports:index": {"central_staff", "admin"}, "imports:commit": {"central_staff", "admin"},
    "imports:batch_detail": {"central_staff", "admin"}, "imports:job": {"central_staff", "admin"},
    "scholarships:statement": STUDENTS,
    "scholarships:windows": {"central_staff", "admin"},  # the central office opens application windows
    "scholarships:redemptions": REVIEWERS,
    "scholarships:redemption_decide": REVIEWERS, "scholarships:selections": REVIEWERS,
    "scholarships:selection": REVIEWERS, "scholarships:selection_adjust": REVIEWERS,
    "scholarships:selection_approve": REVIEWERS, "scholarships:selection_export": REVIEWERS,
    "scholarships:priority": REVIEWERS, "scholarships:hiring": REVIEWERS,
    "scholarships:batches": ADMIN,
    "scoring:rules": ADMIN, "scoring:edit": ADMIN, "scoring:revision": ADMIN, "scoring:preview": ADMIN,
    "scoring:publish": ADMIN, "scoring:discard": ADMIN, "scoring:runs": ADMIN,
    "reports:student_report": SIGNED_IN, "reports:student_portfolio": SIGNED_IN, "reports:share": STUDENTS,
    "reports:batches": NOT_STUDENTS, "reports:batch": NOT_STUDENTS, "reports:batch_download": NOT_STUDENTS,
    "advising:index": NOT_STUDENTS, "advising:student": NOT_STUDENTS, "advising:session_new": NOT_STUDENTS,
    "advising:mentor_edit": NOT_STUDENTS, "advising:session_edit": NOT_STUDENTS,
    "advising:session_delete": NOT_STUDENTS,
    "advising:honors": REVIEWERS, "advising:groups": REVIEWERS, "advising:group": REVIEWERS,
}

# The menu each role sees (README "What each role finds"); the world's students are at Hankyong (no DU-HEART).
MENU = {
    "owner": ["careers:dashboard", "careers:self_introduction", "programs:list", "certification:mine"],
    "department_staff": ["careers:staff_home", "careers:queue", "scholarships:selections", "programs:list",
                         "careers:student_list", "advising:index", "reports:batches"],  # no Imports
    "central_staff": ["careers:staff_home", "careers:queue", "imports:index", "scholarships:selections",
                      "programs:list", "careers:student_list", "advising:index", "reports:batches"],
    "mentor": ["careers:student_list", "advising:index", "reports:batches"],
    "admin": ["certification:committee", "careers:staff_home", "careers:queue", "imports:index",
              "scholarships:selections", "programs:list", "careers:student_list", "advising:index",
              "reports:batches"],
}
MENU["other_student"] = MENU["owner"]
MENU["other_department_staff"] = MENU["department_staff"]
MENU["other_advisor"] = MENU["mentor"]
FILLERS = {"pk": 999999, "row_pk": 999999, "action": "approve", "kind": "language_test", "program": "du-heart",
           "path": "rules.yaml", "token": "no-such-link"}


def _patterns(resolver=None, ns=""):
    """(url name, pattern, callback) of every project URL; Django's admin site keeps its own door."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            yield from _patterns(p, ns + (f"{p.namespace}:" if p.namespace else ""))
        else:
            yield ns + (p.name or ""), p, p.callback


def _is_drf(callback):
    return hasattr(callback, "cls")


def _url(name, pattern):
    from django.urls.converters import UUIDConverter

    kwargs = {k: uuid.uuid4() if isinstance(converter, UUIDConverter) else FILLERS[k]
              for k, converter in pattern.pattern.converters.items()}
    return reverse(name, kwargs=kwargs)


def test_every_url_declares_who_may_open_it(world):
    missing, undeclared, wrong = [], [], []
    for name, pattern, callback in _patterns():
        if _is_drf(callback):
            from rest_framework.permissions import AllowAny

            classes = callback.cls.permission_classes
            if not classes or AllowAny in classes:
                undeclared.append(name)
            continue
        if name in PUBLIC:
            continue
        if name not in DOOR:
            missing.append(name)
            continue
        predicate = getattr(callback, "permission", None)
        if predicate is None:
            undeclared.append(name)
            continue
        for role, user in world["users"].items():
            if user is not None and bool(predicate(user)) != (role in DOOR[name]):
                wrong.append((name, role))
    assert not missing, f"URLs missing from DOOR (say who may open them): {missing}"
    assert not undeclared, f"views without @permission_required: {undeclared}"
    assert not wrong, f"declared permission differs from the matrix: {wrong}"
    assert set(DOOR) <= {n for n, _, _ in _patterns()}, "DOOR names a URL that no longer exists"


def _door_cases():
    return [(name, pattern) for name, pattern, callback in _patterns()
            if not _is_drf(callback) and name in DOOR]


@pytest.mark.parametrize("name,pattern", _door_cases(), ids=[n for n, _ in _door_cases()])
def test_the_door_refuses_every_role_the_matrix_leaves_out(client, world, name, pattern):
    url = _url(name, pattern)
    for role, user in world["users"].items():
        client.logout()
        if user is not None:
            client.force_login(user)
        get = client.get(url)
        if role in DOOR[name]:
            # past the door: a missing record is "not found", never a crash or "forbidden" for its role
            # (301: an old address that forwards, /scholarships/admin/batches/ → /rules/runs/)
            assert get.status_code in (200, 301, 302, 400, 404, 405), (name, role, get.status_code)
            continue
        post = client.post(url)  # only where the door must refuse: nothing behind it runs
        statuses = {get.status_code, post.status_code}
        if user is None:
            assert statuses <= {302, 405} and 302 in statuses, (name, statuses)
            assert all("/login/" in r.url for r in (get, post) if r.status_code == 302), name
        else:
            assert statuses <= {403, 405} and 403 in statuses, (name, role, statuses)
        assert SECRET_NAME not in _body(get) + _body(post), (name, role)


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_the_menu_shows_exactly_the_pages_the_role_opens(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    shown = [item["name"] for item in menu_for(user)]
    assert shown == MENU[role] + ["careers:notifications"] + (["scoring:rules"] if role == "admin" else []) + [
        "accounts:api_token"]
    for item in menu_for(user):
        assert f'data-menu="{item["name"]}"' in page, (role, item["name"])
        if item["name"] == "admin:index":
            continue
        assert client.get(item["url"]).status_code == 200, (role, item["url"])
    # every menu page the role may open is in its menu (DU-HEART and certification aside: those
    # follow the student's institution and major)
    for item in ITEMS:
        if item.url_name in DOOR and role in DOOR[item.url_name] and item.also is None:
            assert item.url_name in shown, (role, item.url_name)


def test_department_staff_are_not_offered_imports(client, world):
    client.force_login(world["users"]["department_staff"])
    page = client.get("/staff/").content.decode()
    assert 'href="/staff/imports/"' not in page
    assert client.get("/staff/imports/").status_code == 403
    client.force_login(world["users"]["central_staff"])
    assert 'href="/staff/imports/"' in client.get("/staff/").content.decode()
    assert client.get("/staff/imports/").status_code == 200
