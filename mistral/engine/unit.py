"""A unit of engine work: one database transaction plus what must happen
after it commits (RPC casts to executors, scheduler wake-ups).

Side effects never run inside the transaction: an RPC cast sent before the
commit could reach an executor that does not yet see the action execution.
"""

import collections

from mistral import lang
from mistral.db import executions as db_ex


class SpecCache:
    """Parsed workflow specs per workflow execution (they never change)."""

    def __init__(self, size=2000):
        self._data = collections.OrderedDict()
        self._size = size

    def get(self, wf_ex):
        spec = self._data.get(wf_ex.id)
        if spec is None:
            spec = lang.load_workflow_spec(wf_ex.spec)
            self._data[wf_ex.id] = spec
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        else:
            self._data.move_to_end(wf_ex.id)
        return spec


class Unit:
    """State of one engine transaction.

    :ivar session: the SQLAlchemy session of the transaction.
    :ivar dispatch: action runs to cast to executors after commit.
    :ivar inline: (action_ex_id, Result) completions to process next, for
        actions the engine runs itself (std.noop, std.echo).
    :ivar items_starting: ids of with-items tasks starting sub-workflows.
    """

    def __init__(self, session, runtime):
        self.session = session
        self.runtime = runtime
        self.conf = runtime.conf
        self.clock = runtime.clock
        self.dispatch = []
        # Inbound contexts computed in this transaction, by (task id, triggers).
        self.inbound = {}
        self.inline = collections.deque()
        self.jobs_scheduled = False
        # With-items tasks starting their sub-workflows, and those of them
        # whose items completed meanwhile (handled once all are started).
        self.items_starting = set()
        self.items_completed = set()
        # Workflows whose completion check waits until their tasks are scheduled.
        self.completion_deferred = set()

    @property
    def size_limit_kb(self):
        return self.conf.engine.execution_field_size_limit_kb

    def spec_of(self, wf_ex):
        return self.runtime.specs.get(wf_ex)

    @property
    def contexts(self):
        return self.runtime.contexts

    def lock(self, root_id, *fresh):
        """Serialize work on one execution tree, then re-read ``fresh`` rows
        loaded before the lock was taken. With one writer at a time the
        transaction already holds the only write lock."""
        if self.runtime.serialized_writes:
            return
        db_ex.lock_execution(self.session, root_id)
        for obj in fresh:
            self.session.refresh(obj)


class Runtime:
    """Process-wide engine helpers: config, clock, caches (thread-safe enough:
    specs are immutable once parsed)."""

    def __init__(self, conf, clock, contexts, specs=None, serialized_writes=False):
        """:param serialized_writes: the database runs one writer at a time
        (SQLite with BEGIN IMMEDIATE): no row locks are needed."""
        self.serialized_writes = serialized_writes
        self.conf = conf
        self.clock = clock
        self.contexts = contexts
        self.specs = specs or SpecCache()
