"""How a page reports the outcome of a service call (one place for every app's POST views).

The API's counterpart is mileage_portal.api_errors (a DRF exception handler): the same service
exceptions become a 400 naming the fields or a 403 with the reason."""
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def perform(request, call, done, *, form=None):
    """Run `call()`. Its ValidationError messages or PermissionDenied reason become error
    messages (with `form`: the form's errors, on the fields the error names); success shows `done`.
    Returns whether it succeeded."""
    try:
        call()
    except ValidationError as error:
        if form is not None:
            apply_errors(form, error)
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


def apply_errors(form, error):
    """Put a service's ValidationError onto a form, field by field where the field exists. Each
    message once: the service validates with the same form, so the form may already hold it (issue
    13: "form errors appear twice")."""
    pairs = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]
    for field, errors in pairs:
        key = field if field in form.fields else None
        for item in errors:
            for text in ValidationError(item).messages:
                if text not in form.errors.get(key or NON_FIELD_ERRORS, []):
                    form.add_error(key, text)
