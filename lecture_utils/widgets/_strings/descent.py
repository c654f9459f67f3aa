"""Texts of :class:`~lecture_utils.widgets.GradientDescentApp` and
:class:`~lecture_utils.widgets.SGDApp` (notebooks 07 and 08)."""

STRINGS = {
    "en": {
        # both apps
        "loss_star": "$L^*$ = {loss}",
        "loss_axis": "loss $L(w)$ (log scale)",
        "start_w1": "start w₁",
        "start_w2": "start w₂",
        "step_size": "step size η",
        "steps": "steps",
        "step_k": "step $k$",
        # GradientDescentApp
        "gd_path": "gradient descent",
        "slow": "slow",
        "monotone": "monotone",
        "zig-zag": "zig-zag",
        "bouncing": "bouncing",
        "diverging": "diverging",
        "gd_title": "{regime}: L = {loss}",
        "gd_readout": "<b>{regime}</b>: L(w<sub>0</sub>) = {first} → "
        "L(w<sub>{n}</sub>) = {last} "
        "(lowest possible L* = {star}). "
        "Curvatures at the minimum: h<sub>min</sub> = {h_min}, "
        "h<sub>max</sub> = {h_max}; η &lt; 1/h<sub>max</sub> = {one} never "
        "overshoots, η &gt; 2/h<sub>max</sub> = {two} cannot converge.",
        # SGDApp
        "batch_size": "batch size B",
        "batch_tooltip": "examples per step (N = {n} is full-batch gradient descent)",
        "seed": "batch seed",
        "x_axis": "loss against",
        "x_steps": "steps",
        "x_examples": "examples",
        "x_tooltip": "steps taken, or examples whose gradient was computed (the cost)",
        "gd_full": "gradient descent (B = N)",
        "sgd_path": "minibatch SGD",
        "sgd_batch_curve": "SGD: minibatch loss",
        "sgd_curve": "SGD: L(w)",
        "gd_curve": "GD: L(w)",
        "examples_processed": "examples processed",
        "sgd_title": "SGD {sgd}, GD {gd}",
        "sgd_readout": "One SGD step computes the gradient on <b>{b}</b> examples, one "
        "gradient-descent step on all <b>{n_examples}</b>. After {n} steps: SGD has processed "
        "{sgd_seen} examples and reached L = {sgd}; "
        "gradient descent has processed {gd_seen} and reached "
        "L = {gd} (lowest possible "
        "L* = {star}).",
    },
    "ko": {
        "loss_star": "$L^*$ = {loss}",
        "loss_axis": "손실 L(w) (로그 스케일)",
        "start_w1": "시작점 w₁",
        "start_w2": "시작점 w₂",
        "step_size": "스텝 크기 η",
        "steps": "스텝 수",
        "step_k": "스텝 k",
        "gd_path": "경사 하강법",
        "slow": "느림",
        "monotone": "단조 감소",
        "zig-zag": "지그재그",
        "bouncing": "튕김",
        "diverging": "발산",
        "gd_title": "{regime}: L = {loss}",
        "gd_readout": "<b>{regime}</b>: L(w<sub>0</sub>) = {first} → "
        "L(w<sub>{n}</sub>) = {last} "
        "(가능한 최저값 L* = {star}). "
        "최솟값에서의 곡률: h<sub>min</sub> = {h_min}, "
        "h<sub>max</sub> = {h_max}; η &lt; 1/h<sub>max</sub> = {one} 이면 넘어가지 "
        "(overshoot) 않고, η &gt; 2/h<sub>max</sub> = {two} 이면 수렴할 수 없습니다.",
        "batch_size": "배치 크기 B",
        "batch_tooltip": "스텝당 샘플 수 (N = {n}이면 전체 배치 경사 하강법)",
        "seed": "배치 시드",
        "x_axis": "손실의 가로축",
        "x_steps": "스텝",
        "x_examples": "샘플",
        "x_tooltip": "진행한 스텝 수, 또는 그래디언트를 계산한 샘플 수 (비용)",
        "gd_full": "경사 하강법 (B = N)",
        "sgd_path": "미니배치 SGD",
        "sgd_batch_curve": "SGD: 미니배치 손실",
        "sgd_curve": "SGD: L(w)",
        "gd_curve": "GD: L(w)",
        "examples_processed": "처리한 샘플 수",
        "sgd_title": "SGD {sgd}, GD {gd}",
        "sgd_readout": "SGD 한 스텝은 <b>{b}</b>개 샘플로 그래디언트를 계산하고, 경사 "
        "하강법 한 스텝은 전체 <b>{n_examples}</b>개로 계산합니다. {n} 스텝 후: SGD는 "
        "{sgd_seen}개 샘플을 처리하여 L = {sgd}에 도달했고, "
        "경사 하강법은 {gd_seen}개를 처리하여 "
        "L = {gd}에 도달했습니다 (가능한 최저값 "
        "L* = {star}).",
    },
}
