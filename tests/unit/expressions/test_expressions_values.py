"""Conversion of results to plain JSON types and to text, and error text."""

import datetime

import pytest
from yaql.language import utils as yaql_utils

from mistral.expressions import values


class _Str(str):
    pass


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        (True, True),
        (3, 3),
        (1.5, 1.5),
        ("s", "s"),
        (_Str("sub"), "sub"),
        ((1, (2, 3)), [1, [2, 3]]),
        (frozenset([1]), [1]),
        ({2}, [2]),
        (range(2), [0, 1]),
        ((i for i in [1, 2]), [1, 2]),
        (
            yaql_utils.FrozenDict(a=(1, yaql_utils.FrozenDict(b=2))),
            {"a": [1, {"b": 2}]},
        ),
        ({1: "i", None: "n", 1.5: "f"}, {1: "i", None: "n", 1.5: "f"}),
        (datetime.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05"),
        (datetime.date(2024, 1, 2), "2024-01-02"),
        (datetime.timedelta(seconds=90), "0:01:30"),
    ],
)
def test_to_plain(value, expected):
    result = values.to_plain(value)
    assert result == expected
    assert type(result) is type(expected)


def test_to_plain_copies_containers():
    data = {"a": [1, {"b": []}]}
    result = values.to_plain(data)
    assert result == data
    assert result is not data
    assert result["a"] is not data["a"]
    assert result["a"][1] is not data["a"][1]


@pytest.mark.parametrize(
    "value, message",
    [
        (object(), "type 'object'"),
        (b"bytes", "bytes"),
        ({(1, 2): "tuple key"}, "dict key is of type 'tuple'"),
        ([1, object()], "type 'object'"),
    ],
)
def test_to_plain_refuses_non_json(value, message):
    with pytest.raises(TypeError) as info:
        values.to_plain(value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("s", "s"),
        (_Str("sub"), "sub"),
        (1, "1"),
        (1.5, "1.5"),
        (True, "True"),
        (None, "None"),
        ([1, "a", None, True], '[1, "a", null, true]'),
        ((1, 2), "[1, 2]"),
        ({"k": {"n": "é"}}, '{"k": {"n": "é"}}'),
        (datetime.date(2024, 1, 2), "2024-01-02"),
    ],
)
def test_to_text(value, expected):
    assert values.to_text(value) == expected


@pytest.mark.parametrize(
    "error, expected",
    [
        (KeyError("missing"), "key 'missing' not found"),
        (ValueError("two\n  lines"), "two lines"),
        (ValueError(), "ValueError"),
        (KeyError(), "KeyError"),
    ],
)
def test_error_text(error, expected):
    assert values.error_text(error) == expected
