"""Errors raised by the HTTP layer of the ``mistral`` command line.

Every failure talking to the Mistral API (an error status, a connection
problem, a response that is not what the API promises) surfaces as one
exception type, so the command line has exactly one thing to report.
"""


class APIError(Exception):
    """A request to the Mistral API failed.

    :param status: the HTTP status code of the response, or None when no
        response arrived (connection refused, timeout, bad URL).
    :param message: a readable message; for an error response, the server's
        ``faultstring``.
    """

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message

    def __str__(self):
        return str(self.message)
