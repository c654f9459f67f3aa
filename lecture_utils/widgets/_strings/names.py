"""The lecture example's names (:func:`lecture_utils.data.lecture_example`) in every language.

Apps that show the lecture's cat/car/frog example by default show these names; names a user
passes are shown as given.
"""

STRINGS = {
    "en": {
        "cat": "cat",
        "car": "car",
        "frog": "frog",
        "cat image": "cat image",
        "car image": "car image",
        "frog image": "frog image",
    },
    "ko": {
        "cat": "고양이",
        "car": "자동차",
        "frog": "개구리",
        "cat image": "고양이 이미지",
        "car image": "자동차 이미지",
        "frog image": "개구리 이미지",
    },
}
