"""Every error a workflow definition can have, with the message it gets.

Each message must say where the problem is (workflow, task, field).
"""

import textwrap

import pytest

from mistral import exceptions as exc
from mistral import lang


def W(tasks, head="", name="wf"):
    """A workflows document with one workflow ``name``."""
    body = (
        textwrap.dedent(head)
        + "tasks:\n"
        + textwrap.indent(textwrap.dedent(tasks), "  ")
    )
    return "version: '2.0'\n{}:\n{}".format(name, textwrap.indent(body, "  "))


def R(tasks, head=""):
    """A reverse workflow."""
    return W(tasks, "type: reverse\n" + head)


P = "Invalid workflow 'wf'"
T1 = "Invalid workflow 'wf', task 't1'"
TD = "Invalid workflow 'wf', task-defaults"


def error_of(text, parse=lang.parse_workflows):
    with pytest.raises(exc.InvalidModelException) as e:
        parse(text)
    return str(e.value)


DOCUMENT_ERRORS = [
    ("", "Invalid definition: the document is empty"),
    ("- a\n- b\n", "Invalid definition: the document must be a mapping, not a list"),
    (
        "wf: {tasks: {t: {}}}\n",
        "Invalid definition: field 'version' is required (version: '2.0')",
    ),
    (
        "version: '1.0'\nwf: {tasks: {t: {}}}\n",
        "Invalid definition: unsupported version '1.0': only '2.0' is supported",
    ),
    (
        "version: v2.0\nwf: {tasks: {t: {}}}\n",
        "Invalid definition: unsupported version 'v2.0'",
    ),
    (
        "version: true\nwf: {tasks: {t: {}}}\n",
        "Invalid definition: unsupported version True",
    ),
    ("version: '2.0'\n", "Invalid definition: the document defines no workflow"),
    (
        "version: '2.0'\n1: {tasks: {t: {}}}\n",
        "Invalid definition: workflow name 1 must be a non-empty string",
    ),
    (
        "version: '2.0'\n' ': {tasks: {t: {}}}\n",
        "Invalid definition: workflow name ' ' must be a non-empty string",
    ),
    (
        "version: '2.0'\n123e4567-e89b-12d3-a456-426655440000: {tasks: {t: {}}}\n",
        "Invalid definition: workflow name '123e4567-e89b-12d3-a456-426655440000' must not look like a UUID",
    ),
]

