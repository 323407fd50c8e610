"""Conversion of expression results (and errors) to JSON types and text.

YAQL works on frozen copies of its input (FrozenDict, tuples, frozensets)
and both languages can yield generators, ranges, sets or Markup strings.
Results leave the package as new dicts and lists (never aliasing the data
context), so the engine can store them as JSON.
"""

import collections.abc
import datetime
import json

_SCALARS = (bool, int, float)
_KEY_TYPES = (str, bool, int, float)


def to_plain(value):
    """Return ``value`` rebuilt from dict, list, str, int, float, bool, None.

    Mappings become dicts, any other iterable (tuple, set, generator,
    range) becomes a list, str subclasses become str, dates and times become
    ISO 8601 strings.

    :raises TypeError: for a value with no JSON equivalent.
    """
    if value is None or isinstance(value, _SCALARS):
        return value
    if isinstance(value, str):
        return value if type(value) is str else str(value)
    if isinstance(value, collections.abc.Mapping):
        return {_plain_key(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        raise TypeError("the result is bytes, not a JSON value")
    # Iterating may raise (Jinja's StrictUndefined does): let it through.
    if isinstance(value, collections.abc.Iterable):
        return [to_plain(item) for item in value]
    raise TypeError(f"the result is of type '{type(value).__name__}', not a JSON value")


def _plain_key(key):
    if key is None or isinstance(key, _KEY_TYPES):
        return to_plain(key)
    raise TypeError(f"a dict key is of type '{type(key).__name__}', not a JSON key")


def copy_data(value):
    """Return a copy of ``value`` with new dicts and lists (tuples as lists).

    Other values are shared: they are immutable in JSON data.
    """
    if isinstance(value, dict):
        return {key: copy_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [copy_data(item) for item in value]
    return value


def to_text(value):
    """Return ``value`` as it is substituted into a string with other text.

    Strings as they are, dicts and lists (and other collections) as JSON,
    other scalars with ``str()`` as the original does (True, None, 1.5).
    """
    if isinstance(value, str):
        return str(value)
    if value is None or isinstance(value, _SCALARS):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return str(value)
    return json.dumps(to_plain(value), ensure_ascii=False)


def error_text(error):
    """Describe an exception raised inside an expression, on one line."""
    if isinstance(error, KeyError) and len(error.args) == 1:
        # YAQL reports a missing key ($.missing) as a bare KeyError.
        return f"key {error.args[0]!r} not found"
    text = " ".join(str(error).split())
    return text or type(error).__name__


def error_message(what, expression, error):
    """The message of an expression error: what failed, where, and why."""
    return f"{what} [expression={expression}, error={error_text(error)}]"
