"""Rule files edited in the portal: draft → check → preview → publish (administrators only).

The repository's rules/ folder is the base. A published RuleRevision replaces one file of it;
`active_rules_dir()` is the folder the engine reads wherever the portal evaluates: None (the
repository's own) while nothing is published, otherwise a copy of rules/ with the published files
written over it, built once per set of published revisions under settings.RULES_CACHE_DIR. Every
process (web, each worker) builds the same folder from the same rows, so they all score alike.

    rev = save_draft(actor=admin, program="du-heart", path="rules.yaml", text=new_yaml, note="...")
    rev.check_error          # "" or the engine's "file: path: reason"
    run_preview(revision_id=rev.pk)   # Celery task preview_revision does this in the background
    publish(actor=admin, revision=rev)  # supersedes the file's previous revision, starts the batch

What a preview holds (RuleRevision.preview): the program's own test cases whose outcome changes,
and every affected student evaluated under the rules in force and under the draft: how many change,
up or down, pass-mark crossings, the sum of points (for DU-HEART the won it means) and the
largest changes. Only files that exist in the repository can be edited (no new majors here).
"""
import contextlib
import difflib
import functools
import hashlib
import logging
import os
import shutil
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


from .engine import DEFAULT_RULES_DIR, EngineError, available_programs, clear_cache
from .engine.cases import load_case_file, run_case
from .engine.loader import load_program_uncached, rule_files
from .models import RuleRevision

log = logging.getLogger(__name__)
Status = RuleRevision.Status
PREVIEW_LIST = 100   # largest changes kept in a preview
PREVIEW_CHUNK = 500  # students read and evaluated together
PREVIEW_ERRORS = 20  # students the draft cannot evaluate, listed with the reason
WON_PER_POINT = 1000  # seed 001: DU-HEART 1점 = 1,000원


def may_edit_rules(user):
    from .access import can_edit_rules  # the predicate the rule pages declare

    return can_edit_rules(user)


def _require_admin(actor):
    if not may_edit_rules(actor):
        raise PermissionDenied(_("Only an administrator can change rule files."))


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


# --- the files -----------------------------------------------------------------------------------
def programs():
    return available_programs(DEFAULT_RULES_DIR)


def files_of(program):
    """The editable files of a program, relative to rules/<program>/ (program.yaml first)."""
    folder = DEFAULT_RULES_DIR / program
    if program not in programs():
        return []
    names = [p.relative_to(folder).as_posix() for p in rule_files(folder)]
    return (["program.yaml"] if (folder / "program.yaml").is_file() else []) + names


def _check_file(program, path):
    if path not in files_of(program):
        raise ValidationError({"path": _("File: %(path)s is not a rule file of %(program)s.")
                               % {"path": path, "program": program}})


def repository_text(program, path):
    return (DEFAULT_RULES_DIR / program / path).read_text(encoding="utf-8")


def published(program, path):
    return RuleRevision.objects.filter(program=program, path=path, status=Status.PUBLISHED).first()


def current_text(program, path):
    """The text in force: the published revision's, else the repository's."""
    revision = published(program, path)
    return revision.text if revision else repository_text(program, path)


def diff(old, new, name):
    before = _("%(file)s (in force)") % {"file": name}
    after = _("%(file)s (draft)") % {"file": name}
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=before, tofile=after))


