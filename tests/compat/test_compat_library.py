"""The stock python-mistralclient library (``mistralclient.api.client``)
against our server: a representative subset, success and error paths.

Each step is a small script run by the stock virtualenv's python (the
library cannot be imported here); it returns what it saw as JSON. Errors
are the library's ``APIException`` with the HTTP code (``error_of``).
"""

import json

import pytest
from compat_support import fixture_path


def _text(name):
    with open(fixture_path(name)) as f:
        return f.read()


@pytest.fixture(scope="module", autouse=True)
def workflows(lib):
    lib.run(
        """
        for text in args["texts"]:
            mistral.workflows.create(text)
        emit(None)
        """,
        texts=[_text("greet.yaml"), _text("waiter.yaml"), _text("token_chain.yaml")],
    )


def test_definitions(lib):
    seen = lib.run(
        """
        wf = mistral.workflows.get("greet")
        out = {
            "get": [wf.name, wf.namespace, wf.scope, wf.input, wf.definition == args["greet"]],
            "by_id": mistral.workflows.get(wf.id).name,
            "listed": "greet" in [w.name for w in mistral.workflows.list()],
            "updated": [w.id == wf.id for w in mistral.workflows.update(args["greet_v2"])],
            "valid": mistral.workflows.validate(args["greet_v2"]),
            "invalid": mistral.workflows.validate(args["bad_reference"]),
            "duplicate": error_of(mistral.workflows.create, args["greet"]),
            "bad_yaml": error_of(mistral.workflows.create, args["bad_syntax"]),
            "missing": error_of(mistral.workflows.get, "no_such_workflow"),
        }
        mistral.workflows.update(args["greet"])
        book = mistral.workbooks.create(args["book"])
        out["workbook"] = [book.name, sorted(w.name for w in mistral.workflows.list() if w.name.startswith(book.name + "."))]
        mistral.workbooks.delete(book.name)
        out["workbook_gone"] = error_of(mistral.workbooks.get, book.name)

        env = mistral.environments.create(name="lib_env", description="d", variables={"token": "good", "n": {"a": 1}})
        out["env"] = [env.name, env.variables]
        out["env_get"] = mistral.environments.get("lib_env").variables
        out["env_update"] = mistral.environments.update(name="lib_env", variables={"token": "rotated"}).variables
        out["env_listed"] = [e.name for e in mistral.environments.list()]
        out["env_duplicate"] = error_of(mistral.environments.create, name="lib_env", variables={})
        mistral.environments.delete("lib_env")
        out["env_gone"] = error_of(mistral.environments.get, "lib_env")

        echo = mistral.actions.get("std.echo")
        out["action"] = [echo.name, echo.is_system, echo.input]
        out["actions"] = sorted(a.name for a in mistral.actions.list() if a.name in ("std.echo", "std.http"))
        emit(out)
        """,
        greet=_text("greet.yaml"),
        greet_v2=_text("greet_v2.yaml"),
        bad_reference=_text("bad_reference.yaml"),
        bad_syntax=_text("bad_syntax.yaml"),
        book=_text("book.yaml"),
    )
    assert seen["get"] == ["greet", "", "private", 'name="World"', True]
    assert seen["by_id"] == "greet" and seen["listed"] is True
    assert seen["updated"] == [True]
    assert seen["valid"] == {"valid": True, "error": None}
    assert seen["invalid"]["valid"] is False and "missing" in seen["invalid"]["error"]
    assert seen["duplicate"][0] == 409
    assert seen["bad_yaml"][0] == 400
    assert seen["missing"][0] == 404 and "no_such_workflow" in seen["missing"][1]
    assert seen["workbook"] == ["compat_book", ["compat_book.first", "compat_book.second"]]
    assert seen["workbook_gone"][0] == 404
    assert seen["env"] == ["lib_env", {"token": "good", "n": {"a": 1}}]
    assert seen["env_get"] == {"token": "good", "n": {"a": 1}}
    assert seen["env_update"] == {"token": "rotated"}
    assert "lib_env" in seen["env_listed"]
    assert seen["env_duplicate"][0] == 409
    assert seen["env_gone"][0] == 404
    assert seen["action"] == ["std.echo", True, "output, delay=0"]
    assert seen["actions"] == ["std.echo", "std.http"]


