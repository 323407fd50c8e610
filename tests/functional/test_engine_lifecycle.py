"""Pause, resume (without env), cancel and fail of executions through
PUT /v2/executions/<id>, cascading through sub-workflows; DELETE of
executions."""

import json

from engine_support import define, fault, output, put_execution, sub_executions, wait_actions
from functional_support import load_workflow, wait_for


def _start_held(api):
    """level1 -> level2 -> level3 whose 'hold' task waits on an async action."""
    define(api, load_workflow("nested_levels"))
    ex = api.start("level1", {"hold": True})
    tree = _wait_tree(api, ex["id"])
    hold = wait_actions(api, tree[2]["id"], "hold")[0]
    return ex, tree, hold


def _wait_tree(api, root_id):
    def _found():
        chain = [api.execution(root_id)]
        for name in ("call2", "call3"):
            task = api.tasks(chain[-1]["id"]).get(name)
            subs = sub_executions(api, task["id"]) if task else []
            if not subs:
                return None
            chain.append(subs[0])
        return chain

    return wait_for(_found, what="three levels running")


def _states(api, tree):
    return [api.execution(e["id"])["state"] for e in tree]


def _complete(api, action_id, value="done"):
    return api.put("/v2/action_executions/%s" % action_id, {"state": "SUCCESS", "output": json.dumps(value)})


def test_pause_cascades_and_resume_continues(api):
    ex, tree, hold = _start_held(api)
    r = put_execution(api, ex["id"], state="PAUSED")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "PAUSED"
    assert _states(api, tree) == ["PAUSED", "PAUSED", "PAUSED"]
    # Pausing again is a no-op.
    assert put_execution(api, ex["id"], state="PAUSED").status_code == 200
    # The running action may still finish; the paused workflow holds its transitions.
    assert _complete(api, hold["id"]).status_code == 200
    api.wait_task_state(tree[2]["id"], "hold", "SUCCESS")
    assert _states(api, tree) == ["PAUSED", "PAUSED", "PAUSED"]
    # A sub-workflow can not be resumed on its own while its parent is paused.
    fault(put_execution(api, tree[2]["id"], state="RUNNING"), 409)
    r = put_execution(api, ex["id"], state="RUNNING")
    assert r.status_code == 200, r.text
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert ex["state_info"] is None
    assert output(ex)["from2"]["value"] == 41
    assert _states(api, tree) == ["SUCCESS", "SUCCESS", "SUCCESS"]


def test_pause_of_a_sub_workflow_then_resume_it(api):
    ex, tree, hold = _start_held(api)
    assert put_execution(api, tree[2]["id"], state="PAUSED").status_code == 200
    assert _states(api, tree) == ["RUNNING", "RUNNING", "PAUSED"]
    assert _complete(api, hold["id"]).status_code == 200
    api.wait_task_state(tree[2]["id"], "hold", "SUCCESS")
    assert api.execution(ex["id"])["state"] == "RUNNING"
    assert put_execution(api, tree[2]["id"], state="RUNNING").status_code == 200
    api.wait_state(ex["id"], "SUCCESS")


def test_cancel_cascades_to_sub_workflows_tasks_and_actions(api):
    ex, tree, hold = _start_held(api)
    r = put_execution(api, ex["id"], state="CANCELLED", state_info="no longer needed")
    assert r.status_code == 200, r.text
    ex = api.wait_state(ex["id"], "CANCELLED")
    assert _states(api, tree) == ["CANCELLED", "CANCELLED", "CANCELLED"]
    assert api.tasks(tree[2]["id"])["hold"]["state"] == "CANCELLED"
    assert api.get("/v2/action_executions/%s" % hold["id"]).json()["state"] == "CANCELLED"
    assert "no longer needed" in ex["state_info"]
    # A late result of the cancelled action changes nothing.
    r = _complete(api, hold["id"])
    assert r.status_code == 409, r.text
    assert api.execution(ex["id"])["state"] == "CANCELLED"
    # Cancelling again is a no-op; pausing a cancelled execution is refused.
    assert put_execution(api, ex["id"], state="CANCELLED").status_code == 200
    fault(put_execution(api, ex["id"], state="PAUSED"), 400)


