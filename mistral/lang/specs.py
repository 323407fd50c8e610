"""Spec objects: the parsed, validated form of workflow language v2.

The engine works only with these objects. They are built by
``mistral.lang.parser`` (which validates) or rebuilt cheaply from their
``to_dict()`` form (``load_*``, no validation), which is JSON-serialisable
and what the database stores. ``task-defaults`` is already applied to every
task: nothing here refers to it.

``to_dict()`` leaves out attributes that hold their default value; tasks
and input parameters are lists, so their order survives stores (such as
PostgreSQL ``jsonb``) that do not keep the order of object keys.

Treat specs as immutable once built: tasks may share Transition objects
inherited from task-defaults, and WorkflowSpec caches its inbound-transition
map on first use.
"""

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from mistral.lang.validation import ENGINE_COMMANDS

SPEC_VERSION = "2.0"


def _compact(obj, skip=()):
    """Dataclass fields of ``obj`` that differ from their defaults."""
    out = {}
    for f in dataclasses.fields(obj):
        if f.name in skip or f.name.startswith("_"):
            continue
        value = getattr(obj, f.name)
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = dataclasses.MISSING
        if value != default or type(value) is not type(default):
            out[f.name] = value
    return out


@dataclass
class InputParam:
    """A declared input parameter; ``default`` is meaningful if has_default."""

    name: str
    has_default: bool = False
    default: Any = None

    def to_dict(self):
        if self.has_default:
            return {"name": self.name, "default": self.default}
        return {"name": self.name}

    @classmethod
    def from_dict(cls, d):
        return cls(d["name"], "default" in d, d.get("default"))


def input_string(params):
    """Mistral's API ``input`` text: ``a, b=1, c="x"`` (defaults as JSON)."""
    return ", ".join(
        f"{p.name}={json.dumps(p.default)}" if p.has_default else p.name for p in params
    )


@dataclass
class Transition:
    """One target of on-success/on-error/on-complete/on-skip.

    ``name`` is a task name or an engine command (``fail``, ``succeed``,
    ``pause``, ``noop``); a task of that name wins over the command (see
    ``WorkflowSpec.is_engine_command``). ``condition`` is an expression or
    None; ``params`` are the command's parameters (``fail msg="..."``).
    """

    name: str
    condition: str | None = None
    params: dict = field(default_factory=dict)

    def to_dict(self):
        return _compact(self)

    @classmethod
    def from_dict(cls, d):
        return cls(d["name"], d.get("condition"), d.get("params", {}))


@dataclass
class RetrySpec:
    """The retry policy; each value is an int or an expression."""

    count: Any
    delay: Any
    break_on: str | None = None
    continue_on: str | None = None

    def to_dict(self):
        return _compact(self)

    @classmethod
    def from_dict(cls, d):
        return cls(d["count"], d["delay"], d.get("break_on"), d.get("continue_on"))


_CLAUSES = ("on_success", "on_error", "on_complete", "on_skip")


@dataclass
class TaskSpec:
    """A task, with its workflow's task-defaults already applied.

    ``type`` is 'action' or 'workflow'. ``action`` None with ``workflow``
    None means std.noop. ``input`` is a dict, or an expression string that
    evaluates to one. ``with_items`` is a list of ``(var, source)`` where
    source is an expression string or a list. Policy values
    (``wait_before``, ``timeout``, ``concurrency``, ...) are ints, booleans
    or expression strings; None means not set.
    """

    name: str
    type: str = "action"
    description: str | None = None
    action: str | None = None
    workflow: str | None = None
    input: Any = field(default_factory=dict)
    publish: dict = field(default_factory=dict)
    publish_on_error: dict = field(default_factory=dict)
    publish_on_skip: dict = field(default_factory=dict)
    on_success: list = field(default_factory=list)
    on_error: list = field(default_factory=list)
    on_complete: list = field(default_factory=list)
    on_skip: list = field(default_factory=list)
    join: Any = None
    with_items: list = field(default_factory=list)
    concurrency: Any = None
    retry: RetrySpec | None = None
    wait_before: Any = None
    wait_after: Any = None
    timeout: Any = None
    pause_before: Any = False
    keep_result: Any = True
    safe_rerun: Any = False
    target: str | None = None
    fail_on: Any = None
    requires: list = field(default_factory=list)
    tags: list = field(default_factory=list)

    def transitions(self):
        """All transitions of the task, in on-success, on-error,
        on-complete, on-skip order."""
        return self.on_success + self.on_error + self.on_complete + self.on_skip

    def to_dict(self):
        d = _compact(self, skip=_CLAUSES + ("retry", "with_items"))
        for clause in _CLAUSES:
            value = getattr(self, clause)
            if value:
                d[clause] = [t.to_dict() for t in value]
        if self.retry is not None:
            d["retry"] = self.retry.to_dict()
        if self.with_items:
            d["with_items"] = [[var, src] for var, src in self.with_items]
        return d

    @classmethod
    def from_dict(cls, d):
        kwargs = dict(d)
        for clause in _CLAUSES:
            if clause in kwargs:
                kwargs[clause] = [Transition.from_dict(t) for t in d[clause]]
        if "retry" in kwargs:
            kwargs["retry"] = RetrySpec.from_dict(d["retry"])
        if "with_items" in kwargs:
            kwargs["with_items"] = [(v, s) for v, s in d["with_items"]]
        return cls(**kwargs)


