"""Tests of valid workflow definitions: each construct and the spec helpers."""

import json
import pathlib
import textwrap

import pytest

from mistral import lang
from mistral.lang import InputParam, RetrySpec, Transition

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def fixture(name):
    return (FIXTURES / name).read_text()


def one_workflow(body, version="'2.0'"):
    text = "version: {}\nwf:\n{}".format(
        version,
        textwrap.indent(textwrap.dedent(body), "  "),
    )
    (wf,) = lang.parse_workflows(text)
    return wf


def tasks(yaml_tasks, **extra):
    """A workflow 'wf' with the given tasks block (and other top fields)."""
    head = "".join("{}: {}\n".format(k.replace("_", "-"), v) for k, v in extra.items())
    body = head + "tasks:\n" + textwrap.indent(textwrap.dedent(yaml_tasks), "  ")
    return one_workflow(body)


def round_trip(spec):
    d = json.loads(json.dumps(spec.to_dict()))
    loaded = lang.load_workflow_spec(d)
    assert loaded == spec
    assert loaded.to_dict() == d
    return loaded


def test_full_direct_fixture():
    (wf,) = lang.parse_workflows(fixture("direct_full.yaml"))
    assert wf.name == "create_vm"
    assert wf.type == "direct"
    assert wf.description == "Creates a VM and reports"
    assert wf.tags == ["vm", "nova"]
    assert wf.input == [
        InputParam("vm_name"),
        InputParam("flavor", True, "m1.small"),
        InputParam("retries", True, 3),
        InputParam("opts", True, {"a": 1}),
        InputParam("nothing", True, None),
    ]
    assert wf.input_string() == (
        'vm_name, flavor="m1.small", retries=3, opts={"a": 1}, nothing=null'
    )
    assert wf.input_defaults() == {
        "flavor": "m1.small",
        "retries": 3,
        "opts": {"a": 1},
        "nothing": None,
    }
    assert wf.output == {"vm_id": "<% $.vm_id %>", "status": "{{ _.status }}"}
    assert wf.output_on_error == {"error": "<% $.error %>"}
    assert wf.vars == {"base_url": "<% env().url %>", "limit": 10}
    assert list(wf.tasks) == [
        "create_server",
        "wait_for_instance",
        "notify",
        "report_error",
    ]

    create = wf.tasks["create_server"]
    assert create.type == "action"
    assert create.action == "nova.servers_create"
    assert create.input == {"name": "<% $.vm_name %>", "flavor": "<% $.flavor %>"}
    assert create.publish == {"vm_id": "<% task().result.id %>"}
    assert create.on_success == [Transition("wait_for_instance")]
    # From task-defaults:
    assert create.on_error == [Transition("report_error")]
    assert create.retry == RetrySpec(2, 1, "<% $.stop %>")
    assert create.timeout == 60

    wait = wf.tasks["wait_for_instance"]
    assert wait.input == {"id": "<% $.vm_id %>", "status": "ACTIVE"}
    assert wait.retry == RetrySpec(15, 5, "<% $.stop %>")
    assert wait.timeout == 300
    assert wait.on_success == [
        Transition("notify", "<% $.status = 'ACTIVE' %>"),
        Transition("fail", params={"msg": "VM is not active"}),
    ]

    notify = wf.tasks["notify"]
    assert notify.type == "workflow"
    assert notify.action is None
    assert notify.workflow == "send_mail"
    assert notify.input == {
        "to": "ops@example.com",
        "subject": "VM <% $.vm_id %> is up",
        "body": "done",
    }
    assert notify.on_complete == [Transition("succeed")]

    report = wf.tasks["report_error"]
    assert report.publish_on_error == {"error": "<% task().result %>"}
    # Defaults never make a task transition to itself.
    assert report.on_error == []
    assert report.on_complete == [
        Transition("fail", params={"msg": "create_vm failed"})
    ]

    assert wf.start_task_names() == ["create_server"]
    assert wf.inbound_task_names("report_error") == [
        "create_server",
        "wait_for_instance",
        "notify",
    ]
    assert wf.outbound_task_names("wait_for_instance") == ["notify", "report_error"]
    assert wf.is_engine_command("fail")
    assert not wf.is_engine_command("notify")
    round_trip(wf)


