"""Read-only views over an execution tree: its sub-executions and the
report (statistics plus the tree of tasks, actions and sub-workflows)."""

from mistral.db import executions as db_ex
from mistral.engine import states

_STAT_STATES = {
    states.RUNNING: "running_tasks_count",
    states.SUCCESS: "success_tasks_count",
    states.ERROR: "error_tasks_count",
    states.IDLE: "idle_tasks_count",
    states.PAUSED: "paused_tasks_count",
}


def sub_executions(session, ex_id, errors_only=False, max_depth=-1):
    """Every execution below ``ex_id`` (depth first), 404 when unknown."""
    db_ex.get_workflow_execution(session, ex_id)
    found = []

    def _walk(parent_id, depth):
        if max_depth >= 0 and depth > max_depth:
            return
        for child in db_ex.sub_workflows(session, parent_id):
            if not errors_only or child.state == states.ERROR:
                found.append(child)
            _walk(child.id, depth + 1)

    _walk(ex_id, 1)
    return found


def report(session, ex_id, errors_only=False, max_depth=-1, statistics_only=False):
    """The original's execution report: statistics and the execution tree."""
    root = db_ex.get_workflow_execution(session, ex_id)
    stats = {"total_tasks_count": 0}
    stats.update({key: 0 for key in _STAT_STATES.values()})

    def _tree(wf_ex, depth):
        node = {"id": wf_ex.id, "name": wf_ex.name, "state": wf_ex.state, "state_info": wf_ex.state_info, "task_executions": []}
        for task in db_ex.tasks_of(session, wf_ex.id):
            stats["total_tasks_count"] += 1
            key = _STAT_STATES.get(task.state)
            if key:
                stats[key] += 1
            if errors_only and task.state != states.ERROR:
                continue
            task_node = {
                "id": task.id,
                "name": task.name,
                "type": task.type,
                "state": task.state,
                "state_info": task.state_info,
                "action_executions": [
                    {"id": a.id, "name": a.name, "state": a.state, "state_info": a.state_info, "accepted": a.accepted}
                    for a in db_ex.actions_of_task(session, task.id)
                ],
                "workflow_executions": [],
            }
            if max_depth < 0 or depth < max_depth:
                task_node["workflow_executions"] = [_tree(c, depth + 1) for c in db_ex.sub_workflows_of_task(session, task.id)]
            node["task_executions"].append(task_node)
        return node

    tree = _tree(root, 0)
    body = {"statistics": stats}
    if not statistics_only:
        body["root_workflow_execution"] = tree
    return body
