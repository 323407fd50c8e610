"""Action executions in the engine: start (record, then dispatch after
commit) and complete (CAS the state, hand the result to the task)."""

import json
import logging

from mistral import exceptions as exc
from mistral.actions import registry
from mistral.actions.base import ActionContext, Result
from mistral.db import executions as db_ex
from mistral.engine import clock as engine_clock
from mistral.engine import states
from mistral.limits import check_size

LOG = logging.getLogger(__name__)

# Pure actions the engine runs itself, in the same transaction chain: no
# executor round trip for a no-op.
INLINE = {"std.noop": lambda inp: None, "std.echo": lambda inp: inp.get("output")}


def runs_inline(name, action_input, timeout=None):
    """True for a pure action the engine can complete itself (no delay)."""
    return name in INLINE and not timeout and not (action_input or {}).get("delay")


def _is_sync(cls, action_input):
    try:
        return bool(cls(**action_input).is_sync())
    except Exception:  # noqa: BLE001 - the executor reports construction errors
        return True


def start(unit, wf_ex, task_ex, name, action_input, index=None, safe_rerun=False, timeout=None):
    """Record an action execution (RUNNING) and plan its dispatch.

    :raises InvalidActionException: (400) unknown action or bad input; the
        caller fails the task with the message.
    """
    if not isinstance(action_input, dict):
        raise exc.InvalidActionException(
            "Input of action '%s' must be an object, got %s" % (name, type(action_input).__name__)
        )
    registry.validate_input(name, action_input)
    cls = registry.get_action_class(name)
    is_sync = name in INLINE or _is_sync(cls, action_input)
    runtime_context = {"safe_rerun": bool(safe_rerun)}
    if index is not None:
        runtime_context["index"] = index
    action_ex = db_ex.create_action_execution(
        unit.session,
        {
            "name": name,
            "task_execution_id": task_ex.id,
            "workflow_name": wf_ex.workflow_name,
            "workflow_namespace": wf_ex.workflow_namespace,
            "state": states.RUNNING,
            "accepted": False,
            "is_sync": is_sync,
            "input": action_input,
            "runtime_context": runtime_context,
            "project_id": wf_ex.project_id,
        },
    )
    if runs_inline(name, action_input, timeout):
        unit.inline.append((action_ex.id, Result(data=INLINE[name](action_input))))
    else:
        unit.dispatch.append(dispatch_item(action_ex, task_ex, wf_ex, timeout))
    return action_ex


def start_adhoc(unit, name, action_input, description=None):
    """Record and plan an action run outside any workflow (POST /v2/action_executions).

    :raises InvalidActionException: (400) unknown action or bad input.
    """
    if not isinstance(action_input, dict):
        raise exc.InvalidActionException("Input of action '%s' must be an object" % name)
    registry.validate_input(name, action_input)
    cls = registry.get_action_class(name)
    check_size("input", action_input, unit.size_limit_kb)
    action_ex = db_ex.create_action_execution(
        unit.session,
        {
            "name": name,
            "description": description or "",
            "state": states.RUNNING,
            "accepted": False,
            "is_sync": name in INLINE or _is_sync(cls, action_input),
            "input": action_input,
            "runtime_context": {"safe_rerun": False},
        },
    )
    if runs_inline(name, action_input):
        unit.inline.append((action_ex.id, Result(data=INLINE[name](action_input))))
    else:
        unit.dispatch.append(dispatch_item(action_ex, None, None))
    return action_ex


def dispatch_item(action_ex, task_ex, wf_ex, timeout=None):
    """What the executor needs to run ``action_ex`` (cast after commit)."""
    context = ActionContext(
        workflow_execution_id=wf_ex.id if wf_ex is not None else None,
        root_execution_id=(wf_ex.root_execution_id or wf_ex.id) if wf_ex is not None else None,
        task_execution_id=task_ex.id if task_ex is not None else None,
        action_execution_id=action_ex.id,
        workflow_name=wf_ex.workflow_name if wf_ex is not None else None,
        task_name=task_ex.name if task_ex is not None else None,
    )
    return {
        "action_ex_id": action_ex.id,
        "action_name": action_ex.name,
        "action_input": action_ex.input or {},
        "safe_rerun": bool((action_ex.runtime_context or {}).get("safe_rerun")),
        "timeout": timeout,
        "context": context.to_dict(),
    }


def redispatch(unit, action_ex, release=False):
    """Dispatch an action again (lost cast, or dead executor of a safe-rerun action)."""
    if not db_ex.mark_dispatched(unit.session, action_ex, engine_clock.Clock().now(), release=release):
        return False
    task_ex = db_ex.get_task_execution(unit.session, action_ex.task_execution_id) if action_ex.task_execution_id else None
    wf_ex = db_ex.get_workflow_execution(unit.session, task_ex.workflow_execution_id) if task_ex is not None else None
    unit.dispatch.append(dispatch_item(action_ex, task_ex, wf_ex))
    return True


def output_of(result):
    """What an action execution stores as output."""
    return {"result": result.error if result.is_error() or result.is_cancel() else result.data}


def complete(unit, action_ex_id, result):
    """Apply an action's result; returns the action execution.

    A result for an action that is no longer RUNNING (already completed,
    cancelled, timed out) is ignored: results may be delivered twice.
    :raises DBEntityNotFoundError: (404) unknown action execution.
    """
    from mistral.engine import tasks  # tasks imports this module

    session = unit.session
    action_ex = db_ex.get_action_execution(session, action_ex_id)
    task_ex = None
    if action_ex.task_execution_id:
        task_ex = db_ex.get_task_execution(session, action_ex.task_execution_id)
        unit.lock(task_ex.root_execution_id or task_ex.workflow_execution_id, action_ex, task_ex)
    if action_ex.state not in (states.RUNNING, states.PAUSED):
        LOG.debug("Ignoring result of action execution [id=%s] in state %s", action_ex.id, action_ex.state)
        return action_ex
    if result.is_cancel():
        new_state = states.CANCELLED
    elif result.is_error():
        new_state = states.ERROR
    else:
        new_state = states.SUCCESS
    output = output_of(result)
    state_info = None
    try:
        check_size("result", output, unit.size_limit_kb)
    except exc.SizeLimitExceededError as e:
        new_state, state_info = states.ERROR, str(e)
        output = {"result": str(e)}
    if new_state == states.ERROR and state_info is None:
        state_info = _text(output["result"])
    if not db_ex.set_action_state(session, action_ex, new_state, expected=action_ex.state, state_info=state_info, output=output, accepted=True):
        return action_ex
    if task_ex is not None:
        tasks.on_action_complete(unit, task_ex, action_ex)
    return action_ex


def _text(value):
    """A readable state_info for an action's error result."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "status" in value and "url" in value:
        content = value.get("content")
        body = content if isinstance(content, str) else json.dumps(content)
        return "HTTP %s %s from %s: %s" % (value["status"], value.get("reason") or "", value["url"], body[:2000])
    return json.dumps(value)
