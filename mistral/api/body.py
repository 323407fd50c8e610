"""Request-body parsing: JSON objects checked against declared fields.

Each controller declares its accepted fields as data; anything else is a 400
naming the attribute. JSON fields accept an object or a JSON-encoded string
(python-mistralclient sends strings in some requests and objects in others).
"""

import json

from mistral import exceptions as exc

_MISSING = object()


class Field:
    """One accepted body attribute.

    :param kind: 'str', 'bool', 'int', 'object' (a JSON object, or a string
        holding one), 'json' (any JSON value, or a string holding one),
        'object_or_str' (an object, or a plain string such as an environment
        name, or a string holding an object).
    """

    def __init__(self, kind="str", required=False, choices=None, nullable=True):
        self.kind = kind
        self.required = required
        self.choices = choices
        self.nullable = nullable


def load_json(request):
    """The request body as a JSON object (400 when absent or malformed)."""
    raw = request.body
    if not raw or not raw.strip():
        raise exc.InputError("Request body is empty: a JSON object is required")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise exc.InputError("Request body is not valid JSON: %s" % e) from None
    if not isinstance(data, dict):
        raise exc.InputError("Request body must be a JSON object, not %s" % type(data).__name__)
    return data


def parse(data, fields, what="request"):
    """Check ``data`` against ``fields`` ({name: Field}); return converted values.

    Only attributes present in ``data`` appear in the result (so callers can
    tell 'absent' from 'null').
    """
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise exc.InputError("Unknown attribute%s in %s: %s" % ("s" if len(unknown) > 1 else "", what, ", ".join(unknown)))
    result = {}
    for name, field in fields.items():
        value = data.get(name, _MISSING)
        if value is _MISSING:
            if field.required:
                raise exc.InputError("Attribute '%s' is required in %s" % (name, what))
            continue
        result[name] = convert(name, value, field)
    return result


def convert(name, value, field):
    if value is None:
        if field.required or not field.nullable:
            raise exc.InputError("Attribute '%s' must not be null" % name)
        return None
    kind = field.kind
    if kind == "str":
        if not isinstance(value, str):
            raise exc.InputError("Attribute '%s' must be a string, not %s" % (name, _type(value)))
        if field.choices and value not in field.choices:
            raise exc.InputError("Attribute '%s' must be one of %s, not '%s'" % (name, ", ".join(field.choices), value))
        return value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise exc.InputError("Attribute '%s' must be a boolean, not %s" % (name, _type(value)))
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise exc.InputError("Attribute '%s' must be an integer, not %s" % (name, _type(value)))
        return value
    if kind == "json":
        return decode_json(name, value) if isinstance(value, str) else value
    if kind == "object":
        if isinstance(value, str):
            value = decode_json(name, value) if value.strip() else {}
        if not isinstance(value, dict):
            raise exc.InputError("Attribute '%s' must be a JSON object, not %s" % (name, _type(value)))
        return value
    if kind == "object_or_str":
        if isinstance(value, str) and value.strip().startswith("{"):
            value = decode_json(name, value)
        if not isinstance(value, (dict, str)):
            raise exc.InputError("Attribute '%s' must be a JSON object or a name, not %s" % (name, _type(value)))
        return value
    raise AssertionError("unknown field kind %s" % kind)


def decode_json(name, text):
    try:
        return json.loads(text)
    except ValueError as e:
        raise exc.InputError("Attribute '%s' is not valid JSON: %s" % (name, e)) from None


def _type(value):
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )
