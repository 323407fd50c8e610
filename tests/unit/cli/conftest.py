"""Fixtures of the ``mistral`` CLI tests: a stub Mistral API and a runner.

The stub is a real HTTP server (``http.server`` in a thread, on 127.0.0.1
and a free port) that records every request and answers with canned,
Mistral-shaped JSON. Tests drive ``mistral.cli.shell.main([...])`` and check
the requests sent, the output and the exit code.
"""

import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mistral.cli.shell import main

WF_ID = "123e4567-e89b-12d3-a456-426614174000"
EX_ID = "5e6f7a8b-0000-4000-8000-000000000001"
TASK_ID = "7a8b9c0d-0000-4000-8000-000000000002"
AEX_ID = "9c0d1e2f-0000-4000-8000-000000000003"
CREATED = "2024-05-01 10:00:00"
UPDATED = "2024-05-01 10:00:07"


class Recorded:
    """One request the stub received."""

    def __init__(self, method, target, headers, body):
        parsed = urllib.parse.urlsplit(target)
        self.method = method
        self.path = parsed.path
        self.raw_query = parsed.query
        self.query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        self.headers = headers
        self.body = body

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0]

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.method} {self.path}?{self.raw_query}>"


class StubAPI:
    """Canned replies by (method, path); the last reply of a route repeats."""

    def __init__(self):
        self.requests = []
        self._routes = {}
        self._lock = threading.Lock()
        self.url = None

    def reset(self):
        with self._lock:
            self.requests = []
            self._routes = {}

    def reply(self, method, path, body=None, status=200, raw=None):
        """Queue a reply; ``raw`` (bytes) is sent as text/plain instead."""
        self._routes.setdefault((method, path), []).append((status, body, raw))

    def fault(self, method, path, status, message):
        self.reply(
            method,
            path,
            {"faultcode": "Client", "faultstring": message, "debuginfo": None},
            status,
        )

    def answer(self, method, target, headers, body):
        rec = Recorded(method, target, headers, body)
        with self._lock:
            self.requests.append(rec)
            queue = self._routes.get((method, rec.path))
            if not queue:
                return (
                    404,
                    {
                        "faultcode": "Client",
                        "faultstring": f"No stub for {method} {rec.path}",
                        "debuginfo": None,
                    },
                    None,
                )
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def only(self):
        """The single request received (fails if there were others)."""
        assert len(self.requests) == 1, self.requests
        return self.requests[0]


def _handler(stub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, data, raw = stub.answer(self.command, self.path, self.headers, body)
            if raw is not None:
                payload, ctype = raw, "text/plain"
            elif status == 204 or data is None:
                payload, ctype = b"", None
            else:
                payload, ctype = json.dumps(data).encode(), "application/json"
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture(scope="session")
def _server():
    stub = StubAPI()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/v2"
    yield stub
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def api(_server):
    """The stub API, with no routes and no recorded requests."""
    _server.reset()
    return _server


@pytest.fixture
def closed_port_url():
    """A URL on which nothing listens (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/v2"


class Result:
    def __init__(self, code, out, err):
        self.code = code
        self.out = out
        self.err = err

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<Result code={self.code} out={self.out!r} err={self.err!r}>"


@pytest.fixture
def cli(api, capsys, monkeypatch):
    """Run ``mistral --os-mistral-url <stub> ARGS``; returns a Result."""
    monkeypatch.delenv("OS_MISTRAL_URL", raising=False)
    monkeypatch.delenv("OS_AUTH_TOKEN", raising=False)
    capsys.readouterr()

    def run(*args, url=None):
        code = main(["--os-mistral-url", url or api.url, *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


class Canned:
    """Mistral-shaped resources, with overrides."""

    WF_ID = WF_ID
    EX_ID = EX_ID
    TASK_ID = TASK_ID
    AEX_ID = AEX_ID

    @staticmethod
    def workflow(**kw):
        return {
            "id": WF_ID,
            "name": "wf",
            "namespace": "",
            "input": "x, y=null",
            "definition": "version: '2.0'\nwf:\n  tasks:\n    t1:\n      action: std.noop\n",
            "tags": [],
            "scope": "private",
            "project_id": "<default-project>",
            "created_at": CREATED,
            "updated_at": None,
            **kw,
        }

    @staticmethod
    def workbook(**kw):
        return {
            "id": "wb-id",
            "name": "wb",
            "namespace": "",
            "definition": "version: '2.0'\nname: wb\n",
            "tags": ["a", "b"],
            "scope": "private",
            "project_id": "<default-project>",
            "created_at": CREATED,
            "updated_at": None,
            **kw,
        }

    @staticmethod
    def execution(**kw):
        return {
            "id": EX_ID,
            "workflow_id": WF_ID,
            "workflow_name": "wf",
            "workflow_namespace": "",
            "description": "",
            "tags": None,
            "params": json.dumps({"env": {"url": "http://a"}, "namespace": ""}),
            "state": "RUNNING",
            "state_info": None,
            "input": json.dumps({"x": 1}),
            "output": json.dumps({}),
            "published_global": None,
            "created_at": CREATED,
            "updated_at": UPDATED,
            "root_execution_id": None,
            "task_execution_id": None,
            **kw,
        }

    @staticmethod
    def task(**kw):
        return {
            "id": TASK_ID,
            "name": "t1",
            "type": "ACTION",
            "workflow_name": "wf",
            "workflow_namespace": "",
            "workflow_id": WF_ID,
            "workflow_execution_id": EX_ID,
            "state": "ERROR",
            "state_info": "Failed to run action",
            "result": json.dumps({"status": 503}),
            "published": json.dumps({"token": "abc"}),
            "runtime_context": json.dumps({}),
            "processed": True,
            "reset": False,
            "env": None,
            "created_at": CREATED,
            "updated_at": UPDATED,
            "started_at": CREATED,
            "finished_at": UPDATED,
            **kw,
        }

    @staticmethod
    def action_execution(**kw):
        return {
            "id": AEX_ID,
            "name": "std.http",
            "workflow_name": "wf",
            "workflow_namespace": "",
            "task_name": "t1",
            "task_execution_id": TASK_ID,
            "state": "RUNNING",
            "state_info": None,
            "tags": None,
            "accepted": False,
            "input": json.dumps({"url": "http://a"}),
            "output": json.dumps({"result": 1}),
            "params": json.dumps({}),
            "description": "",
            "created_at": CREATED,
            "updated_at": None,
            **kw,
        }

    @staticmethod
    def environment(**kw):
        return {
            "id": "env-id",
            "name": "prod",
            "description": "Production",
            "variables": json.dumps({"url": "http://a", "retries": 3}),
            "scope": "private",
            "created_at": CREATED,
            "updated_at": None,
            **kw,
        }

    @staticmethod
    def action(**kw):
        return {
            "id": "act-id",
            "name": "std.echo",
            "is_system": True,
            "input": "output",
            "description": "Returns its input",
            "tags": ["<system>"],
            "created_at": CREATED,
            "updated_at": None,
            **kw,
        }


@pytest.fixture
def canned():
    return Canned
