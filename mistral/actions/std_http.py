"""std.http: an HTTP request made with ``requests``, under an egress policy.

Input and result follow the original Mistral's HTTPAction (so workflows that
read ``task().result.content`` keep working). Two deliberate kept quirks of
the original: redirects are followed only when ``allow_redirects`` is true
(its default, null, does not follow them), and any status outside 200-306
fails the action with the whole result dict as its error data.

Egress policy (``[action_std_http]``), applied to the URL, to every redirect
hop before it is requested, and to proxies given in the input:

* ``allowed_hosts`` non-empty: the URL's host must be one of them;
* no address the host resolves to may be in ``denied_cidrs`` (link-local by
  default; loopback is allowed).

Each direct connection's peer address is checked again right after connect,
so a name that resolves differently the second time (DNS rebinding) cannot
reach a denied range. This module never logs headers, auth, body, query
string or URL path (they carry credentials); note that urllib3 itself logs
the request line, path and query included, at DEBUG level.
"""

import ipaddress
import json as jsonlib
import logging
import socket
from urllib.parse import urlsplit

import requests
from oslo_config import cfg
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

import mistral.config  # noqa: F401  (registers [action_std_http])
from mistral import exceptions as exc
from mistral.actions.base import Action, Result

LOG = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}


class EgressRefused(exc.ActionError):
    """The egress policy forbids a URL std.http was asked to call."""


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL: safe to log (no user, path, query)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        if ":" in host:
            host = f"[{host}]"
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}"
    except ValueError:
        return "<invalid URL>"


def _norm_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def _resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        raise exc.ActionError(
            f"std.http cannot resolve host '{host}': {reason}"
        ) from None
    return sorted({info[4][0] for info in infos})


class EgressPolicy:
    """``[action_std_http]`` as read when an action starts."""

    def __init__(self, allowed_hosts, denied_cidrs):
        self.allowed_hosts = {_norm_host(h) for h in allowed_hosts if h.strip()}
        self.denied = []
        for cidr in denied_cidrs:
            try:
                self.denied.append(
                    (ipaddress.ip_network(cidr.strip(), strict=False), cidr)
                )
            except ValueError:
                raise exc.ActionError(
                    f"std.http is misconfigured: [action_std_http] denied_cidrs "
                    f"entry '{cidr}' is not a network address"
                ) from None

    @classmethod
    def from_config(cls, conf=cfg.CONF) -> "EgressPolicy":
        group = conf.action_std_http
        return cls(group.allowed_hosts or [], group.denied_cidrs or [])

    def check_url(self, url: str) -> None:
        """Refuse (EgressRefused) a URL whose host the policy forbids."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as e:
            raise exc.ActionError(f"std.http got an invalid URL: {e}") from None
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise exc.ActionError(
                f"std.http needs an http:// or https:// URL with a host, "
                f"got one for '{_origin(url)}'"
            )
        host = _norm_host(parts.hostname)
        if self.allowed_hosts and host not in self.allowed_hosts:
            raise EgressRefused(
                f"std.http refused to call host '{host}': it is not in "
                f"[action_std_http] allowed_hosts"
            )
        for address in _resolve(host, port or _DEFAULT_PORTS[scheme]):
            self.check_address(host, address)

    def check_address(self, host: str, address: str) -> None:
        """Refuse (EgressRefused) an address inside a denied range."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        candidates = [ip]
        if ip.version == 6 and ip.ipv4_mapped is not None:
            candidates.append(ip.ipv4_mapped)
        for network, text in self.denied:
            if any(c in network for c in candidates):
                raise EgressRefused(
                    f"std.http refused to call host '{host}': its address "
                    f"{address} is in [action_std_http] denied_cidrs ({text})"
                )


class _PeerCheck:
    """Connection mixin: check the address actually connected to."""

    egress_policy: EgressPolicy

    def _new_conn(self):
        sock = super()._new_conn()
        try:
            self.egress_policy.check_address(self.host, sock.getpeername()[0])
        except BaseException:
            sock.close()
            raise
        return sock


class _EgressAdapter(HTTPAdapter):
    """Checks every request (first one and each redirect hop) before sending."""

    def __init__(self, policy: EgressPolicy):
        self._policy = policy
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        attrs = {"egress_policy": self._policy}
        http_conn = type("_CheckedHTTPConnection", (_PeerCheck, HTTPConnection), attrs)
        https_conn = type(
            "_CheckedHTTPSConnection", (_PeerCheck, HTTPSConnection), attrs
        )
        # Proxy managers keep urllib3's own pools: a proxy configured by the
        # operator (environment) is trusted; input proxies are checked by URL.
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("_Pool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type(
                "_Pool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}
            ),
        }

    def send(self, request, *args, **kwargs):
        self._policy.check_url(request.url)
        return super().send(request, *args, **kwargs)


def _root_reason(error: BaseException) -> str | None:
    """The OS-level reason (e.g. "Connection refused") buried in ``error``."""
    seen, stack = set(), [error]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, OSError) and e.strerror:
            return e.strerror
        for nxt in (getattr(e, "reason", None), e.__cause__, e.__context__, *e.args):
            if isinstance(nxt, BaseException):
                stack.append(nxt)
    return None


