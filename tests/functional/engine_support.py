"""Helpers of the engine's functional tests (test_engine_*.py)."""

import json

from functional_support import wait_for


def define(api, text):
    """Create the workflows of ``text``; returns their names."""
    return [w["name"] for w in api.create_workflow(text)]


def start(api, wf_name, wf_input=None, description=None, **params):
    """POST /v2/executions as the stock client does (JSON strings)."""
    body = {"workflow_name": wf_name, "input": json.dumps(wf_input or {}), "params": json.dumps(params)}
    if description is not None:
        body["description"] = description
    r = api.post("/v2/executions", body)
    assert r.status_code == 201, r.text
    return r.json()


def run(api, wf_name, wf_input=None, expect=("SUCCESS",), **params):
    """Start ``wf_name`` and wait until the execution is in one of ``expect``."""
    ex = start(api, wf_name, wf_input, **params)
    return api.wait_state(ex["id"], *expect)


def output(ex):
    return json.loads(ex["output"])


def published(task):
    return json.loads(task["published"])


def result(task):
    return json.loads(task["result"])


def advance(server, seconds):
    """Move the server's ManualClock and wake its scheduler (never sleep)."""
    server.clock.advance(seconds)
    server.scheduler.wake()


def action_executions(api, task_id):
    r = api.get("/v2/tasks/%s/action_executions" % task_id)
    assert r.status_code == 200, r.text
    return r.json()["action_executions"]


def sub_executions(api, task_id):
    r = api.get("/v2/tasks/%s/workflow_executions" % task_id)
    assert r.status_code == 200, r.text
    return r.json()["executions"]


def wait_actions(api, ex_id, task_name, count=1, state="RUNNING"):
    """Wait until task ``task_name`` has ``count`` action executions in ``state``."""

    def _found():
        task = api.tasks(ex_id).get(task_name)
        if task is None:
            return None
        acts = [a for a in action_executions(api, task["id"]) if a["state"] == state]
        return acts if len(acts) >= count else None

    return wait_for(_found, what="%d %s action(s) of task %s" % (count, state, task_name), interval=0.02)


def put_execution(api, ex_id, **body):
    return api.put("/v2/executions/%s" % ex_id, body)


def fault(response, code):
    """Assert an error response with ``code``; returns its faultstring."""
    assert response.status_code == code, (response.status_code, response.text)
    return response.json()["faultstring"]
