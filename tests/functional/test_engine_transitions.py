"""Transitions: publish and publish-on-error, on-success/on-error/on-complete
with conditions, joins (all, one, a number) and engine commands (fail,
succeed, pause, with msg)."""

import collections
import json

from engine_support import define, output, published, put_execution, run


def names(api, ex_id):
    return sorted(t["name"] for t in api.task_list(ex_id))


def test_publish_and_publish_on_error(api):
    define(
        api,
        """
version: '2.0'
pub:
  tasks:
    ok:
      action: 'std.echo output={"a": 1, "b": [1, 2]}'
      publish:
        a: <% task().result.a %>
        both: "{{ task().result.b | length }}"
      publish-on-error:
        never: here
      on-success: bad
    bad:
      action: std.fail error_data="went wrong"
      publish:
        never2: here
      publish-on-error:
        error: <% task().result %>
        a_seen: <% $.a %>
      on-error: after
    after:
      action: std.echo output=<% $.error %>
      publish:
        echoed: <% task().result %>
  output:
    a: <% $.a %>
    both: <% $.both %>
    echoed: <% $.echoed %>
""",
    )
    ex = run(api, "pub")
    assert output(ex) == {"a": 1, "both": 2, "echoed": "went wrong"}
    tasks = api.tasks(ex["id"])
    assert published(tasks["ok"]) == {"a": 1, "both": 2}
    assert published(tasks["bad"]) == {"error": "went wrong", "a_seen": 1}


def test_conditional_transitions_pick_branches(api):
    define(
        api,
        """
version: '2.0'
branches:
  input: [n]
  tasks:
    decide:
      action: std.echo output=<% $.n %>
      on-success:
        - small: <% task().result < 10 %>
        - big: <% task().result >= 10 %>
        - always
      on-complete:
        - completed: "{{ task().state == 'SUCCESS' }}"
        - never: <% false %>
    small:
      action: std.noop
    big:
      action: std.noop
    always:
      action: std.noop
    completed:
      action: std.noop
    never:
      action: std.noop
""",
    )
    ex = run(api, "branches", {"n": 3})
    assert names(api, ex["id"]) == ["always", "completed", "decide", "small"]
    ex = run(api, "branches", {"n": 30})
    assert names(api, ex["id"]) == ["always", "big", "completed", "decide"]


def test_on_error_conditions_and_unhandled_error(api):
    define(
        api,
        """
version: '2.0'
errs:
  input: [code]
  tasks:
    boom:
      action: std.fail error_data=<% $.code %>
      on-error:
        - retryable: <% task().result = "503" %>
      on-complete:
        - cleanup
    retryable:
      action: std.noop
    cleanup:
      action: std.noop
""",
    )
    # on-complete handles the error too: the workflow succeeds.
    ex = run(api, "errs", {"code": "503"})
    assert names(api, ex["id"]) == ["boom", "cleanup", "retryable"]
    ex = run(api, "errs", {"code": "500"})
    assert names(api, ex["id"]) == ["boom", "cleanup"]


def test_error_without_handler_fails_workflow_naming_task(api):
    define(
        api,
        """
version: '2.0'
unhandled:
  tasks:
    boom:
      action: std.fail error_data="disk full"
      on-error:
        - handler: <% false %>
      on-success: [next]
    handler:
      action: std.noop
    next:
      action: std.noop
""",
    )
    ex = run(api, "unhandled", expect=("ERROR",))
    assert "boom" in ex["state_info"] and "disk full" in ex["state_info"]
    assert names(api, ex["id"]) == ["boom"]


def test_transition_condition_error_fails_the_workflow(api):
    define(
        api,
        """
version: '2.0'
bad_cond:
  tasks:
    t:
      action: std.noop
      on-success:
        - next: <% $.no.such %>
    next:
      action: std.noop
""",
    )
    ex = run(api, "bad_cond", expect=("ERROR",))
    assert "t" in ex["state_info"] and "no.such" in ex["state_info"]


