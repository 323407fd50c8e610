"""Parsing of tasks and task-defaults into TaskSpec objects.

A task body is checked key by key (unknown keys are errors), its one-line
forms are expanded (``action: std.http url=...``, ``retry: count=3
delay=1``, ``with-items: x in <% $.xs %>``) and the workflow's
task-defaults are applied, following Mistral:

- policies (retry, wait-before, wait-after, timeout, pause-before,
  concurrency, safe-rerun, fail-on): the task's own value wins; retry is
  merged field by field;
- on-success / on-error / on-complete / on-skip: a task whose clause has no
  targets takes the default's targets, minus those pointing at itself; a
  clause's ``publish`` is taken from the task's clause if it has one, else
  from the default's;
- requires (reverse): the union of both, minus the task itself.
"""

import dataclasses
import json
from dataclasses import dataclass

from mistral.lang import validation as v
from mistral.lang.inline import (
    InlineError,
    parse_command,
    parse_params,
    parse_transition,
    parse_with_items,
)
from mistral.lang.specs import RetrySpec, TaskSpec, Transition

MAX_TASK_NAME = 255
# Mistral keys join locks by "join-task-<execution id>-<task name>" in a
# 255-character column, hence the shorter limit for join tasks.
MAX_JOIN_TASK_NAME = MAX_TASK_NAME - 47

PUBLISH_SCOPES = ("branch", "global", "atomic")
CLAUSE_KEYS = {
    "on-success": "on_success",
    "on-error": "on_error",
    "on-complete": "on_complete",
    "on-skip": "on_skip",
}
POLICY_ATTRS = (
    "wait_before",
    "wait_after",
    "timeout",
    "pause_before",
    "concurrency",
    "safe_rerun",
    "fail_on",
)
COMMON_KEYS = frozenset(
    (
        "description",
        "action",
        "workflow",
        "input",
        "publish",
        "publish-on-error",
        "with-items",
        "concurrency",
        "retry",
        "wait-before",
        "wait-after",
        "timeout",
        "pause-before",
        "keep-result",
        "safe-rerun",
        "target",
        "fail-on",
        "tags",
    )
)
DIRECT_KEYS = frozenset(("join",) + tuple(CLAUSE_KEYS))
REVERSE_KEYS = frozenset(("requires",))
DEFAULTS_KEYS = frozenset(
    (
        "retry",
        "wait-before",
        "wait-after",
        "timeout",
        "pause-before",
        "concurrency",
        "safe-rerun",
        "fail-on",
        "requires",
    )
    + tuple(CLAUSE_KEYS)
)


@dataclass
class Clause:
    """A parsed on-* clause: its targets and the variables it publishes."""

    transitions: list
    publish: dict | None = None


# -- field parsers: (where, field, value) -> parsed value ---------------------


def _description(where, field, value):
    return v.string(where, field, value, allow_empty=True)


def _command(where, field, value):
    v.string(where, field, value)
    try:
        cmd, params = parse_command(value)
    except InlineError as e:
        raise where.error(f"field '{field}' is invalid: {e}") from None
    if v.has_expression(cmd):
        where.checker.expression(where, field, cmd)
    v.data(where, field, params)
    return cmd, params


def _input(where, field, value):
    if isinstance(value, str):
        if not v.is_whole_expression(value):
            raise where.error(f"field '{field}' must be a mapping or an expression")
        return v.expression(where, field, value)
    return v.data_mapping(where, field, value)


def _scoped_publish(where, field, value):
    v.mapping(where, field, value)
    v.check_keys(where, value, PUBLISH_SCOPES, field)
    result = {}
    for scope in PUBLISH_SCOPES:
        if value.get(scope) is not None:
            scoped = f"{field}.{scope}"
            result.update(v.data_mapping(where, scoped, value[scope]))
    return result


def _publish(where, field, value):
    v.mapping(where, field, value)
    if value and all(
        key in PUBLISH_SCOPES and isinstance(item, dict) for key, item in value.items()
    ):
        return _scoped_publish(where, field, value)
    return v.data_mapping(where, field, value)


def _with_items(where, field, value):
    entries = [value] if isinstance(value, str) else value
    if not isinstance(entries, list) or not entries:
        raise where.error(
            f"field '{field}' must be a string or a non-empty list of strings"
        )
    result = []
    seen = set()
    for i, entry in enumerate(entries):
        item_field = field if isinstance(value, str) else f"{field}[{i}]"
        if not isinstance(entry, str):
            raise where.error(f"field '{item_field}' must be a string")
        try:
            var, source = parse_with_items(entry)
        except InlineError as e:
            raise where.error(f"field '{item_field}' is invalid: {e}") from None
        v.data(where, item_field, source)
        if var in seen:
            raise where.error(f"field '{field}' uses variable '{var}' twice")
        seen.add(var)
        result.append((var, source))
    return result


