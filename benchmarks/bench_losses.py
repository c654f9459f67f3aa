"""Benchmark the vectorized losses on CIFAR-10-sized synthetic data (run by hand).

    python benchmarks/bench_losses.py            # full size: N = 49,000, D = 3,073, C = 10
    python benchmarks/bench_losses.py --n 5000   # a quicker look

For float64 and float32 it prints:

* the time of ``svm_loss`` and ``softmax_loss`` (loss and gradient) as a ratio to the *floor*:
  the time of just the two matrix products any implementation needs, ``X @ W`` and
  ``X.T @ dS``. Target: ratio <= 0.9 (the fused pass reads X once per block instead of twice,
  so it can go below 1.0). The floor and both losses are timed *interleaved* (floor, svm,
  softmax, floor, ...; median of ``--repeats`` >= 7 rounds), so a change in the machine's load
  hits all three alike. This runs once per OpenBLAS kernel setting, each in its own process
  (OpenBLAS reads it at load time): ``OPENBLAS_CORETYPE`` unset (the CPU's own kernel) and
  ``=Haswell`` (what some machines of this class set). Also shown: the ratio to the
  *one-pass floor*, the time of one product with X alone (``X @ W`` or ``W.T @ X.T``,
  whichever is faster): reading X once from memory is the least any implementation must do,
  about half the two-GEMM floor or less;
* peak memory allocated beyond X itself (tracemalloc sees numpy's buffers), against the target
  1.5 * N * C * itemsize;
* the speedup of the vectorized functions over the naive loops at N = 500;
* if PyTorch happens to be installed, the ratio to ``multi_margin_loss`` / ``cross_entropy``
  with autograd on the same data and the same number of threads.

Data is synthetic (seeded): timings depend on the data's shape and dtype, not its content.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from lecture_utils.losses import softmax_loss, softmax_loss_naive, svm_loss, svm_loss_naive


def median_time(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``fn()`` over ``repeats`` runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_extra_bytes(fn: Callable[[], object]) -> int:
    """Peak bytes allocated while ``fn()`` runs (X and W are allocated before, so not counted)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def make_data(n: int, d: int, c: int, dtype: type, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d), dtype=np.float32).astype(dtype, copy=False)
    W = (rng.standard_normal((d, c)) * 1e-4).astype(dtype)
    y = rng.integers(0, c, size=n)
    dS = rng.standard_normal((n, c)).astype(dtype)
    return X, W, y, dS


def interleaved(n: int, d: int, c: int, repeats: int) -> dict[str, dict[str, float]]:
    """Median seconds of the floors and both losses, timed in alternation, per dtype."""
    out: dict[str, dict[str, float]] = {}
    for dtype in (np.float64, np.float32):
        X, W, y, dS = make_data(n, d, c, dtype)
        W_t = np.ascontiguousarray(W.T)  # (C, D)
        fns = {
            "floor": lambda X=X, W=W, dS=dS: (X @ W, X.T @ dS),
            "one_pass": lambda X=X, W=W: X @ W,
            # the same product class-major, as the fused pass computes it: faster here
            "one_pass_t": lambda X=X, W_t=W_t: W_t @ X.T,
            "svm": lambda X=X, W=W, y=y: svm_loss(W, X, y, 1e-3),
            "softmax": lambda X=X, W=W, y=y: softmax_loss(W, X, y, 1e-3),
        }
        times: dict[str, list[float]] = {k: [] for k in fns}
        for fn in fns.values():  # warm-up
            fn()
        for _ in range(repeats):
            for name, fn in fns.items():
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
        out[np.dtype(dtype).name] = {k: statistics.median(v) for k, v in times.items()}
        del X, dS
    return out


#: The OpenBLAS kernel settings compared (None: unset).
CORETYPES = (None, "Haswell")


