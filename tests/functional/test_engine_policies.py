"""Task policies with a movable clock: retry (count, delay, break-on,
continue-on), wait-before, wait-after, timeout, pause-before. Tests move
the server's ManualClock and wake the scheduler; they never sleep for a
delay."""

import json

import pytest
from engine_support import action_executions, advance, define, output, put_execution, result
from functional_support import wait_for

from mistral.engine.clock import ManualClock


@pytest.fixture
def clocked(server_factory):
    return server_factory(clock=ManualClock())


def acts(api, ex_id, name):
    return action_executions(api, api.tasks(ex_id)[name]["id"])


RETRY_WF = """
version: '2.0'
retrying:
  input:
    - count: 2
  tasks:
    flaky:
      action: std.fail error_data=nope
      retry:
        count: <% $.count %>
        delay: 10
      on-error: [handled]
    handled:
      action: std.noop
"""


def test_retry_with_delay_waits_for_the_clock(clocked):
    api = clocked.api
    define(api, RETRY_WF)
    ex = api.start("retrying", {"count": 2})
    for attempt in (1, 2):
        api.wait_task_state(ex["id"], "flaky", "DELAYED")
        assert len(acts(api, ex["id"], "flaky")) == attempt
        advance(clocked, 5)  # not yet due
        assert api.tasks(ex["id"])["flaky"]["state"] == "DELAYED"
        advance(clocked, 5)
        wait_for(lambda a=attempt: len(acts(api, ex["id"], "flaky")) == a + 1, what="retry %d" % attempt)
    ex = api.wait_state(ex["id"], "SUCCESS")
    tasks = api.tasks(ex["id"])
    assert tasks["flaky"]["state"] == "ERROR"
    assert tasks["handled"]["state"] == "SUCCESS"
    assert [a["state"] for a in acts(api, ex["id"], "flaky")] == ["ERROR"] * 3


def test_retry_without_delay_and_break_on(api):
    define(
        api,
        """
version: '2.0'
breaking:
  tasks:
    no_delay:
      action: std.fail
      retry:
        count: 3
        delay: 0
      on-error: [breaks]
    breaks:
      action: std.fail error_data=fatal
      retry:
        count: 5
        delay: 0
        break-on: <% task().result = "fatal" %>
""",
    )
    ex = api.wait_state(api.start("breaking")["id"], "ERROR")
    assert len(acts(api, ex["id"], "no_delay")) == 4
    assert len(acts(api, ex["id"], "breaks")) == 1
    assert "breaks" in ex["state_info"]


def test_retry_continue_on_repeats_a_successful_task(api):
    define(
        api,
        """
version: '2.0'
continuing:
  tasks:
    again:
      action: std.echo output=more
      retry:
        count: 2
        delay: 0
        continue-on: <% task().result = "more" %>
      publish:
        last: <% task().result %>
      on-success: stop
    stop:
      action: std.echo output=stop
      retry:
        count: 2
        delay: 0
        continue-on: <% task().result = "more" %>
  output:
    last: <% $.last %>
""",
    )
    ex = api.wait_state(api.start("continuing")["id"], "SUCCESS")
    assert len(acts(api, ex["id"], "again")) == 3
    assert len(acts(api, ex["id"], "stop")) == 1
    assert output(ex) == {"last": "more"}


def test_wait_before_delays_the_start(clocked):
    api = clocked.api
    define(
        api,
        """
version: '2.0'
waiting_before:
  tasks:
    later:
      action: std.echo output=done
      wait-before: 30
""",
    )
    ex = api.start("waiting_before")
    api.wait_task_state(ex["id"], "later", "DELAYED")
    assert acts(api, ex["id"], "later") == []
    advance(clocked, 29)
    assert api.execution(ex["id"])["state"] == "RUNNING"
    advance(clocked, 1)
    api.wait_state(ex["id"], "SUCCESS")
    assert result(api.tasks(ex["id"])["later"]) == "done"