JOINS = """
version: '2.0'
joins:
  tasks:
    a:
      action: std.echo output=a
      publish: {a: <% task().result %>}
      on-success: [all, one, two]
    b:
      action: std.async_noop
      publish: {b: <% task().result %>}
      on-success: [all, one, two]
      on-error: [noop_b]
    c:
      action: std.echo output=c
      publish: {c: <% task().result %>}
      on-success: [all, one, two]
    noop_b:
      action: std.noop
    all:
      join: all
      action: std.echo output=<% [$.a, $.b, $.c] %>
      publish: {all_saw: <% task().result %>}
    one:
      join: one
      action: std.noop
    two:
      join: 2
      action: std.echo output=<% [$.get(a), $.get(b), $.get(c)] %>
      publish: {two_saw: <% task().result %>}
  output:
    all_saw: <% $.get(all_saw) %>
    two_saw: <% $.two_saw %>
"""


def _complete_b(api, ex_id, state):
    b = api.wait_task_state(ex_id, "b", "RUNNING")
    act = api.get("/v2/tasks/%s/action_executions" % b["id"]).json()["action_executions"][0]
    r = api.put("/v2/action_executions/%s" % act["id"], {"state": state, "output": json.dumps("b")})
    assert r.status_code == 200, r.text


def test_joins_one_and_number_run_before_all(api):
    define(api, JOINS)
    ex = api.start("joins")
    api.wait_task_state(ex["id"], "two", "SUCCESS")
    api.wait_task_state(ex["id"], "one", "SUCCESS")
    tasks = api.tasks(ex["id"])
    assert tasks["all"]["state"] == "WAITING"
    assert tasks["b"]["state"] == "RUNNING"
    # join: 2 ran with the two branches that had arrived (a and c).
    assert published(tasks["two"]) == {"two_saw": ["a", None, "c"]}
    _complete_b(api, ex["id"], "SUCCESS")
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"all_saw": ["a", "b", "c"], "two_saw": ["a", None, "c"]}
    counts = collections.Counter(t["name"] for t in api.task_list(ex["id"]))
    assert counts == {"a": 1, "b": 1, "c": 1, "all": 1, "one": 1, "two": 1}


def test_join_all_that_can_not_be_satisfied_fails(api):
    define(api, JOINS)
    ex = api.start("joins")
    _complete_b(api, ex["id"], "ERROR")
    ex = api.wait_state(ex["id"], "ERROR")
    tasks = api.tasks(ex["id"])
    assert tasks["noop_b"]["state"] == "SUCCESS"
    assert tasks["one"]["state"] == "SUCCESS"
    assert tasks["two"]["state"] == "SUCCESS"
    assert tasks["all"]["state"] == "ERROR"
    assert "all" in tasks["all"]["state_info"]
    assert "all" in ex["state_info"]


def test_fan_out_runs_every_branch_even_when_one_fails_at_once(api):
    define(
        api,
        """
version: '2.0'
fan_out:
  tasks:
    start:
      action: std.noop
      on-success: [bad, good]
    bad:
      action: std.echo output=<% $.nope.x %>
    good:
      action: std.echo output=ok
""",
    )
    ex = run(api, "fan_out", expect=("ERROR",))
    tasks = api.tasks(ex["id"])
    assert tasks["bad"]["state"] == "ERROR"
    assert tasks["good"]["state"] == "SUCCESS"
    assert "bad" in ex["state_info"] and "good" not in ex["state_info"]


def test_join_all_waits_for_a_slow_branch(api):
    define(
        api,
        """
version: '2.0'
slow_join:
  tasks:
    fast:
      action: std.echo output=fast
      publish: {fast: <% task().result %>}
      on-success: [j]
    slow:
      action: std.async_noop
      publish: {slow: <% task().result %>}
      on-success: [j]
    j:
      join: all
      action: std.echo output=<% [$.fast, $.slow] %>
      publish: {both: <% task().result %>}
  output:
    both: <% $.both %>
""",
    )
    ex = api.start("slow_join")
    api.wait_task_state(ex["id"], "j", "WAITING")
    slow = api.wait_task_state(ex["id"], "slow", "RUNNING")
    act = api.get("/v2/tasks/%s/action_executions" % slow["id"]).json()["action_executions"][0]
    r = api.put("/v2/action_executions/%s" % act["id"], {"state": "SUCCESS", "output": json.dumps("slow")})
    assert r.status_code == 200, r.text
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"both": ["fast", "slow"]}


def test_engine_command_fail_with_msg(api):
    define(
        api,
        """
version: '2.0'
cmd_fail:
  tasks:
    check:
      action: std.echo output=7
      on-success:
        - fail(msg="value was <% task().result %>"): <% task().result > 5 %>
        - later
    later:
      action: std.noop
""",
    )
    ex = run(api, "cmd_fail", expect=("ERROR",))
    assert ex["state_info"] == "value was 7"
    assert api.tasks(ex["id"])["check"]["state"] == "SUCCESS"


