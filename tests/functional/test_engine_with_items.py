"""with-items: several lists, concurrency, an empty list, failing items."""

import json

from engine_support import action_executions, define, output, result, run, wait_actions
from functional_support import wait_for


def test_several_lists_are_zipped(api):
    define(
        api,
        """
version: '2.0'
zipped:
  input: [names, ages]
  tasks:
    each:
      with-items:
        - name in <% $.names %>
        - age in <% $.ages %>
        - tag in ["a", "b", "c"]
      action: std.echo output="<% $.name %> is <% $.age %> (<% $.tag %>)"
      publish:
        lines: <% task().result %>
  output:
    lines: <% $.lines %>
""",
    )
    ex = run(api, "zipped", {"names": ["ann", "bob", "cy"], "ages": [1, 2, 3]})
    assert output(ex) == {"lines": ["ann is 1 (a)", "bob is 2 (b)", "cy is 3 (c)"]}


def test_lists_of_different_lengths_fail_the_task(api):
    define(
        api,
        """
version: '2.0'
uneven:
  tasks:
    each:
      with-items:
        - x in [1, 2]
        - y in [1]
      action: std.noop
""",
    )
    ex = run(api, "uneven", expect=("ERROR",))
    assert "with-items" in api.tasks(ex["id"])["each"]["state_info"]


def test_with_items_source_not_a_list_fails_the_task(api):
    define(
        api,
        """
version: '2.0'
not_a_list:
  tasks:
    each:
      with-items: x in <% 5 %>
      action: std.noop
""",
    )
    ex = run(api, "not_a_list", expect=("ERROR",))
    info = api.tasks(ex["id"])["each"]["state_info"]
    assert "each" in info and "list" in info


def test_empty_list_succeeds_with_empty_result(api):
    define(
        api,
        """
version: '2.0'
empty_items:
  tasks:
    each:
      with-items: x in <% [] %>
      action: std.echo output=<% $.x %>
      publish:
        out: <% task().result %>
      on-success: after
    after:
      action: std.noop
  output:
    out: <% $.out %>
""",
    )
    ex = run(api, "empty_items")
    assert output(ex) == {"out": []}
    tasks = api.tasks(ex["id"])
    assert action_executions(api, tasks["each"]["id"]) == []
    assert tasks["after"]["state"] == "SUCCESS"


def test_concurrency_limits_running_items(api):
    define(
        api,
        """
version: '2.0'
limited:
  tasks:
    each:
      with-items: x in [0, 1, 2, 3, 4]
      concurrency: 2
      action: std.async_noop
      publish:
        out: <% task().result %>
  output:
    out: <% $.out %>
""",
    )
    ex = api.start("limited")
    completed = 0
    while completed < 5:
        running = wait_actions(api, ex["id"], "each", count=min(2, 5 - completed))
        assert len(running) <= 2
        act = running[0]
        r = api.put("/v2/action_executions/%s" % act["id"], {"state": "SUCCESS", "output": json.dumps("r%s" % act["id"][:4])})
        assert r.status_code == 200, r.text
        completed += 1
        wait_for(
            lambda n=completed: sum(1 for a in action_executions(api, api.tasks(ex["id"])["each"]["id"]) if a["state"] == "SUCCESS") == n,
            what="%d items done" % completed,
        )
    ex = api.wait_state(ex["id"], "SUCCESS")
    acts = action_executions(api, api.tasks(ex["id"])["each"]["id"])
    assert len(acts) == 5
    assert len(output(ex)["out"]) == 5


def test_item_input_error_fails_the_task_before_any_item_runs(api):
    define(
        api,
        """
version: '2.0'
one_fails:
  tasks:
    each:
      with-items: x in [1, 2, 3]
      action: std.echo output=<% 10 / ($.x - 2) %>
      on-error: [report]
    report:
      action: std.echo output=<% task(each).state_info %>
      publish: {info: <% task().result %>}
  output:
    info: <% $.info %>
""",
    )
    ex = run(api, "one_fails")
    tasks = api.tasks(ex["id"])
    # Item 2 divides by zero: its input can not be evaluated, no item runs.
    assert tasks["each"]["state"] == "ERROR"
    assert "'input'" in tasks["each"]["state_info"]
    assert output(ex)["info"] == tasks["each"]["state_info"]
    assert action_executions(api, tasks["each"]["id"]) == []


