"""Our `mistral` CLI against the real server: the README walk-through
(use case 1 with the CLI) and the env commands."""

import contextlib
import io
import json
import os

from functional_support import load_workflow

from mistral.cli.shell import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cli(server, *args):
    """Run our CLI in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--os-mistral-url", server.base_url + "/v2", *args])
    return code, out.getvalue(), err.getvalue()


def test_walkthrough_rerun_with_fresh_token(server, endpoint, tmp_path):
    code, out, err = cli(server, "workflow-create", os.path.join(ROOT, "examples", "deploy.yaml"), "-f", "json")
    assert code == 0, err
    env_file = tmp_path / "prod.json"
    env_file.write_text(json.dumps({"name": "prod", "variables": {"url": endpoint.url, "token": "expired"}}))
    assert cli(server, "environment-create", str(env_file))[0] == 0

    code, out, err = cli(
        server, "execution-create", "deploy", '{"app": "shop"}', '{"env": "prod"}', "--wait", "--poll-interval", "0.02", "-f", "value", "-c", "ID"
    )
    assert code == 1, "the token has expired: --wait must report the failure"
    ex_id = out.strip()
    assert "check_service [ERROR]" in err and "401" in err

    code, out, _ = cli(server, "task-list", ex_id, "-f", "value", "-c", "ID", "-c", "State")
    failed = [line.split()[0] for line in out.splitlines() if line.split()[1] == "ERROR"]
    assert len(failed) == 1

    code, out, err = cli(server, "task-rerun", failed[0], "--env", '{"token": "good"}', "--wait", "--poll-interval", "0.02", "-f", "json")
    assert code == 0, err
    assert "SUCCESS" in err

    code, out, _ = cli(server, "execution-get-output", ex_id)
    assert json.loads(out) == {"health": 200, "deployed": "/deploy/shop"}
    assert endpoint.tokens_seen() == ["Bearer expired", "Bearer good", "Bearer good"]
    # The stored environment is a template: the execution's copy changed.
    code, out, _ = cli(server, "environment-get", "prod", "-f", "json")
    variables = json.loads(out)["Variables"]
    assert json.loads(variables)["token"] == "expired"


def test_execution_update_env_from_yaml_file_and_resume(server, endpoint, tmp_path):
    server.api.create_workflow(load_workflow("pausable"))
    ex = server.api.start("pausable", env={"url": endpoint.url, "token": "expired"})
    server.api.wait_task_state(ex["id"], "hold", "RUNNING")
    assert cli(server, "execution-update", ex["id"], "-s", "PAUSED")[0] == 0
    env_file = tmp_path / "env.yaml"
    env_file.write_text("token: good\n")
    code, out, err = cli(server, "execution-update", ex["id"], "--env", str(env_file), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["State"] == "PAUSED"
    code, out, err = cli(server, "execution-update", ex["id"], "-s", "RUNNING", "-f", "json")
    assert code == 0, err
    hold = server.api.tasks(ex["id"])["hold"]
    action = server.api.get("/v2/tasks/%s/action_executions" % hold["id"]).json()["action_executions"][0]
    assert cli(server, "action-execution-update", action["id"], "--state", "SUCCESS")[0] == 0
    done = server.api.wait_state(ex["id"], "SUCCESS")
    assert json.loads(done["output"]) == {"token_used": "good"}


def test_cli_errors_are_one_line_and_non_zero(server):
    code, out, err = cli(server, "task-rerun", "00000000-0000-4000-8000-000000000000", "--env", '{"a": 1}')
    assert code == 1
    assert err.strip().count("\n") == 0 and "404" in err
    code, out, err = cli(server, "execution-update", "00000000-0000-4000-8000-000000000000", "--env", "[1, 2")
    assert code != 0