WORKFLOW_ERRORS = [
    ("version: '2.0'\nwf: [a]\n", P + ": the workflow must be a mapping, not a list"),
    (
        "version: '2.0'\nwf: {}\n",
        P + ": field 'tasks' is required and must not be empty",
    ),
    (
        "version: '2.0'\nwf: {tasks: [a]}\n",
        P + ": field 'tasks' must be a mapping, not a list",
    ),
    (W("t1: {}", "foo: 1\n"), P + ": unknown field 'foo'"),
    (
        W("t1: {}", "type: sideways\n"),
        P + ": field 'type' must be 'direct' or 'reverse', not 'sideways'",
    ),
    (W("t1: {}", "version: '3.0'\n"), P + ": unsupported version '3.0'"),
    (
        W("t1: {}", "description: [x]\n"),
        P + ": field 'description' must be a string, not a list",
    ),
    (
        W("t1: {}", "tags: x\n"),
        P + ": field 'tags' must be a list of strings, not a string",
    ),
    (W("t1: {}", "tags: [x, x]\n"), P + ": field 'tags' lists 'x' twice"),
    (
        W("t1: {}", "tags: [1]\n"),
        P + ": field 'tags[0]' must be a string, not a number",
    ),
    (W("t1: {}", "tags: ['']\n"), P + ": field 'tags[0]' must not be empty"),
    (W("t1: {}", "vars: [x]\n"), P + ": field 'vars' must be a mapping, not a list"),
    (
        W("t1: {}", "vars: {1: x}\n"),
        P + ": field 'vars' has key 1 that is not a non-empty string",
    ),
    (
        W("t1: {}", "vars: {yes: x}\n"),
        P + ": field 'vars' has key True that is not a non-empty string",
    ),
    (
        W("t1: {}", "vars: {a: {1: x}}\n"),
        P + ": field 'vars.a' has key 1 that is not a string (quote it)",
    ),
    (
        W("t1: {}", "vars: {a: !!binary aGVsbG8=}\n"),
        P + ": field 'vars.a' holds bytes, which is not a JSON value",
    ),
    (
        W("t1: {}", "vars: {a: .nan}\n"),
        P + ": field 'vars.a' holds nan, which JSON cannot represent",
    ),
    (
        W("t1: {}", "output: [!!set {a}]\n"),
        P + ": field 'output[0]' holds set, which is not a JSON value",
    ),
    (
        W("t1: {}", "input: {a: 1}\n"),
        P + ": field 'input' must be a list, not a mapping",
    ),
    (
        W("t1: {}", "input: [a, a]\n"),
        P + ": field 'input' declares parameter 'a' twice",
    ),
    (
        W("t1: {}", "input: [a, {a: 1}]\n"),
        P + ": field 'input' declares parameter 'a' twice",
    ),
    (
        W("t1: {}", "input: [{a: 1, b: 2}]\n"),
        P
        + ": field 'input[0]' must be a parameter name or a one-key mapping 'name: default'",
    ),
    (
        W("t1: {}", "input: [[a]]\n"),
        P + ": field 'input[0]' must be a parameter name or a one-key mapping",
    ),
    (
        W("t1: {}", "input: [{1: a}]\n"),
        P + ": field 'input[0]' has a parameter name 1 that is not a string",
    ),
    (W("t1: {}", "input: ['']\n"), P + ": field 'input' has an empty parameter name"),
    (
        W("t1: {}", "input: [__execution]\n"),
        P + ": input parameter '__execution' is reserved",
    ),
    (W("1: {}"), P + ": task name 1 must be a non-empty string"),
    (
        W("x" * 256 + ": {}"),
        P + ": task name '" + "x" * 20 + "...' is longer than 255 characters",
    ),
    (
        W("t1: {on-success: t2}\nt2: {on-success: t1}\n"),
        P + ": no start task: every task is the target of a transition",
    ),
]