def interleaved_per_coretype(args: argparse.Namespace) -> None:
    """Run :func:`interleaved` in a fresh process per ``OPENBLAS_CORETYPE`` and print ratios."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Interleaved, median of {args.repeats} rounds; load average {load:.2f}")
    header = (
        f"{'OPENBLAS_CORETYPE':18} {'dtype':8} {'function':8} {'time (s)':>9} {'floor (s)':>9} "
        f"{'ratio':>6} {'1-pass (s)':>10} {'/1-pass':>8}"
    )
    print(header)
    print("-" * len(header))
    for coretype in CORETYPES:
        env = dict(os.environ)
        env.pop("OPENBLAS_CORETYPE", None)
        if coretype:
            env["OPENBLAS_CORETYPE"] = coretype
        cmd = [sys.executable, __file__, "--child", "--n", str(args.n), "--d", str(args.d)]
        cmd += ["--c", str(args.c), "--repeats", str(args.repeats)]
        result = json.loads(subprocess.run(cmd, env=env, capture_output=True, check=True).stdout)
        for dtype, t in result.items():
            t["one_pass"] = min(t["one_pass"], t["one_pass_t"])  # the faster layout
            for name in ("svm", "softmax"):
                print(
                    f"{coretype or 'unset':18} {dtype:8} {name:8} {t[name]:9.4f} "
                    f"{t['floor']:9.4f} {t[name] / t['floor']:6.2f} {t['one_pass']:10.4f} "
                    f"{t[name] / t['one_pass']:8.2f}"
                )
    print()


def torch_times(X, W, y, repeats: int) -> dict[str, float] | None:
    """Median seconds of PyTorch's loss + autograd backward, or None without PyTorch."""
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None

    print(f"  (torch {torch.__version__}, {torch.get_num_threads()} threads)")
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def run(loss_fn):
        Wt = torch.from_numpy(W.copy()).requires_grad_(True)
        loss = loss_fn(Xt @ Wt, yt)
        loss.backward()
        return loss.item()

    return {
        "svm": median_time(lambda: run(F.multi_margin_loss), repeats),
        "softmax": median_time(lambda: run(F.cross_entropy), repeats),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=49_000)
    parser.add_argument("--d", type=int, default=3_073)
    parser.add_argument("--c", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    n, d, c = args.n, args.d, args.c
    if args.child:  # one OpenBLAS setting: print the interleaved medians as JSON
        print(json.dumps(interleaved(n, d, c, args.repeats)))
        return
    print(f"N = {n:,}, D = {d:,}, C = {c}; median of {args.repeats} runs\n")
    interleaved_per_coretype(args)
    print("Timed one after the other in this process (and extra memory):")
    header = (
        f"{'dtype':8} {'function':13} {'time (s)':>9} {'floor (s)':>9} {'ratio':>6} "
        f"{'extra MB':>9} {'target MB':>9}"
    )
    print(header)
    print("-" * len(header))
    ours: dict[tuple[str, str], float] = {}  # (dtype, loss) -> seconds, for the PyTorch ratio
    for dtype in (np.float64, np.float32):
        X, W, y, dS = make_data(n, d, c, dtype)
        floor = median_time(lambda X=X, W=W, dS=dS: (X @ W, X.T @ dS), args.repeats)
        target_mb = 1.5 * n * c * X.itemsize / 2**20
        for name, fn in (("svm_loss", svm_loss), ("softmax_loss", softmax_loss)):
            t = median_time(lambda fn=fn, X=X, W=W, y=y: fn(W, X, y, 1e-3), args.repeats)
            extra = peak_extra_bytes(lambda fn=fn, X=X, W=W, y=y: fn(W, X, y, 1e-3)) / 2**20
            ours[np.dtype(dtype).name, name.removesuffix("_loss")] = t
            print(
                f"{np.dtype(dtype).name:8} {name:13} {t:9.4f} {floor:9.4f} {t / floor:6.2f} "
                f"{extra:9.2f} {target_mb:9.2f}"
            )
        del X, dS

    print("\nNaive loops vs vectorized at N = 500:")
    Xs, Ws, ys, _ = make_data(500, d, c, np.float64)
    for naive, fast in ((svm_loss_naive, svm_loss), (softmax_loss_naive, softmax_loss)):
        t_naive = median_time(lambda naive=naive: naive(Ws, Xs, ys, 1e-3), 3)
        t_fast = median_time(lambda fast=fast: fast(Ws, Xs, ys, 1e-3), args.repeats)
        print(
            f"  {fast.__name__:13} naive {t_naive * 1e3:8.1f} ms, "
            f"vectorized {t_fast * 1e3:6.2f} ms, speedup {t_naive / t_fast:6.0f}x"
        )

    # Last: once PyTorch has run, its thread pool can disturb numpy timings in this process.
    print("\nPyTorch (multi_margin_loss / cross_entropy + backward, same data):")
    for dtype in (np.float64, np.float32):
        X, W, y, _ = make_data(n, d, c, dtype)
        ref = torch_times(X, W, y, args.repeats)
        if ref is None:
            print("  not installed: no comparison")
            break
        for name in ("svm", "softmax"):
            t_ours = ours[np.dtype(dtype).name, name]
            print(
                f"  {np.dtype(dtype).name:8} {name:8} torch {ref[name]:.4f} s, "
                f"ours / torch = {t_ours / ref[name]:.2f}"
            )
        del X


if __name__ == "__main__":
    main()
