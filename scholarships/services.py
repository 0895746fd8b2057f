"""Writes of scholarships: ledger accrual, redemptions, the December Rainbow selection.

Every function takes keyword arguments and the acting user (None for scheduled jobs), runs in
one transaction and leaves an audit event. Balance checks and the deduction happen under a lock
on the student's profile row (SELECT ... FOR UPDATE), the same row scoring.services locks while
recomputing, so two requests or confirmations at the same moment are serialised and can never
overdraw.
"""
import datetime
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role
from audit.services import log_action, notify
from careers import access
from mileage_portal.reasons import clean_reason
from careers.models import EnrollmentStatus, StudentProfile
from mileage_portal.text import clip

from .models import (DEFAULT_AMOUNTS, DEFAULT_QUOTA, MIN_REDEMPTION_POINTS, WON_PER_POINT,
                     LedgerEntry, LedgerKind, Redemption, RedemptionStatus, RedemptionWindow,
                     SelectionAdjustment, SelectionQuota, SelectionRow, SelectionSnapshot, SnapshotStatus)
from .selectors import balance_of, may_manage_institution

DU_HEART = "du-heart"
CAREER_MILEAGE = "career-mileage"
MIN_REASON_CHARS = 2
MAX_AMOUNT_WON = 2_000_000_000  # the column is a PostgreSQL integer


def _lock_student(student_id):
    return StudentProfile.objects.select_for_update().get(pk=student_id)


def _points(value):
    return int(round(float(value or 0)))


# --- ledger -------------------------------------------------------------------------------------
@transaction.atomic
def sync_ledger(*, student_id):
    """Bring the ledger in line with the student's stored du-heart result.

    Per career entry the ledger holds the running sum of what was paid for it; the stored result
    says what it is worth now. The difference, when not zero, becomes one new row: an accrual
    (first payment), an upgrade (a later, higher tier of the same language pays the difference),
    or a reversal (the entry was revoked or is worth less). Running it again writes nothing.
    Returns the number of rows written.
    """
    from scoring.models import StoredResult  # scholarships reads scoring's output, never the reverse

    _lock_student(student_id)
    stored = StoredResult.objects.filter(student_id=student_id, program=DU_HEART).first()
    if stored is None or not stored.has_result:  # never evaluated successfully: nothing to follow
        return 0
    return sync_ledgers(results={student_id: (stored.result, stored.ruleset_version)})


def sync_ledgers(*, results):
    """sync_ledger for many students at once (batch recomputation): `results` maps a student id
    to its stored du-heart (result, ruleset_version); the caller holds the students' row locks.
    One query reads what was paid, one writes the new rows; returns how many."""
    paid = _paid_by_entry(list(results))
    rows = []
    with translation.override(settings.LANGUAGE_CODE):  # the statement is read in the portal's language
        for student_id, (result, version) in results.items():
            rows += _ledger_rows(student_id, result, version, paid[student_id])
    _append(rows)
    return len(rows)


_PAID_SQL = """
SELECT s.id, x.entry_id, x.total FROM unnest(%s::bigint[]) AS s(id)
CROSS JOIN LATERAL (SELECT l.entry_id, SUM(l.points) AS total FROM {table} l
                    WHERE l.student_id = s.id AND l.entry_id <> '' GROUP BY l.entry_id) x
"""


def _paid_by_entry(student_ids):
    """{student id: {entry id: points paid so far}}. On PostgreSQL one index lookup per student
    (LATERAL): the plain GROUP BY over `student_id IN (...)` turns into a scan of the whole ledger
    whenever the planner's statistics predate a large accrual run (the first batch writes ~20 rows
    per student), and that cost grows with every chunk."""
    paid = defaultdict(dict)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_PAID_SQL.format(table=connection.ops.quote_name(LedgerEntry._meta.db_table)),
                           [student_ids])
            rows = cursor.fetchall()
    else:
        rows = (LedgerEntry.objects.filter(student_id__in=student_ids).exclude(entry_id="")
                .values("student_id", "entry_id").annotate(total=Sum("points"))
                .values_list("student_id", "entry_id", "total"))
    for student_id, entry_id, total in rows:
        paid[student_id][entry_id] = total
    return paid


COPY_FROM = 100  # rows; below this an ordinary INSERT is as quick