TASK_ERRORS = [
    (W("t1: [a]"), T1 + ": the task must be a mapping, not a list"),
    (W("t1: {foo: 1}"), T1 + ": unknown field 'foo'"),
    (W("t1: {type: action}"), T1 + ": unknown field 'type'"),
    (
        W("t1: {action: a, workflow: b}"),
        T1 + ": a task cannot have both 'action' and 'workflow'",
    ),
    (W("t1: {action: 1}"), T1 + ": field 'action' must be a string, not a number"),
    (W("t1: {action: ''}"), T1 + ": field 'action' must not be empty"),
    (
        W("t1: {action: std.echo Hello}"),
        T1 + ": field 'action' is invalid: expected 'name=value' at 'Hello'",
    ),
    (
        W("t1: {workflow: 'sub a=\"x'}"),
        T1 + ": field 'workflow' is invalid: unterminated quoted string",
    ),
    (
        W("t1: {action: 'url=x'}"),
        T1 + ": field 'action' is invalid: 'url=x' is not a valid name",
    ),
    (W("t1: {input: x}"), T1 + ": field 'input' must be a mapping or an expression"),
    (W("t1: {input: [x]}"), T1 + ": field 'input' must be a mapping, not a list"),
    (
        W("t1: {action: std.echo output=1, input: '<% $.x %>'}"),
        T1
        + ": field 'input' cannot be an expression when 'action' has inline parameters",
    ),
    (W("t1: {publish: [x]}"), T1 + ": field 'publish' must be a mapping, not a list"),
    (
        W("t1: {publish-on-error: x}"),
        T1 + ": field 'publish-on-error' must be a mapping, not a string",
    ),
    (
        W("t1: {publish: {1: x}}"),
        T1 + ": field 'publish' has key 1 that is not a non-empty string",
    ),
    (
        W("t1: {with-items: 3}"),
        T1 + ": field 'with-items' must be a string or a non-empty list of strings",
    ),
    (
        W("t1: {with-items: []}"),
        T1 + ": field 'with-items' must be a string or a non-empty list of strings",
    ),
    (W("t1: {with-items: [1]}"), T1 + ": field 'with-items[0]' must be a string"),
    (
        W("t1: {with-items: x from y}"),
        T1
        + ": field 'with-items' is invalid: 'x from y' must look like 'var in <% $.list %>'",
    ),
    (
        W("t1: {with-items: x in $.xs}"),
        T1
        + ": field 'with-items' is invalid: '$.xs' must be an expression or a JSON list after 'in'",
    ),
    (
        W("t1: {with-items: 'x in [1,'}"),
        T1 + ": field 'with-items' is invalid: '[1,' is not a JSON list",
    ),
    (
        W("t1: {with-items: ['x in [1]', 'x in [2]']}"),
        T1 + ": field 'with-items' uses variable 'x' twice",
    ),
    (W("t1: {retry: 3}"), T1 + ": field 'retry' must be a mapping, not a number"),
    (
        W("t1: {retry: 'count=3 delay'}"),
        T1 + ": field 'retry' is invalid: expected 'name=value' at 'delay'",
    ),
    (W("t1: {retry: {count: 3}}"), T1 + ": field 'retry.delay' is required"),
    (W("t1: {retry: 'delay=1'}"), T1 + ": field 'retry.count' is required"),
    (
        W("t1: {retry: {count: 3, delay: 1, tries: 2}}"),
        T1 + ": field 'retry' has unknown key 'tries'",
    ),
    (
        W("t1: {retry: {count: x, delay: 1}}"),
        T1 + ": field 'retry.count' must be an integer or an expression",
    ),
    (
        W("t1: {retry: {count: 1, delay: -1}}"),
        T1 + ": field 'retry.delay' must be an integer >= 0 or an expression, not -1",
    ),
    (
        W("t1: {retry: {count: 1.5, delay: 1}}"),
        T1 + ": field 'retry.count' must be an integer or an expression",
    ),
    (
        W("t1: {retry: {count: true, delay: 1}}"),
        T1 + ": field 'retry.count' must be an integer or an expression",
    ),
    (
        W("t1: {retry: {count: 1, delay: 1, break-on: true}}"),
        T1 + ": field 'retry.break-on' must be an expression",
    ),
    (
        W("t1: {retry: {count: 1, delay: 1, continue-on: x}}"),
        T1 + ": field 'retry.continue-on' must be an expression",
    ),
    (
        W("t1: {wait-before: x}"),
        T1 + ": field 'wait-before' must be an integer or an expression",
    ),
    (
        W("t1: {wait-after: '5'}"),
        T1 + ": field 'wait-after' must be an integer or an expression",
    ),
    (
        W("t1: {timeout: -1}"),
        T1 + ": field 'timeout' must be an integer >= 0 or an expression, not -1",
    ),
    (
        W("t1: {concurrency: [1]}"),
        T1 + ": field 'concurrency' must be an integer or an expression",
    ),
    (
        W("t1: {pause-before: 1}"),
        T1 + ": field 'pause-before' must be a boolean or an expression",
    ),
    (
        W("t1: {keep-result: 'no'}"),
        T1 + ": field 'keep-result' must be a boolean or an expression",
    ),
    (
        W("t1: {safe-rerun: x}"),
        T1 + ": field 'safe-rerun' must be a boolean or an expression",
    ),
    (
        W("t1: {fail-on: x}"),
        T1 + ": field 'fail-on' must be a boolean or an expression",
    ),
    (W("t1: {target: 1}"), T1 + ": field 'target' must be a string, not a number"),
    (W("t1: {tags: [a, a]}"), T1 + ": field 'tags' lists 'a' twice"),
    (
        W("t1: {description: 1}"),
        T1 + ": field 'description' must be a string, not a number",
    ),
    (
        W("t1: {join: all}"),
        T1 + ": 'join: all' needs at least 1 inbound task(s), found 0",
    ),
    (
        W("t0: {on-success: t1}\nt1: {join: 2}"),
        T1 + ": 'join: 2' needs at least 2 inbound task(s), found 1",
    ),
    (
        W("t1: {join: 0}"),
        T1 + ": field 'join' must be 'all', 'one' or a positive integer",
    ),
    (
        W("t1: {join: some}"),
        T1 + ": field 'join' must be 'all', 'one' or a positive integer",
    ),
    (
        W("t0: {{on-success: {}}}\n{}: {{join: all}}".format("j" * 209, "j" * 209)),
        "the name of a task with 'join' must not exceed 208 characters",
    ),
    (
        W("t1: {requires: [t2]}\nt2: {}"),
        T1 + ": field 'requires' is only allowed in reverse workflows",
    ),
    (
        R("t1: {on-success: t2}\nt2: {}"),
        T1 + ": field 'on-success' is only allowed in direct workflows",
    ),
    (R("t1: {join: all}"), T1 + ": field 'join' is only allowed in direct workflows"),
    (R("t1: {requires: [t9]}"), T1 + ": 'requires' refers to unknown task 't9'"),
    (R("t1: {requires: fail}"), T1 + ": 'requires' refers to unknown task 'fail'"),
    (R("t1: {requires: t1}"), T1 + ": 'requires' refers to the task itself"),
    (R("t1: {requires: [t2, t2]}\nt2: {}"), T1 + ": field 'requires' lists 't2' twice"),
    (
        R("t1: {requires: {t2: 1}}\nt2: {}"),
        T1 + ": field 'requires' must be a string or a list of strings, not a mapping",
    ),
    (
        R("t0: {}\nt1: {requires: t2}\nt2: {requires: t3}\nt3: {requires: [t0, t1]}"),
        P + ": tasks require each other in a cycle: 't1' -> 't2' -> 't3' -> 't1'",
    ),
]

