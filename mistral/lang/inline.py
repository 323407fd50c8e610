"""Parsers of the one-line forms of the language.

- ``std.http url=<% env().url %> method="POST" headers={"a": 1}``: a
  command (action, workflow, engine command) followed by ``key=value``
  parameters. Values may be quoted strings (spaces and ``=`` allowed
  inside), YAQL ``<% %>`` and Jinja ``{{ }}`` / ``{% %}`` expressions,
  JSON values (``[1, 2]``, ``{"a": 1}``, ``true``, ``3``) or bare words.
  A quoted value stays a string; anything else is JSON-parsed when
  possible and kept as written otherwise.
- ``fail(msg="x")``: the call form of an engine command in transitions.
- ``x in <% $.xs %>`` / ``x in [1, 2]``: a ``with-items`` entry.

Errors are ``InlineError`` with a message only; callers add where the
text came from.
"""

import json
import re


class InlineError(ValueError):
    """The one-line text is malformed; the message says how."""


_EXPR_CLOSERS = {"<%": "%>", "{{": "}}", "{%": "%}"}
_KEY = re.compile(r"[-\w]+=")
_CALL = re.compile(r"^\s*([^\s(=]+)\((.*)\)\s*$", re.DOTALL)
_WITH_ITEMS = re.compile(r"^\s*([-\w]+)\s+in\s+(.*?)\s*$", re.DOTALL)


def _skip_quoted(text, i):
    """Index after the quoted string starting at ``text[i]``."""
    quote = text[i]
    n = len(text)
    j = i + 1
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == quote:
            return j + 1
        j += 1
    raise InlineError(f"unterminated quoted string {text[i : i + 20]}")


def _skip_expression(text, i):
    """Index after the expression opened at ``text[i:i+2]``."""
    closer = _EXPR_CLOSERS[text[i : i + 2]]
    n = len(text)
    j = i + 2
    depth = 0
    while j < n:
        c = text[j]
        if c in "'\"`":
            j = _skip_quoted(text, j)
            continue
        if text.startswith(closer, j) and depth == 0:
            return j + 2
        # Braces inside Jinja (dict literals) must not end it early.
        if c == "{":
            depth += 1
        elif c == "}" and depth > 0:
            depth -= 1
        j += 1
    raise InlineError(f"unterminated expression {text[i : i + 20]}")


def _skip_brackets(text, i):
    """Index after the JSON list or object starting at ``text[i]``."""
    n = len(text)
    depth = 0
    j = i
    while j < n:
        if text[j : j + 2] in _EXPR_CLOSERS:
            j = _skip_expression(text, j)
            continue
        c = text[j]
        if c in "'\"":
            j = _skip_quoted(text, j)
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise InlineError(f"unbalanced brackets in {text[i : i + 20]}")


def _skip_unit(text, i):
    """Index after a unit (quote, expression, brackets) at ``i``, or None."""
    if text[i : i + 2] in _EXPR_CLOSERS:
        return _skip_expression(text, i)
    c = text[i]
    if c in "'\"":
        return _skip_quoted(text, i)
    if c in "[{":
        return _skip_brackets(text, i)
    return None


def _scan_token(text, i, stops=""):
    """Index where the token starting at ``i`` ends (whitespace, ``stops``)."""
    n = len(text)
    while i < n and not text[i].isspace() and text[i] not in stops:
        end = _skip_unit(text, i)
        i = end if end is not None else i + 1
    return i


def _no_constants(name):
    raise ValueError(name)


def interpret_value(raw):
    """The value of a raw parameter text: string, JSON value or as written."""
    if raw[0] in "'\"" and _skip_quoted(raw, 0) == len(raw):
        inner = raw[1:-1]
        if "\\" not in inner:
            return inner
        if raw[0] == '"':
            try:
                return json.loads(raw)
            except ValueError:
                return inner
        return inner.replace("\\'", "'")
    try:
        return json.loads(raw, parse_constant=_no_constants)
    except ValueError:
        return raw


def parse_params(text, i=0, separators=""):
    """Parse ``key=value`` pairs from ``text[i:]`` into a dict (in order)."""
    params = {}
    n = len(text)
    while True:
        while i < n and (text[i].isspace() or text[i] in separators):
            i += 1
        if i >= n:
            return params
        m = _KEY.match(text, i)
        if not m:
            rest = text[i : i + 30]
            raise InlineError(f"expected 'name=value' at '{rest}'")
        key = m.group()[:-1]
        start = m.end()
        end = _scan_token(text, start, separators)
        if end == start:
            raise InlineError(f"parameter '{key}' has no value")
        params[key] = interpret_value(text[start:end])
        i = end


def parse_command(text):
    """Split ``cmd k=v ...`` into ``(cmd, params)``.

    The command is a name (``std.http``) or one expression
    (``<% $.action %>``).
    """
    text = text.strip()
    if not text:
        raise InlineError("the name is empty")
    end = _scan_token(text, 0)
    cmd = text[:end]
    is_expression = any(cmd.startswith(o) for o in _EXPR_CLOSERS)
    if not is_expression and any(c in cmd for c in "=\"'"):
        raise InlineError(f"'{cmd}' is not a valid name")
    return cmd, parse_params(text, end)


def parse_transition(text):
    """Parse a transition target: ``task``, ``fail msg="x"``, ``fail(msg=x)``.

    Returns ``(name, params)``.
    """
    m = _CALL.match(text)
    if m:
        return m.group(1), parse_params(m.group(2), separators=",")
    name, params = parse_command(text)
    if any(name.startswith(o) for o in _EXPR_CLOSERS):
        raise InlineError(
            f"'{name}' is an expression; a transition must name a task or an "
            "engine command"
        )
    return name, params


def parse_with_items(text):
    """Parse ``var in <% expr %>`` or ``var in [json list]``.

    Returns ``(var, source)`` where source is the expression string or the
    parsed list.
    """
    m = _WITH_ITEMS.match(text)
    if not m:
        raise InlineError(
            f"'{text}' must look like 'var in <% $.list %>' or 'var in [1, 2]'"
        )
    var, source = m.group(1), m.group(2)
    if source.startswith("["):
        try:
            items = json.loads(source)
        except ValueError as e:
            raise InlineError(f"'{source}' is not a JSON list: {e}")
        if not isinstance(items, list):
            raise InlineError(f"'{source}' is not a JSON list")
        return var, items
    if source[:2] in _EXPR_CLOSERS and _skip_expression(source, 0) == len(source):
        return var, source
    raise InlineError(f"'{source}' must be an expression or a JSON list after 'in'")
