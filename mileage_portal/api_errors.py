"""How a service's refusal reaches an API client: one DRF exception handler for every endpoint.

Services raise Django's `ValidationError` (bad input; a dict names the fields) and
`PermissionDenied` (with a reason). Pages show them through `mileage_portal.feedback.perform`; the
API answers them here: 400 with `{field: [messages]}` (`non_field_errors` when no field is named)
and 403 with the service's reason as `detail`. A view's own `InputError` (mileage_portal.http) is a
400 naming its field. Everything else goes to DRF's own handler.
"""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .http import InputError


def as_drf(exc):
    """The DRF exception a Django/service exception stands for (or `exc` itself)."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()})
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, InputError):
        return exceptions.ValidationError({exc.field: [exc.message]} if exc.field else [exc.message])
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def exception_handler(exc, context):
    return drf_exception_handler(as_drf(exc), context)
