"""The API's JSON parser: the body's size and nesting are checked before `json` sees it.

Python's json decoder recurses once per nested array or object, so a body of 100,000 `[` raised
RecursionError, a 500 (issue 12). The scan below is iterative and looks only at brackets and
string quotes; the limits are generous for the contract (a document is some five levels deep).
"""
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64
_STRUCTURE = re.compile(rb'[\[\]{}"\\]')


def json_depth_exceeds(data: bytes, limit: int) -> bool:
    depth, in_string, skip = 0, False, -1
    for match in _STRUCTURE.finditer(data):
        at = match.start()
        if at == skip:  # the character after a backslash inside a string
            continue
        char = data[at]
        if in_string:
            if char == 0x5C:  # backslash
                skip = at + 1
            elif char == 0x22:
                in_string = False
        elif char == 0x22:
            in_string = True
        elif char in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif char in (0x5D, 0x7D):
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        import io

        limit = getattr(settings, "API_MAX_JSON_BYTES", 10 * 1024 * 1024)
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise ParseError(_("input: the JSON body is larger than %(limit)d bytes.") % {"limit": limit})
        if json_depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("input: JSON nested deeper than %(depth)d levels.") % {"depth": MAX_DEPTH})
        try:
            return super().parse(io.BytesIO(data), media_type, parser_context)
        except RecursionError:  # belt and braces: the scan above should have refused it
            raise ParseError(_("input: JSON nested too deeply.")) from None
