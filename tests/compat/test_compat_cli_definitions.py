"""The stock ``mistral`` CLI on definitions: workflows, workbooks,
environments and actions, success and error paths."""

import json

from compat_support import fixture_path


def _names(rows, key="Name"):
    # The stock CLI prints one blank row for an empty list.
    return {row[key] for row in rows if row[key]}


def test_workflow_lifecycle(cli, server):
    created = cli.json("workflow-create", fixture_path("greet.yaml"))
    assert [w["Name"] for w in created] == ["greet"]
    wf = created[0]
    assert wf["Namespace"] == "" and wf["Scope"] == "private"
    assert wf["Input"] == 'name="World"'
    assert wf["Created at"] and wf["Updated at"] is None

    assert "greet" in _names(cli.json("workflow-list"))
    assert _names(cli.json("workflow-list", "--filter", "name=greet", "--limit", "1")) == {"greet"}
    by_name = cli.json("workflow-get", "greet")
    by_id = cli.json("workflow-get", wf["ID"])
    assert by_name["ID"] == by_id["ID"] == wf["ID"]

    definition = cli.ok("workflow-get-definition", "greet").stdout
    with open(fixture_path("greet.yaml")) as f:
        assert definition.strip() == f.read().strip()

    assert cli.json("workflow-validate", fixture_path("greet_v2.yaml")) == {"Valid": True, "Error": None}
    updated = cli.json("workflow-update", fixture_path("greet_v2.yaml"))
    assert [w["ID"] for w in updated] == [wf["ID"]]
    assert updated[0]["Updated at"]
    assert "Hello <% $.name %>!" in cli.ok("workflow-get-definition", "greet").stdout

    # Update by id, in the form `workflow-update --id` sends (PUT /workflows/<id>).
    again = cli.json("workflow-update", "--id", wf["ID"], fixture_path("greet.yaml"))
    assert [w["ID"] for w in again] == [wf["ID"]]
    assert cli.run("workflow-update", "--id", wf["ID"], fixture_path("greet.yaml")).requests[-1][0] == "PUT"

    deleted = cli.ok("workflow-delete", "greet")
    assert deleted.status == 204
    cli.fails("workflow-get", "greet", status=404)


def test_workflow_namespaces_and_public_scope(cli):
    cli.fails("workflow-get", "greet", "--namespace", "team_a", status=404)
    default = cli.json("workflow-create", fixture_path("greet.yaml"))[0]
    created = cli.json("workflow-create", "--public", "--namespace", "team_a", fixture_path("greet.yaml"))[0]
    assert (created["Namespace"], created["Scope"]) == ("team_a", "public")
    assert cli.json("workflow-get", "greet", "--namespace", "team_a")["ID"] == created["ID"]
    assert cli.json("workflow-get", "greet")["ID"] == default["ID"]
    assert cli.ok("workflow-delete", "greet", "--namespace", "team_a").status == 204
    # A name missing from a namespace falls back to the default namespace.
    assert cli.json("workflow-get", "greet", "--namespace", "team_a")["ID"] == default["ID"]
    assert cli.ok("workflow-delete", "greet").status == 204
    cli.fails("workflow-get", "greet", "--namespace", "team_a", status=404)


def test_workflow_errors(cli):
    missing, _, _, bad, _, dangling = cli.all_fail(
        (404, "workflow-get", "no_such_workflow"),
        (404, "workflow-get-definition", "no_such_workflow"),
        (404, "workflow-delete", "no_such_workflow"),
        (400, "workflow-create", fixture_path("bad_syntax.yaml")),
        (400, "workflow-update", fixture_path("bad_syntax.yaml")),
        (400, "workflow-create", fixture_path("bad_reference.yaml")),
    )
    assert "no_such_workflow" in missing.error
    assert "parse" in bad.error.lower() or "yaml" in bad.error.lower()
    assert "missing" in dangling.error

    cli.json("workflow-create", fixture_path("waiter.yaml"))
    duplicate = cli.fails("workflow-create", fixture_path("waiter.yaml"), status=409)
    assert "waiter" in duplicate.error

    # validate answers 200 with the verdict, for both kinds of mistake.
    syntax, reference = cli.run_all(
        ("workflow-validate", fixture_path("bad_syntax.yaml"), "-f", "json"),
        ("workflow-validate", fixture_path("bad_reference.yaml"), "-f", "json"),
    )
    for result in (syntax, reference):
        assert result.rc == 0 and result.status == 200, result
        assert result.json["Valid"] is False and result.json["Error"], result
    assert "missing" in reference.json["Error"]


