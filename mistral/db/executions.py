"""Data access for executions: workflow, task and action executions.

Each entity has exactly one function that changes its state, written as a
compare-and-swap (``UPDATE ... WHERE id = :id AND state = :expected``), so two
engines can never both apply the same transition.
"""

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from mistral import exceptions as exc
from mistral.db import models, query
from mistral.engine import states
from mistral.jsonmerge import deep_merge
from mistral.limits import check_size

_KEEP = object()

WF = models.WorkflowExecution
TASK = models.TaskExecution
ACTION = models.ActionExecution


def _cas(session, model, kind, obj, new_state, expected, state_info, extra):
    """Apply ``obj.state: expected -> new_state`` atomically; False if lost."""
    expected = obj.state if expected is None else expected
    states.check_transition(kind, expected, new_state)
    values = dict(extra)
    values["state"] = new_state
    if state_info is not _KEEP:
        values["state_info"] = state_info
    values["updated_at"] = models.utcnow()
    expected_list = list(expected) if isinstance(expected, (list, tuple, set, frozenset)) else [expected]
    session.flush()
    result = session.execute(
        sa.update(model)
        .where(model.id == obj.id, model.state == expected_list[0] if len(expected_list) == 1 else model.state.in_(expected_list))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for key, value in values.items():
        set_committed_value(obj, key, value)
    return True


def set_workflow_state(session, wf_ex, new_state, expected=None, state_info=_KEEP, **extra):
    """CAS the state of a workflow execution; returns True when applied."""
    return _cas(session, WF, "workflow", wf_ex, new_state, expected, state_info, extra)


def set_task_state(session, task_ex, new_state, expected=None, state_info=_KEEP, **extra):
    """CAS the state of a task execution; returns True when applied."""
    return _cas(session, TASK, "task", task_ex, new_state, expected, state_info, extra)


def set_action_state(session, action_ex, new_state, expected=None, state_info=_KEEP, **extra):
    """CAS the state of an action execution; returns True when applied."""
    return _cas(session, ACTION, "action", action_ex, new_state, expected, state_info, extra)


# -- workflow executions -------------------------------------------------------


def create_workflow_execution(session, values):
    obj = WF(**values)
    session.add(obj)
    session.flush()
    return obj


def get_workflow_execution(session, ex_id):
    """:raises DBEntityNotFoundError: (404)."""
    return query.get_by_id(session, WF, ex_id, "Execution")


def find_workflow_execution(session, ex_id):
    return session.get(WF, ex_id)


def lock_execution(session, ex_id):
    """Serialize work on one execution tree: a row lock on its root row.

    On PostgreSQL and MySQL the UPDATE holds the row lock until commit; on
    SQLite every writer already holds the database lock (BEGIN IMMEDIATE).
    """
    session.execute(sa.update(WF).where(WF.id == ex_id).values(id=WF.id).execution_options(synchronize_session=False))


def sub_workflows_of_task(session, task_ex_id):
    return list(session.scalars(sa.select(WF).where(WF.task_execution_id == task_ex_id).order_by(WF.created_at)))


def sub_workflows(session, wf_ex_id, state=None):
    """Child executions started by the tasks of ``wf_ex_id``."""
    stmt = sa.select(WF).join(TASK, TASK.id == WF.task_execution_id).where(TASK.workflow_execution_id == wf_ex_id)
    if state is not None:
        stmt = stmt.where(WF.state == state)
    return list(session.scalars(stmt))


def list_workflow_executions(session, **kwargs):
    return query.list_rows(session, WF, **kwargs)


def delete_workflow_execution(session, wf_ex):
    """Delete an execution with its tasks, actions and sub-workflows."""
    for task_ex in tasks_of(session, wf_ex.id):
        for child in sub_workflows_of_task(session, task_ex.id):
            delete_workflow_execution(session, child)
    session.execute(sa.delete(ACTION).where(ACTION.task_execution_id.in_(sa.select(TASK.id).where(TASK.workflow_execution_id == wf_ex.id))))
    session.execute(sa.delete(TASK).where(TASK.workflow_execution_id == wf_ex.id))
    session.execute(sa.delete(WF).where(WF.id == wf_ex.id))


def merge_root_env(session, root_ex, env, allowed_states=None, evaluate=None, limit_kb=None):
    """Deep-merge ``env`` into the root execution's ``params.env``.

    Runs in the caller's transaction (which holds the execution's lock), so
    the state check and the write cannot be separated by another request.

    :param allowed_states: states the root execution must be in.
    :param evaluate: callable(new_env, old_env) returning the new values to
        merge (expressions evaluated), or None to store them as given.
    :param limit_kb: ``[engine] execution_field_size_limit_kb``.
    :raises NotAllowedError: (403) the execution is in another state.
    :raises SizeLimitExceededError: (400) the merged env is too large.
    :returns: the merged env.
    """
    if root_ex.root_execution_id:
        raise exc.WorkflowException("Execution [id=%s] is not a root execution: env lives on the root" % root_ex.id)
    if allowed_states is not None and root_ex.state not in allowed_states:
        raise exc.NotAllowedError(
            "Can not update env of execution [id=%s] in state %s (allowed: %s)" % (root_ex.id, root_ex.state, ", ".join(allowed_states))
        )
    params = dict(root_ex.params or {})
    old = dict(params.get("env") or {})
    if evaluate is not None:
        env = evaluate(env, old)
    params["env"] = deep_merge(old, env)
    check_size("params.env", params["env"], limit_kb)
    # A new value: JSON columns do not track in-place edits.
    root_ex.params = params
    root_ex.updated_at = models.utcnow()
    session.flush()
    return params["env"]


# -- task executions --------------------------------------------------------


def create_task_execution(session, values):
    obj = TASK(**values)
    session.add(obj)
    session.flush()
    return obj


def get_task_execution(session, task_ex_id):
    """:raises DBEntityNotFoundError: (404)."""
    return query.get_by_id(session, TASK, task_ex_id, "Task execution")


def tasks_of(session, wf_ex_id, states_in=None, name=None, processed=None):
    stmt = sa.select(TASK).where(TASK.workflow_execution_id == wf_ex_id)
    if states_in is not None:
        stmt = stmt.where(TASK.state.in_(list(states_in)))
    if name is not None:
        stmt = stmt.where(TASK.name == name)
    if processed is not None:
        stmt = stmt.where(TASK.processed == processed)
    return list(session.scalars(stmt.order_by(TASK.created_at, TASK.id)))


def count_tasks(session, wf_ex_id, states_in):
    stmt = sa.select(sa.func.count()).select_from(TASK).where(
        TASK.workflow_execution_id == wf_ex_id, TASK.state.in_(list(states_in))
    )
    return session.scalar(stmt)


def count_tasks_by_state(session, wf_ex_id, states_in):
    """{state: count} of a workflow's tasks in ``states_in`` (one query)."""
    stmt = (
        sa.select(TASK.state, sa.func.count())
        .where(TASK.workflow_execution_id == wf_ex_id, TASK.state.in_(list(states_in)))
        .group_by(TASK.state)
    )
    return dict(session.execute(stmt).all())


def find_task_by_unique_key(session, wf_ex_id, key):
    return session.scalars(sa.select(TASK).where(TASK.workflow_execution_id == wf_ex_id, TASK.unique_key == key)).first()


def latest_task_by_name(session, wf_ex_id, name):
    stmt = (
        sa.select(TASK)
        .where(TASK.workflow_execution_id == wf_ex_id, TASK.name == name)
        .order_by(TASK.created_at.desc(), TASK.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def get_tasks_by_ids(session, ids):
    """{id: task} for the ids that exist; rows already in the session cost no query."""
    found = {}
    for task_id in ids or ():
        obj = session.get(TASK, task_id)
        if obj is not None:
            found[task_id] = obj
    return found


def list_task_executions(session, **kwargs):
    return query.list_rows(session, TASK, **kwargs)


def update_task(session, task_ex, **values):
    for key, value in values.items():
        setattr(task_ex, key, value)
    task_ex.updated_at = models.utcnow()
    session.flush()


# -- action executions --------------------------------------------------------


def create_action_execution(session, values):
    obj = ACTION(**values)
    session.add(obj)
    session.flush()
    return obj


def get_action_execution(session, action_ex_id):
    """:raises DBEntityNotFoundError: (404)."""
    return query.get_by_id(session, ACTION, action_ex_id, "Action execution")


def actions_of_task(session, task_ex_id, accepted=None, states_in=None):
    stmt = sa.select(ACTION).where(ACTION.task_execution_id == task_ex_id)
    if accepted is not None:
        stmt = stmt.where(ACTION.accepted == accepted)
    if states_in is not None:
        stmt = stmt.where(ACTION.state.in_(list(states_in)))
    return list(session.scalars(stmt.order_by(ACTION.created_at, ACTION.id)))


def count_actions(session, task_ex_id, state):
    stmt = sa.select(sa.func.count()).select_from(ACTION).where(ACTION.task_execution_id == task_ex_id, ACTION.state == state)
    return session.scalar(stmt)


def running_actions(session, sync_only=True):
    stmt = sa.select(ACTION).where(ACTION.state == states.RUNNING)
    if sync_only:
        stmt = stmt.where(ACTION.is_sync.is_(True))
    return list(session.scalars(stmt))


def list_action_executions(session, **kwargs):
    return query.list_rows(session, ACTION, **kwargs)


def update_action(session, action_ex, **values):
    for key, value in values.items():
        setattr(action_ex, key, value)
    action_ex.updated_at = models.utcnow()
    session.flush()


def not_found(what, ident):
    return exc.DBEntityNotFoundError("%s not found [id=%s]" % (what, ident))


def update_description(session, ex_id, description):
    """Change an execution's description (not its state); 404 when unknown."""
    wf_ex = get_workflow_execution(session, ex_id)
    wf_ex.description = description
    wf_ex.updated_at = models.utcnow()
    session.flush()
    return wf_ex


# -- executor claims and heartbeats --------------------------------------------


def claim_action(session, action_ex_id, executor_id, now):
    """CAS-claim a RUNNING action for an executor; False if another has it
    or it is no longer running (a duplicate dispatch is then dropped)."""
    result = session.execute(
        sa.update(ACTION)
        .where(ACTION.id == action_ex_id, ACTION.state == states.RUNNING, ACTION.executor_id.is_(None))
        .values(executor_id=executor_id, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def heartbeat(session, executor_id, action_ex_ids, now):
    if not action_ex_ids:
        return
    session.execute(
        sa.update(ACTION)
        .where(ACTION.id.in_(list(action_ex_ids)), ACTION.executor_id == executor_id, ACTION.state == states.RUNNING)
        .values(heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )


def unclaimed_actions(session, dispatched_before, limit=100):
    """Synchronous actions no executor claimed since ``dispatched_before``."""
    last_dispatch = sa.func.coalesce(ACTION.heartbeat_at, ACTION.created_at)
    stmt = (
        sa.select(ACTION)
        .where(ACTION.state == states.RUNNING, ACTION.is_sync.is_(True), ACTION.executor_id.is_(None), last_dispatch < dispatched_before)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def silent_actions(session, heartbeat_before, limit=100):
    """Claimed, running actions whose executor stopped sending heartbeats."""
    stmt = (
        sa.select(ACTION)
        .where(ACTION.state == states.RUNNING, ACTION.executor_id.is_not(None), ACTION.heartbeat_at < heartbeat_before)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def mark_dispatched(session, action_ex, now, release=False):
    """Record a (re-)dispatch; with ``release``, drop the dead executor's claim (CAS)."""
    stmt = sa.update(ACTION).where(ACTION.id == action_ex.id, ACTION.state == states.RUNNING)
    if release:
        stmt = stmt.where(ACTION.executor_id == action_ex.executor_id)
    else:
        stmt = stmt.where(ACTION.executor_id.is_(None))
    result = session.execute(stmt.values(executor_id=None, heartbeat_at=now).execution_options(synchronize_session=False))
    return result.rowcount == 1