_COLUMNS = ("student_id", "kind", "points", "entry_id", "occurred_on", "reason", "ruleset_version")


def _append(rows):
    """Write new ledger rows, tuples in _COLUMNS' order. Many at once (a batch's first accruals: ~20
    per student) go by PostgreSQL's COPY, about 4 times quicker than bulk_create's array parameters
    and without building a model instance per row; the rows are the same (the append-only trigger
    and the foreign keys apply to COPY too)."""
    if connection.vendor != "postgresql" or len(rows) < COPY_FROM:
        LedgerEntry.objects.bulk_create([LedgerEntry(**dict(zip(_COLUMNS, row))) for row in rows])
        return
    now = timezone.now()
    sql = (f"COPY {connection.ops.quote_name(LedgerEntry._meta.db_table)} "
           f"({', '.join(_COLUMNS)}, created_at) FROM STDIN")
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((*row, now))


def _pays_difference(item):
    """The engine's upgrade-by-difference stage marks the item `pays_difference: true` (in any
    language of the reasons); results stored before that mark existed say so in English words."""
    if "pays_difference" in item:
        return item["pays_difference"] is True
    return item.get("counted") is True and "pays the difference" in (item.get("reason") or "")


def _ledger_rows(student_id, result, version, paid):
    worth, dated, reasons, upgrades = defaultdict(int), {}, {}, set()
    for item in result.get("items", []):
        entry_id = str(item.get("entry_id") or "")
        if not entry_id:
            continue
        worth[entry_id] += _points(item.get("points")) if item.get("counted") else 0
        reasons.setdefault(entry_id, item.get("reason") or "")
        if _pays_difference(item):
            upgrades.add(entry_id)
        if item.get("accrued_on"):
            dated.setdefault(entry_id, item["accrued_on"])
    today = timezone.localdate()
    rows = []
    for entry_id in sorted(set(worth) | set(paid)):
        before, now = paid.get(entry_id) or 0, worth.get(entry_id, 0)
        delta = now - before
        if delta == 0:
            continue
        if delta > 0:
            reason = reasons.get(entry_id, "")
            upgrade = before != 0 or entry_id in upgrades
            kind = LedgerKind.UPGRADE if upgrade else LedgerKind.ACCRUAL
            day = datetime.date.fromisoformat(dated[entry_id]) if entry_id in dated else today
        else:
            kind, day = LedgerKind.REVERSAL, today
            reason = _("No longer counted: %(reason)s") % {"reason": reasons.get(entry_id) or _("entry removed")}
        rows.append((student_id, kind, delta, entry_id, day, reason[:500], version))
    return rows


# --- redemption windows -------------------------------------------------------------------------
def _require_manager(actor, institution):
    if not may_manage_institution(actor, institution):
        raise PermissionDenied(_("Only the central office or an administrator can do this."))


@transaction.atomic
def window_open(*, actor, institution, semester, opens_on, closes_on, tuition_won):
    _require_manager(actor, institution)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("Closes on: the window must close after it opens.")})
    if tuition_won <= 0:
        raise ValidationError({"tuition_won": _("Tuition: enter the semester's tuition in won.")})
    if RedemptionWindow.objects.filter(institution=institution, semester=semester).exists():
        raise ValidationError({"semester": _("Semester: a window for this semester already exists.")})
    window = RedemptionWindow.objects.create(institution=institution, semester=semester, opens_on=opens_on,
                                             closes_on=closes_on, tuition_won=tuition_won, created_by=actor)
    log_action(actor=actor, action="redemption_window.open", obj=window,
               data={"semester": semester, "opens_on": str(opens_on), "closes_on": str(closes_on),
                     "tuition_won": tuition_won})
    return window


