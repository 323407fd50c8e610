"""Exceptions of the service; each carries the HTTP ``code`` it maps to.

Constructors take the message only (plus nothing else), because exceptions
cross RPC boundaries and oslo.messaging rebuilds them from ``args``: a class
that needs more arguments would arrive as a generic 500.
"""


class MistralError(Exception):
    """Base class. ``code`` is the HTTP status the API answers with."""

    code = 500
    message = "An unknown error occurred"

    def __init__(self, message=None):
        if message is not None:
            self.message = str(message)
        super().__init__(self.message)

    def __str__(self):
        return self.message


# -- 400: the request or the definition is wrong -----------------------------


class InputError(MistralError):
    """Bad input from the user (400)."""

    code = 400
    message = "Bad request"


class InvalidModelException(InputError):
    """A definition (workflow, workbook, action) fails validation."""


class DSLParsingException(InputError):
    """A definition is not well-formed YAML or not the expected shape."""


class ExpressionError(InputError):
    """Base for expression errors."""


class ExpressionValidationError(ExpressionError):
    """An expression has a syntax error (found when a definition is parsed)."""


class ExpressionEvaluationError(ExpressionError):
    """An expression failed at run time (unknown function, bad key, ...)."""


class InvalidActionException(InputError):
    """An unknown action or bad action input."""


class ActionError(MistralError):
    """Raised by an action's ``run`` to fail it; the message is its result."""

    code = 400


class SizeLimitExceededError(InputError):
    """A field is larger than ``[engine] execution_field_size_limit_kb``."""


class InvalidStateTransition(InputError):
    """The state table forbids a requested transition (400, as the original)."""


class WorkflowException(InputError):
    """An engine-level user error (e.g. rerunning a task that did not fail)."""


# -- 403 / 404 / 409 ---------------------------------------------------------


class NotAllowedError(MistralError):
    """The operation is refused for the entity's current state (403)."""

    code = 403
    message = "Operation not allowed"


class NotFoundError(MistralError):
    """An unknown name or id (404)."""

    code = 404
    message = "Object not found"


class DBEntityNotFoundError(NotFoundError):
    """A DB lookup by name or id found nothing."""


class ConflictError(MistralError):
    """The request conflicts with the current state (409)."""

    code = 409
    message = "Conflict"


class DBDuplicateEntryError(ConflictError):
    """An entity with the same unique name already exists."""


class StateConflictError(ConflictError):
    """The execution's state makes the request meaningless (409)."""


# -- 500 ---------------------------------------------------------------------


class DBError(MistralError):
    """A database error the user did not cause."""


class EngineError(MistralError):
    """An internal engine failure."""


# Modules whose exceptions keep their class across RPC.
ALLOWED_REMOTE_EXMODS = [__name__]
