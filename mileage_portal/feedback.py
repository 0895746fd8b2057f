"""How a page reports the outcome of a service call (one place for every app's POST views)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def perform(request, call, done):
    """Run `call()`. Its ValidationError messages or PermissionDenied reason become error
    messages; success shows `done`. Returns whether it succeeded."""
    try:
        call()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Not allowed."))
    else:
        if done:
            messages.success(request, done)
        return True
    return False