@dataclass
class WorkflowSpec:
    """A workflow. ``tasks`` maps names to TaskSpec in definition order."""

    name: str
    type: str = "direct"
    description: str | None = None
    tags: list = field(default_factory=list)
    input: list = field(default_factory=list)
    output: Any = None
    output_on_error: Any = None
    vars: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)
    _inbound: dict | None = field(default=None, init=False, repr=False, compare=False)

    def input_string(self):
        """The API's ``input`` text, e.g. ``a, b=1, c="x"``."""
        return input_string(self.input)

    def input_defaults(self):
        """Default values of the input parameters that have one."""
        return {p.name: p.default for p in self.input if p.has_default}

    def qualified_name(self, workbook_name=None):
        """``<workbook>.<name>`` for a workbook's workflow, else the name."""
        return f"{workbook_name}.{self.name}" if workbook_name else self.name

    def is_engine_command(self, name):
        """Whether a transition to ``name`` runs an engine command.

        A task of the same name takes precedence over the command.
        """
        return name in ENGINE_COMMANDS and name not in self.tasks

    def _inbound_map(self):
        if self._inbound is None:
            inbound = {name: [] for name in self.tasks}
            if self.type == "direct":
                for task in self.tasks.values():
                    for target in dict.fromkeys(t.name for t in task.transitions()):
                        if target in inbound:
                            inbound[target].append(task.name)
            self._inbound = inbound
        return self._inbound

    def inbound_task_names(self, name):
        """Direct: tasks with a transition to ``name`` (definition order)."""
        return list(self._inbound_map()[name])

    def outbound_task_names(self, name):
        """Direct: task names (not commands) ``name`` may transition to."""
        targets = (t.name for t in self.tasks[name].transitions())
        return [t for t in dict.fromkeys(targets) if t in self.tasks]

    def start_task_names(self):
        """Direct: tasks no transition leads to. Reverse: all tasks."""
        inbound = self._inbound_map()
        if self.type != "direct":
            return list(self.tasks)
        return [name for name in self.tasks if not inbound[name]]

    def to_dict(self):
        d = {"version": SPEC_VERSION}
        d.update(_compact(self, skip=("input", "tasks")))
        if self.input:
            d["input"] = [p.to_dict() for p in self.input]
        d["tasks"] = [t.to_dict() for t in self.tasks.values()]
        return d

    @classmethod
    def from_dict(cls, d):
        kwargs = {k: v for k, v in d.items() if k != "version"}
        kwargs["input"] = [InputParam.from_dict(p) for p in d.get("input", ())]
        tasks = (TaskSpec.from_dict(t) for t in d.get("tasks", ()))
        kwargs["tasks"] = {t.name: t for t in tasks}
        return cls(**kwargs)


@dataclass
class ActionSpec:
    """An ad-hoc action: ``base`` called with ``base_input``.

    ``base_input`` already includes the inline parameters of ``base``.
    """

    name: str
    base: str
    base_input: dict = field(default_factory=dict)
    input: list = field(default_factory=list)
    output: Any = None
    description: str | None = None
    tags: list = field(default_factory=list)

    def input_string(self):
        """The API's ``input`` text, e.g. ``a, b=1, c="x"``."""
        return input_string(self.input)

    def qualified_name(self, workbook_name=None):
        """``<workbook>.<name>`` for a workbook's action, else the name."""
        return f"{workbook_name}.{self.name}" if workbook_name else self.name

    def to_dict(self):
        d = {"version": SPEC_VERSION}
        d.update(_compact(self, skip=("input",)))
        if self.input:
            d["input"] = [p.to_dict() for p in self.input]
        return d

    @classmethod
    def from_dict(cls, d):
        kwargs = {k: v for k, v in d.items() if k != "version"}
        kwargs["input"] = [InputParam.from_dict(p) for p in d.get("input", ())]
        return cls(**kwargs)


@dataclass
class WorkbookSpec:
    """A workbook; its workflows and actions keep their short names."""

    name: str
    description: str | None = None
    tags: list = field(default_factory=list)
    workflows: list = field(default_factory=list)
    actions: list = field(default_factory=list)

    def qualified_name(self, short_name):
        """The name the workbook's workflow or action is stored under."""
        return f"{self.name}.{short_name}"

    def to_dict(self):
        d = {"version": SPEC_VERSION}
        d.update(_compact(self, skip=("workflows", "actions")))
        d["workflows"] = [w.to_dict() for w in self.workflows]
        d["actions"] = [a.to_dict() for a in self.actions]
        return d

    @classmethod
    def from_dict(cls, d):
        return cls(
            name=d["name"],
            description=d.get("description"),
            tags=d.get("tags", []),
            workflows=[WorkflowSpec.from_dict(w) for w in d["workflows"]],
            actions=[ActionSpec.from_dict(a) for a in d["actions"]],
        )
