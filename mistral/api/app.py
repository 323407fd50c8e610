"""The Pecan WSGI application."""

import json

import pecan
import webob

from mistral.api import errors
from mistral.api.controllers import root


class ServicesHook(pecan.hooks.PecanHook):
    """Hands each request the process's services (db, engine client, conf)."""

    def __init__(self, services):
        self.services = services

    def before(self, state):
        state.request.context["services"] = self.services


class JsonErrors:
    """WSGI middleware: every answer is JSON.

    The Accept header is dropped before Pecan sees it (the API only speaks
    JSON, so content negotiation can only produce a wrong 406), and routing
    errors (404/405 from Pecan) become Mistral error bodies.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        environ.pop("HTTP_ACCEPT", None)
        request = webob.Request(environ)
        response = request.get_response(self.app)
        if response.status_int >= 400 and not (response.content_type or "").endswith("json"):
            message = response.status
            body = errors.fault_body(response.status_int, "%s: %s %s" % (message, request.method, request.path))
            response = webob.Response(status=response.status, content_type="application/json", charset="utf-8")
            response.text = json.dumps(body)
        return response(environ, start_response)


def setup_app(services):
    """Build the WSGI app serving /v2 with ``services`` (see mistral.service.Services)."""
    app = pecan.make_app(
        root.RootController(),
        hooks=[ServicesHook(services)],
        force_canonical=False,
        guess_content_type_from_ext=False,
        debug=False,
    )
    return JsonErrors(app)