# --- redemptions --------------------------------------------------------------------------------
def redemption_blockers(student, window, points, *, exclude=None, confirming=False, today=None):
    """Every reason the request cannot go ahead, in words the student reads (empty = it can).

    A new request must fit in the balance minus the requests still waiting; a confirmation (staff,
    possibly after the window closed) must fit in the balance itself."""
    today = today or timezone.localdate()
    problems = list(redemption_eligibility_problems(student))
    if not confirming and not window.is_open_on(today):
        problems.append(_("The application window for %(semester)s is not open (%(opens)s – %(closes)s).")
                        % {"semester": window.semester, "opens": window.opens_on, "closes": window.closes_on})
    if window.institution_id != student.major.department.campus.institution_id:
        problems.append(_("This window belongs to another university."))
    if points < MIN_REDEMPTION_POINTS:
        problems.append(_("At least %(min)d points must be used at a time.") % {"min": MIN_REDEMPTION_POINTS})
    balance = balance_of(student.pk)
    pending = Redemption.objects.filter(student=student, status=RedemptionStatus.REQUESTED)
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    held = 0 if confirming else pending.aggregate(s=Sum("points"))["s"] or 0
    if points > balance - held:
        problems.append(_("Not enough points: balance %(balance)d, already requested %(held)d, asked %(points)d.")
                        % {"balance": balance, "held": held, "points": points})
    in_window = (Redemption.objects.filter(student=student, window=window)
                 .exclude(status=RedemptionStatus.REFUSED))
    if exclude is not None:
        in_window = in_window.exclude(pk=exclude.pk)
    used = in_window.aggregate(s=Sum("points"))["s"] or 0
    if (used + points) * WON_PER_POINT > window.tuition_won:
        problems.append(_("The scholarship cannot exceed the tuition: %(won)s won asked, tuition %(tuition)s won.")
                        % {"won": f"{(used + points) * WON_PER_POINT:,}", "tuition": f"{window.tuition_won:,}"})
    return problems


def runs_du_heart(student):
    """Whether the student's institution runs DU-HEART mileage (Institution.programs)."""
    return DU_HEART in (student.major.department.campus.institution.programs or [])


def redemption_eligibility_problems(student):
    """Why this student may not turn DU-HEART points into scholarship at all, whatever the window
    and the amount (empty = eligible). The one source of truth for these conditions: the statement
    page shows them before any form, and redemption_blockers refuses a request with them."""
    if not runs_du_heart(student):
        return [_("Your university does not run DU-HEART mileage: its points cannot be turned into scholarship.")]
    flags = student.flags or {}
    problems = []
    semester_problem = semester_limit_problem(student)
    if semester_problem:
        problems.append(semester_problem)
    if not flags.get("national_scholarship_applied"):
        problems.append(_("You must have applied for the national scholarship this semester."))
    if flags.get("disabled_excellence_scholarship"):
        problems.append(_("It cannot be combined with the excellent-disabled-student scholarship."))
    if flags.get("national_exam_scholarship"):
        problems.append(_("National-exam scholarship recipients are excluded from the mileage scholarship."))
    return problems


# The DU-HEART rule file's requirement that says how many semesters a student may have completed
# and still apply ("8학기 초과자는 장학금 신청 불가"). Issue 10: the rule file is the one source of
# truth; this module used to hold its own limit (8 completed allowed) which the rule file's reading
# (at most 7 completed: the 8th semester is the last one in which to apply) contradicted.
SEMESTER_REQUIREMENT = "scholarship.within_8_semesters"


def semester_limit_problem(student):
    """The rule file's semester requirement for this student now, in words (None = met). Evaluated
    by the engine under the rules in force with the student's current profile and no entries (the
    requirement reads the profile only); a rule set without that requirement sets no limit."""
    from scoring.engine import EngineError, evaluate
    from scoring.inputs import student_document
    from scoring.rulesets import active_rules_dir

    doc = student_document(student, DU_HEART, entries=[], redemptions=[])
    try:
        result = evaluate(doc, rules_dir=active_rules_dir())
    except EngineError as error:
        return _("The semester limit of the DU-HEART rules could not be checked: %(error)s") % {"error": error}
    for q in result.get("requirements") or []:
        if q.get("id") == SEMESTER_REQUIREMENT and not q.get("met"):
            return _("Semester limit of the DU-HEART rules: %(detail)s") % {"detail": q.get("detail") or q["id"]}
    return None


@transaction.atomic
def redemption_request(*, actor, student, window, points):
    """A student asks to turn N points into scholarship; refused with every reason that applies."""
    if not (actor.is_authenticated and actor.role == Role.STUDENT and student.user_id == actor.pk):
        raise PermissionDenied(_("Only the student can do this."))
    student = _lock_student(student.pk)
    window = RedemptionWindow.objects.get(pk=window.pk)
    problems = redemption_blockers(student, window, points)
    if problems:
        raise ValidationError(problems)
    redemption = Redemption.objects.create(student=student, window=window, points=points)
    log_action(actor=actor, action="redemption.request", obj=redemption, student=student,
               data={"points": points, "window": window.semester})
    return redemption


