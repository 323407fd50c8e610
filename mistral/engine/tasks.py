"""Task executions: create (with joins), apply task policies (pause-before,
wait-before, timeout, retry, wait-after), run the action, with-items or
sub-workflow, publish, and follow the transitions."""

import contextlib
import datetime
import json
import logging

from mistral import exceptions as exc
from mistral import expressions
from mistral.db import executions as db_ex
from mistral.db import jobs as db_jobs
from mistral.engine import actions, context, navigator, states
from mistral.engine import with_items as items
from mistral.limits import check_size

LOG = logging.getLogger(__name__)

INCOMPLETE = (states.IDLE, states.WAITING, states.RUNNING, states.DELAYED, states.PAUSED)

_PUBLISH_FIELD = {states.SUCCESS: "publish", states.ERROR: "publish-on-error", states.SKIPPED: "publish-on-skip"}


# -- helpers -------------------------------------------------------------------


def root_of(unit, wf_ex):
    if not wf_ex.root_execution_id:
        return wf_ex
    return db_ex.get_workflow_execution(unit.session, wf_ex.root_execution_id)


def inbound(unit, wf_ex, task_ex):
    """The task's inbound context, computed once per transaction."""
    key = (task_ex.id, tuple(context.triggered_by(task_ex)))
    ctx = unit.inbound.get(key)
    if ctx is None:
        ctx = unit.inbound[key] = context.inbound_context(unit.session, unit.contexts, wf_ex, task_ex)
    return ctx


def functions(unit, wf_ex, task_ex=None, result=None):
    return context.EngineFunctions(unit.session, wf_ex, root_of(unit, wf_ex), task_ex, result, result_of=result_of)


def evaluate(unit, value, data, funcs, field=None):
    """Evaluate the expressions in ``value``; an error names ``field``.

    :raises ExpressionEvaluationError: (400) naming the field and expression.
    """
    try:
        return expressions.evaluate_recursively(value, data, funcs)
    except exc.ExpressionError as e:
        if field is None:
            raise
        raise exc.ExpressionEvaluationError("failed to evaluate '%s': %s" % (field, e)) from None


def _rt(task_ex):
    return dict(task_ex.runtime_context or {})


def _seconds(unit, value, data, funcs, what):
    if value is None or value is False:
        return 0
    value = evaluate(unit, value, data, funcs, what)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise exc.InputError("'%s' must be a number, got %r" % (what, value)) from None


def _int(unit, value, data, funcs, what):
    value = evaluate(unit, value, data, funcs, what)
    if value is None or value is False:
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        raise exc.InputError("'%s' must be an integer, got %r" % (what, value)) from None


def result_of(session, task_ex):
    """The task's result: its action's result, a list for with-items, or the
    sub-workflow's output."""
    with_items = (task_ex.runtime_context or {}).get("with_items") is not None
    if task_ex.type == "WORKFLOW":
        if with_items:
            latest = items.item_subworkflows(session, task_ex)
            return [latest[i].output for i in sorted(latest)]
        children = db_ex.sub_workflows_of_task(session, task_ex.id)
        return children[-1].output if children else None
    acts = db_ex.actions_of_task(session, task_ex.id, accepted=True)
    if with_items:
        by_index = {}
        for a in acts:
            by_index[(a.runtime_context or {}).get("index", 0)] = (a.output or {}).get("result")
        return [by_index[i] for i in sorted(by_index)]
    if not acts:
        return None
    return (acts[-1].output or {}).get("result")


def schedule_job(unit, job_type, delay, params, key=None):
    run_after = unit.clock.now() + datetime.timedelta(seconds=delay)
    db_jobs.schedule(unit.session, job_type, run_after, params, key=key)
    unit.jobs_scheduled = True


# -- creation and start ----------------------------------------------------------


