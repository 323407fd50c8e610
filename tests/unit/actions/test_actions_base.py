"""Result, ActionContext and the Action base class."""

import threading

import pytest

from mistral.actions.base import Action, ActionContext, Result, class_description


@pytest.mark.parametrize(
    "result, is_error, is_success, is_cancel",
    [
        (Result(), False, True, False),
        (Result(data={"a": 1}), False, True, False),
        (Result(error="boom"), True, False, False),
        (Result(error=""), True, False, False),
        (Result(error="x", cancel=True), False, False, True),
        (Result(cancel=True), False, False, True),
    ],
)
def test_result_predicates(result, is_error, is_success, is_cancel):
    assert result.is_error() is is_error
    assert result.is_success() is is_success
    assert result.is_cancel() is is_cancel


@pytest.mark.parametrize(
    "result",
    [
        Result(),
        Result(data=[1, "a"]),
        Result(error={"status": 500}),
        Result(cancel=True),
    ],
)
def test_result_round_trips_through_dict(result):
    d = result.to_dict()
    assert set(d) == {"data", "error", "cancel"}
    assert Result.from_dict(d) == result


@pytest.mark.parametrize(
    "d, expected",
    [({}, Result()), (None, Result()), ({"error": "e"}, Result(error="e"))],
)
def test_result_from_partial_dict(d, expected):
    assert Result.from_dict(d) == expected


def test_result_repr_hides_values():
    assert "s3cret" not in repr(Result(data="s3cret", error="s3cret"))


def test_context_round_trips_without_the_event():
    ctx = ActionContext("w", "r", "t", "a", "wf", "task", callback_url="http://cb")
    ctx.cancel_event = threading.Event()
    d = ctx.to_dict()
    assert d == {
        "workflow_execution_id": "w",
        "root_execution_id": "r",
        "task_execution_id": "t",
        "action_execution_id": "a",
        "workflow_name": "wf",
        "task_name": "task",
        "callback_url": "http://cb",
    }
    back = ActionContext.from_dict({**d, "unknown": 1})
    assert back == ctx and back.cancel_event is None
    assert back.execution.action_execution_id == "a"


class _Described(Action):
    description = "Short text."


class _Documented(Action):
    """Does things.

    In detail.
    """


class _Undocumented(Action):
    pass


@pytest.mark.parametrize(
    "cls, expected",
    [
        (_Described, "Short text."),
        (_Documented, "Does things.\n\nIn detail."),
        (_Undocumented, None),
    ],
)
def test_description(cls, expected):
    assert cls.get_description() == expected
    assert class_description(cls) == expected


def test_base_action_defaults():
    action = _Undocumented()
    assert action.is_sync() is True
    with pytest.raises(NotImplementedError):
        action.run(None)
