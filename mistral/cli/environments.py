"""``environment-*`` commands: stored environments."""

import json

from mistral.cli import base

COLUMNS = [
    ("name", "Name"),
    ("description", "Description"),
    ("variables", "Variables"),
    ("scope", "Scope"),
    ("created_at", "Created at"),
    ("updated_at", "Updated at"),
]
FIELDS = [c[0] for c in COLUMNS]
HEADINGS = [c[1] for c in COLUMNS]
LIST_HEADINGS = [c[1] for c in COLUMNS if c[0] != "variables"]


def variables_of(env):
    """The variables as an object (the server sends a JSON string)."""
    variables = env.get("variables")
    if isinstance(variables, str):
        try:
            return json.loads(variables)
        except ValueError:
            return variables
    return variables


def row(env, lister=False):
    data = (env.get("name"), env.get("description") or "<none>")
    if not lister:
        data += (json.dumps(variables_of(env), indent=4),)
    return data + (
        env.get("scope"),
        env.get("created_at"),
        env.get("updated_at") or "<none>",
    )


def load_environment(parsed_args, stdin):
    """The name/description/variables/scope read from the given file."""
    text = base.read_file(parsed_args.file, "environment", stdin)
    what = f"Environment file {parsed_args.file}"
    data = base.require_mapping(base.parse_text(text, what), what)
    if not data.get("name"):
        raise base.CommandError(f'Environment file {parsed_args.file} has no "name"')
    return {key: data.get(key) for key in ("name", "description", "variables", "scope")}


class List(base.Lister):
    """List all environments."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        base.add_list_options(parser)
        return parser

    def take_action(self, parsed_args):
        envs = self.client.environments.list(
            **base.list_kwargs(parsed_args, fields=FIELDS)
        )
        return LIST_HEADINGS, [row(e, lister=True) for e in envs]


class Get(base.ShowOne):
    """Show specific environment."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("environment", help="Environment name")
        parser.add_argument(
            "--export",
            default=False,
            action="store_true",
            help="Export the environment suitable for import",
        )
        return parser

    def take_action(self, parsed_args):
        env = self.client.environments.get(parsed_args.environment)
        if parsed_args.export:
            return (
                ("name", "description", "scope", "variables"),
                (
                    env.get("name"),
                    env.get("description"),
                    env.get("scope"),
                    json.dumps(variables_of(env)),
                ),
            )
        return HEADINGS, row(env)


class Create(base.ShowOne):
    """Create new environment."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "file", help="Environment configuration file in JSON or YAML"
        )
        return parser

    def take_action(self, parsed_args):
        data = load_environment(parsed_args, self.app.stdin)
        if data["variables"] is None:
            raise base.CommandError(
                f'Environment file {parsed_args.file} has no "variables"'
            )
        return HEADINGS, row(self.client.environments.create(**data))


class Update(base.ShowOne):
    """Update environment."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            "file", help="Environment configuration file in JSON or YAML"
        )
        return parser

    def take_action(self, parsed_args):
        data = load_environment(parsed_args, self.app.stdin)
        return HEADINGS, row(self.client.environments.update(**data))


class Delete(base.DeleteMany):
    """Delete environment."""

    noun = "environment"
    arg_help = "Name of environment(s)."

    def delete(self, name, parsed_args):
        self.client.environments.delete(name)


COMMANDS = {
    "environment-list": List,
    "environment-get": Get,
    "environment-create": Create,
    "environment-update": Update,
    "environment-delete": Delete,
}
