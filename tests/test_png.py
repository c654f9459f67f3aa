"""The PNG encoder of the live frames: same pixels as the input, valid files, clear errors."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.image import imread
from PIL import Image

import lecture_utils.widgets as W
from lecture_utils.widgets._png import encode_png


def decoded(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        assert image.mode == "RGBA"
        return np.asarray(image)


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (17, 2), (64, 300)])
@pytest.mark.parametrize("level", [0, 1, 6, 9])
def test_random_pixels_survive_a_round_trip(shape, level):
    rng = np.random.default_rng(shape[0] * 1000 + shape[1] + level)
    pixels = rng.integers(0, 256, size=(*shape, 4), dtype=np.uint8)
    png = encode_png(pixels, level)
    assert np.array_equal(decoded(png), pixels)
    # matplotlib reads it too (as floats in [0, 1])
    assert np.array_equal((imread(io.BytesIO(png), format="png") * 255).round(), pixels)


def test_a_non_contiguous_view_is_encoded_as_its_values():
    pixels = np.arange(6 * 8 * 4, dtype=np.uint8).reshape(6, 8, 4)[::2, 1::3]
    assert np.array_equal(decoded(encode_png(pixels)), pixels)


def test_an_app_frame_at_ratio_2_decodes_to_the_agg_pixels_and_is_compact():
    app = W.RegularizationApp(backend="agg")
    app.figure.set_dpi(200)
    FigureCanvasAgg.draw(app.figure.canvas)
    pixels = np.asarray(app.figure.canvas.buffer_rgba())
    png = encode_png(pixels)
    assert np.array_equal(decoded(png), pixels)
    assert len(png) < pixels.nbytes / 20  # mostly flat colour: zlib alone does the work
    app.close()


def test_the_file_is_a_well_formed_png():
    png = encode_png(np.zeros((2, 3, 4), np.uint8))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, kinds = 8, []
    while pos < len(png):  # every chunk: length, type, data, CRC of type + data
        length = int.from_bytes(png[pos : pos + 4], "big")
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        crc = int.from_bytes(png[pos + 8 + length : pos + 12 + length], "big")
        assert crc == zlib.crc32(kind + data)
        kinds.append(kind)
        pos += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]
    rows = zlib.decompress(png[8 + 25 + 8 : -12 - 4])
    assert len(rows) == 2 * (1 + 3 * 4) and rows[0] == rows[13] == 0  # filter 0 on every row


@pytest.mark.parametrize(
    ("rgba", "level", "message"),
    [
        (np.zeros((2, 3, 4), np.float64), 1, "uint8"),
        ([[0, 0, 0, 0]], 1, "uint8"),
        (np.zeros((2, 3, 3), np.uint8), 1, r"\(height, width, 4\)"),
        (np.zeros((0, 3, 4), np.uint8), 1, r"\(height, width, 4\)"),
        (np.zeros((2, 3, 4), np.uint8), 10, "level"),
        (np.zeros((2, 3, 4), np.uint8), 1.0, "level"),
    ],
)
def test_bad_input_names_the_argument(rgba, level, message):
    with pytest.raises(ValueError, match=message):
        encode_png(rgba, level)