def schedule_task(unit, wf_ex, task_name, triggered_by):
    """Create the execution of ``task_name`` (or join an existing one) and start it."""
    spec = unit.spec_of(wf_ex).tasks[task_name]
    if spec.join:
        key = "join:%s" % task_name
        task_ex = db_ex.find_task_by_unique_key(unit.session, wf_ex.id, key)
        if task_ex is not None and task_ex.state == states.ERROR and _rt(task_ex).get("join_unsatisfied"):
            # An inbound task was rerun: the join it failed can be met again.
            rt = _rt(task_ex)
            rt.pop("join_unsatisfied")
            rt.pop("error_handled", None)
            db_ex.set_task_state(unit.session, task_ex, states.WAITING, expected=states.ERROR, state_info=None,
                                 processed=False, finished_at=None, runtime_context=rt)
        if task_ex is not None and task_ex.state != states.WAITING:
            LOG.debug("Join task %s [id=%s] already %s", task_name, task_ex.id, task_ex.state)
            return task_ex
        if task_ex is None:
            task_ex = _create(unit, wf_ex, spec, triggered_by, states.WAITING, unique_key=key)
        else:
            rt = _rt(task_ex)
            rt["triggered_by"] = list(dict.fromkeys(context.triggered_by(task_ex) + list(triggered_by)))
            db_ex.update_task(unit.session, task_ex, runtime_context=rt)
        arrived = {t.name for t in db_ex.get_tasks_by_ids(unit.session, context.triggered_by(task_ex)).values()}
        if navigator.join_status(unit.spec_of(wf_ex), task_name, arrived) == "run":
            begin_task(unit, wf_ex, task_ex)
        return task_ex
    if not spec.pause_before and not spec.wait_before:
        # No policy can hold it: created RUNNING (one write less per task).
        task_ex = _create(unit, wf_ex, spec, triggered_by, states.RUNNING, started_at=unit.clock.now())
        run_task(unit, wf_ex, task_ex)
        return task_ex
    task_ex = _create(unit, wf_ex, spec, triggered_by, states.IDLE)
    begin_task(unit, wf_ex, task_ex)
    return task_ex


def _create(unit, wf_ex, spec, triggered_by, state, unique_key=None, started_at=None):
    return db_ex.create_task_execution(
        unit.session,
        {
            "name": spec.name,
            "type": "WORKFLOW" if spec.workflow else "ACTION",
            "workflow_execution_id": wf_ex.id,
            "root_execution_id": wf_ex.root_execution_id or wf_ex.id,
            "workflow_name": wf_ex.workflow_name,
            "workflow_namespace": wf_ex.workflow_namespace,
            "workflow_id": wf_ex.workflow_id,
            "state": state,
            "runtime_context": {"triggered_by": list(triggered_by)},
            "unique_key": unique_key,
            "started_at": started_at,
            "project_id": wf_ex.project_id,
            "tags": list(spec.tags or []),
        },
    )


def begin_task(unit, wf_ex, task_ex):
    """Apply pause-before and wait-before, then run."""
    from mistral.engine import workflows

    spec = unit.spec_of(wf_ex).tasks[task_ex.name]
    rt = _rt(task_ex)
    try:
        data = inbound(unit, wf_ex, task_ex)
        funcs = functions(unit, wf_ex, task_ex)
        if spec.pause_before and not rt.get("pause_before_done") and evaluate(unit, spec.pause_before, data, funcs, "pause-before"):
            rt["pause_before_done"] = True
            db_ex.update_task(unit.session, task_ex, runtime_context=rt)
            workflows.pause(unit, wf_ex, "Paused before task '%s' (pause-before)" % task_ex.name)
            return
        delay = _seconds(unit, spec.wait_before, data, funcs, "wait-before")
        if delay > 0 and not rt.get("wait_before_done"):
            rt["wait_before_done"] = True
            db_ex.set_task_state(unit.session, task_ex, states.DELAYED, runtime_context=rt, state_info=None)
            schedule_job(unit, "task.start", delay, {"task_ex_id": task_ex.id}, key="start:%s" % task_ex.id)
            return
    except exc.MistralError as e:
        if e.code >= 500:
            raise
        fail_task(unit, wf_ex, task_ex, "Failed to start task '%s': %s" % (task_ex.name, e))
        return
    run_task(unit, wf_ex, task_ex)


def run_task(unit, wf_ex, task_ex):
    """Move the task to RUNNING and start its action, items or sub-workflow."""
    if task_ex.state != states.RUNNING:
        if not db_ex.set_task_state(unit.session, task_ex, states.RUNNING, state_info=None, started_at=unit.clock.now()):
            return
    spec = unit.spec_of(wf_ex).tasks[task_ex.name]
    try:
        data = inbound(unit, wf_ex, task_ex)
        funcs = functions(unit, wf_ex, task_ex)
        timeout = _seconds(unit, spec.timeout, data, funcs, "timeout")
        if timeout > 0:
            schedule_job(unit, "task.timeout", timeout, {"task_ex_id": task_ex.id}, key="timeout:%s" % task_ex.id)
        if spec.with_items:
            items.start_items(unit, wf_ex, task_ex, spec, data, funcs)
        elif spec.workflow:
            _start_subworkflow(unit, wf_ex, task_ex, spec, data, funcs)
        else:
            _start_action(unit, wf_ex, task_ex, spec, data, funcs)
    except exc.MistralError as e:
        if e.code >= 500:
            raise
        fail_task(unit, wf_ex, task_ex, "Failed to run task '%s': %s" % (task_ex.name, e))


