"""WSME resource types: what the API returns, with documented attributes."""

import wsme.rest.json
from wsme import types as wtypes

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def fmt_datetime(value):
    """Datetimes on the wire: 'YYYY-MM-DD HH:MM:SS' in UTC (the stock CLI parses them)."""
    return value.strftime(DATETIME_FORMAT) if value is not None else None


class Resource(wtypes.Base):
    """Base of all resources: every attribute present (null when empty)."""

    def __init__(self, **kwargs):
        for attr in wtypes.list_attributes(type(self)):
            kwargs.setdefault(attr.key, None)
        super().__init__(**kwargs)

    def to_dict(self):
        body = wsme.rest.json.tojson(type(self), self)
        for attr in wtypes.list_attributes(type(self)):
            body.setdefault(attr.name, None)
        return body
