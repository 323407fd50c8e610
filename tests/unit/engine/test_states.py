"""The state tables of workflows, tasks and actions, walked pair by pair."""

import itertools

import pytest

from mistral import exceptions as exc
from mistral.engine import states as s

ALL_STATES = (s.IDLE, s.WAITING, s.RUNNING, s.DELAYED, s.PAUSED, s.SUCCESS, s.ERROR, s.CANCELLED, s.SKIPPED)
KINDS = {
    "workflow": (s.WORKFLOW_TRANSITIONS, s.WORKFLOW_STATES),
    "task": (s.TASK_TRANSITIONS, s.TASK_STATES),
    "action": (s.ACTION_TRANSITIONS, s.ACTION_STATES),
}

# Transitions every table must allow, and some it must refuse: the rules of
# DESIGN.md (rerun, resume, operator skip) and of the state machine.
MUST_ALLOW = [
    ("workflow", s.IDLE, s.RUNNING),
    ("workflow", s.RUNNING, s.PAUSED),
    ("workflow", s.PAUSED, s.RUNNING),
    ("workflow", s.RUNNING, s.SUCCESS),
    ("workflow", s.RUNNING, s.ERROR),
    ("workflow", s.RUNNING, s.CANCELLED),
    ("workflow", s.PAUSED, s.CANCELLED),
    ("workflow", s.ERROR, s.RUNNING),
    ("workflow", s.CANCELLED, s.RUNNING),
    ("task", s.IDLE, s.RUNNING),
    ("task", s.IDLE, s.WAITING),
    ("task", s.WAITING, s.RUNNING),
    ("task", s.IDLE, s.DELAYED),
    ("task", s.DELAYED, s.RUNNING),
    ("task", s.RUNNING, s.DELAYED),
    ("task", s.RUNNING, s.SUCCESS),
    ("task", s.RUNNING, s.ERROR),
    ("task", s.ERROR, s.RUNNING),
    ("task", s.ERROR, s.SKIPPED),
    ("task", s.CANCELLED, s.RUNNING),
    ("action", s.IDLE, s.RUNNING),
    ("action", s.RUNNING, s.SUCCESS),
    ("action", s.RUNNING, s.ERROR),
    ("action", s.RUNNING, s.CANCELLED),
]
MUST_REFUSE = [
    ("workflow", s.SUCCESS, s.RUNNING),
    ("workflow", s.SUCCESS, s.PAUSED),
    ("workflow", s.ERROR, s.PAUSED),
    ("workflow", s.CANCELLED, s.PAUSED),
    ("workflow", s.ERROR, s.SUCCESS),
    ("task", s.SUCCESS, s.RUNNING),
    ("task", s.SUCCESS, s.ERROR),
    ("task", s.SKIPPED, s.RUNNING),
    ("task", s.WAITING, s.SUCCESS),
    ("action", s.SUCCESS, s.ERROR),
    ("action", s.ERROR, s.RUNNING),
    ("action", s.CANCELLED, s.SUCCESS),
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_state_is_a_key_and_every_target_a_state(kind):
    table, declared = KINDS[kind]
    assert set(table) == set(declared)
    for old, targets in table.items():
        assert set(targets) <= set(declared), (old, targets)
        assert old not in targets, "same-state transitions are no-ops, not table entries"
        for new, reason in targets.items():
            assert isinstance(reason, str) and reason, (old, new)


@pytest.mark.parametrize("kind", KINDS)
def test_check_transition_walks_every_pair(kind):
    table, declared = KINDS[kind]
    outcomes = {"apply": 0, "ignore": 0, "refuse": 0}
    for old, new in itertools.product(declared, repeat=2):
        if old == new:
            assert s.check_transition(kind, old, new) == s.IGNORE
            assert s.is_allowed(kind, old, new)
            outcomes["ignore"] += 1
        elif new in table[old]:
            assert s.check_transition(kind, old, new) == s.APPLY
            assert s.is_allowed(kind, old, new)
            outcomes["apply"] += 1
        else:
            with pytest.raises(exc.InvalidStateTransition) as info:
                s.check_transition(kind, old, new)
            assert info.value.code == 400
            assert old in str(info.value) and new in str(info.value) and kind in str(info.value)
            assert not s.is_allowed(kind, old, new)
            outcomes["refuse"] += 1
    assert all(outcomes.values()), outcomes
    assert sum(outcomes.values()) == len(declared) ** 2


@pytest.mark.parametrize("kind", KINDS)
def test_states_outside_the_table_are_refused(kind):
    table, declared = KINDS[kind]
    for new in set(ALL_STATES) - set(declared):
        with pytest.raises(exc.InvalidStateTransition) as info:
            s.check_transition(kind, s.RUNNING, new)
        assert new in str(info.value)
    with pytest.raises(exc.InvalidStateTransition):
        s.check_transition(kind, s.RUNNING, "BOGUS")


@pytest.mark.parametrize("kind, old, new", MUST_ALLOW)
def test_required_transitions_apply(kind, old, new):
    assert s.check_transition(kind, old, new) == s.APPLY


@pytest.mark.parametrize("kind, old, new", MUST_REFUSE)
def test_forbidden_transitions_are_refused(kind, old, new):
    with pytest.raises(exc.InvalidStateTransition):
        s.check_transition(kind, old, new)


@pytest.mark.parametrize("kind", KINDS)
def test_completed_states_only_leave_for_a_rerun(kind):
    table, declared = KINDS[kind]
    for old in set(declared) & s.COMPLETED:
        # RUNNING: rerun; WAITING: a rerun re-opens a failed join; SKIPPED: operator skip.
        assert set(table[old]) <= {s.RUNNING, s.WAITING, s.SKIPPED}, (kind, old, table[old])
    assert table[s.SUCCESS] == {}


@pytest.mark.parametrize(
    "state, completed",
    [(st, st in (s.SUCCESS, s.ERROR, s.CANCELLED, s.SKIPPED)) for st in ALL_STATES],
)
def test_is_completed(state, completed):
    assert s.is_completed(state) is completed
