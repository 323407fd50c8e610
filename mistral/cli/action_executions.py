"""``action-execution-*`` commands: action executions."""

from mistral.cli import base

STATES = ["PAUSED", "RUNNING", "SUCCESS", "ERROR", "CANCELLED"]
COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("workflow_name", "Workflow name"),
    ("workflow_namespace", "Workflow namespace"),
    ("task_name", "Task name"),
    ("task_execution_id", "Task ID"),
    ("state", "State"),
    ("state_info", "State info"),
    ("accepted", "Accepted"),
    ("created_at", "Created at"),
    ("updated_at", "Updated at"),
]
HEADINGS = [c[1] for c in COLUMNS]
LIST_HEADINGS = [c[1] for c in COLUMNS if c[0] != "state_info"]


def row(a_ex, lister=False):
    data = (
        a_ex.get("id"),
        a_ex.get("name"),
        a_ex.get("workflow_name"),
        a_ex.get("workflow_namespace"),
        a_ex.get("task_name"),
        a_ex.get("task_execution_id"),
        a_ex.get("state"),
    )
    if not lister:
        data += (a_ex.get("state_info"),)
    return data + (
        a_ex.get("accepted"),
        a_ex.get("created_at"),
        a_ex.get("updated_at") or "<none>",
    )


class List(base.Lister):
    """List all Action executions."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        base.add_list_options(parser, limit=base.DEFAULT_LIMIT)
        base.add_oldest_option(parser)
        parser.add_argument("task_execution_id", nargs="?", help="Task execution ID.")
        return parser

    def take_action(self, parsed_args):
        reverse = base.newest_first(parsed_args)
        # No "fields", as the stock client: whole resources come back.
        a_exs = self.client.action_executions.list(
            parsed_args.task_execution_id, **base.list_kwargs(parsed_args)
        )
        if reverse:
            a_exs.reverse()
        return LIST_HEADINGS, [row(a, lister=True) for a in a_exs]


class Get(base.ShowOne):
    """Show specific Action execution."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action_execution", help="Action execution ID.")
        return parser

    def take_action(self, parsed_args):
        a_ex = self.client.action_executions.get(parsed_args.action_execution)
        return HEADINGS, row(a_ex)


class Update(base.ShowOne):
    """Update specific Action execution."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("id", help="Action execution ID.")
        parser.add_argument(
            "--state", dest="state", choices=STATES, help="Action execution state"
        )
        parser.add_argument(
            "--output",
            dest="output",
            help="Action execution output (JSON/YAML or a JSON/YAML file)",
        )
        return parser

    def take_action(self, parsed_args):
        output = base.load_data(parsed_args.output, "Output")
        if not (parsed_args.state or output is not None):
            raise base.CommandError(
                "Please provide either state or output for action execution."
            )
        a_ex = self.client.action_executions.update(
            parsed_args.id, parsed_args.state, output
        )
        return HEADINGS, row(a_ex)


class _ShowJSONField(base.Command):
    field = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("id", help="Action execution ID.")
        return parser

    def take_action(self, parsed_args):
        a_ex = self.client.action_executions.get(parsed_args.id)
        self.app.stdout.write(base.pretty_json(a_ex.get(self.field)))


class GetInput(_ShowJSONField):
    """Show Action execution input data."""

    field = "input"


class GetOutput(_ShowJSONField):
    """Show Action execution output data."""

    field = "output"


class Delete(base.DeleteMany):
    """Delete action execution."""

    noun = "action execution"
    arg_help = "Id of action execution identifier(s)."

    def delete(self, name, parsed_args):
        self.client.action_executions.delete(name)


COMMANDS = {
    "action-execution-list": List,
    "action-execution-get": Get,
    "action-execution-update": Update,
    "action-execution-get-input": GetInput,
    "action-execution-get-output": GetOutput,
    "action-execution-delete": Delete,
}
