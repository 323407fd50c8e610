"""Helpers of the integration tests: the daemons as separate processes, a
small REST client, a local HTTP endpoint, and a dump of what an execution
is waiting for (for failure messages)."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
import sqlalchemy as sa

from mistral.db import models

BIN = os.path.dirname(sys.executable)
POLL = 0.05
FINISHED = ("SUCCESS", "ERROR", "CANCELLED")


def script(name):
    """Path of one of our console scripts in the running virtualenv."""
    return os.path.join(BIN, name)


def wait_for(predicate, timeout, what, interval=POLL):
    """Poll ``predicate`` until it returns something true; AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))
        time.sleep(interval)


class Daemon:
    """One console script running as a child process, logging to a file."""

    def __init__(self, name, argv, log_path):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self.proc = None

    def start(self):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        return self

    @property
    def pid(self):
        return self.proc.pid

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL: no clean-up of any kind, as when a machine dies."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def terminate(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, timeout=10):
        """SIGTERM, then SIGKILL after ``timeout``; True when it stopped in time."""
        if self.proc is None:
            return True
        self.terminate()
        try:
            self.proc.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            return False


class Cluster:
    """mistral-api, engines and executors as separate processes sharing one
    database and one broker (a private exchange and topics of it)."""

    RUNNING_LINE = "mistral-server running:"

    def __init__(self, tmp_path, db_url, messaging):
        self.dir = tmp_path
        self.db_url = db_url
        self.messaging = messaging
        self.conf_path = tmp_path / "mistral.conf"
        self.daemons = []
        self.api = None
        self.base_url = None

    def write_config(self):
        m = self.messaging
        self.conf_path.write_text(
            "\n".join(
                [
                    "[DEFAULT]",
                    "transport_url = %s" % m.transport_url,
                    "control_exchange = %s" % m.control_exchange,
                    "[api]",
                    "host = 127.0.0.1",
                    # Any free port: the API logs the one it got.
                    "port = 0",
                    "[database]",
                    "connection = %s" % self.db_url,
                    "max_pool_size = 5",
                    "[engine]",
                    "topic = %s" % m.engine_topic,
                    "scheduler_poll_interval = 0.05",
                    "[executor]",
                    "topic = %s" % m.executor_topic,
                    "[oslo_messaging_rabbit]",
                    # Leave nothing behind on the shared broker: topic and
                    # per-server queues (whose names the daemons make up)
                    # go with their last consumer, reply and fanout queues
                    # of killed daemons expire. Stricter than production's
                    # durable-ish queues: a message sent while no daemon
                    # listens on a topic is dropped, not kept.
                    "amqp_auto_delete = true",
                    "rabbit_transient_queues_ttl = 120",
                    "",
                ]
            )
        )

    def upgrade_schema(self):
        done = subprocess.run(
            [script("mistral-db-manage"), "--config-file", str(self.conf_path), "upgrade", "head"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, "mistral-db-manage failed:\n%s%s" % (done.stdout, done.stderr)

    def start(self, engines=2, executors=1, timeout=60):
        """Write the config, migrate, start the daemons, wait until all serve."""
        self.write_config()
        self.upgrade_schema()
        plan = [("api", "mistral-api")]
        plan += [("engine-%d" % i, "mistral-engine") for i in range(engines)]
        plan += [("executor-%d" % i, "mistral-executor") for i in range(executors)]
        for name, console_script in plan:
            argv = [script(console_script), "--config-file", str(self.conf_path)]
            self.daemons.append(Daemon(name, argv, self.dir / ("%s.log" % name)).start())
        self.wait_ready(timeout)
        return self

    def daemon(self, name):
        return next(d for d in self.daemons if d.name == name)

    def engines(self):
        return [d for d in self.daemons if d.name.startswith("engine")]

    def wait_ready(self, timeout):
        def _ready():
            for d in self.daemons:
                if not d.alive():
                    raise AssertionError("%s exited with %s during start-up:\n%s" % (d.name, d.proc.returncode, d.log()))
            if not all(self.RUNNING_LINE in d.log() for d in self.daemons):
                return False
            if self.base_url is None:
                found = re.search(r"API listening on (http://\S+)", self.daemon("api").log())
                if not found:
                    return False
                self.base_url = found.group(1)
                self.api = Api(self.base_url)
            try:
                return self.api.get("/v2", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(_ready, timeout, "the daemons to serve")

    def logs(self):
        return [(d.name, d.log()) for d in self.daemons]

    def stop(self):
        """Stop every daemon; names of those that ignored SIGTERM."""
        for d in self.daemons:
            d.terminate()
        # stop() sends a second SIGTERM, as impatient service managers do:
        # the daemons once deadlocked in their signal handler on that.
        stuck = [d.name for d in self.daemons if not d.stop()]
        if self.api is not None:
            self.api.http.close()
        return stuck


class Api:
    """A tiny REST client of the API under test."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()

    def get(self, path, **kw):
        kw.setdefault("timeout", 30)
        return self.http.get(self.base + path, **kw)

    def create_workflow(self, text):
        r = self.http.post(self.base + "/v2/workflows", data=text.encode(), headers={"Content-Type": "text/plain"}, timeout=30)
        assert r.status_code == 201, r.text
        return r.json()["workflows"]

    def start(self, wf_name, wf_input):
        # A session per call: this is called from several threads at once.
        body = {"workflow_name": wf_name, "input": json.dumps(wf_input), "params": "{}"}
        r = requests.post(self.base + "/v2/executions", json=body, timeout=90)
        assert r.status_code == 201, r.text
        return r.json()

    def execution(self, ex_id):
        r = self.get("/v2/executions/%s" % ex_id)
        assert r.status_code == 200, r.text
        return r.json()

    def tasks(self, ex_id):
        r = self.get("/v2/executions/%s/tasks" % ex_id)
        assert r.status_code == 200, r.text
        return r.json()["tasks"]

    def wait_finished(self, ex_ids, timeout):
        """Poll until every execution is finished; their states and outputs by id.

        On timeout the AssertionError lists the unfinished ones.
        """
        deadline = time.monotonic() + timeout
        pending = set(ex_ids)
        done = {}
        while pending:
            for ex_id in sorted(pending):
                ex = self.execution(ex_id)
                if ex["state"] in FINISHED:
                    done[ex_id] = ex
                    pending.discard(ex_id)
            if pending and time.monotonic() > deadline:
                raise AssertionError("%d execution(s) unfinished after %ss: %s" % (len(pending), timeout, sorted(pending)))
            if pending:
                time.sleep(POLL)
        return done


class Endpoint:
    """A local HTTP service answering ``/<tag>/<kind>/<n>`` with
    ``{"tag": ..., "kind": ..., "n": n}`` and counting every request, so a
    test can tell whether an action ran twice or never."""

    def __init__(self, delay=0.0):
        self.delay = delay
        self.hits = {}
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = self.path.split("?")[0].strip("/").split("/")
                with endpoint._lock:
                    endpoint.hits[self.path] = endpoint.hits.get(self.path, 0) + 1
                if endpoint.delay:
                    time.sleep(endpoint.delay)
                if len(parts) == 3 and parts[2].isdigit():
                    status, payload = 200, {"tag": parts[0], "kind": parts[1], "n": int(parts[2])}
                else:
                    status, payload = 404, {"error": "no route %s" % self.path}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": POLL}, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def total(self):
        with self._lock:
            return sum(self.hits.values())

    def hits_of(self, tag):
        with self._lock:
            return {path: n for path, n in self.hits.items() if path.startswith("/%s/" % tag)}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def describe_unfinished(db_url, ex_ids):
    """What each unfinished execution is waiting for, read from the database:
    its tasks in order and the action executions of those not in SUCCESS."""
    wf, task, action = models.WorkflowExecution, models.TaskExecution, models.ActionExecution
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    lines = []
    try:
        with engine.connect() as conn:
            for ex_id in ex_ids:
                ex = conn.execute(sa.select(wf.state, wf.state_info).where(wf.id == ex_id)).one()
                if ex.state in FINISHED:
                    continue
                lines.append("execution %s: %s %s" % (ex_id, ex.state, ex.state_info or ""))
                rows = conn.execute(
                    sa.select(task.id, task.name, task.state, task.processed, task.updated_at)
                    .where(task.workflow_execution_id == ex_id)
                    .order_by(task.created_at)
                ).all()
                lines.append("  tasks: %s" % ", ".join("%s=%s" % (r.name, r.state) for r in rows))
                for r in rows:
                    if r.state == "SUCCESS" and r.processed:
                        continue
                    lines.append("  task %s [%s] %s processed=%s updated_at=%s" % (r.name, r.id, r.state, r.processed, r.updated_at))
                    for a in conn.execute(
                        sa.select(action.id, action.name, action.state, action.accepted, action.output, action.updated_at)
                        .where(action.task_execution_id == r.id)
                        .order_by(action.created_at)
                    ).all():
                        output = json.dumps(a.output)[:120] if a.output is not None else None
                        lines.append(
                            "    action %s [%s] %s accepted=%s output=%s updated_at=%s" % (a.name, a.id, a.state, a.accepted, output, a.updated_at)
                        )
            jobs = conn.execute(sa.select(models.ScheduledJob.job_type, models.ScheduledJob.key, models.ScheduledJob.run_after)).all()
            lines.append("scheduled jobs: %s" % ([tuple(j) for j in jobs] or "none"))
    finally:
        engine.dispose()
    return "\n".join(lines)