def test_engine_command_fail_without_msg_and_inline_form(api):
    define(
        api,
        """
version: '2.0'
cmd_fail2:
  tasks:
    check:
      action: std.noop
      on-complete: fail
""",
    )
    ex = run(api, "cmd_fail2", expect=("ERROR",))
    assert "check" in ex["state_info"]


def test_engine_command_succeed_with_msg_stops_other_work(api):
    define(
        api,
        """
version: '2.0'
cmd_succeed:
  tasks:
    boom:
      action: std.fail
      publish-on-error:
        rescued: true
      on-error:
        - succeed(msg="good enough")
  output:
    rescued: <% $.rescued %>
""",
    )
    ex = run(api, "cmd_succeed")
    assert ex["state_info"] == "good enough"
    assert output(ex) == {"rescued": True}


def test_engine_command_pause_with_msg_then_resume(api):
    define(
        api,
        """
version: '2.0'
cmd_pause:
  tasks:
    first:
      action: std.echo output=1
      on-success:
        - pause(msg="check the first result")
        - second
    second:
      action: std.echo output=2
      publish: {second: <% task().result %>}
  output:
    second: <% $.second %>
""",
    )
    ex = run(api, "cmd_pause", expect=("PAUSED",))
    assert ex["state_info"] == "check the first result"
    r = put_execution(api, ex["id"], state="RUNNING")
    assert r.status_code == 200, r.text
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"second": 2}
    assert ex["state_info"] is None


def test_task_named_like_a_command_is_a_task(api):
    define(
        api,
        """
version: '2.0'
named_fail:
  tasks:
    first:
      action: std.noop
      on-success: fail
    fail:
      action: std.echo output=not-a-command
""",
    )
    ex = run(api, "named_fail")
    assert api.tasks(ex["id"])["fail"]["state"] == "SUCCESS"


def test_fail_command_evaluates_output_on_error_and_stops_other_branches(api):
    define(
        api,
        """
version: '2.0'
fail_early:
  tasks:
    slow:
      action: std.async_noop
    quick:
      action: std.echo output=7
      publish: {seen: <% task().result %>}
      on-success:
        - fail(msg="quick saw <% $.seen %>")
  output-on-error:
    seen: <% $.seen %>
""",
    )
    ex = run(api, "fail_early", expect=("ERROR",))
    assert ex["state_info"] == "quick saw 7"
    assert output(ex) == {"seen": 7}
    tasks = api.tasks(ex["id"])
    assert tasks["slow"]["state"] in ("CANCELLED", "ERROR")
    act = api.get("/v2/tasks/%s/action_executions" % tasks["slow"]["id"]).json()["action_executions"][0]
    assert act["state"] in ("CANCELLED", "ERROR")


def test_succeed_command_stops_other_branches(api):
    define(
        api,
        """
version: '2.0'
succeed_early:
  tasks:
    slow:
      workflow: held_child
    quick:
      action: std.echo output=done
      publish: {r: <% task().result %>}
      on-success: [succeed]
  output:
    r: <% $.r %>
held_child:
  tasks:
    hold:
      action: std.async_noop
""",
    )
    ex = run(api, "succeed_early")
    assert output(ex) == {"r": "done"}
    slow = api.tasks(ex["id"])["slow"]
    assert slow["state"] == "CANCELLED"
    child = api.get("/v2/tasks/%s/workflow_executions" % slow["id"]).json()["executions"][0]
    assert child["state"] == "CANCELLED"


def test_action_cancelled_through_the_api_cancels_the_workflow(api):
    define(
        api,
        """
version: '2.0'
cancel_action:
  tasks:
    held:
      action: std.async_noop
      on-complete: [never]
    never:
      action: std.noop
""",
    )
    ex = api.start("cancel_action")
    held = api.wait_task_state(ex["id"], "held", "RUNNING")
    act = api.get("/v2/tasks/%s/action_executions" % held["id"]).json()["action_executions"][0]
    r = api.put("/v2/action_executions/%s" % act["id"], {"state": "CANCELLED"})
    assert r.status_code == 200, r.text
    ex = api.wait_state(ex["id"], "CANCELLED")
    tasks = api.tasks(ex["id"])
    assert tasks["held"]["state"] == "CANCELLED"
    assert "never" not in tasks
