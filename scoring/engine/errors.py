"""The two errors the engine raises: bad input (the caller's fault) and bad rule files (ours).

Both carry where the problem is so a CLI can print one line and exit, and an API can
answer 400 with the field path; neither is ever shown as a traceback.
"""


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class InputError(EngineError):
    """The contract input is malformed: `field` is a path such as `entries[3].score`."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RuleSetError(EngineError):
    """A rule file is invalid: `file` (e.g. `rules/du-heart/rules.yaml`), `path` inside it, `reason`."""

    def __init__(self, file: str, path: str, reason: str):
        self.file = file
        self.path = path
        self.reason = reason
        super().__init__(f"{file}: {path}: {reason}")

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.reason}"


class ExpressionError(EngineError):
    """An expression in a rule file does not parse or uses something not allowed.

    The loader turns it into a RuleSetError with the file and path.
    """
