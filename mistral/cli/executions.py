"""``execution-*`` commands: workflow executions.

``execution-create --wait`` is ours: it follows the execution until it
finishes, reporting execution and task state changes on stderr, and exits
non-zero when the execution ends in ERROR or CANCELLED.
"""

import time

from mistral.cli import base

FINISHED = ("SUCCESS", "ERROR", "CANCELLED")
FAILED = ("ERROR", "CANCELLED")
STATES = ["RUNNING", "PAUSED", "SUCCESS", "ERROR", "CANCELLED"]

COLUMNS = [
    ("id", "ID"),
    ("workflow_id", "Workflow ID"),
    ("workflow_name", "Workflow name"),
    ("workflow_namespace", "Workflow namespace"),
    ("description", "Description"),
    ("task_execution_id", "Task Execution ID"),
    ("root_execution_id", "Root Execution ID"),
    ("state", "State"),
    ("state_info", "State info"),
    ("created_at", "Created at"),
    ("updated_at", "Updated at"),
    ("duration", "Duration", True),
]
FIELDS = [c[0] for c in COLUMNS if len(c) == 2]
HEADINGS = [c[1] for c in COLUMNS]


def row(ex, lister=False):
    state_info = ex.get("state_info")
    finished = ex.get("state") in FINISHED
    return (
        ex.get("id"),
        ex.get("workflow_id"),
        ex.get("workflow_name"),
        ex.get("workflow_namespace"),
        ex.get("description"),
        ex.get("task_execution_id") or "<none>",
        ex.get("root_execution_id") or "<none>",
        ex.get("state"),
        base.cut(state_info) if lister else state_info,
        ex.get("created_at"),
        ex.get("updated_at") or "<none>",
        base.duration(ex.get("created_at"), ex.get("updated_at") if finished else ""),
    )


def _progress(name, state, info):
    """One progress line; the state info only for a failure."""
    if info and state in FAILED:
        return f"{name} [{state}]: {base.cut(info, 200)}\n"
    return f"{name} [{state}]\n"


def wait(client, execution, interval, out, sleep=time.sleep):
    """Poll an execution until it finishes; report changes on ``out``.

    Lines: the execution's state when it changes, then each task whose
    state changed since the last poll, then the final state.

    :returns: the finished execution.
    :raises APIError: the API failed while polling.
    """
    ex_id = execution["id"]
    ex_name = f"Execution {ex_id}"
    task_states = {}
    last_state = None
    while True:
        state = execution.get("state")
        if state != last_state and state not in FINISHED:
            out.write(_progress(ex_name, state, None))
        for task in client.tasks.list(ex_id):
            task_state = task.get("state")
            if task_states.get(task.get("id")) != task_state:
                task_states[task.get("id")] = task_state
                out.write(
                    _progress(
                        f"  task {task.get('name')}",
                        task_state,
                        task.get("state_info"),
                    )
                )
        last_state = state
        if state in FINISHED:
            out.write(_progress(ex_name, state, execution.get("state_info")))
            out.flush()
            return execution
        out.flush()
        if interval > 0:
            sleep(interval)
        execution = client.executions.get(ex_id)


def add_wait_options(parser, what):
    parser.add_argument(
        "--wait",
        action="store_true",
        help=f"After {what}, wait until the (root) execution finishes, reporting "
        "progress on stderr; exit with 1 if it ends in ERROR or CANCELLED.",
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="Seconds between two polls with --wait (default 1).",
    )


def wait_root(client, ex_id, interval, out):
    """Wait for the root of execution ``ex_id``; True when it ended in failure."""
    ex = client.executions.get(ex_id)
    if ex.get("root_execution_id"):
        ex = client.executions.get(ex["root_execution_id"])
    return wait(client, ex, interval, out).get("state") in FAILED


class List(base.Lister):
    """List all executions."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        base.add_list_options(parser, limit=base.DEFAULT_LIMIT)
        base.add_oldest_option(parser)
        parser.add_argument(
            "--task",
            nargs="?",
            help="Parent task execution ID associated with workflow execution list.",
        )
        parser.add_argument(
            "--rootsonly", action="store_true", help="return only root executions"
        )
        return parser

    def take_action(self, parsed_args):
        reverse = base.newest_first(parsed_args)
        exs = self.client.executions.list(
            task=parsed_args.task,
            root_only=parsed_args.rootsonly,
            **base.list_kwargs(parsed_args, fields=FIELDS),
        )
        if reverse:
            exs.reverse()
        return HEADINGS, [row(ex, lister=True) for ex in exs]


class Get(base.ShowOne):
    """Show specific execution."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("execution", help="Execution identifier")
        return parser

    def take_action(self, parsed_args):
        return HEADINGS, row(self.client.executions.get(parsed_args.execution))


