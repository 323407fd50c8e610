"""Actions of tasks: input (mapping and inline forms), no action, keep-result,
default action input from ``env.__actions``, asynchronous actions completed
through the API, and custom actions from an installed package."""

import json
import sys
import textwrap
import uuid

import pytest
from engine_support import action_executions, define, fault, output, published, result, run, wait_actions
from functional_support import wait_for

from mistral.actions import registry


def test_action_input_as_mapping_and_inline_form(api):
    define(
        api,
        """
version: '2.0'
inputs:
  input:
    - who: world
  tasks:
    mapping:
      action: std.echo
      input:
        output:
          text: "a = b, <% $.who %>"
          n: <% 1 + 2 %>
      publish:
        m: <% task().result %>
      on-success: inline
    inline:
      action: std.echo output=<% "x = " + $.who + " and y = z" %>
      publish:
        i: <% task().result %>
      on-success: inline_json
    inline_json:
      action: 'std.echo output={"k": [1, 2], "s": "p q=r"}'
      publish:
        j: <% task().result %>
      on-success: inline_jinja
    inline_jinja:
      action: std.echo output="{{ _.who ~ ' = ' ~ (2 * 3) }}" delay=0
      publish:
        jj: <% task().result %>
      on-success: inline_operator
    inline_operator:
      action: std.echo output=<% $.who = "world" and 1 + 1 = 2 %>   delay=<% 0 %>
      publish:
        op: <% task().result %>
  output:
    m: <% $.m %>
    i: <% $.i %>
    j: <% $.j %>
    jj: <% $.jj %>
    op: <% $.op %>
""",
    )
    ex = run(api, "inputs")
    assert output(ex) == {
        "m": {"text": "a = b, world", "n": 3},
        "i": "x = world and y = z",
        "j": {"k": [1, 2], "s": "p q=r"},
        "jj": "world = 6",
        "op": True,
    }
    acts = action_executions(api, api.tasks(ex["id"])["inline"]["id"])
    assert json.loads(acts[0]["input"]) == {"output": "x = world and y = z"}


def test_task_without_action_is_a_noop(api):
    define(
        api,
        """
version: '2.0'
noops:
  tasks:
    nothing:
      publish:
        marker: set
      on-success: explicit
    explicit:
      action: std.noop
      publish:
        r: <% task().result %>
  output:
    marker: <% $.marker %>
    r: <% $.r %>
""",
    )
    ex = run(api, "noops")
    assert output(ex) == {"marker": "set", "r": None}
    acts = action_executions(api, api.tasks(ex["id"])["nothing"]["id"])
    assert [a["name"] for a in acts] == ["std.noop"]


def test_bad_action_input_fails_task_naming_the_parameter(api):
    define(
        api,
        """
version: '2.0'
bad_input:
  tasks:
    t:
      action: std.echo outptu=1
""",
    )
    ex = run(api, "bad_input", expect=("ERROR",))
    info = api.tasks(ex["id"])["t"]["state_info"]
    assert "outptu" in info and "output" in info


def test_unknown_action_fails_the_task_at_run_time(api):
    # As in the original, a definition may name an action installed later.
    define(api, "version: '2.0'\nunknown_action:\n  tasks:\n    t:\n      action: no.such.action\n")
    ex = run(api, "unknown_action", expect=("ERROR",))
    info = api.tasks(ex["id"])["t"]["state_info"]
    assert "no.such.action" in info and "not found" in info


def test_keep_result_false_publishes_but_drops_the_result(api):
    define(
        api,
        """
version: '2.0'
keep:
  tasks:
    dropped:
      action: std.echo output=big
      keep-result: false
      publish:
        copy: <% task().result %>
      on-success: kept
    kept:
      action: std.echo output=small
      keep-result: true
  output:
    copy: <% $.copy %>
""",
    )
    ex = run(api, "keep")
    assert output(ex) == {"copy": "big"}
    tasks = api.tasks(ex["id"])
    assert result(tasks["dropped"]) is None
    assert result(tasks["kept"]) == "small"
    act = action_executions(api, tasks["dropped"]["id"])[0]
    assert json.loads(act["output"]) in ({}, {"result": None})


def test_env_actions_supply_default_action_input(api):
    define(
        api,
        """
version: '2.0'
defaults_from_env:
  tasks:
    uses_default:
      action: std.echo
      publish:
        a: <% task().result %>
      on-success: overrides
    overrides:
      action: std.echo output=own
      publish:
        b: <% task().result %>
  output:
    a: <% $.a %>
    b: <% $.b %>
""",
    )
    ex = run(api, "defaults_from_env", env={"__actions": {"std.echo": {"output": "from env"}}})
    assert output(ex) == {"a": "from env", "b": "own"}


ASYNC_WF = """
version: '2.0'
async_wf:
  tasks:
    wait_for_callback:
      action: std.async_noop
      publish:
        got: <% task().result %>
      publish-on-error:
        err: <% task().result %>
  output:
    got: <% $.got %>
  output-on-error:
    err: <% $.err %>
"""


def _async_action(api, ex_id):
    return wait_actions(api, ex_id, "wait_for_callback")[0]


