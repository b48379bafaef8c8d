"""The status tables of runs, nodes, tasks and cues: every row allowed, every other refused."""

from __future__ import annotations

import itertools

import pytest

from engine.errors import CueflowError, ErrorCode, status_of
from engine.model.run_states import (
    ACTION_RULES,
    CUE_TRANSITIONS,
    NODE_TRANSITIONS,
    RUN_TRANSITIONS,
    TASK_TRANSITIONS,
    Actor,
    NodeState,
    RunAction,
    RunStatus,
    TaskAction,
    TaskState,
    TaskStatus,
    Transitions,
    available_actions,
    check_may_act,
    check_node_transition,
    check_run_transition,
    check_task_transition,
    may_act,
    task_after,
)
from engine.model.vocabulary import Phase

TABLES = {
    "run": (RUN_TRANSITIONS, ErrorCode.RUN_TRANSITION),
    "node": (NODE_TRANSITIONS, ErrorCode.NODE_TRANSITION),
    "task": (TASK_TRANSITIONS, ErrorCode.TASK_TRANSITION),
    "cue": (CUE_TRANSITIONS, ErrorCode.CUE_TRANSITION),
}


def _rows():
    for name, (table, _) in TABLES.items():
        for row in table.rows:
            yield pytest.param(table, row, id=f"{name}:{row.action}:{row.before}->{row.after}")


@pytest.mark.parametrize(("table", "row"), list(_rows()))
def test_every_row_of_every_table_is_allowed(table, row):
    assert table.after(row.action, row.before) == row.after
    assert table.allows(row.before, row.after)
    assert table.check(row.before, row.after).after == row.after
    assert row.action in table.actions_from(row.before)


@pytest.mark.parametrize("name", list(TABLES))
def test_every_action_the_table_does_not_list_is_refused_with_its_code(name):
    table, code = TABLES[name]
    actions = {type(row.action) for row in table.rows}.pop()
    statuses = {type(row.before) for row in table.rows}.pop()
    listed = {(row.action, row.before) for row in table.rows}
    refused = 0
    for action, before in itertools.product(actions, statuses):
        if (action, before) in listed:
            continue
        refused += 1
        with pytest.raises(CueflowError) as caught:
            table.after(action, before)
        assert caught.value.code is code
        assert caught.value.status == 409
        assert caught.value.extra == {"status": str(before), "action": str(action)}
    assert refused > 0


@pytest.mark.parametrize("name", list(TABLES))
def test_every_change_the_table_does_not_list_is_refused(name):
    table, code = TABLES[name]
    statuses = {type(row.before) for row in table.rows}.pop()
    for before, after in itertools.product(statuses, statuses):
        if table.allows(before, after):
            continue
        with pytest.raises(CueflowError) as caught:
            table.check(before, after)
        assert caught.value.code is code


def test_a_table_with_two_rows_for_one_action_and_status_is_a_mistake():
    with pytest.raises(ValueError):
        Transitions(
            "run",
            ErrorCode.RUN_TRANSITION,
            [
                (RunAction.START, RunStatus.SCHEDULED, RunStatus.RUNNING),
                (RunAction.START, RunStatus.SCHEDULED, RunStatus.PAUSED),
            ],
        )


# ----- runs ----------------------------------------------------------------------------


def test_a_run_is_started_paused_resumed_and_completed():
    path = [RunStatus.SCHEDULED, RunStatus.RUNNING, RunStatus.PAUSED, RunStatus.RUNNING]
    actions = [check_run_transition(a, b).action for a, b in itertools.pairwise(path)]
    assert actions == [RunAction.START, RunAction.PAUSE, RunAction.RESUME]
    assert check_run_transition("running", "completed").action is RunAction.COMPLETE


@pytest.mark.parametrize("status", ["scheduled", "running", "paused"])
def test_a_run_can_be_cancelled_until_it_ends(status):
    assert check_run_transition(status, "cancelled").action is RunAction.CANCEL


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("completed", "running"),
        ("cancelled", "running"),
        ("completed", "cancelled"),
        ("scheduled", "completed"),
        ("paused", "completed"),
        ("scheduled", "paused"),
        ("running", "scheduled"),
    ],
)
def test_a_run_refuses_what_its_table_does_not_list(old, new):
    with pytest.raises(CueflowError) as caught:
        check_run_transition(old, new)
    assert caught.value.code is ErrorCode.RUN_TRANSITION
    assert caught.value.extra == {"status": old, "to": new}


def test_the_new_error_codes_carry_their_http_statuses():
    assert status_of(ErrorCode.RUN_TRANSITION) == 409
    assert status_of(ErrorCode.NODE_TRANSITION) == 409
    assert status_of(ErrorCode.TASK_TRANSITION) == 409
    assert status_of(ErrorCode.CUE_TRANSITION) == 409
    assert status_of(ErrorCode.TASK_INCOMPLETE) == 422
    assert status_of(ErrorCode.TASK_NOT_ALLOWED) == 403


# ----- nodes ---------------------------------------------------------------------------


def test_a_node_never_leaves_done_or_skipped():
    for finished, other in itertools.product(("done", "skipped"), NodeState):
        assert not NODE_TRANSITIONS.allows(NodeState(finished), other)
    with pytest.raises(CueflowError):
        check_node_transition("done", "ready")


# ----- tasks ---------------------------------------------------------------------------


def test_a_task_is_claimed_unclaimed_and_completed():
    assert check_task_transition("claim", "open") is TaskStatus.CLAIMED
    assert check_task_transition("unclaim", "claimed") is TaskStatus.OPEN
    assert check_task_transition("complete", "claimed") is TaskStatus.DONE
    assert check_task_transition("complete", "open") is TaskStatus.DONE  # a quick tick


