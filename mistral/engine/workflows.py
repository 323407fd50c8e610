"""Workflow executions: start, completion, pause/resume/stop (cascading
through sub-workflows), rerun and skip of failed tasks, env updates."""

import logging

from mistral import exceptions as exc
from mistral import expressions
from mistral.db import definitions as defs
from mistral.db import environments as db_envs
from mistral.db import executions as db_ex
from mistral.engine import context, navigator, states, tasks
from mistral.engine import with_items as items
from mistral.limits import check_size

LOG = logging.getLogger(__name__)


# -- definitions and input ------------------------------------------------------------


def find_definition(unit, identifier, parent_wf_ex=None, namespace=""):
    """A workflow definition for a start or a sub-workflow task.

    A sub-workflow of a workbook's workflow is looked up in that workbook
    first (``<workbook>.<name>``), then by name.
    """
    session = unit.session
    if parent_wf_ex is not None:
        namespace = parent_wf_ex.workflow_namespace
        parent_name = parent_wf_ex.workflow_name or ""
        if "." in parent_name and "." not in identifier:
            qualified = parent_name.rsplit(".", 1)[0] + "." + identifier
            row = defs.find_by_name(session, "workflow", qualified, namespace)
            if row is not None:
                return row
    return defs.find(session, "workflow", identifier, namespace)


def _check_input(spec, wf_input):
    if not isinstance(wf_input, dict):
        raise exc.InputError("Workflow input must be an object, not %s" % type(wf_input).__name__)
    declared = [p.name for p in spec.input]
    unexpected = sorted(set(wf_input) - set(declared))
    missing = [p.name for p in spec.input if not p.has_default and p.name not in wf_input]
    if unexpected or missing:
        parts = []
        if missing:
            parts.append("missing=%s" % missing)
        if unexpected:
            parts.append("unexpected=%s" % unexpected)
        raise exc.InputError(
            "Invalid input for workflow '%s' [declared=%s, %s]" % (spec.name, declared, ", ".join(parts))
        )
    result = spec.input_defaults()
    result.update(wf_input)
    return result


def resolve_env(unit, env):
    """An env value from a request: an object, or a stored environment's name."""
    if env is None:
        return {}
    if isinstance(env, str):
        try:
            return dict(db_envs.find(unit.session, env).variables or {})
        except exc.NotFoundError:
            raise exc.InputError("Environment not found [name=%s]: 'env' must be an object or a stored environment's name" % env) from None
    if not isinstance(env, dict):
        raise exc.InputError("'env' must be an object or a stored environment's name, not %s" % type(env).__name__)
    return env


def _evaluate_env(env, base_env, data):
    class _EnvFunctions(expressions.FunctionsContext):
        def env(self):
            return context.merge(base_env, env)

    return expressions.evaluate_recursively(env, data, _EnvFunctions())


# -- start -------------------------------------------------------------------------------


