"""The static pixel layer: artists that never change, rendered once and pasted as pixels.

Why this is its own concern: an app must redraw its whole figure within about 40 ms of a slider
move, and most of a frame's time goes to things that never change (tick labels, titles, axes
backgrounds: text is the slowest thing matplotlib draws). :class:`StaticLayer` takes those
artists out of the normal draw and pastes a pre-rendered buffer instead, so the picture is the
same pixels, only faster. Apps use it through ``App._bake`` (see :mod:`._app`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure

__all__ = ["StaticLayer"]


class StaticLayer(Artist):
    """Artists that never change, rendered once and pasted as pixels on every draw.

    Text is the slowest thing matplotlib draws (each glyph is rasterized again on every
    draw: about 0.15 ms a glyph here), and tick labels are text. The artists given here
    (axes give their background patch and both axes' ticks and labels) are hidden from the
    normal draw; this layer, drawn first (above the figure's background only), renders them
    once into a private Agg buffer of the renderer's size and dpi and pastes that buffer on
    each draw. A buffer is rendered for each size and dpi (HiDPI screens, ``savefig(dpi=...)``;
    the two latest are kept) and again when one of the artists changed (``stale``). On non-Agg
    renderers (PDF, SVG) the artists are drawn normally.

    Everything in the layer ends up *below* every other artist, so give it only what lies
    underneath the changing artists: axes backgrounds, tick labels, fixed texts and
    reference lines, fixed data points under nothing.

    An artist that changes now and then (an axis whose limit follows a slider) can be given
    as ``volatile``: it is drawn after the other members, onto a copy of their pixels, so
    when it changes only it is rendered again. It must not overlap any other member drawn
    after it in the normal order (the pixels would differ; the apps' tests compare them).
    """

    def __init__(
        self, figure: Figure, items: Sequence[Artist | Axes], volatile: Sequence[Artist] = ()
    ) -> None:
        super().__init__()
        self.set_figure(figure)
        self.set_zorder(-1e9)
        self.members: list[Artist] = []
        self._owner: dict[int, Axes | None] = {}  # the axes each member is drawn with
        for item in [*items, *volatile]:
            if isinstance(item, Axes):
                for m in (item.patch, item.xaxis, item.yaxis):
                    self.members.append(m)
                    self._owner[id(m)] = item
            else:
                self.members.append(item)
                # an axes' background patch does not know its axes (its .axes is None)
                owner = item.axes or next((ax for ax in figure.axes if ax.patch is item), None)
                self._owner[id(item)] = owner
        self.volatile = list(volatile)
        self._volatile_ids = {id(v) for v in self.volatile}
        owners = set(map(id, self._owner.values()))
        self.axes_order = [ax for ax in figure.axes if id(ax) in owners]
        self._shown = [m.get_visible() for m in self.members]
        for m in self.members:
            m.set_visible(False)
            m.stale = False
        # pixels per (width, height, dpi): a high-density screen alternates two sizes (drafts
        # at ratio 1 while a control moves, then the sharp frame: see widgets._renderer).
        # With volatile members, also the pixels of the other members alone (_base).
        self._pixels: dict[tuple[float, float, float], np.ndarray] = {}
        self._base: dict[tuple[float, float, float], np.ndarray] = {}
        # the sizes whose _pixels are current: after a volatile member changed, its buffers
        # are rendered again in place (no new allocation each time a slider moves)
        self._current: set[tuple[float, float, float]] = set()

    def _in_drawing_order(self) -> list[Artist]:
        def order(m: Artist) -> tuple[int, int, float]:
            ax = self._owner[id(m)]
            if ax is None:  # figure-level artists come after the axes
                return (len(self.axes_order), 1, m.get_zorder())
            return (self.axes_order.index(ax), 0 if m is ax.patch else 1, m.get_zorder())

        shown = [m for m, v in zip(self.members, self._shown, strict=True) if v]
        # the volatile ones last (drawn onto the others' pixels)
        return sorted(shown, key=lambda m: (id(m) in self._volatile_ids, order(m)))

    def _draw_members(self, renderer: Any, volatile: bool | None = None) -> None:
        """Draw the shown members in order (only the volatile ones, or only the others)."""
        for m in self._in_drawing_order():
            if volatile is not None and (id(m) in self._volatile_ids) != volatile:
                continue
            m.set_visible(True)
            try:
                m.draw(renderer)
            finally:
                m.set_visible(False)
                m.stale = False

    def invalidate(self) -> None:
        """Render the layer again at the next draw (after changing one of its artists)."""
        self._pixels.clear()
        self._base.clear()
        self._current.clear()

    def draw(self, renderer: Any) -> None:
        if not isinstance(renderer, RendererAgg):
            self._draw_members(renderer)
            return
        for ax in self.axes_order:  # settle pending autoscaling first, as Axes.draw would
            ax.viewLim  # noqa: B018 (the property brings the view limits up to date)
            ax.apply_aspect()
        key = (renderer.width, renderer.height, renderer.dpi)
        if any(m.stale for m in self.members if id(m) not in self._volatile_ids):
            self.invalidate()
        elif any(m.stale for m in self.volatile):
            self._current.clear()  # the other members' pixels (_base) still hold
        if key not in self._current:
            private = RendererAgg(renderer.width, renderer.height, renderer.dpi)
            if not self.volatile:
                self.figure.patch.draw(private)  # opaque background: pasted pixels are exact
                self._draw_members(private)
            else:
                if key not in self._base:
                    self.figure.patch.draw(private)
                    self._draw_members(private, volatile=False)
                    _keep_two(self._base)[key] = np.asarray(private.buffer_rgba()).copy()
                else:  # an opaque paste of the others' pixels, then the volatile members
                    _paste(private, self._base[key])
                self._draw_members(private, volatile=True)
            pixels = np.asarray(private.buffer_rgba())
            if key in self._pixels:
                np.copyto(self._pixels[key], pixels)
            else:
                _keep_two(self._pixels)[key] = pixels.copy()
                self._current &= self._pixels.keys()
            self._current.add(key)
        _paste(renderer, self._pixels[key])
        self.stale = False


def _keep_two(cache: dict) -> dict:
    """Make room for one more size: keep the latest two (drafts and sharp frames)."""
    if len(cache) >= 2:
        del cache[next(iter(cache))]
    return cache


def _paste(renderer: RendererAgg, pixels: np.ndarray) -> None:
    """Paste opaque RGBA ``pixels`` (rows top to bottom) over the whole renderer."""
    gc = renderer.new_gc()
    renderer.draw_image(gc, 0, 0, pixels[::-1])
    gc.restore()
