"""The stock ``mistral`` CLI on executions, tasks and action executions,
including the headline: changing an execution's env with
``execution-update --env`` and ``task-rerun --env``.

States are awaited by polling the API over plain HTTP (every 0.05 s): a CLI
call takes ~0.4 s. What is asserted is read back through the CLI, except
the stored env, which the CLI does not print (it is in ``params``).
"""

import json

import pytest
from compat_support import fixture_path


@pytest.fixture(scope="module", autouse=True)
def workflows(cli):
    for name in ("greet.yaml", "waiter.yaml", "token_chain.yaml"):
        cli.json("workflow-create", fixture_path(name))


def _by_name(rows):
    return {row["Name"]: row for row in rows if row["Name"]}


def _ids(rows):
    return {row["ID"] for row in rows if row["ID"]}


def _read_all(cli, *commands):
    """Run independent commands that must succeed; each one's stdout as JSON."""
    results = cli.run_all(*commands)
    for result in results:
        assert result.rc == 0, result
    return [result.json for result in results]


def test_execution_with_input_and_env_then_inspect(cli, server):
    created = cli.run("execution-create", "greet", '{"name": "Ann"}', '{"env": {"team": "blue"}}', "-d", "first run", "-f", "json")
    assert created.rc == 0 and created.status == 201, created
    ex = created.json
    assert (ex["Workflow name"], ex["Description"]) == ("greet", "first run")
    assert ex["Task Execution ID"] == "<none>"
    server.wait_state(ex["ID"], "SUCCESS")

    assert server.env_of(ex["ID"]) == {"team": "blue"}
    shown, ex_input, ex_output, listed, filtered, errors, tasks = _read_all(
        cli,
        ("execution-get", ex["ID"], "-f", "json"),
        ("execution-get-input", ex["ID"]),
        ("execution-get-output", ex["ID"]),
        ("execution-list", "-f", "json"),
        ("execution-list", "--filter", "workflow_name=greet", "--oldest", "--limit", "50", "-f", "json"),
        ("execution-list", "--filter", "state=ERROR", "-f", "json"),
        ("task-list", ex["ID"], "-f", "json"),
    )
    assert shown["State"] == "SUCCESS" and shown["Duration"] != "..."
    assert ex_input == {"name": "Ann"}
    assert ex_output == {"greeting": "Hello Ann", "team": "blue"}
    assert ex["ID"] in _ids(listed) and ex["ID"] in _ids(filtered)
    assert ex["ID"] not in _ids(errors)
    assert set(_by_name(tasks)) == {"hello"}

    task_id = _by_name(tasks)["hello"]["ID"]
    task, result, published, named, actions = _read_all(
        cli,
        ("task-get", task_id, "-f", "json"),
        ("task-get-result", task_id),
        ("task-get-published", task_id),
        ("task-list", "--filter", "name=hello", "-f", "json"),
        ("action-execution-list", task_id, "-f", "json"),
    )
    assert (task["State"], task["Workflow Execution ID"]) == ("SUCCESS", ex["ID"])
    assert result == "Hello Ann"
    assert published == {"greeting": "Hello Ann", "team": "blue"}
    assert task_id in _ids(named)
    assert [(a["Name"], a["Task name"], a["State"]) for a in actions] == [("std.echo", "hello", "SUCCESS")]

    action_id = actions[0]["ID"]
    action, action_input, action_output, succeeded = _read_all(
        cli,
        ("action-execution-get", action_id, "-f", "json"),
        ("action-execution-get-input", action_id),
        ("action-execution-get-output", action_id),
        ("action-execution-list", "--filter", "state=SUCCESS", "--limit", "50", "-f", "json"),
    )
    assert (action["Task ID"], action["Accepted"]) == (task_id, True)
    assert action_input == {"output": "Hello Ann"}
    assert action_output == {"result": "Hello Ann"}
    assert action_id in _ids(succeeded)

    # A finished execution is deleted without --force.
    assert cli.ok("execution-delete", ex["ID"]).status == 204
    cli.fails("execution-get", ex["ID"], status=404)


