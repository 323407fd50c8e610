"""``workbook-*`` commands: workbooks."""

from mistral.cli import base

COLUMNS = [
    ("name", "Name"),
    ("namespace", "Namespace"),
    ("tags", "Tags"),
    ("scope", "Scope"),
    ("created_at", "Created at"),
    ("updated_at", "Updated at"),
]
HEADINGS = [c[1] for c in COLUMNS]


def row(wb):
    return (
        wb.get("name"),
        wb.get("namespace"),
        base.tags_cell(wb),
        wb.get("scope"),
        wb.get("created_at"),
        wb.get("updated_at"),
    )


class List(base.Lister):
    """List all workbooks."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        base.add_list_options(parser)
        return parser

    def take_action(self, parsed_args):
        # Like the stock client, no "fields": the whole resources come back.
        wbs = self.client.workbooks.list(**base.list_kwargs(parsed_args))
        return HEADINGS, [row(wb) for wb in wbs]


class Get(base.ShowOne):
    """Show specific workbook."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("workbook", help="Workbook name")
        base.add_namespace(parser, "Namespace to get the workbook from.")
        return parser

    def take_action(self, parsed_args):
        wb = self.client.workbooks.get(parsed_args.workbook, parsed_args.namespace)
        return HEADINGS, row(wb)


class Create(base.ShowOne):
    """Create new workbook."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("definition", help="Workbook definition file")
        base.add_public(parser, "workbook")
        base.add_namespace(parser, "Namespace to create the workbook within.")
        return parser

    def take_action(self, parsed_args):
        definition = base.read_file(
            parsed_args.definition, "workbook definition", self.app.stdin
        )
        wb = self.client.workbooks.create(
            definition, namespace=parsed_args.namespace, scope=base.scope(parsed_args)
        )
        return HEADINGS, row(wb)


class Update(base.ShowOne):
    """Update workbook."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("definition", help="Workbook definition file")
        parser.add_argument(
            "--namespace",
            nargs="?",
            default=None,
            help="Namespace to update the workbook in.",
        )
        base.add_public(parser, "workbook")
        return parser

    def take_action(self, parsed_args):
        definition = base.read_file(
            parsed_args.definition, "workbook definition", self.app.stdin
        )
        wb = self.client.workbooks.update(
            definition,
            namespace=parsed_args.namespace or "",
            scope=base.scope(parsed_args),
        )
        return HEADINGS, row(wb)


class Delete(base.DeleteMany):
    """Delete workbook."""

    noun = "workbook"
    arg_help = "Name of workbook(s)."

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "--namespace",
            nargs="?",
            default=None,
            help="Namespace to delete the workbook(s) from.",
        )
        return parser

    def delete(self, name, parsed_args):
        self.client.workbooks.delete(name, parsed_args.namespace)


class GetDefinition(base.Command):
    """Show workbook definition."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("name", help="Workbook name")
        base.add_namespace(parser, "Namespace to get the workbook from.")
        return parser

    def take_action(self, parsed_args):
        wb = self.client.workbooks.get(parsed_args.name, parsed_args.namespace)
        self.app.stdout.write(wb.get("definition") or "\n")


class Validate(base.ShowOne):
    """Validate workbook."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("definition", help="Workbook definition file")
        return parser

    def take_action(self, parsed_args):
        definition = base.read_file(
            parsed_args.definition, "workbook definition", self.app.stdin
        )
        result = self.client.workbooks.validate(definition) or {}
        return ("Valid", "Error"), (result.get("valid"), result.get("error"))


COMMANDS = {
    "workbook-list": List,
    "workbook-get": Get,
    "workbook-create": Create,
    "workbook-update": Update,
    "workbook-delete": Delete,
    "workbook-get-definition": GetDefinition,
    "workbook-validate": Validate,
}