TRANSITION_ERRORS = [
    (W("t1: {on-success: t9}"), T1 + ": 'on-success' refers to unknown task 't9'"),
    (W("t1: {on-error: [t9]}"), T1 + ": 'on-error' refers to unknown task 't9'"),
    (
        W("t1: {on-complete: {next: t9}}"),
        T1 + ": 'on-complete' refers to unknown task 't9'",
    ),
    (
        W("t1: {on-skip: [t9: '<% $.x %>']}"),
        T1 + ": 'on-skip' refers to unknown task 't9'",
    ),
    (
        W("t1: {on-success: []}"),
        T1
        + ": field 'on-success' must be a task name, a list of task names or a mapping with 'next' and/or 'publish'",
    ),
    (
        W("t1: {on-success: 3}"),
        T1 + ": field 'on-success' must be a task name, a list of task names",
    ),
    (
        W("t1: {on-success: [[t2]]}\nt2: {}"),
        T1
        + ": field 'on-success' entries must be a task name or 'task: <% condition %>'",
    ),
    (
        W("t1: {on-success: [t2: 'x > 1']}\nt2: {}"),
        T1 + ": field 'on-success' has a condition for 't2' that is not an expression",
    ),
    (
        W("t1: {on-success: [t2: true]}\nt2: {}"),
        T1 + ": field 'on-success' has a condition for 't2' that is not an expression",
    ),
    (
        W("t1: {on-success: [{1: '<% 1 %>'}]}"),
        T1 + ": field 'on-success' has a target 1 that is not a string",
    ),
    (
        W("t1: {on-success: '<% $.next %>'}"),
        T1 + ": field 'on-success' is invalid: '<% $.next %>' is an expression",
    ),
    (
        W("t1: {on-success: 't2 x=1'}\nt2: {}"),
        T1 + ": field 'on-success' gives parameters to 't2'; only engine commands",
    ),
    (
        W("t1: {on-success: [t2, t2]}\nt2: {}"),
        T1 + ": field 'on-success' lists 't2' twice",
    ),
    (
        W("t1: {on-success: {next: t2, foo: 1}}\nt2: {}"),
        T1 + ": field 'on-success' has unknown key 'foo'",
    ),
    (
        W("t1: {on-success: {publish: {a: 1}}}"),
        T1 + ": field 'on-success.publish' has unknown key 'a'",
    ),
    (
        W("t1: {on-success: {publish: [a]}}"),
        T1 + ": field 'on-success.publish' must be a mapping, not a list",
    ),
    (
        W("t1: {on-error: {publish: {branch: [a]}}}"),
        T1 + ": field 'on-error.publish.branch' must be a mapping, not a list",
    ),
    (
        W("t1: {on-error: {next: [3]}}"),
        T1 + ": field 'on-error.next' entries must be a task name",
    ),
]

