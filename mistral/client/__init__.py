"""HTTP layer of the ``mistral`` command line: one manager per resource.

Usage: ``Client('http://127.0.0.1:8989/v2').executions.get(ex_id)``.
Managers return the decoded JSON resources (dicts) and raise
:class:`mistral.client.exceptions.APIError` on any failure.
"""

from mistral.client.client import Client
from mistral.client.exceptions import APIError

__all__ = ["APIError", "Client"]
