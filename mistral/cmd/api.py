"""mistral-api: run only the api."""

import sys

from mistral.cmd import server


def main():
    return server.main(components=["api"])


if __name__ == "__main__":
    sys.exit(main())