def test_reverse_fixture():
    (wf,) = lang.parse_workflows(fixture("reverse.yaml"))
    assert wf.type == "reverse"
    assert wf.tasks["prepare"].requires == []
    assert wf.tasks["build"].requires == ["prepare"]
    assert wf.tasks["test"].requires == ["build", "prepare"]
    assert wf.tasks["release"].requires == ["test", "build", "prepare"]
    assert wf.tasks["release"].wait_before == 1
    assert wf.start_task_names() == ["prepare", "build", "test", "release"]
    assert wf.inbound_task_names("build") == []
    round_trip(wf)


@pytest.mark.parametrize("version", ["'2.0'", "2.0", "2", '"2.00"'])
def test_versions_accepted(version):
    assert one_workflow("tasks: {t: {}}", version=version).name == "wf"


def test_several_workflows_keep_order():
    text = "version: '2.0'\nb: {tasks: {t: {}}}\na: {tasks: {t: {}}}\nc: {tasks: {t: {}}}\n"
    assert [w.name for w in lang.parse_workflows(text)] == ["b", "a", "c"]


def test_minimal_task_is_noop():
    wf = tasks("t1:\n")
    t = wf.tasks["t1"]
    assert (t.type, t.action, t.workflow, t.input) == ("action", None, None, {})
    assert (t.keep_result, t.safe_rerun, t.pause_before) == (True, False, False)
    assert t.retry is None and t.join is None and t.with_items == []
    assert wf.output is None and wf.vars == {} and wf.input == []
    assert wf.input_string() == ""
    assert round_trip(wf).tasks["t1"] == t


def test_input_merges_inline_params_input_wins():
    wf = tasks("""
        t1:
          action: std.http url=a method=GET
          input:
            url: b
            body: {x: 1}
        """)
    assert wf.tasks["t1"].input == {"url": "b", "method": "GET", "body": {"x": 1}}


def test_input_as_expression():
    wf = tasks("""
        t1:
          workflow: <% $.wf_name %>
          input: <% $.params %>
        """)
    t = wf.tasks["t1"]
    assert (t.type, t.workflow, t.input) == (
        "workflow",
        "<% $.wf_name %>",
        "<% $.params %>",
    )
    round_trip(wf)


@pytest.mark.parametrize(
    "clause, expected",
    [
        ("t2", [Transition("t2")]),
        ("[t2, t3]", [Transition("t2"), Transition("t3")]),
        ("{t2: '<% $.ok %>'}", [Transition("t2", "<% $.ok %>")]),
        (
            "[t2: '<% $.a %>', t3, 'fail msg=\"no\"']",
            [
                Transition("t2", "<% $.a %>"),
                Transition("t3"),
                Transition("fail", None, {"msg": "no"}),
            ],
        ),
        ("'pause(msg=\"wait\")'", [Transition("pause", None, {"msg": "wait"})]),
        ("{next: t2}", [Transition("t2")]),
        (
            "{next: [t2, {t3: '<% $.x %>'}]}",
            [Transition("t2"), Transition("t3", "<% $.x %>")],
        ),
        ("[noop, succeed]", [Transition("noop"), Transition("succeed")]),
    ],
)
@pytest.mark.parametrize("key", ["on-success", "on-error", "on-complete", "on-skip"])
def test_transition_forms(key, clause, expected):
    wf = tasks(f"t1:\n  {key}: {clause}\nt2: {{}}\nt3: {{}}\n")
    assert getattr(wf.tasks["t1"], key.replace("-", "_")) == expected
    round_trip(wf)


def test_task_named_like_engine_command_wins():
    wf = tasks("t1:\n  on-error: fail\nfail:\n  action: std.echo output=x\n")
    assert not wf.is_engine_command("fail")
    assert wf.inbound_task_names("fail") == ["t1"]
    assert wf.start_task_names() == ["t1"]


def test_condition_on_task_called_next():
    wf = tasks("t1:\n  on-success: {next: '<% $.go %>'}\nnext: {}\n")
    assert wf.tasks["t1"].on_success == [Transition("next", "<% $.go %>")]


def test_clause_publish_merges_into_publish():
    wf = tasks("""
        t1:
          publish: {a: 1, b: 1}
          publish-on-error: {e: 1}
          on-complete:
            publish:
              branch: {b: 2, c: 2}
            next: t2
          on-success:
            publish:
              branch: {c: 3}
              global: {g: 3}
          on-error:
            publish:
              atomic: {e: 4}
          on-skip:
            publish:
              branch: {s: 5}
        t2: {}
        """)
    t = wf.tasks["t1"]
    assert t.publish == {"a": 1, "b": 2, "c": 3, "g": 3}
    assert t.publish_on_error == {"e": 4, "b": 2, "c": 2}
    assert t.publish_on_skip == {"s": 5}
    assert t.on_complete == [Transition("t2")]
    assert t.on_success == [] and t.on_error == []
    round_trip(wf)


