"""Action lookup (built-ins and entry points), input strings and validation."""

from importlib import metadata

import pytest

from mistral import exceptions as exc
from mistral.actions import registry, std, std_http
from mistral.actions.base import Action

GROUP = registry.ENTRY_POINT_GROUP


class CustomAction(Action):
    """A custom action from an installed package."""

    def __init__(self, host, port=22, *args, retries=None, **kwargs):
        super().__init__()

    def run(self, context):
        return "custom"


class NotAnAction:
    pass


class PlainInit:
    def __init__(self, a, b="x", fn=len):
        pass

    def run(self, context):
        return None


def _ep(name, target):
    return metadata.EntryPoint(name=name, value=f"{__name__}:{target}", group=GROUP)


@pytest.fixture(autouse=True)
def entry_points(monkeypatch):
    """Fake installed entry points; counts how often they are listed."""
    declared = [
        _ep("my.custom", "CustomAction"),
        _ep("my.custom", "NotAnAction"),  # a clash: the first one wins
        _ep("my.plain", "PlainInit"),
        _ep("std.http", "CustomAction"),  # built-ins win over entry points
        _ep("my.not_class", "NotAnAction.__init__"),
        _ep("my.broken", "DoesNotExist"),
        metadata.EntryPoint(name="my.missing", value="no_such_module_x:A", group=GROUP),
    ]
    calls = []

    def fake(**kwargs):
        calls.append(kwargs)
        return [ep for ep in declared if ep.group == kwargs.get("group")]

    registry.clear_cache()
    monkeypatch.setattr(registry.metadata, "entry_points", fake)
    yield calls
    registry.clear_cache()


@pytest.mark.parametrize(
    "name, cls",
    [
        ("std.noop", std.NoopAction),
        ("std.echo", std.EchoAction),
        ("std.fail", std.FailAction),
        ("std.sleep", std.SleepAction),
        ("std.async_noop", std.AsyncNoopAction),
        ("std.test_dict", std.TestDictAction),
        ("std.http", std_http.HTTPAction),
        ("my.custom", CustomAction),
        ("my.plain", PlainInit),
    ],
)
def test_get_action_class(name, cls):
    assert registry.get_action_class(name) is cls


@pytest.mark.parametrize(
    "name, message",
    [
        ("std.nope", "Action 'std.nope' not found"),
        ("", "Action '' not found"),
        (None, "Action name must be a string"),
        ("my.broken", "Action 'my.broken' could not be loaded from"),
        ("my.missing", "ModuleNotFoundError"),
        ("my.not_class", "is not an action class"),
    ],
)
def test_get_action_class_errors(name, message):
    with pytest.raises(exc.InvalidActionException, match=message) as info:
        registry.get_action_class(name)
    assert info.value.code == 400


def test_entry_points_are_listed_once(entry_points):
    for _ in range(3):
        registry.get_action_class("my.custom")
        registry.get_action_class("my.plain")
        with pytest.raises(exc.InvalidActionException):
            registry.get_action_class("unknown")
    assert entry_points == [{"group": GROUP}]


def test_list_actions():
    by_name = {d.name: d for d in registry.list_actions()}
    assert sorted(by_name) == [
        "my.custom", "my.plain",
        "std.async_noop", "std.echo", "std.fail", "std.http",
        "std.noop", "std.sleep", "std.test_dict",
    ]  # fmt: skip
    assert all(d.is_system for d in by_name.values())
    http = by_name["std.http"]
    assert http.action_class is std_http.HTTPAction
    assert http.input == (
        'url, method="GET", params=null, body=null, json=null, headers=null, '
        "cookies=null, auth=null, timeout=null, allow_redirects=null, "
        "proxies=null, verify=null"
    )
    assert http.description.startswith("HTTP action.")
    assert (
        by_name["my.custom"].description == "A custom action from an installed package."
    )
    assert by_name["my.plain"].description is None


@pytest.mark.parametrize(
    "cls, expected",
    [
        (std.NoopAction, ""),
        (std.EchoAction, "output, delay=0"),
        (std.FailAction, "error_data=null"),
        (std.SleepAction, "seconds=1"),
        (std.TestDictAction, 'size=0, key_prefix="", val=""'),
        (CustomAction, "host, port=22, retries=null, **kwargs"),
        (PlainInit, 'a, b="x"'),
        (NotAnAction, ""),
    ],
)
def test_input_string(cls, expected):
    assert registry.input_string(cls) == expected


@pytest.mark.parametrize(
    "name, action_input",
    [
        ("std.noop", {}),
        ("std.noop", None),
        ("std.echo", {"output": None}),
        ("std.echo", {"output": 1, "delay": 2}),
        ("std.http", {"url": "http://x", "method": "POST", "verify": False}),
        ("my.custom", {"host": "h", "anything": 1, "retries": 3}),
    ],
)
def test_validate_input_accepts(name, action_input):
    assert registry.validate_input(name, action_input) is None


@pytest.mark.parametrize(
    "name, action_input, message",
    [
        (
            "std.echo",
            {},
            (
                "Invalid input for action 'std.echo': missing required parameter(s): "
                "output (expected: output, delay=0)"
            ),
        ),
        (
            "std.echo",
            {"output": 1, "z": 1, "a": 2},
            (
                "Invalid input for action 'std.echo': unexpected parameter(s): a, z "
                "(expected: output, delay=0)"
            ),
        ),
        (
            "std.noop",
            {"x": 1},
            (
                "Invalid input for action 'std.noop': unexpected parameter(s): x "
                "(expected: no parameters)"
            ),
        ),
        (
            "std.http",
            {"method": "GET", "uri": "http://x"},
            "missing required parameter(s): url; unexpected parameter(s): uri",
        ),
        ("my.plain", {"b": 1}, "missing required parameter(s): a"),
        (
            "std.echo",
            ["output"],
            "Input of action 'std.echo' must be an object, got list",
        ),
        ("no.such", {}, "Action 'no.such' not found"),
    ],
)
def test_validate_input_rejects(name, action_input, message):
    with pytest.raises(exc.InvalidActionException) as info:
        registry.validate_input(name, action_input)
    assert message in str(info.value)
