"""A whole class at once: N simulated students on a local JupyterHub, measured.

Starts the one-server setup of ``deploy/jupyterhub_config.py`` for real, on 127.0.0.1 only,
with two benchmark-only changes (a throw-away config file that loads the deploy file first):
the dummy authenticator (any name, any password) and JupyterHub's
``SimpleLocalProcessSpawner`` (every student's server runs as the current Unix user, homes in a
temp dir). Each simulated student then, concurrently:

1. logs in through the hub's login form (``POST /hub/login``) and starts a server;
2. opens the notebook (07 by default: it is copied into the student's home, read through the
   contents API, and a kernel session is started for it);
3. runs it top to bottom through the real kernel protocol (Jupyter server websocket,
   ``execute_request`` per code cell);
4. moves an app's slider for ``--slider-seconds`` like a browser does. The simulated front-end
   first tells each app's ipympl canvas what ipympl's front-end tells it (the screen's device
   pixel ratio, ``--device-pixel-ratio``, then ``initialized``), so every app draws into its
   ``ipywidgets.Image``, as in a browser (``lecture_utils.widgets._renderer``). A move is a
   ``comm_msg`` ``update`` of the slider's value; the clock stops when the app's new Image
   value arrives. That is the slider round trip: change sent -> new frame received. At ratio 2
   that first frame is a draft at ratio 1 (the slider moves), and the time to the sharp frame
   that follows is reported as well.

It reports per student: server + kernel RSS (psutil), login-to-ready, run-all time and the
p50/p95/max of the slider round trip; then a leak check (kernel RSS over ``--leak-moves`` slider
moves of one student). ``uptime``'s load average is printed with every table: on a shared
machine the figures are only as good as the machine's idleness.

Needs the project's ``hub`` extra (``make install``) and configurable-http-proxy from npm; the
script runs ``npm install --prefix build/chp configurable-http-proxy@5.3.0`` when it is missing.
Every process it starts is stopped and the temp dir removed on exit, failure or Ctrl-C.

    python benchmarks/classroom_load.py                   # sweep N = 5, 10, 20, 40
    python benchmarks/classroom_load.py --students 20     # one class size (< 15 min on 2 cores)
    python benchmarks/classroom_load.py --students 2 --slider-seconds 10 --leak-moves 200
    python benchmarks/classroom_load.py --students 10 --device-pixel-ratio 2   # retina screens
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from _kernel_channel import KernelChannel
from _local_hub import ROOT, Hub, ensure_proxy, free_port, load_average, rss_mib, uss_mib
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

DEFAULT_NOTEBOOK = ROOT / "notebooks" / "07_gradient_descent_and_sgd.ipynb"
#: The app and slider moved by default: notebook 07's gradient-descent app, its step size.
SLIDER_HINT = "step"


# ---------------------------------------------------------------------------------------------
# A student
# ---------------------------------------------------------------------------------------------


@dataclass
class Student:
    name: str
    ready_s: float = float("nan")
    run_all_s: float = float("nan")
    round_trips: list[float] = field(default_factory=list)
    sharp_trips: list[float] = field(default_factory=list)  # ratio > 1: to the sharp frame
    rss_mib: float = float("nan")
    kernel_mib: float = float("nan")
    uss_mib: float = float("nan")  # unique to this student: what one more student costs
    error: str = ""


async def log_in_and_start(hub: Hub, name: str, timeout: float) -> float:
    admin = {"Authorization": f"token {hub.token}"}
    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=hub.url, timeout=60) as client:
        page = await client.get("/hub/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        form = {"username": name, "password": "class", **({"_xsrf": xsrf[1]} if xsrf else {})}
        done = await client.post("/hub/login", data=form)
        if done.status_code not in (200, 302):
            raise RuntimeError(f"login {done.status_code}: {done.text[:300]}")
        await client.post(f"/hub/api/users/{name}/server", headers=admin)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            user = (await client.get(f"/hub/api/users/{name}", headers=admin)).json()
            server = user.get("servers", {}).get("", {})
            if server.get("ready"):
                return time.perf_counter() - start
            await asyncio.sleep(0.5)
    raise TimeoutError(f"{name}'s server not ready after {timeout} s")


async def open_kernel(hub: Hub, name: str, notebook: str) -> KernelChannel:
    admin = {"Authorization": f"token {hub.token}"}
    base = f"/user/{name}/api"
    async with httpx.AsyncClient(base_url=hub.url, timeout=120, headers=admin) as client:
        (await client.get(f"{base}/contents/{notebook}")).raise_for_status()  # open it
        body = {"path": notebook, "type": "notebook", "name": notebook,
                "kernel": {"name": "python3"}}  # fmt: skip
        made = await client.post(f"{base}/sessions", json=body)
        made.raise_for_status()
        kernel_id = made.json()["kernel"]["id"]
    session = uuid.uuid4().hex
    url = f"ws://127.0.0.1:{hub.port}{base}/kernels/{kernel_id}/channels?session_id={session}"
    ws = await websocket_connect(HTTPRequest(url, headers=admin), max_message_size=2**28)
    return KernelChannel(ws, session)


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


async def move_slider(kernel: KernelChannel, moves: int, seconds: float, pause: float,
                      on_move=None, times: list[float] | None = None, ratio: float = 1.0,
                      sharp: list[float] | None = None) -> list[float]:  # fmt: skip
    """Move the app's slider; each move's time from update sent to the app's new frame.

    The times are appended to ``times`` as they come, so a class cut short keeps them. The
    front-end first reports the device pixel ratio ``ratio`` (the apps then draw into their
    Images); with ``ratio`` > 1 each move also waits for the moved app's sharp frame
    (``ratio`` times its Image's CSS width) after the draft, and appends that time to
    ``sharp``.
    """
    comm_id, values = kernel.slider(SLIDER_HINT)
    for canvas in kernel.canvases():  # a front-end that has displayed the canvas says so
        if ratio != 1:  # ipympl's front-end reports the screen's ratio before "initialized"
            await kernel.custom(
                canvas, {"type": "set_device_pixel_ratio", "device_pixel_ratio": ratio}
            )
        await kernel.custom(canvas, {"type": "initialized"})
    if kernel.canvases():  # every app switches to its Image and shows a sharp frame first
        waiting = set(kernel.images())
        while waiting:
            _, image, width = await asyncio.wait_for(kernel.frames.get(), 60)
            if image in waiting and width >= ratio * kernel.css_width(image) - 1:
                waiting.discard(image)
    await asyncio.sleep(1.0)
    while not kernel.frames.empty():
        kernel.frames.get_nowait()
    times = [] if times is None else times
    stop_at = time.monotonic() + seconds
    for k in range(moves):
        if time.monotonic() > stop_at:
            break
        sent = time.perf_counter()
        kernel.moves += 1  # never the value already set: each move must change the slider
        await kernel.set_value(comm_id, values[kernel.moves % len(values)])
        frame, image, width = await asyncio.wait_for(kernel.frames.get(), 60)
        times.append(frame - sent)
        if ratio > 1 and width is not None:
            full = ratio * kernel.css_width(image) - 1
            while width < full:  # a draft: wait for the same Image's sharp frame
                frame, shown, width = await asyncio.wait_for(kernel.frames.get(), 60)
                width = width if shown == image and width is not None else -1
            if sharp is not None:
                sharp.append(frame - sent)
        while not kernel.frames.empty():  # a second canvas redrawn by the same move
            kernel.frames.get_nowait()
        if on_move is not None:
            on_move(k)
        await asyncio.sleep(pause)
    return times


async def one_student(hub: Hub, student: Student, notebook: Path, args) -> KernelChannel | None:
    try:
        home = hub.workdir / "homes" / student.name
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(notebook, home / notebook.name)
        student.ready_s = await log_in_and_start(hub, student.name, args.start_timeout)
        kernel = await open_kernel(hub, student.name, notebook.name)
        start = time.perf_counter()
        for code in code_cells(notebook):
            await kernel.execute(code)
            if kernel.errors:
                raise RuntimeError(f"cell failed: {kernel.errors[0]}")
        student.run_all_s = time.perf_counter() - start
        await move_slider(
            kernel,
            args.max_moves,
            args.slider_seconds,
            args.pause,
            times=student.round_trips,
            ratio=args.device_pixel_ratio,
            sharp=student.sharp_trips,
        )
        return kernel
    except Exception as exc:  # a student's failure is reported, the class goes on
        student.error = f"{type(exc).__name__}: {exc}"[:300]
        return None


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_class(n: int, notebook: Path, args, workdir: Path) -> dict:
    hub = Hub(workdir / f"hub-{n}", free_port())
    try:
        hub.start()
        students = [Student(f"student{k:03d}") for k in range(n)]
        wall = time.perf_counter()
        tasks = [asyncio.ensure_future(one_student(hub, s, notebook, args)) for s in students]
        _, late = await asyncio.wait(tasks, timeout=args.class_timeout)
        for task, student in zip(tasks, students, strict=True):
            if task in late:  # the class ran out of time: report what the others did
                task.cancel()
                student.error = f"not finished within --class-timeout {args.class_timeout:.0f} s"
        await asyncio.gather(*late, return_exceptions=True)
        kernels = [None if t in late else t.result() for t in tasks]
        wall = time.perf_counter() - wall
        hub_mib = hub.own_rss_mib()
        for name, (server, children) in hub.server_processes().items():
            for s in students:
                if s.name == name:
                    s.kernel_mib = sum(rss_mib(p) for p in children)
                    s.rss_mib = rss_mib(server) + s.kernel_mib
                    s.uss_mib = sum(uss_mib(p) for p in [server, *children])
        leak = None
        if args.leak_moves and n == args.leak_class and kernels[0] is not None:
            leak = await asyncio.wait_for(
                leak_check(
                    hub, students[0].name, kernels[0], args.leak_moves, args.device_pixel_ratio
                ),
                args.leak_timeout,
            )
        for k in kernels:
            if k is not None:
                await k.close()
        if any(s.error for s in students):
            print(f"hub log (end):\n{hub.log_tail()}", file=sys.stderr)
        return {
            "n": n,
            "students": students,
            "wall": wall,
            "load": load_average(),
            "leak": leak,
            "hub_mib": hub_mib,
            "ratio": args.device_pixel_ratio,
        }
    finally:
        hub.stop()


async def leak_check(
    hub: Hub, name: str, kernel: KernelChannel, moves: int, ratio: float = 1.0
) -> list:
    """Kernel RSS (MiB) every 100 slider moves of one student, the others idle."""
    kernel_proc = hub.server_processes()[name][1]
    samples = [(0, sum(rss_mib(p) for p in kernel_proc))]

    def sample(k: int) -> None:
        if (k + 1) % 100 == 0:
            samples.append((k + 1, sum(rss_mib(p) for p in kernel_proc)))

    await move_slider(kernel, moves, float("inf"), 0.0, on_move=sample, ratio=ratio)
    return samples


def report(result: dict) -> None:
    students = result["students"]
    ok = [s for s in students if not s.error]
    print(f"\n== {result['n']} students ({len(ok)} completed) in {result['wall']:.0f} s; "
          f"device pixel ratio {result['ratio']:g}; {result['load']}")  # fmt: skip
    print(f"{'student':<11} {'MiB':>6} {'kernel':>6} {'USS':>6} {'ready s':>8} {'run-all s':>9} "
          f"{'moves':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")  # fmt: skip
    for s in students:
        rt = [t * 1e3 for t in s.round_trips]
        print(f"{s.name:<11} {s.rss_mib:6.0f} {s.kernel_mib:6.0f} {s.uss_mib:6.0f} "
              f"{s.ready_s:8.1f} "
              f"{s.run_all_s:9.1f} {len(rt):5d} {pct(rt, .5):7.0f} {pct(rt, .95):7.0f} "
              f"{max(rt, default=float('nan')):7.0f}"
              + (f"  {s.error}" if s.error else ""))  # fmt: skip
    every = [t * 1e3 for s in ok for t in s.round_trips]
    if ok:
        med = statistics.median
        print(f"{'all':<11} {med(s.rss_mib for s in ok):6.0f} {med(s.kernel_mib for s in ok):6.0f} "
              f"{med(s.uss_mib for s in ok):6.0f} "
              f"{med(s.ready_s for s in ok):8.1f} {med(s.run_all_s for s in ok):9.1f} "
              f"{len(every):5d} {pct(every, .5):7.0f} {pct(every, .95):7.0f} "
              f"{max(every, default=float('nan')):7.0f}"
              "   (medians per student; latency over all moves)")  # fmt: skip
    sharp = [t * 1e3 for s in ok for t in s.sharp_trips]
    if sharp:
        print(f"sharp frame (ratio {result['ratio']:g}): p50 {pct(sharp, .5):.0f} ms, "
              f"p95 {pct(sharp, .95):.0f} ms, max {max(sharp):.0f} ms over {len(sharp)} moves "
              "(the table's latency is to the first frame, a draft)")  # fmt: skip
    print(f"hub + proxy + idle culler: {result['hub_mib']:.0f} MiB RSS")
    if result["leak"]:
        first, last = result["leak"][0][1], result["leak"][-1][1]
        trail = ", ".join(f"{k}: {m:.0f}" for k, m in result["leak"])
        print(f"leak check, kernel RSS MiB after k slider moves: {trail} "
              f"(growth {last - first:+.1f} MiB)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--students",
        type=int,
        nargs="+",
        default=[5, 10, 20, 40],
        help="class sizes to run, one fresh hub each (default: 5 10 20 40)",
    )
    parser.add_argument("--notebook", type=Path, default=DEFAULT_NOTEBOOK)
    parser.add_argument(
        "--slider-seconds",
        type=float,
        default=30,
        help="how long each student moves the slider (default 30)",
    )
    parser.add_argument("--max-moves", type=int, default=300, help="per student (default 300)")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.2,
        help="seconds between a frame and the next move (default 0.2)",
    )
    parser.add_argument(
        "--leak-moves",
        type=int,
        default=1000,
        help="slider moves of the leak check, 0 to skip (default 1000)",
    )
    parser.add_argument(
        "--device-pixel-ratio",
        type=float,
        default=1.0,
        help="the screen the simulated front-ends report: 1, or e.g. 2 for retina (default 1)",
    )
    parser.add_argument("--start-timeout", type=float, default=300)
    parser.add_argument(
        "--class-timeout",
        type=float,
        default=600,
        help="a class size stops after this many seconds (default 600)",
    )
    parser.add_argument(
        "--leak-timeout",
        type=float,
        default=240,
        help="the leak check stops after this many seconds (default 240)",
    )
    args = parser.parse_args(argv)  # fmt: skip
    if any(n < 1 or n > 100 for n in args.students):
        parser.error("--students: each class size must be 1 to 100")
    if not 0 <= args.leak_moves <= 5000 or not 0 < args.slider_seconds <= 600:
        parser.error("--leak-moves: 0 to 5000; --slider-seconds: above 0, at most 600")
    if not 1 <= args.device_pixel_ratio <= 4:
        parser.error("--device-pixel-ratio: 1 to 4")
    if max(args.class_timeout, args.leak_timeout, args.start_timeout) > 1800:
        parser.error("timeouts: at most 1800 s each")
    args.leak_class = min(args.students)
    ensure_proxy()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    workdir = Path(tempfile.mkdtemp(prefix="classroom-load-"))
    try:
        print(f"{args.notebook.name}; {load_average()}")
        for n in args.students:
            report(asyncio.run(run_class(n, args.notebook.resolve(), args, workdir)))
    except KeyboardInterrupt:
        print("interrupted: stopping the hub and cleaning up", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
