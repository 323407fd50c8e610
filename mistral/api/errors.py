"""Map exceptions to the Mistral error body, in one place.

Every error answer is ``{"faultcode": "Client"|"Server", "faultstring": ...,
"debuginfo": null}`` with the exception's ``code`` as the HTTP status.
"""

import functools
import json
import logging

import oslo_messaging
import pecan
import webob.exc
import wsme.exc

from mistral import exceptions as exc

LOG = logging.getLogger(__name__)


def fault_body(code, message):
    return {
        "faultcode": "Client" if 400 <= code < 500 else "Server",
        "faultstring": message,
        "debuginfo": None,
    }


def to_fault(error):
    """(status, body) for any exception; unexpected ones are logged as 500."""
    if isinstance(error, exc.MistralError):
        code = error.code
        message = error.message
    elif isinstance(error, wsme.exc.ClientSideError):
        code = error.code
        message = error.faultstring
    elif isinstance(error, webob.exc.HTTPException):
        code = error.code
        message = error.explanation or error.title
    elif isinstance(error, oslo_messaging.MessagingTimeout):
        code = 503
        message = "No engine answered in time (is mistral-engine running?); the request may still be applied later"
    else:
        code = 500
        message = "Internal server error: %s" % type(error).__name__
    if code >= 500:
        LOG.error("Request failed: %s", error, exc_info=error)
    return code, fault_body(code, message)


def write_json(status, body):
    """Set status and a JSON body on the current Pecan response."""
    resp = pecan.response
    resp.status = status
    if status == 204 or body is None:
        resp.content_type = None
        resp.body = b""
        return ""
    resp.content_type = "application/json"
    resp.charset = "utf-8"
    resp.text = json.dumps(body)
    return resp.text


def json_handler(status=200):
    """Decorate a controller method that returns a JSON-able value.

    The value is written with ``status``; any exception becomes the Mistral
    error body with the exception's code (a 500 only for real bugs).
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                result = func(*args, **kwargs)
            except Exception as e:  # noqa: BLE001 - the one place errors map to HTTP
                code, body = to_fault(e)
                write_json(code, body)
                return pecan.response
            write_json(status, result)
            return pecan.response

        return wrapper

    return decorate
