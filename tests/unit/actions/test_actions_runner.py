"""run_action: every outcome becomes a Result (or None for async), never raises."""

import threading

import pytest

from mistral import exceptions as exc
from mistral.actions import registry, runner
from mistral.actions.base import Action, ActionContext, Result

CTX = ActionContext("wf-1", "wf-1", "task-1", "action-1", "wf", "task")


class LibResult:
    """Stands in for mistral_lib.actions.Result (duck-typed)."""

    def __init__(self, data=None, error=None, cancel=False):
        self.data, self.error, self.cancel = data, error, cancel


LibResult.__name__ = "Result"


class ActionException(Exception):
    """Stands in for mistral-lib's / the original's ActionException."""


class Raising(Action):
    def __init__(self, error):
        super().__init__()
        self.error = error

    def run(self, context):
        raise self.error


class Returning(Action):
    def __init__(self, value=None, sync=True):
        super().__init__()
        self.value, self.sync = value, sync

    def run(self, context):
        return self.value

    def is_sync(self):
        return self.sync


class AsyncRaising(Raising):
    def is_sync(self):
        return False


class BadInit(Action):
    def __init__(self, x=None):
        super().__init__()
        raise ValueError("x is odd")


class WaitsForCancel(Action):
    def run(self, context):
        context.cancel_event.wait(5)
        return "stopped"


class ReturnsContext(Action):
    def run(self, context):
        return context.to_dict()


TEST_ACTIONS = {
    "t.raise": Raising,
    "t.async_raise": AsyncRaising,
    "t.return": Returning,
    "t.bad_init": BadInit,
    "t.wait": WaitsForCancel,
    "t.context": ReturnsContext,
}


@pytest.fixture(autouse=True)
def test_actions(monkeypatch):
    monkeypatch.setattr(registry, "BUILTINS", {**registry.BUILTINS, **TEST_ACTIONS})


@pytest.mark.parametrize(
    "name, action_input, expected",
    [
        ("std.noop", {}, Result()),
        ("std.noop", None, Result()),
        ("std.echo", {"output": [1, {"a": 2}]}, Result(data=[1, {"a": 2}])),
        ("std.test_dict", {"size": 1}, Result(data={"0": ""})),
        ("std.fail", {}, Result(error="Fail action expected exception.")),
        ("std.fail", {"error_data": {"e": 1}}, Result(error={"e": 1})),
        ("std.sleep", {"seconds": 0.001}, Result()),
        ("std.nope", {}, Result(error="Action 'std.nope' not found")),
        ("t.raise", {"error": exc.ActionError("it broke")}, Result(error="it broke")),
        ("t.raise", {"error": ActionException("lib broke")}, Result(error="lib broke")),
        ("t.raise", {"error": ValueError("bad value")}, Result(error="ValueError: bad value")),
        ("t.raise", {"error": KeyError("k")}, Result(error="KeyError: 'k'")),
        ("t.raise", {"error": RuntimeError()}, Result(error="RuntimeError")),
        ("t.bad_init", {}, Result(error="ValueError: x is odd")),
        ("t.return", {"value": Result(error="e", data=1)}, Result(data=1, error="e")),
        ("t.return", {"value": LibResult(data=3)}, Result(data=3)),
        ("t.return", {"value": LibResult(error="x")}, Result(error="x")),
        ("t.return", {"value": LibResult(cancel=True)}, Result(cancel=True)),
        ("t.context", {}, Result(data=CTX.to_dict())),
    ],
)  # fmt: skip
def test_run_action_results(name, action_input, expected):
    assert runner.run_action(name, action_input, CTX) == expected


def test_bad_input_is_an_error_result():
    result = runner.run_action("std.echo", {"outptu": 1}, CTX)
    assert result.error.startswith("Invalid input for action 'std.echo'")
    assert "output" in result.error and "outptu" in result.error


def test_non_json_result_is_an_error():
    result = runner.run_action("t.return", {"value": {1, 2}}, CTX)
    assert result.error.startswith(
        "Action 't.return' returned a result that is not JSON"
    )


@pytest.mark.parametrize(
    "name, action_input, expected",
    [
        ("std.async_noop", {}, None),
        ("t.return", {"value": "ignored", "sync": False}, None),
        ("t.return", {"value": Result(error="no start"), "sync": False}, Result(error="no start")),
        ("t.return", {"value": Result(cancel=True), "sync": False}, Result(cancel=True)),
        ("std.async_noop", {"x": 1}, "error"),
    ],
)  # fmt: skip
def test_async_actions_return_none_unless_they_fail(name, action_input, expected):
    result = runner.run_action(name, action_input, CTX)
    if expected == "error":
        assert result.is_error()
    else:
        assert result == expected


def test_async_action_that_raises_reports_an_error():
    result = runner.run_action("t.async_raise", {"error": exc.ActionError("nope")}, CTX)
    assert result == Result(error="nope")


@pytest.mark.parametrize("context", [CTX, None])
def test_timeout_sets_the_cancel_event_and_fails(context):
    result = runner.run_action("t.wait", {}, context, timeout=0.05)
    assert result == Result(error="Action 't.wait' timed out after 0.05 seconds")


def test_timeout_stops_std_sleep_through_the_callers_event():
    event = threading.Event()
    ctx = ActionContext("w", "w", "t", "a", "wf", "task", cancel_event=event)
    result = runner.run_action("std.sleep", {"seconds": 3600}, ctx, timeout=0.05)
    assert result.is_error() and "timed out" in result.error
    assert event.is_set()


@pytest.mark.parametrize(
    "name, action_input, expected",
    [
        ("std.echo", {"output": "quick"}, Result(data="quick")),
        ("t.raise", {"error": ValueError("v")}, Result(error="ValueError: v")),
        ("std.async_noop", {}, None),
    ],
)
def test_results_within_timeout_are_unchanged(name, action_input, expected):
    assert runner.run_action(name, action_input, CTX, timeout=5) == expected
