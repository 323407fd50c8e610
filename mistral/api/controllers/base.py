"""Helpers shared by the controllers: query parameters and request context."""

import pecan

from mistral import exceptions as exc


def services():
    """The process's services (db, engine client, conf), set by the context hook."""
    return pecan.request.context["services"]


def query_params(allowed):
    """The query parameters, refusing any not in ``allowed`` (400)."""
    params = {}
    for key in pecan.request.GET.keys():
        if key not in allowed:
            raise exc.InputError("Unknown query parameter: %s" % key)
        params[key] = pecan.request.GET.getall(key)[-1]
    return params


def flag_param(params, name):
    """A true/false query parameter (400 naming it when it is neither)."""
    value = str(params.get(name, "false")).lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise exc.InputError("Query parameter '%s' must be true or false, not '%s'" % (name, params[name]))
    return value in ("true", "1", "yes")


def int_param(params, name, default):
    """An integer query parameter (400 naming it when it is not one)."""
    if name not in params:
        return default
    try:
        return int(params[name])
    except ValueError:
        raise exc.InputError("Query parameter '%s' must be an integer, not '%s'" % (name, params[name])) from None


def text_body():
    """The request body as text (YAML definitions are sent as text/plain)."""
    try:
        text = pecan.request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise exc.InputError("The definition must be UTF-8 text") from None
    if not text.strip():
        raise exc.InputError("The request body is empty: a YAML definition is required")
    return text


def scope_param(params):
    scope = params.get("scope") or "private"
    if scope not in ("private", "public"):
        raise exc.InputError("Query parameter 'scope' must be 'private' or 'public', not '%s'" % scope)
    return scope


def list_url(path):
    return pecan.request.host_url + path


def check_limit(conf):
    return conf.api.max_list_limit


# Filterable fields shared by the definition resources (workflows, workbooks).
DEFINITION_FILTERS = {
    "id": "str",
    "name": "str",
    "namespace": "str",
    "scope": "str",
    "project_id": "str",
    "tags": "str",
    "definition": "str",
    "created_at": "datetime",
    "updated_at": "datetime",
}

# Query parameters of definition writes (python-mistralclient always sends both).
WRITE_PARAMS = ("namespace", "scope")
