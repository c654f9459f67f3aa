"""The exercise model of lecture_utils.check: the runner and the question tables."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lecture_utils.check._exercise import (
    Case,
    Exercise,
    Fresh,
    Mistake,
    Output,
    array,
    number,
    run,
)
from lecture_utils.check._question import Answer, Question, ask, matches, numbers

# ----------------------------------------------------------------------------------------
# The runner
# ----------------------------------------------------------------------------------------


def _double(**changes):
    """An exercise 'return 2 * x' on two cases, with two named mistakes."""
    cases = [
        Case("x = [1, 2]", {"x": np.array([1.0, 2.0])}, facts={"n": 2}),
        Case("x = [3, -1, 0.5]", {"x": np.array([3.0, -1.0, 0.5])}, facts={"n": 3}),
    ]
    fields = dict(
        name="double",
        cases=lambda: cases,
        returns=(Output("the result", array("the result", lambda c: c.x.shape)),),
        reference=lambda x: (2 * x,),
        mistakes=(
            Mistake("you returned x itself", "multiply by 2", gives=lambda c: c.x),
            Mistake("the sign is flipped ({got})", gives=lambda c: -2 * c.x),
            Mistake("all zeros, n = {n}", when=lambda got, c: not np.any(got)),
        ),
        success="correct",
    )
    return Exercise(**{**fields, **changes})


def test_run_passes_a_right_answer_with_the_success_message():
    result = run(_double(), lambda x: x + x)
    assert result.passed and str(result) == "✅ double: correct"


def test_run_names_the_mistake_a_value_gives_with_its_hint_and_the_case():
    result = run(_double(), lambda x: x.copy())
    assert not result
    assert (result.message, result.hint) == (
        "on x = [1, 2]: you returned x itself",
        "multiply by 2",
    )


def test_messages_quote_the_facts_and_the_learners_value():
    assert (
        run(_double(), lambda x: -2 * x).message
        == "on x = [1, 2]: the sign is flipped ([-2., -4.])"
    )
    assert run(_double(), np.zeros_like).message == "on x = [1, 2]: all zeros, n = 2"


def test_an_unnamed_difference_waits_for_a_case_that_names_the_mistake():
    def right_on_the_first_case_only_by_accident(x):
        return x if len(x) == 3 else 2 * x + 1  # wrong everywhere, named on the 2nd case

    result = run(_double(), right_on_the_first_case_only_by_accident)
    assert result.message == "on x = [3, -1, 0.5]: you returned x itself"
    result = run(_double(), lambda x: 2 * x + 1)
    assert result.message.startswith("on x = [1, 2]: the result is [3., 5.] but should be [2., 4.]")


def test_a_value_several_mistakes_give_is_not_named():
    same = (
        Mistake("first", gives=lambda c: c.x),
        Mistake("second", gives=lambda c: c.x),
    )
    result = run(_double(mistakes=same), lambda x: x.copy())
    assert "but should be" in result.message


def test_run_reports_in_place_changes_exceptions_and_wrong_shapes():
    def mutating(x):
        x *= 2
        return x

    assert "x was modified" in run(_double(), mutating).message
    assert "raised ZeroDivisionError" in run(_double(), lambda x: 1 / 0).message
    assert "has shape (1,) but should have shape (2,)" in run(_double(), lambda x: x[:1]).message
    assert "expected a function, got int" in run(_double(), 3).message


def test_several_outputs_are_split_read_and_compared_in_order():
    exercise = Exercise(
        name="pair",
        cases=lambda: [Case("x = 2", {"x": 2.0})],
        returns=(Output("the sum", number("the sum")), Output("the product", number("p"))),
        reference=lambda x: (x + x, x * x),
        mistakes=(Mistake("the product is x", gives=lambda c: c.x, output=1),),
    )
    assert run(exercise, lambda x: (4.0, 4.0))
    assert run(exercise, lambda x: (4.0, 2.0)).message == "on x = 2: the product is x"
    assert "returned only a number (4); return the pair (sum, product)" in (
        run(exercise, lambda x: 4.0).message
    )
    assert "returned 3 values" in run(exercise, lambda x: (1, 2, 3)).message
    assert "did you forget the `return`" in run(exercise, lambda x: None).message
    returns_as = Exercise(**{**exercise.__dict__, "returns_as": "two numbers"})
    assert "return the two numbers (sum, product)" in run(returns_as, lambda x: 1.0).message


def test_whole_output_mistakes_compare_every_output_together():
    # both mistakes give the same sum; only the product tells them apart
    exercise = Exercise(
        name="pair",
        cases=lambda: [Case("x = 2", {"x": 2.0})],
        returns=(Output("s", number("s")), Output("p", number("p"))),
        reference=lambda x: (x + x, x * x),
        mistakes=(
            Mistake("swapped", gives=lambda c: (c.x * c.x, c.x + c.x), output="all"),
            Mistake("product of 3", gives=lambda c: (5.0, 3 * c.x), output="all"),
            Mistake("product of 1", gives=lambda c: (5.0, c.x), output="all"),
        ),
    )
    assert run(exercise, lambda x: (5.0, 2.0)).message == "on x = 2: product of 1"
    assert run(exercise, lambda x: (5.0, 6.0)).message == "on x = 2: product of 3"


def test_raw_value_predicates_run_before_the_value_is_read():
    exercise = _double(
        mistakes=(Mistake("a string!", when=lambda v, c: isinstance(v, str), output=None),)
    )
    assert run(exercise, lambda x: "2x").message == "on x = [1, 2]: a string!"


def test_fresh_arguments_are_made_anew_for_the_learner_and_the_reference():
    exercise = Exercise(
        name="draw",
        cases=lambda: [Case("seed 0", {"rng": Fresh(lambda: np.random.default_rng(0))})],
        returns=(Output("the draw", number("the draw")),),
        reference=lambda rng: (rng.random(),),
    )
    assert run(exercise, lambda rng: rng.random())
    assert not run(exercise, lambda rng: (rng.random(), rng.random())[1])


def test_success_after_the_run_and_a_last_test():
    calls = []
    exercise = _double(success=lambda cases: f"{len(calls)} calls on {len(cases)} cases")

    def counted(x):
        calls.append(1)
        return 2 * x

    assert run(exercise, counted).message == "2 calls on 2 cases"
    from lecture_utils.check._feedback import Problem

    last = _double(after=lambda fn: Problem("too slow", "vectorize") if fn(np.ones(1))[0] else None)
    result = run(last, lambda x: 2 * x)
    assert (result.passed, result.message, result.hint) == (False, "too slow", "vectorize")


def test_error_hint_explains_an_exception():
    exercise = _double(error_hint=lambda message: "transposed?" if "Zero" in message else "")
    assert run(exercise, lambda x: 1 / 0).hint == "transposed?"


def test_case_reads_arguments_and_facts_as_attributes():
    case = Case("c", {"W": 1}, {"delta": 2}, {"n": 3}).with_facts(m=4)
    assert (case.W, case.delta, case.n, case.m) == (1, 2, 3, 4)
    assert case.all_args == {"W": 1, "delta": 2}
    with pytest.raises(AttributeError):
        _ = case.nothing


# ----------------------------------------------------------------------------------------
# Question tables and the one tolerance rule
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "value", "ok"),
    [
        (2.3, np.log(10), True),  # within 1 % above 1
        (2.25, np.log(10), False),
        (9.05, 9, True),
        (9.2, 9, False),
        (0.105, 0.1, True),  # within 0.01 up to 1
        (0.12, 0.1, False),
        (0.009, 0, True),
        (math.inf, math.inf, True),
        (1e300, math.inf, False),
        (-math.inf, math.inf, False),
        ("w2", "w2", True),
        ("w1", "w2", False),
    ],
)
def test_the_one_tolerance_rule(given, value, ok):
    assert matches(given, value) is ok


QUESTION = Question(
    name="q",
    right=Answer(9, "right: 9"),
    wrong=(
        Answer(10, "10 counts one too many", "count again"),
        Answer(lambda g: g[0] < 0, "{0} is negative"),
    ),
    otherwise="{0} is not it",
)


@pytest.mark.parametrize(
    ("answer", "ok", "message"),
    [
        (9, True, "right: 9"),
        (np.float32(9.04), True, "right: 9"),
        (lambda: 9, True, "right: 9"),
        ((9,), True, "right: 9"),
        (10, False, "10 counts one too many"),
        (-3, False, "-3 is negative"),
        (5, False, "5 is not it"),
        ("nine", False, "your answer should be a number"),
        (None, False, "your answer should be a number"),
        (lambda: 1 / 0, False, "your answer function raised ZeroDivisionError"),
    ],
)
def test_ask_reads_the_table(answer, ok, message):
    result = ask(QUESTION, answer)
    assert bool(result) is ok
    assert message in result.message, result.message


def test_ask_with_several_values_and_a_usage_message():
    two = Question(
        name="two", right=Answer((0, math.inf), "yes"), parse=numbers(2, "give two numbers")
    )
    assert ask(two, 0, float("inf")) and ask(two, (0, np.inf)) and ask(two, lambda: [0, np.inf])
    assert ask(two, 0).message == "give two numbers"
    assert ask(two, 0, "x").message == "give two numbers"
    assert ask(two, 1, 2).message == "1 is not it"  # the default: the first value quoted
