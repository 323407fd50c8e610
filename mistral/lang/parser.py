"""Parsing of workflow, workbook and action definitions (YAML text).

The public entry points are re-exported by ``mistral.lang``:
``parse_workflows``, ``parse_workbook`` and ``parse_actions`` validate a
definition and return spec objects; ``load_*`` rebuild specs from their
``to_dict()`` form without validating again.

YAML is read with libyaml when available, with two changes from
``yaml.safe_load``: timestamps stay the strings the user wrote (specs must
be JSON), and a key repeated in one mapping is an error rather than a
silent overwrite (a repeated task name would otherwise drop a task).
"""

import re

import yaml

from mistral import exceptions as exc
from mistral.lang import validation as v
from mistral.lang.inline import InlineError, parse_command
from mistral.lang.specs import (
    ActionSpec,
    InputParam,
    WorkbookSpec,
    WorkflowSpec,
)
from mistral.lang.tasks import MAX_TASK_NAME, build_task, parse_task_defaults

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(_BaseLoader):
    """Safe loader: no timestamps, no duplicate keys."""

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        # Keys merged in with '<<' may be overridden; only the mapping's
        # own keys (left at the end by flatten_mapping) must be unique.
        own = sum(1 for key, _ in node.value if key.tag != _MERGE)
        self.flatten_mapping(node)
        first_own = len(node.value) - own
        mapping = {}
        own_keys = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=deep)
            if index >= first_own:
                try:
                    duplicate = key in own_keys
                    own_keys.add(key)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        None, None, "found an unhashable key", key_node.start_mark
                    ) from None
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"found duplicate key '{key}'",
                        key_node.start_mark,
                    )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

