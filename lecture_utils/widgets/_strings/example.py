"""Texts of ``TinyApp`` (:mod:`lecture_utils.widgets._example`)."""

STRINGS = {
    "en": {
        "height": "height",
        "color": "color",
        "blue": "blue",
        "orange": "orange",
        "outline": "outline",
        "more": "more",
        "clicks": "{n} clicks",
        "fixed": "fixed",
    },
    "ko": {
        "height": "높이",
        "color": "색",
        "blue": "파랑",
        "orange": "주황",
        "outline": "테두리",
        "more": "더",
        "clicks": "{n}번 클릭",
        "fixed": "고정",
    },
}
