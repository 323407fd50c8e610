"""The one data-access function that merges an env into a root execution."""

import pytest

from mistral import exceptions as exc
from mistral.db import executions as db_ex
from mistral.db import migration
from mistral.db.session import Database
from mistral.jsonmerge import deep_merge


@pytest.fixture
def db(tmp_path):
    database = Database("sqlite:///%s" % (tmp_path / "m.sqlite"))
    migration.upgrade(database)
    yield database
    database.dispose()


def _root(db, state="ERROR", env=None):
    return db.run(
        lambda s: db_ex.create_workflow_execution(
            s, {"name": "wf", "workflow_name": "wf", "state": state, "params": {"env": env or {}, "namespace": ""}}
        ).id
    )


@pytest.mark.parametrize(
    "base, update, expected",
    [
        ({"a": 1}, {"b": 2}, {"a": 1, "b": 2}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"y": 3}}, {"a": {"x": 1, "y": 3}}),
        ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),
        ({"a": {"x": 1}}, {"a": 5}, {"a": 5}),
        ({"a": 5}, {"a": {"x": 1}}, {"a": {"x": 1}}),
        ({"a": 1}, {}, {"a": 1}),
        ({}, {"a": None}, {"a": None}),
    ],
)
def test_deep_merge_rules(base, update, expected):
    before = repr(base)
    assert deep_merge(base, update) == expected
    assert repr(base) == before


def test_merge_stores_a_new_value_and_keeps_keys(db):
    ex_id = _root(db, env={"url": "u", "auth": {"user": "a", "token": "old"}})

    def _merge(session):
        root = db_ex.get_workflow_execution(session, ex_id)
        return db_ex.merge_root_env(session, root, {"auth": {"token": "new"}}, allowed_states=("ERROR",), limit_kb=1)

    assert db.run(_merge) == {"url": "u", "auth": {"user": "a", "token": "new"}}
    stored = db.run(lambda s: db_ex.get_workflow_execution(s, ex_id).params["env"])
    assert stored == {"url": "u", "auth": {"user": "a", "token": "new"}}


def test_merge_checks_state_in_the_same_transaction(db):
    ex_id = _root(db, state="SUCCESS", env={"a": 1})
    with pytest.raises(exc.NotAllowedError) as err:
        db.run(lambda s: db_ex.merge_root_env(s, db_ex.get_workflow_execution(s, ex_id), {"a": 2}, allowed_states=("ERROR",)))
    assert "SUCCESS" in str(err.value) and err.value.code == 403
    assert db.run(lambda s: db_ex.get_workflow_execution(s, ex_id).params["env"]) == {"a": 1}


def test_merge_enforces_size_limit(db):
    ex_id = _root(db)
    with pytest.raises(exc.SizeLimitExceededError):
        db.run(lambda s: db_ex.merge_root_env(s, db_ex.get_workflow_execution(s, ex_id), {"blob": "x" * 3000}, limit_kb=1))
    assert db.run(lambda s: db_ex.get_workflow_execution(s, ex_id).params["env"]) == {}


def test_merge_applies_evaluation(db):
    ex_id = _root(db, env={"base": "http://h"})

    def _evaluate(new, old):
        return {k: v.replace("$base", old["base"]) for k, v in new.items()}

    merged = db.run(lambda s: db_ex.merge_root_env(s, db_ex.get_workflow_execution(s, ex_id), {"url": "$base/v2"}, evaluate=_evaluate))
    assert merged == {"base": "http://h", "url": "http://h/v2"}