def test_execution_from_stored_environment(cli, server):
    created = cli.run("environment-create", fixture_path("env.json"))
    assert created.status == 201, created
    ex = cli.json("execution-create", "waiter", "{}", '{"env": "compat_env"}')
    server.wait_task_state(ex["ID"], "wait", "RUNNING")
    assert server.env_of(ex["ID"]) == {"token": "good", "nested": {"region": "north", "zone": 1}}
    cli.ok("execution-delete", ex["ID"], "--force")
    cli.ok("environment-delete", "compat_env")


def test_pause_update_env_resume_and_complete_async_action(cli, server):
    env = {"token": "t0", "nested": {"region": "north", "zone": 1}}
    ex = cli.json("execution-create", "waiter", "{}", json.dumps({"env": env}))
    ex_id = ex["ID"]
    wait_task = server.wait_task_state(ex_id, "wait", "RUNNING")

    # Not finished: deleting needs --force (403).
    refused = cli.run("execution-delete", ex_id)
    assert refused.rc != 0 and refused.status == 403, refused

    assert cli.json("execution-update", ex_id, "-s", "PAUSED")["State"] == "PAUSED"
    server.wait_state(ex_id, "PAUSED")
    updated = cli.json("execution-update", ex_id, "--env", '{"token": "t1", "nested": {"region": "south"}}')
    assert updated["State"] == "PAUSED"
    assert server.env_of(ex_id) == {"token": "t1", "nested": {"region": "south", "zone": 1}}

    assert cli.json("execution-update", ex_id, "-d", "paused for maintenance")["Description"] == "paused for maintenance"
    assert cli.json("execution-get", ex_id)["Description"] == "paused for maintenance"

    assert cli.json("execution-update", ex_id, "-s", "RUNNING")["State"] == "RUNNING"
    # While RUNNING, env changes go through a rerun: an env-only update is 403.
    cli.fails("execution-update", ex_id, "--env", '{"token": "t2"}', status=403)

    action = cli.json("action-execution-list", wait_task["id"])
    assert [(a["Name"], a["State"]) for a in action] == [("std.async_noop", "RUNNING")]
    done = cli.json("action-execution-update", action[0]["ID"], "--state", "SUCCESS", "--output", '{"answer": 42}')
    assert (done["State"], done["Task name"]) == ("SUCCESS", "wait")
    cli.fails("action-execution-update", action[0]["ID"], "--state", "ERROR", status=409)

    server.wait_state(ex_id, "SUCCESS")
    output = json.loads(cli.ok("execution-get-output", ex_id).stdout)
    assert output == {"seen_token": "t1", "seen_region": "south", "waited": {"answer": 42}}
    assert json.loads(cli.ok("task-get-result", wait_task["id"]).stdout) == {"answer": 42}
    cli.fails("execution-update", ex_id, "--env", '{"token": "t3"}', status=403)
    assert cli.ok("execution-delete", ex_id).status == 204


def test_force_delete_running_execution(cli, server):
    ex = cli.json("execution-create", "waiter", "{}", '{"env": {"token": "x", "nested": {"region": "r"}}}')
    server.wait_task_state(ex["ID"], "wait", "RUNNING")
    cli.fails("execution-delete", ex["ID"], status=403)
    assert cli.ok("execution-delete", ex["ID"], "--force").status == 204
    cli.fails("execution-get", ex["ID"], status=404)


def _failed_token_chain(cli, server, endpoint, extra_env=None):
    env = dict({"url": endpoint.url, "token": "expired"}, **(extra_env or {}))
    ex_id = cli.json("execution-create", "token_chain", "{}", json.dumps({"env": env}))["ID"]
    ex = server.wait_state(ex_id, "ERROR")
    assert "call" in ex["state_info"]
    tasks = _by_name(cli.json("task-list", ex_id))
    assert {name: t["State"] for name, t in tasks.items()} == {"prepare": "SUCCESS", "call": "ERROR"}
    return ex_id, tasks


