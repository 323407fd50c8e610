"""Helpers of the functional tests: config, the REST client, a local HTTP
endpoint standing in for infrastructure, waiting on conditions."""

import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from oslo_config import cfg

from mistral import config, rpc

HERE = os.path.dirname(os.path.abspath(__file__))


def load_workflow(name):
    """The text of tests/functional/workflows/<name>.yaml."""
    with open(os.path.join(HERE, "workflows", name + ".yaml")) as f:
        return f.read()


def make_conf(db_url, options=None):
    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    rpc.register_opts(conf)
    conf([], project="mistral", default_config_files=[])
    conf.set_override("connection", db_url, "database")
    conf.set_override("port", 0, "api")
    conf.set_override("transport_url", "inproc://")
    conf.set_override("control_exchange", "test_%s" % uuid.uuid4().hex)
    conf.set_override("scheduler_poll_interval", 0.02, "engine")
    for (group, name), value in (options or {}).items():
        conf.set_override(name, value, group)
    return conf


class Api:
    """A tiny REST client of the server under test."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()

    def url(self, path):
        return self.base + path

    def get(self, path, **kw):
        return self.http.get(self.url(path), **kw)

    def delete(self, path, **kw):
        return self.http.delete(self.url(path), **kw)

    def post(self, path, json_body=None, text=None, **kw):
        if text is not None:
            return self.http.post(self.url(path), data=text.encode(), headers={"Content-Type": "text/plain"}, **kw)
        return self.http.post(self.url(path), json=json_body, **kw)

    def put(self, path, json_body=None, text=None, **kw):
        if text is not None:
            return self.http.put(self.url(path), data=text.encode(), headers={"Content-Type": "text/plain"}, **kw)
        return self.http.put(self.url(path), json=json_body, **kw)

    # Conveniences for workflows and executions.

    def create_workflow(self, text):
        r = self.post("/v2/workflows", text=text)
        assert r.status_code == 201, r.text
        return r.json()["workflows"]

    def start(self, wf_name, wf_input=None, env=None, **params):
        if env is not None:
            params["env"] = env
        body = {"workflow_name": wf_name, "input": json.dumps(wf_input or {}), "params": json.dumps(params)}
        r = self.post("/v2/executions", body)
        assert r.status_code == 201, r.text
        return r.json()

    def execution(self, ex_id):
        r = self.get("/v2/executions/%s" % ex_id)
        assert r.status_code == 200, r.text
        return r.json()

    def tasks(self, ex_id):
        r = self.get("/v2/executions/%s/tasks" % ex_id)
        assert r.status_code == 200, r.text
        return {t["name"]: t for t in r.json()["tasks"]}

    def task_list(self, ex_id):
        r = self.get("/v2/executions/%s/tasks" % ex_id)
        assert r.status_code == 200, r.text
        return r.json()["tasks"]

    def wait_state(self, ex_id, *expected, timeout=20):
        """Poll (every 0.02 s) until the execution is in one of ``expected``."""
        deadline = time.monotonic() + timeout
        while True:
            ex = self.execution(ex_id)
            if ex["state"] in expected:
                return ex
            if time.monotonic() > deadline:
                raise AssertionError("execution %s is %s, expected %s (%s)" % (ex_id, ex["state"], expected, ex["state_info"]))
            time.sleep(0.02)

    def wait_task_state(self, ex_id, name, *expected, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            task = self.tasks(ex_id).get(name)
            if task is not None and task["state"] in expected:
                return task
            if time.monotonic() > deadline:
                raise AssertionError("task %s is %s, expected %s" % (name, task and task["state"], expected))
            time.sleep(0.02)


def wait_for(predicate, timeout=20, interval=0.02, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(interval)


class ServerHandle:
    def __init__(self, launcher, services, db_path):
        self.launcher = launcher
        self.services = services
        self.db_path = db_path
        self.base_url = "http://127.0.0.1:%d" % launcher.api_port
        self.api = Api(self.base_url)

    @property
    def clock(self):
        return self.services.clock

    @property
    def scheduler(self):
        return self.launcher.scheduler


class Endpoint:
    """A local HTTP service standing in for real infrastructure.

    Routes answer by path; every request is recorded with its headers, so a
    test can assert which token or URL each task used.
    """

    def __init__(self):
        self.requests = []
        self.routes = {}
        self.tokens = {"good"}
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                endpoint.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
                route = endpoint.routes.get(self.path.split("?")[0], endpoint.default_route)
                status, payload = route(self)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def default_route(self, handler):
        auth = handler.headers.get("Authorization", "")
        token = auth.split(" ", 1)[1] if " " in auth else auth
        if token in self.tokens:
            return 200, {"ok": True, "path": handler.path, "token": token}
        return 401, {"error": "token expired or invalid"}

    def tokens_seen(self, path_prefix=""):
        return [r["headers"].get("Authorization") for r in self.requests if r["path"].startswith(path_prefix)]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def rerun(api, task_id, env=None, reset=True, as_string=True):
    """PUT /v2/tasks/<id> as python-mistralclient sends it (env as a JSON string)."""
    body = {"id": task_id, "state": "RUNNING", "reset": reset}
    if env is not None:
        body["env"] = json.dumps(env) if as_string else env
    return api.put("/v2/tasks/%s" % task_id, body)


def resume(api, ex_id, env=None):
    body = {"state": "RUNNING"}
    if env is not None:
        body["params"] = {"env": env}
    return api.put("/v2/executions/%s" % ex_id, body)


def action_executions(api, task_id):
    r = api.get("/v2/tasks/%s/action_executions" % task_id)
    assert r.status_code == 200, r.text
    return r.json()["action_executions"]


def complete_async(api, ex_id, task_name, output=None, state="SUCCESS"):
    """Complete the RUNNING async action of a task (PUT /v2/action_executions)."""
    task = api.wait_task_state(ex_id, task_name, "RUNNING")
    running = wait_for(
        lambda: [a for a in action_executions(api, task["id"]) if a["state"] == "RUNNING"], what="async action of %s" % task_name
    )
    r = api.put("/v2/action_executions/%s" % running[0]["id"], {"state": state, "output": json.dumps(output)})
    assert r.status_code == 200, r.text
    return r.json()


def env_of(api, ex_id):
    return json.loads(api.execution(ex_id)["params"])["env"]


def at_once(*calls):
    """Run the callables in threads released together by a barrier; returns their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def _run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=_run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def race_pause_and_resume(api, ex_id, child_id, rounds=5):
    """Send a pause and a resume-with-env at once, ``rounds`` times; after each
    round parent and paused child must agree on one state."""
    for _ in range(rounds):
        at_once(
            lambda: api.put("/v2/executions/%s" % ex_id, {"state": "PAUSED"}),
            lambda: resume(api, ex_id, env={"token": "t2"}),
        )
        parent_state = api.execution(ex_id)["state"]
        assert parent_state in ("PAUSED", "RUNNING")
        assert api.execution(child_id)["state"] == parent_state
