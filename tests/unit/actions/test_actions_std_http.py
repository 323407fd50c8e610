"""std.http against a real local HTTP server, including the egress policy."""

import base64
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from oslo_config import cfg

from mistral.actions import runner, std_http
from mistral.actions.base import ActionContext

CTX = ActionContext("wf-1", "wf-1", "task-1", "action-1", "wf", "task")
GROUP = "action_std_http"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _reply(self, status, body, ctype="application/json", headers=()):
        data = (
            json.dumps(body).encode() if ctype == "application/json" else body.encode()
        )
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _route(self):
        self.server.hits += 1
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        if parts.path == "/echo":
            echo = {
                "method": self.command,
                "query": query,
                "headers": dict(self.headers.items()),
                "body": body,
            }
            self._reply(200, echo, headers=[("Set-Cookie", "session=abc")])
        elif parts.path == "/text":
            self._reply(200, "hello", ctype="text/plain; charset=utf-8")
        elif parts.path == "/status/404":
            self._reply(404, "no such thing", ctype="text/plain")
        elif parts.path == "/status/500":
            self._reply(500, {"error": "boom"})
        elif parts.path == "/redirect":
            self._reply(
                302, "", ctype="text/plain", headers=[("Location", query["to"][0])]
            )
        elif parts.path == "/hang":
            self.server.release.wait(5)
            self._reply(200, "late", ctype="text/plain")

    do_GET = do_POST = do_PUT = do_DELETE = _route


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    srv.hits = 0
    srv.release = threading.Event()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"
    yield srv
    srv.release.set()
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def url(server):
    return lambda path: server.base + path


@pytest.fixture
def policy():
    """Set [action_std_http] options for one test; cleared afterwards."""

    def set_(**options):
        for name, value in options.items():
            cfg.CONF.set_override(name, value, group=GROUP)

    yield set_
    cfg.CONF.clear_override("allowed_hosts", group=GROUP)
    cfg.CONF.clear_override("denied_cidrs", group=GROUP)


def http(**action_input):
    return runner.run_action("std.http", action_input, CTX)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- requests and results ----------------------------------------------------


def test_get_with_params_returns_the_original_result_shape(url):
    result = http(url=url("/echo"), params={"a": "1", "b": "x y"})
    assert result.is_success()
    data = result.data
    assert set(data) == {
        "content", "status", "headers", "url", "history",
        "encoding", "reason", "cookies", "elapsed",
    }  # fmt: skip
    assert data["status"] == 200 and data["reason"] == "OK"
    assert data["content"]["method"] == "GET"
    assert data["content"]["query"] == {"a": ["1"], "b": ["x y"]}
    assert "a=1" in data["url"]
    assert data["cookies"] == {"session": "abc"}
    assert data["headers"]["Content-Type"] == "application/json"
    assert data["history"] == []
    assert isinstance(data["elapsed"], float)
    json.dumps(result.to_dict())


@pytest.mark.parametrize(
    "extra, expected_body, expected_type",
    [
        ({"json": {"k": [1, 2]}}, {"k": [1, 2]}, "application/json"),
        ({"body": {"k": 1}}, {"k": 1}, None),
        ({"body": "raw text"}, "raw text", None),
    ],
)
def test_post_body_forms(url, extra, expected_body, expected_type):
    content = http(url=url("/echo"), method="post", **extra).data["content"]
    assert content["method"] == "POST"
    body = content["body"]
    assert (
        json.loads(body) if isinstance(expected_body, dict) else body
    ) == expected_body
    assert content["headers"].get("Content-Type") == expected_type


def test_headers_and_cookies_are_sent(url):
    content = http(
        url=url("/echo"), headers={"X-Token": "t", "X-Num": 5}, cookies={"c": "v"}
    ).data["content"]
    assert content["headers"]["X-Token"] == "t"
    assert content["headers"]["X-Num"] == "5"
    assert content["headers"]["Cookie"] == "c=v"


@pytest.mark.parametrize(
    "auth, user, password",
    [("user:pa:ss", "user", "pa:ss"), (["u", "p"], "u", "p"), (("u2", 7), "u2", "7")],
)
def test_basic_auth(url, auth, user, password):
    content = http(url=url("/echo"), auth=auth).data["content"]
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    assert content["headers"]["Authorization"] == f"Basic {token}"


def test_text_content_is_returned_as_text(url):
    data = http(url=url("/text")).data
    assert data["content"] == "hello"
    assert data["encoding"] == "utf-8"


@pytest.mark.parametrize(
    "path, status, content",
    [("/status/404", 404, "no such thing"), ("/status/500", 500, {"error": "boom"})],
)
def test_error_status_fails_with_the_result_as_error(url, path, status, content):
    result = http(url=url(path))
    assert result.is_error()
    assert result.data is None
    assert result.error["status"] == status
    assert result.error["content"] == content


def test_redirect_is_not_followed_by_default_as_the_original(url):
    result = http(url=url("/redirect?to=/text"))
    assert result.is_success()
    assert result.data["status"] == 302


def test_redirect_is_followed_when_allowed(url):
    data = http(url=url("/redirect?to=/text"), allow_redirects=True).data
    assert data["content"] == "hello"
    assert [h["status"] for h in data["history"]] == [302]


# -- egress policy -----------------------------------------------------------


