"""Data contexts of tasks, derived instead of copied, and the functions
context that expressions use to reach engine data.

A task's inbound context is the workflow's initial context (input + vars)
merged with the outbound contexts of the tasks that triggered it; a task's
outbound context is its inbound context merged with what it published.
Nothing but ``published`` and the triggering task ids is stored per task, so
an execution's storage grows linearly with its length. Outbound contexts of
completed tasks are cached per process (keyed by task id and finish time, so
a rerun never sees a stale entry).
"""

import collections
import threading

from mistral.api.resources import fmt_datetime
from mistral.db import executions as db_ex
from mistral.engine import states
from mistral.expressions import FunctionsContext
from mistral.jsonmerge import deep_merge


merge = deep_merge


class ContextCache:
    """LRU of outbound contexts of completed tasks (thread-safe).

    Bounded by the total number of top-level keys held, not by entries: a
    long chain of publishing tasks has contexts that grow with its length,
    and holding every one of them would cost O(n^2) memory.
    """

    def __init__(self, max_keys=500000):
        self._data = collections.OrderedDict()
        self._max_keys = max_keys
        self._keys = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._keys -= len(old) + 1
            self._data[key] = value
            self._keys += len(value) + 1
            while self._keys > self._max_keys and len(self._data) > 1:
                _, evicted = self._data.popitem(last=False)
                self._keys -= len(evicted) + 1


def triggered_by(task_ex):
    return list((task_ex.runtime_context or {}).get("triggered_by") or [])


def inbound_context(session, cache, wf_ex, task_ex):
    """The data context a task's expressions see (``$`` / ``_``)."""
    parents = triggered_by(task_ex)
    if not parents:
        return dict(wf_ex.context or {})
    loaded = db_ex.get_tasks_by_ids(session, parents)
    if len(parents) == 1 and parents[0] in loaded:
        # The parent's outbound context already starts from the workflow's.
        return outbound_context(session, cache, wf_ex, loaded[parents[0]])
    ctx = dict(wf_ex.context or {})
    for pid in parents:
        parent = loaded.get(pid)
        if parent is not None:
            ctx = merge(ctx, outbound_context(session, cache, wf_ex, parent))
    return ctx


def outbound_context(session, cache, wf_ex, task_ex):
    """Inbound context + published values of a completed task."""
    cached = _cached(cache, task_ex)
    if cached is not None:
        return cached
    # Collect the chain of single-parent ancestors up to a cached one, a
    # start task or a join (iteratively: chains may be thousands long).
    chain = [task_ex]
    while True:
        current = chain[-1]
        parents = triggered_by(current)
        if len(parents) != 1:
            ctx = inbound_context(session, cache, wf_ex, current)
            break
        parent = db_ex.get_tasks_by_ids(session, parents).get(parents[0])
        if parent is None:
            ctx = dict(wf_ex.context or {})
            break
        cached = _cached(cache, parent)
        if cached is not None:
            ctx = cached
            break
        chain.append(parent)
    for item in reversed(chain):
        ctx = merge(ctx, item.published or {})
        _remember(cache, item, ctx)
    return ctx


def _cached(cache, task_ex):
    if task_ex.finished_at is None:
        return None
    return cache.get((task_ex.id, str(task_ex.finished_at)))


def _remember(cache, task_ex, value):
    if task_ex.finished_at is not None and states.is_completed(task_ex.state):
        cache.put((task_ex.id, str(task_ex.finished_at)), value)


def task_dict(task_ex, result):
    return {
        "id": task_ex.id,
        "name": task_ex.name,
        "state": task_ex.state,
        "state_info": task_ex.state_info,
        "result": result,
        "published": task_ex.published or {},
        "type": task_ex.type,
        "workflow_execution_id": task_ex.workflow_execution_id,
        "created_at": fmt_datetime(task_ex.created_at),
        "updated_at": fmt_datetime(task_ex.updated_at),
    }


# Marks a current task whose result is loaded only if an expression asks.
LAZY = object()


class EngineFunctions(FunctionsContext):
    """env(), execution(), task() and tasks() for one workflow execution."""

    def __init__(self, session, wf_ex, root_ex, current_task=None, current_result=None, result_of=None):
        self.session = session
        self.wf_ex = wf_ex
        self.root_ex = root_ex
        self.current_task = current_task
        self.current_result = current_result
        self._result_of = result_of
        # Fields of the current task that differ from its row (its final
        # state while it completes).
        self.current_overrides = {}

    def env(self):
        return dict((self.root_ex.params or {}).get("env") or {})

    def execution(self):
        wf = self.wf_ex
        params = dict(wf.params or {})
        if wf.id != self.root_ex.id:
            params.pop("env", None)
        return {
            "id": wf.id,
            "name": wf.name,
            "spec": wf.spec,
            "input": wf.input or {},
            "params": params,
            "root_execution_id": wf.root_execution_id,
            "created_at": fmt_datetime(wf.created_at),
            "updated_at": fmt_datetime(wf.updated_at),
        }

    def task(self, name=None):
        if name is None or (self.current_task is not None and name == self.current_task.name):
            if self.current_task is None:
                return None
            if self.current_result is LAZY:
                self.current_result = self._result_of(self.session, self.current_task)
            return dict(task_dict(self.current_task, self.current_result), **self.current_overrides)
        task_ex = db_ex.latest_task_by_name(self.session, self.wf_ex.id, name)
        if task_ex is None:
            return None
        return task_dict(task_ex, self._result_of(self.session, task_ex) if self._result_of else None)

    def tasks(self, workflow_execution_id=None, recursive=False, state=None, flat=False):
        wf_id = workflow_execution_id or self.wf_ex.id
        result = []
        for t in db_ex.tasks_of(self.session, wf_id, states_in=[state] if state else None):
            result.append(task_dict(t, self._result_of(self.session, t) if self._result_of else None))
            if recursive and t.type == "WORKFLOW":
                for child in db_ex.sub_workflows_of_task(self.session, t.id):
                    result.extend(self.tasks(child.id, True, state, flat))
        return result