def _action_name(unit, spec, data, funcs):
    name = spec.action or "std.noop"
    if expressions.is_expression(name):
        name = evaluate(unit, name, data, funcs, "action")
    return name


def _task_input(unit, spec, data, funcs):
    value = evaluate(unit, spec.input if spec.input is not None else {}, data, funcs, "input")
    if not isinstance(value, dict):
        raise exc.InputError("'input' must evaluate to an object, got %s" % type(value).__name__)
    if spec.workflow:
        return value
    all_defaults = funcs.env().get("__actions") or {}
    defaults = all_defaults.get(spec.action or "std.noop") if isinstance(all_defaults, dict) else None
    if defaults is not None and not isinstance(defaults, dict):
        raise exc.InputError("'env.__actions.%s' must be an object of default input values" % (spec.action or "std.noop"))
    if defaults:
        value = dict(defaults, **value)
    return value


def _start_action(unit, wf_ex, task_ex, spec, data, funcs):
    name = _action_name(unit, spec, data, funcs)
    action_input = _task_input(unit, spec, data, funcs)
    safe_rerun = bool(evaluate(unit, spec.safe_rerun, data, funcs, "safe-rerun"))
    actions.start(unit, wf_ex, task_ex, name, action_input, safe_rerun=safe_rerun)


# -- sub-workflows -------------------------------------------------------------------


def _start_subworkflow(unit, wf_ex, task_ex, spec, data, funcs):
    from mistral.engine import workflows

    name = _subworkflow_name(unit, spec, data, funcs)
    wf_input = _task_input(unit, spec, data, funcs) if spec.input else {}
    definition = workflows.find_definition(unit, name, wf_ex)
    workflows.start(unit, definition, wf_input, params={"namespace": wf_ex.workflow_namespace}, parent_task_ex=task_ex, parent_wf_ex=wf_ex)


def _subworkflow_name(unit, spec, data, funcs):
    name = spec.workflow
    if expressions.is_expression(name):
        name = evaluate(unit, name, data, funcs, "workflow")
    return name


def on_subworkflow_complete(unit, wf_ex, task_ex, sub_wf_ex):
    """A sub-workflow started by ``task_ex`` finished (``sub_wf_ex`` None:
    re-check a with-items task)."""
    if task_ex.state != states.RUNNING:
        return
    if (task_ex.runtime_context or {}).get("with_items") is not None:
        items.on_item_complete(unit, wf_ex, task_ex, unit.spec_of(wf_ex).tasks[task_ex.name])
    elif sub_wf_ex.state == states.SUCCESS:
        finish_task(unit, wf_ex, task_ex, states.SUCCESS, sub_wf_ex.output)
    elif sub_wf_ex.state == states.CANCELLED:
        finish_task(unit, wf_ex, task_ex, states.CANCELLED, sub_wf_ex.output, sub_wf_ex.state_info)
    else:
        finish_task(unit, wf_ex, task_ex, states.ERROR, sub_wf_ex.output, sub_wf_ex.state_info)


# -- completion ----------------------------------------------------------------------


def on_action_complete(unit, task_ex, action_ex):
    """An accepted action of ``task_ex`` finished."""
    if task_ex.state != states.RUNNING:
        return
    wf_ex = db_ex.get_workflow_execution(unit.session, task_ex.workflow_execution_id)
    spec = unit.spec_of(wf_ex).tasks[task_ex.name]
    if (task_ex.runtime_context or {}).get("with_items") is not None:
        items.on_item_complete(unit, wf_ex, task_ex, spec)
        return
    result = (action_ex.output or {}).get("result")
    if action_ex.state == states.SUCCESS:
        finish_task(unit, wf_ex, task_ex, states.SUCCESS, result)
    elif action_ex.state == states.CANCELLED:
        finish_task(unit, wf_ex, task_ex, states.CANCELLED, result, "Action execution was cancelled")
    else:
        finish_task(unit, wf_ex, task_ex, states.ERROR, result, action_ex.state_info)


