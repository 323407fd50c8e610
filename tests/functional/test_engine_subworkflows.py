"""Sub-workflows nested three levels deep: input and output, env seen from
every level, failure propagating to the root, and the sub-resources that
show the tree."""

import json

from engine_support import define, output, run, sub_executions
from functional_support import load_workflow


def _tree(api, ex_id):
    """[(level, execution)] of the whole tree below ``ex_id`` (root first)."""
    out = [(1, api.execution(ex_id))]
    i = 0
    while i < len(out):
        level, ex = out[i]
        for task in api.task_list(ex["id"]):
            if task["type"] == "WORKFLOW":
                out.extend((level + 1, sub) for sub in sub_executions(api, task["id"]))
        i += 1
    return out


def test_three_levels_pass_input_and_output_and_see_root_env(api):
    define(api, load_workflow("nested_levels"))
    ex = run(api, "level1", env={"marker": 2})
    assert output(ex) == {
        "from2": {"value": 43, "deepest": {"value": 42, "parent_task": None}},
        "root_env": 2,
    }
    tree = _tree(api, ex["id"])
    assert [(lvl, e["workflow_name"], e["state"]) for lvl, e in tree] == [
        (1, "level1", "SUCCESS"),
        (2, "level2", "SUCCESS"),
        (3, "level3", "SUCCESS"),
    ]
    for _, sub in tree[1:]:
        assert sub["root_execution_id"] == ex["id"]
        assert sub["task_execution_id"]
        assert json.loads(sub["params"])["env"] == {}
    assert json.loads(tree[2][1]["input"]) == {"fail_at": "none", "hold": False}


def test_failure_three_levels_deep_propagates_to_the_root(api):
    define(api, load_workflow("nested_levels"))
    ex = run(api, "level1", {"fail_at": "level3"}, expect=("ERROR",))
    tree = _tree(api, ex["id"])
    assert [e["state"] for _, e in tree] == ["ERROR", "ERROR", "ERROR"]
    deepest = tree[2][1]
    assert "boom" in deepest["state_info"] and "level3 exploded" in deepest["state_info"]
    # Each level's failed task carries the child's reason up.
    assert "level3 exploded" in api.tasks(tree[1][1]["id"])["call3"]["state_info"]
    assert "level3 exploded" in api.tasks(ex["id"])["call2"]["state_info"]
    assert "call2" in ex["state_info"]
    assert "level3 exploded" in output(ex)["error2"]
    assert "after3" not in api.tasks(tree[1][1]["id"])


def test_sub_workflow_input_errors_fail_the_task(api):
    define(
        api,
        """
version: '2.0'
bad_call:
  tasks:
    missing_input:
      workflow: needs_x
    unknown_wf:
      workflow: no_such_workflow
needs_x:
  input: [x]
  tasks:
    t:
      action: std.noop
""",
    )
    ex = run(api, "bad_call", expect=("ERROR",))
    tasks = api.tasks(ex["id"])
    assert "x" in tasks["missing_input"]["state_info"]
    assert "no_such_workflow" in tasks["unknown_wf"]["state_info"]
    assert sub_executions(api, tasks["missing_input"]["id"]) == []


def test_sub_workflow_name_from_an_expression(api):
    define(
        api,
        """
version: '2.0'
dynamic:
  input: [which]
  tasks:
    call:
      workflow: <% $.which %>
      publish: {got: <% task().result.v %>}
  output:
    got: <% $.got %>
child_a:
  tasks:
    t:
      action: std.echo output=a
      publish: {v: <% task().result %>}
  output:
    v: <% $.v %>
""",
    )
    assert output(run(api, "dynamic", {"which": "child_a"})) == {"got": "a"}


def test_task_and_action_sub_resources(api):
    define(api, load_workflow("nested_levels"))
    ex = run(api, "level1")
    call2 = api.tasks(ex["id"])["call2"]
    assert call2["type"] == "WORKFLOW"
    assert api.get("/v2/tasks/%s/action_executions" % call2["id"]).json()["action_executions"] == []
    subs = sub_executions(api, call2["id"])
    assert [s["workflow_name"] for s in subs] == ["level2"]
    level3 = sub_executions(api, api.tasks(subs[0]["id"])["call3"]["id"])[0]
    work = api.tasks(level3["id"])["work"]
    acts = api.get("/v2/tasks/%s/action_executions" % work["id"]).json()["action_executions"]
    assert [(a["name"], a["state"], a["task_execution_id"]) for a in acts] == [("std.echo", "SUCCESS", work["id"])]
    assert json.loads(acts[0]["output"]) == {"result": 40}
    assert api.get("/v2/tasks/%s/workflow_executions" % work["id"]).json()["executions"] == []
    for path in ("/v2/tasks/nope/action_executions", "/v2/tasks/nope/workflow_executions", "/v2/executions/nope/tasks"):
        assert api.get(path).status_code == 404, path
