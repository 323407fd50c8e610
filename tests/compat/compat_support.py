"""Helpers of the compatibility suite.

- the stock python-mistralclient, installed once in its own cached virtualenv
  (``<repo>/.cache/compat-venv``) so its ``mistral`` command never replaces
  ours, and driven as a CLI (``Cli``) or as a library (``Library``: small
  scripts run by the virtualenv's python, which print JSON);
- our server, started as a subprocess (``Server``) on a free port with its
  own SQLite file, and polled over plain HTTP while tests wait for states;
- a local HTTP endpoint whose token may expire (``TokenEndpoint``).
"""

import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VENV_DIR = REPO / ".cache" / "compat-venv"
CLIENT_REQUIREMENT = "python-mistralclient"
POLL_INTERVAL = 0.05


def fixture_path(name):
    """The path of tests/compat/fixtures/<name>."""
    return str(HERE / "fixtures" / name)


def client_env():
    """The environment of the stock client: no OpenStack credentials (so it
    talks to the given URL without Keystone), no proxy for the local server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "MISTRAL_")) and k != "PYTHONPATH"}
    return _without_proxy(env)


def _without_proxy(env):
    no_proxy = ",".join(filter(None, [env.get("NO_PROXY") or env.get("no_proxy"), "127.0.0.1", "localhost"]))
    env["NO_PROXY"] = env["no_proxy"] = no_proxy
    return env


def _tail(text, lines=15):
    return "\n".join((text or "").strip().splitlines()[-lines:])


# -- the stock client's virtualenv ---------------------------------------------------------


class StockClient:
    """Paths of the stock client inside its virtualenv."""

    def __init__(self, venv_dir=VENV_DIR):
        self.venv_dir = Path(venv_dir)
        self.python = str(self.venv_dir / "bin" / "python")
        self.mistral = str(self.venv_dir / "bin" / "mistral")

    def usable(self):
        """True when the library imports and the ``mistral`` command runs."""
        checks = ([self.python, "-c", "import mistralclient.api.client"], [self.mistral, "--version"])
        for cmd in checks:
            try:
                if subprocess.run(cmd, capture_output=True, env=client_env(), timeout=60).returncode != 0:
                    return False
            except (OSError, subprocess.TimeoutExpired):
                return False
        return True


def ensure_stock_client(venv_dir=VENV_DIR, requirement=CLIENT_REQUIREMENT, timeout=900):
    """Build the stock client's virtualenv once; reuse one that works.

    Several pytest processes may race here: the check and the build run under
    an exclusive lock on ``<venv_dir>.lock``, so the ones that waited find the
    finished virtualenv and reuse it.

    :returns: (StockClient, None) when ready, or (None, why-not) when the
        virtualenv could not be built (no network, no ensurepip, ...).
    """
    client = StockClient(venv_dir)
    client.venv_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(str(client.venv_dir) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if client.usable():
            return client, None
        shutil.rmtree(client.venv_dir, ignore_errors=True)
        steps = (
            [sys.executable, "-m", "venv", str(client.venv_dir)],
            [client.python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--retries", "2", requirement],
        )
        for cmd in steps:
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, env=client_env(), timeout=timeout)
            except (OSError, subprocess.TimeoutExpired) as e:
                problem = "%s: %s" % (" ".join(cmd), e)
            else:
                problem = None if proc.returncode == 0 else "%s exited %d: %s" % (" ".join(cmd), proc.returncode, _tail(proc.stderr))
            if problem:
                shutil.rmtree(client.venv_dir, ignore_errors=True)
                return None, problem
        if not client.usable():
            return None, "%s was installed in %s but its `mistral` command does not run" % (requirement, client.venv_dir)
        return client, None


# -- driving the stock client --------------------------------------------------------------

_HTTP_LINE = re.compile(r"^DEBUG \(httpclient\) HTTP (\w+) (\S+) (\d{3})$", re.M)
_ERROR_LINE = re.compile(r"^ERROR \(app\) (.*)$", re.M)


class CliResult:
    def __init__(self, args, proc):
        self.args = args
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.requests = [(m, url, int(code)) for m, url, code in _HTTP_LINE.findall(proc.stderr)]
        errors = _ERROR_LINE.findall(proc.stderr)
        self.error = errors[0] if errors else None

    @property
    def status(self):
        """The HTTP status of the last request the command sent."""
        return self.requests[-1][2] if self.requests else None

    @property
    def json(self):
        return json.loads(self.stdout)

    def __repr__(self):
        return "mistral %s -> rc=%s %s\nstdout: %s\nstderr: %s" % (
            " ".join(self.args),
            self.rc,
            self.requests,
            _tail(self.stdout),
            _tail(self.stderr),
        )


class Cli:
    """The stock ``mistral`` command against one server.

    Every command runs with ``--debug``, whose log names each request and its
    HTTP status, so tests can assert on the status behind an error message.
    """

    def __init__(self, mistral_bin, api_url):
        self.base = [mistral_bin, "--debug", "--os-mistral-url", api_url]

    def run(self, *args, timeout=60):
        proc = subprocess.run(self.base + list(args), capture_output=True, text=True, env=client_env(), timeout=timeout)
        return CliResult(args, proc)

    def run_all(self, *commands, timeout=60):
        """Run independent commands (each a tuple of arguments) at once; their
        results in order. Each CLI call spends ~0.4 s starting up."""
        procs = [
            (args, subprocess.Popen(self.base + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=client_env()))
            for args in commands
        ]
        results = []
        for args, proc in procs:
            stdout, stderr = proc.communicate(timeout=timeout)
            results.append(CliResult(args, subprocess.CompletedProcess(args, proc.returncode, stdout, stderr)))
        return results

    def all_fail(self, *expected):
        """Run independent commands that must fail, given as (status, *args)."""
        results = self.run_all(*(args for _, *args in expected))
        for (status, *_), result in zip(expected, results, strict=True):
            assert result.rc != 0 and result.status == status and result.error, result
        return results

    def ok(self, *args):
        """Run a command that must succeed; its stdout as text."""
        result = self.run(*args)
        assert result.rc == 0, result
        return result

    def json(self, *args):
        """Run a command that must succeed with ``-f json``; its parsed output."""
        return self.ok(*args, "-f", "json").json

    def fails(self, *args, status):
        """Run a command that must fail (non-zero exit) after an HTTP ``status``."""
        result = self.run(*args)
        assert result.rc != 0, result
        assert result.status == status, result
        assert result.error, result
        return result


_PRELUDE = '''
import json, sys
from mistralclient.api import client as _client
from mistralclient.api.base import APIException
args = json.loads(sys.stdin.read())
mistral = _client.client(mistral_url=args.pop("_url"))


def error_of(call, *a, **kw):
    """[HTTP code, message] of the APIException the call raises."""
    try:
        call(*a, **kw)
    except APIException as e:
        return [e.error_code, e.error_message]
    raise AssertionError("no APIException from %s" % call)


def emit(value):
    print("\\n__RESULT__" + json.dumps(value, default=lambda o: o.to_dict()))
'''


class Library:
    """The stock python-mistralclient library, run in its own virtualenv.

    ``run(script, **args)`` executes ``script`` with ``mistral`` (a client of
    the server), ``args`` (the keyword arguments), ``error_of`` and ``emit``
    defined; the value given to ``emit`` is returned.
    """

    def __init__(self, python, api_url):
        self.python = python
        self.api_url = api_url

    def run(self, script, timeout=60, **args):
        code = _PRELUDE + textwrap.dedent(script)
        proc = subprocess.run(
            [self.python, "-c", code],
            input=json.dumps(dict(args, _url=self.api_url)),
            capture_output=True,
            text=True,
            env=client_env(),
            timeout=timeout,
        )
        assert proc.returncode == 0, "library script failed:\n%s" % _tail(proc.stderr, 30)
        marker = proc.stdout.rfind("__RESULT__")
        assert marker >= 0, "library script emitted nothing:\n%s" % _tail(proc.stdout)
        return json.loads(proc.stdout[marker + len("__RESULT__") :])


# -- our server ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=30, what="condition"):
    """Poll ``predicate`` every POLL_INTERVAL until it returns a true value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))
        time.sleep(POLL_INTERVAL)


