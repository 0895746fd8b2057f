"""Student pages (and read-only views of a student for staff, advisors and admins).

Views are thin: they check access through careers.access, call one service or selector, and
render. Korean is the default language; every text goes through the translation machinery.
"""
import hashlib
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from mileage_portal.feedback import apply_errors, perform
from audit.models import AuditEvent
from audit.services import log_action

from . import access, selectors, services
from .forms import DecisionForm, EvidenceForm, SelfIntroductionForm
from .kinds import KIND_FORMS, STUDENT_KINDS
from .models import Organization, SelfIntroduction
from mileage_portal.permissions import permission_required
from pagecache import pages


def _apply_errors(form, error):
    """A service's ValidationError onto a form (mileage_portal.feedback.apply_errors, the one path)."""
    apply_errors(form, error)


def _student_or_403(request):
    return access.own_student_or_403(request.user)


@login_required
@permission_required(access.can_read_records)
def home(request):
    if access.can_use_own_pages(request.user):
        return redirect("careers:dashboard")
    if access.can_review(request.user):
        return redirect("careers:staff_home")
    return redirect("careers:student_list")


def _dashboard_context(student, viewer):
    intro = SelfIntroduction.objects.filter(student=student).first()
    results, per_entry = selectors.results_for(student)
    groups = selectors.entries_by_group(student)
    for group in groups:
        for entry in group["entries"]:
            entry.scored = per_entry.get(str(entry.pk), [])
    return {
        "results": results,
        "student": student,
        "groups": groups,
        # entry id → summary: a reason naming another entry shows it (scoring.labels.readable_reason)
        "summaries": {str(e.pk): e.summary for g in groups for e in g["entries"]},
        "counts": selectors.status_counts(student, entries=[e for g in groups for e in g["entries"]]),
        "intro_complete": bool(intro and intro.is_complete()),
        "new_kinds": [(k, KIND_FORMS[k].label) for k in STUDENT_KINDS],
        "is_owner": student.user_id == viewer.pk,
        "fragment_key": _fragment_key(results, groups),
    }


def _fragment_key(results, groups):
    """The dashboard caches its rendered entry tables (Django's {% cache %}, Redis) under a digest of
    everything they show: the language, whether there are results, each entry's fields, evidence
    count and scored items (points and reasons per program). A change to any of them is a new key,
    so nothing is invalidated by hand and nothing stale is shown; rendering the ~40 rows was most of
    the page's cost (bench/README.md, issue 12)."""
    parts = [get_language(), bool(results)]
    for group in groups:
        parts.append((group["key"], str(group["label"]), [
            (str(e.pk), e.kind, e.status, str(e.date), e.data, e.summary, e.n_evidence, e.scored)
            for e in group["entries"]
        ]))
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


@login_required
@permission_required(access.can_use_own_pages)
def dashboard(request):
    return pages.serve(request, student_page_keys(request, access.own_student_id_or_403(request.user)),
                       lambda: render(request, "careers/dashboard.html",
                                      _dashboard_context(_student_or_403(request), request.user)))


def student_page_keys(request, student_id, *, trail=False):
    """What a student's pages depend on (pagecache.watch): her records, the reader's top bar, shared
    names and, for the entry page, the trail of her entries."""
    trail_keys = [f"audit:{student_id}"] if trail else []
    return [f"student:{student_id}", *trail_keys, f"user:{request.user.pk}", "global"]


@login_required
@permission_required(access.can_list_students)
def student_list(request):
    students = access.students_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        students = students.filter(Q(name__icontains=q) | Q(student_no__icontains=q))
    return render(request, "careers/student_list.html", {"students": students[:200], "q": q})


@login_required
@permission_required(access.can_read_records)
def student_detail(request, pk):
    student = access.get_student_or_404(request.user, pk)
    return pages.serve(request, student_page_keys(request, student.pk),
                       lambda: render(request, "careers/dashboard.html", _dashboard_context(student, request.user)))


def _org_context(form):
    return {"org_field": form.org_field}


