"""The one list helper: filtering, sorting and marker pagination for every
list endpoint. Filterable fields are declared by the caller as data."""

import sqlalchemy as sa

from mistral import exceptions as exc

OPERATORS = ("eq", "neq", "in", "nin", "gt", "gte", "lt", "lte", "has")


def _clause(column, op, value):
    if op == "eq":
        return column.is_(None) if value is None else column == value
    if op == "neq":
        return column.is_not(None) if value is None else column != value
    if op == "in":
        return column.in_(value)
    if op == "nin":
        return column.not_in(value)
    if op == "gt":
        return column > value
    if op == "gte":
        return column >= value
    if op == "lt":
        return column < value
    if op == "lte":
        return column <= value
    if op == "has":
        return column.like("%" + str(value).replace("%", r"\%").replace("_", r"\_") + "%", escape="\\")
    raise exc.InputError("Unknown filter operator '%s'" % op)


def get_by_id(session, model, entity_id, what=None):
    """Fetch one row by id; raises DBEntityNotFoundError (404)."""
    obj = session.get(model, entity_id)
    if obj is None:
        raise exc.DBEntityNotFoundError("%s not found [id=%s]" % (what or model.__name__, entity_id))
    return obj


def list_rows(session, model, filters=None, limit=None, marker=None, sort_keys=None, sort_dirs=None, extra=()):
    """Rows of ``model`` matching ``filters``, sorted and paginated.

    :param filters: {column name: (operator, value)}; operators in OPERATORS.
    :param limit: at most this many rows (None: all).
    :param marker: id of the last row of the previous page.
    :param sort_keys: column names; ``id`` is always appended as tie-breaker.
    :param sort_dirs: 'asc' or 'desc' per key (default 'asc').
    :param extra: additional SQLAlchemy WHERE clauses.
    :raises InputError: (400) unknown sort key, bad direction.
    :raises DBEntityNotFoundError: (404) unknown marker.
    """
    stmt = sa.select(model)
    for name, (op, value) in (filters or {}).items():
        stmt = stmt.where(_clause(getattr(model, name), op, value))
    for clause in extra:
        stmt = stmt.where(clause)
    keys = list(sort_keys or ["created_at"])
    dirs = list(sort_dirs or [])
    for d in dirs:
        if d not in ("asc", "desc"):
            raise exc.InputError("Invalid sort direction '%s' in 'sort_dirs': use asc or desc" % d)
    dirs += [dirs[-1] if dirs else "asc"] * (len(keys) - len(dirs))
    if "id" not in keys:
        keys.append("id")
        dirs.append(dirs[-1] if dirs else "asc")
    columns = []
    for key in keys:
        col = model.__table__.columns.get(key)
        if col is None:
            raise exc.InputError("Invalid sort key '%s' in 'sort_keys'" % key)
        columns.append(col)
    if marker:
        marker_row = session.get(model, marker)
        if marker_row is None:
            raise exc.DBEntityNotFoundError("Marker not found [marker=%s]" % marker)
        stmt = stmt.where(_after_marker(columns, dirs, marker_row))
    stmt = stmt.order_by(*[c.desc() if d == "desc" else c.asc() for c, d in zip(columns, dirs, strict=False)])
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def _after_marker(columns, dirs, marker_row):
    """Rows that sort strictly after ``marker_row`` (keyset pagination)."""
    ors = []
    for i, (col, direction) in enumerate(zip(columns, dirs, strict=False)):
        value = getattr(marker_row, col.key)
        equal_prefix = [c == getattr(marker_row, c.key) for c in columns[:i]]
        if value is None:
            # NULLs sort first ascending on SQLite/MySQL: anything non-null is after.
            step = col.is_not(None) if direction == "asc" else sa.false()
        else:
            step = col > value if direction == "asc" else col < value
            if direction == "desc":
                step = sa.or_(step, col.is_(None))
        ors.append(sa.and_(*equal_prefix, step))
    return sa.or_(*ors)
