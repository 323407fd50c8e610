"""Create, update, delete and validate workflow and workbook definitions.

Each public function runs in ONE transaction: a document with several
workflows is stored whole or not at all.
"""

import yaml

from mistral import exceptions as exc
from mistral import lang
from mistral.db import definitions as defs


def _split_text(text, names):
    """Per-workflow definition text: the whole text when there is one workflow."""
    if len(names) == 1:
        return {names[0]: text}
    data = yaml.safe_load(text)
    version = data.get("version", "2.0")
    return {name: yaml.safe_dump({"version": version, name: data[name]}, sort_keys=False) for name in names}


def _workflow_values(spec, text, namespace, scope, name=None, workbook_name=None):
    return {
        "name": name or spec.name,
        "namespace": namespace or "",
        "definition": text,
        "spec": spec.to_dict(),
        "tags": list(spec.tags or []),
        "input": spec.input_string(),
        "scope": scope or "private",
        "workbook_name": workbook_name,
    }


def _parse_workflows(text):
    specs = lang.parse_workflows(text)
    if not specs:
        raise exc.InvalidModelException("The definition holds no workflow")
    return specs


def create_workflows(db, text, namespace="", scope="private"):
    """Store every workflow of a definition document.

    :returns: the created rows.
    :raises DSLParsingException / InvalidModelException: (400) bad definition.
    :raises DBDuplicateEntryError: (409) a name is taken in ``namespace``.
    """
    specs = _parse_workflows(text)
    texts = _split_text(text, [s.name for s in specs])

    def _create(session):
        return [defs.create(session, "workflow", _workflow_values(s, texts[s.name], namespace, scope)) for s in specs]

    return db.run(_create)


def update_workflows(db, text, namespace="", scope=None, identifier=None):
    """Replace existing workflows with the definitions in ``text``.

    :param identifier: when given (PUT /v2/workflows/<id>), the document must
        hold exactly one workflow, which replaces that one.
    :raises DBEntityNotFoundError: (404) a workflow does not exist.
    """
    specs = _parse_workflows(text)
    if identifier and len(specs) != 1:
        raise exc.InputError("Updating workflow '%s' needs a definition with exactly one workflow" % identifier)
    texts = _split_text(text, [s.name for s in specs])

    def _update(session):
        rows = []
        for spec in specs:
            if identifier:
                obj = defs.find(session, "workflow", identifier, namespace)
            else:
                obj = defs.find_by_name(session, "workflow", spec.name, namespace)
                if obj is None:
                    raise exc.DBEntityNotFoundError(
                        "Workflow not found [name=%s, namespace=%s]" % (spec.name, namespace or "")
                    )
            values = _workflow_values(spec, texts[spec.name], namespace, scope or obj.scope, workbook_name=obj.workbook_name)
            if identifier and spec.name != obj.name:
                clash = defs.find_by_name(session, "workflow", spec.name, obj.namespace)
                if clash is not None:
                    raise exc.DBDuplicateEntryError("Workflow with name '%s' already exists" % spec.name)
            values.pop("namespace")
            rows.append(defs.update(obj, values))
        session.flush()
        return rows

    return db.run(_update)


def delete_workflow(db, identifier, namespace=""):
    """Delete one workflow definition; 404 when unknown."""

    def _delete(session):
        defs.delete(session, defs.find(session, "workflow", identifier, namespace))

    db.run(_delete)


def validate(kind, text):
    """{'valid': bool, 'error': message or None} for a workflow or workbook text."""
    try:
        if kind == "workbook":
            lang.parse_workbook(text)
        else:
            _parse_workflows(text)
    except exc.InputError as e:
        return {"valid": False, "error": str(e)}
    return {"valid": True, "error": None}


# -- workbooks -----------------------------------------------------------


def _store_workbook_members(session, spec, text, namespace, scope):
    bodies = (yaml.safe_load(text) or {}).get("workflows") or {}
    text_by_name = {
        wf.name: yaml.safe_dump({"version": "2.0", wf.name: bodies.get(wf.name)}, sort_keys=False) for wf in spec.workflows
    }
    for wf in spec.workflows:
        name = "%s.%s" % (spec.name, wf.name)
        defs.create(session, "workflow", _workflow_values(wf, text_by_name[wf.name], namespace, scope, name=name, workbook_name=spec.name))


def _workbook_values(spec, text, namespace, scope):
    return {
        "name": spec.name,
        "namespace": namespace or "",
        "definition": text,
        "spec": {"name": spec.name, "workflows": [w.name for w in spec.workflows]},
        "tags": list(spec.tags or []),
        "scope": scope or "private",
    }


def create_workbook(db, text, namespace="", scope="private"):
    """Store a workbook and its workflows (named ``<workbook>.<workflow>``)."""
    spec = lang.parse_workbook(text)

    def _create(session):
        row = defs.create(session, "workbook", _workbook_values(spec, text, namespace, scope))
        _store_workbook_members(session, spec, text, namespace, scope)
        return row

    return db.run(_create)


def update_workbook(db, text, namespace="", scope=None):
    """Replace a workbook and its workflows; 404 when it does not exist."""
    spec = lang.parse_workbook(text)

    def _update(session):
        obj = defs.find_by_name(session, "workbook", spec.name, namespace)
        if obj is None:
            raise exc.DBEntityNotFoundError("Workbook not found [name=%s, namespace=%s]" % (spec.name, namespace or ""))
        for wf in defs.workflows_of_workbook(session, spec.name, namespace):
            defs.delete(session, wf)
        values = _workbook_values(spec, text, namespace, scope or obj.scope)
        values.pop("namespace")
        defs.update(obj, values)
        _store_workbook_members(session, spec, text, namespace, scope or obj.scope)
        session.flush()
        return obj

    return db.run(_update)


def delete_workbook(db, name, namespace=""):
    """Delete a workbook and the workflows it defined; 404 when unknown."""

    def _delete(session):
        obj = defs.find(session, "workbook", name, namespace)
        for wf in defs.workflows_of_workbook(session, obj.name, obj.namespace):
            defs.delete(session, wf)
        defs.delete(session, obj)

    db.run(_delete)
