"""The behaviour every check shares (the contract of issue 11): ⏳, grading mode, questions.

- a learner's function (or a zero-argument answer function) that raises NotImplementedError
  gives one line starting with "⏳ not implemented yet:" that names it, and a failed result;
- under nbgrader (NBGRADER_EXECUTION=autograde|validate) a check that does not pass raises
  check.ExerciseFailed (an AssertionError) with the text the learner would see;
- any other exception of the learner's code is one ❌ line naming it, never a traceback;
- a question takes a number (or tuple) or a zero-argument function, and no message of a wrong
  answer states the right one.
"""

from __future__ import annotations

import numpy as np
import pytest

from lecture_utils import check, losses

#: the checks of an implementation exercise (the learner passes a function with arguments)
IMPLEMENTATION = [
    "hinge_losses", "svm_loss", "svm_loss_vectorized", "l1", "l2", "elastic_net", "softmax",
    "softmax_loss", "linear_scores", "softmax_loss_with_bias", "numerical_gradient",
    "rel_error", "gradient_descent", "sample_minibatch", "sgd_step", "accuracy", "sgd_epoch",
    "momentum_update", "rmsprop_update", "adam_update", "svm_dscores", "softmax_dscores",
    "svm_grad_lecture", "softmax_grad_lecture",
]  # fmt: skip
#: the checks of a question (the learner passes the answer, or a function of no arguments)
QUESTIONS = [
    "svm_initial_loss", "svm_loss_bounds", "softmax_initial_loss", "softmax_loss_bounds",
    "regularization_preference", "zero_loss_parameters", "centered_difference_shrink",
    "steep_axis_factor", "linear_classifier_size", "valley_max_step_size",
]  # fmt: skip


def test_every_check_is_listed_here():
    names = set(check.__all__) - {"CheckResult", "ExerciseFailed", "demonstration"}
    assert names == set(IMPLEMENTATION) | set(QUESTIONS)


def my_exercise(*args, **kwargs):
    raise NotImplementedError()


def predicted_answer():
    """Your prediction: a number."""
    raise NotImplementedError()


def _helper_stub():
    raise NotImplementedError()


def my_calls_a_stub(*args, **kwargs):
    return _helper_stub()


