"""env(), execution(), task(), tasks(), json/yaml functions and uuid() in
both languages, the FunctionsContext defaults, and which errors of the
engine's context pass through unchanged."""

import uuid

import pytest
import yaml

from mistral import exceptions as exc
from mistral import expressions as expr
from mistral.expressions import context as fctx
from mistral.expressions import functions

TASK = {
    "id": "tid",
    "name": "t1",
    "state": "SUCCESS",
    "state_info": None,
    "result": {"value": [1, 2], "ok": True},
    "published": {"p": 1},
    "type": "ACTION",
    "workflow_execution_id": "wid",
    "created_at": "2024-01-01 00:00:00",
    "updated_at": None,
}


class FakeContext(fctx.FunctionsContext):
    """Records calls; answers like an engine would."""

    def __init__(self):
        self.calls = []

    def env(self):
        self.calls.append(("env",))
        return {"token": "secret", "nested": {"url": "http://h"}}

    def execution(self):
        self.calls.append(("execution",))
        return {"id": "wid", "name": "wf", "input": {"i": 1}, "params": {}}

    def task(self, name=None):
        self.calls.append(("task", name))
        if name in (None, "t1"):
            return dict(TASK)
        return None

    def tasks(
        self, workflow_execution_id=None, recursive=False, state=None, flat=False
    ):
        self.calls.append(("tasks", workflow_execution_id, recursive, state, flat))
        return [dict(TASK)]


DATA = {"x": {"a": [1, "b"]}, "js": '{"k": [1, null]}', "ym": "a: [1, 2]\n"}


@pytest.mark.parametrize(
    "expression, expected, call",
    [
        ("<% env() %>", {"token": "secret", "nested": {"url": "http://h"}}, ("env",)),
        ("{{ env() }}", {"token": "secret", "nested": {"url": "http://h"}}, ("env",)),
        ("<% env().token %>", "secret", ("env",)),
        ("{{ env().token }}", "secret", ("env",)),
        ("<% env().nested.url %>", "http://h", ("env",)),
        ("{{ env().nested.url }}", "http://h", ("env",)),
        ("<% execution().input.i %>", 1, ("execution",)),
        ("{{ execution().input.i }}", 1, ("execution",)),
        ("<% task(t1).result %>", TASK["result"], ("task", "t1")),
        ("<% task('t1').result.value %>", [1, 2], ("task", "t1")),
        ("{{ task('t1').result }}", TASK["result"], ("task", "t1")),
        ("<% task().state %>", "SUCCESS", ("task", None)),
        ("{{ task().state }}", "SUCCESS", ("task", None)),
        ("<% task(other) %>", None, ("task", "other")),
        ("{{ task('other') }}", None, ("task", "other")),
        ("<% tasks() %>", [TASK], ("tasks", None, False, None, False)),
        ("{{ tasks() }}", [TASK], ("tasks", None, False, None, False)),
        (
            "<% tasks(w1, true, SUCCESS, true) %>",
            [TASK],
            ("tasks", "w1", True, "SUCCESS", True),
        ),
        ("<% tasks(state => ERROR) %>", [TASK], ("tasks", None, False, "ERROR", False)),
        (
            "<% tasks(workflowExecutionId => w2, recursive => true) %>",
            [TASK],
            ("tasks", "w2", True, None, False),
        ),
        (
            "{{ tasks(workflow_execution_id='w2', state='ERROR', flat=True) }}",
            [TASK],
            ("tasks", "w2", False, "ERROR", True),
        ),
        ("<% tasks().select($.name) %>", ["t1"], ("tasks", None, False, None, False)),
        (
            "{{ tasks() | map(attribute='name') }}",
            ["t1"],
            ("tasks", None, False, None, False),
        ),
    ],
)
def test_engine_functions_delegate_to_the_context(expression, expected, call):
    ctx = FakeContext()
    assert expr.evaluate(expression, {}, ctx) == expected
    assert ctx.calls == [call]


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("<% json_parse($.js) %>", {"k": [1, None]}),
        ("{{ json_parse(_.js) }}", {"k": [1, None]}),
        ("{{ _.js | json_parse }}", {"k": [1, None]}),
        ("<% json_parse($.js).k.len() %>", 2),
        ("<% json_dump($.x) %>", '{\n    "a": [\n        1,\n        "b"\n    ]\n}'),
        ("{{ json_dump(_.x) }}", '{\n    "a": [\n        1,\n        "b"\n    ]\n}'),
        ("{{ _.x | json_dump }}", '{\n    "a": [\n        1,\n        "b"\n    ]\n}'),
        ("<% json_dump(null) %>", "null"),
        ("<% json_dump(set(1)) %>", "[\n    1\n]"),
        ("<% yaml_parse($.ym) %>", {"a": [1, 2]}),
        ("{{ yaml_parse(_.ym) }}", {"a": [1, 2]}),
        ("{{ _.ym | yaml_parse }}", {"a": [1, 2]}),
        ("<% yaml_dump($.x) %>", "a:\n- 1\n- b\n"),
        ("{{ yaml_dump(_.x) }}", "a:\n- 1\n- b\n"),
        ("<% yaml_dump(dict(k => [1])) %>", "k:\n- 1\n"),
        ("<% json_parse(json_dump($.x)) %>", {"a": [1, "b"]}),
        ("{{ yaml_parse(yaml_dump(_.x)) }}", {"a": [1, "b"]}),
        ("<% json_parse('[1, 1]').distinct() %>", [1]),
    ],
)
def test_pure_functions(expression, expected):
    assert expr.evaluate(expression, DATA) == expected