def test_task_rerun_with_env(cli, server, endpoint):
    ex_id, tasks = _failed_token_chain(cli, server, endpoint, {"keep": {"a": 1}})
    prepare_actions = _ids(cli.json("action-execution-list", tasks["prepare"]["ID"]))
    # --resume (reset=false) only applies to with-items tasks.
    cli.fails("task-rerun", tasks["call"]["ID"], "--resume", "--env", '{"token": "good"}', status=400)

    rerun = cli.run("task-rerun", tasks["call"]["ID"], "--env", '{"token": "good", "keep": {"b": 2}}', "-f", "json")
    assert rerun.rc == 0 and rerun.status == 200, rerun
    assert (rerun.json["ID"], rerun.json["State"]) == (tasks["call"]["ID"], "RUNNING")

    server.wait_state(ex_id, "SUCCESS")
    assert json.loads(cli.ok("execution-get-output", ex_id).stdout) == {"prepared": "prepared", "status": 200, "after_token": "good"}
    assert server.env_of(ex_id) == {"url": endpoint.url, "token": "good", "keep": {"a": 1, "b": 2}}
    final = _by_name(cli.json("task-list", ex_id))
    assert {name: t["State"] for name, t in final.items()} == {"prepare": "SUCCESS", "call": "SUCCESS", "after": "SUCCESS"}
    # The succeeded task was not run again; the rerun task ran twice.
    assert _ids(cli.json("action-execution-list", tasks["prepare"]["ID"])) == prepare_actions
    call_actions = cli.json("action-execution-list", tasks["call"]["ID"])
    assert sorted(a["State"] for a in call_actions) == ["ERROR", "SUCCESS"]
    assert endpoint.tokens("/call")[-2:] == ["expired", "good"]
    assert endpoint.tokens("/after")[-1] == "good"

    # Only a task in ERROR can be rerun; a finished execution's env is final.
    cli.fails("task-rerun", tasks["call"]["ID"], status=400)
    cli.fails("execution-update", ex_id, "--env", '{"token": "other"}', status=403)


def test_execution_update_env_on_failed_execution_then_rerun(cli, server, endpoint):
    ex_id, tasks = _failed_token_chain(cli, server, endpoint)
    updated = cli.json("execution-update", ex_id, "--env", '{"token": "good"}')
    assert updated["State"] == "ERROR"
    assert server.env_of(ex_id)["token"] == "good"

    assert cli.json("task-rerun", tasks["call"]["ID"])["State"] == "RUNNING"
    server.wait_state(ex_id, "SUCCESS")
    assert json.loads(cli.ok("execution-get-output", ex_id).stdout)["after_token"] == "good"


def test_task_rerun_env_from_file(cli, server, endpoint, tmp_path):
    ex_id, tasks = _failed_token_chain(cli, server, endpoint)
    env_file = tmp_path / "env.json"
    env_file.write_text('{"token": "good"}')
    assert cli.json("task-rerun", tasks["call"]["ID"], "--env", str(env_file))["State"] == "RUNNING"
    server.wait_state(ex_id, "SUCCESS")
    assert server.env_of(ex_id)["token"] == "good"


def test_execution_errors(cli, server):
    missing = cli.all_fail(
        (404, "execution-create", "no_such_workflow"),
        (404, "execution-get", "no-such-id"),
        (404, "execution-update", "no-such-id", "-s", "PAUSED"),
        (404, "execution-update", "no-such-id", "--env", '{"a": 1}'),
        (404, "execution-delete", "no-such-id"),
        (404, "task-get", "no-such-id"),
        (404, "task-rerun", "no-such-id", "--env", '{"a": 1}'),
        (404, "action-execution-get", "no-such-id"),
        (404, "action-execution-list", "no-such-id"),
    )[0]
    assert "no_such_workflow" in missing.error

    ex_id = cli.json("execution-create", "greet", "{}", '{"env": {"team": "red"}}')["ID"]
    server.wait_state(ex_id, "SUCCESS")
    # Pausing a finished execution is a forbidden transition (400); resuming
    # one that is not paused is a conflict (409).
    paused, resumed = cli.all_fail((400, "execution-update", ex_id, "-s", "PAUSED"), (409, "execution-update", ex_id, "-s", "RUNNING"))
    assert "SUCCESS" in paused.error and "SUCCESS" in resumed.error
