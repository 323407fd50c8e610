"""What every action is made of: the ``Action`` class, its ``Result`` and the
``ActionContext`` it runs in.

An action class is instantiated with the action's input as keyword arguments
(its ``__init__`` signature *is* the action's input spec), then ``run(context)``
is called once. ``run`` returns either a plain JSON-serialisable value (the
action succeeded with that value) or a ``Result`` (to fail with error data, or
to report a cancel), or raises ``mistral.exceptions.ActionError`` (the action
failed with that message). Classes written for ``mistral_lib.actions.Action``
follow the same protocol and can be installed through entry points unchanged.
"""

import dataclasses
import inspect
import threading
from typing import Any


class Action:
    """Base class of actions.

    Subclasses declare their input as ``__init__`` keyword parameters and
    implement ``run``. The description shown by ``GET /v2/actions`` is the
    ``description`` class attribute, or else the class docstring.
    """

    #: One-line or multi-line text for the action list; None: the docstring.
    description: str | None = None

    def __init__(self):
        # An explicit no-argument __init__ so that a subclass without its own
        # declares "no input" (inspect would otherwise report object's
        # ``*args, **kwargs``).
        pass

    def run(self, context: "ActionContext") -> Any:
        """Do the work; return a value or a ``Result``, or raise ActionError.

        :param context: the ``ActionContext`` of this run (ids, names,
            callback URL, and an optional ``cancel_event`` to honour).
        """
        raise NotImplementedError(f"{type(self).__name__}.run is not implemented")

    def is_sync(self) -> bool:
        """False if the result arrives later through the API, not from ``run``."""
        return True

    @classmethod
    def get_description(cls) -> str | None:
        """The ``description`` attribute, else the class's own docstring."""
        return class_description(cls)


def class_description(cls: type) -> str | None:
    """Description of any action class (ours or a mistral-lib one).

    Only the class's own docstring counts: an undocumented subclass must not
    show its base class's text.
    """
    text = cls.__dict__.get("description")
    if isinstance(text, str) and text:
        return text
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else None


class Result:
    """Outcome of an action: ``data`` on success, ``error`` on failure.

    ``cancel=True`` reports a cancelled action (``is_error`` is then False,
    as in mistral-lib).
    """

    __slots__ = ("cancel", "data", "error")

    def __init__(self, data: Any = None, error: Any = None, cancel: bool = False):
        self.data = data
        self.error = error
        self.cancel = bool(cancel)

    def is_cancel(self) -> bool:
        return self.cancel

    def is_error(self) -> bool:
        return self.error is not None and not self.cancel

    def is_success(self) -> bool:
        return not self.is_error() and not self.cancel

    def to_dict(self) -> dict:
        """``{"data": ..., "error": ..., "cancel": ...}``: the wire form."""
        return {"data": self.data, "error": self.error, "cancel": self.cancel}

    @classmethod
    def from_dict(cls, d: dict | None) -> "Result":
        """Rebuild a ``Result`` from ``to_dict`` output (missing keys: defaults)."""
        d = d or {}
        return cls(
            data=d.get("data"), error=d.get("error"), cancel=d.get("cancel", False)
        )

    def __eq__(self, other):
        if not isinstance(other, Result):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __repr__(self):
        # Data and error may hold secrets: repr shows their types only.
        return (
            f"Result(data=<{type(self.data).__name__}>, "
            f"error=<{type(self.error).__name__}>, cancel={self.cancel})"
        )


@dataclasses.dataclass
class ActionContext:
    """Where an action runs: ids and names of its execution, plain data.

    ``cancel_event`` is not part of the wire form: the executor may set it
    (a ``threading.Event``) to ask a long-running action to stop early;
    actions that wait should wait on it rather than sleep.
    """

    workflow_execution_id: str | None
    root_execution_id: str | None
    task_execution_id: str | None
    action_execution_id: str | None
    workflow_name: str | None
    task_name: str | None
    callback_url: str | None = None
    cancel_event: threading.Event | None = dataclasses.field(
        default=None, compare=False, repr=False
    )

    @property
    def execution(self) -> "ActionContext":
        """mistral-lib compatibility: actions read ``context.execution.<id>``."""
        return self

    def to_dict(self) -> dict:
        """The plain-data fields (no ``cancel_event``), for RPC."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "cancel_event"
        }

    @classmethod
    def from_dict(cls, d: dict, cancel_event: threading.Event | None = None):
        """Build a context from ``to_dict`` output; unknown keys are ignored."""
        names = {f.name for f in dataclasses.fields(cls)} - {"cancel_event"}
        values = {name: d.get(name) for name in names}
        return cls(**values, cancel_event=cancel_event)
