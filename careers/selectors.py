"""Reads for the student pages and the API."""
from collections import OrderedDict

from django import forms
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .kinds import GROUPS, KIND_FORMS
from .models import CareerEntry, EntryStatus, Evidence


def entries_by_group(student):
    entries = (
        CareerEntry.objects.filter(student=student)
        .select_related("organization")
        .annotate(n_evidence=evidence_count())
        .order_by("-date", "-created_at")
    )
    grouped = OrderedDict((key, {"label": label, "entries": []}) for key, label in GROUPS)
    for entry in entries:
        grouped[KIND_FORMS[entry.kind].group]["entries"].append(entry)
    return [dict(key=key, **value) for key, value in grouped.items() if value["entries"] or key != "record"]


def entry_student_id(pk):
    """Whose entry `pk` (a UUID) is (None: no such entry). Not an access check: careers.access decides
    that. One statement by primary key, written out: the ORM's building of it cost four times its
    execution on the entry page served from the page cache (bench/load.py)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT student_id FROM {CareerEntry._meta.db_table} WHERE id = %s", [pk])
        row = cursor.fetchone()
    return row[0] if row else None


def evidence_count():
    """An annotation: the entry's number of evidence files. The pages show only the number; a
    prefetch of the files cost a queryset per entry (issue 12: a fifth of the staff queue's time)."""
    files = (Evidence.objects.filter(entry=OuterRef("pk")).order_by().values("entry")
             .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(files, output_field=IntegerField()), 0)


def status_counts(student, entries=None):
    """(label, status, n) per status; `entries`: the student's entries already read (no query)."""
    counts = {status: 0 for status in EntryStatus.values}
    statuses = ((e.status for e in entries) if entries is not None
                else CareerEntry.objects.filter(student=student).values_list("status", flat=True))
    for status in statuses:
        counts[status] += 1
    return [(EntryStatus(status).label, status, n) for status, n in counts.items()]


def entry_summaries(student):
    """Entry id → the entry's summary: a reason that names an entry by its id shows the entry
    (scoring.labels.readable_reason)."""
    return {str(pk): KIND_FORMS[kind].summary(data)
            for pk, kind, data in CareerEntry.objects.filter(student=student).values_list("pk", "kind", "data")
            if kind in KIND_FORMS}


def entry_fields(entry):
    """(label, shown value) pairs of an entry's details, choices shown by their labels."""
    form = entry.form_class()
    rows = []
    for name, field in form.fields.items():
        value = entry.data.get(name)
        if name == entry.form_class.date_field:
            value = entry.date.isoformat()
        if value in (None, ""):
            continue
        if hasattr(field, "choices") and not isinstance(value, bool):
            value = dict(field.choices).get(value, value)
        if isinstance(value, bool) and isinstance(field, forms.NullBooleanField):
            value = _("Yes") if value else _("No")  # a said "no" differs from not said (—)
        elif isinstance(value, bool):
            value = "✓" if value else "—"
        rows.append((field.label, value))
    return rows


def results_for(student):
    """Stored results per program and, for each entry, what each program made of it (scoring
    registers the reader: scoring.selectors.results_for; careers does not import scoring)."""
    from .extensions import read

    return read("results_for", student)
