"""The headline requests under concurrency on PostgreSQL (row locks and
compare-and-swap, not SQLite's single writer): the same rerun sent twice
at once reruns once; a resume racing a pause ends consistent."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "functional"))

from functional_support import Api, Endpoint, action_executions, at_once, load_workflow, make_conf, race_pause_and_resume, rerun  # noqa: E402

from mistral.db import migration, session as db_session  # noqa: E402
from mistral.service import Launcher, Services  # noqa: E402


@pytest.fixture(scope="module")
def pg_server(pg_database):
    db = db_session.Database(pg_database)
    migration.upgrade(db)
    db.dispose()
    conf = make_conf(pg_database)
    services = Services(conf)
    launcher = Launcher(services, ["api", "engine", "executor"])
    launcher.start()
    api = Api("http://127.0.0.1:%d" % launcher.api_port)
    api.create_workflow(load_workflow("env_probe"))
    api.create_workflow(load_workflow("pausable"))
    yield api
    launcher.stop()
    services.db.dispose()


def test_same_rerun_twice_at_once_reruns_once_on_postgresql(pg_server):
    api = pg_server
    for _ in range(3):
        ex = api.start("gate", env={"token": "expired"})
        task = api.wait_task_state(ex["id"], "guarded", "ERROR")
        responses = at_once(*[lambda task=task: rerun(api, task["id"], env={"token": "good"})] * 2)
        codes = [r.status_code for r in responses]
        assert sorted(codes) == [200, 400]
        api.wait_state(ex["id"], "SUCCESS")
        assert len(action_executions(api, task["id"])) == 2


def test_resume_racing_pause_ends_consistent_on_postgresql(pg_server):
    api = pg_server
    endpoint = Endpoint()
    try:
        ex = api.start("pausable_parent", env={"token": "t", "url": endpoint.url})
        child_task = api.wait_task_state(ex["id"], "child", "RUNNING")
        child = api.get("/v2/tasks/%s/workflow_executions" % child_task["id"]).json()["executions"][0]
        race_pause_and_resume(api, ex["id"], child["id"])
    finally:
        endpoint.stop()


def test_rerun_with_env_on_postgresql(pg_server):
    api = pg_server
    ex = api.start("gate", env={"token": "expired", "other": {"a": 1}})
    task = api.wait_task_state(ex["id"], "guarded", "ERROR")
    assert rerun(api, task["id"], env={"token": "good"}).status_code == 200
    done = api.wait_state(ex["id"], "SUCCESS")
    assert done["state"] == "SUCCESS"
