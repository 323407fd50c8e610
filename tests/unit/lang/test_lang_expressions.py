"""Expression validation while parsing definitions.

Most tests use a fake validator so they run whether or not
``mistral.expressions`` is ready; the last ones use the real module and are
skipped when it cannot be imported.
"""

import textwrap

import pytest

from mistral import exceptions as exc
from mistral import lang
from mistral.lang import validation

try:
    from mistral.expressions import validate as real_validate
except ImportError:
    real_validate = None


class FakeValidator:
    def __init__(self):
        self.seen = []

    def __call__(self, text):
        self.seen.append(text)
        if "BAD" in text:
            raise exc.ExpressionValidationError(f"syntax error in {text}")


@pytest.fixture
def fake(monkeypatch):
    validator = FakeValidator()
    monkeypatch.setattr(validation, "_load_validator", lambda: validator)
    return validator


def W(tasks, head=""):
    body = (
        textwrap.dedent(head)
        + "tasks:\n"
        + textwrap.indent(textwrap.dedent(tasks), "  ")
    )
    return "version: '2.0'\nwf:\n{}".format(textwrap.indent(body, "  "))


T1 = "Invalid workflow 'wf', task 't1': "
P = "Invalid workflow 'wf': "


@pytest.mark.parametrize(
    "text, message",
    [
        (W("t1: {action: 'std.echo output=<% BAD %>'}"), T1 + "field 'action.output'"),
        (W("t1: {action: '<% BAD %> a=1'}"), T1 + "field 'action'"),
        (W("t1: {workflow: 'sub a={{ BAD }}'}"), T1 + "field 'workflow.a'"),
        (W("t1: {input: {a: {b: ['<% BAD %>']}}}"), T1 + "field 'input.a.b[0]'"),
        (W("t1: {input: '<% BAD %>'}"), T1 + "field 'input'"),
        (W("t1: {input: {'<% BAD %>': 1}}"), T1 + "field 'input'"),
        (W("t1: {publish: {x: 'a {{ BAD }} b'}}"), T1 + "field 'publish.x'"),
        (
            W("t1: {publish-on-error: {x: '<% BAD %>'}}"),
            T1 + "field 'publish-on-error.x'",
        ),
        (
            W("t1: {on-success: {publish: {global: {x: '<% BAD %>'}}}}"),
            T1 + "field 'on-success.publish.global.x'",
        ),
        (W("t1: {on-success: [t2: '<% BAD %>']}\nt2: {}"), T1 + "field 'on-success'"),
        (
            W("t1: {on-error: {next: [t2: '<% BAD %>']}}\nt2: {}"),
            T1 + "field 'on-error.next'",
        ),
        (W("t1: {on-complete: 'fail msg=<% BAD %>'}"), T1 + "field 'on-complete.msg'"),
        (W("t1: {with-items: 'x in <% BAD %>'}"), T1 + "field 'with-items'"),
        (
            W("t1: {with-items: ['x in [1]', 'y in {{ BAD }}']}"),
            T1 + "field 'with-items[1]'",
        ),
        (W("t1: {retry: 'count=<% BAD %> delay=1'}"), T1 + "field 'retry.count'"),
        (
            W("t1: {retry: {count: 1, delay: 1, break-on: '<% BAD %>'}}"),
            T1 + "field 'retry.break-on'",
        ),
        (
            W("t1: {retry: {count: 1, delay: 1, continue-on: '<% BAD %>'}}"),
            T1 + "field 'retry.continue-on'",
        ),
        (W("t1: {wait-before: '<% BAD %>'}"), T1 + "field 'wait-before'"),
        (W("t1: {timeout: '{{ BAD }}'}"), T1 + "field 'timeout'"),
        (W("t1: {concurrency: '<% BAD %>'}"), T1 + "field 'concurrency'"),
        (W("t1: {pause-before: '<% BAD %>'}"), T1 + "field 'pause-before'"),
        (W("t1: {keep-result: '<% BAD %>'}"), T1 + "field 'keep-result'"),
        (W("t1: {safe-rerun: '<% BAD %>'}"), T1 + "field 'safe-rerun'"),
        (W("t1: {fail-on: '<% BAD %>'}"), T1 + "field 'fail-on'"),
        (W("t1: {target: 'x-<% BAD %>'}"), T1 + "field 'target'"),
        (W("t1: {}", "output: {a: '<% BAD %>'}\n"), P + "field 'output.a'"),
        (W("t1: {}", "output: '<% BAD %>'\n"), P + "field 'output'"),
        (
            W("t1: {}", "output-on-error: ['<% BAD %>']\n"),
            P + "field 'output-on-error[0]'",
        ),
        (W("t1: {}", "vars: {v: '<% BAD %>'}\n"), P + "field 'vars.v'"),
        (W("t1: {}", "input: [{a: '<% BAD %>'}]\n"), P + "field 'input.a'"),
        (
            W("t1: {}", "task-defaults: {timeout: '<% BAD %>'}\n"),
            "Invalid workflow 'wf', task-defaults: field 'timeout'",
        ),
    ],
)
def test_every_expression_field_is_validated(fake, text, message):
    with pytest.raises(exc.InvalidModelException) as e:
        lang.parse_workflows(text)
    assert str(e.value).startswith(
        message + " has an invalid expression: syntax error"
    ), str(e.value)
    assert isinstance(e.value.__cause__, exc.ExpressionValidationError)


