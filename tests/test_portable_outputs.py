"""Stored notebook outputs hold under a second BLAS configuration.

`make test` runs nbval on every English notebook in the environment as it is. A learner's laptop
computes with another BLAS (Accelerate, MKL, another OpenBLAS kernel) and another number of
threads, which changes every result at round-off level. So no stored output may print a digit
at that level: each notebook rounds such numbers or states a bound (``< 1e-6``). This test
proves it by running nbval with OpenBLAS forced onto another kernel and one thread, in a
subprocess (OpenBLAS reads these variables once, when numpy loads it).

The notebooks it runs are the Korean edition (``notebooks/ko/``), whose only nbval run this is:
its code cells are the English code cells (``tests/test_korean_edition.py`` checks that), so
the English edition under the default configuration (`make test`'s nbval step) and the Korean
edition under the second one cover the same code under both BLAS kernels, each edition's stored
outputs are checked once, and the suite pays for two nbval runs of the ten notebooks, as
before the Korean edition existed. Where there is no Korean edition yet, the English notebooks
are run here instead.

The second configuration is ``OPENBLAS_CORETYPE=Haswell`` with ``OPENBLAS_NUM_THREADS=1``.
Where the machine itself already sets ``OPENBLAS_CORETYPE`` (some machines must, because older
OpenBLAS builds misbehave on their processors), it is kept, never changed, and only the thread
count differs; the run as it is then covers that kernel and a machine without the variable
covers the default one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = sorted((ROOT / "notebooks").glob("*.ipynb"))
KOREAN = sorted((ROOT / "notebooks" / "ko").glob("*.ipynb"))
#: The Korean edition when it exists (its one nbval run), else the English notebooks.
NOTEBOOKS = KOREAN or ENGLISH
SANITIZE = ROOT / "notebooks" / "nbval_sanitize.cfg"


def second_blas_configuration(environ: dict[str, str]) -> dict[str, str]:
    """The environment for the second run: another OpenBLAS kernel (unless the machine fixes
    one) and one thread."""
    env = dict(environ)
    env.setdefault("OPENBLAS_CORETYPE", "Haswell")
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["OMP_NUM_THREADS"] = "1"
    return env


def test_the_korean_edition_has_its_nbval_run_here_and_not_in_make_test():
    # Each notebook runs once per configuration: the Korean edition here, the English one in
    # `make test`'s nbval step (which must not run notebooks/ko a second time).
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))" in makefile
    if ENGLISH:
        assert [p.name for p in KOREAN] == [p.name for p in ENGLISH], "run: make ko"
        assert NOTEBOOKS == KOREAN


def test_second_configuration_keeps_a_kernel_the_machine_sets():
    assert second_blas_configuration({})["OPENBLAS_CORETYPE"] == "Haswell"
    fixed = second_blas_configuration({"OPENBLAS_CORETYPE": "Zen", "OPENBLAS_L2_SIZE": "1"})
    assert fixed["OPENBLAS_CORETYPE"] == "Zen" and fixed["OPENBLAS_L2_SIZE"] == "1"
    assert fixed["OPENBLAS_NUM_THREADS"] == "1"


@pytest.mark.slow
@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")
def test_stored_outputs_hold_under_another_blas_kernel_and_thread_count():
    env = second_blas_configuration(dict(os.environ))
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(SANITIZE),
        *map(str, NOTEBOOKS),
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    assert done.returncode == 0, (
        f"nbval on {NOTEBOOKS[0].parent.relative_to(ROOT)}/ under "
        f"OPENBLAS_CORETYPE={env['OPENBLAS_CORETYPE']}, OPENBLAS_NUM_THREADS=1 "
        f"failed (exit {done.returncode}): a stored output depends on the BLAS kernel or the "
        "thread count; round it to stable digits or print a bound.\n"
        + "\n".join(failed)
        + "\n--- last lines of the run ---\n"
        + "\n".join(done.stdout.splitlines()[-60:])
        + done.stderr[-2000:]
    )