def test_redirect_to_a_denied_address_is_refused(url):
    target = "http://169.254.169.254/latest/meta-data/"
    result = http(url=url(f"/redirect?to={target}"), allow_redirects=True)
    assert result.is_error()
    assert "169.254.169.254" in result.error
    assert "denied_cidrs (169.254.0.0/16)" in result.error


@pytest.mark.parametrize(
    "allowed, ok",
    [
        (["example.org"], False),
        (["127.0.0.1"], True),
        (["EXAMPLE.org", " 127.0.0.1 "], True),
        ([], True),
    ],
)
def test_allowed_hosts(url, policy, allowed, ok):
    policy(allowed_hosts=allowed)
    result = http(url=url("/text"))
    assert result.is_success() is ok
    if not ok:
        assert result.error == (
            "std.http refused to call host '127.0.0.1': it is not in "
            "[action_std_http] allowed_hosts"
        )


def test_allowed_hosts_applies_to_redirects(url, policy):
    policy(allowed_hosts=["127.0.0.1"])
    result = http(url=url("/redirect?to=http://localhost/"), allow_redirects=True)
    assert "'localhost'" in result.error and "allowed_hosts" in result.error


def test_denied_cidrs_can_deny_loopback(server, url, policy):
    policy(denied_cidrs=["10.0.0.0/8", "127.0.0.0/8"])
    hits = server.hits
    result = http(url=url("/text"))
    assert result.error == (
        "std.http refused to call host '127.0.0.1': its address 127.0.0.1 "
        "is in [action_std_http] denied_cidrs (127.0.0.0/8)"
    )
    assert server.hits == hits


@pytest.mark.parametrize(
    "target, address",
    [
        ("http://169.254.169.254/latest", "169.254.169.254"),
        ("http://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254"),
        ("https://[fe80::1]:8443/", "fe80::1"),
    ],
)
def test_link_local_is_denied_by_default(target, address):
    result = http(url=target)
    assert result.is_error()
    assert f"its address {address} is in [action_std_http] denied_cidrs" in result.error


def test_input_proxy_is_checked_too(url):
    result = http(url=url("/text"), proxies={"http": "http://169.254.169.254:3128"})
    assert "169.254.169.254" in result.error and "denied_cidrs" in result.error


def test_connected_address_is_checked_against_rebinding(
    server, url, policy, monkeypatch
):
    # The policy's lookup sees a public address; the real connection lands
    # on loopback, which this test denies: the peer check must refuse it.
    monkeypatch.setattr(std_http, "_resolve", lambda host, port: ["203.0.113.5"])
    policy(denied_cidrs=["127.0.0.0/8"])
    hits = server.hits
    result = http(url=url("/text"))
    assert "its address 127.0.0.1 is in [action_std_http] denied_cidrs" in result.error
    assert server.hits == hits


def test_bad_denied_cidrs_entry_is_reported(url, policy):
    policy(denied_cidrs=["not-a-cidr"])
    result = http(url=url("/text"))
    assert "denied_cidrs entry 'not-a-cidr' is not a network address" in result.error


# -- failures without a response --------------------------------------------


def test_connection_refused_is_readable():
    port = _free_port()
    result = http(url=f"http://127.0.0.1:{port}/x?token=secret")
    assert result.error == (
        f"std.http failed to send a request to http://127.0.0.1:{port}: Connection refused"
    )


def test_read_timeout_is_readable(url):
    result = http(url=url("/hang"), timeout=0.1)
    assert result.error.startswith("std.http timed out waiting for http://127.0.0.1:")
    assert "timeout=0.1" in result.error


def test_unresolvable_host_is_readable(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(std_http.socket, "getaddrinfo", fail)
    result = http(url="http://nowhere.invalid/")
    assert result.error == (
        "std.http cannot resolve host 'nowhere.invalid': Name or service not known"
    )


@pytest.mark.parametrize(
    "action_input, message",
    [
        ({"url": "http://x/", "body": "a", "json": {}}, "only one of the parameters"),
        ({"url": "http://x/", "auth": "s3cret"}, "'auth' must be"),
        ({"url": "http://x/", "headers": ["a"]}, "'headers' must be an object"),
        ({"url": ""}, "'url' must be a non-empty string"),
        ({"url": "ftp://x/"}, "must be an http:// or https:// URL with a host"),
        ({"url": "http:///nohost"}, "must be an http:// or https:// URL with a host"),
        ({"url": "http://x:99999/"}, "invalid URL"),
        ({}, "missing required parameter(s): url"),
    ],
)
def test_bad_input_fails_with_a_message(action_input, message):
    result = http(**action_input)
    assert message in result.error
    assert "s3cret" not in result.error


def test_credentials_are_never_logged(url, caplog):
    caplog.set_level(logging.DEBUG)
    result = http(
        url=url("/echo?token=qsecret"),
        method="POST",
        headers={"X-Api-Key": "hsecret"},
        auth="user:psecret",
        json={"password": "bsecret"},
    )
    assert result.is_success()
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("mistral")]
    assert any("std.http POST http://127.0.0.1:" in m for m in ours)
    for secret in ("hsecret", "psecret", "bsecret"):
        assert secret not in caplog.text
    assert not any("qsecret" in m or "/echo" in m for m in ours)
