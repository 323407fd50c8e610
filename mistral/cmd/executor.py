"""mistral-executor: run only the executor."""

import sys

from mistral.cmd import server


def main():
    return server.main(components=["executor"])


if __name__ == "__main__":
    sys.exit(main())
