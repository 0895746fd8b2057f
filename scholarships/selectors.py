"""Reads of scholarships: balances and statements, windows, priority lists, the hiring search,
and the Excel exports."""

from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone

from accounts.models import Role
from careers import access
from careers.models import EntryStatus

from .models import LedgerEntry, Redemption, RedemptionStatus, RedemptionWindow, SelectionSnapshot

CAREER_MILEAGE = "career-mileage"
# The career-mileage rule set's language tiers (150/120/90/60/30 points, every test converted to
# the same tiers) read back as the TOEIC score of the tier: "TOEIC 700 or equivalent".
TOEIC_EQUIVALENT_BY_POINTS = [(150, 900), (120, 800), (90, 700), (60, 600), (30, 500)]


def balance_of(student_id):
    return LedgerEntry.objects.filter(student_id=student_id).aggregate(s=Sum("points"))["s"] or 0


def statement(student):
    """Every ledger row with its date, reason and the running balance after it."""
    rows, running = [], 0
    for row in LedgerEntry.objects.filter(student=student).order_by("occurred_on", "id"):
        running += row.points
        rows.append({"row": row, "balance": running})
    return rows, running


def confirmed_redemptions(student_id):
    """The contract's `redemptions` for du-heart: confirmed ones, dated by their ledger row."""
    return [{"date": d.isoformat(), "points": -p} for d, p in
            LedgerEntry.objects.filter(student_id=student_id, redemption__status=RedemptionStatus.CONFIRMED)
            .order_by("occurred_on", "id").values_list("occurred_on", "points")]


def confirmed_redemptions_for(student_ids):
    """confirmed_redemptions for many students in one query: {student_id: [...]}."""
    out = {sid: [] for sid in student_ids}
    for sid, d, p in (LedgerEntry.objects.filter(student_id__in=list(student_ids),
                                                 redemption__status=RedemptionStatus.CONFIRMED)
                      .order_by("occurred_on", "id").values_list("student_id", "occurred_on", "points")):
        out[sid].append({"date": d.isoformat(), "points": -p})
    return out


def open_windows_for(student, today=None):
    today = today or timezone.localdate()
    return RedemptionWindow.objects.filter(institution=student.major.department.campus.institution_id,
                                           opens_on__lte=today, closes_on__gte=today)


def may_manage_institution(user, institution):
    """The central office of the institution, or an administrator (windows, December selection)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    scope = getattr(user, "staff_scope", None) if user.role == Role.STAFF else None
    return bool(scope and scope.central_office and scope.institution_id == getattr(institution, "pk", institution))


def managed_institution(user):
    """The institution a central-office user manages (admins: None = pick one)."""
    scope = getattr(user, "staff_scope", None) if user.is_authenticated and user.role == Role.STAFF else None
    return scope.institution if scope and scope.central_office else None


def clawbacks_for(user):
    """Students in the user's scope whose DU-HEART balance is below zero, with what is owed back.

    Decision (issue 10): staff may revoke an entry whose points were already redeemed — a false or
    mistaken entry must not stay approved because money was paid for it. The ledger then writes the
    reversal as it always does (append-only; scholarships.services._ledger_rows), so the balance
    goes below zero. Only a confirmed redemption can take the ledger below zero (a reversal never
    takes back more than its entry was paid), so a negative balance is exactly the scholarship to
    be reclaimed: "환수 필요", shown to staff here with the amount and the reversals that caused
    it. The student cannot redeem again until later points bring the balance back above zero."""
    from .models import LedgerKind, WON_PER_POINT

    owing = (LedgerEntry.objects.filter(student__in=access.students_reviewable_by(user))
             .values("student_id").annotate(balance=Sum("points")).filter(balance__lt=0).order_by("balance"))
    balances = {row["student_id"]: row["balance"] for row in owing}
    if not balances:
        return []
    from careers.models import StudentProfile

    students = StudentProfile.objects.in_bulk(list(balances))
    reversals = {}
    for row in (LedgerEntry.objects.filter(student_id__in=list(balances), kind=LedgerKind.REVERSAL)
                .order_by("-occurred_on", "-id")):
        reversals.setdefault(row.student_id, []).append(row)
    return [{"student": students[sid], "points": -balance, "won": -balance * WON_PER_POINT,
             "reversals": reversals.get(sid, [])[:3]} for sid, balance in balances.items()]


def redemptions_for_review(user):
    return (Redemption.objects.filter(student__in=access.students_reviewable_by(user))
            .select_related("student", "window", "decided_by").order_by("status", "-requested_at"))


def snapshots_for(user):
    qs = SelectionSnapshot.objects.select_related("institution")
    if user.is_superuser or user.role == Role.ADMIN:
        return qs
    inst = managed_institution(user)
    return qs.filter(institution=inst) if inst else qs.none()


# --- priority list and hiring search -----------------------------------------------------------
def _with_mileage(students):
    from scoring.models import StoredResult

    # ruleset "": the row of a student never evaluated successfully (scoring.services._mark_stale)
    mileage = (StoredResult.objects.filter(student=OuterRef("pk"), program=CAREER_MILEAGE).exclude(ruleset="")
               .values("total")[:1])
    return students.annotate(mileage=Subquery(mileage))


def priority_list(user, *, limit=50, year_level=None, major=None):
    """Top students by career mileage (company recommendations, employment-program priority)."""
    qs = _with_mileage(access.students_reviewable_by(user)).filter(mileage__isnull=False)
    if year_level:
        qs = qs.filter(year_level=year_level)
    if major:
        qs = qs.filter(major=major)
    return with_language_equivalent(list(qs.order_by("-mileage", "-gpa", "student_no")[:limit]))


def with_language_equivalent(students):
    """Sets each student's `language_equivalent` (TOEIC-equivalent of the best counted language
    test) from the stored career-mileage results: one query for the whole list."""
    from scoring.models import StoredResult

    results = {r.student_id: r for r in StoredResult.objects.filter(student__in=[s.pk for s in students],
                                                                     program=CAREER_MILEAGE)}
    for s in students:
        s.language_equivalent = best_language_equivalent(results.get(s.pk))
    return students


def best_language_equivalent(stored_result):
    """The TOEIC-equivalent score of the student's best counted language test (or None)."""
    if stored_result is None:
        return None
    best = max((item.get("points") or 0 for item in stored_result.result.get("items", [])
                if str(item.get("rule", "")).startswith("language") and item.get("counted")), default=0)
    for points, toeic in TOEIC_EQUIVALENT_BY_POINTS:
        if best >= points:
            return toeic
    return None