def start(unit, definition, wf_input, description="", params=None, ex_id=None, parent_task_ex=None, parent_wf_ex=None):
    """Create a workflow execution and start its first tasks.

    :raises InputError: (400) bad input, params or env.
    """
    from mistral import lang

    session = unit.session
    spec = lang.load_workflow_spec(definition.spec)
    if spec.type != "direct":
        raise exc.InputError(
            "Workflow '%s' is a %s workflow: this engine runs direct workflows only" % (definition.name, spec.type)
        )
    wf_input = _check_input(spec, wf_input or {})
    params = dict(params or {})
    check_size("input", wf_input, unit.size_limit_kb)
    root = None
    if parent_wf_ex is not None:
        root = tasks.root_of(unit, parent_wf_ex)
        params.pop("env", None)
    else:
        env = resolve_env(unit, params.get("env"))
        if params.get("evaluate_env", True) and env:
            env = _evaluate_env(env, {}, wf_input)
        params["env"] = env
        check_size("params", params, unit.size_limit_kb)
    params.setdefault("namespace", definition.namespace)
    values = {
        "name": definition.name,
        "description": description or "",
        "workflow_name": definition.name,
        "workflow_namespace": definition.namespace,
        "workflow_id": definition.id,
        "spec": definition.spec,
        "state": states.RUNNING,
        "input": wf_input,
        "params": params,
        "root_execution_id": root.id if root is not None else None,
        "task_execution_id": parent_task_ex.id if parent_task_ex is not None else None,
        "project_id": definition.project_id,
        "runtime_context": {},
    }
    if ex_id:
        values["id"] = ex_id
    wf_ex = db_ex.create_workflow_execution(session, values)
    funcs = tasks.functions(unit, wf_ex)
    try:
        wf_vars = expressions.evaluate_recursively(spec.vars or {}, dict(wf_input), funcs)
    except exc.MistralError as e:
        if e.code >= 500:
            raise
        fail(unit, wf_ex, "Failed to evaluate workflow 'vars': %s" % e)
        return wf_ex
    wf_ex.context = context.merge(wf_input, wf_vars)
    session.flush()
    with tasks.deferring_completion(unit, wf_ex):
        for name in spec.start_task_names():
            if wf_ex.state != states.RUNNING:
                break
            tasks.schedule_task(unit, wf_ex, name, [])
    check_completion(unit, wf_ex)
    return wf_ex


# -- completion ----------------------------------------------------------------------------


def check_completion(unit, wf_ex):
    """Complete the workflow when no task is left to run."""
    session = unit.session
    if wf_ex.state != states.RUNNING:
        return
    counts = db_ex.count_tasks_by_state(session, wf_ex.id, tasks.INCOMPLETE)
    incomplete = sum(counts.values())
    if incomplete:
        if counts.get(states.WAITING, 0) == incomplete:
            waiting = db_ex.tasks_of(session, wf_ex.id, states_in=[states.WAITING])
            # Joins whose inbound tasks can no longer arrive.
            for task_ex in waiting:
                db_ex.update_task(session, task_ex, runtime_context=dict(task_ex.runtime_context or {}, join_unsatisfied=True))
                tasks.fail_task(unit, wf_ex, task_ex, "Join of task '%s' can not be satisfied: not every inbound task reached it" % task_ex.name)
        return
    all_tasks = db_ex.tasks_of(session, wf_ex.id)
    unhandled = [t for t in all_tasks if t.state == states.ERROR and not (t.runtime_context or {}).get("error_handled")]
    outcome = navigator.workflow_outcome([t.state for t in all_tasks], len(unhandled))
    spec = unit.spec_of(wf_ex)
    if outcome == states.SUCCESS:
        try:
            output = _evaluate_output(unit, wf_ex, spec.output, all_tasks)
            check_size("output", output, unit.size_limit_kb)
        except exc.MistralError as e:
            if e.code >= 500:
                raise
            _complete(unit, wf_ex, states.ERROR, "Failed to evaluate workflow output: %s" % e, {})
            return
        _complete(unit, wf_ex, states.SUCCESS, None, output)
    elif outcome == states.ERROR:
        info = "Failure caused by error in tasks: %s\n\n%s" % (
            ", ".join(t.name for t in unhandled),
            "\n".join("  %s [task_ex_id=%s] -> %s" % (t.name, t.id, t.state_info) for t in unhandled),
        )
        output = {}
        if spec.output_on_error:
            try:
                output = _evaluate_output(unit, wf_ex, spec.output_on_error, all_tasks)
            except exc.MistralError as e:
                if e.code >= 500:
                    raise
                info += "\nFailed to evaluate 'output-on-error': %s" % e
        _complete(unit, wf_ex, states.ERROR, info, output)
    else:
        _complete(unit, wf_ex, states.CANCELLED, "Cancelled tasks: %s" % ", ".join(t.name for t in all_tasks if t.state == states.CANCELLED), {})


