"""Tests of the helpers every exercise check shares (check/_feedback.py, check/_harness.py)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pytest

from lecture_utils.check._exercise import Exercise, Mistake, Output, array, number, run
from lecture_utils.check._feedback import Problem, call_watching, check_each
from lecture_utils.check._harness import (
    GRAD_HINT,
    as_loss_and_gradient,
    diagnose_dW,
    loss_cases,
    regularization_loss_bugs,
)
from lecture_utils.check._question import ask, zero_to_infinity

# ----------------------------------------------------------------------------------------
# call_watching
# ----------------------------------------------------------------------------------------


def test_call_watching_returns_the_value_when_inputs_are_left_alone():
    W = np.ones((2, 3))
    value, problem = call_watching(lambda W, k: W * k, (W,), dict(W=W), kwargs={"k": 2.0})
    assert problem is None
    np.testing.assert_array_equal(value, 2 * np.ones((2, 3)))


def test_call_watching_describes_an_exception():
    def broken(W):
        raise ValueError("boom")

    value, problem = call_watching(broken, (np.ones(2),), {})
    assert value is None
    assert problem.message.startswith("your function raised ValueError: boom")
    assert problem.specific


def test_call_watching_names_inputs_changed_in_place():
    W, X = np.ones(3), np.zeros(3)

    def bump(W, X):
        W += 1
        X[0] = 5
        return W

    value, problem = call_watching(bump, (W, X), dict(W=W, X=X))
    assert value is None
    assert "W and X were modified" in problem.message
    assert problem.hint == ""


def test_call_watching_custom_in_place_message_and_hint():
    x = np.ones(2)

    def bump(x):
        x += 1

    _, problem = call_watching(bump, (x,), dict(x=x), in_place="put x back", in_place_hint="copy")
    assert (problem.message, problem.hint) == ("put x back", "copy")
    _, problem = call_watching(bump, (x,), dict(x=x), in_place_hint="copy")
    assert problem.message.endswith("(work on a copy, e.g. `W = W.copy()`, or build new arrays)")
    assert problem.hint == "copy"


def test_call_watching_quiet_silences_numpy_warnings():
    def overflow(s):
        return np.exp(s)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, problem = call_watching(overflow, (np.array([1000.0]),), {}, quiet=True)
        assert problem is None and np.isinf(value[0])
        # without quiet, the warning (an error here) reaches the learner's call
        _, problem = call_watching(overflow, (np.array([1000.0]),), {})
        assert problem.message.startswith("your function raised RuntimeWarning: overflow")


# ----------------------------------------------------------------------------------------
# check_each
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Case:
    label: str
    problem: Problem | None


def test_check_each_passes_with_the_success_message():
    result = check_each("thing", [_Case("a", None), _Case("b", None)], lambda c: c.problem, "ok")
    assert result.passed and result.message == "ok" and result.name == "thing"


def test_check_each_a_specific_problem_wins_over_an_earlier_unspecific_one():
    cases = [
        _Case("input 1", Problem("expected 1, got 2", specific=False)),
        _Case("input 2", Problem("you forgot the mean", "divide by N")),
    ]
    result = check_each("thing", cases, lambda c: c.problem, "ok")
    assert not result.passed
    assert (result.message, result.hint) == ("on input 2: you forgot the mean", "divide by N")


def test_check_each_reports_the_first_unspecific_problem_when_nothing_is_named():
    cases = [
        _Case("input 1", None),
        _Case("input 2", Problem("expected 1, got 2", "look", specific=False)),
        _Case("input 3", Problem("expected 3, got 4", specific=False)),
    ]
    result = check_each("thing", cases, lambda c: c.problem, "ok")
    assert (result.message, result.hint) == ("on input 2: expected 1, got 2", "look")


def test_check_each_stops_at_the_first_specific_problem():
    seen = []

    def examine(case):
        seen.append(case.label)
        return case.problem

    cases = [_Case("a", Problem("wrong")), _Case("b", None)]
    assert check_each("thing", cases, examine, "ok").message == "on a: wrong"
    assert seen == ["a"]


# ----------------------------------------------------------------------------------------
# The loss harness
# ----------------------------------------------------------------------------------------


def test_as_loss_and_gradient():
    unsummed = ((3,), "one per example")
    assert as_loss_and_gradient(np.ones(3), np.ones((2, 2)), (2, 2), unsummed=unsummed) == (
        None,
        None,
        "one per example",
    )
    number, grad, error = as_loss_and_gradient(1.5, [[1, 2]], (1, 2), unsummed=unsummed)
    assert (number, error) == (1.5, "") and grad.shape == (1, 2)
    _, _, error = as_loss_and_gradient("x", np.ones(2), (2,), unsummed=unsummed)
    assert error == "the loss should be a number, got str"
    _, _, error = as_loss_and_gradient(
        1.0, np.ones(3), (2,), unsummed=unsummed, value_name="the value", grad_name="grad"
    )
    assert error == "grad has shape (3,) but should have shape (2,)"


def test_regularization_loss_bugs_only_with_a_regularization_term():
    assert regularization_loss_bugs(2.0, 0.0, 4, forgot_mean="?", summed="the sum") == []
    bugs = regularization_loss_bugs(2.0, 1.0, 4, forgot_mean="forgot?", summed="the sum")
    values = [value for value, _, _ in bugs]
    assert values == [2.0, 2.5, 12.0, 2.25]
    assert bugs[2][1] == "the loss is N = 4 times too big: forgot?"
    assert bugs[2][2] == "divide the sum by N, then add reg * np.sum(W * W)"


def _dW_case():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(3, 3))
    grad_data = rng.normal(size=(3, 3))
    return W, grad_data, 0.1, 5


def test_diagnose_dW_right_answer():
    W, grad_data, reg, n = _dW_case()
    assert diagnose_dW(grad_data + 2 * reg * W, grad_data, W, reg, n, lambda g: []) is None


@pytest.mark.parametrize(
    ("mistake", "message"),
    [
        (lambda gd, W, reg, n: gd, "dW is missing the regularization gradient 2 * reg * W"),
        (lambda gd, W, reg, n: gd + reg * W, "yours is reg * W"),
        (lambda gd, W, reg, n: n * (gd + 2 * reg * W), "dW is N = 5 times too big"),
        (lambda gd, W, reg, n: gd + 2 * reg * W / n, "was divided by N too"),
        (lambda gd, W, reg, n: n * gd + 2 * reg * W, "the data part of dW is N = 5 times"),
        (lambda gd, W, reg, n: -(gd + 2 * reg * W), "dW has the wrong sign"),
        (lambda gd, W, reg, n: (gd + 2 * reg * W).T, "dW is transposed"),
        (lambda gd, W, reg, n: 0 * W, "dW is all zeros"),
        (lambda gd, W, reg, n: gd + 2 * reg * W + 1.0, "the topic's own mistake"),
    ],
)
def test_diagnose_dW_names_the_shared_mistakes(mistake, message):
    W, grad_data, reg, n = _dW_case()

    def topic_bugs(grad_reg):
        return [(grad_data + grad_reg + 1.0, "the topic's own mistake", "")]

    problem = diagnose_dW(mistake(grad_data, W, reg, n), grad_data, W, reg, n, topic_bugs)
    assert message in problem.message
    assert problem.specific


def test_diagnose_dW_unnamed_mistake_points_at_the_largest_difference():
    W, grad_data, reg, n = _dW_case()
    got = grad_data + 2 * reg * W
    got[1, 2] += 7.0
    problem = diagnose_dW(got, grad_data, W, reg, n, lambda g: [])
    assert "largest difference is at dW[1, 2]" in problem.message
    assert problem.hint == GRAD_HINT and not problem.specific


def test_loss_cases_are_deterministic_and_start_with_the_lecture():
    a, b = loss_cases(1), loss_cases(1)
    assert len(a) == 4 and a[0].label.startswith("the lecture's example")
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x.W, y.W)
    assert not np.array_equal(loss_cases(2)[1].W, a[1].W)


def check_loss_function(name, fn, cases, diagnose_loss, diagnose_gradient, success, **kw):
    """The old loss loop's signature on the exercise runner (a diagnosis per output)."""

    def output(what, read, diagnose):
        return Output(
            what,
            read,
            equal=lambda got, want, case: diagnose(got, case) is None,
            unnamed=lambda got, want, case: diagnose(got, case),
        )

    exercise = Exercise(
        name,
        lambda: cases,
        (
            output("the loss", number("the loss"), diagnose_loss),
            output("dW", array("dW", lambda case: case.W.shape), diagnose_gradient),
        ),
        reference=lambda **args: (None, None),
        mistakes=kw.get("mistakes", ()),
        success=success,
    )
    return run(exercise, fn)