def hiring_search(user, *, majors=(), min_language=None, certificates=(), min_mileage=None, year_levels=()):
    """Students who meet a company's conditions; every condition given must hold."""
    qs = _with_mileage(access.students_reviewable_by(user)).select_related("major__department")
    if majors:
        qs = qs.filter(major__in=majors)
    if year_levels:
        qs = qs.filter(year_level__in=[int(y) for y in year_levels])
    if min_mileage is not None:
        qs = qs.filter(mileage__gte=min_mileage)
    for name in certificates:
        qs = qs.filter(entries__in=_approved_certificates(name))
    students = with_language_equivalent(list(qs.distinct().order_by("-mileage", "student_no")))
    out = []
    for s in students:
        if min_language and (s.language_equivalent or 0) < min_language:
            continue
        out.append(s)
    return out


def _approved_certificates(name):
    from careers.models import CareerEntry
    from scoring.engine.certificates import spellings

    # every spelling the certificate catalogue knows: '컴활' finds 컴퓨터활용능력 and the reverse
    name = name.strip()
    match = Q(data__name=name) | Q(data__name__icontains=name)
    for spelling in spellings(name):
        match |= Q(data__name__icontains=spelling)
    return CareerEntry.objects.filter(kind="certificate", status=EntryStatus.APPROVED).filter(match).values("pk")


# --- exports ----------------------------------------------------------------------------------
def _workbook(title, header, rows):
    from mileage_portal.excel import workbook_bytes  # text that looks like a formula is written as text

    return workbook_bytes(title, header, rows)


def selection_workbook(snapshot, header):
    rows = [[r.year_level, r.rank, r.student.student_no, r.student.name, r.student.major.name, float(r.mileage),
             float(r.gpa) if r.gpa is not None else None, "Y" if r.selected else "", r.amount_won, r.note]
            # The selected and every row staff adjusted (an excluded student stays on record with the reason).
            for r in snapshot.rows.select_related("student__major").filter(Q(selected=True) | Q(adjusted=True))
            .order_by("year_level", "rank")]
    return _workbook(f"Rainbow {snapshot.year}", header, rows)


def students_workbook(title, header, students):
    rows = [[s.student_no, s.name, s.major.department.name, s.major.name, s.year_level,
             float(s.mileage) if s.mileage is not None else None, getattr(s, "language_equivalent", None)]
            for s in students]
    return _workbook(title, header, rows)
