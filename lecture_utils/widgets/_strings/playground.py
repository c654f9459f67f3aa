"""Texts of :class:`~lecture_utils.widgets.ClassifierPlayground` (notebook 05).

``loss_<name>`` in English are the labels of :data:`lecture_utils.losses.LOSSES` (a test
checks that they agree).
"""

STRINGS = {
    "en": {
        "data_custom": "the X and y you passed",
        "data_points": "the demo's 9 points",
        "data_blobs": "3 seeded Gaussian blobs, 20 points each",
        "data_spiral": "3 seeded spiral arms, 40 points each",
        "custom": "custom",
        "points": "points",
        "blobs": "blobs",
        "spiral": "spiral",
        "data": "data",
        "loss": "loss",
        "loss_svm": "Multiclass SVM (Weston–Watkins)",
        "loss_ova": "One-vs-all SVM",
        "loss_crammer_singer": "Structured SVM (Crammer–Singer)",
        "loss_softmax": "Softmax (cross-entropy)",
        "weight_tooltip": "weight of input x{k} in class {j}'s score",
        "bias_tooltip": "bias of class {j}",
        "reg_tooltip": "regularization strength",
        "step_size": "step size",
        "step": "step",
        "step_tooltip": "one gradient step",
        "run": "run {n} steps",
        "run_tooltip": "many gradient steps",
        "randomize": "randomize",
        "randomize_tooltip": "random W and b (seeded)",
        "head_w1": "weight of x<sub>1</sub>",
        "head_w2": "weight of x<sub>2</sub>",
        "head_b": "bias",
        "class": "class {j}",
        "total": "data {data} + reg {reg} = L {loss}",
        "regions_title": "winning class; zero-score lines $s_j = 0$",
        "losses_title": "each example's loss $L_i$",
        "path_title": "total loss $L$ over the next {n} steps ('run')",
        "step_axis": "step",
        "largest": " (the {k} largest of {n})",
        "summary": "<p>{loss}: data loss "
        "(1/N) Σ L<sub>i</sub> = <b>{data}</b>, "
        "reg. loss λ Σ W² = {lam} × "
        "{sum_w2} = <b>{reg}</b>, "
        "total L = <b>{total}</b></p>",
        "table_title": "<p>Each example's scores s = x W + b and loss{note}:</p>",
        "run_step": "step {k}/{n}: L {loss}",
    },
    "ko": {
        "data_custom": "직접 넘긴 X와 y",
        "data_points": "데모의 9개 점",
        "data_blobs": "시드를 고정한 가우시안 덩어리 3개, 각 20개 점",
        "data_spiral": "시드를 고정한 나선 팔 3개, 각 40개 점",
        "custom": "사용자 데이터",
        "points": "점 9개",
        "blobs": "덩어리 (blobs)",
        "spiral": "나선 (spiral)",
        "data": "데이터",
        "loss": "손실 함수",
        "loss_svm": "다중 클래스 SVM (Weston–Watkins)",
        "loss_ova": "One-vs-all SVM",
        "loss_crammer_singer": "구조적 SVM (Crammer–Singer)",
        "loss_softmax": "소프트맥스 (cross-entropy)",
        "weight_tooltip": "클래스 {j}의 점수에서 입력 x{k}의 가중치 (weight)",
        "bias_tooltip": "클래스 {j}의 편향 (bias)",
        "reg_tooltip": "규제 강도 (regularization strength)",
        "step_size": "스텝 크기",
        "step": "한 스텝",
        "step_tooltip": "그래디언트 스텝 한 번",
        "run": "{n} 스텝 실행",
        "run_tooltip": "그래디언트 스텝 여러 번",
        "randomize": "무작위로",
        "randomize_tooltip": "무작위 W와 b (시드 고정)",
        "head_w1": "x<sub>1</sub>의 가중치",
        "head_w2": "x<sub>2</sub>의 가중치",
        "head_b": "편향",
        "class": "클래스 {j}",
        "total": "데이터 {data} + 규제 {reg} = L {loss}",
        "regions_title": "점수가 가장 높은 클래스; 점수가 0인 직선 sⱼ = 0",
        "losses_title": "샘플마다의 손실 Lᵢ",
        "path_title": "다음 {n} 스텝 동안의 전체 손실 L ('실행')",
        "step_axis": "스텝",
        "largest": " ({n}개 중 가장 큰 {k}개)",
        "summary": "<p>{loss}: 데이터 손실 "
        "(1/N) Σ L<sub>i</sub> = <b>{data}</b>, "
        "규제 손실 λ Σ W² = {lam} × "
        "{sum_w2} = <b>{reg}</b>, "
        "전체 손실 L = <b>{total}</b></p>",
        "table_title": "<p>샘플마다의 점수 s = x W + b 와 손실{note}:</p>",
        "run_step": "스텝 {k}/{n}: L {loss}",
    },
}