def fail_task(unit, wf_ex, task_ex, message):
    """Fail a task that could not run (bad input, expression error, ...)."""
    finish_task(unit, wf_ex, task_ex, states.ERROR, None, message, policies=False)


def finish_task(unit, wf_ex, task_ex, state, result, state_info=None, policies=True):
    """Complete a task: fail-on, retry, wait-after, publish, then transitions."""
    session = unit.session
    spec = unit.spec_of(wf_ex).tasks[task_ex.name]
    rt = _rt(task_ex)
    try:
        data = inbound(unit, wf_ex, task_ex)
        funcs = functions(unit, wf_ex, task_ex, result)
        # task() in policies and publish shows the state the task ends in.
        funcs.current_overrides = {"state": state, "state_info": state_info}
        if policies and state == states.SUCCESS and spec.fail_on is not None and evaluate(unit, spec.fail_on, data, funcs, "fail-on"):
            state, state_info = states.ERROR, "Failed by 'fail-on' condition: %s" % spec.fail_on
            funcs.current_overrides = {"state": state, "state_info": state_info}
        if policies and spec.retry is not None and _should_retry(unit, spec, state, rt, data, funcs):
            _retry(unit, wf_ex, task_ex, spec, rt, data, funcs)
            return
        delay = _seconds(unit, spec.wait_after, data, funcs, "wait-after") if policies else 0
        if delay > 0 and not rt.get("wait_after_done"):
            rt["wait_after_done"] = True
            rt["pending_completion"] = {"state": state, "state_info": state_info}
            db_ex.set_task_state(session, task_ex, states.DELAYED, runtime_context=rt)
            schedule_job(unit, "task.complete", delay, {"task_ex_id": task_ex.id}, key="complete:%s" % task_ex.id)
            return
        published = {}
        publish = {states.SUCCESS: spec.publish, states.ERROR: spec.publish_on_error, states.SKIPPED: spec.publish_on_skip}.get(state)
        if publish:
            published = evaluate(unit, publish, data, funcs, _PUBLISH_FIELD[state])
            check_size("published", published, unit.size_limit_kb)
        # keep-result: false drops the result once published, as the original does.
        drop_result = spec.keep_result is not True and not evaluate(unit, spec.keep_result, data, funcs, "keep-result")
    except exc.MistralError as e:
        if e.code >= 500:
            raise
        state, state_info, published = states.ERROR, "Failed to complete task '%s': %s" % (task_ex.name, e), {}
        drop_result = False
    rt.pop("pending_completion", None)
    if spec.timeout:
        db_jobs.cancel(session, "timeout:%s" % task_ex.id)
    if not db_ex.set_task_state(
        session, task_ex, state, state_info=state_info, published=published, finished_at=unit.clock.now(),
        runtime_context=rt, processed=False,
    ):
        return
    if drop_result:
        for a in db_ex.actions_of_task(session, task_ex.id, accepted=True):
            db_ex.update_action(session, a, output={})
    after_task_completed(unit, wf_ex, task_ex)


def _should_retry(unit, spec, state, rt, data, funcs):
    retry = spec.retry
    count = _int(unit, retry.count, data, funcs, "retry.count")
    if rt.get("retry_no", 0) >= count:
        return False
    if state == states.ERROR:
        return not (retry.break_on is not None and evaluate(unit, retry.break_on, data, funcs, "retry.break-on"))
    if state == states.SUCCESS and retry.continue_on is not None:
        return bool(evaluate(unit, retry.continue_on, data, funcs, "retry.continue-on"))
    return False


def _retry(unit, wf_ex, task_ex, spec, rt, data, funcs):
    rt["retry_no"] = rt.get("retry_no", 0) + 1
    for a in db_ex.actions_of_task(unit.session, task_ex.id, accepted=True):
        db_ex.update_action(unit.session, a, accepted=False)
    delay = _seconds(unit, spec.retry.delay, data, funcs, "retry.delay")
    rt.pop("with_items", None)
    db_ex.update_task(unit.session, task_ex, runtime_context=rt)
    if delay > 0:
        db_ex.set_task_state(unit.session, task_ex, states.DELAYED)
        schedule_job(unit, "task.retry", delay, {"task_ex_id": task_ex.id}, key="retry:%s" % task_ex.id)
    else:
        run_task(unit, wf_ex, task_ex)