class Server:
    """``mistral-server --server all`` of this venv as a subprocess, on a
    free port and its own SQLite file under ``workdir``."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.command = str(Path(sys.executable).parent / "mistral-server")
        self.proc = None
        self.port = None
        self.http = requests.Session()
        self.http.trust_env = False

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def api_url(self):
        return self.url + "/v2"

    @property
    def log_path(self):
        return self.workdir / "server.log"

    def _write_conf(self):
        conf = self.workdir / "mistral.conf"
        conf.write_text(
            textwrap.dedent(
                """\
                [api]
                host = 127.0.0.1
                port = %d

                [database]
                connection = sqlite:///%s

                [engine]
                scheduler_poll_interval = 0.02
                """
            )
            % (self.port, self.workdir / "mistral.sqlite")
        )
        return conf

    def start(self, timeout=60, attempts=3):
        for _ in range(attempts):
            self.port = free_port()
            conf = self._write_conf()
            with open(self.log_path, "w") as log:
                self.proc = subprocess.Popen(
                    [self.command, "--server", "all", "--config-file", str(conf)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=_without_proxy(dict(os.environ)),
                )
            if self._wait_ready(timeout):
                return self
            # Exited early: most likely another process took the port first.
        raise AssertionError("mistral-server did not start:\n%s" % _tail(self.log_path.read_text(), 30))

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if self.http.get(self.api_url, timeout=2).status_code == 200:
                    return True
            except requests.ConnectionError:
                pass
            time.sleep(POLL_INTERVAL)
        self.stop()
        raise AssertionError("mistral-server did not answer GET /v2 within %ss:\n%s" % (timeout, _tail(self.log_path.read_text(), 30)))

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(15)

    # Plain HTTP, for polling states (the stock CLI takes ~0.4 s a call).

    def get(self, path):
        r = self.http.get(self.url + path, timeout=10)
        assert r.status_code == 200, "%s: %s %s" % (path, r.status_code, r.text)
        return r.json()

    def execution(self, ex_id):
        return self.get("/v2/executions/%s" % ex_id)

    def env_of(self, ex_id):
        return json.loads(self.execution(ex_id)["params"]).get("env")

    def tasks(self, ex_id):
        return {t["name"]: t for t in self.get("/v2/executions/%s/tasks" % ex_id)["tasks"]}

    def wait_state(self, ex_id, *expected, timeout=30):
        last = {}

        def _check():
            last.update(self.execution(ex_id))
            return last if last["state"] in expected else None

        try:
            return wait_for(_check, timeout, "execution %s to be %s" % (ex_id, "/".join(expected)))
        except AssertionError as e:
            raise AssertionError("%s; it is %s (%s)" % (e, last.get("state"), last.get("state_info"))) from None

    def wait_task_state(self, ex_id, name, *expected, timeout=30):
        def _check():
            task = self.tasks(ex_id).get(name)
            return task if task and task["state"] in expected else None

        return wait_for(_check, timeout, "task %s of %s to be %s" % (name, ex_id, "/".join(expected)))


# -- infrastructure stand-in ---------------------------------------------------------------


class TokenEndpoint:
    """A local HTTP service whose token may expire.

    ``Authorization: Bearer <token>`` with a token in ``good_tokens`` gets
    200 and ``{"token": ...}``; anything else 401. Every token seen is
    recorded, by path.
    """

    def __init__(self, good_tokens=("good",)):
        self.good_tokens = set(good_tokens)
        self.seen = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                auth = self.headers.get("Authorization", "")
                token = auth.split(" ", 1)[1] if " " in auth else auth
                endpoint.seen.append((self.path, token))
                status, payload = (200, {"token": token}) if token in endpoint.good_tokens else (401, {"error": "token expired"})
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def tokens(self, path):
        return [token for p, token in self.seen if p == path]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
