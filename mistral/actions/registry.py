"""Finding action classes by name: built-in std.* first, then entry points.

A package provides custom actions by declaring entry points in the group
``mistral.actions`` (setup.cfg)::

    [options.entry_points]
    mistral.actions =
        my.action = my_pkg.actions:MyAction

Built-in names always win over an entry point of the same name (the original
Mistral's package declares std.* entry points too). Entry points are listed
once per process and each class is imported once; ``clear_cache`` forgets
both (tests, or after installing a package in a running process).
"""

import dataclasses
import functools
import inspect
import json
import logging
import threading
from functools import lru_cache
from importlib import metadata

from mistral import exceptions as exc
from mistral.actions import std, std_http
from mistral.actions.base import class_description

LOG = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "mistral.actions"

BUILTINS: dict[str, type] = {**std.ACTIONS, **std_http.ACTIONS}

_loaded: dict[str, type] = {}
_loaded_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class ActionDescriptor:
    """What ``GET /v2/actions`` shows about a system action.

    ``input`` is the original's parameter string, e.g.
    ``url, method="GET", params=null``.
    """

    name: str
    description: str | None
    input: str
    is_system: bool = True
    action_class: type | None = dataclasses.field(
        default=None, repr=False, compare=False
    )


@lru_cache(maxsize=1)
def _entry_points() -> dict:
    """Entry points of the group by name (the first one wins on a clash)."""
    found = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in found:
            LOG.warning(
                "Action [%s] is declared twice (%s, %s): using the first",
                ep.name,
                found[ep.name].value,
                ep.value,
            )
            continue
        found[ep.name] = ep
    return found


def clear_cache() -> None:
    """Forget the listed entry points and the loaded classes."""
    _entry_points.cache_clear()
    with _loaded_lock:
        _loaded.clear()


def _load(name: str, ep) -> type:
    try:
        obj = ep.load()
    except Exception as e:
        LOG.warning(
            "Action [%s] could not be loaded from [%s]", name, ep.value, exc_info=True
        )
        raise exc.InvalidActionException(
            f"Action '{name}' could not be loaded from '{ep.value}': {type(e).__name__}: {e}"
        ) from None
    if not (inspect.isclass(obj) and callable(getattr(obj, "run", None))):
        raise exc.InvalidActionException(
            f"Action '{name}' entry point '{ep.value}' is not an action class "
            f"(a class with a run method)"
        )
    return obj


def get_action_class(name: str) -> type:
    """The class implementing action ``name``.

    :raises InvalidActionException: (400) unknown name, or an entry point
        that cannot be imported or is not an action class.
    """
    if not isinstance(name, str):
        raise exc.InvalidActionException(f"Action name must be a string, got {name!r}")
    if name in BUILTINS:
        return BUILTINS[name]
    with _loaded_lock:
        if name in _loaded:
            return _loaded[name]
    ep = _entry_points().get(name)
    if ep is None:
        raise exc.InvalidActionException(f"Action '{name}' not found")
    cls = _load(name, ep)
    with _loaded_lock:
        return _loaded.setdefault(name, cls)


def list_actions() -> list[ActionDescriptor]:
    """Every system action (built-ins and loadable entry points), by name.

    An entry point that fails to load is left out (and logged), so one
    broken package does not hide the others.
    """
    classes = dict(BUILTINS)
    for name in _entry_points():
        if name in classes:
            continue
        try:
            classes[name] = get_action_class(name)
        except exc.InvalidActionException:
            continue
    return [
        ActionDescriptor(
            name=name,
            description=class_description(cls),
            input=input_string(cls),
            action_class=cls,
        )
        for name, cls in sorted(classes.items())
    ]


@functools.lru_cache(maxsize=1024)
def _signature(cls: type) -> inspect.Signature | None:
    """The constructor signature of an action class (cached: classes do not change)."""
    try:
        return inspect.signature(cls)
    except (TypeError, ValueError):
        return None


def input_string(cls: type) -> str:
    """The original's input string: ``a, b="x", c=null, **kwargs``.

    Defaults are JSON-encoded; as in the original, a parameter whose default
    cannot be JSON-encoded is left out, and ``*args`` is never shown.
    """
    sig = _signature(cls)
    if sig is None:
        return ""
    parts = []
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            continue
        if p.kind is p.VAR_KEYWORD:
            parts.append(f"**{p.name}")
        elif p.default is p.empty:
            parts.append(p.name)
        else:
            try:
                parts.append(f"{p.name}={json.dumps(p.default)}")
            except (TypeError, ValueError):
                continue
    return ", ".join(parts)


def validate_input(name: str, action_input: dict | None) -> None:
    """Check ``action_input`` against the action's ``__init__`` parameters.

    :raises InvalidActionException: (400) unknown action, input that is not
        an object, missing required parameters or unexpected ones (all named
        in the message; ``**kwargs`` accepts any extra).
    """
    cls = get_action_class(name)
    if action_input is None:
        action_input = {}
    if not isinstance(action_input, dict):
        raise exc.InvalidActionException(
            f"Input of action '{name}' must be an object, got {type(action_input).__name__}"
        )
    sig = _signature(cls)
    if sig is None:
        return
    params = list(sig.parameters.values())
    named = {
        p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }
    any_extra = any(p.kind is p.VAR_KEYWORD for p in params)
    missing = [
        p.name
        for p in params
        if p.default is p.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and (p.name not in action_input or p.kind is p.POSITIONAL_ONLY)
    ]
    unexpected = (
        [] if any_extra else sorted(str(k) for k in action_input if k not in named)
    )
    if not missing and not unexpected:
        return
    problems = []
    if missing:
        problems.append("missing required parameter(s): " + ", ".join(missing))
    if unexpected:
        problems.append("unexpected parameter(s): " + ", ".join(unexpected))
    expected = input_string(cls) or "no parameters"
    raise exc.InvalidActionException(
        f"Invalid input for action '{name}': {'; '.join(problems)} (expected: {expected})"
    )