def _retry(where, field, value):
    if isinstance(value, str):
        try:
            value = parse_params(value)
        except InlineError as e:
            raise where.error(f"field '{field}' is invalid: {e}") from None
    v.mapping(where, field, value)
    v.check_keys(where, value, ("count", "delay", "break-on", "continue-on"), field)
    for key in ("count", "delay"):
        if value.get(key) is None:
            raise where.error(f"field '{field}.{key}' is required")
    spec = RetrySpec(
        count=v.int_or_expression(where, field + ".count", value["count"]),
        delay=v.int_or_expression(where, field + ".delay", value["delay"]),
    )
    if value.get("break-on") is not None:
        spec.break_on = v.expression(where, field + ".break-on", value["break-on"])
    if value.get("continue-on") is not None:
        spec.continue_on = v.expression(
            where, field + ".continue-on", value["continue-on"]
        )
    return spec


def _join(where, field, value):
    if value in ("all", "one"):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise where.error(f"field '{field}' must be 'all', 'one' or a positive integer")


def _target(where, field, item):
    if isinstance(item, str):
        text, condition = item, None
    elif isinstance(item, dict) and len(item) == 1:
        ((text, condition),) = item.items()
        if not isinstance(text, str):
            raise where.error(
                f"field '{field}' has a target {text!r} that is not a string"
            )
        if not v.is_whole_expression(condition):
            raise where.error(
                f"field '{field}' has a condition for '{text}' that is not an expression"
            )
        where.checker.expression(where, field, condition)
    else:
        raise where.error(
            f"field '{field}' entries must be a task name or 'task: <% condition %>'"
        )
    try:
        name, params = parse_transition(text)
    except InlineError as e:
        raise where.error(f"field '{field}' is invalid: {e}") from None
    if params and name not in v.ENGINE_COMMANDS:
        raise where.error(
            "field '{}' gives parameters to '{}'; only engine commands ({}) "
            "take parameters".format(field, name, ", ".join(v.ENGINE_COMMANDS))
        )
    v.data(where, field, params)
    return Transition(name, condition, params)


def _targets(where, field, value):
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list) or not value:
        raise where.error(
            f"field '{field}' must be a task name, a list of task names or a mapping "
            "with 'next' and/or 'publish'"
        )
    result = [_target(where, field, item) for item in value]
    seen = set()
    for t in result:
        key = (t.name, t.condition, json.dumps(t.params, sort_keys=True))
        if key in seen:
            raise where.error(f"field '{field}' lists '{t.name}' twice")
        seen.add(key)
    return result


def _is_advanced_clause(value):
    keys = set(value)
    if not keys or not keys <= {"publish", "next"}:
        return False
    # {next: <% cond %>} is a condition on a task called 'next'.
    return not (keys == {"next"} and v.is_whole_expression(value["next"]))


def _clause(where, field, value):
    if isinstance(value, dict) and len(value) > 1 and {"next", "publish"} & set(value):
        v.check_keys(where, value, ("next", "publish"), field)
    if isinstance(value, dict) and _is_advanced_clause(value):
        publish = None
        if value.get("publish") is not None:
            publish = _scoped_publish(where, field + ".publish", value["publish"])
        transitions = []
        if value.get("next") is not None:
            transitions = _targets(where, field + ".next", value["next"])
        return Clause(transitions, publish)
    return Clause(_targets(where, field, value))


def _requires(where, field, value):
    return v.string_list(where, field, value, allow_single=True)


def _target_name(where, field, value):
    v.string(where, field, value)
    return v.data(where, field, value)


def _tags(where, field, value):
    return v.string_list(where, field, value)


_PARSERS = {
    "description": ("description", _description),
    "action": ("action", _command),
    "workflow": ("workflow", _command),
    "input": ("input", _input),
    "publish": ("publish", _publish),
    "publish-on-error": ("publish_on_error", _publish),
    "with-items": ("with_items", _with_items),
    "concurrency": ("concurrency", v.int_or_expression),
    "retry": ("retry", _retry),
    "wait-before": ("wait_before", v.int_or_expression),
    "wait-after": ("wait_after", v.int_or_expression),
    "timeout": ("timeout", v.int_or_expression),
    "pause-before": ("pause_before", v.bool_or_expression),
    "keep-result": ("keep_result", v.bool_or_expression),
    "safe-rerun": ("safe_rerun", v.bool_or_expression),
    "target": ("target", _target_name),
    "fail-on": ("fail_on", v.bool_or_expression),
    "tags": ("tags", _tags),
    "join": ("join", _join),
    "requires": ("requires", _requires),
}
for _key, _attr in CLAUSE_KEYS.items():
    _PARSERS[_key] = (_attr, _clause)


