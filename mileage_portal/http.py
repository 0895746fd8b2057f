"""Bad input answered with a 400 that names the field, instead of a 500 further down.

`InputError` is raised by a view for a parameter it cannot use (`?limit=-5`, a malformed id, a
semester that cannot be a sheet title); `handler400` shows its message. `RejectNulBytesMiddleware`
refuses a NUL character in any query or form parameter before a view sees it: PostgreSQL cannot
store one in text, and a search for one fails inside the database.
"""
import json

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class InputError(BadRequest):
    """A request parameter that cannot be used; the message names it and is shown to the user."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def bad_request_response(request, message, field=""):
    if request.path.startswith("/api/"):
        body = {field: [message]} if field else {"detail": message}
        return HttpResponseBadRequest(json.dumps(body, ensure_ascii=False), content_type="application/json")
    try:
        html = render_to_string("400.html", {"message": message}, request=request)
    except Exception:  # the error page must never fail itself
        html = f"<h1>400</h1><p>{message}</p>"
    return HttpResponseBadRequest(html)


def bad_request(request, exception=None):
    """handler400: our own InputError's message is shown; any other reason stays generic."""
    if isinstance(exception, InputError):
        return bad_request_response(request, exception.message, exception.field)
    return bad_request_response(request, _("The request could not be understood."))


def positive_int(request, name, *, default=None, maximum=None, minimum=1):
    """A whole-number query parameter, or InputError naming it."""
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        raise InputError(name, _("%(field)s: a whole number from %(min)d to %(max)s.")
                         % {"field": name, "min": minimum, "max": maximum if maximum is not None else "∞"})
    return value


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = self._field_with_nul(request)
        if field is not None:
            return bad_request_response(
                request, _("%(field)s: contains a NUL character, which is not allowed.") % {"field": field}, field)
        return self.get_response(request)

    @staticmethod
    def _field_with_nul(request):
        if "\x00" in request.path:
            return "path"
        sources = [request.GET]
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            sources.append(request.POST)
        for params in sources:
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return key.replace("\x00", "")
        return None
