"""The pure navigator: transitions, engine commands, joins and the
workflow outcome, table-driven from parsed specs (no DB, no engine)."""

import pytest

from mistral import lang
from mistral.engine import navigator as nav
from mistral.engine import states as s

WF = """
version: '2.0'
wf:
  tasks:
    a:
      action: std.noop
      on-success:
        - b
        - c: <% cond_c %>
        - fail(msg="stop"): <% cond_fail %>
      on-error:
        - handler: <% cond_handler %>
        - noop: <% cond_noop %>
      on-complete:
        - always
        - pause: <% cond_pause %>
      on-skip:
        - skipped_path
    b:
      action: std.noop
      on-success: [j_all, j_one, j_two]
    c:
      action: std.noop
      on-success: [j_all, j_one, j_two]
    handler:
      action: std.noop
      on-success: [j_all, j_one, j_two]
    always:
      action: std.noop
      on-complete: succeed
    skipped_path:
      action: std.noop
    j_all:
      join: all
      action: std.noop
    j_one:
      join: one
      action: std.noop
    j_two:
      join: 2
      action: std.noop
"""


@pytest.fixture(scope="module")
def spec():
    (wf,) = lang.parse_workflows(WF)
    data = wf.to_dict()
    # A stored spec is loaded without validation: a join larger than its
    # inbound tasks (the parser refuses it) waits for all of them.
    data["tasks"].append({"name": "j_big", "join": 9})
    handler = next(t for t in data["tasks"] if t["name"] == "handler")
    handler["on_success"].append({"name": "j_big"})
    return lang.load_workflow_spec(data)


def evaluator(true_conditions):
    """Conditions are expressions like '<% cond_c %>'; those named are true."""

    def evaluate(expression):
        name = expression.strip("<%> ").strip()
        return name in true_conditions

    return evaluate


def kinds(commands):
    return [(c.kind, c.name, c.clause) for c in commands]


@pytest.mark.parametrize(
    "state, true_conditions, expected",
    [
        (
            s.SUCCESS,
            set(),
            [("run_task", "b", "on-success"), ("run_task", "always", "on-complete")],
        ),
        (
            s.SUCCESS,
            {"cond_c", "cond_fail", "cond_pause"},
            [
                ("run_task", "b", "on-success"),
                ("run_task", "c", "on-success"),
                ("fail", "fail", "on-success"),
                ("run_task", "always", "on-complete"),
                ("pause", "pause", "on-complete"),
            ],
        ),
        (s.ERROR, set(), [("run_task", "always", "on-complete")]),
        (
            s.ERROR,
            {"cond_handler", "cond_noop"},
            [
                ("run_task", "handler", "on-error"),
                ("noop", "noop", "on-error"),
                ("run_task", "always", "on-complete"),
            ],
        ),
        (
            s.SKIPPED,
            {"cond_c"},
            [
                ("run_task", "skipped_path", "on-skip"),
                ("run_task", "b", "on-success"),
                ("run_task", "c", "on-success"),
            ],
        ),
        (s.CANCELLED, {"cond_c", "cond_handler"}, []),
    ],
)
def test_next_commands(spec, state, true_conditions, expected):
    assert kinds(nav.next_commands(spec, "a", state, evaluator(true_conditions))) == expected


def test_command_params_come_from_the_transition(spec):
    commands = nav.next_commands(spec, "a", s.SUCCESS, evaluator({"cond_fail"}))
    fail = [c for c in commands if c.kind == nav.FAIL][0]
    assert fail.params == {"msg": "stop"}
    assert fail == nav.Command(nav.FAIL, "fail", {"msg": "stop"})
    assert fail != nav.Command(nav.FAIL, "fail", {"msg": "other"})
    assert "fail" in repr(fail)


def test_a_task_named_like_a_command_is_a_task(spec):
    (shadowing,) = lang.parse_workflows(
        """
version: '2.0'
shadow:
  tasks:
    first:
      action: std.noop
      on-success: [fail, succeed]
    fail:
      action: std.noop
"""
    )
    commands = nav.next_commands(shadowing, "first", s.SUCCESS, evaluator(set()))
    assert kinds(commands) == [("run_task", "fail", "on-success"), ("succeed", "succeed", "on-success")]
    assert kinds(nav.next_commands(spec, "always", s.SUCCESS, evaluator(set()))) == [("succeed", "succeed", "on-complete")]