DEFAULTS_ERRORS = [
    (
        W("t1: {}", "task-defaults: [x]\n"),
        TD + ": the task-defaults must be a mapping, not a list",
    ),
    (
        W("t1: {}", "task-defaults: {description: x}\n"),
        TD + ": unknown field 'description'",
    ),
    (W("t1: {}", "task-defaults: {action: x}\n"), TD + ": unknown field 'action'"),
    (
        W("t1: {}", "task-defaults: {requires: [t1]}\n"),
        TD + ": field 'requires' is only allowed in reverse workflows",
    ),
    (
        R("t1: {}", "task-defaults: {on-error: [t1]}\n"),
        TD + ": field 'on-error' is only allowed in direct workflows",
    ),
    (
        W("t1: {}", "task-defaults: {on-error: [t9]}\n"),
        TD + ": 'on-error' refers to unknown task 't9'",
    ),
    (
        R("t1: {}", "task-defaults: {requires: t9}\n"),
        TD + ": 'requires' refers to unknown task 't9'",
    ),
    (
        W("t1: {}", "task-defaults: {retry: {count: 1}}\n"),
        TD + ": field 'retry.delay' is required",
    ),
    (
        W("t1: {}", "task-defaults: {timeout: x}\n"),
        TD + ": field 'timeout' must be an integer or an expression",
    ),
]


@pytest.mark.parametrize(
    "text, message",
    DOCUMENT_ERRORS
    + WORKFLOW_ERRORS
    + TASK_ERRORS
    + TRANSITION_ERRORS
    + DEFAULTS_ERRORS,
)
def test_errors(text, message):
    got = error_of(text)
    assert got.startswith(message) or message in got, got


@pytest.mark.parametrize(
    "text, message",
    [
        ("version: '2.0'\nwf:\n  tasks: {a: 1\n", "Definition could not be parsed: "),
        ("version: '2.0'\nwf: {tasks: {t: {}}}\n  x: 1\n", ", line 3, column 3"),
        (
            "version: '2.0'\nwf:\n  tasks:\n    t: {}\n    t: {}\n",
            "found duplicate key 't', line 5, column 5",
        ),
        (
            "version: '2.0'\nwf: {tasks: {t: {action: a, action: b}}}\n",
            "found duplicate key 'action'",
        ),
        ("version: '2.0'\nwf: {tasks: {t: {[a]: 1}}}\n", "found an unhashable key"),
    ],
)
def test_yaml_errors(text, message):
    with pytest.raises(exc.DSLParsingException) as e:
        lang.parse_workflows(text)
    assert str(e.value).startswith("Definition could not be parsed: ")
    assert message in str(e.value)


def test_errors_are_400_and_rebuildable_from_message():
    with pytest.raises(exc.InvalidModelException) as e:
        lang.parse_workflows(W("t1: {on-success: t9}"))
    assert e.value.code == 400
    rebuilt = type(e.value)(*e.value.args)
    assert str(rebuilt) == str(e.value)


def test_workbook_workflow_errors_name_the_workbook():
    text = "version: '2.0'\nname: wb\nworkflows:\n  wf:\n    tasks:\n      t1: {on-success: t9}\n"
    assert error_of(text, lang.parse_workbook) == (
        "Invalid workbook 'wb', workflow 'wf', task 't1': 'on-success' refers to unknown task 't9'"
    )