def test_check_loss_function_hands_the_numbers_to_the_diagnosis():
    cases = loss_cases(1)
    seen = []

    def diagnose_loss(loss, case):
        seen.append(loss)
        return None

    result = check_loss_function(
        "loss", lambda W, X, y, reg: (1.0, np.zeros_like(W)), cases, diagnose_loss,
        lambda dW, case: None, "all good",
    )  # fmt: skip
    assert result.passed and result.message == "all good" and seen == [1.0] * len(cases)


def test_check_loss_function_check_returned_runs_before_the_number_conversion():
    # check_returned is now a mistake on the raw returned value (output=None)
    not_finite = Mistake("not finite", when=lambda v, case: not np.isfinite(v[0]), output=None)

    result = check_loss_function(
        "loss", lambda W, X, y, reg: (np.nan, W), loss_cases(1), lambda *a: None,
        lambda *a: None, "ok", mistakes=(not_finite,),
    )  # fmt: skip
    assert result.message == f"on {loss_cases(1)[0].label}: not finite"
    result = check_loss_function(
        "loss", lambda W, X, y, reg: (np.nan, W), loss_cases(1), lambda *a: None,
        lambda *a: None, "ok",
    )  # fmt: skip
    assert result.message.endswith("the loss is nan: expected a finite number")


