"""Staff pages: the home with waiting counts, the approval queue, bulk approval.

Single-entry decisions happen on the entry page (careers.views.entry_detail), which shows the
evidence beside the fields; the queue links there with the queue's filter kept for next/prev.
"""
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Department

from mileage_portal.feedback import perform

from . import access, selectors, services
from .filters import QueueFilter
from .kinds import KIND_FORMS
from .models import EntryStatus
from mileage_portal.permissions import permission_required
from pagecache import pages

# Common reasons offered as templates on the decision form (free text is always possible).
REASON_TEMPLATES = [
    "증빙서류에서 기간(시작일·종료일)을 확인할 수 없습니다.",
    "증빙서류가 흐리거나 잘려 내용을 확인할 수 없습니다.",
    "증빙서류의 이름 또는 학번이 신청자와 일치하지 않습니다.",
    "점수·등급이 증빙서류와 다릅니다.",
    "이미 등록된 항목과 중복됩니다.",
    "인정 기준(기간·기관·유형)에 해당하지 않습니다.",
    "원본 확인이 필요합니다. 취업지원팀에 원본을 제출해 주세요.",
]


def _queue_for_query(user, query):
    """The queue's entries for a saved filter query string (for next-in-queue)."""
    from django.http import QueryDict

    params = QueryDict(query, mutable=True)
    params.setdefault("status", EntryStatus.SUBMITTED)
    base = access.entries_visible_to(user).order_by("submitted_on", "created_at")
    filterset = QueueFilter(params, queryset=base, departments=Department.objects.all())
    return filterset.qs if filterset.is_valid() else base.filter(status=EntryStatus.SUBMITTED)


QUEUE_PAGE = 100


def _queue(request):
    departments = Department.objects.filter(
        pk__in=access.students_visible_to(request.user).values("major__department")
    ).order_by("name")
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = EntryStatus.SUBMITTED
    base = access.entries_visible_to(request.user).select_related("student__major").annotate(
        n_evidence=selectors.evidence_count())
    return QueueFilter(params, queryset=base.order_by("submitted_on", "created_at"), departments=departments)


@login_required
@permission_required(access.can_review)
def staff_home(request):
    waiting = (access.entries_visible_to(request.user).filter(status=EntryStatus.SUBMITTED)
               .values("kind").annotate(n=Count("pk")).order_by("kind"))
    queues = [{"kind": row["kind"], "label": KIND_FORMS[row["kind"]].label, "n": row["n"]} for row in waiting]
    typed = access.entries_visible_to(request.user).filter(
        status=EntryStatus.SUBMITTED, organization_direct_input=True).count()
    # results whose last evaluation failed (issue 10); scoring registers the reader (careers/extensions.py)
    from .extensions import read

    return render(request, "careers/staff/home.html",
                  {"queues": queues, "total": sum(q["n"] for q in queues), "typed_orgs": typed,
                   "stale": read("stale_summary", access.students_reviewable_by(request.user))})


@login_required
@permission_required(access.can_review)
def queue(request):
    """The waiting entries of the reviewer's scope, 100 a page. The waiting list (the default) is
    served from the page cache while no waiting entry of the scope's departments, their evidence or
    their students change (pagecache.watch: `dept:` counters); other statuses are rendered each time."""
    if request.GET.getlist("status") in ([], [EntryStatus.SUBMITTED]):
        keys = [*(f"dept:{pk}" for pk in access.departments_reviewed_by(request.user)),
                f"user:{request.user.pk}", "global"]
        return pages.serve(request, keys, lambda: _queue_page(request))
    return _queue_page(request)


def _queue_page(request):
    filterset = _queue(request)
    # A page of QUEUE_PAGE rows (bench/load.py: rendering 500 rows made the page ~1 s under load).
    page = Paginator(filterset.qs, QUEUE_PAGE).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    return render(request, "careers/staff/queue.html", {
        "filter": filterset, "entries": list(page.object_list), "count": page.paginator.count, "page": page,
        "query": request.GET.urlencode() or "status=submitted", "page_query": others.urlencode(),
    })


def _is_uuid(text):
    try:
        uuid.UUID(text)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


@login_required
@require_POST
@permission_required(access.can_review)
def bulk_approve(request):
    ids = request.POST.getlist("entry")
    back = request.POST.get("back", "").replace("\r", "").replace("\n", "")
    if not ids:
        messages.error(request, _("Choose at least one entry."))
        return redirect(f"/staff/queue/?{back}")
    if not all(_is_uuid(pk) for pk in ids):
        messages.error(request, _("Entries: the chosen entries are not valid; reload the queue."))
        return redirect(f"/staff/queue/?{back}")
    if request.POST.get("confirmed") != "yes":
        entries = access.entries_visible_to(request.user).filter(pk__in=ids)
        return render(request, "careers/staff/bulk_confirm.html", {"entries": entries, "ids": ids, "back": back})
    try:
        done = services.entries_bulk_approve(actor=request.user, entry_ids=ids)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("%(n)d entries approved.") % {"n": len(done)})
    return redirect(f"/staff/queue/?{back}")


@login_required
@require_POST
@permission_required(access.can_review)
def original_seen(request, pk):
    entry = access.get_entry_or_404(request.user, pk)
    try:
        services.mark_original_seen(actor=request.user, entry=entry)
    except PermissionDenied:
        messages.error(request, _("You may not review this student's entries."))
    else:
        messages.success(request, _("Marked: the original was seen at the office."))
    return redirect("careers:entry_detail", pk=entry.pk)


@login_required
@require_POST
@permission_required(access.can_review)
def adopt_organization(request, pk):
    """An entry's typed-in organisation goes into the directory: merged into a picked organisation
    (mode=merge, organization_id from the directory search) or created (mode=create, name, kind).
    Every entry with the same typed name is linked (careers.services.typed_organization_adopt)."""
    entry = access.get_entry_or_404(request.user, pk)
    if not access.may_review(request.user, entry.student):
        raise PermissionDenied
    if request.POST.get("mode") == "merge":
        kwargs = {"organization": request.POST.get("organization_id", "").strip()}
    else:
        kwargs = {"kind": request.POST.get("kind", ""), "name": request.POST.get("name", "")}
    outcome = {}

    def adopt():
        outcome["org"], outcome["linked"] = services.typed_organization_adopt(actor=request.user, entry=entry, **kwargs)

    if perform(request, adopt, None):
        messages.success(request, _("'%(org)s' is in the directory now; %(n)d entries with this typed name are linked to it.")
                         % {"org": outcome["org"].name, "n": len(outcome["linked"])})
    back = request.POST.get("queue", "").replace("\r", "").replace("\n", "")
    url = f"/entries/{entry.pk}/"
    return redirect(f"{url}?{urlencode({'queue': back})}" if back else url)
