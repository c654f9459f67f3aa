"""Texts of :class:`~lecture_utils.widgets.MarginsApp` (notebook 02)."""

STRINGS = {
    "en": {
        "class_names": "cat|car|frog|class 3|class 4",
        "tooltip": "weight of input x{k} for class {cls}",
        "scale": "scale c",
        "input0": "input 0",
        "input1": "input 1",
        "plane_title": r"weights $c\,w_j$ and example $x$",
        "bars_title": "correct class: {cls}",
        "ylabel": "score $s_j$",
        "correct_bar": "correct",
        "correct_row": "<li>s<sub>{name}</sub> = {score} (correct class)</li>",
        "loss_line": "<p>L<sub>i</sub> = <b>{loss}</b> &nbsp; L<sub>i</sub> / Δ = {ratio} "
        "(unchanged when c and Δ are scaled together)</p>",
    },
    "ko": {
        "class_names": "고양이|자동차|개구리|클래스 3|클래스 4",
        "tooltip": "클래스 {cls}에 대한 입력 x{k}의 가중치 (weight)",
        "scale": "배율 c",
        "input0": "입력 0",
        "input1": "입력 1",
        "plane_title": "가중치 c·wⱼ 와 샘플 x",
        "bars_title": "정답 클래스: {cls}",
        "ylabel": "점수 sⱼ",
        "correct_bar": "정답",
        "correct_row": "<li>s<sub>{name}</sub> = {score} (정답 클래스)</li>",
        "loss_line": "<p>L<sub>i</sub> = <b>{loss}</b> &nbsp; L<sub>i</sub> / Δ = {ratio} "
        "(c와 Δ를 함께 배율 조정해도 변하지 않음)</p>",
    },
}
