"""``action-list`` and ``action-get``: action definitions."""

from mistral.cli import base

COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("is_system", "Is system"),
    ("input", "Input"),
    ("description", "Description"),
    ("tags", "Tags"),
    ("created_at", "Created at"),
    ("updated_at", "Updated at"),
]
FIELDS = [c[0] for c in COLUMNS]
HEADINGS = [c[1] for c in COLUMNS]


def row(action, lister=False):
    return (
        action.get("id"),
        action.get("name"),
        action.get("is_system"),
        base.cut(action.get("input")) if lister else action.get("input"),
        (base.cut(action.get("description")) if lister else action.get("description")),
        base.tags_cell(action),
        action.get("created_at"),
        action.get("updated_at"),
    )


class List(base.Lister):
    """List all actions."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        base.add_list_options(parser)
        base.add_namespace(parser, "Namespace of the actions.")
        return parser

    def take_action(self, parsed_args):
        actions = self.client.actions.list(
            namespace=parsed_args.namespace,
            **base.list_kwargs(parsed_args, fields=FIELDS),
        )
        return HEADINGS, [row(a, lister=True) for a in actions]


class Get(base.ShowOne):
    """Show specific action."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("action", help="Action (name or ID)")
        base.add_namespace(parser, "Namespace of the action.")
        return parser

    def take_action(self, parsed_args):
        action = self.client.actions.get(parsed_args.action, parsed_args.namespace)
        return HEADINGS, row(action)


COMMANDS = {
    "action-list": List,
    "action-get": Get,
}
