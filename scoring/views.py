"""Administrators' rule-file pages: the files in force, drafts, the preview of a change, publishing."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mileage_portal.feedback import perform

from . import rulesets
from .models import RuleRevision
from .selectors import stale_summary
from mileage_portal.permissions import permission_required
from .access import can_edit_rules


class DraftForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Rule file (YAML)"), strip=False,
                           widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "code"}))
    note = forms.CharField(label=gettext_lazy("What changes and why"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@permission_required(can_edit_rules)
def index(request):
    published = {(r.program, r.path): r for r in RuleRevision.objects.filter(status=RuleRevision.Status.PUBLISHED)
                 .select_related("published_by")}
    drafts = {}
    for r in RuleRevision.objects.filter(status=RuleRevision.Status.DRAFT).select_related("created_by"):
        drafts.setdefault((r.program, r.path), []).append(r)
    programs = [{"name": p, "files": [{"path": f, "published": published.get((p, f)), "drafts": drafts.get((p, f), [])}
                                      for f in rulesets.files_of(p)]}
                for p in rulesets.programs()]
    history = RuleRevision.objects.exclude(status=RuleRevision.Status.DRAFT).select_related("published_by")[:30]
    return render(request, "scoring/rules/index.html", {"programs": programs, "history": history,
                                                        "stale": stale_summary()})


@login_required
@permission_required(can_edit_rules)
def edit(request, program, path):
    """A new draft of the file, starting from the text in force."""
    if path not in rulesets.files_of(program):
        raise Http404
    # ?from=repository starts from the repository's file: how a published change is taken back.
    from_repository = request.GET.get("from") == "repository"
    start = rulesets.repository_text(program, path) if from_repository else rulesets.current_text(program, path)
    form = DraftForm(request.POST if request.method == "POST" else None, initial={"text": start})
    if request.method == "POST" and form.is_valid():
        holder = {}
        if perform(request, lambda: holder.setdefault("rev", rulesets.save_draft(
                actor=request.user, program=program, path=path, text=form.cleaned_data["text"],
                note=form.cleaned_data["note"])), None):
            return redirect("scoring:revision", pk=holder["rev"].pk)
    return render(request, "scoring/rules/edit.html", {"form": form, "program": program, "path": path,
                                                       "published": rulesets.published(program, path),
                                                       "from_repository": from_repository})


@login_required
@permission_required(can_edit_rules)
def revision(request, pk):
    rev = get_object_or_404(RuleRevision.objects.select_related("created_by", "published_by", "batch"), pk=pk)
    editing = rev.status == RuleRevision.Status.DRAFT
    form = DraftForm(request.POST if request.method == "POST" else None, initial={"text": rev.text, "note": rev.note}) if editing else None
    if request.method == "POST" and editing and form.is_valid():
        perform(request, lambda: rulesets.save_draft(actor=request.user, program=rev.program, path=rev.path,
                                                     text=form.cleaned_data["text"], note=form.cleaned_data["note"],
                                                     revision=rev), _("Draft saved and checked."))
        return redirect("scoring:revision", pk=rev.pk)
    in_force = rulesets.current_text(rev.program, rev.path)
    context = {
        "rev": rev, "form": form,
        "diff": rulesets.diff(in_force if editing else _base_text(rev), rev.text, f"{rev.program}/{rev.path}"),
        "preview_current": bool(rev.preview) and rev.preview_sha == rulesets.sha(rev.text),
        "preview_running": rev.preview_started_at is not None and not rev.preview,
        "stale_base": editing and rulesets.sha(in_force) != rev.base_sha,
    }
    template = "scoring/rules/_preview.html" if request.htmx else "scoring/rules/revision.html"
    return render(request, template, context)


def _base_text(rev):
    """What a published or older revision replaced (for its diff): the revision before it, or the
    repository's file."""
    before = (RuleRevision.objects.filter(program=rev.program, path=rev.path, published_at__lt=rev.published_at)
              .exclude(published_at=None).order_by("-published_at").first()) if rev.published_at else None
    return before.text if before else rulesets.repository_text(rev.program, rev.path)


@login_required
@require_POST
@permission_required(can_edit_rules)
def preview(request, pk):
    rev = get_object_or_404(RuleRevision, pk=pk)
    if perform(request, lambda: rulesets.request_preview(actor=request.user, revision=rev), None):
        rev.refresh_from_db()  # without a broker the preview is already there
        messages.success(request, _("The preview is ready.") if rev.preview else _("The preview is being computed."))
    return redirect("scoring:revision", pk=pk)


@login_required
@require_POST
@permission_required(can_edit_rules)
def publish(request, pk):
    rev = get_object_or_404(RuleRevision, pk=pk)
    if perform(request, lambda: rulesets.publish(actor=request.user, revision=rev, note=request.POST.get("note", "")),
               _("Published. Every student of the program is being recomputed.")):
        return redirect("scoring:runs")
    return redirect("scoring:revision", pk=pk)


@login_required
@require_POST
@permission_required(can_edit_rules)
def discard(request, pk):
    rev = get_object_or_404(RuleRevision, pk=pk)
    perform(request, lambda: rulesets.discard(actor=request.user, revision=rev), _("Draft discarded."))
    return redirect("scoring:rules")


# --- recomputation runs (they were under /scholarships/admin/batches/ before issue 13) ------------
@login_required
@permission_required(can_edit_rules)
def runs(request):
    from . import batch
    from .selectors import stale_summary

    if request.method == "POST":
        if request.POST.get("action") == "resume":
            batch.resume_unfinished()
            messages.success(request, _("Unfinished runs were queued again."))
        else:
            batch.start_batch(actor=request.user, reason=_("on demand"))
            messages.success(request, _("Recomputation started."))
        return redirect("scoring:runs")
    progress = batch.progress()
    return render(request, "scoring/runs.html", {
        "runs": progress, "running": any(p["run"].status == "running" for p in progress), "stale": stale_summary()})