WORKFLOW_KEYS = frozenset(
    (
        "version",
        "name",
        "type",
        "description",
        "tags",
        "input",
        "output",
        "output-on-error",
        "vars",
        "task-defaults",
        "tasks",
    )
)
ACTION_KEYS = frozenset(
    ("version", "name", "base", "base-input", "input", "output", "description", "tags")
)
WORKBOOK_KEYS = frozenset(
    ("version", "name", "description", "tags", "workflows", "actions")
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")
# Names inside a workbook become '<workbook>.<name>': keep them simple words.
_WORKBOOK_ITEM_NAME = re.compile(r"^[\w-]+$")


def load_yaml(text):
    """Load YAML text; raise DSLParsingException (400) on a syntax error."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid YAML"
        where = ""
        if mark is not None:
            where = f", line {mark.line + 1}, column {mark.column + 1}"
        raise exc.DSLParsingException(
            f"Definition could not be parsed: {problem}{where}"
        ) from None
    except yaml.YAMLError as e:
        raise exc.DSLParsingException(f"Definition could not be parsed: {e}") from None


def _document(text, checker):
    where = v.Where("Invalid definition", checker)
    doc = load_yaml(text)
    if doc is None:
        raise where.error("the document is empty")
    if not isinstance(doc, dict):
        raise where.error(f"the document must be a mapping, not {v.type_name(doc)}")
    if "version" not in doc:
        raise where.error("field 'version' is required (version: '2.0')")
    _check_version(where, doc["version"])
    return where, doc


def _check_version(where, version):
    try:
        ok = not isinstance(version, bool) and float(version) == 2.0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise where.error(f"unsupported version {version!r}: only '2.0' is supported")


def _check_name(where, kind, name, pattern=None):
    if not isinstance(name, str) or not name.strip():
        raise where.error(f"{kind} name {name!r} must be a non-empty string")
    if pattern is not None and not pattern.match(name):
        raise where.error(
            f"{kind} name '{name}' may only contain letters, digits, '_' and '-'"
        )
    if kind == "workflow" and _UUID.match(name):
        raise where.error(f"workflow name '{name}' must not look like a UUID")


def _input_params(where, value):
    return [InputParam(*p) for p in v.input_params(where, "input", value)]


def build_workflow(where, name, body):
    """Validate one workflow body and build its WorkflowSpec."""
    v.body(where, "workflow", body)
    v.check_keys(where, body, WORKFLOW_KEYS)
    if body.get("version") is not None:
        _check_version(where, body["version"])
    wf_type = body.get("type") or "direct"
    if wf_type not in ("direct", "reverse"):
        raise where.error(
            f"field 'type' must be 'direct' or 'reverse', not {wf_type!r}"
        )
    spec = WorkflowSpec(name=name, type=wf_type)
    if body.get("description") is not None:
        spec.description = v.string(where, "description", body["description"], True)
    if body.get("tags") is not None:
        spec.tags = v.string_list(where, "tags", body["tags"])
    if body.get("input") is not None:
        spec.input = _input_params(where, body["input"])
    spec.output = v.data(where, "output", body.get("output"))
    spec.output_on_error = v.data(where, "output-on-error", body.get("output-on-error"))
    if body.get("vars") is not None:
        spec.vars = v.data_mapping(where, "vars", body["vars"])

    tasks = body.get("tasks")
    if not tasks:
        raise where.error("field 'tasks' is required and must not be empty")
    v.mapping(where, "tasks", tasks)
    for task_name in tasks:
        _check_task_name(where, task_name)
    defaults = {}
    if body.get("task-defaults") is not None:
        defaults = parse_task_defaults(where, body["task-defaults"], wf_type, tasks)
    for task_name, task_body in tasks.items():
        task_where = where.child("task", task_name)
        spec.tasks[task_name] = build_task(
            task_where, task_name, task_body, wf_type, tasks, defaults
        )
    if wf_type == "direct":
        _check_direct_graph(where, spec)
    else:
        _check_requires_cycles(where, spec)
    return spec


def _check_task_name(where, name):
    if not isinstance(name, str) or not name.strip():
        raise where.error(f"task name {name!r} must be a non-empty string")
    if len(name) > MAX_TASK_NAME:
        raise where.error(
            f"task name '{name[:20]}...' is longer than {MAX_TASK_NAME} characters"
        )


def _check_direct_graph(where, spec):
    if not spec.start_task_names():
        raise where.error(
            "no start task: every task is the target of a transition, so "
            "nothing can run first"
        )
    for task in spec.tasks.values():
        if task.join is None:
            continue
        inbound = len(spec.inbound_task_names(task.name))
        needed = 1 if task.join in ("all", "one") else task.join
        if inbound < needed:
            raise where.child("task", task.name).error(
                f"'join: {task.join}' needs at least {needed} inbound task(s), "
                f"found {inbound}"
            )


def _check_requires_cycles(where, spec):
    state = {}  # name -> 1 while being visited, 2 when done
    for root in spec.tasks:
        if state.get(root):
            continue
        path = [root]
        stack = [iter(spec.tasks[root].requires)]
        state[root] = 1
        while stack:
            dep = next(stack[-1], None)
            if dep is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(dep) == 1:
                cycle = path[path.index(dep) :] + [dep]
                raise where.error(
                    "tasks require each other in a cycle: {}".format(
                        " -> ".join(f"'{n}'" for n in cycle)
                    )
                )
            elif not state.get(dep):
                state[dep] = 1
                path.append(dep)
                stack.append(iter(spec.tasks[dep].requires))


def build_action(where, name, body):
    """Validate one ad-hoc action body and build its ActionSpec."""
    v.body(where, "action", body)
    v.check_keys(where, body, ACTION_KEYS)
    if body.get("version") is not None:
        _check_version(where, body["version"])
    if body.get("base") is None:
        raise where.error("field 'base' is required")
    v.string(where, "base", body["base"])
    try:
        base, inline = parse_command(body["base"])
    except InlineError as e:
        raise where.error(f"field 'base' is invalid: {e}") from None
    v.data(where, "base", inline)
    spec = ActionSpec(name=name, base=base)
    explicit = {}
    if body.get("base-input") is not None:
        explicit = v.data_mapping(where, "base-input", body["base-input"])
    spec.base_input = {**inline, **explicit}
    if body.get("input") is not None:
        spec.input = _input_params(where, body["input"])
    spec.output = v.data(where, "output", body.get("output"))
    if body.get("description") is not None:
        spec.description = v.string(where, "description", body["description"], True)
    if body.get("tags") is not None:
        spec.tags = v.string_list(where, "tags", body["tags"])
    return spec


def parse_workflows(text, validate_expressions=True):
    """Parse a workflow definition document into WorkflowSpecs.

    Every top-level key but ``version`` is a workflow name mapping to its
    body; the result keeps their order.

    :param text: the YAML text.
    :param validate_expressions: check expressions with
        ``mistral.expressions.validate`` (when that module is importable).
    :returns: list of WorkflowSpec.
    :raises DSLParsingException: (400) the text is not valid YAML.
    :raises InvalidModelException: (400) the definition is invalid; the
        message names the workflow, task and field.
    """
    checker = v.Checker(validate_expressions)
    where, doc = _document(text, checker)
    names = [k for k in doc if k != "version"]
    if not names:
        raise where.error("the document defines no workflow")
    result = []
    for name in names:
        _check_name(where, "workflow", name)
        wf_where = v.Where(f"Invalid workflow '{name}'", checker)
        result.append(build_workflow(wf_where, name, doc[name]))
    return result


def parse_actions(text, validate_expressions=True):
    """Parse an ad-hoc action definition document into ActionSpecs.

    Every top-level key but ``version`` is an action name.

    :raises DSLParsingException: (400) the text is not valid YAML.
    :raises InvalidModelException: (400) the definition is invalid.
    """
    checker = v.Checker(validate_expressions)
    where, doc = _document(text, checker)
    names = [k for k in doc if k != "version"]
    if not names:
        raise where.error("the document defines no action")
    result = []
    for name in names:
        _check_name(where, "action", name)
        act_where = v.Where(f"Invalid action '{name}'", checker)
        result.append(build_action(act_where, name, doc[name]))
    return result


def parse_workbook(text, validate_expressions=True):
    """Parse a workbook definition into a WorkbookSpec.

    Its workflows and actions keep their short names; the engine stores
    them as ``<workbook>.<name>`` (``WorkbookSpec.qualified_name``).

    :raises DSLParsingException: (400) the text is not valid YAML.
    :raises InvalidModelException: (400) the definition is invalid.
    """
    checker = v.Checker(validate_expressions)
    where, doc = _document(text, checker)
    v.check_keys(where, doc, WORKBOOK_KEYS)
    if "name" not in doc:
        raise where.error("field 'name' is required in a workbook")
    name = doc["name"]
    _check_name(where, "workbook", name)
    where = v.Where(f"Invalid workbook '{name}'", checker)
    spec = WorkbookSpec(name=name)
    if doc.get("description") is not None:
        spec.description = v.string(where, "description", doc["description"], True)
    if doc.get("tags") is not None:
        spec.tags = v.string_list(where, "tags", doc["tags"])
    for section, kind, build, out in (
        ("workflows", "workflow", build_workflow, spec.workflows),
        ("actions", "action", build_action, spec.actions),
    ):
        items = doc.get(section)
        if items is None:
            continue
        v.mapping(where, section, items)
        for item_name, body in items.items():
            if item_name == "version":
                _check_version(where, body)
                continue
            _check_name(where, kind, item_name, _WORKBOOK_ITEM_NAME)
            out.append(build(where.child(kind, item_name), item_name, body))
    return spec


def load_workflow_spec(d):
    """Rebuild a WorkflowSpec from its ``to_dict()`` form (no validation)."""
    return WorkflowSpec.from_dict(d)


def load_action_spec(d):
    """Rebuild an ActionSpec from its ``to_dict()`` form (no validation)."""
    return ActionSpec.from_dict(d)


def load_workbook_spec(d):
    """Rebuild a WorkbookSpec from its ``to_dict()`` form (no validation)."""
    return WorkbookSpec.from_dict(d)