def _evaluate_output(unit, wf_ex, output_spec, all_tasks):
    data = dict(wf_ex.context or {})
    for t in all_tasks:
        if states.is_completed(t.state) and not (t.runtime_context or {}).get("has_next"):
            data = context.merge(data, context.outbound_context(unit.session, unit.contexts, wf_ex, t))
    if not output_spec:
        return {}
    value = expressions.evaluate_recursively(output_spec, data, tasks.functions(unit, wf_ex))
    return value


def _complete(unit, wf_ex, state, state_info, output):
    if not db_ex.set_workflow_state(unit.session, wf_ex, state, state_info=state_info, output=output):
        return
    _notify_parent(unit, wf_ex)


def _notify_parent(unit, wf_ex):
    """A finished sub-workflow completes the task that started it."""
    if not wf_ex.task_execution_id or not states.is_completed(wf_ex.state):
        return
    parent_task = db_ex.get_task_execution(unit.session, wf_ex.task_execution_id)
    if parent_task.state != states.RUNNING:
        return
    parent_wf = db_ex.get_workflow_execution(unit.session, parent_task.workflow_execution_id)
    tasks.on_subworkflow_complete(unit, parent_wf, parent_task, wf_ex)


def fail(unit, wf_ex, message):
    """Fail a workflow (engine 'fail' command, or an evaluation error):
    output-on-error is evaluated and what still runs in it is cancelled."""
    if states.is_completed(wf_ex.state):
        return
    spec = unit.spec_of(wf_ex)
    output = {}
    if spec.output_on_error:
        try:
            output = _evaluate_output(unit, wf_ex, spec.output_on_error, db_ex.tasks_of(unit.session, wf_ex.id))
        except exc.MistralError as e:
            if e.code >= 500:
                raise
            message = "%s\nFailed to evaluate 'output-on-error': %s" % (message, e)
    _finish_early(unit, wf_ex, states.ERROR, message, output)


def succeed(unit, wf_ex, message=None):
    """Complete a workflow with SUCCESS (engine 'succeed' command); what
    still runs in it is cancelled."""
    if states.is_completed(wf_ex.state):
        return
    spec = unit.spec_of(wf_ex)
    try:
        output = _evaluate_output(unit, wf_ex, spec.output, db_ex.tasks_of(unit.session, wf_ex.id))
    except exc.MistralError as e:
        if e.code >= 500:
            raise
        output = {}
    _finish_early(unit, wf_ex, states.SUCCESS, message, output)


def _finish_early(unit, wf_ex, state, message, output):
    if not db_ex.set_workflow_state(unit.session, wf_ex, state, state_info=message, output=output):
        return
    _stop_incomplete(unit, wf_ex, states.CANCELLED, states.CANCELLED, "Cancelled: the workflow ended with %s first" % state)
    _notify_parent(unit, wf_ex)


# -- pause / resume / stop -------------------------------------------------------------------


def pause(unit, wf_ex, message=None):
    """Pause a running workflow and its running sub-workflows."""
    if wf_ex.state != states.RUNNING:
        return
    db_ex.set_workflow_state(unit.session, wf_ex, states.PAUSED, expected=states.RUNNING, state_info=message)
    for child in db_ex.sub_workflows(unit.session, wf_ex.id, state=states.RUNNING):
        pause(unit, child, message)


def resume(unit, wf_ex):
    """Resume a paused workflow and its paused sub-workflows, then continue
    what the pause held back (transitions of tasks that finished meanwhile,
    tasks held by pause-before)."""
    if wf_ex.state not in (states.PAUSED, states.IDLE):
        return
    if not db_ex.set_workflow_state(unit.session, wf_ex, states.RUNNING, expected=wf_ex.state, state_info=None):
        return
    for child in db_ex.sub_workflows(unit.session, wf_ex.id, state=states.PAUSED):
        resume(unit, child)
    _continue(unit, wf_ex)