def test_conditions_are_evaluated_in_order_and_only_for_the_clauses_that_apply(spec):
    seen = []

    def evaluate(expression):
        seen.append(expression.strip("<%> ").strip())
        return False

    nav.next_commands(spec, "a", s.SUCCESS, evaluate)
    assert seen == ["cond_c", "cond_fail", "cond_pause"]
    seen.clear()
    nav.next_commands(spec, "a", s.ERROR, evaluate)
    assert seen == ["cond_handler", "cond_noop", "cond_pause"]


def test_evaluation_errors_propagate(spec):
    def evaluate(expression):
        raise ValueError("boom")

    with pytest.raises(ValueError):
        nav.next_commands(spec, "a", s.SUCCESS, evaluate)


@pytest.mark.parametrize(
    "clauses, handled",
    [
        ([], False),
        (["on-success"], False),
        (["on-skip"], False),
        (["on-error"], True),
        (["on-complete"], True),
        (["on-success", "on-complete"], True),
    ],
)
def test_error_handled(clauses, handled):
    commands = [nav.Command(nav.RUN_TASK, "x", clause=c) for c in clauses]
    assert nav.error_handled(commands) is handled


@pytest.mark.parametrize(
    "state, clauses",
    [
        (s.SUCCESS, ["on-success", "on-complete"]),
        (s.ERROR, ["on-error", "on-complete"]),
        (s.SKIPPED, ["on-skip", "on-success"]),
        (s.CANCELLED, []),
        (s.RUNNING, []),
    ],
)
def test_clauses_for(spec, state, clauses):
    assert [c for c, _ in nav.clauses_for(spec.tasks["a"], state)] == clauses


@pytest.mark.parametrize(
    "task, arrived, status",
    [
        ("j_all", [], "wait"),
        ("j_all", ["b"], "wait"),
        ("j_all", ["b", "c"], "wait"),
        ("j_all", ["b", "c", "handler"], "run"),
        ("j_all", ["b", "b", "c"], "wait"),
        ("j_one", [], "wait"),
        ("j_one", ["c"], "run"),
        ("j_one", ["a"], "wait"),  # not an inbound task
        ("j_two", ["b"], "wait"),
        ("j_two", ["b", "handler"], "run"),
        ("j_two", ["b", "c", "handler"], "run"),
        ("j_big", [], "wait"),
        ("j_big", ["handler"], "run"),  # more than its inbound tasks: all of them
    ],
)
def test_join_status(spec, task, arrived, status):
    assert nav.join_status(spec, task, arrived) == status


@pytest.mark.parametrize(
    "task_states, unhandled, outcome",
    [
        ([s.SUCCESS, s.SUCCESS], 0, s.SUCCESS),
        ([], 0, s.SUCCESS),
        ([s.SUCCESS, s.ERROR], 0, s.SUCCESS),
        ([s.SUCCESS, s.ERROR], 1, s.ERROR),
        ([s.SUCCESS, s.SKIPPED], 0, s.SUCCESS),
        ([s.SUCCESS, s.CANCELLED], 0, s.CANCELLED),
        ([s.CANCELLED, s.ERROR], 1, s.ERROR),
    ],
)
def test_workflow_outcome(task_states, unhandled, outcome):
    assert nav.workflow_outcome(task_states, unhandled) == outcome


def test_start_tasks_and_inbound(spec):
    assert spec.start_task_names() == ["a"]
    assert spec.inbound_task_names("j_all") == ["b", "c", "handler"]
    assert spec.inbound_task_names("j_big") == ["handler"]


def test_context_cache_is_bounded_by_keys_not_entries():
    from mistral.engine.context import ContextCache

    cache = ContextCache(max_keys=100)
    for i in range(50):
        cache.put(("t%d" % i, "x"), {"k%d" % j: j for j in range(i)})
    # Each context grows with the chain; only the newest fit the budget.
    assert cache.get(("t49", "x")) is not None
    assert cache.get(("t0", "x")) is None
    assert cache._keys <= 100 + 50