@pytest.mark.parametrize("expression", ["<% uuid() %>", "{{ uuid() }}"])
def test_uuid_is_new_each_time(expression):
    first = expr.evaluate(expression, {})
    second = expr.evaluate(expression, {})
    assert first != second
    assert str(uuid.UUID(first)) == first


def test_yaml_parse_is_safe():
    with pytest.raises(exc.ExpressionEvaluationError):
        expr.evaluate(
            "<% yaml_parse($.y) %>",
            {"y": "!!python/object/apply:os.system ['true']"},
        )


@pytest.mark.parametrize(
    "expression, error_part",
    [
        ("<% json_parse('{bad') %>", "[expression=json_parse('{bad'), error="),
        ("{{ json_parse('{bad') }}", "error="),
        ("<% yaml_parse('a: [') %>", "error="),
        ("{{ json_dump(env) }}", "not a JSON value"),
    ],
)
def test_pure_function_errors(expression, error_part):
    with pytest.raises(exc.ExpressionEvaluationError) as info:
        expr.evaluate(expression, {})
    assert error_part in str(info.value)


@pytest.mark.parametrize("ctx", [None, fctx.FunctionsContext()])
@pytest.mark.parametrize(
    "expression, expected",
    [
        ("<% env() %>", {}),
        ("{{ env() }}", {}),
        ("<% env().get(token) %>", None),
        ("{{ env().token is defined }}", False),
        ("<% execution() %>", {}),
        ("{{ execution() }}", {}),
    ],
)
def test_defaults_without_an_engine(ctx, expression, expected):
    assert expr.evaluate(expression, {}, ctx) == expected


@pytest.mark.parametrize("ctx", [None, fctx.FunctionsContext()])
@pytest.mark.parametrize(
    "expression, message",
    [
        ("<% task() %>", "[expression=task(), error=task() is not available here]"),
        ("<% task(t1) %>", "task() is not available here"),
        ("{{ task('t1') }}", "task() is not available here"),
        ("<% tasks() %>", "[expression=tasks(), error=tasks() is not available here]"),
        ("{{ tasks() }}", "tasks() is not available here"),
        ("text <% task(t1).result %>", "task() is not available here"),
    ],
)
def test_task_functions_without_an_engine(ctx, expression, message):
    with pytest.raises(exc.ExpressionEvaluationError) as info:
        expr.evaluate(expression, {}, ctx)
    assert message in str(info.value)


class _Raising(fctx.FunctionsContext):
    def __init__(self, error):
        self.error = error

    def env(self):
        raise self.error

    def task(self, name=None):
        raise self.error


@pytest.mark.parametrize(
    "expression", ["<% env() %>", "{{ env() }}", "a <% task(x) %>", "a {{ task('x') }}"]
)
@pytest.mark.parametrize(
    "error",
    [
        exc.DBError("deadlock"),
        exc.EngineError("bug"),
        RuntimeError("connection lost"),
        KeyError("internal"),
    ],
)
def test_engine_errors_pass_through_unchanged(expression, error):
    with pytest.raises(type(error)) as info:
        expr.evaluate(expression, {}, _Raising(error))
    assert info.value is error


@pytest.mark.parametrize(
    "expression", ["<% env() %>", "{{ env() }}", "<% task(x) %>", "{{ task('x') }}"]
)
@pytest.mark.parametrize(
    "error",
    [
        exc.NotFoundError("no task named x"),
        exc.ExpressionEvaluationError("no task named x"),
        exc.InputError("no task named x"),
    ],
)
def test_user_errors_from_the_context_name_the_expression(expression, error):
    with pytest.raises(exc.ExpressionEvaluationError) as info:
        expr.evaluate(expression, {}, _Raising(error))
    assert "error=no task named x]" in str(info.value)
    assert "[expression=" in str(info.value)


class _NoneContext(fctx.FunctionsContext):
    def env(self):
        return None

    def execution(self):
        return None

    def tasks(self, *args, **kwargs):
        return None


@pytest.mark.parametrize(
    "expression, expected",
    [("<% env() %>", {}), ("<% execution() %>", {}), ("{{ tasks() }}", [])],
)
def test_none_from_the_context_means_empty(expression, expected):
    assert expr.evaluate(expression, {}, _NoneContext()) == expected


def test_yaql_functions_see_frozen_values_so_set_operations_work():
    ctx = FakeContext()
    result = expr.evaluate(
        "<% [task(t1).result, task(t1).result].distinct() %>", {}, ctx
    )
    assert result == [TASK["result"]]


def test_task_fields_are_mistrals():
    assert set(fctx.TASK_FIELDS) == {
        "id",
        "name",
        "spec",
        "state",
        "state_info",
        "result",
        "published",
        "type",
        "workflow_execution_id",
        "created_at",
        "updated_at",
    }
    assert "params" in fctx.EXECUTION_FIELDS


def test_functions_context_is_exported():
    assert expr.FunctionsContext is fctx.FunctionsContext


def test_direct_function_calls():
    assert functions.json_parse("[1]") == [1]
    assert functions.json_dump({"a": 1}) == '{\n    "a": 1\n}'
    assert yaml.safe_load(functions.yaml_dump({"a": [1]})) == {"a": [1]}
    assert functions.yaml_parse("a: 1") == {"a": 1}
    assert functions.env(fctx.DEFAULT) == {}
    assert functions.execution(fctx.DEFAULT) == {}
    with pytest.raises(exc.ExpressionEvaluationError):
        functions.task(fctx.DEFAULT)
    with pytest.raises(exc.ExpressionEvaluationError):
        functions.tasks(fctx.DEFAULT)
