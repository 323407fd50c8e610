"""``workflow-*`` commands: workflow definitions."""

from mistral.cli import base

COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("namespace", "Namespace"),
    ("project_id", "Project ID"),
    ("tags", "Tags"),
    ("input", "Input"),
    ("scope", "Scope"),
    ("created_at", "Created at"),
    ("updated_at", "Updated at"),
]
FIELDS = [c[0] for c in COLUMNS]
HEADINGS = [c[1] for c in COLUMNS]


def row(wf, lister=False):
    return (
        wf.get("id"),
        wf.get("name"),
        wf.get("namespace"),
        wf.get("project_id"),
        base.tags_cell(wf),
        base.cut(wf.get("input")) if lister else wf.get("input"),
        wf.get("scope"),
        wf.get("created_at"),
        wf.get("updated_at"),
    )


class List(base.Lister):
    """List all workflows."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        base.add_list_options(parser)
        return parser

    def take_action(self, parsed_args):
        wfs = self.client.workflows.list(**base.list_kwargs(parsed_args, fields=FIELDS))
        return HEADINGS, [row(wf, lister=True) for wf in wfs]


class Get(base.ShowOne):
    """Show specific workflow."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("workflow", help="Workflow ID or name.")
        base.add_namespace(parser, "Namespace to get the workflow from.")
        return parser

    def take_action(self, parsed_args):
        wf = self.client.workflows.get(parsed_args.workflow, parsed_args.namespace)
        return HEADINGS, row(wf)


class Create(base.Lister):
    """Create new workflow."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("definition", help="Workflow definition file.")
        base.add_namespace(parser, "Namespace to create the workflow within.")
        base.add_public(parser, "workflow")
        return parser

    def take_action(self, parsed_args):
        definition = base.read_file(
            parsed_args.definition, "workflow definition", self.app.stdin
        )
        wfs = self.client.workflows.create(
            definition, namespace=parsed_args.namespace, scope=base.scope(parsed_args)
        )
        return HEADINGS, [row(wf, lister=True) for wf in wfs]


class Update(base.Lister):
    """Update workflow."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("definition", help="Workflow definition")
        parser.add_argument("--id", help="Workflow ID.")
        base.add_namespace(parser, "Namespace of the workflow.")
        base.add_public(parser, "workflow")
        return parser

    def take_action(self, parsed_args):
        definition = base.read_file(
            parsed_args.definition, "workflow definition", self.app.stdin
        )
        result = self.client.workflows.update(
            definition,
            namespace=parsed_args.namespace,
            scope=base.scope(parsed_args),
            id=parsed_args.id,
        )
        wfs = [result] if parsed_args.id else result
        return HEADINGS, [row(wf, lister=True) for wf in wfs]


class Delete(base.DeleteMany):
    """Delete workflow."""

    noun = "workflow"
    arg_help = "Name or ID of workflow(s)."

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--namespace",
            nargs="?",
            default=None,
            help="Namespace to delete the workflow from.",
        )
        return parser

    def delete(self, name, parsed_args):
        self.client.workflows.delete(name, parsed_args.namespace)


class GetDefinition(base.Command):
    """Show workflow definition."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("identifier", help="Workflow ID or name.")
        base.add_namespace(parser, "Namespace to get the workflow from.")
        return parser

    def take_action(self, parsed_args):
        wf = self.client.workflows.get(parsed_args.identifier, parsed_args.namespace)
        self.app.stdout.write(wf.get("definition") or "\n")


class Validate(base.ShowOne):
    """Validate workflow."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("definition", help="Workflow definition file")
        return parser

    def take_action(self, parsed_args):
        definition = base.read_file(
            parsed_args.definition, "workflow definition", self.app.stdin
        )
        result = self.client.workflows.validate(definition) or {}
        return ("Valid", "Error"), (result.get("valid"), result.get("error"))


COMMANDS = {
    "workflow-list": List,
    "workflow-get": Get,
    "workflow-create": Create,
    "workflow-update": Update,
    "workflow-delete": Delete,
    "workflow-get-definition": GetDefinition,
    "workflow-validate": Validate,
}
