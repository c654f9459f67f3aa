"""Texts of :class:`~lecture_utils.widgets.SoftmaxVsSvmApp` (notebook 04)."""

STRINGS = {
    "en": {
        "class_default": "class {j}",
        "which": "move score of",
        "score": "score",
        "scores_title": "scores (correct: {cls})",
        "curves_title": "$L_i$ as the outlined score moves",
        "svm": "SVM",
        "softmax": "softmax",
        "probs_title": r"softmax $P(Y = j \mid x)$",
        "curve_label": "score of {cls}",
        "total": "SVM $L_i$ = {svm}     softmax $L_i$ = {softmax}",
        "row_score": "score s<sub>j</sub>",
        "row_exp": "e<sup>s<sub>j</sub></sup> (unnormalized)",
        "correct_cell": "(correct)",
        "row_hinge": "hinge {hinge}",
        "loss_line": "<p>softmax: L<sub>i</sub> = −log P({cls}) = −log {p} = "
        "<b>{softmax}</b>; SVM: L<sub>i</sub> = sum of the hinge terms = <b>{svm}</b></p>",
    },
    "ko": {
        "class_default": "클래스 {j}",
        "which": "점수를 움직일 클래스",
        "score": "점수",
        "scores_title": "점수 (정답: {cls})",
        "curves_title": "테두리 친 점수를 움직일 때의 Lᵢ",
        "svm": "SVM",
        "softmax": "소프트맥스",
        "probs_title": "소프트맥스 확률 P(Y = j | x)",
        "curve_label": "{cls}의 점수",
        "total": "SVM Lᵢ = {svm}     소프트맥스 (softmax) Lᵢ = {softmax}",
        "row_score": "점수 s<sub>j</sub>",
        "row_exp": "e<sup>s<sub>j</sub></sup> (정규화되지 않은 확률)",
        "correct_cell": "(정답)",
        "row_hinge": "힌지 항 {hinge}",
        "loss_line": "<p>소프트맥스: L<sub>i</sub> = −log P({cls}) = −log {p} = "
        "<b>{softmax}</b>; SVM: L<sub>i</sub> = 힌지 항의 합 = <b>{svm}</b></p>",
    },
}