def test_failing_action_item_fails_the_task(api):
    define(
        api,
        """
version: '2.0'
action_fails:
  tasks:
    each:
      with-items: x in ["ok", "bad", "ok"]
      concurrency: 1
      action: std.echo output=<% $.x %>
      publish:
        never: set
      publish-on-error:
        partial: <% task().result %>
      on-success: [next]
    next:
      action: std.noop
""".replace("action: std.echo output=<% $.x %>", "action: std.fail error_data=<% $.x %>"),
    )
    ex = run(api, "action_fails", expect=("ERROR",))
    task = api.tasks(ex["id"])["each"]
    assert task["state"] == "ERROR"
    assert "items failed" in task["state_info"]
    assert "next" not in api.tasks(ex["id"])
    assert json.loads(task["published"]) == {"partial": ["ok", "bad", "ok"]}
    assert result(task) == ["ok", "bad", "ok"]


def test_with_items_of_a_sub_workflow(api):
    define(
        api,
        """
version: '2.0'
items_parent:
  tasks:
    each:
      with-items: n in [1, 2, 3]
      workflow: square
      input:
        n: <% $.n %>
      publish:
        squares: <% task().result.select($.sq) %>
  output:
    squares: <% $.squares %>
square:
  input: [n]
  tasks:
    t:
      action: std.echo output=<% $.n * $.n %>
      publish: {sq: <% task().result %>}
  output:
    sq: <% $.sq %>
""",
    )
    ex = run(api, "items_parent", expect=("SUCCESS", "ERROR"))
    assert ex["state"] == "SUCCESS", ex["state_info"]
    assert output(ex) == {"squares": [1, 4, 9]}


ITEM_CHILD_FAILS = """
version: '2.0'
items_fail:
  input: [ns]
  tasks:
    each:
      with-items: n in <% $.ns %>
      concurrency: <% $.conc %>
      workflow: checks
      input:
        n: <% $.n %>
  vars:
    conc: 2
checks:
  input: [n]
  vars:
    inv: <% 6 / ($.n - 2) %>
  tasks:
    t:
      action: std.echo output=<% $.inv %>
      publish: {inv: <% task().result %>}
  output:
    inv: <% $.inv %>
"""


def test_with_items_sub_workflow_failing_at_start(api):
    define(api, ITEM_CHILD_FAILS)
    ex = run(api, "items_fail", {"ns": [1, 2, 3, 2]}, expect=("ERROR",))
    task = api.tasks(ex["id"])["each"]
    assert task["state"] == "ERROR"
    assert "2 of 4 items failed" in task["state_info"]
    subs = api.get("/v2/tasks/%s/workflow_executions" % task["id"]).json()["executions"]
    assert sorted(json.loads(s["params"])["index"] for s in subs) == [0, 1, 2, 3]
    assert sorted(s["state"] for s in subs) == ["ERROR", "ERROR", "SUCCESS", "SUCCESS"]
    ok = run(api, "items_fail", {"ns": [0, 1, 3, 4]})
    assert result(api.tasks(ok["id"])["each"]) == [{"inv": -3}, {"inv": -6}, {"inv": 6}, {"inv": 3}]


def _rerun(api, task_id, **body):
    r = api.put("/v2/tasks/%s" % task_id, dict({"state": "RUNNING"}, **body))
    assert r.status_code == 200, r.text
    return r.json()


def test_rerun_of_failed_sub_workflow_items_only(api):
    define(api, ITEM_CHILD_FAILS.replace("n: <% $.n %>", "n: <% $.n + env().shift %>"))
    ex = run(api, "items_fail", {"ns": [0, 2, 4]}, env={"shift": 0}, expect=("ERROR",))
    task = api.tasks(ex["id"])["each"]
    assert "1 of 3 items failed" in task["state_info"]
    _rerun(api, task["id"], reset=False, env=json.dumps({"shift": 10}))
    ex = api.wait_state(ex["id"], "SUCCESS")
    task = api.tasks(ex["id"])["each"]
    # Items 0 and 2 kept their results (shift 0); item 1 ran again with shift 10.
    assert result(task) == [{"inv": -3}, {"inv": 0}, {"inv": 3}]  # YAQL divides integers
    subs = api.get("/v2/tasks/%s/workflow_executions" % task["id"]).json()["executions"]
    assert sorted(json.loads(s["params"])["index"] for s in subs) == [0, 1, 1, 2]


def test_rerun_of_items_whose_input_failed(api):
    define(
        api,
        """
version: '2.0'
input_fails:
  tasks:
    each:
      with-items: x in [1, 2]
      action: std.echo output=<% 10 / ($.x - env().bad) %>
      publish: {out: <% task().result %>}
  output:
    out: <% $.out %>
""",
    )
    ex = run(api, "input_fails", env={"bad": 2}, expect=("ERROR",))
    task = api.tasks(ex["id"])["each"]
    _rerun(api, task["id"], reset=False, env=json.dumps({"bad": 0}))
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"out": [10.0, 5.0]}
