"""Shared test configuration."""

import os
import warnings

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_service(name, available, detail=""):
    """Skip when a backing service is missing; under CI=true, fail instead."""
    if available:
        return
    message = "%s is not available%s" % (name, (": " + detail) if detail else "")
    if IN_CI:
        pytest.fail(message + " (CI=true: services are required)")
    pytest.skip(message)
