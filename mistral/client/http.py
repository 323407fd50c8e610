"""Session wrapper used by every resource manager of the client.

It joins paths to the API base URL, sends JSON (or text/plain YAML for
definitions), decodes JSON answers and turns every failure into
:class:`mistral.client.exceptions.APIError`. Nothing here knows about
individual resources.
"""

import re
import urllib.parse

import requests

from mistral.client.exceptions import APIError

DEFAULT_URL = "http://127.0.0.1:8989/v2"
DEFAULT_TIMEOUT = 60.0

_ERRNO_REASON = re.compile(r'\[Errno -?\d+\] ([^\'")]+)')


def list_params(
    marker=None, limit=None, sort_keys=None, sort_dirs=None, fields=None, filters=None
):
    """Build the query of a list request, in Mistral's parameter names.

    :param fields: a list of field names, sent comma-separated.
    :param filters: a dict of field name -> filter value (``eq:x``,
        ``in:a,b``, ...), sent as query parameters of their own.
    :returns: a list of ``(name, value)`` pairs, empty values left out.
    """
    params = []
    if marker:
        params.append(("marker", marker))
    if limit is not None and limit > 0:
        params.append(("limit", str(limit)))
    if sort_keys:
        params.append(("sort_keys", sort_keys))
    if sort_dirs:
        params.append(("sort_dirs", sort_dirs))
    if fields:
        params.append(("fields", ",".join(fields)))
    for name, value in (filters or {}).items():
        if value is not None:
            params.append((name, value))
    return params


def path(*segments):
    """A URL path from segments, each percent-encoded (names may hold any
    character, ``/`` and ``#`` included)."""
    return "".join("/" + urllib.parse.quote(str(seg), safe="") for seg in segments)


def unwrap(body, key):
    """Return the list a list response wraps under ``key``.

    :raises APIError: the response does not hold that list.
    """
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        raise APIError(
            None, f'Unexpected response from the Mistral API: no "{key}" list in it'
        )
    return body[key]


def _connection_reason(exc):
    match = _ERRNO_REASON.search(str(exc))
    return match.group(1).strip() if match else type(exc).__name__


def _error_message(resp):
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("faultstring", "message", "error", "title"):
            if isinstance(body.get(key), str) and body[key]:
                return body[key]
    header = resp.headers.get("Server-Error-Message")
    if header:
        return header
    text = (resp.text or "").strip()
    if text and len(text) <= 300:
        return text
    return resp.reason or f"HTTP error {resp.status_code}"


class HTTPClient:
    """A ``requests`` session bound to one Mistral API base URL.

    :param base_url: e.g. ``http://127.0.0.1:8989/v2``.
    :param auth_token: sent as ``X-Auth-Token`` when given.
    :param timeout: seconds to wait for connect and for each read.
    """

    def __init__(self, base_url=DEFAULT_URL, auth_token=None, timeout=DEFAULT_TIMEOUT):
        self.base_url = (base_url or DEFAULT_URL).rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        if auth_token:
            self.session.headers["X-Auth-Token"] = auth_token

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def post(self, path, json=None, text=None, params=None):
        return self.request("POST", path, params=params, json=json, text=text)

    def put(self, path, json=None, text=None, params=None):
        return self.request("PUT", path, params=params, json=json, text=text)

    def delete(self, path, params=None):
        return self.request("DELETE", path, params=params)

    def request(self, method, path, params=None, json=None, text=None):
        """Send one request and return its decoded JSON body.

        :param json: a body sent as ``application/json``.
        :param text: a body sent as ``text/plain`` (YAML definitions).
        :returns: the decoded JSON body, or None for an empty answer (204).
        :raises APIError: with the status and ``faultstring`` of any 4xx or
            5xx answer, or status None when the API cannot be reached.
        """
        url = self.base_url + path
        kwargs = {"params": params, "timeout": self.timeout}
        if text is not None:
            kwargs["data"] = text.encode("utf-8")
            kwargs["headers"] = {"Content-Type": "text/plain"}
        elif json is not None:
            kwargs["json"] = json
        try:
            resp = self.session.request(method, url, **kwargs)
        except requests.exceptions.Timeout:
            raise APIError(
                None,
                f"Timed out after {self.timeout}s waiting for the "
                f"Mistral API at {self.base_url}",
            ) from None
        except requests.exceptions.ConnectionError as exc:
            raise APIError(
                None,
                f"Cannot connect to the Mistral API at {self.base_url} "
                f"({_connection_reason(exc)}); is the server running?",
            ) from None
        except requests.exceptions.RequestException as exc:
            raise APIError(None, f"Cannot send the request to {url}: {exc}") from None
        if resp.status_code >= 400:
            raise APIError(resp.status_code, _error_message(resp))
        if resp.status_code == 204 or not resp.content:
            return None
        try:
            return resp.json()
        except ValueError:
            raise APIError(
                resp.status_code, f"Unexpected response from {method} {url}: not JSON"
            ) from None
