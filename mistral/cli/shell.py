"""The ``mistral`` command line: a cliff application.

``main(argv)`` runs one command and returns its exit code (the console
script wraps it in ``sys.exit``). Commands come from one module per
resource, each exporting a ``COMMANDS`` mapping of name -> command class;
they talk to the API only through :class:`mistral.client.Client`.
"""

import logging
import os
import sys
from importlib import metadata

from cliff import app, commandmanager

from mistral.cli import (
    action_executions,
    actions,
    environments,
    executions,
    tasks,
    workbooks,
    workflows,
)
from mistral.client import Client
from mistral.client.http import DEFAULT_URL

COMMAND_MODULES = (
    workbooks,
    workflows,
    environments,
    executions,
    tasks,
    action_executions,
    actions,
)


def _version():
    try:
        return metadata.version("mistral-env")
    except metadata.PackageNotFoundError:
        return "unknown"


class MistralShell(app.App):
    """The application: global options, then one command per run."""

    NAME = "mistral"
    LOG = logging.getLogger("mistral.cli")

    def __init__(self, stdin=None, stdout=None, stderr=None):
        manager = commandmanager.CommandManager(None)
        for module in COMMAND_MODULES:
            for name, command_class in module.COMMANDS.items():
                manager.add_command(name, command_class)
        super().__init__(
            description="Command line of the Mistral workflow service (REST API v2).",
            version=_version(),
            command_manager=manager,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
        )
        self.client = None

    def build_option_parser(self, description, version, argparse_kwargs=None):
        argparse_kwargs = {"prog": self.NAME, **(argparse_kwargs or {})}
        parser = super().build_option_parser(description, version, argparse_kwargs)
        # cliff names the program App.NAME (taken from sys.argv[0]) here.
        parser._option_string_actions["--version"].version = f"{self.NAME} {version}"
        parser.add_argument(
            "--os-mistral-url",
            dest="mistral_url",
            default=os.environ.get("OS_MISTRAL_URL") or DEFAULT_URL,
            help=f"Mistral API URL (Env: OS_MISTRAL_URL; default {DEFAULT_URL})",
        )
        parser.add_argument(
            "--os-auth-token",
            dest="auth_token",
            default=os.environ.get("OS_AUTH_TOKEN"),
            help="Token sent as X-Auth-Token (Env: OS_AUTH_TOKEN)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=60.0,
            metavar="SECONDS",
            help="Seconds to wait for each API response (default 60).",
        )
        return parser

    def initialize_app(self, argv):
        # Building the client opens no connection: help needs no server.
        self.client = Client(
            self.options.mistral_url,
            auth_token=self.options.auth_token,
            timeout=self.options.timeout,
        )

    def run(self, argv):
        # cliff adds console handlers to the root logger on every run; take
        # them off again so that repeated runs in one process (tests, the
        # lead's functional tests) do not print every message N times.
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        try:
            return super().run(argv)
        finally:
            for handler in root.handlers[:]:
                if handler not in handlers:
                    root.removeHandler(handler)
            root.setLevel(level)


def main(argv=None):
    """Run the ``mistral`` command line.

    :param argv: arguments without the program name (default
        ``sys.argv[1:]``).
    :returns: the exit code: 0 on success, 1 on an API or input error,
        2 on a usage error.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        return MistralShell().run(argv)
    except SystemExit as exc:
        # argparse ends usage errors, --help and --version with SystemExit.
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        return 1


if __name__ == "__main__":
    sys.exit(main())
