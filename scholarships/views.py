"""Pages of scholarships: the student's statement and redemption request; staff windows,
redemption decisions, the December selection, priority list and hiring search; admin batch progress.
Views are thin: a form or the query string in, one service or selector call, a template out."""
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Institution, Major
from careers import access
from careers.selectors import entry_summaries
from mileage_portal.feedback import perform
from mileage_portal.http import InputError, positive_int

from . import selectors, services
from .models import Redemption, RedemptionStatus, RedemptionWindow, SelectionRow, SnapshotStatus
from mileage_portal.permissions import is_admin, permission_required
from .access import can_manage_institution, can_see_runs, can_see_statement, can_use_scholarship_office

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _institution_for(request):
    """The central office's own institution; admins pick one (?institution=<pk>)."""
    user = request.user
    inst = selectors.managed_institution(user)
    if inst is None and is_admin(user):
        pk = request.POST.get("institution") or request.GET.get("institution")
        if pk and not str(pk).isdigit():
            raise InputError("institution", _("Institution: choose one from the list."))
        inst = Institution.objects.filter(pk=pk).first() if pk else Institution.objects.first()
    if inst is None or not selectors.may_manage_institution(user, inst):
        raise PermissionDenied
    return inst


# --- student ----------------------------------------------------------------------------------
class RedeemForm(forms.Form):
    window = forms.ModelChoiceField(queryset=RedemptionWindow.objects.none(), label=gettext_lazy("Semester"))
    points = forms.IntegerField(label=gettext_lazy("Points to use"), min_value=1)

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows


@login_required
@permission_required(can_see_statement)
def statement(request):
    student = access.own_student_or_403(request.user)
    if not services.runs_du_heart(student):
        # A program the student's university does not run: no balance, no form, just why.
        return render(request, "scholarships/statement.html", {"student": student, "not_run": True})
    # Said before any form, with the function the redemption service refuses with.
    ineligible = services.redemption_eligibility_problems(student)
    windows = selectors.open_windows_for(student)
    form = RedeemForm(request.POST if request.method == "POST" else None, windows=windows)
    if request.method == "POST" and not ineligible and form.is_valid():
        if perform(request, lambda: services.redemption_request(
                actor=request.user, student=student, window=form.cleaned_data["window"],
                points=form.cleaned_data["points"]), _("Your request was sent. Staff will confirm it."), form=form):
            return redirect("scholarships:statement")
    rows, balance = selectors.statement(student)
    return render(request, "scholarships/statement.html", {
        "student": student, "rows": rows, "balance": balance, "form": form, "windows": windows,
        "redemptions": student.redemptions.select_related("window"), "ineligible": ineligible,
        "summaries": entry_summaries(student),  # ledger reasons name entries by id: shown as the entries
    })