# --- the folder the engine reads ---------------------------------------------------------------
@functools.cache
def _repository_fingerprint():
    """Changes when a deployment brings other rule files: built folders are never reused across."""
    h = hashlib.sha256()
    for p in sorted(DEFAULT_RULES_DIR.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(DEFAULT_RULES_DIR).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _cache_root():
    return Path(getattr(settings, "RULES_CACHE_DIR", "") or Path(tempfile.gettempdir()) / "mileage-portal-rules")


def _build(target, overrides):
    """Copy rules/ to `target` (a folder named rules) with `overrides` {(program, path): text}
    written over it; atomic: a half-built folder is never seen under its final name."""
    if target.is_dir():
        return target
    staging = target.parent.parent / f".{target.parent.name}-{uuid.uuid4().hex}"
    shutil.copytree(DEFAULT_RULES_DIR, staging / "rules")
    for (program, path), text in overrides.items():
        (staging / "rules" / program / path).write_text(text, encoding="utf-8")
    try:
        os.rename(staging, target.parent)
    except OSError:  # another process built it first
        shutil.rmtree(staging, ignore_errors=True)
    return target


_built = {}


def _published_ids():
    return list(RuleRevision.objects.filter(status=Status.PUBLISHED).order_by("pk").values_list("pk", flat=True))


def active_rules_dir():
    """The rules folder in force (None: the repository's). One small query per call."""
    ids = _published_ids()
    if not ids:
        return None
    key = hashlib.sha256(f"{_repository_fingerprint()}:{ids}".encode()).hexdigest()[:24]
    folder = _built.get(key)
    if folder is None or not folder.is_dir():
        overrides = {(r.program, r.path): r.text for r in RuleRevision.objects.filter(pk__in=ids)}
        _cache_root().mkdir(parents=True, exist_ok=True)
        folder = _build(_cache_root() / key / "rules", overrides)
        _built.clear()
        _built[key] = folder
        clear_cache()  # the engine's loaded programs of folders no longer in force
    return folder


@contextlib.contextmanager
def _forgetting_drafts():
    """The engine caches what it loads per folder; a draft's folder is gone after the preview."""
    try:
        yield
    finally:
        clear_cache()


def _draft_dir(revision, workdir):
    """A folder under `workdir` with the rules in force and the draft's text over its file."""
    overrides = {(r.program, r.path): r.text for r in RuleRevision.objects.filter(status=Status.PUBLISHED)}
    overrides[(revision.program, revision.path)] = revision.text
    return _build(Path(workdir) / "draft" / "rules", overrides)


def check_text(program, path, text):
    """The engine's complaint about the program with this file's text ("" when it loads)."""
    probe = RuleRevision(program=program, path=path, text=text)
    with tempfile.TemporaryDirectory() as work:
        try:
            load_program_uncached(program, _draft_dir(probe, work))
        except EngineError as error:
            return str(error)
    return ""


# --- drafts ----------------------------------------------------------------------------------
@transaction.atomic
def save_draft(*, actor, program, path, text, note="", revision=None):
    """A new draft of the file (or the same draft edited again), checked by the engine at once."""
    from audit.services import log_action

    _require_admin(actor)
    _check_file(program, path)
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise ValidationError({"text": _("Rule file: the text is empty.")})
    if revision is not None:
        revision = RuleRevision.objects.select_for_update().get(pk=revision.pk)
        if revision.status != Status.DRAFT:
            raise ValidationError(_("Only a draft can be edited; start a new draft from the file."))
    else:
        revision = RuleRevision(program=program, path=path, created_by=actor,
                                base_sha=sha(current_text(program, path)))
    revision.text, revision.note = text, note.strip()
    revision.check_error = check_text(program, path, text)
    revision.preview, revision.preview_sha, revision.preview_started_at = None, "", None
    revision.save()
    log_action(actor=actor, action="rules.draft", obj=revision,
               data={"program": program, "path": path, "error": revision.check_error})
    return revision


@transaction.atomic
def discard(*, actor, revision):
    from audit.services import log_action

    _require_admin(actor)
    revision = RuleRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be discarded."))
    revision.status = Status.DISCARDED
    revision.save(update_fields=["status"])
    log_action(actor=actor, action="rules.discard", obj=revision, data={"program": revision.program,
                                                                         "path": revision.path})
    return revision


# --- preview ---------------------------------------------------------------------------------
def request_preview(*, actor, revision):
    """Queue the preview (eager without a broker: done when this returns)."""
    from .tasks import preview_revision

    _require_admin(actor)
    if revision.status != Status.DRAFT or revision.check_error:
        raise ValidationError(_("Fix the rule file first: the engine cannot read it."))
    RuleRevision.objects.filter(pk=revision.pk).update(preview=None, preview_sha="",
                                                       preview_started_at=timezone.now())
    transaction.on_commit(lambda: preview_revision.delay(revision.pk))


def _case_changes(program, before_dir, after_dir):
    """The program's own test cases (rules/<program>/tests) whose outcome differs under the draft."""
    out, total = [], 0
    for case_file in sorted((DEFAULT_RULES_DIR / program / "tests").glob("*.y*ml")):
        for case in load_case_file(case_file):
            total += 1
            before, after = run_case(case, before_dir), run_case(case, after_dir)
            if bool(before) != bool(after) or (after and before != after):
                out.append({"name": case["name"], "file": case_file.name, "held_before": not before,
                            "holds_now": not after, "mismatch": "; ".join(after)[:300]})
    return {"total": total, "changed": out}


def _num(value):
    return float(Decimal(str(value or 0)))


def run_preview(*, revision_id):
    """Evaluate the draft against the rules in force for the program's test cases and every affected
    student; store the summary on the revision."""
    from .batch import affected_students
    from .services import evaluations, load_inputs

    revision = RuleRevision.objects.get(pk=revision_id)
    program = revision.program
    in_force = _published_ids()
    before_dir = active_rules_dir()
    summary = {"students": 0, "changed": 0, "up": 0, "down": 0, "to_pass": 0, "to_fail": 0,
               "sum_before": 0.0, "sum_after": 0.0, "errors": 0, "error_examples": [], "largest": []}
    with tempfile.TemporaryDirectory() as work, _forgetting_drafts():
        after_dir = _draft_dir(revision, work)
        cases = _case_changes(program, before_dir, after_dir)
        students = (affected_students([program]).select_related("major__department__campus__institution")
                    .order_by("pk"))
        changes = []
        ids = list(students.values_list("pk", flat=True))
        for start in range(0, len(ids), PREVIEW_CHUNK):
            chunk = list(students.filter(pk__in=ids[start:start + PREVIEW_CHUNK]))
            entries, redemptions = load_inputs([s.pk for s in chunk])
            for student in chunk:
                args = (student, entries[student.pk], redemptions[student.pk])
                old = evaluations(*args, programs=[program], rules_dir=before_dir)
                new = evaluations(*args, programs=[program], rules_dir=after_dir)
                if not new:
                    continue  # the program does not apply to this student's institution
                summary["students"] += 1
                (_p, before, _d, _e), (_p2, after, _d2, error) = old[0], new[0]
                if after is None:
                    summary["errors"] += 1
                    if len(summary["error_examples"]) < PREVIEW_ERRORS:  # each with the engine's reason
                        summary["error_examples"].append({"student_no": student.student_no, "name": student.name,
                                                          "error": error})
                    continue
                b = _num(before and before.get("total"))
                a = _num(after.get("total"))
                summary["sum_before"] += b
                summary["sum_after"] += a
                passed_before = before.get("passed") if before else None
                passed_after = after.get("passed")
                crossed = passed_before is not None and passed_after is not None and passed_before != passed_after
                if crossed:
                    summary["to_pass" if passed_after else "to_fail"] += 1
                if abs(a - b) > 0.0005 or crossed:
                    summary["changed"] += 1
                    if a != b:
                        summary["up" if a > b else "down"] += 1
                    changes.append({"student_no": student.student_no, "name": student.name,
                                    "major": str(student.major), "before": b, "after": a, "delta": round(a - b, 3),
                                    "passed_before": passed_before, "passed_after": passed_after})
    changes.sort(key=lambda c: (-abs(c["delta"]), c["student_no"]))
    summary["largest"] = changes[:PREVIEW_LIST]
    summary["sum_before"], summary["sum_after"] = round(summary["sum_before"], 3), round(summary["sum_after"], 3)
    if program == "du-heart":
        summary["won_delta"] = round((summary["sum_after"] - summary["sum_before"]) * WON_PER_POINT)
    summary["cases"] = cases
    summary["in_force"] = in_force  # what "before" was; publishing after another publication needs a new preview
    summary["computed_at"] = timezone.now().isoformat()
    RuleRevision.objects.filter(pk=revision_id, text=revision.text).update(preview=summary,
                                                                           preview_sha=sha(revision.text))
    return summary


# --- publish ---------------------------------------------------------------------------------
@transaction.atomic
def publish(*, actor, revision, note=""):
    """Put the draft in force: it supersedes the file's published revision, every process reads it
    from now on, and a batch recomputes every student of the program (progress on the runs page).
    Refused unless the engine reads it, its preview is of this very text, and nobody published the
    file since the draft was started."""
    from audit.services import log_action

    from .batch import start_batch

    _require_admin(actor)
    revision = RuleRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if revision.check_error:
        raise ValidationError(_("Fix the rule file first: the engine cannot read it."))
    if not revision.preview or revision.preview_sha != sha(revision.text):
        raise ValidationError(_("Preview the change first: publishing needs a preview of this text."))
    note = (note or revision.note).strip()
    if len(note) < 2:
        raise ValidationError({"note": _("What changes and why: write it; it is kept with the rules.")})
    previous = (RuleRevision.objects.select_for_update()
                .filter(program=revision.program, path=revision.path, status=Status.PUBLISHED).first())
    in_force = previous.text if previous else repository_text(revision.program, revision.path)
    if sha(in_force) != revision.base_sha:
        raise ValidationError(_("This file was changed since the draft was started; start a new draft "
                                "from the text in force."))
    if revision.preview.get("in_force") != _published_ids():
        raise ValidationError(_("Other rule files were published since the preview; preview again."))
    if previous:
        previous.status = Status.SUPERSEDED
        previous.save(update_fields=["status"])
    revision.status, revision.note = Status.PUBLISHED, note
    revision.published_by, revision.published_at = actor, timezone.now()
    revision.save(update_fields=["status", "note", "published_by", "published_at"])
    revision.batch = start_batch(actor=actor, reason=_("published %(program)s/%(path)s")
                                 % {"program": revision.program, "path": revision.path},
                                 programs=[revision.program])
    revision.save(update_fields=["batch"])
    log_action(actor=actor, action="rules.publish", obj=revision,
               data={"program": revision.program, "path": revision.path, "note": note,
                     "supersedes": previous.pk if previous else None, "batch": revision.batch.pk,
                     "changed_students": revision.preview.get("changed")})
    return revision
