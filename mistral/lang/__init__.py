"""Workflow language v2: YAML parsing, validation and spec objects (pure).

Parse and validate definitions with ``parse_workflows``, ``parse_workbook``
and ``parse_actions``; rebuild stored specs with ``load_workflow_spec``
(and ``load_action_spec``, ``load_workbook_spec``). Nothing here touches the
database, RPC or configuration.
"""

from mistral.lang.parser import (
    load_action_spec,
    load_workbook_spec,
    load_workflow_spec,
    load_yaml,
    parse_actions,
    parse_workbook,
    parse_workflows,
)
from mistral.lang.specs import (
    ActionSpec,
    InputParam,
    RetrySpec,
    TaskSpec,
    Transition,
    WorkbookSpec,
    WorkflowSpec,
)
from mistral.lang.validation import ENGINE_COMMANDS

__all__ = [
    "ENGINE_COMMANDS",
    "ActionSpec",
    "InputParam",
    "RetrySpec",
    "TaskSpec",
    "Transition",
    "WorkbookSpec",
    "WorkflowSpec",
    "load_action_spec",
    "load_workbook_spec",
    "load_workflow_spec",
    "load_yaml",
    "parse_actions",
    "parse_workbook",
    "parse_workflows",
]