# --- staff: windows and redemptions ------------------------------------------------------------
class WindowForm(forms.Form):
    semester = forms.CharField(label=gettext_lazy("Semester"), max_length=20)
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=gettext_lazy("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    tuition_won = forms.IntegerField(label=gettext_lazy("Tuition (won)"), min_value=1)


@login_required
@permission_required(can_manage_institution)
def windows(request):
    institution = _institution_for(request)
    form = WindowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if perform(request, lambda: services.window_open(actor=request.user, institution=institution,
                                                         **form.cleaned_data),
                   _("The application window is open."), form=form):
            return redirect("scholarships:windows")
    return render(request, "scholarships/staff/windows.html", {
        "form": form, "institution": institution,
        "windows": RedemptionWindow.objects.filter(institution=institution), "today": timezone.localdate(),
    })


@login_required
@permission_required(can_use_scholarship_office)
def redemptions(request):
    items = selectors.redemptions_for_review(request.user)
    status = request.GET.get("status", RedemptionStatus.REQUESTED)
    if status in RedemptionStatus.values:
        items = items.filter(status=status)
    return render(request, "scholarships/staff/redemptions.html", {
        "redemptions": items[:500], "status": status, "statuses": RedemptionStatus.choices,
        "may_decide": access.may_decide_redemptions(request.user),
        "clawbacks": selectors.clawbacks_for(request.user),
    })


@login_required
@require_POST
@permission_required(can_use_scholarship_office)
def redemption_decide(request, pk, action):
    redemption = get_object_or_404(Redemption, pk=pk, student__in=access.students_reviewable_by(request.user))
    if action == "confirm":
        perform(request, lambda: services.redemption_confirm(actor=request.user, redemption=redemption),
                _("Confirmed: the points were deducted."))
    elif action == "refuse":
        perform(request, lambda: services.redemption_refuse(actor=request.user, redemption=redemption,
                                                            reason=request.POST.get("reason")), _("Refused."))
    else:
        raise Http404
    return redirect("scholarships:redemptions")


# --- staff: December selection ------------------------------------------------------------------
@login_required
@permission_required(can_use_scholarship_office)
def selections(request):
    if request.method == "POST":
        institution = _institution_for(request)
        try:
            year = int(request.POST.get("year") or timezone.localdate().year)
        except ValueError:
            year = None
        if year is None or not 2000 <= year <= 2100:
            raise InputError("year", _("Year: a year from 2000 to 2100."))
        snapshot = services.selection_run(actor=request.user, institution=institution, year=year)
        return redirect("scholarships:selection", pk=snapshot.pk)
    return render(request, "scholarships/staff/selections.html", {
        "snapshots": selectors.snapshots_for(request.user), "year": timezone.localdate().year,
        "institutions": Institution.objects.all() if is_admin(request.user)
        else None,
    })


def _snapshot_or_404(request, pk):
    return get_object_or_404(selectors.snapshots_for(request.user), pk=pk)


@login_required
@permission_required(can_use_scholarship_office)
def selection(request, pk):
    snapshot = _snapshot_or_404(request, pk)
    show_all = request.GET.get("all") == "1"
    rows = snapshot.rows.select_related("student__major")
    if not show_all:  # the selected, plus the next few in line for adjustments
        rows = [r for r in rows.filter(rank__lte=max(q["quota"] for q in snapshot.quotas.values()) + 5
                                       if snapshot.quotas else 50)]
    levels = {}
    for row in rows:
        levels.setdefault(row.year_level, []).append(row)
    return render(request, "scholarships/staff/selection.html", {
        "snapshot": snapshot, "levels": sorted(levels.items()), "draft": snapshot.status == SnapshotStatus.DRAFT,
        "show_all": show_all, "tie_break": _(snapshot.tie_break),
        "selected_count": snapshot.rows.filter(selected=True).count(),
    })


@login_required
@require_POST
@permission_required(can_use_scholarship_office)
def selection_adjust(request, pk, row_pk):
    snapshot = _snapshot_or_404(request, pk)
    row = get_object_or_404(SelectionRow, pk=row_pk, snapshot=snapshot)
    amount = (request.POST.get("amount_won") or "").strip()

    def adjust():
        if amount and not amount.lstrip("-").isdigit():
            raise ValidationError({"amount_won": _("Amount: a whole number of won.")})
        services.selection_adjust(actor=request.user, row=row, selected=request.POST.get("selected") == "1",
                                  amount_won=int(amount) if amount else None, reason=request.POST.get("reason"))

    perform(request, adjust, _("The list was adjusted."))
    return redirect("scholarships:selection", pk=snapshot.pk)


@login_required
@require_POST
@permission_required(can_use_scholarship_office)
def selection_approve(request, pk):
    snapshot = _snapshot_or_404(request, pk)
    def approve():
        if request.POST.get("confirm") != "1":  # approval freezes the list: the page asks first
            raise ValidationError({"confirm": _("Tick the box to confirm that the list is final.")})
        services.selection_approve(actor=request.user, snapshot=snapshot)

    perform(request, approve, _("The list was approved."))
    return redirect("scholarships:selection", pk=snapshot.pk)


@login_required
@permission_required(can_use_scholarship_office)
def selection_export(request, pk):
    snapshot = _snapshot_or_404(request, pk)
    header = [_("Year level"), _("Rank"), _("Student number"), _("Name"), _("Major"), _("Career mileage"),
              "GPA", _("Selected"), _("Amount (won)"), _("Note")]
    return _xlsx(selectors.selection_workbook(snapshot, header), f"rainbow-{snapshot.year}.xlsx")


# --- staff: priority list and hiring search -----------------------------------------------------
STUDENT_HEADER = [gettext_lazy("Student number"), gettext_lazy("Name"), gettext_lazy("Department"),
                  gettext_lazy("Major"), gettext_lazy("Year level"), gettext_lazy("Career mileage"),
                  gettext_lazy("Language (TOEIC equivalent)")]


@login_required
@permission_required(can_use_scholarship_office)
def priority(request):
    level = positive_int(request, "year_level", maximum=6)
    limit = positive_int(request, "limit", default=50, maximum=500)
    students = selectors.priority_list(request.user, limit=limit, year_level=level)
    if request.GET.get("export") == "xlsx":
        return _xlsx(selectors.students_workbook("priority", [str(h) for h in STUDENT_HEADER], students),
                     "priority.xlsx")
    return render(request, "scholarships/staff/priority.html", {
        "students": students, "year_level": level, "limit": limit, "levels": range(1, 6)})


LANGUAGE_CHOICES = [("", "—")] + [(str(t), f"TOEIC {t}+") for _p, t in reversed(selectors.TOEIC_EQUIVALENT_BY_POINTS)]


class HiringForm(forms.Form):
    majors = forms.ModelMultipleChoiceField(queryset=Major.objects.none(), required=False,
                                            label=gettext_lazy("Majors"))
    min_language = forms.TypedChoiceField(choices=LANGUAGE_CHOICES, coerce=int, empty_value=None, required=False,
                                          label=gettext_lazy("Language score (any test, converted)"))
    certificates = forms.CharField(required=False, label=gettext_lazy("Certificates (comma-separated)"))
    min_mileage = forms.IntegerField(required=False, min_value=0, label=gettext_lazy("Minimum career mileage"))
    year_levels = forms.TypedMultipleChoiceField(choices=[(i, str(i)) for i in range(1, 6)], coerce=int,
                                                 required=False, label=gettext_lazy("Year levels"),
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["majors"].queryset = Major.objects.filter(
            pk__in=access.students_reviewable_by(user).values("major")).select_related("department")


@login_required
@permission_required(can_use_scholarship_office)
def hiring(request):
    form = HiringForm(request.GET or None, user=request.user)
    students = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        students = selectors.hiring_search(
            request.user, majors=list(data["majors"]), min_language=data["min_language"],
            certificates=[c for c in (data["certificates"] or "").split(",") if c.strip()],
            min_mileage=data["min_mileage"], year_levels=data["year_levels"])
        if request.GET.get("export") == "xlsx":
            return _xlsx(selectors.students_workbook("hiring", [str(h) for h in STUDENT_HEADER], students),
                         "hiring-search.xlsx")
    return render(request, "scholarships/staff/hiring.html", {
        "form": form, "students": students, "query": request.GET.urlencode()})


# --- admin: batch recomputation (moved to scoring: /rules/runs/) ----------------------------------
@permission_required(can_see_runs)
def batches(request):
    return redirect("scoring:runs", permanent=True)