def _decided(actor, redemption_id):
    redemption = Redemption.objects.select_related("window", "student").get(pk=redemption_id)
    if not access.may_decide_redemptions(actor, redemption.student):
        raise PermissionDenied(_("You may not decide on this student's redemptions."))
    student = _lock_student(redemption.student_id)  # lock first, then re-read the request under it
    redemption = Redemption.objects.select_for_update().select_related("window").get(pk=redemption_id)
    if redemption.status != RedemptionStatus.REQUESTED:
        raise ValidationError(_("This request was already decided (%(status)s).")
                              % {"status": redemption.get_status_display()})
    return student, redemption


def _recompute_after_commit(student_id):
    from scoring.tasks import recompute_student_results

    transaction.on_commit(lambda: recompute_student_results.delay(student_id))


@transaction.atomic
def redemption_confirm(*, actor, redemption):
    """Staff confirm: the deduction row is written in the same transaction, under the student lock."""
    student, redemption = _decided(actor, redemption.pk)
    problems = redemption_blockers(student, redemption.window, redemption.points, exclude=redemption,
                                   confirming=True)
    if problems:
        raise ValidationError(problems)
    today = timezone.localdate()
    redemption.status = RedemptionStatus.CONFIRMED
    redemption.decided_at, redemption.decided_by = timezone.now(), actor
    redemption.save()
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Mileage scholarship %(semester)s: %(won)s won") % {
            "semester": redemption.window.semester, "won": f"{redemption.won:,}"}
        LedgerEntry.objects.create(student=student, kind=LedgerKind.REDEMPTION, points=-redemption.points,
                                   occurred_on=today, reason=reason, redemption=redemption, created_by=actor)
        notify(user=student.user, subject=_("[Career Mileage Portal] Scholarship confirmed"), message=reason)
    log_action(actor=actor, action="redemption.confirm", obj=redemption, student=student,
               data={"points": redemption.points})
    _recompute_after_commit(student.pk)  # the engine's du-heart balance subtracts it too
    return redemption


@transaction.atomic
def redemption_refuse(*, actor, redemption, reason):
    reason = clean_reason(reason)
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError({"reason": _("Reason: write the reason for this decision.")})
    student, redemption = _decided(actor, redemption.pk)
    redemption.status = RedemptionStatus.REFUSED
    redemption.decided_at, redemption.decided_by, redemption.decision_reason = timezone.now(), actor, reason
    redemption.save()
    with translation.override(settings.LANGUAGE_CODE):
        notify(user=student.user, subject=_("[Career Mileage Portal] Scholarship request refused"),
               message=_("Your request for %(points)d points was refused. Reason: %(reason)s")
               % {"points": redemption.points, "reason": reason})
    log_action(actor=actor, action="redemption.refuse", obj=redemption, student=student, reason=reason)
    return redemption


# --- December Rainbow selection -----------------------------------------------------------------
# Stored in English on the snapshot; pages show it through the catalogue (gettext_noop marks it).
TIE_BREAK = gettext_noop("career mileage ↓, GPA ↓ (none last), semesters completed ↓, student number ↑")


def quotas_for(institution):
    """Each level's quota and amount; the seed's defaults are created on first use, admins edit them."""
    for level, amount in DEFAULT_AMOUNTS.items():
        SelectionQuota.objects.get_or_create(institution=institution, year_level=level,
                                             defaults={"quota": DEFAULT_QUOTA, "amount_won": amount})
    return {q.year_level: q for q in SelectionQuota.objects.filter(institution=institution)}


