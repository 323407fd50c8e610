"""The ``mistral`` application: URL selection, errors, exit codes."""

import logging

from mistral.cli import base, shell
from mistral.client.http import DEFAULT_URL


def test_default_url(monkeypatch):
    monkeypatch.delenv("OS_MISTRAL_URL", raising=False)

    options, _ = shell.MistralShell().parser.parse_known_args([])

    assert options.mistral_url == DEFAULT_URL == "http://127.0.0.1:8989/v2"


def test_url_from_environment(api, canned, monkeypatch, capsys):
    monkeypatch.setenv("OS_MISTRAL_URL", api.url + "/")
    api.reply("GET", "/v2/workflows/wf", canned.workflow())

    code = shell.main(["workflow-get", "wf", "-f", "json"])

    assert code == 0, capsys.readouterr()
    assert api.only().path == "/v2/workflows/wf"


def test_auth_token_and_accept_headers(api, cli, canned):
    api.reply("GET", "/v2/workflows/wf", canned.workflow())

    res = cli("--os-auth-token", "tok", "workflow-get", "wf")

    assert res.code == 0, res
    headers = api.only().headers
    assert headers["X-Auth-Token"] == "tok"
    assert headers["Accept"] == "application/json"


def test_not_found_is_one_line_and_exit_1(api, cli):
    api.fault("GET", "/v2/executions/nope", 404, "Execution not found [id=nope]")

    res = cli("execution-get", "nope")

    assert res.code == 1
    assert res.out == ""
    assert res.err == "ERROR (HTTP 404): Execution not found [id=nope]\n"


def test_server_error_without_json_body(api, cli):
    api.reply("GET", "/v2/tasks/x", status=500, raw=b"Internal Server Error")

    res = cli("task-get", "x")

    assert res.code == 1
    assert res.err == "ERROR (HTTP 500): Internal Server Error\n"


def test_non_json_success_is_reported(api, cli):
    api.reply("GET", "/v2/tasks/x", raw=b"<html>hello</html>")

    res = cli("task-get", "x")

    assert res.code == 1
    assert res.err.startswith(
        "ERROR (HTTP 200): Unexpected response from GET http://127.0.0.1:"
    )
    assert res.err.count("\n") == 1


def test_list_response_without_wrapper(api, cli):
    api.reply("GET", "/v2/workflows", [])

    res = cli("workflow-list")

    assert res.code == 1
    assert (
        res.err
        == 'ERROR: Unexpected response from the Mistral API: no "workflows" list in it\n'
    )


def test_server_down_is_readable(cli, closed_port_url):
    res = cli("workflow-list", url=closed_port_url)

    assert res.code == 1
    assert res.out == ""
    assert res.err == (
        f"ERROR: Cannot connect to the Mistral API at {closed_port_url} (Connection refused); is the server running?\n"
    )


def test_debug_shows_traceback(cli, closed_port_url):
    res = cli("--debug", "workflow-list", url=closed_port_url)

    assert res.code == 1
    assert "Traceback" in res.err


def test_unknown_command_and_usage_error(cli):
    assert cli("no-such-command").code == 2
    assert cli("task-get").code == 2


def test_help_and_version(cli):
    helped = cli("help", "task-rerun")
    version = cli("--version")

    assert helped.code == 0
    assert "--resume" in helped.out
    assert version.code == 0
    assert version.out.startswith("mistral ")


def test_runs_leave_no_logging_handlers(api, cli, canned):
    api.reply("GET", "/v2/workflows/wf", canned.workflow())
    before = list(logging.getLogger().handlers)

    for _ in range(3):
        cli("workflow-get", "wf")

    assert logging.getLogger().handlers == before


def test_console_script_target_returns_code():
    # setup.cfg: mistral = mistral.cli.shell:main, wrapped in sys.exit().
    assert shell.main(["help", "workflow-list"]) == 0


def test_every_stock_command_name_is_there():
    names = set(shell.MistralShell().command_manager.commands)
    expected = {
        f"{noun}-{verb}"
        for noun, verbs in {
            "workflow": "create update list get get-definition delete validate",
            "workbook": "create update list get get-definition delete validate",
            "execution": "create list get get-input get-output get-published update delete",
            "task": "list get get-result get-published rerun skip",
            "action-execution": "list get get-input get-output update delete",
            "action": "list get",
            "environment": "create update list get delete",
        }.items()
        for verb in verbs.split()
    }

    assert expected <= names


def test_error_line_formats():
    from mistral.client.exceptions import APIError

    assert base.error_line(APIError(404, "a\n  b")) == "ERROR (HTTP 404): a b"
    assert base.error_line(APIError(None, "down")) == "ERROR: down"
    assert base.error_line(base.CommandError("bad")) == "ERROR: bad"


def test_duration():
    assert base.duration("2024-05-01 10:00:00", "2024-05-01 11:00:05") == "1:00:05"
    assert base.duration(None, None) == ""
    assert base.duration("bad", "") == ""
    now = base.datetime.datetime(2024, 5, 1, 10, 0, 1)
    assert base.duration("2024-05-01 10:00:00", None, now=now) == "..."
    now = base.datetime.datetime(2024, 5, 1, 10, 5, 0, 5000)
    assert base.duration("2024-05-01 10:00:00", None, now=now) == "0:05:00..."