def _parse_fields(where, body, allowed, wf_type):
    """Parse the keys of a task (or task-defaults) body into attributes."""
    fields = {}
    for key, value in body.items():
        if key not in allowed:
            if key in DIRECT_KEYS and wf_type != "direct":
                raise where.error(f"field '{key}' is only allowed in direct workflows")
            if key in REVERSE_KEYS and wf_type != "reverse":
                raise where.error(f"field '{key}' is only allowed in reverse workflows")
            raise where.error(f"unknown field {v._show_key(key)}")
        if value is None:
            continue
        attr, parse = _PARSERS[key]
        fields[attr] = parse(where, key, value)
    return fields


def _check_links(where, fields, task_names):
    for key, attr in CLAUSE_KEYS.items():
        clause = fields.get(attr)
        for t in clause.transitions if clause else ():
            if t.name not in task_names and t.name not in v.ENGINE_COMMANDS:
                raise where.error(f"'{key}' refers to unknown task '{t.name}'")
    for name in fields.get("requires", ()):
        if name not in task_names:
            raise where.error(f"'requires' refers to unknown task '{name}'")


def parse_task_defaults(where, body, wf_type, task_names):
    """Parse a workflow's task-defaults into a dict of task attributes."""
    where = where.child("task-defaults")
    v.body(where, "task-defaults", body)
    allowed = DEFAULTS_KEYS - (REVERSE_KEYS if wf_type == "direct" else DIRECT_KEYS)
    fields = _parse_fields(where, body, allowed, wf_type)
    _check_links(where, fields, task_names)
    return fields


def _merge_defaults(name, fields, defaults):
    for attr in POLICY_ATTRS:
        if attr not in fields and attr in defaults:
            fields[attr] = defaults[attr]
    own_retry, default_retry = fields.get("retry"), defaults.get("retry")
    if own_retry is None:
        fields["retry"] = default_retry and dataclasses.replace(default_retry)
    elif default_retry is not None:
        own_retry.break_on = own_retry.break_on or default_retry.break_on
        own_retry.continue_on = own_retry.continue_on or default_retry.continue_on
    for attr in CLAUSE_KEYS.values():
        own, default = fields.get(attr), defaults.get(attr)
        if default is None:
            continue
        transitions = own.transitions if own else []
        if not transitions:
            transitions = [t for t in default.transitions if t.name != name]
        publish = own.publish if own else default.publish
        fields[attr] = Clause(transitions, publish)
    if defaults.get("requires"):
        merged = fields.get("requires", []) + defaults["requires"]
        fields["requires"] = [r for r in dict.fromkeys(merged) if r != name]


def build_task(where, name, body, wf_type, task_names, defaults):
    """Build the TaskSpec of task ``name`` (its location is ``where``)."""
    if body is None:
        body = {}
    v.body(where, "task", body)
    allowed = COMMON_KEYS | (DIRECT_KEYS if wf_type == "direct" else REVERSE_KEYS)
    if body.get("action") is not None and body.get("workflow") is not None:
        raise where.error("a task cannot have both 'action' and 'workflow'")
    fields = _parse_fields(where, body, allowed, wf_type)
    if fields.get("join") is not None and len(name) > MAX_JOIN_TASK_NAME:
        raise where.error(
            "the name of a task with 'join' must not exceed "
            f"{MAX_JOIN_TASK_NAME} characters"
        )
    _check_links(where, fields, task_names)
    if name in fields.get("requires", ()):
        raise where.error("'requires' refers to the task itself")
    _merge_defaults(name, fields, defaults)

    inline = {}
    for kind in ("action", "workflow"):
        if kind in fields:
            fields[kind], inline = fields[kind]
            fields["type"] = kind
    explicit = fields.get("input")
    if isinstance(explicit, str):
        if inline:
            raise where.error(
                "field 'input' cannot be an expression when '{}' has inline "
                "parameters".format(fields["type"])
            )
    elif inline:
        # As documented by Mistral: 'input' wins over inline parameters.
        fields["input"] = {**inline, **(explicit or {})}

    clauses = {attr: fields.pop(attr, None) for attr in CLAUSE_KEYS.values()}

    def published(attr):
        clause = clauses[attr]
        return clause.publish if clause and clause.publish else {}

    complete = published("on_complete")
    if complete or published("on_success"):
        fields["publish"] = {
            **fields.get("publish", {}),
            **complete,
            **published("on_success"),
        }
    if complete or published("on_error"):
        fields["publish_on_error"] = {
            **fields.get("publish_on_error", {}),
            **complete,
            **published("on_error"),
        }
    if published("on_skip"):
        fields["publish_on_skip"] = dict(published("on_skip"))
    for attr, clause in clauses.items():
        if clause is not None:
            fields[attr] = clause.transitions
    if fields.get("retry") is None:
        fields.pop("retry", None)
    return TaskSpec(name=name, **fields)
