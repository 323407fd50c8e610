"""mistral-engine: run only the engine."""

import sys

from mistral.cmd import server


def main():
    return server.main(components=["engine"])


if __name__ == "__main__":
    sys.exit(main())