def ranked_candidates(institution):
    """(year_level, sort key, values) of every enrolled year-1..5 student with a career-mileage result."""
    from scoring.models import StoredResult

    rows = (StoredResult.objects
            .filter(program=CAREER_MILEAGE, student__major__department__campus__institution=institution,
                    student__enrollment_status=EnrollmentStatus.ENROLLED, student__year_level__in=range(1, 6))
            .exclude(ruleset="")  # no good result yet (only an evaluation error): not rankable
            .values_list("student_id", "student__year_level", "total", "student__gpa",
                         "student__semesters_completed", "student__student_no"))
    by_level = defaultdict(list)
    for student_id, level, total, gpa, semesters, student_no in rows:
        key = (-total, gpa is None, -(gpa or 0), -semesters, student_no)
        by_level[level].append((key, student_id, total, gpa))
    for level in by_level:
        by_level[level].sort(key=lambda r: r[0])
    return by_level


@transaction.atomic
def selection_run(*, actor, institution, year):
    """Rank, apply quotas and freeze the list. The list of a year is frozen once made: running
    again returns the same snapshot rather than a second, possibly different one."""
    if actor is not None:
        _require_manager(actor, institution)
    snapshot, created = SelectionSnapshot.objects.select_for_update().get_or_create(
        institution=institution, year=year, defaults={"tie_break": TIE_BREAK, "created_by": actor})
    if not created:
        return snapshot
    quotas = quotas_for(institution)
    snapshot.quotas = {str(k): {"quota": q.quota, "amount_won": q.amount_won} for k, q in quotas.items()}
    snapshot.save(update_fields=["quotas"])
    rows = []
    for level, candidates in sorted(ranked_candidates(institution).items()):
        quota = quotas.get(level)
        for rank, (_key, student_id, total, gpa) in enumerate(candidates, start=1):
            chosen = quota is not None and rank <= quota.quota
            rows.append(SelectionRow(snapshot=snapshot, student_id=student_id, year_level=level, rank=rank,
                                     mileage=total, gpa=gpa, selected=chosen,
                                     amount_won=quota.amount_won if chosen else 0))
    SelectionRow.objects.bulk_create(rows, batch_size=5000)
    log_action(actor=actor, action="selection.run", obj=snapshot,
               data={"year": year, "candidates": len(rows), "selected": sum(r.selected for r in rows)})
    return snapshot


def _draft_snapshot(actor, snapshot_id):
    snapshot = SelectionSnapshot.objects.select_for_update().get(pk=snapshot_id)
    _require_manager(actor, snapshot.institution)
    if snapshot.status != SnapshotStatus.DRAFT:
        raise ValidationError(_("This list is approved; it can no longer change."))
    return snapshot


@transaction.atomic
def selection_adjust(*, actor, row, selected, amount_won=None, reason):
    """Staff include or exclude a student, or change an amount, on a draft list; reason required."""
    reason = clean_reason(reason)
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError({"reason": _("Reason: write the reason for this decision.")})
    row = SelectionRow.objects.select_for_update().get(pk=row.pk)
    snapshot = _draft_snapshot(actor, row.snapshot_id)
    if amount_won is None:
        amount_won = (snapshot.quotas.get(str(row.year_level)) or {}).get("amount_won", 0) if selected else 0
    if amount_won < 0:
        raise ValidationError({"amount_won": _("Amount: it cannot be negative.")})
    if amount_won > MAX_AMOUNT_WON:
        raise ValidationError({"amount_won": _("Amount: at most %(max)s won.") % {"max": f"{MAX_AMOUNT_WON:,}"}})
    row.selected, row.amount_won, row.adjusted = selected, amount_won if selected else 0, True
    row.note = clip(reason, SelectionRow._meta.get_field("note").max_length)  # the adjustment keeps it whole
    row.save(update_fields=["selected", "amount_won", "adjusted", "note"])
    SelectionAdjustment.objects.create(row=row, selected=row.selected, amount_won=row.amount_won, reason=reason,
                                       actor=actor)
    log_action(actor=actor, action="selection.adjust", obj=snapshot, student=row.student, reason=reason,
               data={"selected": row.selected, "amount_won": row.amount_won})
    return row


@transaction.atomic
def selection_approve(*, actor, snapshot):
    snapshot = _draft_snapshot(actor, snapshot.pk)
    snapshot.status, snapshot.approved_at, snapshot.approved_by = SnapshotStatus.APPROVED, timezone.now(), actor
    snapshot.save(update_fields=["status", "approved_at", "approved_by"])
    log_action(actor=actor, action="selection.approve", obj=snapshot,
               data={"selected": snapshot.rows.filter(selected=True).count()})
    return snapshot
