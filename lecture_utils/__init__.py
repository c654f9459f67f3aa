"""lecture_utils: the tested library behind the Loss & Optimization Lab notebooks.

Modules, one per idea of the lecture "Loss functions and optimization":

- :mod:`lecture_utils.losses`: multiclass SVM (hinge) and softmax losses, naive and vectorized.
"""

from . import losses

__all__ = ["losses"]
__version__ = "0.1.0"