@pytest.mark.parametrize("name", IMPLEMENTATION)
def test_a_stub_gives_one_friendly_line(name, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    result = getattr(check, name)(my_exercise)
    assert not result and result.pending
    text = str(result)
    assert text.startswith("⏳ not implemented yet: replace raise NotImplementedError() in ")
    assert "my_exercise" in text and "\n" not in text and "Traceback" not in text
    assert text in result._repr_html_()


@pytest.mark.parametrize("name", QUESTIONS)
def test_an_unanswered_question_gives_one_friendly_line(name, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    result = getattr(check, name)(predicted_answer)
    assert not result and result.pending
    assert str(result).startswith("⏳ not implemented yet: ")
    assert "predicted_answer" in str(result) and "\n" not in str(result)


def test_the_line_names_the_learners_function_not_a_helper():
    assert "in my_calls_a_stub " in str(check.svm_loss(my_calls_a_stub))


@pytest.mark.parametrize("mode", ["autograde", "validate"])
def test_grading_mode_raises_with_the_learners_message(mode, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    with pytest.raises(check.ExerciseFailed) as raised:
        check.svm_loss(lambda W, X, y, reg: losses.svm_loss(W, X, y, 0.0))
    assert isinstance(raised.value, AssertionError)
    monkeypatch.delenv("NBGRADER_EXECUTION")
    seen = check.svm_loss(lambda W, X, y, reg: losses.svm_loss(W, X, y, 0.0))
    assert str(raised.value) == str(seen)
    assert "missing the regularization term" in str(raised.value)


@pytest.mark.parametrize("mode", ["autograde", "validate"])
def test_grading_mode_raises_for_a_stub_and_a_wrong_answer_too(mode, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    with pytest.raises(check.ExerciseFailed, match="^⏳ not implemented yet: .*my_exercise"):
        check.softmax_dscores(my_exercise)
    with pytest.raises(check.ExerciseFailed, match="⏳ not implemented yet: .*predicted_answer"):
        check.svm_initial_loss(predicted_answer)
    with pytest.raises(check.ExerciseFailed, match="counts the correct class"):
        check.svm_initial_loss(10)


@pytest.mark.parametrize("mode", ["autograde", "validate"])
def test_grading_mode_returns_a_passing_result(mode, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    assert check.svm_loss(losses.svm_loss)
    assert check.svm_initial_loss(lambda: 9)


@pytest.mark.parametrize("value", ["", "generate_assignment", "feedback", "yes"])
def test_other_environments_never_raise(value, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", value)
    assert not check.svm_initial_loss(10)
    assert check.svm_loss(my_exercise).pending


@pytest.mark.parametrize("name", IMPLEMENTATION)
@pytest.mark.parametrize("error", [TypeError, IndexError, KeyError])
def test_other_exceptions_are_one_line_naming_them(name, error, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)

    def broken(*args, **kwargs):
        raise error("boom")

    result = getattr(check, name)(broken)
    assert not result and not result.pending
    assert f"raised {error.__name__}" in result.message
    assert "Traceback" not in str(result) and "\n" not in result.message


def test_an_answer_function_that_raises_is_named():
    result = check.softmax_initial_loss(lambda: np.log("ten"))
    assert not result and "your answer function raised" in result.message


# ----------------------------------------------------------------------------------------
# Questions: a number, a tuple or a function; and the right answer stays hidden
# ----------------------------------------------------------------------------------------


def test_questions_accept_zero_argument_functions_and_tuples():
    assert check.svm_initial_loss(lambda: 9.0)
    assert check.softmax_initial_loss(lambda: np.log(10))
    assert check.svm_loss_bounds(lambda: (0, float("inf")))
    assert check.svm_loss_bounds((0, np.inf))
    assert check.softmax_loss_bounds(lambda: [0.0, np.inf])
    assert check.regularization_preference(lambda: ("w2", "tie"))
    assert check.regularization_preference({"l2": "w2", "l1": "neither"})
    W = np.array([[3.2, -3.6, 0.4], [2.4, 1.6, -4.0]])
    b = np.array([-0.6, -0.2, 0.8])
    assert check.zero_loss_parameters(lambda: (W, b))
    assert not check.zero_loss_parameters(lambda: W)


@pytest.mark.parametrize(
    ("question", "answers", "hidden"),
    [
        (check.svm_initial_loss, [0, 1, 3, 8, 10, 9.5, -9], ["9", "C - 1"]),
        (
            check.softmax_initial_loss,
            [0, 0.1, 1, 9, 10, -np.log(10), 5, 2.0],
            ["2.3", "log 10", "log(10)", "log C", "1/10", "1/C"],
        ),
        (check.centered_difference_shrink, [10, 1000, 0.01, 1, 50], ["100", "h^2"]),
        (check.steep_axis_factor, [0.719, 0.798, 1.719, -1.719, -4.24, 0], ["-0.72", "zig"]),
        (check.valley_max_step_size, [0.0625, 10, 5, 0.5, 1], ["0.125", "2 / h_2"]),
        (
            check.linear_classifier_size,
            [(640, 30720), (74, 3082), (65, 3073), (30730, 650), (650, 3000)],
            ["30,730", "30730", "D * C"],
        ),
    ],
)
def test_wrong_answers_never_state_the_right_one(question, answers, hidden):
    for answer in answers:
        result = question(answer)
        assert not result
        text = f"{result.message} {result.hint}".replace(str(answer), "")
        for words in hidden:
            assert words not in text, (answer, text)


@pytest.mark.parametrize(
    ("question", "answer", "named"),
    [
        (check.centered_difference_shrink, 10, "forward difference"),
        (check.steep_axis_factor, 0.719, "sign"),
        (check.steep_axis_factor, 0.798, "flat axis"),
        (check.valley_max_step_size, 0.0625, "no overshoot"),
        (check.valley_max_step_size, 0.5, "h_2 = 4"),
        (check.linear_classifier_size, (640, 30720), "biases are missing"),
        (check.linear_classifier_size, (30730, 650), "digits first"),
    ],
)
def test_predict_then_run_questions_name_each_known_mistake(question, answer, named):
    assert named in question(answer).message


def test_predict_then_run_answers_come_from_the_library():
    from lecture_utils import landscape

    problem = landscape.two_weight_problem()
    h_max = np.linalg.eigvalsh(problem.hessian(problem.minimum())).max()
    assert check.steep_axis_factor(lambda: 1 - 3 * h_max)
    assert check.valley_max_step_size(2 / 16.0)
    assert check.centered_difference_shrink(100) and check.linear_classifier_size(650, 30730)


def test_a_demonstration_block_never_raises_even_while_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with check.demonstration():
        result = check.svm_initial_loss(10)
    assert not result and "❌" in str(result)
    with pytest.raises(check.ExerciseFailed):
        check.svm_initial_loss(10)


def test_the_regularization_question_does_not_compute_the_answer_in_its_hints():
    for l2, l1 in [("w1", "tie"), ("tie", "tie"), ("w2", "w1"), ("w2", "w2")]:
        result = check.regularization_preference(l2=l2, l1=l1)
        text = result.message + result.hint
        assert "0.25" not in text and "prefers" not in text and "= 1" not in text, text
    usage = check.regularization_preference(l2="maybe", l1="tie")
    assert "l1='tie'" not in usage.message


def test_the_usage_of_the_bounds_questions_shows_no_answer():
    for question in (check.svm_loss_bounds, check.softmax_loss_bounds):
        message = question("zero", None).message
        assert "give two numbers" in message and "(0, " not in message


# ----------------------------------------------------------------------------------------
# svm_dscores and softmax_dscores: dL/dscores of the mean data loss
# ----------------------------------------------------------------------------------------


def svm_dscores_loops(scores, y):
    n, c = scores.shape
    d = np.zeros_like(scores)
    for i in range(n):
        for j in range(c):
            if j != y[i] and scores[i, j] - scores[i, y[i]] + 1 > 0:
                d[i, j] += 1
                d[i, y[i]] -= 1
    return d / n


def softmax_dscores_vectorized(scores, y):
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def test_dscores_checks_accept_right_derivations():
    for fn in (
        svm_dscores_loops,
        lambda s, y: losses.svm_losses_and_dscores(s, y, 1.0)[1] / len(y),
    ):
        result = check.svm_dscores(fn)
        assert result, result
        assert "agrees with a numerical gradient" in result.message
    assert check.softmax_dscores(softmax_dscores_vectorized)


def test_the_reference_is_confirmed_by_a_numerical_gradient_on_every_case():
    from lecture_utils.check import _dscores

    for case in _dscores._cases():
        for per_example in (_dscores._svm, _dscores._softmax):
            analytic = _dscores.mean_loss_gradient(per_example, **case.args)
            numerical = _dscores.numerical_mean_loss_gradient(per_example, **case.args)
            np.testing.assert_allclose(analytic, numerical, rtol=1e-6, atol=1e-8)
        s, y = case.scores, case.y
        margins = s - s[np.arange(len(y)), y][:, None] + 1
        assert np.abs(margins).min() > 1e-3  # no case sits on the hinge's kink


def _svm_bug(kind):
    def fn(scores, y):
        d = svm_dscores_loops(scores, y)
        rows = np.arange(len(y))
        if kind == "no_correct":
            d[rows, y] = 0
        elif kind == "minus_one":
            d[rows, y] = -(d.max(axis=1) > 0).astype(float) / len(y)
        elif kind == "every_margin":
            d = np.ones_like(scores)
            d[rows, y] = -(scores.shape[1] - 1)
            d /= len(y)
        elif kind == "sign":
            d = -d
        elif kind == "sum":
            d = d * len(y)
        elif kind == "transposed":
            d = d.T
        elif kind == "zeros":
            d = np.zeros_like(d)
        elif kind == "off":
            d = d + 0.01
        return d

    return fn


@pytest.mark.parametrize(
    ("kind", "wording"),
    [
        ("no_correct", "the correct-class column is missing"),
        ("minus_one", "the correct-class entry is -1; it is minus the NUMBER"),
        ("every_margin", "every margin was counted, also the met ones"),
        ("sign", "dscores has the wrong sign"),
        ("sum", "dscores is N = 3 times too big: the loss is the MEAN"),
        ("transposed", "dscores is transposed"),
        ("zeros", "dscores is all zeros"),
        ("off", "differs from the numerical gradient of the mean loss"),
    ],
)
def test_svm_dscores_names_each_mistake(kind, wording):
    result = check.svm_dscores(_svm_bug(kind))
    assert not result
    assert wording in result.message, result.message


def _softmax_bug(kind):
    def fn(scores, y):
        n = len(y)
        if kind == "no_minus_one":
            return losses.softmax(scores) / n
        if kind == "wrong_axis":
            p = losses.softmax(scores)
            p[y, np.arange(n)] -= 1  # raises IndexError where the shapes differ
            return p / n
        if kind == "sum":
            return softmax_dscores_vectorized(scores, y) * n
        if kind == "sign":
            return -softmax_dscores_vectorized(scores, y)
        if kind == "shape_CN":
            return softmax_dscores_vectorized(scores, y).T
        raise AssertionError(kind)

    return fn


@pytest.mark.parametrize(
    ("kind", "wording"),
    [
        ("no_minus_one", "probabilities P without subtracting 1 at the correct class"),
        ("wrong_axis", "the one-hot is on the wrong axis"),
        ("sum", "N = 3 times too big"),
        ("sign", "wrong sign"),
        ("shape_CN", "transposed"),
    ],
)
def test_softmax_dscores_names_each_mistake(kind, wording):
    result = check.softmax_dscores(_softmax_bug(kind))
    assert not result
    assert wording in result.message, result.message


def test_dscores_of_shape_c_by_n_on_a_non_square_table():
    def transposed_when_not_square(scores, y):
        d = softmax_dscores_vectorized(scores, y)
        return d if d.shape[0] == d.shape[1] else d.T

    result = check.softmax_dscores(transposed_when_not_square)
    assert "has shape (3, 6) but should have shape (6, 3): it looks transposed" in result.message


@pytest.mark.parametrize(
    ("name", "loss"),
    [("svm_grad_lecture", losses.svm_loss), ("softmax_grad_lecture", losses.softmax_loss)],
)
def test_lecture_orientation_gradient_checks_name_each_mistake(name, loss):
    check_fn = getattr(check, name)

    def right(W, X, y, reg):
        return loss(W.T, X, y, reg)[1].T

    def data(W, X, y, reg):
        return loss(W.T, X, y, 0.0)[1].T

    assert check_fn(right)
    wrong = {
        "missing the regularization gradient": lambda W, X, y, reg: data(W, X, y, reg),
        "yours is reg * W": lambda W, X, y, reg: data(W, X, y, reg) + reg * W,
        "times too big": lambda W, X, y, reg: len(y) * data(W, X, y, reg) + 2 * reg * W,
        "wrong sign": lambda W, X, y, reg: -right(W, X, y, reg),
    }
    for wording, fn in wrong.items():
        result = check_fn(fn)
        assert not result and wording in result.message, (wording, result.message)
    transposed = check_fn(lambda W, X, y, reg: right(W, X, y, reg).T)
    assert not transposed and "shape" in transposed.message