def test_async_action_completed_through_the_api_with_success(api):
    define(api, ASYNC_WF)
    ex = api.start("async_wf")
    act = _async_action(api, ex["id"])
    assert api.execution(ex["id"])["state"] == "RUNNING"
    r = api.put("/v2/action_executions/%s" % act["id"], {"state": "SUCCESS", "output": json.dumps({"result": {"a": 1}})})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "SUCCESS"
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"got": {"a": 1}}
    # A second result is refused: the action has finished.
    r = api.put("/v2/action_executions/%s" % act["id"], {"state": "ERROR", "output": json.dumps("late")})
    assert r.status_code == 409, r.text
    assert api.execution(ex["id"])["state"] == "SUCCESS"


def test_async_action_completed_through_the_api_with_error(api):
    define(api, ASYNC_WF)
    ex = api.start("async_wf")
    act = _async_action(api, ex["id"])
    r = api.put("/v2/action_executions/%s" % act["id"], {"state": "ERROR", "output": json.dumps({"result": "remote failure"})})
    assert r.status_code == 200, r.text
    ex = api.wait_state(ex["id"], "ERROR")
    task = api.tasks(ex["id"])["wait_for_callback"]
    assert task["state"] == "ERROR"
    assert "remote failure" in task["state_info"]
    assert output(ex) == {"err": "remote failure"}


def test_async_action_put_rejects_bad_state(api):
    define(api, ASYNC_WF)
    ex = api.start("async_wf")
    act = _async_action(api, ex["id"])
    fault(api.put("/v2/action_executions/%s" % act["id"], {"state": "RUNNING"}), 400)
    assert api.put("/v2/action_executions/nope", {"state": "SUCCESS"}).status_code == 404
    assert api.execution(ex["id"])["state"] == "RUNNING"


# -- custom actions from an installed package (entry points) ---------------------

PACKAGE_CODE = '''
"""Custom actions of the functional tests."""

import threading

from mistral.actions.base import Action

RUNS = []
GATE = threading.Event()


class Concat(Action):
    """Joins two strings."""

    def __init__(self, left, right, sep=" "):
        self.left, self.right, self.sep = left, right, sep

    def run(self, context):
        return self.left + self.sep + self.right


class Blocking(Action):
    """Runs until GATE is set (or the executor asks it to stop)."""

    def __init__(self, tag="x"):
        self.tag = tag

    def run(self, context):
        RUNS.append(self.tag)
        while not GATE.wait(0.02):
            if context.cancel_event is not None and context.cancel_event.is_set():
                return "interrupted"
        return "released " + self.tag
'''


@pytest.fixture
def custom_actions(tmp_path):
    """Install a tiny package declaring ``mistral.actions`` entry points: a
    real distribution on sys.path, found by importlib.metadata."""
    module = "mtest_actions_%s" % uuid.uuid4().hex[:8]
    site = tmp_path / "site"
    (site / module).mkdir(parents=True)
    (site / module / "__init__.py").write_text(PACKAGE_CODE)
    dist = site / ("%s-0.1.dist-info" % module)
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: %s\nVersion: 0.1\n" % module)
    (dist / "entry_points.txt").write_text(
        textwrap.dedent(
            """\
            [mistral.actions]
            test.concat = {m}:Concat
            test.blocking = {m}:Blocking
            """
        ).format(m=module)
    )
    sys.path.insert(0, str(site))
    registry.clear_cache()
    try:
        yield module
    finally:
        sys.path.remove(str(site))
        sys.modules.pop(module, None)
        registry.clear_cache()


def test_custom_action_from_an_entry_point(api, custom_actions):
    names = {a["name"] for a in api.get("/v2/actions").json()["actions"]}
    assert "test.concat" in names
    define(
        api,
        """
version: '2.0'
custom:
  tasks:
    join:
      action: test.concat left="a b" right=<% "c" + "=d" %> sep=" + "
      publish:
        joined: <% task().result %>
    bad:
      action: test.concat left=1
  output:
    joined: <% $.joined %>
""",
    )
    ex = run(api, "custom", expect=("ERROR",))
    tasks = api.tasks(ex["id"])
    assert published(tasks["join"]) == {"joined": "a b + c=d"}
    assert tasks["bad"]["state"] == "ERROR"
    assert "right" in tasks["bad"]["state_info"]


SAFE_RERUN_WF = """
version: '2.0'
lost_and_found:
  tasks:
    safe:
      with-items: tag in ["safe"]
      action: test.blocking tag=<% $.tag %>
      safe-rerun: <% true %>
    unsafe:
      with-items: tag in ["unsafe"]
      action: test.blocking tag=<% $.tag %>
      safe-rerun: <% false %>
"""


def test_safe_rerun_action_runs_again_after_a_restart(server_factory, custom_actions):
    first = server_factory()
    define(first.api, SAFE_RERUN_WF)
    ex = first.api.start("lost_and_found")
    package = sys.modules.get(custom_actions) or __import__(custom_actions)
    wait_for(lambda: sorted(package.RUNS) == ["safe", "unsafe"], what="both actions running")
    # The process dies: the actions' results never reach an engine.
    first.launcher.stop()
    package.GATE.set()
    second = server_factory(db_path=first.db_path)
    ex = second.api.wait_state(ex["id"], "ERROR")
    tasks = second.api.tasks(ex["id"])
    assert tasks["safe"]["state"] == "SUCCESS"
    assert result(tasks["safe"]) == ["released safe"]
    assert package.RUNS.count("safe") == 2
    assert tasks["unsafe"]["state"] == "ERROR"
    assert "lost" in tasks["unsafe"]["state_info"]
    assert package.RUNS.count("unsafe") == 1