@contextlib.contextmanager
def deferring_completion(unit, wf_ex):
    """While tasks of ``wf_ex`` are being scheduled, a task that fails at once
    must not complete the workflow before its sibling tasks exist: the
    caller checks completion afterwards."""
    if wf_ex.id in unit.completion_deferred:
        yield
        return
    unit.completion_deferred.add(wf_ex.id)
    try:
        yield
    finally:
        unit.completion_deferred.discard(wf_ex.id)


def after_task_completed(unit, wf_ex, task_ex):
    """Follow the transitions of a completed task while the workflow runs."""
    from mistral.engine import workflows

    if wf_ex.state != states.RUNNING:
        return
    started_more = process_transitions(unit, wf_ex, task_ex)
    # A task just started and still running: the workflow can not be done.
    if not started_more and wf_ex.id not in unit.completion_deferred:
        workflows.check_completion(unit, wf_ex)


def process_transitions(unit, wf_ex, task_ex):
    """Evaluate the transitions of a completed task and apply the commands.

    A ``pause`` command keeps the commands after it in the task's runtime
    context (the task stays unprocessed): resuming the workflow applies them.

    :returns: True when it started a task that is still running.
    """
    from mistral.engine import workflows

    session = unit.session
    wf_spec = unit.spec_of(wf_ex)
    rt = _rt(task_ex)
    if task_ex.state == states.CANCELLED:
        db_ex.update_task(session, task_ex, processed=True)
        return
    data = context.outbound_context(session, unit.contexts, wf_ex, task_ex)
    funcs = functions(unit, wf_ex, task_ex, context.LAZY)
    pending = rt.pop("pending_commands", None)
    if pending is not None:
        commands = [navigator.Command(c["kind"], c["name"], c["params"], c["clause"]) for c in pending]
    else:
        try:
            commands = navigator.next_commands(wf_spec, task_ex.name, task_ex.state, lambda expr: evaluate(unit, expr, data, funcs, "condition %s" % expr))
        except exc.MistralError as e:
            if e.code >= 500:
                raise
            db_ex.update_task(session, task_ex, processed=True)
            workflows.fail(unit, wf_ex, "Failed to evaluate transitions of task '%s': %s" % (task_ex.name, e))
            return
        rt["error_handled"] = navigator.error_handled(commands)
        rt["has_next"] = any(c.kind == navigator.RUN_TASK for c in commands)
    db_ex.update_task(session, task_ex, processed=True, runtime_context=rt)
    with deferring_completion(unit, wf_ex):
        return _apply_commands(unit, wf_ex, task_ex, commands, rt, data, funcs)


def _apply_commands(unit, wf_ex, task_ex, commands, rt, data, funcs):
    from mistral.engine import workflows

    session = unit.session
    started_more = False
    for i, command in enumerate(commands):
        if wf_ex.state != states.RUNNING:
            break
        if command.kind == navigator.RUN_TASK:
            started = schedule_task(unit, wf_ex, command.name, [task_ex.id])
            # A WAITING join does not count: it may never be satisfied.
            started_more = started_more or (started is not None and started.state in (states.RUNNING, states.DELAYED))
            continue
        if command.kind not in (navigator.FAIL, navigator.SUCCEED, navigator.PAUSE):
            continue
        try:
            msg = _msg(unit, command, data, funcs)
        except exc.MistralError as e:
            if e.code >= 500:
                raise
            workflows.fail(unit, wf_ex, "Failed to run '%s' of task '%s': %s" % (command.name, task_ex.name, e))
            break
        if command.kind == navigator.FAIL:
            workflows.fail(unit, wf_ex, msg or "Failed by 'fail' in task '%s'" % task_ex.name)
        elif command.kind == navigator.SUCCEED:
            workflows.succeed(unit, wf_ex, msg)
        elif command.kind == navigator.PAUSE:
            workflows.pause(unit, wf_ex, msg or "Paused by task '%s'" % task_ex.name)
            rest = commands[i + 1 :]
            if rest and wf_ex.state == states.PAUSED:
                rt = dict(rt)  # a new object: JSON columns miss in-place changes
                rt["pending_commands"] = [
                    {"kind": c.kind, "name": c.name, "params": c.params, "clause": c.clause} for c in rest
                ]
                db_ex.update_task(session, task_ex, processed=False, runtime_context=rt)
            break
    return started_more


def _msg(unit, command, data, funcs):
    msg = command.params.get("msg")
    if msg is None:
        return None
    value = evaluate(unit, msg, data, funcs, "msg")
    return value if isinstance(value, str) else json.dumps(value)
