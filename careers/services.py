"""Writes on career entries, evidence, profiles and self-introductions.

Every function takes keyword arguments and the acting user, checks that the actor may do it
(through careers.access), runs in one transaction and leaves a history row. Failures raise
ValidationError (bad input: messages name the field) or PermissionDenied; nothing stored is
changed when they do.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts.models import Role
from audit.services import log_action, notify
from mileage_portal.text import change_reason

from . import access
from .evidence import check_upload
from mileage_portal.reasons import clean_reason
from .kinds import KIND_FORMS
from .models import CareerEntry, EntryStatus, Evidence, Organization, SelfIntroduction

# Reasons are mandatory for these decisions (the issue: "rejected (reason required)",
# "only revoked with a reason").
MIN_REASON_CHARS = 2


def _validated_form(kind, data):
    try:
        form_class = KIND_FORMS[kind]
    except KeyError:
        raise ValidationError({"kind": _("Kind: unknown kind '%(kind)s'.") % {"kind": kind}}) from None
    form = form_class(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form


def _resolve_organization(form, organization_id):
    """Directory pick, or "direct input" of a name not in the directory (flagged for staff)."""
    field = form.org_field
    if not field:
        return None, False
    if organization_id:
        try:
            org = Organization.objects.get(pk=organization_id, active=True)
        except (Organization.DoesNotExist, ValueError):
            raise ValidationError({field: _("Organization: the chosen organization does not exist.")}) from None
        form.cleaned_data[field] = org.name
        return org, False
    typed = form.cleaned_data[field].strip()
    org = Organization.objects.filter(name__iexact=typed, active=True).first()
    if org:
        form.cleaned_data[field] = org.name
        return org, False
    return None, True


def _require_student_owner(actor, student):
    if not (actor.is_authenticated and actor.role == Role.STUDENT and student.user_id == actor.pk):
        raise PermissionDenied(_("Only the student can do this."))


@transaction.atomic
def entry_create(*, actor, student, kind, data, organization_id=None):
    """A student records a new entry (as a draft)."""
    _require_student_owner(actor, student)
    form = _validated_form(kind, data)
    if not form.student_may_create:
        raise ValidationError({"kind": _("Kind: %(kind)s records arrive from campus systems.") % {"kind": form.label}})
    org, direct = _resolve_organization(form, organization_id)
    return CareerEntry.objects.create(
        student=student, kind=kind, date=form.entry_date(), data=form.to_data(),
        organization=org, organization_direct_input=direct, created_by=actor,
    )


@transaction.atomic
def entry_update(*, actor, entry, data, organization_id=None):
    """Only drafts and rejected entries change; an approved entry is never edited."""
    entry = CareerEntry.objects.select_for_update().get(pk=entry.pk)
    _require_student_owner(actor, entry.student)
    if not entry.is_editable:
        raise PermissionDenied(_("Only drafts and rejected entries can be changed."))
    form = _validated_form(entry.kind, data)
    org, direct = _resolve_organization(form, organization_id)
    entry.date = form.entry_date()
    entry.data = form.to_data()
    entry.organization, entry.organization_direct_input = org, direct
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, actor, entry):
    entry = CareerEntry.objects.select_for_update().get(pk=entry.pk)
    _require_student_owner(actor, entry.student)
    if entry.status != EntryStatus.DRAFT:
        raise PermissionDenied(_("Only drafts can be deleted."))
    for item in entry.evidence.all():
        item.file.delete(save=False)
    entry.delete()


def submit_blockers(entry):
    """Why this entry cannot be submitted yet (empty when it can)."""
    blockers = []
    intro = SelfIntroduction.objects.filter(student=entry.student).first()
    if intro is None or not intro.is_complete():
        blockers.append(_("Write your self-introduction first: entries can be submitted only after it."))
    if entry.requires_evidence and not entry.evidence.exists():
        blockers.append(_("Evidence file: upload the evidence; without it the entry is not recognised."))
    return blockers


@transaction.atomic
def entry_submit(*, actor, entry):
    entry = CareerEntry.objects.select_for_update().get(pk=entry.pk)
    _require_student_owner(actor, entry.student)
    if not can_proceed(entry.submit):
        raise PermissionDenied(_("This entry cannot be submitted in its current state."))
    blockers = submit_blockers(entry)
    if blockers:
        raise ValidationError(blockers)
    entry.submit()
    entry.submitted_on = timezone.localdate()
    entry.decision_reason = ""
    entry.save()
    log_action(actor=actor, action="entry.submit", obj=entry, student=entry.student)
    return entry


@transaction.atomic
def entry_withdraw(*, actor, entry):
    entry = CareerEntry.objects.select_for_update().get(pk=entry.pk)
    _require_student_owner(actor, entry.student)
    if not can_proceed(entry.withdraw):
        raise PermissionDenied(_("Only entries waiting for review can be withdrawn."))
    entry.withdraw()
    entry.submitted_on = None
    entry.save()
    log_action(actor=actor, action="entry.withdraw", obj=entry, student=entry.student)
    return entry


def _decide(actor, entry, transition_name, reason, reason_required):
    entry = CareerEntry.objects.select_for_update().select_related("student").get(pk=entry.pk)
    if not access.may_review(actor, entry.student):
        raise PermissionDenied(_("You may not review this student's entries."))
    method = getattr(entry, transition_name)
    if not can_proceed(method):
        raise PermissionDenied(
            _("This entry is %(status)s; that decision is not possible now.") % {"status": entry.get_status_display()}
        )
    reason = clean_reason(reason)
    if reason_required and len(reason) < MIN_REASON_CHARS:
        raise ValidationError({"reason": _("Reason: write the reason for this decision.")})
    method()
    entry.decided_at = timezone.now()
    entry.decided_by = actor
    entry.decision_reason = reason
    entry._change_reason = change_reason(reason or transition_name)  # the stored reason above stays whole
    entry.save()
    log_action(actor=actor, action=f"entry.{transition_name}", obj=entry, student=entry.student, reason=reason,
               data={"kind": entry.kind, "summary": entry.summary})
    _tell_student(entry, transition_name, reason)
    if transition_name in ("approve", "revoke", "reject"):
        _recompute_after_commit(entry.student_id)
    return entry


# Lazy: these are read when a decision is made, in the language of whoever reads them.
DECISION_WORDS = {
    "approve": gettext_lazy("approved"), "reject": gettext_lazy("rejected"), "revoke": gettext_lazy("revoked"),
    "return_for_info": gettext_lazy("returned for more information"),
}


def _tell_student(entry, transition_name, reason):
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    # The student reads it in the portal's language, whatever language the staff member uses.
    with translation.override(settings.LANGUAGE_CODE):
        _notify_decision(entry, transition_name, reason, reverse)


def _notify_decision(entry, transition_name, reason, reverse):
    words = {"what": entry.summary, "decision": DECISION_WORDS[transition_name]}
    message = _("Your entry \"%(what)s\" was %(decision)s.") % words
    if reason:
        message += " " + _("Reason: %(reason)s") % {"reason": reason}
    notify(user=entry.student.user, subject=_("[Career Mileage Portal] Entry %(decision)s") % words,
           message=message, url=reverse("careers:entry_detail", kwargs={"pk": entry.pk}))


def _recompute_after_commit(student_id):
    # scoring reads careers, not the reverse: it receives the signal and queues the recomputation
    from .signals import records_changed

    transaction.on_commit(lambda: records_changed.send(sender=CareerEntry, student_id=student_id))


@transaction.atomic
def entry_approve(*, actor, entry, reason=""):
    return _decide(actor, entry, "approve", reason, reason_required=False)


@transaction.atomic
def entry_return_for_info(*, actor, entry, reason):
    entry = _decide(actor, entry, "return_for_info", reason, reason_required=True)
    entry.submitted_on = None
    entry.save(update_fields=["submitted_on"])
    return entry


@transaction.atomic
def entries_bulk_approve(*, actor, entry_ids):
    """Approve many entries in one transaction: all of them, or none if any cannot be."""
    entries = list(CareerEntry.objects.select_for_update().filter(pk__in=entry_ids).select_related("student"))
    if len(entries) != len(set(map(str, entry_ids))):
        raise ValidationError(_("Some of the chosen entries no longer exist or are not visible to you."))
    reviewable = set(access.students_reviewable_by(actor).filter(pk__in={e.student_id for e in entries})
                     .values_list("pk", flat=True))
    for e in entries:
        if e.student_id not in reviewable:
            raise PermissionDenied(_("You may not review this student's entries."))
        if e.status != EntryStatus.SUBMITTED:
            raise ValidationError(_("Only entries waiting for review can be approved; reload the queue."))
    return [_decide(actor, e, "approve", "", reason_required=False) for e in entries]


@transaction.atomic
def mark_original_seen(*, actor, entry):
    entry = CareerEntry.objects.select_for_update().select_related("student").get(pk=entry.pk)
    if not access.may_review(actor, entry.student):
        raise PermissionDenied(_("You may not review this student's entries."))
    entry.original_seen_on = timezone.localdate()
    entry.original_seen_by = actor
    entry.save(update_fields=["original_seen_on", "original_seen_by", "updated_at"])
    log_action(actor=actor, action="entry.original_seen", obj=entry, student=entry.student)
    return entry


@transaction.atomic
def entry_reject(*, actor, entry, reason):
    return _decide(actor, entry, "reject", reason, reason_required=True)


@transaction.atomic
def entry_revoke(*, actor, entry, reason):
    return _decide(actor, entry, "revoke", reason, reason_required=True)


@transaction.atomic
def evidence_add(*, actor, entry, uploaded_file):
    """Attach a file to an editable entry after sniffing and cleaning it (careers.evidence)."""
    entry = CareerEntry.objects.select_for_update().get(pk=entry.pk)
    _require_student_owner(actor, entry.student)
    if not entry.is_editable:
        raise PermissionDenied(_("Evidence can be added only to drafts and rejected entries."))
    checked = check_upload(uploaded_file)
    evidence = Evidence(
        entry=entry,
        original_name=(uploaded_file.name or "evidence")[-255:],
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save("upload", ContentFile(checked.content), save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    log_action(actor=actor, action="evidence.upload", obj=evidence, student=entry.student,
               data={"entry": str(entry.pk), "sha256": checked.sha256, "size": len(checked.content)})
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence):
    entry = evidence.entry
    _require_student_owner(actor, entry.student)
    if not entry.is_editable:
        raise PermissionDenied(_("Evidence can be removed only from drafts and rejected entries."))
    name = evidence.file.name
    log_action(actor=actor, action="evidence.delete", obj=evidence, student=entry.student,
               data={"entry": str(entry.pk), "sha256": evidence.sha256})
    evidence.delete()
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def self_introduction_save(*, actor, student, job_fields, desired_companies, desired_jobs, text):
    _require_student_owner(actor, student)
    intro, _created = SelfIntroduction.objects.select_for_update().get_or_create(
        student=student, defaults={"text": ""}
    )
    intro.job_fields = list(job_fields)
    intro.desired_companies = desired_companies
    intro.desired_jobs = desired_jobs
    intro.text = text
    intro.save()
    return intro


# --- entries recorded by another part of the portal ------------------------------------------------
@transaction.atomic
def entry_record_approved(*, actor, student, kind, data, source, reason=""):
    """An entry that arrives decided from another part of the portal (e.g. advising: a logged
    counseling session is the student's approved `counseling` entry). The calling service has
    checked that `actor` may record it for `student`; this validates the data with the kind's form
    (errors name the field), logs the approval and recomputes the student's results after commit."""
    form = _validated_form(kind, data)
    today = timezone.localdate()
    entry = CareerEntry.objects.create(
        student=student, kind=kind, status=EntryStatus.APPROVED, date=form.entry_date(), data=form.to_data(),
        source=source, submitted_on=today, decided_at=timezone.now(), decided_by=actor, decision_reason=reason,
        created_by=actor,
    )
    log_action(actor=actor, action="entry.approve", obj=entry, student=student, reason=reason,
               data={"kind": kind, "summary": entry.summary, "source": source})
    _recompute_after_commit(student.pk)
    return entry


@transaction.atomic
def entry_revoke_recorded(*, actor, entry, reason):
    """Revoke an entry recorded by entry_record_approved when its record is withdrawn (the calling
    service has checked the actor). An entry no longer approved is left as it is."""
    entry = CareerEntry.objects.select_for_update().select_related("student").get(pk=entry.pk)
    reason = clean_reason(reason)
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError({"reason": _("Reason: write the reason for this decision.")})
    if not can_proceed(entry.revoke):
        return entry
    entry.revoke()
    entry.decided_at = timezone.now()
    entry.decided_by = actor
    entry.decision_reason = reason
    entry._change_reason = change_reason(reason)
    entry.save()
    log_action(actor=actor, action="entry.revoke", obj=entry, student=entry.student, reason=reason,
               data={"kind": entry.kind, "summary": entry.summary, "source": entry.source})
    _recompute_after_commit(entry.student_id)
    return entry


# --- the organisation directory: adopting a typed-in name -----------------------------------------
def typed_organization_key(name):
    """A typed organisation name compared case- and space-insensitively ('한국 전력 ' = '한국전력')."""
    return "".join(str(name or "").split()).casefold()


def typed_organization_name(entry):
    """The organisation name the student typed on this entry ('' when its kind names none)."""
    field = KIND_FORMS[entry.kind].org_field if entry.kind in KIND_FORMS else None
    return str(entry.data.get(field, "")).strip() if field else ""


@transaction.atomic
def typed_organization_adopt(*, actor, entry, organization=None, kind=None, name=None):
    """Staff add an entry's typed-in organisation to the directory: merged into `organization`
    (the typed name becomes one of its other names) or, without one, created as a new organisation
    of `kind` named `name` (default: the typed name). Every entry whose typed name is the same
    (case and spaces aside) is linked to it and loses its "typed in" flag; each link is logged.
    Returns (organization, linked entries)."""
    entry = CareerEntry.objects.select_for_update().select_related("student").get(pk=entry.pk)
    if not access.may_review(actor, entry.student):
        raise PermissionDenied(_("You may not review this student's entries."))
    typed = typed_organization_name(entry)
    if not entry.organization_direct_input or not typed:
        raise ValidationError(_("This entry's organization is already in the directory."))
    key = typed_organization_key(typed)
    if organization is not None:
        try:
            org = Organization.objects.select_for_update().get(pk=getattr(organization, "pk", organization),
                                                               active=True)
        except (Organization.DoesNotExist, ValueError, TypeError):
            raise ValidationError({"organization": _("Organization: choose one from the directory search.")}) from None
        aliases = [a.strip() for a in org.aliases.split(",") if a.strip()]
        known = {typed_organization_key(n) for n in [org.name, *aliases]}
        if key not in known:
            aliases.append(typed)
            joined = ", ".join(aliases)
            if len(joined) > Organization._meta.get_field("aliases").max_length:
                raise ValidationError({"organization": _(
                    "Organization: its list of other names is full; shorten it in the administration first.")})
            org.aliases = joined
            org.save(update_fields=["aliases"])
        mode = "merge"
    else:
        name = " ".join(str(name if name is not None else typed).split())
        if not name:
            raise ValidationError({"name": _("Name: write the organization's name.")})
        if len(name) > Organization._meta.get_field("name").max_length:
            raise ValidationError({"name": _("Name: at most 200 characters.")})
        if kind not in Organization.Kind.values:
            raise ValidationError({"kind": _("Kind: choose the kind of organization.")})
        if Organization.objects.filter(name__iexact=name).exists():
            raise ValidationError({"name": _(
                "Name: '%(name)s' is already in the directory; merge into it instead.") % {"name": name}})
        aliases = typed if typed_organization_key(typed) != typed_organization_key(name) else ""
        org = Organization.objects.create(name=name, kind=kind, aliases=aliases)
        mode = "create"
    linked = []
    candidates = (CareerEntry.objects.select_for_update().select_related("student")
                  .filter(organization_direct_input=True).order_by("created_at"))
    for other in candidates:
        if typed_organization_key(typed_organization_name(other)) != key:
            continue
        other.organization = org
        other.organization_direct_input = False
        other._change_reason = change_reason(f"organization {mode}: {org.name}")
        other.save(update_fields=["organization", "organization_direct_input", "updated_at"])
        log_action(actor=actor, action="entry.organization_linked", obj=other, student=other.student,
                   data={"organization": org.name, "organization_id": org.pk, "typed": typed, "mode": mode})
        linked.append(other)
    log_action(actor=actor, action=f"organization.{mode}", obj=org,
               data={"typed": typed, "from_entry": str(entry.pk), "entries": [str(e.pk) for e in linked]})
    return org, linked