def _failure_message(error: requests.RequestException, origin: str, timeout) -> str:
    if isinstance(error, requests.ConnectTimeout):
        return f"std.http timed out connecting to {origin} (timeout={timeout})"
    if isinstance(error, requests.Timeout):
        return f"std.http timed out waiting for {origin} to answer (timeout={timeout})"
    if isinstance(error, requests.TooManyRedirects):
        return f"std.http gave up on {origin}: too many redirects"
    reason = _root_reason(error) or type(error).__name__
    return f"std.http failed to send a request to {origin}: {reason}"


class HTTPAction(Action):
    """HTTP action.

    :param url: URL of the request (http or https).
    :param method: HTTP method, GET by default.
    :param params: dict (or string) sent in the query string.
    :param body: request body; a dict is sent JSON-encoded.
    :param json: a JSON-serialisable object sent as the body (not with body).
    :param headers: dict of headers (numbers are turned into strings).
    :param cookies: dict of cookies.
    :param auth: "user:password" or [user, password] for basic auth.
    :param timeout: seconds (number, or [connect, read]); null waits forever.
    :param allow_redirects: follow redirects when true; null does not.
    :param proxies: dict mapping a scheme to a proxy URL.
    :param verify: for https: false, true, or a CA bundle path.
    """

    def __init__(
        self,
        url,
        method="GET",
        params=None,
        body=None,
        json=None,
        headers=None,
        cookies=None,
        auth=None,
        timeout=None,
        allow_redirects=None,
        proxies=None,
        verify=None,
    ):
        super().__init__()
        if body is not None and json is not None:
            raise exc.InvalidActionException(
                "std.http: only one of the parameters 'json' and 'body' can be given"
            )
        self._check_url_form(url)
        if not isinstance(method, str) or not method:
            raise exc.InvalidActionException("std.http: 'method' must be a string")
        for name, value in (
            ("headers", headers),
            ("cookies", cookies),
            ("proxies", proxies),
        ):
            if value is not None and not isinstance(value, dict):
                raise exc.InvalidActionException(
                    f"std.http: '{name}' must be an object"
                )
        self.url = url
        self.method = method.upper()
        self.params = params
        self.body = jsonlib.dumps(body) if isinstance(body, dict) else body
        self.json = json
        self.headers = {
            k: str(v) if isinstance(v, (int, float)) else v
            for k, v in (headers or {}).items()
        }
        self.cookies = cookies
        self.auth = self._parse_auth(auth)
        self.timeout = tuple(timeout) if isinstance(timeout, list) else timeout
        self.allow_redirects = bool(allow_redirects)
        self.proxies = proxies
        self.verify = verify

    @staticmethod
    def _check_url_form(url):
        if not isinstance(url, str) or not url:
            raise exc.InvalidActionException(
                "std.http: 'url' must be a non-empty string"
            )
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018  (raises on a bad port)
        except ValueError as e:
            raise exc.InvalidActionException(f"std.http: invalid URL: {e}") from None
        if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
            raise exc.InvalidActionException(
                "std.http: 'url' must be an http:// or https:// URL with a host"
            )

    @staticmethod
    def _parse_auth(auth):
        if auth is None or auth == "":
            return None
        if isinstance(auth, str) and ":" in auth:
            user, _, password = auth.partition(":")
            return user, password
        if isinstance(auth, (list, tuple)) and len(auth) == 2:
            return str(auth[0]), str(auth[1])
        # Never echo the value: it is a credential.
        raise exc.InvalidActionException(
            "std.http: 'auth' must be a \"user:password\" string or a [user, password] list"
        )

    def run(self, context):
        policy = EgressPolicy.from_config()
        for proxy in (self.proxies or {}).values():
            policy.check_url(proxy)
        origin = _origin(self.url)
        LOG.info(
            "std.http %s %s [action_ex_id=%s]",
            self.method,
            origin,
            getattr(context, "action_execution_id", None),
        )
        kwargs = {"verify": self.verify} if self.verify is not None else {}
        try:
            with requests.Session() as session:
                adapter = _EgressAdapter(policy)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                resp = session.request(
                    self.method,
                    self.url,
                    params=self.params,
                    data=self.body,
                    json=self.json,
                    headers=self.headers,
                    cookies=self.cookies,
                    auth=self.auth,
                    timeout=self.timeout,
                    allow_redirects=self.allow_redirects,
                    proxies=self.proxies,
                    **kwargs,
                )
        except requests.RequestException as e:
            raise exc.ActionError(_failure_message(e, origin, self.timeout)) from None
        LOG.info("std.http %s %s answered %s", self.method, origin, resp.status_code)
        result = _response_dict(resp)
        if not 200 <= resp.status_code < 307:
            return Result(error=result)
        return result


def _response_dict(resp: requests.Response) -> dict:
    """The original's result shape, with JSON-friendly values throughout."""
    try:
        content = resp.json()
    except ValueError:
        content = resp.text
    return {
        "content": content,
        "status": resp.status_code,
        "headers": dict(resp.headers.items()),
        "url": resp.url,
        "history": [
            {"status": r.status_code, "url": r.url, "reason": r.reason}
            for r in resp.history
        ],
        "encoding": resp.encoding,
        "reason": resp.reason,
        "cookies": dict(resp.cookies.items()),
        "elapsed": resp.elapsed.total_seconds(),
    }


ACTIONS = {"std.http": HTTPAction}
