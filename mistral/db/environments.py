"""Data access for named environments (``/v2/environments``)."""

import sqlalchemy as sa

from mistral import exceptions as exc
from mistral.db import models, query


def find(session, identifier):
    """An environment by name or id; raises DBEntityNotFoundError (404)."""
    model = models.Environment
    obj = session.scalars(sa.select(model).where(model.name == identifier)).first()
    if obj is None:
        obj = session.get(model, identifier)
    if obj is None:
        raise exc.DBEntityNotFoundError("Environment not found [name=%s]" % identifier)
    return obj


def create(session, values):
    """Insert an environment; raises DBDuplicateEntryError (409) on a taken name."""
    model = models.Environment
    if session.scalars(sa.select(model).where(model.name == values["name"])).first() is not None:
        raise exc.DBDuplicateEntryError("Environment with name '%s' already exists" % values["name"])
    obj = model(**values)
    session.add(obj)
    session.flush()
    return obj


def update(session, name, values):
    obj = find(session, name)
    for key, value in values.items():
        setattr(obj, key, value)
    obj.updated_at = models.utcnow()
    session.flush()
    return obj


def delete(session, name):
    obj = find(session, name)
    session.delete(obj)
    session.flush()


def list_environments(session, **kwargs):
    return query.list_rows(session, models.Environment, **kwargs)
