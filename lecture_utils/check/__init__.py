"""One-line exercise checks for the notebooks: ``check.svm_loss(my_svm_loss)``.

Every check runs the learner's function on the lecture's example and on seeded random
inputs, compares with the library, and returns a :class:`CheckResult` shown as ✅ or ❌
with specific feedback (wrong shape, off by a factor N, missing regularization gradient,
input modified in place, the exception raised, ...). A wrong answer never raises;
``bool(result)`` tells whether it passed.

One private submodule per topic (``_losses``, ``_regularization``, ...) holds the checks;
``_feedback`` holds what they all share (calling the learner's code, the loop over inputs,
comparing values), ``_harness`` what the loss checks share (the ``(loss, dW)`` loop and the
mistakes every regularized loss invites). A new topic adds its submodule and one import
line here.
"""

from ._dscores import softmax_dscores, svm_dscores
from ._gradients import gradient_descent, numerical_gradient, rel_error, sample_minibatch, sgd_step
from ._losses import hinge_losses, svm_initial_loss, svm_loss, svm_loss_bounds, svm_loss_vectorized
from ._optim import adam_update, momentum_update, rmsprop_update
from ._playground import linear_scores, softmax_loss_with_bias, zero_loss_parameters
from ._regularization import elastic_net, l1, l2, regularization_preference
from ._result import CheckResult, ExerciseFailed
from ._softmax import softmax, softmax_initial_loss, softmax_loss, softmax_loss_bounds
from ._training import accuracy, sgd_epoch

__all__ = [
    "CheckResult",
    "ExerciseFailed",
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
    # notebooks 08-09: training a classifier, update rules beyond SGD
    "accuracy",
    "sgd_epoch",
    "momentum_update",
    "rmsprop_update",
    "adam_update",
]
