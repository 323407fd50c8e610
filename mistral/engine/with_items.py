"""with-items: a task run once per item (an action or a sub-workflow each),
with an optional concurrency limit; its result is the list of item results
in index order, and a rerun with ``reset: false`` runs only failed items."""

from mistral import exceptions as exc
from mistral.db import executions as db_ex
from mistral.engine import actions, states, tasks


def item_subworkflows(session, task_ex):
    """The latest sub-workflow execution of each with-items item, by index
    (a retry or rerun starts newer ones)."""
    latest = {}
    for child in db_ex.sub_workflows_of_task(session, task_ex.id):
        latest[(child.params or {}).get("index", 0)] = child
    return latest


def _item_values(unit, spec, data, funcs):
    values = {}
    count = None
    for var, source in spec.with_items:
        items = tasks.evaluate(unit, source, data, funcs, "with-items")
        if not isinstance(items, list):
            raise exc.InputError("with-items '%s' must be a list, got %s" % (var, type(items).__name__))
        if count is not None and len(items) != count:
            raise exc.InputError("with-items lists must have the same length")
        count = len(items)
        values[var] = items
    return values, count or 0


def start_items(unit, wf_ex, task_ex, spec, data, funcs, indexes=None):
    """Start the items of a with-items task (``indexes``: only those, for a
    rerun of the failed ones)."""
    values, count = _item_values(unit, spec, data, funcs)
    concurrency = tasks._int(unit, spec.concurrency, data, funcs, "concurrency") if spec.concurrency else 0
    rt = tasks._rt(task_ex)
    if indexes is None:
        indexes = list(range(count))
    indexes = [i for i in indexes if i < count]
    rt["with_items"] = {"count": count, "pending": indexes, "concurrency": concurrency}
    db_ex.update_task(unit.session, task_ex, runtime_context=rt)
    if not indexes:
        tasks.finish_task(unit, wf_ex, task_ex, states.SUCCESS, tasks.result_of(unit.session, task_ex) if count else [])
        return
    _fill_items(unit, wf_ex, task_ex, spec, data, funcs, values, running=0)


def _fill_items(unit, wf_ex, task_ex, spec, data, funcs, values, running):
    rt = tasks._rt(task_ex)
    wi = dict(rt["with_items"])
    pending = list(wi["pending"])
    capacity = (wi["concurrency"] - running) if wi["concurrency"] else len(pending)
    to_start, pending = pending[: max(capacity, 0)], pending[max(capacity, 0) :]
    wi["pending"] = pending
    rt["with_items"] = wi
    db_ex.update_task(unit.session, task_ex, runtime_context=rt)
    if spec.workflow:
        _start_item_subworkflows(unit, wf_ex, task_ex, spec, data, funcs, values, to_start)
        return
    name = tasks._action_name(unit, spec, data, funcs)
    # Every input first: an item whose input fails must not leave others running.
    inputs = [(index, tasks._task_input(unit, spec, _item_data(data, values, index), funcs)) for index in to_start]
    safe_rerun = bool(tasks.evaluate(unit, spec.safe_rerun, data, funcs, "safe-rerun"))
    for index, action_input in inputs:
        actions.start(unit, wf_ex, task_ex, name, action_input, index=index, safe_rerun=safe_rerun)


def _item_data(data, values, index):
    item_data = dict(data)
    for var, items in values.items():
        item_data[var] = items[index]
    return item_data


def _start_item_subworkflows(unit, wf_ex, task_ex, spec, data, funcs, values, to_start):
    """One sub-workflow per item; its params carry the item's ``index``.

    A sub-workflow may finish while it starts (a task failing at once):
    completions of items arriving meanwhile are handled once all are started.
    """
    from mistral.engine import workflows

    name = tasks._subworkflow_name(unit, spec, data, funcs)
    definition = workflows.find_definition(unit, name, wf_ex)
    unit.items_starting.add(task_ex.id)
    try:
        for index in to_start:
            wf_input = tasks._task_input(unit, spec, _item_data(data, values, index), funcs) if spec.input else {}
            workflows.start(
                unit, definition, wf_input, params={"namespace": wf_ex.workflow_namespace, "index": index},
                parent_task_ex=task_ex, parent_wf_ex=wf_ex,
            )
    finally:
        unit.items_starting.discard(task_ex.id)
    if task_ex.id in unit.items_completed:
        unit.items_completed.discard(task_ex.id)
        tasks.on_subworkflow_complete(unit, wf_ex, task_ex, None)


def failed_items(session, task_ex):
    """Indexes of the items of a with-items task to run again: those whose
    latest run did not succeed, and those that never ran."""
    count = ((task_ex.runtime_context or {}).get("with_items") or {}).get("count", 0)
    if task_ex.type == "WORKFLOW":
        ok = {i for i, w in item_subworkflows(session, task_ex).items() if w.state == states.SUCCESS}
    else:
        acts = db_ex.actions_of_task(session, task_ex.id, accepted=True)
        ok = {(a.runtime_context or {}).get("index", 0) for a in acts if a.state == states.SUCCESS}
    return [i for i in range(count) if i not in ok]


def on_item_complete(unit, wf_ex, task_ex, spec):
    session = unit.session
    if task_ex.id in unit.items_starting:
        unit.items_completed.add(task_ex.id)
        return
    wi = tasks._rt(task_ex)["with_items"]
    if spec.workflow:
        runs = list(item_subworkflows(session, task_ex).values())
        running = sum(1 for w in runs if not states.is_completed(w.state))
        failed = [w for w in runs if states.is_completed(w.state) and w.state != states.SUCCESS]
    else:
        # A count, not a load: this runs once per item (no O(n^2) on big lists).
        running = db_ex.count_actions(session, task_ex.id, states.RUNNING)
        failed = None
    if wi["pending"]:
        data = tasks.inbound(unit, wf_ex, task_ex)
        funcs = tasks.functions(unit, wf_ex, task_ex)
        values, _ = _item_values(unit, spec, data, funcs)
        _fill_items(unit, wf_ex, task_ex, spec, data, funcs, values, running)
        return
    if running:
        return
    if failed is None:
        failed = [a for a in db_ex.actions_of_task(session, task_ex.id, accepted=True) if a.state != states.SUCCESS]
    result = tasks.result_of(session, task_ex)
    if failed:
        tasks.finish_task(unit, wf_ex, task_ex, states.ERROR, result, "%d of %d items failed: %s" % (
            len(failed), wi["count"], failed[0].state_info or failed[0].state))
    else:
        tasks.finish_task(unit, wf_ex, task_ex, states.SUCCESS, result)
