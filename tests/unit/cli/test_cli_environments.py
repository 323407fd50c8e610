"""``environment-*`` and ``action-*`` commands against the stub API."""

import json

import pytest


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_text(
        "name: prod\ndescription: Production\nvariables:\n  url: http://a\n  retries: 3\n"
    )
    return str(path)


def test_environment_create_sends_variables_as_string(api, cli, canned, env_file):
    api.reply("POST", "/v2/environments", canned.environment(), 201)

    res = cli("environment-create", env_file, "-f", "json")

    assert res.code == 0, res
    body = api.only().json()
    assert body["name"] == "prod"
    assert body["description"] == "Production"
    assert isinstance(body["variables"], str)
    assert json.loads(body["variables"]) == {"url": "http://a", "retries": 3}
    assert "scope" not in body
    out = res.json()
    assert json.loads(out["Variables"]) == {"url": "http://a", "retries": 3}
    assert out["Updated at"] == "<none>"


def test_environment_create_from_json_file(api, cli, canned, tmp_path):
    path = tmp_path / "env.json"
    path.write_text(
        json.dumps({"name": "dev", "variables": {"a": 1e3}, "scope": "public"})
    )
    api.reply("POST", "/v2/environments", canned.environment(name="dev"), 201)

    res = cli("environment-create", str(path))

    assert res.code == 0, res
    body = api.only().json()
    assert json.loads(body["variables"]) == {"a": 1000.0}
    assert body["scope"] == "public"


def test_environment_create_needs_name_and_variables(api, cli, tmp_path):
    no_name = tmp_path / "a.yaml"
    no_name.write_text("variables: {a: 1}\n")
    no_vars = tmp_path / "b.yaml"
    no_vars.write_text("name: x\n")

    first = cli("environment-create", str(no_name))
    second = cli("environment-create", str(no_vars))

    assert (first.code, second.code) == (1, 1)
    assert first.err == f'ERROR: Environment file {no_name} has no "name"\n'
    assert second.err == f'ERROR: Environment file {no_vars} has no "variables"\n'
    assert api.requests == []


def test_environment_update(api, cli, canned, env_file):
    api.reply("PUT", "/v2/environments", canned.environment())

    res = cli("environment-update", env_file)

    assert res.code == 0, res
    req = api.only()
    assert req.content_type == "application/json"
    assert json.loads(req.json()["variables"]) == {"url": "http://a", "retries": 3}


def test_environment_list_hides_variables(api, cli, canned):
    api.reply("GET", "/v2/environments", {"environments": [canned.environment()]})

    res = cli("environment-list", "-f", "json")

    assert res.json() == [
        {
            "Name": "prod",
            "Description": "Production",
            "Scope": "private",
            "Created at": "2024-05-01 10:00:00",
            "Updated at": "<none>",
        }
    ]


def test_environment_get_and_export(api, cli, canned):
    api.reply("GET", "/v2/environments/prod", canned.environment())

    shown = cli("environment-get", "prod", "-f", "json")
    exported = cli("environment-get", "prod", "--export", "-f", "json")

    assert shown.json()["Variables"] == json.dumps(
        {"url": "http://a", "retries": 3}, indent=4
    )
    assert exported.json() == {
        "name": "prod",
        "description": "Production",
        "scope": "private",
        "variables": json.dumps({"url": "http://a", "retries": 3}),
    }


def test_environment_delete_missing(api, cli):
    api.fault(
        "DELETE", "/v2/environments/nope", 404, "Environment not found [name=nope]"
    )

    res = cli("environment-delete", "nope")

    assert res.code == 1
    assert res.err == "ERROR (HTTP 404): Environment not found [name=nope]\n"


def test_environment_duplicate(api, cli, env_file):
    api.fault("POST", "/v2/environments", 409, "Duplicate environment [name=prod]")

    res = cli("environment-create", env_file)

    assert res.code == 1
    assert res.err == "ERROR (HTTP 409): Duplicate environment [name=prod]\n"


# -- action definitions ------------------------------------------------------


def test_action_list_in_namespace(api, cli, canned):
    api.reply("GET", "/v2/actions", {"actions": [canned.action(description="x" * 40)]})

    res = cli("action-list", "--namespace", "ns1", "-f", "json")

    assert res.code == 0, res
    query = api.only().query
    assert query["namespace"] == "ns1"
    assert (
        query["fields"]
        == "id,name,is_system,input,description,tags,created_at,updated_at"
    )
    (row,) = res.json()
    assert row["Is system"] is True
    assert row["Description"] == "x" * 25 + "..."
    assert row["Tags"] == "<system>"


def test_action_get(api, cli, canned):
    api.reply("GET", "/v2/actions/std.echo", canned.action())

    res = cli("action-get", "std.echo", "-f", "json")

    assert res.code == 0, res
    assert api.only().raw_query == ""
    assert res.json()["Name"] == "std.echo"