def test_workbook_lifecycle(cli):
    created = cli.json("workbook-create", fixture_path("book.yaml"))
    assert created["Name"] == "compat_book" and created["Scope"] == "private"
    assert "compat_book" in _names(cli.json("workbook-list"))
    assert cli.json("workbook-get", "compat_book")["Name"] == "compat_book"
    with open(fixture_path("book.yaml")) as f:
        assert cli.ok("workbook-get-definition", "compat_book").stdout.strip() == f.read().strip()
    assert {"compat_book.first", "compat_book.second"} <= _names(cli.json("workflow-list"))

    assert cli.json("workbook-validate", fixture_path("book_v2.yaml")) == {"Valid": True, "Error": None}
    updated = cli.json("workbook-update", fixture_path("book_v2.yaml"))
    assert updated["Name"] == "compat_book" and updated["Updated at"]
    assert '"v2 <% $.x %>"' in cli.ok("workflow-get-definition", "compat_book.second").stdout

    assert cli.ok("workbook-delete", "compat_book").status == 204
    cli.fails("workbook-get", "compat_book", status=404)
    assert not {"compat_book.first", "compat_book.second"} & _names(cli.json("workflow-list"))


def test_workbook_errors(cli):
    cli.all_fail((404, "workbook-get", "no_such_book"), (400, "workbook-create", fixture_path("bad_syntax.yaml")))
    verdict = cli.json("workbook-validate", fixture_path("bad_syntax.yaml"))
    assert verdict["Valid"] is False and verdict["Error"]
    cli.json("workbook-create", fixture_path("book.yaml"))
    cli.fails("workbook-create", fixture_path("book.yaml"), status=409)
    assert cli.ok("workbook-delete", "compat_book").status == 204


def test_environment_lifecycle(cli):
    created = cli.json("environment-create", fixture_path("env.json"))
    assert created["Name"] == "compat_env"
    assert created["Description"] == "Credentials of the test infrastructure"
    assert json.loads(created["Variables"]) == {"token": "good", "nested": {"region": "north", "zone": 1}}
    assert "compat_env" in _names(cli.json("environment-list"))

    shown = cli.json("environment-get", "compat_env")
    assert json.loads(shown["Variables"])["nested"]["region"] == "north"
    exported = cli.json("environment-get", "compat_env", "--export")
    assert exported["name"] == "compat_env"
    assert json.loads(exported["variables"])["token"] == "good"

    # An update from YAML replaces the variables, as the original does.
    updated = cli.json("environment-update", fixture_path("env_update.yaml"))
    assert updated["Description"] == "Rotated credentials" and updated["Updated at"]
    assert json.loads(updated["Variables"]) == {"token": "rotated", "nested": {"region": "south"}}

    assert cli.ok("environment-delete", "compat_env").status == 204
    cli.fails("environment-get", "compat_env", status=404)


def test_environment_errors(cli):
    cli.all_fail(
        (404, "environment-get", "no_such_env"),
        (404, "environment-delete", "no_such_env"),
        (404, "environment-update", fixture_path("env_update.yaml")),
    )
    cli.json("environment-create", fixture_path("env.json"))
    cli.fails("environment-create", fixture_path("env.json"), status=409)
    assert cli.ok("environment-delete", "compat_env").status == 204


def test_actions(cli):
    actions = {a["Name"]: a for a in cli.json("action-list")}
    assert {"std.echo", "std.fail", "std.http", "std.noop", "std.async_noop"} <= set(actions)
    assert actions["std.echo"]["Is system"] is True
    echo = cli.json("action-get", "std.echo")
    assert echo["Name"] == "std.echo" and "output" in echo["Input"]
    cli.fails("action-get", "std.no_such_action", status=404)
