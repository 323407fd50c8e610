"""The one pagination and filtering helper for list endpoints.

Filterable fields are declared per resource as data ({name: kind}); query
parameters are ``marker``, ``limit``, ``sort_keys``, ``sort_dirs``, ``fields``
and the declared filters, whose values may carry an operator prefix
(``eq:``, ``neq:``, ``in:``, ``nin:``, ``gt:``, ``gte:``, ``lt:``, ``lte:``,
``has:``). Anything else is a 400.
"""

import datetime
import json
import urllib.parse

from mistral import exceptions as exc
from mistral.db import query

COMMON = ("marker", "limit", "sort_keys", "sort_dirs", "fields")


class ListQuery:
    def __init__(self, marker=None, limit=None, sort_keys=None, sort_dirs=None, fields=None, filters=None, raw=None):
        self.marker = marker
        self.limit = limit
        self.sort_keys = sort_keys
        self.sort_dirs = sort_dirs
        self.fields = fields
        self.filters = filters or {}
        self.raw = raw or {}

    def db_kwargs(self):
        return dict(
            filters=self.filters,
            limit=self.limit,
            marker=self.marker,
            sort_keys=self.sort_keys,
            sort_dirs=self.sort_dirs,
        )


def _split(value):
    return [v.strip() for v in value.split(",") if v.strip()]


def _convert(name, kind, text):
    if kind == "str":
        return text
    if kind == "datetime":
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, fmt)
            except ValueError:
                pass
        raise exc.InputError("Filter '%s' must be a datetime 'YYYY-MM-DD HH:MM:SS', not '%s'" % (name, text))
    if kind == "bool":
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise exc.InputError("Filter '%s' must be true or false, not '%s'" % (name, text))
    raise AssertionError(kind)


def parse_filter(name, kind, value):
    op = "eq"
    if ":" in value:
        prefix, rest = value.split(":", 1)
        if prefix in query.OPERATORS:
            op, value = prefix, rest
    if op in ("in", "nin"):
        return op, [_convert(name, kind, v) for v in _split(value)]
    if value == "null" and op in ("eq", "neq"):
        return op, None
    return op, _convert(name, kind, value)


def parse(params, filterable, max_limit=1000, default_limit=None, extra_params=()):
    """Build a ListQuery from query parameters (a webob MultiDict or dict).

    :raises InputError: (400) unknown parameter, bad limit, bad filter value.
    """
    raw = {}
    for key in params.keys():
        values = params.getall(key) if hasattr(params, "getall") else [params[key]]
        raw[key] = values[-1]
    unknown = sorted(set(raw) - set(COMMON) - set(filterable) - set(extra_params))
    if unknown:
        raise exc.InputError("Unknown query parameter%s: %s" % ("s" if len(unknown) > 1 else "", ", ".join(unknown)))
    limit = default_limit
    if raw.get("limit") not in (None, ""):
        try:
            limit = int(raw["limit"])
        except ValueError:
            raise exc.InputError("Query parameter 'limit' must be an integer, not '%s'" % raw["limit"]) from None
        if limit < 0:
            limit = None
        elif limit == 0:
            raise exc.InputError("Query parameter 'limit' must be positive")
    if limit is None or limit > max_limit:
        limit = max_limit
    filters = {}
    for name, kind in filterable.items():
        if name in raw and raw[name] != "":
            filters[name] = parse_filter(name, kind, raw[name])
    return ListQuery(
        marker=raw.get("marker") or None,
        limit=limit,
        sort_keys=_split(raw["sort_keys"]) if raw.get("sort_keys") else None,
        sort_dirs=_split(raw["sort_dirs"]) if raw.get("sort_dirs") else None,
        fields=_split(raw["fields"]) if raw.get("fields") else None,
        filters=filters,
        raw=raw,
    )


def render(collection, items, q, url):
    """The wrapped list body: ``{collection: [...], "next": url-or-absent}``.

    :param items: list of dicts (already resources).
    :param url: the list endpoint's absolute URL, for the ``next`` link.
    """
    if q.fields:
        wanted = set(q.fields) | {"id"}
        items = [{k: v for k, v in item.items() if k in wanted} for item in items]
    body = {collection: items}
    if q.limit and len(items) == q.limit and items:
        params = dict(q.raw)
        params["marker"] = items[-1]["id"]
        params["limit"] = str(q.limit)
        body["next"] = url + "?" + urllib.parse.urlencode(params)
    return body


def dumps(value):
    """JSON-encode a response field that Mistral sends as a string."""
    return None if value is None else json.dumps(value)
