"""The real daemons as separate processes: mistral-api, two mistral-engine
and a mistral-executor over RabbitMQ and PostgreSQL (and MariaDB), driven
through REST.

Each test gets its own exchange and topics on the broker (``messaging``);
the module shares one fresh database per backend. The daemons' logs are
attached to the report of a failed test.
"""

import json
import subprocess
import threading
import uuid

import pytest
from integration_support import Cluster, Endpoint, describe_unfinished, script, wait_for

CHAIN = 20
ITEMS = 10
EXECUTIONS = 6


def chain_workflow(name, length, http_every, items, safe_rerun=False):
    """``length`` sequential tasks (std.http every ``http_every``-th, std.echo
    otherwise) each appending its number to ``acc``, then a with-items task
    calling the endpoint ``items`` times."""
    lines = ["version: '2.0'", "%s:" % name, "  input: [tag, url]", "  tasks:"]
    for i in range(1, length + 1):
        lines.append("    t%02d:" % i)
        if i % http_every == 0:
            lines += [
                "      action: std.http",
                "      input:",
                "        url: <% $.url %>/<% $.tag %>/step/" + str(i),
                "      publish:",
                "        acc: <% $.acc + [task().result.content.n] %>",
            ]
            if safe_rerun:
                lines.append("      safe-rerun: true")
        else:
            lines += [
                "      action: std.echo",
                "      input:",
                "        output: " + ("[1]" if i == 1 else "<% $.acc + [" + str(i) + "] %>"),
                "      publish:",
                "        acc: <% task().result %>",
            ]
        lines.append("      on-success: [%s]" % ("t%02d" % (i + 1) if i < length else "fan"))
    lines += [
        "    fan:",
        "      with-items: i in <% range(" + str(items) + ") %>",
        "      action: std.http",
        "      input:",
        "        url: <% $.url %>/<% $.tag %>/item/<% $.i %>",
        "      publish:",
        "        items: <% task().result.select($.content.n) %>",
    ]
    if safe_rerun:
        lines.append("      safe-rerun: true")
    lines += ["  output:", "    chain: <% $.acc %>", "    items: <% $.items %>", ""]
    return "\n".join(lines)


def expected_paths(tag, length, http_every, items):
    steps = ["/%s/step/%d" % (tag, i) for i in range(1, length + 1) if i % http_every == 0]
    return set(steps) | {"/%s/item/%d" % (tag, i) for i in range(items)}


def start_concurrently(api, wf_name, inputs):
    """POST one execution per input from as many threads at once; their ids."""
    barrier = threading.Barrier(len(inputs))
    ids, errors = [None] * len(inputs), []

    def _start(i):
        try:
            barrier.wait(30)
            ids[i] = api.start(wf_name, inputs[i])["id"]
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=_start, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == [], errors
    return ids


@pytest.fixture
def endpoint():
    ep = Endpoint()
    yield ep
    ep.stop()


@pytest.fixture
def cluster(request, tmp_path, messaging):
    """Daemons of this test (started by the test) on the module's PostgreSQL
    database, or MariaDB's when parametrized so; stopped with SIGTERM after it."""
    backend = getattr(request, "param", "postgresql")
    db_url = request.getfixturevalue("pg_database" if backend == "postgresql" else "mariadb_database")
    c = Cluster(tmp_path, db_url, messaging)
    request.node.daemon_logs = c.logs
    yield c
    ignored_sigterm = c.stop()
    assert ignored_sigterm == [], "daemons killed after ignoring SIGTERM for 10 s: %s" % ignored_sigterm


