"""Building blocks of definition validation: error context and field checks.

Every error a definition can have is an ``InvalidModelException`` whose
message starts with where it was found (``Invalid workflow 'wf1', task
'task2': ...``) and names the field (``field 'retry.count' ...``), so the
user can find it without reading a stack trace. The checks here are plain
functions over already-loaded YAML data (dicts, lists, scalars); no
jsonschema, because parsing a 1,000-task workflow must stay well under a
second.

Expressions (strings holding ``<%``, ``{{`` or ``{%``) are handed to
``mistral.expressions.validate`` when that module is importable; each
distinct string is validated once per parse.
"""

import math
import re

from mistral import exceptions as exc

ENGINE_COMMANDS = ("fail", "succeed", "pause", "noop")

_EXPR_MARKERS = ("<%", "{{", "{%")
_WHOLE_EXPR = re.compile(r"^\s*(<%.*%>|\{\{.*\}\}|\{%.*%\})\s*$", re.DOTALL)


def has_expression(value):
    """Whether ``value`` is a string containing a YAQL or Jinja expression."""
    return isinstance(value, str) and any(m in value for m in _EXPR_MARKERS)


def is_whole_expression(value):
    """Whether ``value`` is a string made of one expression (``<% ... %>``)."""
    return isinstance(value, str) and _WHOLE_EXPR.match(value) is not None


def _load_validator():
    # Imported lazily and optionally: mistral.expressions is written
    # concurrently and the language must stay usable (and testable)
    # without it.
    try:
        from mistral.expressions import validate
    except ImportError:
        return None
    return validate


class Checker:
    """State shared by one parse: the expression validator and its memo."""

    __slots__ = ("_seen", "_validate")

    def __init__(self, validate_expressions=True):
        self._validate = _load_validator() if validate_expressions else None
        self._seen = set()

    def expression(self, where, field, text):
        """Validate the expression(s) in ``text``; raise with context."""
        if self._validate is None or text in self._seen:
            return
        try:
            self._validate(text)
        except exc.ExpressionError as e:
            raise where.error(f"field '{field}' has an invalid expression: {e}") from e
        self._seen.add(text)


class Where:
    """Where in the definition we are: builds the errors' message prefix."""

    __slots__ = ("checker", "prefix")

    def __init__(self, prefix, checker):
        self.prefix = prefix
        self.checker = checker

    def child(self, kind, name=None):
        """A location nested in this one: ``..., task 'task2'``."""
        part = kind if name is None else f"{kind} '{name}'"
        return Where(f"{self.prefix}, {part}", self.checker)

    def error(self, message):
        """The exception to raise for ``message`` at this location."""
        return exc.InvalidModelException(f"{self.prefix}: {message}")


def type_name(value):
    """A user-facing name of a YAML value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def check_keys(where, data, allowed, field=None):
    """Reject keys of ``data`` that are not in ``allowed``, naming them."""
    for key in data:
        if key not in allowed:
            if field is None:
                raise where.error(f"unknown field {_show_key(key)}")
            raise where.error(f"field '{field}' has unknown key {_show_key(key)}")


def _show_key(key):
    return f"'{key}'" if isinstance(key, str) else repr(key)


def mapping(where, field, value):
    """``value`` must be a mapping with string keys; returns it."""
    if not isinstance(value, dict):
        raise where.error(f"field '{field}' must be a mapping, not {type_name(value)}")
    return value


def body(where, kind, value):
    """The body of a workflow, task or action must be a mapping."""
    if not isinstance(value, dict):
        raise where.error(f"the {kind} must be a mapping, not {type_name(value)}")
    return value


def string(where, field, value, allow_empty=False):
    """``value`` must be a (non-empty) string; returns it."""
    if not isinstance(value, str):
        raise where.error(f"field '{field}' must be a string, not {type_name(value)}")
    if not allow_empty and not value.strip():
        raise where.error(f"field '{field}' must not be empty")
    return value


def string_list(where, field, value, allow_single=False):
    """A list of unique non-empty strings (or one string if allowed)."""
    if allow_single and isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        kind = "a string or a list" if allow_single else "a list"
        raise where.error(
            f"field '{field}' must be {kind} of strings, not {type_name(value)}"
        )
    seen = set()
    for i, item in enumerate(value):
        string(where, f"{field}[{i}]", item)
        if item in seen:
            raise where.error(f"field '{field}' lists '{item}' twice")
        seen.add(item)
    return list(value)


def expression(where, field, value):
    """``value`` must be one expression; returns it after validating it."""
    if not is_whole_expression(value):
        raise where.error(f"field '{field}' must be an expression")
    where.checker.expression(where, field, value)
    return value


def int_or_expression(where, field, value, minimum=0):
    """An integer >= ``minimum`` or an expression; returns it."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < minimum:
            raise where.error(
                f"field '{field}' must be an integer >= {minimum} or an "
                f"expression, not {value}"
            )
        return value
    if is_whole_expression(value):
        where.checker.expression(where, field, value)
        return value
    raise where.error(f"field '{field}' must be an integer or an expression")


