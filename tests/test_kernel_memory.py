"""What a student's kernel holds: the memory cuts of benchmarks/kernel_memory.py stay cut.

- ``lecture_utils.widgets`` imports an app's module only when the app is used (a notebook
  showing two apps does not hold the other eight, nor contourpy), and ``lecture_utils.check``
  a check's module only when the check is used;
- the digits are cached as uint8 and handed out as the same float64/int64 arrays as before.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import numpy as np
import pytest

import lecture_utils.check as check
import lecture_utils.widgets as W
from lecture_utils import data


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_importing_the_widgets_imports_no_app_until_one_is_used():
    apps = {f"lecture_utils.widgets.{m}" for m in W._MODULE_OF.values()}
    loaded = _modules_after("import lecture_utils.widgets")
    assert not apps & loaded
    assert "contourpy" not in loaded  # only OptimizerPathsApp contours live
    loaded = _modules_after("from lecture_utils.widgets import GradientDescentApp, SGDApp")
    assert apps & loaded == {"lecture_utils.widgets.descent"}


@pytest.mark.parametrize("name", W.__all__)
def test_every_app_name_resolves_to_the_class_of_its_module(name):
    cls = getattr(W, name)
    module = importlib.import_module(f"lecture_utils.widgets.{W._MODULE_OF[name]}")
    assert cls is getattr(module, name)
    assert issubclass(cls, W.App)
    assert name in dir(W)


def test_the_lazy_names_are_exactly_the_exported_apps():
    assert sorted(W._MODULE_OF) == sorted(W.__all__)
    namespace: dict = {}
    exec("from lecture_utils.widgets import *", namespace)
    assert {n for n in namespace if not n.startswith("__")} == set(W.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchApp'"):
        W.NoSuchApp  # noqa: B018


def test_importing_the_checks_imports_only_the_checks_used():
    modules = {f"lecture_utils.check.{m}" for m in check._MODULE_OF.values()}
    loaded = _modules_after("from lecture_utils import check")
    assert not modules & loaded
    loaded = _modules_after("from lecture_utils import check\ncheck.sgd_step")
    assert "lecture_utils.check._gradients" in loaded
    assert "lecture_utils.check._softmax" not in loaded


@pytest.mark.parametrize("name", check.__all__)
def test_every_check_name_resolves_to_its_module(name):
    module = importlib.import_module(f"lecture_utils.check.{check._MODULE_OF[name]}")
    assert getattr(check, name) is getattr(module, name)
    assert name in dir(check)


def test_the_lazy_check_names_are_exactly_the_exported_ones():
    assert sorted(check._MODULE_OF) == sorted(check.__all__)
    namespace: dict = {}
    exec("from lecture_utils.check import *", namespace)
    assert {n for n in namespace if not n.startswith("__")} == set(check.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_check'"):
        check.no_such_check  # noqa: B018


def test_digits_are_cached_compact_and_returned_as_fresh_float_arrays():
    cached_X, cached_y = data._read_digits()
    assert cached_X.dtype == np.uint8 and cached_y.dtype == np.uint8
    assert not cached_X.flags.writeable
    X, y = data.load_digits()
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.flags.writeable and X.flags.c_contiguous
    assert X.min() == 0.0 and X.max() == 16.0 and set(np.unique(y)) == set(range(10))
    np.testing.assert_array_equal(X, cached_X)
    X[0, 0] = -1.0  # the caller's copy: the next call is unchanged
    assert data.load_digits()[0][0, 0] == cached_X[0, 0]
