"""Texts of :class:`~lecture_utils.widgets.OptimizerPathsApp` (notebook 09).

The English names of the update rules are ``OPTIMIZER_LABELS`` of the app's module.
"""

STRINGS = {
    "en": {
        "step_size": "step size η",
        "beta": "momentum β",
        "steps": "steps",
        "surface": "surface",
        "valley": "valley",
        "tilted valley": "tilted valley",
        "sgd": "SGD",
        "momentum": "SGD + momentum",
        "nesterov": "Nesterov momentum",
        "rmsprop": "RMSProp",
        "adam": "Adam",
        "step": "step",
        "loss_axis": "loss $L(w)$",
        "paths_title": "paths on the loss surface (★ minimum, ○ start)",
        "loss_title": "loss after each step",
        "head": "<table class='lecture-optimizers'><tr><th>update rule</th><th>loss after "
        "{n} steps</th><th>steps until L stays &lt; {level}</th></tr>",
        "overflow": "diverged (overflow after {n} steps)",
        "diverging": "{loss} (diverging)",
    },
    "ko": {
        "step_size": "스텝 크기 η",
        "beta": "모멘텀 β",
        "steps": "스텝 수",
        "surface": "손실 곡면",
        "valley": "골짜기",
        "tilted valley": "기울어진 골짜기",
        "sgd": "SGD",
        "momentum": "SGD + 모멘텀 (momentum)",
        "nesterov": "Nesterov 모멘텀",
        "rmsprop": "RMSProp",
        "adam": "Adam",
        "step": "스텝",
        "loss_axis": "손실 L(w)",
        "paths_title": "손실 곡면 위의 경로 (★ 최솟값, ○ 시작점)",
        "loss_title": "스텝마다의 손실",
        "head": "<table class='lecture-optimizers'><tr><th>업데이트 규칙</th><th>{n} 스텝 "
        "후의 손실</th><th>L이 {level} 미만에 머물기까지의 스텝 수</th></tr>",
        "overflow": "발산 ({n} 스텝 후 오버플로)",
        "diverging": "{loss} (발산 중)",
    },
}