def test_wait_after_holds_the_transitions(clocked):
    api = clocked.api
    define(
        api,
        """
version: '2.0'
waiting_after:
  tasks:
    first:
      action: std.echo output=1
      wait-after: 20
      publish: {first: <% task().result %>}
      on-success: second
    second:
      action: std.echo output=<% $.first + 1 %>
      publish: {second: <% task().result %>}
  output:
    second: <% $.second %>
""",
    )
    ex = api.start("waiting_after")
    task = api.wait_task_state(ex["id"], "first", "DELAYED")
    assert "second" not in api.tasks(ex["id"])
    assert len(action_executions(api, task["id"])) == 1
    advance(clocked, 20)
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"second": 2}


def test_timeout_fails_a_task_that_runs_too_long(clocked):
    api = clocked.api
    define(
        api,
        """
version: '2.0'
timing_out:
  tasks:
    slow:
      action: std.async_noop
      timeout: 60
      on-error: [after_timeout]
    after_timeout:
      action: std.echo output=<% task(slow).state_info %>
      publish: {info: <% task().result %>}
  output:
    info: <% $.info %>
""",
    )
    ex = api.start("timing_out")
    api.wait_task_state(ex["id"], "slow", "RUNNING")
    advance(clocked, 59)
    assert api.tasks(ex["id"])["slow"]["state"] == "RUNNING"
    advance(clocked, 1)
    ex = api.wait_state(ex["id"], "SUCCESS")
    tasks = api.tasks(ex["id"])
    assert tasks["slow"]["state"] == "ERROR"
    assert "timed out" in tasks["slow"]["state_info"]
    assert "timed out" in output(ex)["info"]
    assert [a["state"] for a in acts(api, ex["id"], "slow")] == ["ERROR"]


def test_timeout_not_reached_is_cancelled(clocked):
    api = clocked.api
    define(
        api,
        """
version: '2.0'
quick:
  tasks:
    fast:
      action: std.echo output=1
      timeout: 5
""",
    )
    ex = api.wait_state(api.start("quick")["id"], "SUCCESS")
    advance(clocked, 10)
    assert api.tasks(ex["id"])["fast"]["state"] == "SUCCESS"
    assert api.execution(ex["id"])["state"] == "SUCCESS"


def test_pause_before_pauses_the_workflow_until_resumed(api):
    define(
        api,
        """
version: '2.0'
pausing_before:
  tasks:
    first:
      action: std.echo output=1
      on-success: gated
    gated:
      action: std.echo output=2
      pause-before: true
      publish: {gated: <% task().result %>}
  output:
    gated: <% $.gated %>
""",
    )
    ex = api.wait_state(api.start("pausing_before")["id"], "PAUSED")
    assert "gated" in ex["state_info"]
    tasks = api.tasks(ex["id"])
    assert tasks["gated"]["state"] == "IDLE"
    assert action_executions(api, tasks["gated"]["id"]) == []
    r = put_execution(api, ex["id"], state="RUNNING")
    assert r.status_code == 200, r.text
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"gated": 2}


def test_policy_expression_error_fails_the_task(api):
    define(
        api,
        """
version: '2.0'
bad_policy:
  tasks:
    t:
      action: std.noop
      wait-before: <% $.nope.nope %>
""",
    )
    ex = api.wait_state(api.start("bad_policy")["id"], "ERROR")
    info = api.tasks(ex["id"])["t"]["state_info"]
    assert "nope" in info


def test_retry_of_a_sub_workflow_task(api):
    define(
        api,
        """
version: '2.0'
parent_retry:
  tasks:
    call:
      workflow: failing_child
      retry:
        count: 1
        delay: 0
failing_child:
  tasks:
    t:
      action: std.fail
""",
    )
    ex = api.wait_state(api.start("parent_retry")["id"], "ERROR")
    call = api.tasks(ex["id"])["call"]
    subs = api.get("/v2/tasks/%s/workflow_executions" % call["id"]).json()["executions"]
    assert [s["state"] for s in subs] == ["ERROR", "ERROR"]
    assert json.loads(subs[0]["params"])["env"] == {}


