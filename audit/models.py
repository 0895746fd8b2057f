from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                              verbose_name=_("who"))
    action = models.CharField(_("what"), max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True)
    student = models.ForeignKey("careers.StudentProfile", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # the entry page lists an entry's events by object_id or data["entry"]: without this index it
        # read every event (500 ms with 400,000 events; issue 12, bench/README.md)
        indexes = [models.Index(KeyTransform("entry", "data"), name="audit_event_data_entry_idx")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"

    ACTION_LABELS = {
        "entry.submit": _("submitted"), "entry.withdraw": _("withdrawn"), "entry.approve": _("approved"),
        "entry.reject": _("rejected"), "entry.revoke": _("revoked"),
        "entry.return_for_info": _("returned for more information"), "entry.original_seen": _("original seen"),
        "entry.organization_linked": _("organization linked to the directory"),
        "evidence.upload": _("evidence uploaded"), "evidence.delete": _("evidence removed"),
        "evidence.view": _("evidence viewed"), "evidence.download": _("evidence downloaded"),
    }

    def get_action_display(self):
        return self.ACTION_LABELS.get(self.action, self.action)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are never deleted")


class Notification(models.Model):
    """An in-portal notice (the email goes out at the same time)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
