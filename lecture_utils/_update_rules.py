r"""Update rules beyond plain SGD, one interface: ``step(w, dw) -> new w``.

:class:`SGD`, :class:`Momentum`, :class:`Nesterov`, :class:`RMSProp` and :class:`Adam`, each
with its step size :math:`\eta` (``step_size``) and its own state (velocity, running averages).
:func:`lecture_utils.optim.optimize` runs one on a loss. Import them from
:mod:`lecture_utils.optim`.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_fraction, check_positive

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "RMSProp", "Adam", "OPTIMIZERS"]


class Optimizer:
    """Base class of the update rules: ``step(w, dw)`` returns the next parameter.

    ``step`` never modifies ``w`` or ``dw``; the rule keeps its own state (velocity, running
    averages), created at the first step with ``w``'s shape. Call :meth:`reset` before
    optimizing something else (:func:`lecture_utils.optim.optimize` does it for you).

    Parameters
    ----------
    step_size : float
        Step size :math:`\\eta > 0` (also called the learning rate).

    Examples
    --------
    >>> from lecture_utils.optim import Momentum
    >>> rule = Momentum(step_size=0.1, beta=0.9)
    >>> w = rule.step(np.array([1.0, 2.0]), np.array([1.0, -1.0]))   # v = -0.1 * dw
    >>> w
    array([0.9, 2.1])
    >>> rule
    Momentum(step_size=0.1, beta=0.9)
    """

    name = "optimizer"

    def __init__(self, step_size: float = 1e-2) -> None:
        self.step_size = check_positive(step_size, "step_size")
        self.reset()

    def reset(self) -> None:
        """Forget the state (as if no step had been taken)."""
        self._state: dict[str, np.ndarray] = {}
        self._shape: tuple[int, ...] | None = None
        self.t = 0

    def step(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        """Return the parameter after one update.

        Parameters
        ----------
        w : ndarray of any shape
            Current parameter.
        dw : ndarray of the same shape
            Gradient of the loss at ``w``.

        Returns
        -------
        ndarray of ``w``'s shape: a new array.
        """
        w = as_float_array(w, "w")
        dw = as_float_array(dw, "dw")
        if dw.shape != w.shape:
            raise ValueError(f"dw must have w's shape {w.shape}, got shape {dw.shape}")
        if self._shape is None:
            self._shape = w.shape
        elif w.shape != self._shape:
            raise ValueError(
                f"w has shape {w.shape} but this {type(self).__name__} was stepping a parameter "
                f"of shape {self._shape}; call reset() first"
            )
        return self._step_checked(w, dw)

    def _step_checked(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        """:meth:`step` on input already checked (finite floats, one shape): the hot loop's."""
        self.t += 1
        return self._update(w, dw.astype(w.dtype, copy=False))

    def _step_from(
        self, w: np.ndarray, dw: np.ndarray, state: dict[str, np.ndarray], t: int
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One :meth:`step` from a given state, after ``t - 1`` earlier steps (t >= 1).

        For the exercise checks, whose learners pass the state in and get it back:
        ``state`` maps this rule's state names ("v"; "cache"; "m" and "v") to arrays of
        ``w``'s shape. Resets the rule first; returns ``(new w, new state)``.
        """
        self.reset()
        w = as_float_array(w, "w")
        self._state = {k: as_float_array(v, k).astype(w.dtype) for k, v in state.items()}
        self.t = t - 1
        w_new = self.step(w, dw)
        return w_new, dict(self._state)

    def _state_like(self, key: str, w: np.ndarray) -> np.ndarray:
        if key not in self._state:
            self._state[key] = np.zeros_like(w)
        return self._state[key]

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _params(self) -> dict[str, float]:
        return {"step_size": self.step_size}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    r"""Vanilla update :math:`w \leftarrow w - \eta\, dw`."""

    name = "sgd"

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        return w - self.step_size * dw


class Momentum(Optimizer):
    r"""SGD with momentum: :math:`v \leftarrow \beta v - \eta\, dw`, :math:`w \leftarrow w + v`.

    Parameters
    ----------
    step_size : float
    beta : float, default 0.9
        Momentum, in [0, 1); 0 gives plain SGD.
    """

    name = "momentum"

    def __init__(self, step_size: float = 1e-2, beta: float = 0.9) -> None:
        self.beta = check_fraction(beta, "beta")
        super().__init__(step_size)

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        v = self.beta * self._state_like("v", w) - self.step_size * dw
        self._state["v"] = v
        return w + v

    def _params(self) -> dict[str, float]:
        return {"step_size": self.step_size, "beta": self.beta}


class Nesterov(Momentum):
    r"""Nesterov momentum, written on the look-ahead point (CS231n's form).

    With ``dw`` evaluated at the current ``w``:
    :math:`v' = \beta v - \eta\, dw`, :math:`w \leftarrow w - \beta v + (1 + \beta) v'`.
    This equals evaluating the gradient at :math:`w + \beta v` in the textbook form.

    Parameters
    ----------
    step_size : float
    beta : float, default 0.9
    """

    name = "nesterov"

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        v_prev = self._state_like("v", w)
        v = self.beta * v_prev - self.step_size * dw
        self._state["v"] = v
        return w - self.beta * v_prev + (1 + self.beta) * v


class RMSProp(Optimizer):
    r"""RMSProp: a per-coordinate step scaled by a running RMS of the gradient.

    :math:`c \leftarrow \rho c + (1 - \rho)\, dw^2`,
    :math:`w \leftarrow w - \eta\, dw / (\sqrt{c} + \epsilon)`.

    Parameters
    ----------
    step_size : float
    decay : float, default 0.99
        :math:`\rho`, in [0, 1).
    eps : float, default 1e-8
        :math:`\epsilon > 0`, avoids division by zero.
    """

    name = "rmsprop"

    def __init__(self, step_size: float = 1e-2, decay: float = 0.99, eps: float = 1e-8):
        self.decay = check_fraction(decay, "decay")
        self.eps = check_positive(eps, "eps")
        super().__init__(step_size)

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        cache = self.decay * self._state_like("cache", w) + (1 - self.decay) * dw * dw
        self._state["cache"] = cache
        return w - self.step_size * dw / (np.sqrt(cache) + self.eps)

    def _params(self) -> dict[str, float]:
        return {"step_size": self.step_size, "decay": self.decay, "eps": self.eps}


class Adam(Optimizer):
    r"""Adam: momentum on the gradient plus RMSProp scaling, both bias-corrected.

    :math:`m \leftarrow \beta_1 m + (1 - \beta_1) dw`,
    :math:`v \leftarrow \beta_2 v + (1 - \beta_2) dw^2`,
    :math:`\hat m = m / (1 - \beta_1^t)`, :math:`\hat v = v / (1 - \beta_2^t)`,
    :math:`w \leftarrow w - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)`, with t = 1, 2, ... the
    step count. m and v start at 0, so early on they are biased towards 0; the correction
    removes that bias. With it the first step moves every coordinate by about :math:`\eta`,
    whatever the gradient's scale; without it, by :math:`\eta (1-\beta_1)/\sqrt{1-\beta_2}
    \approx 3.2\,\eta` for the defaults.

    Parameters
    ----------
    step_size : float, default 1e-3
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    eps : float, default 1e-8
    """

    name = "adam"

    def __init__(
        self,
        step_size: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        self.beta1 = check_fraction(beta1, "beta1")
        self.beta2 = check_fraction(beta2, "beta2")
        self.eps = check_positive(eps, "eps")
        super().__init__(step_size)

    def _update(self, w: np.ndarray, dw: np.ndarray) -> np.ndarray:
        m = self.beta1 * self._state_like("m", w) + (1 - self.beta1) * dw
        v = self.beta2 * self._state_like("v", w) + (1 - self.beta2) * dw * dw
        self._state["m"], self._state["v"] = m, v
        m_hat = m / (1 - self.beta1**self.t)
        v_hat = v / (1 - self.beta2**self.t)
        return w - self.step_size * m_hat / (np.sqrt(v_hat) + self.eps)

    def _params(self) -> dict[str, float]:
        return {
            "step_size": self.step_size,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
        }


#: The update rules by name (for menus): ``OPTIMIZERS["adam"](step_size=0.1)``.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSProp, Adam)
}
