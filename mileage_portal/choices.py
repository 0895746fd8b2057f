"""Cheaper `get_FOO_display()` for models whose pages show it once per row.

Django's `Model._get_FIELD_display` rebuilds `dict(make_hashable(field.flatchoices))` on every
call; hashing a lazy label translates it, so one call costs a gettext per choice (CareerEntry's
kind has ~30). The dashboard and the staff queue call it once per entry and per status: that was
a fifth of the dashboard's rendering (bench/README.md, issue 12). The mapping value → label is
built once per field and keeps the lazy labels, so the label is still translated into the
language active at the call.
"""
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS = {}


class CachedChoicesDisplayMixin:
    def _get_FIELD_display(self, field):
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = {make_hashable(value): label for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
