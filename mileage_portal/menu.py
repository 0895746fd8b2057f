"""The top menu, built from the permissions the pages declare (mileage_portal.permissions).

A link is shown only when its page's declared predicate lets the user in, so the menu and the page
can no longer disagree (department staff were shown "Imports", which then refused them).
`tests/test_permissions_matrix.py` opens every link shown to every role and checks that each page a
role may open is in its menu. A few links carry an extra condition on top of the permission (a
program the student's institution does not run is not offered); the page's own rule still applies.

Templates also ask single pages: `{% if user|may_open:"scoring:runs" %}` (a builtin filter).
"""
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from django import template
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import allows


def _student_profile(user):
    if getattr(user, "role", None) != "student":
        return None
    if not user._state.fields_cache.get("student_profile"):
        # one query for the profile and its institution (the top bar of every student page; the lazy
        # path read major, department, campus and institution one query each — issue 12)
        from careers.models import StudentProfile

        profile = (StudentProfile.objects.filter(user=user)
                   .select_related("major__department__campus__institution").first())
        if profile is None:
            return None
        user._state.fields_cache["student_profile"] = profile
    return user._state.fields_cache["student_profile"]


def _runs_du_heart(user):
    profile = _student_profile(user)
    return profile is not None and "du-heart" in (profile.institution.programs or [])


def _has_certification(user):
    profile = _student_profile(user)
    return profile is not None and bool(profile.major.code)


def _is_django_admin(user):
    # what AdminSite.has_permission asks
    return user.is_active and user.is_staff


@dataclass(frozen=True)
class Item:
    url_name: str
    label: str
    html_id: str = ""
    also: Callable = None  # an extra condition for showing the link (never one that widens access)


ITEMS = [
    Item("careers:dashboard", _("My careers")),
    Item("careers:self_introduction", _("Self-introduction")),
    Item("certification:committee", _("Evaluation committee")),
    Item("careers:staff_home", _("Review")),
    Item("careers:queue", _("Approval queue")),
    Item("imports:index", _("Imports")),
    Item("scholarships:selections", _("Scholarships")),
    Item("programs:list", _("Programs")),
    Item("scholarships:statement", _("DU-HEART statement"), also=_runs_du_heart),
    Item("certification:mine", _("Graduation certification"), also=_has_certification),
    Item("careers:student_list", _("Students")),
    Item("advising:index", _("Counseling")),
    Item("reports:batches", _("Counseling reports")),
    Item("careers:notifications", _("Notifications"), html_id="notices-link"),
    Item("scoring:rules", _("Rule files")),
    Item("admin:index", _("Administration")),
    Item("accounts:api_token", _("API token"), html_id="api-token-link"),
]


@lru_cache(maxsize=None)
def _view(url_name):
    url = reverse(url_name)
    return url, resolve(url).func


def may_open(user, url_name):
    """Whether the page named `url_name` (no arguments) lets `user` in, by its declared permission."""
    if user is None or not user.is_authenticated:
        return False
    try:
        url, view = _view(url_name)
    except NoReverseMatch:
        return False
    if url_name == "admin:index":
        return _is_django_admin(user)
    return allows(view, user)


def menu_for(user):
    """[(url, label, html_id)] of the pages `user` may open, in menu order."""
    if user is None or not user.is_authenticated:
        return []
    shown = []
    for item in ITEMS:
        if may_open(user, item.url_name) and (item.also is None or item.also(user)):
            shown.append({"url": _view(item.url_name)[0], "label": item.label, "id": item.html_id,
                          "name": item.url_name})
    return shown


def menu(request):
    """Context processor: `menu` for templates/base.html."""
    return {"menu": menu_for(getattr(request, "user", None))}


register = template.Library()


@register.filter(name="may_open")
def may_open_filter(user, url_name):
    return may_open(user, url_name)
