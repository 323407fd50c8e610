"""Data access for definitions: workflows, workbooks and ad-hoc actions."""

import re

import sqlalchemy as sa

from mistral import exceptions as exc
from mistral.db import models, query

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

KINDS = {
    "workflow": models.WorkflowDefinition,
    "workbook": models.WorkbookDefinition,
    "action": models.ActionDefinition,
}


def is_uuid(value):
    return bool(value) and bool(_UUID.match(value))


def find(session, kind, identifier, namespace=""):
    """One definition by id or by name in ``namespace``.

    A name not found in ``namespace`` falls back to the default namespace
    (''), as the original does, so shared definitions stay reachable.

    :raises DBEntityNotFoundError: (404) no such definition.
    """
    model = KINDS[kind]
    if is_uuid(identifier):
        obj = session.get(model, identifier)
        if obj is not None:
            return obj
    namespaces = [namespace or ""]
    if namespace:
        namespaces.append("")
    for ns in namespaces:
        obj = session.scalars(sa.select(model).where(model.name == identifier, model.namespace == ns)).first()
        if obj is not None:
            return obj
    raise exc.DBEntityNotFoundError(
        "%s not found [name=%s, namespace=%s]" % (kind.capitalize(), identifier, namespace or "")
    )


def find_by_name(session, kind, name, namespace=""):
    """Exact (name, namespace) match or None."""
    model = KINDS[kind]
    return session.scalars(sa.select(model).where(model.name == name, model.namespace == (namespace or ""))).first()


def create(session, kind, values):
    """Insert a definition; raises DBDuplicateEntryError (409) on a taken name."""
    if find_by_name(session, kind, values["name"], values.get("namespace", "")) is not None:
        raise exc.DBDuplicateEntryError(
            "%s with name '%s' already exists in namespace '%s'"
            % (kind.capitalize(), values["name"], values.get("namespace", ""))
        )
    obj = KINDS[kind](**values)
    session.add(obj)
    session.flush()
    return obj


def update(obj, values):
    for key, value in values.items():
        setattr(obj, key, value)
    obj.updated_at = models.utcnow()
    return obj


def delete(session, obj):
    session.delete(obj)
    session.flush()


def list_definitions(session, kind, **kwargs):
    return query.list_rows(session, KINDS[kind], **kwargs)


def workflows_of_workbook(session, workbook_name, namespace=""):
    model = models.WorkflowDefinition
    return list(
        session.scalars(sa.select(model).where(model.workbook_name == workbook_name, model.namespace == (namespace or "")))
    )


def actions_of_workbook(session, workbook_name, namespace=""):
    model = models.ActionDefinition
    return list(
        session.scalars(sa.select(model).where(model.workbook_name == workbook_name, model.namespace == (namespace or "")))
    )
