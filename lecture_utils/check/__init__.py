"""One-line exercise checks for the notebooks: ``check.svm_loss(my_svm_loss)``.

What a check does
-----------------
You write a function (``my_svm_loss``) and hand it to its check. The check runs your function
on the lecture's example and on a few seeded random inputs, compares what it returns with the
library (``lecture_utils.losses``, ``regularization``, ``gradients``, ``optim``, ...), and
shows one line:

- ✅ ``svm_loss: loss and gradient correct on all 4 inputs ...``
- ❌ ``svm_loss: on random data (N=8, ...): dW is missing the regularization gradient ...``
  with a hint: the check recognised a known mistake and names it;
- ⏳ ``not implemented yet: replace raise NotImplementedError() in my_svm_loss ...``: your
  function still holds the stub.

A wrong answer never raises (a traceback would bury the hint); if your function raises an
error, the line names it and the line of your code. ``bool(result)`` tells whether it passed.
Questions ("predict the initial loss") take a number, or a function of no arguments that
returns it; they never show the right answer before you give it.

How a check is built (open ``_losses.py`` next to this file to see one)
-------------------------------------------------------------------------
Every implementation exercise is one declaration, an ``Exercise`` (in ``_exercise.py``):
its test cases, what your function returns, the reference from ``lecture_utils``, and the
table of named mistakes. A mistake is written as the value a buggy version would return
(``gives``: "the loss without the regularization term") or as a test on your value
(``when``: "dW is all zeros"). One runner, ``run(exercise, your_function)``, calls your code,
checks it did not change its inputs, compares, and names the mistake your answer matches.
Questions are tables too (``_question.py``): the right answer, known wrong answers and what
each one shows, with one tolerance rule (within 0.01, or 1 % above 1).

Grading
-------
When nbgrader runs a notebook (``NBGRADER_EXECUTION`` is ``autograde`` or ``validate``), a
check that does not pass raises :class:`ExerciseFailed` (an ``AssertionError``) with the same
message, so the test cell scores 0 and the feedback shows the message.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from ._friendly import install as _install_friendly

if TYPE_CHECKING:  # for type checkers and editors; at run time see __getattr__ below
    from ._dscores import softmax_dscores, svm_dscores
    from ._gradients import gradient_descent, numerical_gradient, rel_error, sgd_step
    from ._lecture_grad import softmax_grad_lecture, svm_grad_lecture
    from ._losses import (
        hinge_losses,
        svm_initial_loss,
        svm_loss,
        svm_loss_bounds,
        svm_loss_vectorized,
    )
    from ._minibatch import sample_minibatch
    from ._optim import adam_update, momentum_update, rmsprop_update
    from ._playground import linear_scores, softmax_loss_with_bias, zero_loss_parameters
    from ._predictions import (
        centered_difference_shrink,
        linear_classifier_size,
        steep_axis_factor,
        valley_max_step_size,
    )
    from ._regularization import elastic_net, l1, l2, regularization_preference
    from ._result import CheckResult, ExerciseFailed, demonstration
    from ._softmax import softmax, softmax_initial_loss, softmax_loss, softmax_loss_bounds
    from ._training import accuracy, sgd_epoch

#: Where each check lives. A check's module is imported on its first use (PEP 562
#: ``__getattr__``): a notebook's kernel holds the checks of that notebook, not all of them.
_MODULE_OF = {
    "CheckResult": "_result",
    "ExerciseFailed": "_result",
    "accuracy": "_training",
    "adam_update": "_optim",
    "centered_difference_shrink": "_predictions",
    "demonstration": "_result",
    "elastic_net": "_regularization",
    "gradient_descent": "_gradients",
    "hinge_losses": "_losses",
    "l1": "_regularization",
    "l2": "_regularization",
    "linear_classifier_size": "_predictions",
    "linear_scores": "_playground",
    "momentum_update": "_optim",
    "numerical_gradient": "_gradients",
    "regularization_preference": "_regularization",
    "rel_error": "_gradients",
    "rmsprop_update": "_optim",
    "sample_minibatch": "_minibatch",
    "sgd_epoch": "_training",
    "sgd_step": "_gradients",
    "softmax": "_softmax",
    "softmax_dscores": "_dscores",
    "softmax_grad_lecture": "_lecture_grad",
    "softmax_initial_loss": "_softmax",
    "softmax_loss": "_softmax",
    "softmax_loss_bounds": "_softmax",
    "softmax_loss_with_bias": "_playground",
    "steep_axis_factor": "_predictions",
    "svm_dscores": "_dscores",
    "svm_grad_lecture": "_lecture_grad",
    "svm_initial_loss": "_losses",
    "svm_loss": "_losses",
    "svm_loss_bounds": "_losses",
    "svm_loss_vectorized": "_losses",
    "valley_max_step_size": "_predictions",
    "zero_loss_parameters": "_playground",
}


__getattr__, __dir__ = lazy_attributes(__name__, _MODULE_OF, globals())


__all__ = [
    "CheckResult",
    "ExerciseFailed",
    "demonstration",
    # notebooks 01-02: losses
    "hinge_losses",
    "svm_loss",
    "svm_loss_vectorized",
    "svm_initial_loss",
    "svm_loss_bounds",
    # notebook 03: regularization
    "l1",
    "l2",
    "elastic_net",
    "regularization_preference",
    # notebook 04: softmax
    "softmax",
    "softmax_loss",
    "softmax_initial_loss",
    "softmax_loss_bounds",
    # notebooks 02 and 04: derivation exercises (dL/dscores of the mean data loss)
    "svm_dscores",
    "softmax_dscores",
    "svm_grad_lecture",
    "softmax_grad_lecture",
    # notebook 05: the classifier playground
    "linear_scores",
    "softmax_loss_with_bias",
    "zero_loss_parameters",
    # notebooks 06-07: gradients and descent
    "numerical_gradient",
    "rel_error",
    "gradient_descent",
    "sample_minibatch",
    "sgd_step",
    # notebooks 06-09: predict, then run
    "centered_difference_shrink",
    "steep_axis_factor",
    "linear_classifier_size",
    "valley_max_step_size",
    # notebooks 08-09: training a classifier, update rules beyond SGD
    "accuracy",
    "sgd_epoch",
    "momentum_update",
    "rmsprop_update",
    "adam_update",
]

# In IPython, a NotImplementedError raised at the top level of a cell prints one line, not a
# traceback (a safety net: the exercises keep their stubs inside function bodies).
_install_friendly()
