"""Column types that behave the same on SQLite, PostgreSQL and MySQL/MariaDB."""

import json

import sqlalchemy as sa
from sqlalchemy.dialects import mysql


def long_text():
    """TEXT, but LONGTEXT on MySQL/MariaDB (whose TEXT holds only 64 KiB)."""
    return sa.Text().with_variant(mysql.LONGTEXT(), "mysql").with_variant(mysql.LONGTEXT(), "mariadb")


def datetime_type():
    """DATETIME with microseconds on MySQL/MariaDB."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql").with_variant(mysql.DATETIME(fsp=6), "mariadb")


class JsonEncoded(sa.types.TypeDecorator):
    """A JSON value stored as text.

    In-place changes of the Python value are NOT tracked: always assign a new
    value (for example a merged copy) to the attribute.
    """

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.LONGTEXT())
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return json.dumps(value, separators=(",", ":"), sort_keys=False)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return json.loads(value)