@login_required
@permission_required(access.can_use_own_pages)
def entry_new(request, kind):
    student = _student_or_403(request)
    if kind not in STUDENT_KINDS:
        raise Http404
    form_class = KIND_FORMS[kind]
    form = form_class(data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            entry = services.entry_create(
                actor=request.user, student=student, kind=kind, data=request.POST,
                organization_id=request.POST.get("organization_id") or None,
            )
        except ValidationError as error:
            form.is_valid()
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved as a draft. Upload the evidence and submit it for review."))
            return redirect("careers:entry_detail", pk=entry.pk)
    return render(request, "careers/entry_form.html", {"form": form, "kind_label": form_class.label, **_org_context(form)})


@login_required
@permission_required(access.can_read_records)
def entry_edit(request, pk):
    entry = access.get_entry_or_404(request.user, pk)
    if not access.is_owner(request.user, entry):
        raise Http404
    if not entry.is_editable:
        messages.error(request, _("Only drafts and rejected entries can be changed."))
        return redirect("careers:entry_detail", pk=entry.pk)
    form = entry.form_class(data=request.POST if request.method == "POST" else None, initial={**entry.data, entry.form_class.date_field: entry.date})
    if request.method == "POST":
        try:
            services.entry_update(
                actor=request.user, entry=entry, data=request.POST,
                organization_id=request.POST.get("organization_id") or None,
            )
        except ValidationError as error:
            form.is_valid()
            _apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("careers:entry_detail", pk=entry.pk)
    return render(
        request, "careers/entry_form.html",
        {"form": form, "entry": entry, "kind_label": entry.form_class.label,
         "organization": entry.organization, **_org_context(form)},
    )


@login_required
@permission_required(access.can_read_records)
def entry_detail(request, pk):
    # A stored copy of this page exists only if access.get_entry_or_404 let this user read this entry
    # when it was rendered, and its key holds the counters of everything that check reads (the
    # user's role and scope, the student's major and mentor, the majors' departments): while they
    # are unchanged the answer is the same, so a stored copy is served without asking again.
    student_id = selectors.entry_student_id(pk)
    if student_id is None:
        raise Http404
    return pages.serve(request, student_page_keys(request, student_id, trail=True),
                       lambda: _entry_page(request, access.get_entry_or_404(request.user, pk)))


def _entry_page(request, entry):
    owner = access.is_owner(request.user, entry)
    from .staff_views import REASON_TEMPLATES

    return render(
        request,
        "careers/entry_detail.html",
        {
            "entry": entry,
            "fields": selectors.entry_fields(entry),
            "evidence": entry.evidence.all(),
            "is_owner": owner,
            "may_review": access.may_review(request.user, entry.student),
            "blockers": services.submit_blockers(entry) if owner and entry.is_editable else [],
            "evidence_form": EvidenceForm(),
            "decision_form": DecisionForm(),
            "events": AuditEvent.objects.filter(Q(object_id=str(entry.pk)) | Q(data__entry=str(entry.pk)))
            .exclude(action__in=["evidence.view", "evidence.download"]).select_related("actor")[:50],
            "reason_templates": REASON_TEMPLATES,
            "queue": request.GET.get("queue", ""),
            "needs_original": entry.kind in ("certificate", "overseas_study"),
            # staff add a typed-in organisation to the directory (staff_views.adopt_organization)
            "typed_organization": services.typed_organization_name(entry) if entry.organization_direct_input else "",
            "organization_kinds": Organization.Kind.choices,
        },
    )


# Lazy: these are read when a decision is made, in the language of whoever reads them.
ACTIONS = {
    "submit": (services.entry_submit, gettext_lazy("Submitted for review.")),
    "return": (services.entry_return_for_info, gettext_lazy("Returned to the student for more information.")),
    "withdraw": (services.entry_withdraw, gettext_lazy("Withdrawn to draft.")),
    "approve": (services.entry_approve, gettext_lazy("Approved.")),
    "reject": (services.entry_reject, gettext_lazy("Rejected.")),
    "revoke": (services.entry_revoke, gettext_lazy("Revoked.")),
}


@login_required
@require_POST
@permission_required(access.can_read_records)
def entry_action(request, pk, action):
    entry = access.get_entry_or_404(request.user, pk)
    if action == "delete":
        if perform(request, lambda: services.entry_delete(actor=request.user, entry=entry), _("Draft deleted.")):
            return redirect("careers:dashboard")
        return redirect("careers:entry_detail", pk=entry.pk)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    kwargs = {"actor": request.user, "entry": entry}
    if action in ("approve", "reject", "revoke", "return"):
        kwargs["reason"] = request.POST.get("reason", "")
    if not request.POST.get("next_in_queue"):
        perform(request, lambda: service(**kwargs), done)
        return redirect("careers:entry_detail", pk=entry.pk)
    if not perform(request, lambda: service(**kwargs), None):
        return redirect(f"/entries/{entry.pk}/?{urlencode({'queue': request.POST.get('queue', '')})}")
    following = _next_in_queue(request, entry)
    # The message shows above the next entry: it names the entry just decided, styled apart
    # (msg-decided) so nobody reads it as this entry's status.
    words = DECIDED_WORDS.get(action, done)
    if following.startswith("/entries/"):
        text = _("‘%(entry)s’ %(decision)s · next entry") % {"entry": entry.summary, "decision": words}
    else:
        text = _("‘%(entry)s’ %(decision)s · the queue is empty") % {"entry": entry.summary, "decision": words}
    messages.success(request, text, extra_tags="decided")
    return redirect(following)


# What the message after a decision from the queue says was done to the previous entry.
DECIDED_WORDS = {
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "return": gettext_lazy("returned for more information"),
    "revoke": gettext_lazy("revoked"),
}


def _next_in_queue(request, entry):
    """After a decision from the queue, go on to the next waiting entry of the same queue."""
    from .staff_views import _queue_for_query

    query = request.POST.get("queue", "")
    following = _queue_for_query(request.user, query).exclude(pk=entry.pk).first()
    if following is None:
        return f"/staff/queue/?{query}"
    return f"/entries/{following.pk}/?{urlencode({'queue': query})}"


@login_required
@require_POST
@permission_required(access.can_read_records)
def evidence_upload(request, pk):
    entry = access.get_entry_or_404(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for text in form.errors.get("file", []):
            messages.error(request, _("Evidence file: %(error)s") % {"error": text})
        return redirect("careers:entry_detail", pk=entry.pk)
    perform(request, lambda: services.evidence_add(actor=request.user, entry=entry,
                                                   uploaded_file=form.cleaned_data["file"]),
            _("Evidence uploaded."))
    return redirect("careers:entry_detail", pk=entry.pk)


# No Content-Security-Policy on the file itself: it is a sniffed PDF or image (nosniff), and a
# policy on a PDF response can stop the browser's own PDF viewer in the entry page's preview.
@csp_override({})
@xframe_options_sameorigin  # previewed in an iframe of the entry page
@login_required
@require_GET
@permission_required(access.can_read_records)
def evidence_file(request, pk):
    evidence = access.get_evidence_or_404(request.user, pk)
    download = request.GET.get("download") == "1" or not (evidence.is_image or evidence.is_pdf)
    log_action(actor=request.user, action="evidence.download" if download else "evidence.view", obj=evidence,
               student=evidence.entry.student, data={"entry": str(evidence.entry_id)})
    response = FileResponse(
        evidence.file.open("rb"), content_type=evidence.content_type,
        as_attachment=download, filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
@permission_required(access.can_read_records)
def evidence_delete(request, pk):
    evidence = access.get_evidence_or_404(request.user, pk)
    entry_pk = evidence.entry_id
    perform(request, lambda: services.evidence_delete(actor=request.user, evidence=evidence), _("Evidence removed."))
    return redirect("careers:entry_detail", pk=entry_pk)


@login_required
@permission_required(access.can_use_own_pages)
def self_introduction(request):
    student = _student_or_403(request)
    intro = SelfIntroduction.objects.filter(student=student).first()
    initial = {}
    if intro:
        initial = {"job_fields": intro.job_fields, "desired_companies": intro.desired_companies,
                   "desired_jobs": intro.desired_jobs, "text": intro.text}
    form = SelfIntroductionForm(data=request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.self_introduction_save(actor=request.user, student=student, **form.cleaned_data)
        messages.success(request, _("Self-introduction saved. You can now submit entries."))
        return redirect("careers:dashboard")
    return render(request, "careers/self_introduction.html", {"form": form, "intro": intro})


@login_required
@permission_required(access.can_read_records)
def notifications(request):
    notices = list(request.user.notifications.all()[:100])
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "careers/notifications.html", {"notices": notices})


@login_required
@require_GET
@permission_required(access.can_read_records)
def org_search(request):
    q = request.GET.get("q", "").strip() or request.GET.get(request.GET.get("field", ""), "").strip()
    orgs = []
    if len(q) >= 1:
        orgs = Organization.objects.filter(Q(name__icontains=q) | Q(aliases__icontains=q), active=True)[:10]
    # purpose=directory: staff merging a typed name (no "saved as direct input" hint there)
    return render(request, "careers/_org_results.html",
                  {"orgs": orgs, "q": q, "merging": request.GET.get("purpose") == "directory"})


