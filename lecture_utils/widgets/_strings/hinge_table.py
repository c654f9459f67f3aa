"""Texts of :class:`~lecture_utils.widgets.HingeTableApp` (notebook 01)."""

STRINGS = {
    "en": {
        "class_default": "class {j}",
        "image_default": "image {i}",
        "tooltip": "{image}: score for {cls}",
        "ylabel": "score $s_j$",
        "correct_bar": "correct",
        "total": "$L$ = ({parts}) / {n} = {loss}",
        "correct_cell": "<td><b>{score}</b> (correct)</td>",
        "mean_line": "<p>L = ({parts}) / {n} = <b>{loss}</b></p>",
    },
    "ko": {
        "class_default": "클래스 {j}",
        "image_default": "이미지 {i}",
        "tooltip": "{image}: {cls}의 점수",
        "ylabel": "점수 sⱼ",
        "correct_bar": "정답",
        "total": "$L$ = ({parts}) / {n} = {loss}",
        "correct_cell": "<td><b>{score}</b> (정답)</td>",
        "mean_line": "<p>평균 손실 L = ({parts}) / {n} = <b>{loss}</b></p>",
    },
}
