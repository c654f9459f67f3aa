"""Building an app must not change the pyplot backend a notebook chose."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_building_an_app_keeps_the_notebooks_backend():
    # A fresh interpreter: ipympl may already be imported in this one.
    code = textwrap.dedent(
        """
        import matplotlib
        matplotlib.use("module://matplotlib_inline.backend_inline")  # as %matplotlib inline
        import matplotlib.pyplot as plt
        from lecture_utils.widgets import HingeTableApp

        app = HingeTableApp()
        print(matplotlib.get_backend())
        print(type(app.figure.canvas).__module__)
        fig, ax = plt.subplots()
        print(type(fig.canvas).__module__)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "module://matplotlib_inline.backend_inline"
    assert out[1] == "ipympl.backend_nbagg"  # the app still draws live
    assert out[2] != "ipympl.backend_nbagg"  # later static figures stay PNGs