def test_structured_task_publish_is_flattened():
    wf = tasks("t1:\n  publish:\n    branch: {a: 1}\n    global: {b: 2}\n")
    assert wf.tasks["t1"].publish == {"a": 1, "b": 2}


def test_plain_publish_with_scope_like_name_is_kept():
    wf = tasks("t1:\n  publish:\n    branch: <% $.b %>\n    x: 1\n")
    assert wf.tasks["t1"].publish == {"branch": "<% $.b %>", "x": 1}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("x in <% $.xs %>", [("x", "<% $.xs %>")]),
        ("[x in <% $.xs %>, 'y in [1, 2]']", [("x", "<% $.xs %>"), ("y", [1, 2])]),
        ("'i in {{ _.items }}'", [("i", "{{ _.items }}")]),
    ],
)
def test_with_items(value, expected):
    wf = tasks(f"t1:\n  with-items: {value}\n  concurrency: 2\n")
    assert wf.tasks["t1"].with_items == expected
    assert wf.tasks["t1"].concurrency == 2
    assert round_trip(wf).tasks["t1"].with_items == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("{count: 3, delay: 1}", RetrySpec(3, 1)),
        ("count=3 delay=1", RetrySpec(3, 1)),
        (
            "count=<% $.n %> delay=0 break-on=<% $.x = 'a b' %>",
            RetrySpec("<% $.n %>", 0, "<% $.x = 'a b' %>"),
        ),
        (
            "{count: 1, delay: '<% $.d %>', continue-on: '<% $.again %>'}",
            RetrySpec(1, "<% $.d %>", None, "<% $.again %>"),
        ),
    ],
)
def test_retry_forms(value, expected):
    wf = tasks(f"t1:\n  retry: {value}\n")
    assert wf.tasks["t1"].retry == expected
    round_trip(wf)


@pytest.mark.parametrize(
    "key, value, attr, expected",
    [
        ("wait-before", "5", "wait_before", 5),
        ("wait-after", "'<% $.w %>'", "wait_after", "<% $.w %>"),
        ("timeout", "0", "timeout", 0),
        ("concurrency", "'{{ _.c }}'", "concurrency", "{{ _.c }}"),
        ("pause-before", "true", "pause_before", True),
        ("pause-before", "'<% $.p %>'", "pause_before", "<% $.p %>"),
        ("keep-result", "false", "keep_result", False),
        ("safe-rerun", "true", "safe_rerun", True),
        ("fail-on", "'<% $.bad %>'", "fail_on", "<% $.bad %>"),
        ("fail-on", "true", "fail_on", True),
        ("target", "group-<% $.zone %>", "target", "group-<% $.zone %>"),
        ("description", "does things", "description", "does things"),
        ("tags", "[a, b]", "tags", ["a", "b"]),
    ],
)
def test_task_attributes(key, value, attr, expected):
    wf = tasks(f"t1:\n  {key}: {value}\n")
    assert getattr(wf.tasks["t1"], attr) == expected
    round_trip(wf)


@pytest.mark.parametrize("join", ["all", "one", "2"])
def test_join(join):
    wf = tasks(f"a: {{on-success: j}}\nb: {{on-error: j}}\nj:\n  join: {join}\n")
    assert wf.tasks["j"].join == (int(join) if join.isdigit() else join)
    assert wf.start_task_names() == ["a", "b"]
    assert wf.inbound_task_names("j") == ["a", "b"]


def test_task_defaults_policies_and_precedence():
    wf = tasks(
        """
        t1:
          timeout: 5
          retry: {count: 9, delay: 9}
        t2:
          pause-before: false
        """,
        task_defaults=(
            "{wait-before: 1, wait-after: 2, timeout: 3, pause-before: true, "
            "concurrency: 4, safe-rerun: true, fail-on: '<% $.f %>', "
            "retry: 'count=1 delay=2 continue-on=<% $.c %>'}"
        ),
    )
    t1, t2 = wf.tasks["t1"], wf.tasks["t2"]
    assert (t1.wait_before, t1.wait_after, t1.timeout) == (1, 2, 5)
    assert (t1.pause_before, t1.concurrency, t1.safe_rerun, t1.fail_on) == (
        True,
        4,
        True,
        "<% $.f %>",
    )
    assert t1.retry == RetrySpec(9, 9, None, "<% $.c %>")
    assert t2.pause_before is False
    assert t2.retry == RetrySpec(1, 2, None, "<% $.c %>")
    assert t2.retry is not wf.tasks["t1"].retry


