"""Running one action for the executor: input in, ``Result`` out, never raises.

``run_action`` looks the action up, checks and applies its input, runs it and
turns whatever happens into a ``Result``:

* a plain return value -> ``Result(data=value)``; a returned ``Result`` (ours
  or mistral-lib's) is kept as it is;
* ``ActionError`` (or any other exception) -> ``Result(error=<message>)``;
  unknown action or bad input -> ``Result(error=<message>)`` without running;
* a value that cannot be sent as JSON -> ``Result(error=...)``;
* ``timeout`` exceeded -> ``Result(error=...)``; the context's cancel_event is
  set so a cooperative action stops (a Python thread cannot be killed).

Asynchronous actions (``is_sync()`` False, e.g. std.async_noop) return
``None`` once ``run`` has returned normally: the executor must NOT report a
result, which arrives later through the API. If such an action fails to
start (bad input, exception, error ``Result``) a ``Result`` is returned and
must be reported like any other.
"""

import dataclasses
import json
import logging
import threading

from mistral import exceptions as exc
from mistral.actions import registry
from mistral.actions.base import ActionContext, Result

LOG = logging.getLogger(__name__)


def _message(error: Exception) -> str:
    """A readable one-line message for an exception (no traceback)."""
    text = str(error)
    if isinstance(error, exc.MistralError) or type(error).__name__ == "ActionException":
        # Our errors and mistral-lib's ActionException carry a user message.
        return text or type(error).__name__
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _as_result(value) -> Result:
    if isinstance(value, Result):
        return value
    if type(value).__name__ == "Result" and all(
        hasattr(value, a) for a in ("data", "error", "cancel")
    ):
        # mistral_lib.actions.Result returned by a custom action.
        return Result(data=value.data, error=value.error, cancel=value.cancel)
    return Result(data=value)


def _run(action, name: str, context: ActionContext) -> Result | None:
    action_ex_id = getattr(context, "action_execution_id", None)
    try:
        is_sync = action.is_sync()
        value = action.run(context)
    except Exception as e:
        if isinstance(e, exc.MistralError) or type(e).__name__ == "ActionException":
            LOG.info("Action [%s] failed [action_ex_id=%s]", name, action_ex_id)
        else:
            # Not an intended failure: keep the traceback for the operator.
            LOG.warning(
                "Action [%s] raised %s [action_ex_id=%s]",
                name,
                type(e).__name__,
                action_ex_id,
                exc_info=True,
            )
        return Result(error=_message(e))
    result = _as_result(value)
    if not is_sync and result.is_success():
        return None
    try:
        json.dumps(result.to_dict())
    except (TypeError, ValueError) as e:
        return Result(error=f"Action '{name}' returned a result that is not JSON: {e}")
    return result


def run_action(
    name: str,
    action_input: dict | None,
    context: ActionContext | None,
    timeout: float | None = None,
) -> Result | None:
    """Run action ``name`` with ``action_input``; never raises.

    :param name: action name, e.g. ``std.http`` or an entry-point name.
    :param action_input: the evaluated input (keyword arguments of the class).
    :param context: the ``ActionContext`` of this run.
    :param timeout: seconds after which the run is abandoned (None: no limit).
    :returns: the ``Result`` to report, or None for an asynchronous action
        that started normally (its result comes through the API).
    """
    action_input = {} if action_input is None else action_input
    try:
        registry.validate_input(name, action_input)
        action = registry.get_action_class(name)(**action_input)
    except Exception as e:  # noqa: BLE001  (any failure becomes the result)
        return Result(error=_message(e))

    if not timeout or timeout <= 0:
        return _run(action, name, context)

    if context is None:
        context = ActionContext(None, None, None, None, None, None)
    if context.cancel_event is None:
        context = dataclasses.replace(context, cancel_event=threading.Event())
    # Stays in place only if the worker dies of a BaseException.
    outcome = {"result": Result(error=f"Action '{name}' stopped without a result")}

    def target():
        outcome["result"] = _run(action, name, context)

    worker = threading.Thread(target=target, name=f"action-{name}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        context.cancel_event.set()
        LOG.warning(
            "Action [%s] timed out after %s s [action_ex_id=%s]",
            name,
            timeout,
            context.action_execution_id,
        )
        return Result(error=f"Action '{name}' timed out after {timeout} seconds")
    return outcome["result"]