def bool_or_expression(where, field, value):
    """A boolean or an expression; returns it."""
    if isinstance(value, bool):
        return value
    if is_whole_expression(value):
        where.checker.expression(where, field, value)
        return value
    raise where.error(f"field '{field}' must be a boolean or an expression")


def data(where, field, value):
    """Any JSON value; validates every expression found inside it.

    YAML can produce values JSON cannot hold (non-string keys such as
    ``yes:``, binary, sets); they are refused here so that every spec
    stays JSON-serialisable and round-trips through the database.
    """
    if isinstance(value, str):
        if has_expression(value):
            where.checker.expression(where, field, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise where.error(
                    f"field '{field}' has key {key!r} that is not a string (quote it)"
                )
            if has_expression(key):
                where.checker.expression(where, field, key)
            data(where, f"{field}.{key}", item)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            data(where, f"{field}[{i}]", item)
    elif isinstance(value, float) and not math.isfinite(value):
        raise where.error(f"field '{field}' holds {value}, which JSON cannot represent")
    elif value is not None and not isinstance(value, (bool, int, float)):
        raise where.error(
            f"field '{field}' holds {type_name(value)}, which is not a JSON value"
        )
    return value


def data_mapping(where, field, value):
    """A mapping with string keys whose values are JSON data."""
    mapping(where, field, value)
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise where.error(
                f"field '{field}' has key {key!r} that is not a non-empty string"
            )
        if has_expression(key):
            where.checker.expression(where, field, key)
        data(where, f"{field}.{key}", item)
    return dict(value)


RESERVED_PREFIX = "__"


def input_params(where, field, value):
    """Parse an ``input`` list: ``- name`` or ``- name: default`` entries.

    Returns a list of ``(name, has_default, default)`` tuples.
    """
    if not isinstance(value, list):
        raise where.error(f"field '{field}' must be a list, not {type_name(value)}")
    result = []
    seen = set()
    for i, entry in enumerate(value):
        item_field = f"{field}[{i}]"
        if isinstance(entry, str):
            name, has_default, default = entry, False, None
        elif isinstance(entry, dict) and len(entry) == 1:
            ((name, default),) = entry.items()
            has_default = True
            if not isinstance(name, str):
                raise where.error(
                    f"field '{item_field}' has a parameter name {name!r} that is not a string"
                )
            data(where, f"{field}.{name}", default)
        else:
            raise where.error(
                f"field '{item_field}' must be a parameter name or a one-key mapping "
                "'name: default'"
            )
        if not name.strip():
            raise where.error(f"field '{field}' has an empty parameter name")
        if name.startswith(RESERVED_PREFIX):
            raise where.error(
                f"input parameter '{name}' is reserved (names starting with '{RESERVED_PREFIX}' "
                "are used by the engine)"
            )
        if name in seen:
            raise where.error(f"field '{field}' declares parameter '{name}' twice")
        seen.add(name)
        result.append((name, has_default, default))
    return result