@pytest.mark.parametrize(
    ("action", "old"),
    [
        ("claim", "claimed"),
        ("complete", "done"),
        ("complete", "skipped"),
        ("reopen", "open"),
        ("reopen", "cancelled"),
        ("skip", "done"),
        ("shift", "open"),  # cues shift; tasks do not
    ],
)
def test_a_task_refuses_what_its_table_does_not_list(action, old):
    with pytest.raises(CueflowError) as caught:
        check_task_transition(action, old)
    assert caught.value.code is ErrorCode.TASK_TRANSITION


def test_a_blocking_problem_is_a_flag_that_keeps_who_holds_the_task():
    claimed = TaskState(TaskStatus.CLAIMED)
    blocked = task_after("report_problem", claimed)
    assert blocked == TaskState(TaskStatus.CLAIMED, blocked=True)
    assert task_after("claim", task_after("report_problem", TaskState(TaskStatus.OPEN))).blocked
    assert task_after("resolve_problem", blocked) == claimed
    assert task_after("skip", blocked) == TaskState(TaskStatus.SKIPPED)
    with pytest.raises(CueflowError) as caught:  # resolve it first
        task_after("complete", blocked)
    assert caught.value.extra["blocked"] is True
    assert "complete" not in available_actions(
        blocked,
        holds_role=True,
        is_assignee=True,
        is_supervisor=False,
        is_live_crew=False,
        phase="pre_event",
    )


def test_a_problem_reported_as_not_blocking_leaves_the_task_unblocked():
    assert not task_after("report_problem", TaskState(TaskStatus.OPEN), blocking=False).blocked


def test_resolving_a_problem_needs_a_blocking_one():
    with pytest.raises(CueflowError) as caught:
        task_after("resolve_problem", TaskState(TaskStatus.OPEN))
    assert caught.value.code is ErrorCode.TASK_TRANSITION


def test_a_manager_reopens_a_done_task_for_rework():
    assert task_after("reopen", TaskState(TaskStatus.DONE)) == TaskState(TaskStatus.OPEN)


# ----- who may act ---------------------------------------------------------------------

NOBODY = {"holds_role": False, "is_assignee": False, "is_supervisor": False, "is_live_crew": False}
AS = {
    Actor.ASSIGNEE: {**NOBODY, "is_assignee": True},
    Actor.ROLE_HOLDER: {**NOBODY, "holds_role": True},
    Actor.SUPERVISOR: {**NOBODY, "is_supervisor": True},
    Actor.LIVE_CREW: {**NOBODY, "is_live_crew": True},
}


@pytest.mark.parametrize(
    ("action", "actor"), list(itertools.product(TaskAction, Actor)), ids=lambda v: str(v)
)
def test_may_act_follows_the_action_rules_in_the_execution_phase(action, actor):
    allowed = may_act(action, phase=Phase.EXECUTION, **AS[actor])
    assert allowed is (actor in ACTION_RULES[action])


@pytest.mark.parametrize("phase", [Phase.PRE_EVENT, Phase.REVIEW])
def test_the_live_crew_has_no_say_outside_the_show(phase):
    for action in TaskAction:
        assert not may_act(action, phase=phase, **AS[Actor.LIVE_CREW])


def test_the_operator_may_skip_or_shift_a_cue_during_the_show_but_not_reopen():
    crew = AS[Actor.LIVE_CREW]
    assert may_act("skip", phase="execution", **crew)
    assert may_act("shift", phase="execution", **crew)
    assert not may_act("reopen", phase="execution", **crew)
    assert not may_act("complete", phase="execution", **crew)


def test_a_role_holder_claims_but_completes_only_once_it_is_theirs():
    assert may_act("claim", phase="pre_event", **AS[Actor.ROLE_HOLDER])
    assert not may_act("complete", phase="pre_event", **AS[Actor.ROLE_HOLDER])
    assert may_act("complete", phase="pre_event", **AS[Actor.ASSIGNEE])


def test_nobody_cancels_a_task_by_hand():
    everyone = dict.fromkeys(NOBODY, True)
    assert not may_act("cancel", phase="execution", **everyone)


def test_check_may_act_refuses_with_task_not_allowed():
    check_may_act("reopen", phase="review", **AS[Actor.SUPERVISOR])
    with pytest.raises(CueflowError) as caught:
        check_may_act("reopen", phase="review", **AS[Actor.ASSIGNEE])
    assert caught.value.code is ErrorCode.TASK_NOT_ALLOWED
    assert caught.value.status == 403


def test_available_actions_combine_the_status_table_and_the_rules():
    assert available_actions(
        TaskState(TaskStatus.OPEN), phase="pre_event", **AS[Actor.ASSIGNEE]
    ) == (
        TaskAction.CLAIM,
        TaskAction.COMPLETE,
        TaskAction.REPORT_PROBLEM,
    )
    claimed_blocked = TaskState(TaskStatus.CLAIMED, blocked=True)
    assert available_actions(claimed_blocked, phase="pre_event", **AS[Actor.ASSIGNEE]) == (
        TaskAction.UNCLAIM,
        TaskAction.REPORT_PROBLEM,
        TaskAction.RESOLVE_PROBLEM,
    )
    assert available_actions(
        TaskState(TaskStatus.DONE), phase="review", **AS[Actor.SUPERVISOR]
    ) == (TaskAction.REOPEN,)
    assert (
        available_actions(TaskState(TaskStatus.CANCELLED), phase="review", **AS[Actor.SUPERVISOR])
        == ()
    )
