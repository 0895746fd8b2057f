"""drf-spectacular postprocessing: every operation documents the errors it can answer with.

drf-spectacular documents the success answer only; clients (and schemathesis in CI) need the
4xx answers too. Every operation can answer 401 (no or wrong credentials: the first authenticator
is the token one, so the answer is 401 with `WWW-Authenticate: Token`) and 403 (logged in but not
allowed); one that takes parameters or a body answers 400 naming the field; one addressed by an
id answers 404 (also for an object the user may not see: nobody learns that it exists); a
non-safe method on an object in the wrong state answers 409 where the view says so. Error bodies
are DRF's: `{"detail": "..."}` or `{"<field>": ["..."]}`.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for the whole request, or one key per field with its messages.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Invalid input: the body names each field and what is wrong with it.",
    "401": "Not authenticated (send `Authorization: Token <key>`, Basic credentials or the session).",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such object, or one this user may not see (a list: no such page).",
    "413": "The request body is too large.",
}


def _error(code):
    return {"description": DESCRIPTIONS[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            codes = ["401", "403"]
            if operation.get("parameters") or operation.get("requestBody") or method in ("post", "put", "patch"):
                codes.append("400")
            if ("{" in path or path.endswith("/me/")
                    or any(p.get("name") == "page" for p in operation.get("parameters", []))):
                codes.append("404")  # an unknown id, no own record (staff at /students/me/), a page past the end
            if operation.get("requestBody"):
                codes.append("413")
            for code in codes:
                responses.setdefault(code, _error(code))
    return result