def test_pause_holds_a_delayed_retry_until_resumed(clocked):
    api = clocked.api
    define(api, RETRY_WF)
    ex = api.start("retrying", {"count": 1})
    api.wait_task_state(ex["id"], "flaky", "DELAYED")
    assert put_execution(api, ex["id"], state="PAUSED").status_code == 200
    advance(clocked, 10)
    wait_for(lambda: clocked.scheduler.run_due() == 0, what="due jobs handled")
    assert api.tasks(ex["id"])["flaky"]["state"] == "DELAYED"
    assert len(acts(api, ex["id"], "flaky")) == 1
    assert put_execution(api, ex["id"], state="RUNNING").status_code == 200
    advance(clocked, 1)
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert len(acts(api, ex["id"], "flaky")) == 2


def test_cancel_of_a_delayed_task_and_its_late_job(clocked):
    api = clocked.api
    define(api, RETRY_WF)
    ex = api.start("retrying", {"count": 3})
    api.wait_task_state(ex["id"], "flaky", "DELAYED")
    assert put_execution(api, ex["id"], state="CANCELLED").status_code == 200
    api.wait_state(ex["id"], "CANCELLED")
    assert api.tasks(ex["id"])["flaky"]["state"] == "CANCELLED"
    advance(clocked, 100)
    wait_for(lambda: clocked.scheduler.run_due() == 0, what="due jobs handled")
    assert api.tasks(ex["id"])["flaky"]["state"] == "CANCELLED"
    assert len(acts(api, ex["id"], "flaky")) == 1


def test_timeout_of_a_sub_workflow_task_stops_the_sub_workflow(clocked):
    api = clocked.api
    define(
        api,
        """
version: '2.0'
slow_parent:
  tasks:
    call:
      workflow: slow_child
      timeout: 30
slow_child:
  tasks:
    hold:
      action: std.async_noop
""",
    )
    ex = api.start("slow_parent")
    call = api.wait_task_state(ex["id"], "call", "RUNNING")
    wait_for(lambda: api.get("/v2/tasks/%s/workflow_executions" % call["id"]).json()["executions"], what="child")
    advance(clocked, 30)
    ex = api.wait_state(ex["id"], "ERROR")
    assert "timed out" in api.tasks(ex["id"])["call"]["state_info"]
    child = api.get("/v2/tasks/%s/workflow_executions" % call["id"]).json()["executions"][0]
    assert child["state"] in ("ERROR", "CANCELLED")
    assert api.tasks(child["id"])["hold"]["state"] in ("ERROR", "CANCELLED")


def test_timeout_of_a_with_items_task(clocked):
    api = clocked.api
    define(
        api,
        """
version: '2.0'
slow_items:
  tasks:
    each:
      with-items: x in [1, 2, 3]
      action: std.async_noop
      timeout: 10
""",
    )
    ex = api.start("slow_items")
    task = api.wait_task_state(ex["id"], "each", "RUNNING")
    wait_for(lambda: len(action_executions(api, task["id"])) == 3, what="3 items")
    advance(clocked, 10)
    ex = api.wait_state(ex["id"], "ERROR")
    assert "timed out" in api.tasks(ex["id"])["each"]["state_info"]
    assert {a["state"] for a in action_executions(api, task["id"])} == {"ERROR"}


def test_retry_of_a_with_items_task(api):
    define(
        api,
        """
version: '2.0'
retry_items:
  tasks:
    each:
      with-items: x in [1, 2]
      action: std.fail error_data=<% $.x %>
      retry:
        count: 2
        delay: 0
""",
    )
    ex = api.wait_state(api.start("retry_items")["id"], "ERROR")
    task = api.tasks(ex["id"])["each"]
    assert len(action_executions(api, task["id"])) == 6
    assert result(task) == [1, 2]


def test_wait_before_of_a_with_items_task(clocked):
    api = clocked.api
    define(
        api,
        """
version: '2.0'
wait_items:
  tasks:
    each:
      with-items: x in [1, 2]
      action: std.echo output=<% $.x %>
      wait-before: 5
      publish: {out: <% task().result %>}
  output:
    out: <% $.out %>
""",
    )
    ex = api.start("wait_items")
    api.wait_task_state(ex["id"], "each", "DELAYED")
    advance(clocked, 5)
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"out": [1, 2]}