def test_cancel_of_a_paused_execution(api):
    ex, tree, hold = _start_held(api)
    assert put_execution(api, ex["id"], state="PAUSED").status_code == 200
    assert put_execution(api, ex["id"], state="CANCELLED").status_code == 200
    api.wait_state(ex["id"], "CANCELLED")
    assert _states(api, tree) == ["CANCELLED", "CANCELLED", "CANCELLED"]


def test_fail_with_state_info_cascades(api):
    ex, tree, hold = _start_held(api)
    r = put_execution(api, ex["id"], state="ERROR", state_info="operator stopped it")
    assert r.status_code == 200, r.text
    ex = api.wait_state(ex["id"], "ERROR")
    assert ex["state_info"] == "operator stopped it"
    assert _states(api, tree) == ["ERROR", "ERROR", "ERROR"]
    assert api.tasks(tree[2]["id"])["hold"]["state"] == "ERROR"


def test_forbidden_and_invalid_state_changes(api):
    define(api, "version: '2.0'\ndone:\n  tasks:\n    t:\n      action: std.noop\n")
    ex = api.wait_state(api.start("done")["id"], "SUCCESS")
    msg = fault(put_execution(api, ex["id"], state="PAUSED"), 400)
    assert "SUCCESS" in msg and "PAUSED" in msg
    msg = fault(put_execution(api, ex["id"], state="RUNNING"), 409)
    assert "SUCCESS" in msg
    fault(put_execution(api, ex["id"], state="BOGUS"), 400)
    fault(put_execution(api, ex["id"], state="IDLE"), 400)
    fault(put_execution(api, ex["id"]), 400)
    assert put_execution(api, "no-such-id", state="PAUSED").status_code == 404
    assert api.execution(ex["id"])["state"] == "SUCCESS"


def test_resume_of_a_running_execution_is_409(api):
    ex, tree, hold = _start_held(api)
    msg = fault(put_execution(api, ex["id"], state="RUNNING"), 409)
    assert "RUNNING" in msg
    assert _complete(api, hold["id"]).status_code == 200
    api.wait_state(ex["id"], "SUCCESS")


def test_delete_executions(api):
    define(api, "version: '2.0'\nquick:\n  tasks:\n    t:\n      action: std.noop\n")
    done = api.wait_state(api.start("quick")["id"], "SUCCESS")
    r = api.delete("/v2/executions/%s" % done["id"])
    assert r.status_code == 204 and r.text == ""
    assert api.get("/v2/executions/%s" % done["id"]).status_code == 404
    assert api.get("/v2/executions/%s/tasks" % done["id"]).status_code == 404
    assert api.delete("/v2/executions/%s" % done["id"]).status_code == 404

    ex, tree, hold = _start_held(api)
    msg = fault(api.delete("/v2/executions/%s" % ex["id"]), 403)
    assert "RUNNING" in msg and "force" in msg
    assert api.execution(ex["id"])["state"] == "RUNNING"
    assert api.delete("/v2/executions/%s?force=true" % ex["id"]).status_code == 204
    assert api.get("/v2/executions/%s" % ex["id"]).status_code == 404
    # The whole tree went with it; a late action result is a 404, not a crash.
    for sub in tree[1:]:
        assert api.get("/v2/executions/%s" % sub["id"]).status_code == 404
    assert _complete(api, hold["id"]).status_code == 404
    assert api.get("/v2/executions").json()["executions"] == []
    # The engine is still healthy.
    assert api.wait_state(api.start("quick")["id"], "SUCCESS")


def test_delete_of_a_failed_execution_and_bad_force(api):
    define(api, "version: '2.0'\nboom:\n  tasks:\n    t:\n      action: std.fail\n")
    ex = api.wait_state(api.start("boom")["id"], "ERROR")
    assert api.delete("/v2/executions/%s?force=false" % ex["id"]).status_code == 204
