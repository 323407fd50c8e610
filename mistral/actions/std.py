"""Standard utility actions: std.noop, std.echo, std.fail, std.sleep,
std.async_noop and std.test_dict (std.http lives in ``std_http``).

Inputs, defaults and results follow the original Mistral's std actions, so
existing workflows behave the same. Nothing here logs action input.
"""

import logging
import threading

from mistral import exceptions as exc
from mistral.actions.base import Action, Result

LOG = logging.getLogger(__name__)


def _seconds(value) -> float:
    """A non-negative number of seconds; garbage counts as 0, as the original."""
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 0.0


def _wait(context, seconds: float) -> bool:
    """Wait ``seconds``; return True if the context's cancel_event cut it short."""
    if seconds <= 0:
        return False
    event = getattr(context, "cancel_event", None)
    if event is None:
        # A private event: a plain wait that nobody interrupts.
        event = threading.Event()
    return event.wait(seconds)


class NoopAction(Action):
    """No-operation action.

    Does nothing and returns null. Useful for testing and as a stub task.
    """

    def run(self, context):
        return None


class AsyncNoopAction(NoopAction):
    """Asynchronous no-operation action.

    Returns at once; its result is delivered later through the API
    (PUT /v2/action_executions/<id>).
    """

    def is_sync(self):
        return False


class EchoAction(Action):
    """Echo action.

    Returns the given ``output`` as its result, after an optional ``delay``
    in seconds. A stub for designing and testing workflows.
    """

    def __init__(self, output, delay=0):
        super().__init__()
        self.output = output
        self.delay = _seconds(delay)

    def run(self, context):
        if _wait(context, self.delay):
            return Result(cancel=True)
        return self.output


class FailAction(Action):
    """'Always fail' action.

    With ``error_data``, fails with that data as its error result;
    otherwise fails with a fixed message. For testing on-error branches.
    """

    def __init__(self, error_data=None):
        super().__init__()
        self.error_data = error_data

    def run(self, context):
        # As the original: a falsy error_data ("" or {}) means "no data".
        if self.error_data:
            return Result(error=self.error_data)
        raise exc.ActionError("Fail action expected exception.")


class SleepAction(Action):
    """Sleep action.

    Sleeps for the given number of ``seconds`` and returns null. Stops early,
    returning a cancel result, when the executor interrupts it.
    """

    def __init__(self, seconds=1):
        super().__init__()
        self.seconds = _seconds(seconds)

    def run(self, context):
        LOG.debug("std.sleep for %s seconds", self.seconds)
        if _wait(context, self.seconds):
            return Result(cancel=True)
        return None


class TestDictAction(Action):
    """Generates a test dict.

    Returns ``size`` keys ``<key_prefix><i>`` (i from 0), each mapped to
    ``val``. Useful to test the field size limit.
    """

    # Not a pytest test class, despite the name.
    __test__ = False

    def __init__(self, size=0, key_prefix="", val=""):
        super().__init__()
        try:
            self.size = int(size)
        except (TypeError, ValueError):
            raise exc.InvalidActionException(
                f"std.test_dict: 'size' must be an integer, got {size!r}"
            ) from None
        self.key_prefix = key_prefix
        self.val = val

    def run(self, context):
        return {f"{self.key_prefix}{i}": self.val for i in range(self.size)}


#: Built-in actions of this module by name (the registry adds std.http).
ACTIONS = {
    "std.noop": NoopAction,
    "std.echo": EchoAction,
    "std.fail": FailAction,
    "std.sleep": SleepAction,
    "std.async_noop": AsyncNoopAction,
    "std.test_dict": TestDictAction,
}
