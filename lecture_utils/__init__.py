"""lecture_utils: the tested library behind the Loss & Optimization Lab notebooks.

One module per idea of the lecture "Loss functions and optimization":

- :mod:`lecture_utils.losses`: multiclass SVM (hinge) and softmax losses with gradients, the
  naive loops next to the vectorized versions; one-vs-all and Crammer-Singer; the
  :data:`~losses.LOSSES` registry.
- :mod:`lecture_utils.regularization`: L1, L2 (R(W) = sum W**2, gradient 2W), elastic net, and
  the regularization path (the best W as λ varies).
- :mod:`lecture_utils.gradients`: numerical gradients (centered, forward), relative error and
  its bands, the V-shaped error curve of finite differences against h, gradient checking.
- :mod:`lecture_utils.optim`: random search, gradient descent, minibatch SGD (step size
  ``step_size``, η), the step-size regimes, momentum, Nesterov, RMSProp, Adam, and the
  playground's descent kept inside the sliders' range.
- :class:`lecture_utils.LinearClassifier` (in :mod:`lecture_utils.classifier`): a linear
  classifier trained by minibatch SGD; ``from lecture_utils import LinearClassifier``.
- :mod:`lecture_utils.data`: the lecture's examples, 2-D toy sets, the bundled digits and a
  CIFAR-10 reader.
- :func:`lecture_utils.set_language` (``"en"`` or ``"ko"``) and :func:`get_language`: the
  language the apps speak (:mod:`lecture_utils.language`); the Korean notebooks call
  ``lecture_utils.set_language("ko")`` once.
- :mod:`lecture_utils.landscape`: slices of a loss along random directions, the
  two-weight problem whose surface notebook 07 descends, and the ill-conditioned quadratic
  valley of notebook 09.

Imported on demand (they pull in matplotlib and ipywidgets):

- :mod:`lecture_utils.plotting`: static plot helpers that return their artists.
- :mod:`lecture_utils.widgets`: the live apps the notebooks display.
- :mod:`lecture_utils.check`: one-line checks for the notebooks' exercises.

Modules whose names start with ``_`` hold the machinery behind these (the cache-blocked loss
pass, the update-rule classes, argument checks ...); the public names are the ones above.

Conventions: X (N, D), W (D, C), y (N,) integer labels in [0, C), scores = X @ W (N, C);
losses return ``(loss, dW)`` with loss = mean data loss + reg * sum(W**2).
"""

# losses first: the modules after it build on it
from . import losses  # isort: skip
from . import data, gradients, landscape, optim, regularization
from .classifier import LinearClassifier
from .language import get_language, set_language

__all__ = [
    "LinearClassifier",
    "data",
    "get_language",
    "gradients",
    "landscape",
    "losses",
    "optim",
    "regularization",
    "set_language",
]
__version__ = "0.1.0"
