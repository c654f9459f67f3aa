"""PNG frames for the live apps: the pixels as they are, compressed once by zlib.

The idea: a PNG file is a signature and three chunks, ``IHDR`` (width, height, 8-bit RGBA),
``IDAT`` (the pixel rows, each prefixed by a one-byte *filter* type, compressed with zlib) and
``IEND``; every chunk is its length, its 4-letter type, its data and a CRC-32 of type + data.
That is all this module writes.

Why not Pillow (what ``matplotlib.image.imsave`` and matplotlib's web backend use)? Pillow
chooses a filter per row (trying several, for smaller files) before zlib; on a frame of
an app that is as much work as zlib itself. An app's frame is mostly flat colour, or in
ipympl's "diff" frames mostly transparent zeros, which zlib compresses well without any
filter. Rows with filter 0 ("None") and zlib level 1 encode a frame at device pixel ratio 2
in about half Pillow's time at the same level (``benchmarks/bench_widgets.py --frame-cost``);
the file is about as large, and decodes to exactly the same pixels (tested).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

__all__ = ["encode_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: bit depth 8, colour type 6 (RGBA), compression 0 (deflate), filter method 0, no interlace
_RGBA8 = (8, 6, 0, 0, 0)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_png(rgba: np.ndarray, level: int = 1) -> bytes:
    """Encode an RGBA image as PNG: rows unfiltered, zlib at ``level``.

    Parameters
    ----------
    rgba : ndarray of uint8, shape (height, width, 4)
        The pixels, e.g. ``np.asarray(canvas.buffer_rgba())`` of an Agg canvas.
    level : int, default 1
        zlib level, 0 (store) to 9 (smallest, slowest).

    Returns
    -------
    bytes
        A PNG of the same pixels.

    Raises
    ------
    ValueError
        If ``rgba`` is not a non-empty uint8 array of shape (height, width, 4), or ``level`` is
        not in 0..9.

    Examples
    --------
    >>> import io
    >>> from matplotlib.image import imread
    >>> pixels = np.zeros((2, 3, 4), np.uint8); pixels[0, 1] = (255, 0, 0, 255)
    >>> png = encode_png(pixels)
    >>> png[:8] == _SIGNATURE
    True
    >>> decoded = imread(io.BytesIO(png), format="png")  # floats in [0, 1]
    >>> (decoded * 255).round().astype(np.uint8).tolist() == pixels.tolist()
    True
    """
    if not isinstance(rgba, np.ndarray) or rgba.dtype != np.uint8:
        raise ValueError(f"rgba must be a uint8 array, got {getattr(rgba, 'dtype', type(rgba))}")
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.shape[0] == 0 or rgba.shape[1] == 0:
        raise ValueError(f"rgba must have shape (height, width, 4), got {rgba.shape}")
    if not (isinstance(level, int) and 0 <= level <= 9):
        raise ValueError(f"level must be an int in 0..9, got {level!r}")
    height, width, _ = rgba.shape
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 0  # filter type 0 ("None") for every row
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    header = struct.pack(">II5B", width, height, *_RGBA8)
    return (
        _SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, level))
        + _chunk(b"IEND", b"")
    )