def test_check_zero_to_infinity():
    def check_zero_to_infinity(name, lowest, highest, **hints):
        return ask(zero_to_infinity(name, **hints), lowest, highest)

    hints = dict(not_negative="neg", reaches_zero="pos", unbounded="inf", success="yes")
    assert check_zero_to_infinity("b", 0, float("inf"), **hints).message == "yes"
    r = check_zero_to_infinity("b", -1, float("inf"), **hints)
    assert (r.passed, r.message, r.hint) == (False, "the smallest possible loss is not -1", "neg")
    assert check_zero_to_infinity("b", 2, float("inf"), **hints).hint == "pos"
    r = check_zero_to_infinity("b", 0, 10, **hints)
    assert (r.message, r.hint) == (
        "10 can be exceeded: is there a largest possible loss at all?",
        "inf",
    )
    assert "no upper limit" not in r.message  # the right answer is not given away
    r = check_zero_to_infinity("b", "zero", None, **hints)
    # the usage no longer shows the answer (0, inf) as its example (issue 11: no answer given away)
    assert r.message == (
        "give two numbers, e.g. b(lowest, highest); float('inf') stands for 'no upper limit'"
    )


# A check never raises on what a learner returns, however odd: it describes it.
ODD_RETURNS = [(1.0, np.zeros(3)), "abc", [[1, 2], [3]], {"loss": 1.0}, object()]


@pytest.mark.parametrize("value", ODD_RETURNS, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize(
    "name, make_fn",
    [
        ("hinge_losses", lambda v: lambda scores, y, delta=1.0: v),
        ("softmax", lambda v: lambda scores: v),
        ("rel_error", lambda v: lambda a, b: v),
        ("svm_loss", lambda v: lambda W, X, y, reg: v),
        ("softmax_loss", lambda v: lambda W, X, y, reg: v),
        ("l2", lambda v: lambda W: v),
    ],
)
def test_checks_describe_odd_return_values_instead_of_raising(name, make_fn, value):
    from lecture_utils import check

    result = getattr(check, name)(make_fn(value))
    assert not result
    assert "❌" in str(result)


def test_shape_of_and_fmt_on_odd_values():
    from lecture_utils.check._feedback import fmt, shape_of

    assert shape_of(np.zeros((2, 3))) == (2, 3)
    assert shape_of(2.5) == ()
    assert shape_of("abc") is None
    assert shape_of((1.0, np.zeros(3))) is None
    assert shape_of(None) is None
    assert fmt((1.0, "x")) == "(1.0, 'x')"
    assert fmt(2.0) == "2"