def _continue(unit, wf_ex):
    session = unit.session
    for task_ex in db_ex.tasks_of(session, wf_ex.id, processed=False):
        if wf_ex.state != states.RUNNING:
            return
        if states.is_completed(task_ex.state):
            tasks.process_transitions(unit, wf_ex, task_ex)
        elif task_ex.state == states.IDLE:
            tasks.begin_task(unit, wf_ex, task_ex)
    check_completion(unit, wf_ex)


def stop(unit, wf_ex, state, message=None):
    """Cancel, fail or force-succeed a workflow and everything it runs."""
    session = unit.session
    if state == states.CANCELLED and wf_ex.state == states.CANCELLED:
        return
    states.check_transition("workflow", wf_ex.state, state)
    # The workflow and its tasks first: children that stop must not complete
    # their parent tasks (no retry, no transition, no generated state_info).
    changed = wf_ex.state != state and db_ex.set_workflow_state(session, wf_ex, state, state_info=message)
    _stop_incomplete(
        unit, wf_ex,
        states.CANCELLED if state != states.ERROR else states.ERROR,
        state if state != states.SUCCESS else states.CANCELLED,
        message or ("Workflow was %s" % ("cancelled" if state == states.CANCELLED else "stopped")),
        child_message=message,
    )
    if changed:
        _notify_parent(unit, wf_ex)


def _stop_incomplete(unit, wf_ex, task_state, child_state, message, child_message=None):
    """Stop the unfinished tasks (and their running actions) of a workflow
    that has left RUNNING, then its unfinished sub-workflows."""
    session = unit.session
    for task_ex in db_ex.tasks_of(session, wf_ex.id, states_in=tasks.INCOMPLETE):
        for a in db_ex.actions_of_task(session, task_ex.id, states_in=[states.RUNNING]):
            db_ex.set_action_state(session, a, states.CANCELLED, expected=states.RUNNING)
        db_ex.set_task_state(
            session, task_ex, task_state, expected=task_ex.state, finished_at=unit.clock.now(), processed=True,
            state_info=message,
        )
    for child in db_ex.sub_workflows(session, wf_ex.id):
        if not states.is_completed(child.state):
            stop(unit, child, child_state, child_message if child_message is not None else message)


# -- env ---------------------------------------------------------------------------------------


def merge_env(unit, root_ex, env, allowed_states=None):
    """Deep-merge ``env`` into the root execution's env.

    Unless the execution was started with ``evaluate_env: false``, the new
    values are evaluated against the merged env; an expression error is a
    400 and, the transaction being rolled back, changes nothing.
    :raises InputError: (400) bad env, unknown environment name, too large.
    :raises NotAllowedError: (403) the root is not in ``allowed_states``.
    """
    env = resolve_env(unit, env)
    evaluate = None
    if (root_ex.params or {}).get("evaluate_env", True):

        def evaluate(new, old):
            try:
                return _evaluate_env(new, old, dict(root_ex.input or {}))
            except exc.ExpressionError as e:
                raise exc.InputError("Failed to evaluate 'env': %s" % e) from None

    db_ex.merge_root_env(unit.session, root_ex, env, allowed_states, evaluate, unit.size_limit_kb)


def ancestors(unit, wf_ex):
    """The chain from ``wf_ex`` up to the root (inclusive), innermost first."""
    chain = [wf_ex]
    while chain[-1].task_execution_id:
        parent_task = db_ex.get_task_execution(unit.session, chain[-1].task_execution_id)
        chain.append(db_ex.get_workflow_execution(unit.session, parent_task.workflow_execution_id))
    return chain


# -- rerun / skip -----------------------------------------------------------------------------