def test_action_expressions_are_validated(fake):
    for body, field in (
        ("{base: 'std.echo output=<% BAD %>'}", "base.output"),
        ("{base: x, base-input: {a: '<% BAD %>'}}", "base-input.a"),
        ("{base: x, output: {r: '{{ BAD }}'}}", "output.r"),
    ):
        with pytest.raises(exc.InvalidModelException) as e:
            lang.parse_actions(f"version: '2.0'\na: {body}\n")
        assert str(e.value).startswith(
            f"Invalid action 'a': field '{field}' has an invalid expression"
        )


def test_each_distinct_expression_is_validated_once(fake):
    lang.parse_workflows(
        W(
            "t1: {publish: {a: '<% $.x %>', b: '<% $.x %>'}, input: {c: '<% $.x %>', d: plain}}"
        )
    )
    assert fake.seen == ["<% $.x %>"]


def test_validation_can_be_skipped(fake):
    lang.parse_workflows(
        W("t1: {publish: {a: '<% BAD %>'}}"), validate_expressions=False
    )
    assert fake.seen == []


def test_missing_expressions_module_is_tolerated(monkeypatch):
    monkeypatch.setattr(validation, "_load_validator", lambda: None)
    (wf,) = lang.parse_workflows(W("t1: {publish: {a: '<% $.x + %>'}}"))
    assert wf.tasks["t1"].publish == {"a": "<% $.x + %>"}


def test_loader_tolerates_import_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_expressions(name, *args, **kwargs):
        if name.startswith("mistral.expressions"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_expressions)
    assert validation._load_validator() is None


needs_expressions = pytest.mark.skipif(
    real_validate is None, reason="mistral.expressions is not importable"
)


@needs_expressions
@pytest.mark.parametrize(
    "text, message",
    [
        (
            W("t1: {publish: {a: '<% $.x + %>'}}"),
            T1 + "field 'publish.a' has an invalid expression: ",
        ),
        (
            W("t1: {action: 'std.echo output={{ _.x + }}'}"),
            T1 + "field 'action.output' has an invalid expression: ",
        ),
        (
            W("t1: {on-success: [t2: '<% $.a = %>']}\nt2: {}"),
            T1 + "field 'on-success' has an invalid expression: ",
        ),
        (
            W("t1: {with-items: 'x in <% $.xs[ %>'}"),
            T1 + "field 'with-items' has an invalid expression: ",
        ),
        (
            W("t1: {}", "output: {a: '<% $.a %> {{ _.b }}'}\n"),
            P + "field 'output.a' has an invalid expression: ",
        ),
    ],
)
def test_real_expression_errors(text, message):
    with pytest.raises(exc.InvalidModelException) as e:
        lang.parse_workflows(text)
    assert str(e.value).startswith(message), str(e.value)


@needs_expressions
def test_real_expressions_accept_valid_definitions():
    (wf,) = lang.parse_workflows(
        W(
            """
            t1:
              action: std.http url=<% env().url %> body={{ _.body | tojson }}
              with-items: x in <% $.xs.where($ > 1) %>
              publish:
                r: <% task().result.select($.id) %>
                j: "{{ task().result | length }}"
              retry: count=<% $.n %> delay=1 break-on=<% $.stop = true %>
              on-success:
                - t2: <% $.r.len() > 0 %>
            t2:
              action: std.noop
            """
        )
    )
    assert wf.tasks["t1"].with_items == [("x", "<% $.xs.where($ > 1) %>")]
