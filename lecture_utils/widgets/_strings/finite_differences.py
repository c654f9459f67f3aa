"""Texts of :class:`~lecture_utils.widgets.FiniteDifferenceApp` (notebook 06)."""

STRINGS = {
    "en": {
        "h": "step h",
        "method": "differences",
        "centered": "centered",
        "forward": "forward",
        "xlabel": "step size $h$",
        "ylabel": "relative error vs analytic gradient",
        "fine_band": "≤ 1e-7: fine",
        "bad_band": "≥ 1e-2: wrong",
        "round_off": "← round-off error ∝ $\\varepsilon / h$",
        "truncation_centered": "truncation error ∝ $h^2$ →",
        "truncation_forward": "truncation error ∝ $h$ →",
        "other_method": "other method",
        "best_title": "best h (relative error there):",
        "fine": "fine",
        "wrong": "wrong",
        "suspicious": "suspicious",
        "head": "<table><tr><th></th><th>rel. error at h = {h}</th><th>best h</th>"
        "<th>error there</th></tr>{rows}</table>",
        "advice": "<p>{loss} loss, {method} differences. Relative error below 1e-7: the "
        "gradient is right; 1e-4 to 1e-2: uncomfortable; 1e-2 or more: the gradient is "
        "probably wrong (or h is badly chosen).</p>",
    },
    "ko": {
        "h": "스텝 h",
        "method": "차분",
        "centered": "중앙 차분",
        "forward": "전방 차분",
        "xlabel": "스텝 크기 h",
        "ylabel": "해석적 그래디언트 대비 상대 오차",
        "fine_band": "≤ 1e-7: 정상",
        "bad_band": "≥ 1e-2: 틀림",
        "round_off": "← 반올림 오차 ∝ ε / h",
        "truncation_centered": "절단 오차 ∝ h² →",
        "truncation_forward": "절단 오차 ∝ h →",
        "other_method": "다른 방법",
        "best_title": "최적의 h (그때의 상대 오차):",
        "fine": "정상",
        "wrong": "틀림",
        "suspicious": "의심스러움",
        "head": "<table><tr><th></th><th>h = {h}에서의 상대 오차</th><th>최적의 h</th>"
        "<th>그때의 오차</th></tr>{rows}</table>",
        "advice": "<p>{loss} 손실, {method}. 상대 오차가 1e-7 미만이면 그래디언트가 "
        "맞습니다; 1e-4 ~ 1e-2는 불안한 수준; 1e-2 이상이면 그래디언트가 틀렸을 가능성이 "
        "큽니다 (또는 h를 잘못 고른 것입니다).</p>",
    },
}