class Create(base.ShowOne):
    """Create new execution."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "workflow_identifier", nargs="?", help="Workflow ID or name"
        )
        parser.add_argument(
            "--namespace", nargs="?", default="", help="Workflow namespace."
        )
        parser.add_argument(
            "workflow_input",
            nargs="?",
            help="Workflow input (JSON/YAML, or a JSON/YAML file)",
        )
        parser.add_argument(
            "params",
            nargs="?",
            help="Workflow additional parameters (JSON/YAML, or a file), "
            'e.g. {"env": {...}}',
        )
        parser.add_argument(
            "-d",
            "--description",
            dest="description",
            default="",
            help="Execution description",
        )
        parser.add_argument(
            "-s",
            dest="source_execution_id",
            nargs="?",
            help="Workflow Execution id which will allow operators to create "
            "a new workflow execution based on the previously "
            "successful executed workflow.",
        )
        add_wait_options(parser, "the start")
        return parser

    def run(self, parsed_args):
        self._failed = False
        return super().run(parsed_args) or (1 if self._failed else 0)

    def take_action(self, parsed_args):
        if not (parsed_args.workflow_identifier or parsed_args.source_execution_id):
            raise base.CommandError(
                "Give a workflow ID or name (or -s SOURCE_EXECUTION_ID)."
            )
        wf_input = base.load_mapping(parsed_args.workflow_input, "Input")
        params = base.load_mapping(parsed_args.params, "Params")
        ex = self.client.executions.create(
            parsed_args.workflow_identifier,
            parsed_args.namespace,
            workflow_input=wf_input,
            params=params,
            description=parsed_args.description,
            source_execution_id=parsed_args.source_execution_id,
        )
        if parsed_args.wait:
            ex = wait(self.client, ex, parsed_args.poll_interval, self.app.stderr)
            self._failed = ex.get("state") in FAILED
        return HEADINGS, row(ex)


class Delete(base.DeleteMany):
    """Delete execution."""

    noun = "execution"
    arg_help = "Id of execution identifier(s)."

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--force",
            default=False,
            action="store_true",
            help="Force the deletion of an execution. Might cause a cascade "
            "of errors if used for running executions.",
        )
        return parser

    def delete(self, name, parsed_args):
        self.client.executions.delete(name, force=parsed_args.force)


class Update(base.ShowOne):
    """Update execution."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("id", help="Execution identifier")
        parser.add_argument(
            "-s", "--state", dest="state", choices=STATES, help="Execution state"
        )
        parser.add_argument(
            "-e",
            "--env",
            dest="env",
            help="Environment variables (JSON/YAML, a JSON/YAML file, or "
            "the name of a stored environment), merged into the "
            "execution's env",
        )
        parser.add_argument(
            "-d", "--description", dest="description", help="Execution description"
        )
        add_wait_options(parser, "the update")
        return parser

    def take_action(self, parsed_args):
        env = base.load_data(parsed_args.env, "Env")
        if env is not None and not isinstance(env, (dict, str)):
            raise base.CommandError(
                "Env must be a JSON/YAML object or the "
                f"name of an environment: {parsed_args.env}"
            )
        if not (
            parsed_args.state or env is not None or parsed_args.description is not None
        ):
            raise base.CommandError(
                "Nothing to update: give --state, --env or --description."
            )
        ex = self.client.executions.update(
            parsed_args.id,
            parsed_args.state,
            description=parsed_args.description,
            env=env,
        )
        if parsed_args.wait:
            self._failed = wait_root(self.client, parsed_args.id, parsed_args.poll_interval, self.app.stderr)
            ex = self.client.executions.get(parsed_args.id)
        return HEADINGS, row(ex)

    def run(self, parsed_args):
        self._failed = False
        return super().run(parsed_args) or (1 if self._failed else 0)


class _ShowJSONField(base.Command):
    """Print one JSON-encoded field of an execution, indented."""

    field = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("id", help="Execution ID")
        return parser

    def take_action(self, parsed_args):
        ex = self.client.executions.get(parsed_args.id)
        self.app.stdout.write(base.pretty_json(ex.get(self.field)))


class GetInput(_ShowJSONField):
    """Show execution input data."""

    field = "input"


class GetOutput(_ShowJSONField):
    """Show execution output data."""

    field = "output"


class GetPublished(_ShowJSONField):
    """Show workflow global published variables."""

    field = "published_global"


COMMANDS = {
    "execution-list": List,
    "execution-get": Get,
    "execution-create": Create,
    "execution-update": Update,
    "execution-delete": Delete,
    "execution-get-input": GetInput,
    "execution-get-output": GetOutput,
    "execution-get-published": GetPublished,
}
