"""Texts of :class:`~lecture_utils.widgets.RegularizationApp` (notebook 03)."""

STRINGS = {
    "en": {
        "l2": "L2",
        "l1": "L1",
        "elastic_net": "elastic net",
        "input0": "input 0",
        "input1": "input 1",
        "regions_title": "decision regions",
        "weight": "$w_{{{k}}}$",
        "class": "class {j}",
        "xlabel": r"$\lambda$ (log scale)",
        "ylabel": "loss",
        "data_loss": "data loss",
        "reg_loss": r"$\lambda R(W)$",
        "total": "total (dashed)",
        "weights_title": "weights W ({name}, λ = {lam})",
        "losses_title": "losses along λ (R = {name})",
        "readout": "λ = {lam}, R = {name}: data loss <b>{data}</b> + "
        "λR(W) <b>{reg}</b> = total <b>{total}</b>; "
        "training accuracy {accuracy}; "
        "Σ|w| = {l1}, ‖W‖₂ = {l2}; weights with |w| &lt; 0.01: {small} of {size}",
    },
    "ko": {
        "l2": "L2",
        "l1": "L1",
        "elastic_net": "엘라스틱 넷 (elastic net)",
        "input0": "입력 0",
        "input1": "입력 1",
        "regions_title": "결정 영역",
        "weight": "$w_{{{k}}}$",
        "class": "클래스 {j}",
        "xlabel": "λ (로그 스케일)",
        "ylabel": "손실",
        "data_loss": "데이터 손실",
        "reg_loss": r"$\lambda R(W)$",
        "total": "전체 손실 (점선)",
        "weights_title": "가중치 W ({name}, λ = {lam})",
        "losses_title": "λ에 따른 손실 (R = {name})",
        "readout": "λ = {lam}, R = {name}: 데이터 손실 <b>{data}</b> + "
        "λR(W) <b>{reg}</b> = 전체 손실 <b>{total}</b>; "
        "훈련 정확도 {accuracy}; "
        "Σ|w| = {l1}, ‖W‖₂ = {l2}; |w| &lt; 0.01인 가중치: {size}개 중 {small}개",
    },
}