def rerun(unit, task_ex, reset=True, skip=False, env=None):
    """Rerun (or skip) a failed task, after merging ``env`` into the root env.

    Checks, in order: task in ERROR (400); reset=false only for with-items
    (400); a PAUSED execution (409); a SUCCESS or CANCELLED execution (403
    with env, else 400).
    """
    session = unit.session
    if task_ex.state != states.ERROR:
        raise exc.WorkflowException(
            "Task '%s' [id=%s] is in state %s: only a task in ERROR can be %s"
            % (task_ex.name, task_ex.id, task_ex.state, "skipped" if skip else "rerun")
        )
    with_items = (task_ex.runtime_context or {}).get("with_items") is not None
    if not skip and not reset and not with_items:
        raise exc.InputError("'reset: false' is only allowed for with-items tasks; task '%s' has no with-items" % task_ex.name)
    wf_ex = db_ex.get_workflow_execution(session, task_ex.workflow_execution_id)
    chain = ancestors(unit, wf_ex)
    for ex in chain:
        if ex.state == states.PAUSED:
            raise exc.StateConflictError(
                "Execution [id=%s] is PAUSED: resume it (state RUNNING) before %s task '%s'"
                % (ex.id, "skipping" if skip else "rerunning", task_ex.name)
            )
    for ex in chain:
        if ex.state in (states.SUCCESS, states.CANCELLED):
            if env is not None:
                raise exc.NotAllowedError(
                    "Can not update env of execution [id=%s] in state %s" % (ex.id, ex.state)
                )
            if ex.state == states.SUCCESS:
                raise exc.InvalidStateTransition("Can not change state of workflow from SUCCESS to RUNNING (execution [id=%s])" % ex.id)
    root_ex = chain[-1]
    if env is not None:
        merge_env(unit, root_ex, env, (states.IDLE, states.RUNNING, states.ERROR))
    for ex in reversed(chain):
        if ex.state != states.RUNNING:
            db_ex.set_workflow_state(session, ex, states.RUNNING, expected=ex.state, state_info=None)
        if ex.task_execution_id:
            # The task that started this sub-workflow waits for it again.
            parent_task = db_ex.get_task_execution(session, ex.task_execution_id)
            if parent_task.state in (states.ERROR, states.CANCELLED):
                db_ex.set_task_state(session, parent_task, states.RUNNING, expected=parent_task.state, state_info=None,
                                     processed=False, finished_at=None, published={})
    if skip:
        if not db_ex.set_task_state(session, task_ex, states.SKIPPED, expected=states.ERROR, state_info=None,
                                    processed=False, finished_at=unit.clock.now()):
            raise exc.StateConflictError("Task '%s' [id=%s] changed state meanwhile" % (task_ex.name, task_ex.id))
        tasks.after_task_completed(unit, wf_ex, task_ex)
        return task_ex
    rt = dict(task_ex.runtime_context or {})
    for key in ("retry_no", "wait_after_done", "wait_before_done", "pause_before_done", "pending_completion", "error_handled"):
        rt.pop(key, None)
    failed_items = None
    if with_items and not reset:
        acts = db_ex.actions_of_task(session, task_ex.id, accepted=True)
        failed_items = items.failed_items(session, task_ex)
        for a in acts:
            if a.state != states.SUCCESS:
                db_ex.update_action(session, a, accepted=False)
    else:
        for a in db_ex.actions_of_task(session, task_ex.id, accepted=True):
            db_ex.update_action(session, a, accepted=False)
        rt.pop("with_items", None)
    if not db_ex.set_task_state(session, task_ex, states.RUNNING, expected=states.ERROR, state_info=None,
                                runtime_context=rt, processed=False, finished_at=None, published={},
                                started_at=unit.clock.now()):
        raise exc.StateConflictError("Task '%s' [id=%s] changed state meanwhile" % (task_ex.name, task_ex.id))
    if failed_items is not None:
        spec = unit.spec_of(wf_ex).tasks[task_ex.name]
        data = tasks.inbound(unit, wf_ex, task_ex)
        funcs = tasks.functions(unit, wf_ex, task_ex)
        try:
            items.start_items(unit, wf_ex, task_ex, spec, data, funcs, indexes=failed_items)
        except exc.MistralError as e:
            if e.code >= 500:
                raise
            tasks.fail_task(unit, wf_ex, task_ex, str(e))
    else:
        tasks.run_task(unit, wf_ex, task_ex)
    return task_ex
