"""The std.* utility actions, run directly."""

import threading

import pytest

from mistral import exceptions as exc
from mistral.actions import std
from mistral.actions.base import ActionContext, Result

CTX = ActionContext("wf-1", "wf-1", "task-1", "action-1", "wf", "task")


@pytest.mark.parametrize(
    "cls, action_input, expected",
    [
        (std.NoopAction, {}, None),
        (std.AsyncNoopAction, {}, None),
        (std.EchoAction, {"output": {"a": [1, 2]}}, {"a": [1, 2]}),
        (std.EchoAction, {"output": None}, None),
        (std.EchoAction, {"output": "x", "delay": "bad"}, "x"),
        (std.SleepAction, {"seconds": 0.001}, None),
        (std.SleepAction, {"seconds": -5}, None),
        (std.SleepAction, {"seconds": "garbage"}, None),
        (std.TestDictAction, {}, {}),
        (std.TestDictAction, {"size": 3, "key_prefix": "k", "val": "v"},
         {"k0": "v", "k1": "v", "k2": "v"}),
        (std.TestDictAction, {"size": "2"}, {"0": "", "1": ""}),
        (std.FailAction, {"error_data": {"code": 7}}, Result(error={"code": 7})),
        (std.FailAction, {"error_data": "bad"}, Result(error="bad")),
    ],
)  # fmt: skip
def test_std_action_results(cls, action_input, expected):
    assert cls(**action_input).run(CTX) == expected


@pytest.mark.parametrize("error_data", [None, "", {}])
def test_fail_without_data_raises_action_error(error_data):
    with pytest.raises(exc.ActionError, match="Fail action expected exception."):
        std.FailAction(error_data=error_data).run(CTX)


@pytest.mark.parametrize(
    "cls, is_sync",
    [(std.NoopAction, True), (std.AsyncNoopAction, False), (std.EchoAction, True)],
)
def test_is_sync(cls, is_sync):
    action = cls(output=1) if cls is std.EchoAction else cls()
    assert action.is_sync() is is_sync


@pytest.mark.parametrize(
    "cls, action_input",
    [
        (std.SleepAction, {"seconds": 3600}),
        (std.EchoAction, {"output": 1, "delay": 3600}),
    ],
)
def test_waits_stop_when_the_cancel_event_is_set(cls, action_input):
    event = threading.Event()
    event.set()
    ctx = ActionContext("w", "w", "t", "a", "wf", "task", cancel_event=event)
    assert cls(**action_input).run(ctx) == Result(cancel=True)


def test_sleep_is_interrupted_from_another_thread():
    event = threading.Event()
    ctx = ActionContext("w", "w", "t", "a", "wf", "task", cancel_event=event)
    outcome = []
    worker = threading.Thread(
        target=lambda: outcome.append(std.SleepAction(3600).run(ctx))
    )
    worker.start()
    event.set()
    worker.join(5)
    assert outcome == [Result(cancel=True)]


def test_sleep_runs_without_a_context():
    assert std.SleepAction(seconds=0.001).run(None) is None


def test_test_dict_rejects_a_non_integer_size():
    with pytest.raises(exc.InvalidActionException, match="'size' must be an integer"):
        std.TestDictAction(size="many")