@pytest.mark.parametrize("cluster", ["postgresql", "mariadb"], indirect=True)
def test_executions_run_across_separate_daemons(cluster, endpoint):
    api = cluster.start(engines=2, executors=1).api
    api.create_workflow(chain_workflow("chain", CHAIN, 4, ITEMS))
    tags = ["ex%d-%s" % (i, uuid.uuid4().hex[:6]) for i in range(EXECUTIONS)]

    ids = start_concurrently(api, "chain", [{"tag": tag, "url": endpoint.url} for tag in tags])

    try:
        finished = api.wait_finished(ids, timeout=60)
    except AssertionError as e:
        raise AssertionError("%s\n%s" % (e, describe_unfinished(cluster.db_url, ids))) from None
    for ex_id, tag in zip(ids, tags, strict=True):
        ex = finished[ex_id]
        assert ex["state"] == "SUCCESS", (ex_id, ex["state_info"])
        assert json.loads(ex["output"]) == {"chain": list(range(1, CHAIN + 1)), "items": list(range(ITEMS))}
        tasks = api.tasks(ex_id)
        assert sorted(t["name"] for t in tasks) == ["fan"] + ["t%02d" % i for i in range(1, CHAIN + 1)]
        assert {t["state"] for t in tasks} == {"SUCCESS"}
        # Two engines, yet every action ran exactly once.
        assert endpoint.hits_of(tag) == dict.fromkeys(expected_paths(tag, CHAIN, 4, ITEMS), 1)
    assert all(d.alive() for d in cluster.daemons)


@pytest.mark.parametrize(
    "argv",
    [["mistral-server", "--server", "api"], ["mistral-api"], ["mistral-engine"], ["mistral-server", "--server", "engine,executor"]],
    ids=["server-api", "mistral-api", "mistral-engine", "server-engine-executor"],
)
def test_lone_component_refuses_the_in_process_transport(tmp_path, argv):
    db_path = tmp_path / "refused.sqlite"
    conf = tmp_path / "mistral.conf"
    conf.write_text("[database]\nconnection = sqlite:///%s\n" % db_path)

    done = subprocess.run(
        [script(argv[0])] + argv[1:] + ["--config-file", str(conf)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )

    assert done.returncode != 0
    assert "transport_url" in done.stderr
    assert "mistral-server running" not in done.stderr
    assert not db_path.exists()


def test_executions_survive_a_killed_engine(cluster):
    endpoint = Endpoint(delay=0.05)
    try:
        _killed_engine_scenario(cluster, endpoint)
    finally:
        endpoint.stop()


def _killed_engine_scenario(cluster, endpoint):
    length, http_every, items, count = 16, 2, 5, 8
    api = cluster.start(engines=2, executors=1).api
    api.create_workflow(chain_workflow("survivor", length, http_every, items, safe_rerun=True))
    tags = ["k%d-%s" % (i, uuid.uuid4().hex[:6]) for i in range(count)]
    per_execution = len(expected_paths("x", length, http_every, items))

    ids = start_concurrently(api, "survivor", [{"tag": tag, "url": endpoint.url} for tag in tags])
    # Kill one engine in the thick of it: about a third of the actions done.
    wait_for(lambda: endpoint.total() >= count * per_execution // 3, 60, "a third of the actions")
    victim, survivor = cluster.engines()
    victim.kill()
    hits_at_kill = endpoint.total()

    try:
        finished = api.wait_finished(ids, timeout=60)
    except AssertionError as e:
        raise AssertionError(
            "%s after SIGKILL of %s (pid %d) at %d of %d actions; %s alive: %s\n%s"
            % (e, victim.name, victim.pid, hits_at_kill, count * per_execution, survivor.name, survivor.alive(),
               describe_unfinished(cluster.db_url, ids))
        ) from None
    for ex_id, tag in zip(ids, tags, strict=True):
        ex = finished[ex_id]
        assert ex["state"] == "SUCCESS", (ex_id, ex["state_info"], describe_unfinished(cluster.db_url, [ex_id]))
        assert json.loads(ex["output"]) == {"chain": list(range(1, length + 1)), "items": list(range(items))}
        # safe-rerun: an action whose result was lost may run again, none is skipped.
        assert set(endpoint.hits_of(tag)) == expected_paths(tag, length, http_every, items)
    assert survivor.alive()
