"""Building blocks shared by the ``mistral`` commands.

Command base classes that turn any :class:`APIError` (or bad user input)
into one line on stderr and exit code 1, the list options every list
command takes (as python-mistralclient names them), the reading of
JSON/YAML arguments, and the cell formatting the stock CLI uses.
"""

import datetime
import json
import os
import textwrap

import yaml
from cliff import command, lister, show

from mistral.client.exceptions import APIError

DEFAULT_LIMIT = 100
_FILE_SUFFIXES = (".json", ".yaml", ".yml")


class CommandError(Exception):
    """Bad input given on the command line (reported like an API error)."""


def error_line(exc):
    """The one line reporting ``exc`` on stderr."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    status = getattr(exc, "status", None)
    if status:
        return f"ERROR (HTTP {status}): {message}"
    return f"ERROR: {message}"


class _ReportsErrors:
    """Mixin: report API and input errors as one line, exit code 1."""

    @property
    def client(self):
        return self.app.client

    def report(self, exc):
        self.app.stderr.write(error_line(exc) + "\n")

    def run(self, parsed_args):
        try:
            return super().run(parsed_args)
        except (APIError, CommandError) as exc:
            if self.app.options.debug:
                raise
            self.report(exc)
            return 1


class Command(_ReportsErrors, command.Command):
    """A command that writes its own output."""


class ShowOne(_ReportsErrors, show.ShowOne):
    """A command that shows one resource (table/json/yaml/value)."""


class Lister(_ReportsErrors, lister.Lister):
    """A command that lists resources."""


class DeleteMany(Command):
    """Delete each named resource; report failures one line each.

    Subclasses set ``noun`` and ``arg_help`` and implement
    ``delete(name, parsed_args)``.
    """

    noun = "resource"
    arg_help = "Name(s)."

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            self.noun.replace(" ", "_"),
            nargs="+",
            metavar=self.noun.replace(" ", "_"),
            help=self.arg_help,
        )
        return parser

    def delete(self, name, parsed_args):
        raise NotImplementedError

    def take_action(self, parsed_args):
        failed = 0
        for name in getattr(parsed_args, self.noun.replace(" ", "_")):
            try:
                self.delete(name, parsed_args)
            except APIError as exc:
                failed += 1
                self.report(exc)
            else:
                self.app.stdout.write(
                    f"Request to delete {self.noun} {name} has been accepted.\n"
                )
        return 1 if failed else 0


def add_namespace(parser, help_text):
    parser.add_argument("--namespace", nargs="?", default="", help=help_text)


def add_public(parser, noun):
    parser.add_argument(
        "--public",
        action="store_true",
        help=f'With this flag {noun} will be marked as "public".',
    )


def scope(parsed_args):
    """The ``scope`` of a definition created with or without --public."""
    return "public" if parsed_args.public else "private"


def add_list_options(parser, limit=None):
    """The paging, sorting and filtering options of every list command."""
    parser.add_argument(
        "--marker",
        nargs="?",
        default="",
        help="The last id of the previous page; list the entries after it.",
    )
    parser.add_argument(
        "--limit",
        type=int,
        nargs="?",
        default=limit,
        help="Maximum number of entries to return in a single result.",
    )
    parser.add_argument(
        "--sort_keys",
        nargs="?",
        default="created_at",
        help="Comma-separated list of sort keys. Default: created_at.",
    )
    parser.add_argument(
        "--sort_dirs",
        nargs="?",
        default="asc",
        help="Comma-separated list of sort directions. Default: asc.",
    )
    parser.add_argument(
        "--filter",
        dest="filters",
        action="append",
        help="Filters (field=value, e.g. state=eq:ERROR). Can be repeated.",
    )


def add_oldest_option(parser):
    """Executions, tasks, actions executions: newest first unless asked."""
    parser.add_argument(
        "--oldest",
        default=False,
        action="store_true",
        help="Display the executions starting from the oldest entries "
        "instead of the newest",
    )


def newest_first(parsed_args):
    """Ask the server for the newest page; True if the page must be reversed.

    As the stock client: with default sorting and no marker, the newest
    entries are fetched (``desc``) and shown oldest-to-newest.
    """
    if (
        parsed_args.marker == ""
        and parsed_args.sort_dirs == "asc"
        and parsed_args.sort_keys == "created_at"
        and not parsed_args.oldest
    ):
        parsed_args.sort_dirs = "desc"
        return True
    return False


def list_kwargs(parsed_args, fields=None):
    """Manager ``list()`` arguments from the parsed list options."""
    return {
        "marker": parsed_args.marker or None,
        "limit": parsed_args.limit,
        "sort_keys": parsed_args.sort_keys,
        "sort_dirs": parsed_args.sort_dirs,
        "fields": fields,
        "filters": get_filters(parsed_args),
    }


def get_filters(parsed_args):
    filters = {}
    for item in parsed_args.filters or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise CommandError(f"Invalid filter: {item} (expected field=value)")
        filters[name] = value
    return filters


def parse_text(text, what):
    """Parse JSON or YAML text.

    :raises CommandError: neither valid JSON nor valid YAML.
    """
    # JSON first: YAML 1.1 reads some JSON differently (1e3 is a string).
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise CommandError(f"{what} is neither valid JSON nor YAML") from None


def load_data(value, what):
    """Parse a JSON or YAML string, or the content of a JSON/YAML file.

    :param what: names the option in error messages.
    :raises CommandError: unreadable file or unparsable text.
    """
    if value is None or value == "":
        return None
    if os.path.isfile(value):
        return parse_text(read_file(value, what), f"{what} file {value}")
    if (
        value.lower().endswith(_FILE_SUFFIXES)
        and "\n" not in value
        and not value.lstrip().startswith(("{", "["))
    ):
        raise CommandError(f"{what} file not found: {value}")
    return parse_text(value, f"{what} ({value})")


def require_mapping(data, what):
    """``data`` if it is an object ({} for None).

    :raises CommandError: it is not an object.
    """
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CommandError(f"{what} must be a JSON/YAML object")
    return data


def load_mapping(value, what):
    """Like :func:`load_data`, but the result must be an object."""
    return require_mapping(load_data(value, what), f"{what} ({value})")


def pretty_json(text):
    """Indent a JSON-encoded string (as the server sends ``output``)."""
    if text is None or text == "":
        return "\n"
    try:
        value = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text if text.endswith("\n") else text + "\n"
    return json.dumps(value, indent=4) + "\n"


def cut(string, length=25):
    if string and len(string) > length:
        return f"{string[:length]}..."
    return string


def wrap(string, width=25):
    if string and len(string) > width:
        return textwrap.fill(string, width)
    return string


def tags_cell(resource):
    return wrap(", ".join(resource.get("tags") or [])) or "<none>"


def duration(start, end, now=None):
    """Human duration between two ``YYYY-MM-DD HH:MM:SS`` datetimes.

    Without ``end``, the time elapsed until now, followed by ``...``.
    """
    fmt = "%Y-%m-%d %H:%M:%S"
    if not start:
        return ""
    try:
        start_dt = datetime.datetime.strptime(start, fmt)
        if end:
            return str(datetime.datetime.strptime(end, fmt) - start_dt)
    except ValueError:
        return ""
    now = now or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    delta = now - start_dt
    if delta < datetime.timedelta(seconds=2):
        return "..."
    return "%s..." % (delta - datetime.timedelta(microseconds=delta.microseconds))


def read_file(path, what, stdin=None):
    """The text of ``path`` (``-`` reads stdin).

    :raises CommandError: the file cannot be read.
    """
    if path == "-" and stdin is not None:
        return stdin.read()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as exc:
        raise CommandError(f"Cannot read {what} file {path}: {exc.strerror}") from None
