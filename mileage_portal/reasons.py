"""A reason a person types (reject, return, revoke, refuse, committee decision): what counts as text.

`str.strip()` leaves zero-width spaces, joiners, the byte-order mark and the Hangul fillers, so a
reason made only of them passed as written while showing nothing (issue 12). clean_reason trims
those and whitespace from both ends; a reason with nothing visible left is empty, which every
decision refuses with an error naming the reason field. Visible text is kept exactly as typed.
"""
import unicodedata

# Letters by Unicode category, but blank on screen.
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}  # Hangul choseong/jungseong fillers, Hangul filler


def _invisible(char):
    return char.isspace() or unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp") or char in _BLANK_LETTERS


def clean_reason(text):
    """`text` without invisible characters at either end; "" if nothing visible is left."""
    text = "" if text is None else str(text)
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]
