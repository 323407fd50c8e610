"""Compatibility tests: the stock python-mistralclient (its ``mistral`` CLI
and its Python library) drives our running server.

The stock client lives in its own virtualenv, built once and cached in
``<repo>/.cache/compat-venv`` (git-ignored); when it cannot be built (no
network), the tests skip on a developer's machine and fail under ``CI=true``.
Each test module gets one server process (``mistral-server --server all``,
SQLite, in-process transport); its tests use their own workflow names so
they do not interfere.
"""

import importlib.util
import os

import pytest
from compat_support import Cli, Library, Server, TokenEndpoint, ensure_stock_client


def _root_conftest():
    # Every conftest.py is imported as a module named "conftest": load the
    # parent's by path to reach its helpers.
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "conftest.py")
    spec = importlib.util.spec_from_file_location("mistral_tests_root_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


require_service = _root_conftest().require_service


@pytest.fixture(scope="session")
def stock_client():
    client, problem = ensure_stock_client()
    require_service("The stock python-mistralclient virtualenv", client is not None, problem or "")
    return client


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("compat-server")).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def cli(stock_client, server):
    return Cli(stock_client.mistral, server.api_url)


@pytest.fixture(scope="module")
def lib(stock_client, server):
    return Library(stock_client.python, server.api_url)


@pytest.fixture(scope="module")
def endpoint():
    ep = TokenEndpoint()
    yield ep
    ep.stop()
