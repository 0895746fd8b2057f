"""How a page reports the outcome of a service call (one place for every app's POST views).

The API's counterpart is mileage_portal.api_errors (a DRF exception handler): the same service
exceptions become a 400 naming the fields or a 403 with the reason."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def perform(request, call, done, *, form=None):
    """Run `call()`. Its ValidationError messages or PermissionDenied reason become error
    messages (with `form`: the form's errors, on the fields the error names); success shows `done`.
    Returns whether it succeeded."""
    try:
        call()
    except ValidationError as error:
        if form is not None:
            _add_to_form(form, error)
        else:
            for text in error.messages:
                messages.error(request, text)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Not allowed."))
    else:
        if done:
            messages.success(request, done)
        return True
    return False


def _add_to_form(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for text in (m for e in errors for m in e.messages):
                form.add_error(field if field in form.fields else None, text)
    else:
        for text in error.messages:
            form.add_error(None, text)
