"""Text that is copied from where it is stored into a narrower place.

A staff member's reason is stored whole (the entry's, application's or redemption's own field,
the audit trail). Copies of it go into columns with a limit: django-simple-history's
`history_change_reason` (100 characters) and the in-portal notice (500). A copy is cut here, with
an ellipsis, so that a long reason never makes a decision fail; the stored text is never cut.
"""
ELLIPSIS = "…"

# django-simple-history's HistoricalRecords.history_change_reason is CharField(max_length=100).
CHANGE_REASON_MAX = 100


def clip(text, limit):
    """`text` if it fits in `limit` characters, else its start and an ellipsis (exactly `limit`)."""
    text = "" if text is None else str(text)
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def change_reason(text):
    """The copy of a reason that goes into a history row."""
    return clip(text, CHANGE_REASON_MAX)