def test_execution_inspection(lib, server):
    ex_id = lib.run(
        """
        ex = mistral.executions.create("greet", workflow_input={"name": "Lib"}, description="from the library", env={"team": "green"})
        emit(ex.id)
        """
    )
    server.wait_state(ex_id, "SUCCESS")
    seen = lib.run(
        """
        ex = mistral.executions.get(args["ex_id"])
        tasks = mistral.tasks.list(args["ex_id"])
        actions = mistral.action_executions.list(tasks[0].id)
        emit({
            "ex": [ex.state, ex.description, json.loads(ex.input), json.loads(ex.output), json.loads(ex.params)["env"]],
            "listed": args["ex_id"] in [e.id for e in mistral.executions.list(limit=100)],
            "tasks": [(t.name, t.state, json.loads(t.result), json.loads(t.published)) for t in tasks],
            "task": mistral.tasks.get(tasks[0].id).name,
            "actions": [(a.name, a.task_name, a.state, json.loads(a.output)) for a in actions],
            "action": mistral.action_executions.get(actions[0].id).task_execution_id == tasks[0].id,
        })
        """,
        ex_id=ex_id,
    )
    assert seen["ex"] == ["SUCCESS", "from the library", {"name": "Lib"}, {"greeting": "Hello Lib", "team": "green"}, {"team": "green"}]
    assert seen["listed"] is True
    assert seen["tasks"] == [["hello", "SUCCESS", "Hello Lib", {"greeting": "Hello Lib", "team": "green"}]]
    assert seen["task"] == "hello"
    assert seen["actions"] == [["std.echo", "hello", "SUCCESS", {"result": "Hello Lib"}]]
    assert seen["action"] is True


def test_update_env_and_rerun(lib, server, endpoint):
    ex_id = lib.run(
        """
        emit(mistral.executions.create("token_chain", env={"url": args["url"], "token": "expired"}).id)
        """,
        url=endpoint.url,
    )
    server.wait_state(ex_id, "ERROR")
    seen = lib.run(
        """
        call = [t for t in mistral.tasks.list(args["ex_id"]) if t.name == "call"][0]
        updated = mistral.executions.update(args["ex_id"], None, env={"token": "still-expired", "extra": 1})
        rerun = mistral.tasks.rerun(call.id, reset=True, env={"token": "good"})
        emit({"updated": updated.state, "rerun": [rerun.id == call.id, rerun.state]})
        """,
        ex_id=ex_id,
    )
    assert seen == {"updated": "ERROR", "rerun": [True, "RUNNING"]}
    ex = server.wait_state(ex_id, "SUCCESS")
    assert json.loads(ex["params"])["env"] == {"url": endpoint.url, "token": "good", "extra": 1}
    assert json.loads(ex["output"])["after_token"] == "good"


def test_pause_resume_with_env_and_complete_action(lib, server):
    ex_id = lib.run(
        """
        emit(mistral.executions.create("waiter", env={"token": "t0", "nested": {"region": "north"}}).id)
        """
    )
    task = server.wait_task_state(ex_id, "wait", "RUNNING")
    seen = lib.run(
        """
        ex_id = args["ex_id"]
        out = {"delete_running": error_of(mistral.executions.delete, ex_id)}
        out["paused"] = mistral.executions.update(ex_id, "PAUSED").state
        # Resume and change env in one request (state RUNNING with params.env).
        out["resumed"] = mistral.executions.update(ex_id, "RUNNING", env={"token": "t1"}).state
        action = mistral.action_executions.list(args["task_id"])[0]
        done = mistral.action_executions.update(action.id, "SUCCESS", output={"done": True})
        out["action"] = [done.state, done.task_name]
        emit(out)
        """,
        ex_id=ex_id,
        task_id=task["id"],
    )
    assert seen["delete_running"][0] == 403
    assert (seen["paused"], seen["resumed"]) == ("PAUSED", "RUNNING")
    assert seen["action"] == ["SUCCESS", "wait"]
    ex = server.wait_state(ex_id, "SUCCESS")
    assert json.loads(ex["output"]) == {"seen_token": "t1", "seen_region": "north", "waited": {"done": True}}
    assert lib.run("mistral.executions.delete(args['ex_id']); emit(error_of(mistral.executions.get, args['ex_id']))", ex_id=ex_id)[0] == 404


def test_execution_errors(lib, server):
    ex_id = lib.run("""emit(mistral.executions.create("greet", env={"team": "x"}).id)""")
    server.wait_state(ex_id, "SUCCESS")
    seen = lib.run(
        """
        ex_id = args["ex_id"]
        task_id = mistral.tasks.list(ex_id)[0].id
        emit({
            "unknown_workflow": error_of(mistral.executions.create, "no_such_workflow"),
            "unknown_execution": error_of(mistral.executions.get, "no-such-id"),
            "unknown_task": error_of(mistral.tasks.rerun, "no-such-id"),
            "rerun_success": error_of(mistral.tasks.rerun, task_id),
            "resume_finished": error_of(mistral.executions.update, ex_id, "RUNNING"),
            "pause_finished": error_of(mistral.executions.update, ex_id, "PAUSED"),
            "env_finished": error_of(mistral.executions.update, ex_id, None, env={"team": "y"}),
        })
        """,
        ex_id=ex_id,
    )
    assert {k: v[0] for k, v in seen.items()} == {
        "unknown_workflow": 404,
        "unknown_execution": 404,
        "unknown_task": 404,
        "rerun_success": 400,
        "resume_finished": 409,
        "pause_finished": 400,
        "env_finished": 403,
    }
    assert all(message for _, message in seen.values())