def test_task_defaults_transitions_replace_only_empty_clauses():
    wf = tasks(
        """
        t1:
          on-error: [own]
        t2:
          on-complete:
            publish: {branch: {x: 1}}
        own: {}
        handler: {}
        """,
        task_defaults=(
            "{on-error: [handler, 'fail msg=\"boom\"'], "
            "on-complete: {next: [handler], publish: {branch: {d: 1}}}}"
        ),
    )
    t1, t2 = wf.tasks["t1"], wf.tasks["t2"]
    assert t1.on_error == [Transition("own")]
    assert t1.on_complete == [Transition("handler")]
    assert t1.publish == {"d": 1}
    assert t2.on_error == [
        Transition("handler"),
        Transition("fail", None, {"msg": "boom"}),
    ]
    # t2's own on-complete has no targets: it takes the default's, but keeps
    # its own publish.
    assert t2.on_complete == [Transition("handler")]
    assert t2.publish == {"x": 1} and t2.publish_on_error == {"x": 1}
    assert wf.tasks["handler"].on_complete == []
    assert wf.tasks["handler"].on_error == [Transition("fail", None, {"msg": "boom"})]
    assert wf.start_task_names() == ["t1", "t2"]


def test_self_loop_counts_as_inbound_like_mistral():
    wf = tasks("start: {on-success: loop}\nloop: {on-error: loop}\n")
    assert wf.start_task_names() == ["start"]
    assert wf.inbound_task_names("loop") == ["start", "loop"]


def test_yaml_details():
    wf = tasks(
        """
        t1:
          action: std.echo
          input:
            when: 2024-01-02
            <<: {merged: 1, when: overridden}
        """,
        vars="{on_date: 2024-01-02 10:00:00}",
    )
    assert wf.vars == {"on_date": "2024-01-02 10:00:00"}
    assert wf.tasks["t1"].input == {"merged": 1, "when": "2024-01-02"}


def test_description_and_tags_of_workflow():
    wf = tasks("t: {}", description="'hello'", tags="[x]")
    assert (wf.description, wf.tags) == ("hello", ["x"])


def test_qualified_name():
    wf = tasks("t: {}")
    assert wf.qualified_name() == "wf"
    assert wf.qualified_name("book") == "book.wf"


def test_load_does_not_validate():
    # A stored spec is trusted: loading never re-checks links or expressions.
    d = {
        "version": "2.0",
        "name": "w",
        "tasks": [{"name": "a", "on_success": [{"name": "zz"}]}],
    }
    wf = lang.load_workflow_spec(d)
    assert wf.tasks["a"].on_success == [Transition("zz")]
    assert wf.to_dict() == d


def test_thousand_tasks():
    lines = ["version: '2.0'", "big:", "  input: [n]", "  tasks:"]
    for i in range(1000):
        nxt = f"{{t{i + 1}: '<% $.n > {i} %>'}}" if i < 999 else "succeed"
        lines += [
            f"    t{i}:",
            f"      action: std.echo output=<% $.n %> index={i}",
            f"      publish: {{r{i}: '<% task().result %>'}}",
            "      retry: count=3 delay=1",
            f"      on-success: [{nxt}]",
            f"      on-error: 'fail msg=\"t{i} failed\"'",
        ]
    (wf,) = lang.parse_workflows("\n".join(lines))
    assert len(wf.tasks) == 1000
    assert list(wf.tasks)[:3] == ["t0", "t1", "t2"]
    assert wf.start_task_names() == ["t0"]
    assert wf.inbound_task_names("t500") == ["t499"]
    t = wf.tasks["t999"]
    assert t.input == {"output": "<% $.n %>", "index": 999}
    assert t.on_success == [Transition("succeed")]
    assert t.on_error == [Transition("fail", None, {"msg": "t999 failed"})]
    assert wf.tasks["t10"].on_success == [Transition("t11", "<% $.n > 10 %>")]
    round_trip(wf)
