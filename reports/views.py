"""Pages of the reports app: a student's PDF and portfolio (through careers.access, like every
other record), the student's share link, the public shared portfolio, and report batches."""
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from audit.services import log_action
from careers import access
from mileage_portal.feedback import perform

from . import selectors, services
from .models import PortfolioShare, ReportBatch
from mileage_portal.permissions import permission_required, public
from .access import can_batch_reports, can_read_reports, can_share_portfolio


def _lang():
    return (get_language() or "ko").split("-")[0]


def _pdf_response(pdf, filename):
    response = FileResponse(io.BytesIO(pdf), content_type="application/pdf", as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
@permission_required(can_read_reports)
def student_report(request, pk):
    student = access.get_student_or_404(request.user, pk)
    lang = _lang()
    pdf, _reused = services.report_pdf(student=student, audience=selectors.audience_for(request.user, student),
                                       lang=lang)
    log_action(actor=request.user, action="report.download", obj=student, student=student)
    return _pdf_response(pdf, services.report_filename(student, lang))


@login_required
@require_GET
@permission_required(can_read_reports)
def student_portfolio(request, pk):
    student = access.get_student_or_404(request.user, pk)
    context = selectors.report_context(student, audience=selectors.audience_for(request.user, student))
    return render(request, "reports/portfolio.html", {**context, "standalone": False})


@login_required
@permission_required(can_share_portfolio)
def share(request):
    """The student's own share link: pick how long it stays valid, or withdraw it."""
    student = access.own_student_or_403(request.user)
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            perform(request, lambda: services.share_revoke(actor=request.user, student=student),
                    _("The link no longer works."))
            return redirect("reports:share")
        try:
            token = services.share_create(actor=request.user, student=student, days=request.POST.get("days"))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("A new link was made; any earlier link no longer works."))
    current = PortfolioShare.objects.filter(student=student, expires_at__isnull=False).first()
    if token is None and current is not None and not _expired(current):
        token = services.share_token(current)
    link = request.build_absolute_uri(reverse("reports:shared", args=[token])) if token else ""
    return render(request, "reports/share.html", {"student": student, "link": link, "current": current,
                                                  "days": services.SHARE_DAYS})


def _expired(share):
    from django.utils import timezone

    return share.expires_at is None or share.expires_at < timezone.now()


@require_GET
@permission_required(public)
def shared(request, token):
    """A company reads the portfolio without logging in; an expired, withdrawn or altered link is 'not found'."""
    student = services.shared_student(token)
    if student is None:
        return render(request, "reports/shared_gone.html", status=404)
    context = selectors.report_context(student, audience=selectors.STUDENT, public=True)
    response = render(request, "reports/portfolio.html", {**context, "standalone": True})
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- batches -------------------------------------------------------------------------------------
def _selection(request):
    """The students a batch form picks, inside what the user may see, and words describing it."""
    students = access.students_visible_to(request.user)
    words = []
    year_level = request.POST.get("year_level", "").strip()
    if year_level:
        if not year_level.isdigit() or not 1 <= int(year_level) <= 6:
            raise ValidationError({"year_level": _("Year level: a number from 1 to 6.")})
        students = students.filter(year_level=int(year_level))
        words.append(_("year %(level)s") % {"level": year_level})
    q = request.POST.get("q", "").strip()
    if q:
        students = students.filter(Q(name__icontains=q) | Q(student_no__icontains=q))
        words.append(f"“{q}”")
    picked = request.POST.getlist("student")
    if picked:
        try:
            students = students.filter(pk__in=[int(p) for p in picked])
        except ValueError:
            raise ValidationError({"student": _("Students: pick from the list.")}) from None
        words.append(_("%(n)d selected") % {"n": len(picked)})
    if not words:
        words.append(_("all my mentees") if request.user.role == Role.ADVISOR else _("all students in my scope"))
    return students, ", ".join(words)


@login_required
@permission_required(can_batch_reports)
def batches(request):
    if request.method == "POST":
        try:
            students, words = _selection(request)
            batch = services.batch_start(actor=request.user, students=students, description=words, lang=_lang())
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            return redirect("reports:batch", pk=batch.pk)
    visible = access.students_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        visible = visible.filter(Q(name__icontains=q) | Q(student_no__icontains=q))
    return render(request, "reports/batches.html", {
        "students": visible[:200], "q": q,
        "batches": ReportBatch.objects.filter(requested_by=request.user)[:20],
        "levels": range(1, 7),
    })


def _batch_or_404(user, pk):
    try:
        return ReportBatch.objects.get(pk=pk, requested_by=user)
    except (ReportBatch.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
@require_GET
@permission_required(can_batch_reports)
def batch(request, pk):
    return render(request, "reports/batch.html", {"batch": _batch_or_404(request.user, pk)})


@login_required
@require_GET
@permission_required(can_batch_reports)
def batch_download(request, pk):
    run = _batch_or_404(request.user, pk)
    if run.status != ReportBatch.Status.DONE or not run.archive:
        raise Http404
    log_action(actor=request.user, action="report.batch_download", obj=run, data={"students": run.total})
    with _lang_override(run.language):
        stem = _("counseling-reports")
    name = f"{stem}-{run.pk}.zip"
    response = FileResponse(default_storage.open(run.archive, "rb"), content_type="application/zip",
                            as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


def _lang_override(lang):
    from django.utils import translation

    return translation.override(lang)
