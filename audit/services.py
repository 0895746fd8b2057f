"""log_action (pretix's idea): one call per state change, inside the caller's transaction."""
from django.core.mail import send_mail
from django.db import transaction

from mileage_portal.text import clip

from .models import AuditEvent, Notification


def log_action(*, actor, action, obj, student=None, reason="", data=None):
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__,
        object_id=str(getattr(obj, "pk", obj)),
        student=student,
        reason=reason or "",
        data=data or {},
    )


def notify(*, user, subject, message, url=""):
    """An in-portal notice now, and an email once the transaction commits."""
    # The notice is a copy of text stored whole elsewhere (the decision's reason): cut to fit its
    # column rather than fail the decision; the email carries the whole text.
    Notification.objects.create(user=user, message=clip(message, Notification._meta.get_field("message").max_length),
                                url=url)
    if user.email:
        transaction.on_commit(lambda: send_mail(subject, message, None, [user.email], fail_silently=True))
