"""What one student's kernel holds after a notebook: RSS and USS per stage, and what holds it.

Starts a real IPython kernel (this Python, working directory and ``PYTHONPATH`` = this
checkout, so the checkout's ``lecture_utils`` is imported) through jupyter_client, and measures
its memory with psutil at four stages:

a. ``bare``: the kernel started, nothing run;
b. ``imports``: after the notebook's first code cell (notebook 07: ``%matplotlib inline`` and
   the imports of numpy, pyplot, lecture_utils and its widgets);
c. ``notebook``: after every further code cell, executed in order through the kernel protocol
   (``execute_request``, as nbclient does); then, as a browser does when it shows the apps,
   each ipympl canvas is told ``initialized`` (at ``--dpr``) and its ``draw`` requests are
   answered until the first frames arrived;
d. ``gc``: after ``gc.collect()`` in the kernel;
e. ``trim``: after glibc's ``malloc_trim(0)`` (what the allocator keeps but does not use).

RSS counts every page the kernel has in memory, shared libraries included; USS only the pages
no other process shares (what one more student costs on a server). Each stage is the median
of ``--runs`` fresh kernels (3). ``--env NAME=VALUE`` (repeatable) runs the kernels with extra
environment variables, as a deployment could set (``MALLOC_ARENA_MAX=2``,
``OPENBLAS_NUM_THREADS=1`` ...). ``--profile`` adds one more kernel that explains stage (c):
the modules imported per top-level package, tracemalloc's largest allocations by file and by
line (traced from stage a, so the import and notebook allocations are all seen), the figures
alive and their pixel buffers, and glibc's malloc statistics. ``--moves N`` adds a leak check
to the first kernel: its RSS while the gradient-descent app's step-size slider is moved N
times, each move waiting for the app's new frame (in its Image, which a browser shows).

Bounded: every kernel is shut down (killed if it does not stop) after its run, on errors and
on Ctrl-C; a cell running longer than ``--timeout`` seconds aborts the run.

    python benchmarks/kernel_memory.py                          # notebook 07, 3 kernels
    python benchmarks/kernel_memory.py --env MALLOC_ARENA_MAX=2 --runs 3
    python benchmarks/kernel_memory.py --runs 1 --profile
    python benchmarks/kernel_memory.py --runs 1 --moves 1000   # leak check
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import sys
import time
from pathlib import Path

import psutil
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "07_gradient_descent_and_sgd.ipynb"
MIB = 2**20
STAGES = ("bare", "imports", "notebook", "gc", "trim")

GC = "import gc as _gc; _gc.collect(); del _gc"
TRIM = "import ctypes as _c; _c.CDLL('libc.so.6').malloc_trim(0); del _c"
TRACE_START = "import tracemalloc as _tm, sys as _sys; _tm.start(1); _m0 = set(_sys.modules)"

# Run in the profiled kernel after stage (c); prints one JSON line.
PROFILE = r"""
def _profile():
    import collections, ctypes, gc, json, sys, tracemalloc
    import numpy as np
    from matplotlib.figure import Figure

    out = {}
    new = sorted(set(sys.modules) - _m0)
    tops = collections.Counter(m.split(".")[0] for m in new)
    out["modules_total"] = len(sys.modules)
    out["modules_new_by_package"] = tops.most_common(40)
    snap = tracemalloc.take_snapshot()
    out["traced_mib"] = sum(s.size for s in snap.statistics("filename")) / 2**20
    def pkg(name):
        for key in ("site-packages/", "lib/python3", "lecture_utils/"):
            if key in name:
                tail = name.split(key, 1)[1]
                return ("lecture_utils/" if key == "lecture_utils/" else "") + tail.split("/")[0]
        return name
    by_pkg = collections.Counter()
    for s in snap.statistics("filename"):
        by_pkg[pkg(s.traceback[0].filename)] += s.size
    out["traced_by_package"] = [(k, v / 2**20) for k, v in by_pkg.most_common(25)]
    out["traced_by_line"] = [
        (f"{s.traceback[0].filename.split('site-packages/')[-1]}:{s.traceback[0].lineno}",
         s.size / 2**20, s.count)
        for s in snap.statistics("lineno")[:30]
    ]
    diff = snap.compare_to(_s1, "lineno")
    out["traced_since_imports_mib"] = sum(d.size_diff for d in diff) / 2**20
    out["since_imports_by_line"] = [
        (f"{d.traceback[0].filename.split('site-packages/')[-1]}:{d.traceback[0].lineno}",
         d.size_diff / 2**20, d.count_diff)
        for d in diff[:25]
    ]
    figs = [o for o in gc.get_objects() if isinstance(o, Figure)]
    rows = []
    for f in figs:
        c = f.canvas
        r = getattr(c, "_lastKey", None)
        renderer = getattr(c, "renderer", None)
        buf = renderer.buffer_rgba() if renderer is not None else None
        last = getattr(c, "_last_buff", None)
        static = [getattr(a, "_static", None) for a in f.axes]
        rows.append({
            "canvas": type(c).__name__,
            "size_px": [int(v) for v in f.bbox.size],
            "dpr": getattr(c, "device_pixel_ratio", 1),
            "agg_buffer_mib": (memoryview(buf).nbytes / 2**20) if buf is not None else 0,
            "last_buff_mib": (last.nbytes / 2**20) if isinstance(last, np.ndarray) else 0,
            "n_artists": sum(len(a.get_children()) for a in f.axes),
        })
    out["figures"] = rows
    try:
        import matplotlib.pyplot as plt
        out["pyplot_figures"] = plt.get_fignums()
    except Exception as e:  # noqa: BLE001
        out["pyplot_figures"] = repr(e)
    from lecture_utils.widgets._static import StaticLayer
    layers = [o for o in gc.get_objects() if isinstance(o, StaticLayer)]
    out["static_layers_mib"] = [
        (o._pixels.nbytes / 2**20) if getattr(o, "_pixels", None) is not None else 0
        for o in layers
    ]
    class M(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = M
    m = libc.mallinfo2()
    out["malloc_mib"] = {"heap (arena)": m.arena / 2**20, "in use": m.uordblks / 2**20,
                         "free in heap": m.fordblks / 2**20, "mmapped": m.hblkhd / 2**20}
    import matplotlib.font_manager as fm
    out["font_cache"] = {
        "ft2font objects": fm.get_font.cache_info().currsize
        if hasattr(fm.get_font, "cache_info") else None,
        "_get_font": fm._get_font.cache_info().currsize
        if hasattr(fm._get_font, "cache_info") else None,
    }
    user = {k: type(v).__name__ for k, v in get_ipython().user_ns.items()
            if not k.startswith("_") and k not in ("In", "Out", "exit", "quit", "get_ipython")}
    out["user_variables"] = len(user)
    out["out_cache"] = len(get_ipython().user_ns.get("Out", {}))
    print("PROFILE" + json.dumps(out))
_profile()
del _profile
"""


class Kernel:
    """One kernel started from this checkout, driven like a notebook front-end."""

    def __init__(self, env: dict[str, str], timeout: float, dpr: float) -> None:
        self.timeout = timeout
        self.dpr = dpr
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(ROOT), env=full_env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.proc = psutil.Process(self.km.provisioner.process.pid)
        self.canvases: dict[str, bool] = {}  # comm id -> a frame has arrived
        self.sliders: dict[str, dict] = {}  # comm id -> state of a float slider at comm_open
        self.images: set[str] = set()  # comm ids of the apps' Images
        self.frames = 0  # frames received: canvas frames and new Image pictures
        self.errors: list[str] = []

    def memory(self) -> tuple[float, float, float]:
        """(RSS, USS, anonymous) of the kernel and its children, MiB.

        Anonymous: the heap and other memory not backed by a file (Python objects, arrays,
        pixel buffers); the rest of RSS is code and data of the libraries and modules.
        """
        procs = [self.proc, *self.proc.children(recursive=True)]
        full = [p.memory_full_info() for p in procs]
        anon = 0
        for p in procs:
            rollup = Path(f"/proc/{p.pid}/smaps_rollup")
            for line in rollup.read_text().splitlines() if rollup.exists() else []:
                if line.startswith("Anonymous:"):
                    anon += int(line.split()[1]) * 1024
        return sum(f.rss for f in full) / MIB, sum(f.uss for f in full) / MIB, anon / MIB

    def _comm(self, comm_id: str, content: dict) -> None:
        data = {"method": "custom", "content": content}
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.kc.shell_channel.send(msg)

    def _handle(self, msg: dict, out: list[str]) -> None:
        kind = msg["header"]["msg_type"]
        content = msg["content"]
        if kind == "comm_open":
            state = content.get("data", {}).get("state", {})
            if state.get("_model_name") == "MPLCanvasModel":
                self.canvases[content["comm_id"]] = False
            elif state.get("_model_name") == "ImageModel":
                self.images.add(content["comm_id"])
            elif state.get("_model_name") in ("FloatSliderModel", "FloatLogSliderModel"):
                self.sliders[content["comm_id"]] = state
        elif kind == "comm_msg" and content["comm_id"] in self.canvases:
            data = content.get("data", {})
            if data.get("method") == "custom":
                inner = json.loads(data.get("content", {}).get("data", "{}"))
                if inner.get("type") == "draw":  # ipympl asks: draw now? a browser says yes
                    self._comm(content["comm_id"], {"type": "draw"})
                elif inner.get("type") == "binary":
                    self.canvases[content["comm_id"]] = True
                    self.frames += 1
        elif kind == "comm_msg" and content["comm_id"] in self.images:
            data = content.get("data", {})
            if data.get("method") == "update" and ["value"] in data.get("buffer_paths", []):
                self.frames += 1  # a new picture in an app's Image (where a browser shows it)
        elif kind == "stream":
            out.append(content["text"])
        elif kind == "error":
            self.errors.append(f"{content['ename']}: {content['evalue']}")

    def execute(self, code: str) -> str:
        """Run ``code`` as a cell; return its printed output. Raises on an error."""
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False)
        out: list[str] = []
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise TimeoutError(
                    f"cell ran longer than {self.timeout} s: {code[:60]!r}"
                ) from None
            self._handle(msg, out)
            if (
                msg["header"]["msg_type"] == "status"
                and msg["parent_header"].get("msg_id") == msg_id
                and msg["content"]["execution_state"] == "idle"
            ):
                break
        if self.errors:
            raise RuntimeError(f"cell failed: {self.errors[0]}\n{code[:200]}")
        return "".join(out)

    def show_canvases(self, wait: float = 30) -> None:
        """Announce every canvas as a browser does and wait for each one's first frame."""
        for comm_id in self.canvases:
            if self.dpr != 1:
                self._comm(
                    comm_id, {"type": "set_device_pixel_ratio", "device_pixel_ratio": self.dpr}
                )
            self._comm(comm_id, {"type": "initialized"})
            self._comm(comm_id, {"type": "send_image_mode"})
            self._comm(comm_id, {"type": "refresh"})
        deadline = time.monotonic() + wait
        out: list[str] = []
        while not all(self.canvases.values()) and time.monotonic() < deadline:
            try:
                self._handle(self.kc.get_iopub_msg(timeout=0.5), out)
            except queue.Empty:
                pass
        self.execute("pass")  # every message handled

    def move_slider(self, hint: str, moves: int, every: int) -> list[tuple[int, float]]:
        """Move the first float slider whose description holds ``hint`` ``moves`` times.

        Each move is sent as a browser sends it (a comm ``update`` of the value, never the
        value already set) and waits for the app's new frame. Returns (moves done, RSS MiB)
        every ``every`` moves, from 0.
        """
        comm_id, state = next(
            (c, s) for c, s in self.sliders.items() if hint in s.get("description", "").lower()
        )
        lo, hi = state["min"], state["max"]
        values = [lo + (hi - lo) * k / 7 for k in range(8)]
        if state["_model_name"] == "FloatLogSliderModel":
            values = [state.get("base", 10) ** e for e in values]
        samples = [(0, self.memory()[0])]
        out: list[str] = []
        for move in range(1, moves + 1):
            data = {"method": "update", "state": {"value": values[move % 8]}, "buffer_paths": []}
            frames = self.frames
            self.kc.shell_channel.send(
                self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
            )
            deadline = time.monotonic() + 60
            while self.frames == frames:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no frame 60 s after slider move {move}")
                try:
                    self._handle(self.kc.get_iopub_msg(timeout=1), out)
                except queue.Empty:
                    pass
            if move % every == 0:
                samples.append((move, self.memory()[0]))
        return samples

    def stop(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=False)
        except Exception:  # noqa: BLE001 - make sure it is gone
            pass
        finally:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=True)


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def one_run(args: argparse.Namespace, env: dict[str, str], profile: bool, moves: int = 0) -> dict:
    cells = code_cells(args.notebook)
    k = Kernel(env, args.timeout, args.dpr)
    try:
        k.execute("pass")
        if profile:
            k.execute(TRACE_START)
        time.sleep(args.settle)
        mem = {"bare": k.memory()}
        k.execute(cells[0])
        time.sleep(args.settle)
        mem["imports"] = k.memory()
        if profile:
            k.execute("_s1 = _tm.take_snapshot()")
        where = k.execute("import lecture_utils as _lu; print(_lu.__file__); del _lu").strip()
        if not where.startswith(str(ROOT)):
            raise RuntimeError(f"the kernel imports lecture_utils from {where}, not {ROOT}")
        start = time.perf_counter()
        for cell in cells[1:]:
            k.execute(cell)
        if not args.no_frontend:
            k.show_canvases()
        run_s = time.perf_counter() - start
        time.sleep(args.settle)
        mem["notebook"] = k.memory()
        k.execute(GC)
        mem["gc"] = k.memory()
        detail = json.loads(k.execute(PROFILE).split("PROFILE", 1)[1]) if profile else None
        k.execute(TRIM)
        mem["trim"] = k.memory()
        leak = k.move_slider("step", moves, max(moves // 10, 1)) if moves else None
        return {
            "mem": mem,
            "run_s": run_s,
            "frames": sum(k.canvases.values()),
            "profile": detail,
            "leak": leak,
        }
    finally:
        k.stop()


def print_profile(p: dict) -> None:
    print("\nWhat stage (c) holds (profiled kernel; tracemalloc from stage a on)")
    print(f"  modules: {p['modules_total']} in sys.modules; new since bare, by package:")
    print("   ", ", ".join(f"{k} {n}" for k, n in p["modules_new_by_package"]))
    print(f"  traced Python allocations alive: {p['traced_mib']:.1f} MiB; by package:")
    for k, v in p["traced_by_package"]:
        print(f"    {v:7.2f} MiB  {k}")
    print("  largest allocation sites:")
    for where, v, n in p["traced_by_line"]:
        print(f"    {v:7.2f} MiB  {n:7d} blocks  {where}")
    print(
        f"  traced since stage b (the notebook's cells): {p['traced_since_imports_mib']:.1f}"
        " MiB; largest sites:"
    )
    for where, v, n in p["since_imports_by_line"]:
        print(f"    {v:7.2f} MiB  {n:7d} blocks  {where}")
    print(f"  figures alive: {len(p['figures'])} (pyplot's: {p['pyplot_figures']})")
    for f in p["figures"]:
        print(
            f"    {f['canvas']:<18} {f['size_px'][0]:>5.0f}x{f['size_px'][1]:<5.0f} dpr {f['dpr']}"
            f"  Agg buffer {f['agg_buffer_mib']:.2f} MiB  _last_buff {f['last_buff_mib']:.2f} MiB"
            f"  {f['n_artists']} artists"
        )
    print(f"  StaticLayer pixel copies (MiB): {[round(v, 2) for v in p['static_layers_mib']]}")
    print("  malloc (glibc mallinfo2, MiB):", {k: round(v, 1) for k, v in p["malloc_mib"].items()})
    print(
        f"  font caches: {p['font_cache']}; user variables {p['user_variables']}, "
        f"Out entries {p['out_cache']}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notebook", type=Path, default=NOTEBOOK)
    ap.add_argument("--runs", type=int, default=3, help="fresh kernels per setting (median)")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--profile", action="store_true", help="one more kernel: what (c) holds")
    ap.add_argument("--dpr", type=float, default=1.0, help="device pixel ratio the canvases get")
    ap.add_argument("--no-frontend", action="store_true", help="do not announce the canvases")
    ap.add_argument("--moves", type=int, default=0, help="leak check: slider moves (<= 5000)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per cell at most")
    ap.add_argument("--settle", type=float, default=0.5, help="seconds before each reading")
    args = ap.parse_args()
    if not 1 <= args.runs <= 10:
        ap.error("--runs must be 1 to 10")
    if not 0 <= args.moves <= 5000:
        ap.error("--moves must be 0 to 5000")
    env = dict(e.split("=", 1) for e in args.env)
    print(
        f"{args.notebook.name}, {args.runs} kernel(s), env {env or '-'}, dpr {args.dpr}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    runs = [
        one_run(args, env, profile=False, moves=args.moves if i == 0 else 0)
        for i in range(args.runs)
    ]
    print(
        f"{'stage':<10}{'RSS MiB':>9}{'USS MiB':>9}{'anon MiB':>10}"
        f"   (median of {len(runs)}; each run's RSS)"
    )
    for stage in STAGES:
        rss, uss, anon = (statistics.median(r["mem"][stage][i] for r in runs) for i in range(3))
        each = " ".join(f"{r['mem'][stage][0]:.1f}" for r in runs)
        print(f"{stage:<10}{rss:>9.1f}{uss:>9.1f}{anon:>10.1f}   {each}")
    print(
        f"notebook cells {statistics.median(r['run_s'] for r in runs):.1f} s; "
        f"frames received {runs[0]['frames']}"
    )
    if args.moves:
        leak = runs[0]["leak"]
        print(
            f"leak check (first kernel, after stage e): RSS over {args.moves} moves of the "
            "step-size slider, a new frame each:"
        )
        print("  " + ", ".join(f"{n}: {v:.1f}" for n, v in leak))
        print(
            f"  growth {leak[-1][1] - leak[0][1]:+.1f} MiB "
            f"(from move {leak[1][0]}: {leak[-1][1] - leak[1][1]:+.1f} MiB)"
        )
    if args.profile:
        print_profile(one_run(args, env, profile=True)["profile"])


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
