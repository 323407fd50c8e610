"""``task-*`` commands: task executions, rerun and skip."""

from mistral.cli import base, executions

COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("workflow_name", "Workflow name"),
    ("workflow_namespace", "Workflow namespace"),
    ("workflow_execution_id", "Workflow Execution ID"),
    ("state", "State"),
    ("state_info", "State info"),
    ("created_at", "Created at"),
    ("started_at", "Started at"),
    ("finished_at", "Finished at"),
    ("duration", "Duration", True),
]
FIELDS = [c[0] for c in COLUMNS if len(c) == 2]
HEADINGS = [c[1] for c in COLUMNS]


def row(task, lister=False):
    state_info = task.get("state_info")
    return (
        task.get("id"),
        task.get("name"),
        task.get("workflow_name"),
        task.get("workflow_namespace"),
        task.get("workflow_execution_id"),
        task.get("state"),
        base.cut(state_info) if lister else state_info,
        task.get("created_at"),
        task.get("started_at") or "<none>",
        task.get("finished_at") or "<none>",
        base.duration(task.get("started_at"), task.get("finished_at")),
    )


class List(base.Lister):
    """List all tasks."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        base.add_list_options(parser, limit=base.DEFAULT_LIMIT)
        base.add_oldest_option(parser)
        parser.add_argument(
            "workflow_execution",
            nargs="?",
            help="Workflow execution ID associated with list of Tasks.",
        )
        return parser

    def take_action(self, parsed_args):
        reverse = base.newest_first(parsed_args)
        tasks = self.client.tasks.list(
            parsed_args.workflow_execution,
            **base.list_kwargs(parsed_args, fields=FIELDS),
        )
        if reverse:
            tasks.reverse()
        return HEADINGS, [row(t, lister=True) for t in tasks]


class Get(base.ShowOne):
    """Show specific task."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("task", help="Task identifier")
        return parser

    def take_action(self, parsed_args):
        return HEADINGS, row(self.client.tasks.get(parsed_args.task))


class GetResult(base.Command):
    """Show task output data."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("id", help="Task ID")
        return parser

    def take_action(self, parsed_args):
        task = self.client.tasks.get(parsed_args.id)
        self.app.stdout.write(base.pretty_json(task.get("result")))


class GetPublished(base.Command):
    """Show task published variables."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("id", help="Task ID")
        return parser

    def take_action(self, parsed_args):
        task = self.client.tasks.get(parsed_args.id)
        out = base.pretty_json(task.get("published"))
        if task.get("published_global"):
            out += base.pretty_json(task["published_global"])
        self.app.stdout.write(out)


class Rerun(base.ShowOne):
    """Rerun an existing task."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("id", help="Task identifier")
        parser.add_argument(
            "--resume",
            action="store_true",
            dest="resume",
            default=False,
            help="rerun only failed or unstarted action executions for with-items task",
        )
        parser.add_argument(
            "-e",
            "--env",
            dest="env",
            help="Environment variables (JSON/YAML or a JSON/YAML file), "
            "merged into the root execution's env before the rerun",
        )
        executions.add_wait_options(parser, "the rerun")
        return parser

    def run(self, parsed_args):
        self._failed = False
        return super().run(parsed_args) or (1 if self._failed else 0)

    def take_action(self, parsed_args):
        env = base.load_mapping(parsed_args.env, "Env")
        task = self.client.tasks.rerun(
            parsed_args.id, reset=not parsed_args.resume, env=env or None
        )
        if parsed_args.wait:
            self._failed = executions.wait_root(
                self.client, task["workflow_execution_id"], parsed_args.poll_interval, self.app.stderr
            )
            task = self.client.tasks.get(parsed_args.id)
        return HEADINGS, row(task)


class Skip(base.ShowOne):
    """Skip a failed task: mark it SKIPPED and let the workflow go on."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("id", help="Task identifier")
        return parser

    def take_action(self, parsed_args):
        return HEADINGS, row(self.client.tasks.skip(parsed_args.id))


COMMANDS = {
    "task-list": List,
    "task-get": Get,
    "task-get-result": GetResult,
    "task-get-published": GetPublished,
    "task-rerun": Rerun,
    "task-skip": Skip,
}
