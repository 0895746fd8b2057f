"""Reads for the student pages and the API."""
from collections import OrderedDict

from .kinds import GROUPS, KIND_FORMS
from .models import CareerEntry, EntryStatus


def entries_by_group(student):
    entries = (
        CareerEntry.objects.filter(student=student)
        .select_related("organization")
        .prefetch_related("evidence")
        .order_by("-date", "-created_at")
    )
    grouped = OrderedDict((key, {"label": label, "entries": []}) for key, label in GROUPS)
    for entry in entries:
        grouped[KIND_FORMS[entry.kind].group]["entries"].append(entry)
    return [dict(key=key, **value) for key, value in grouped.items() if value["entries"] or key != "record"]


def status_counts(student):
    counts = {status: 0 for status in EntryStatus.values}
    for status in CareerEntry.objects.filter(student=student).values_list("status", flat=True):
        counts[status] += 1
    return [(EntryStatus(status).label, status, n) for status, n in counts.items()]


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
        if isinstance(value, bool):
            value = "✓" if value else "—"
        rows.append((field.label, value))
    return rows


def results_for(student):
    """Stored results per program and, for each entry, what each program made of it (scoring
    registers the reader: scoring.selectors.results_for; careers does not import scoring)."""
    from .extensions import read

    return read("results_for", student)
