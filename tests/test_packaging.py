"""The three dependency lists agree: pyproject.toml, environment.yml, constraints.txt.

pyproject.toml is the source of truth (pip and ``make``); environment.yml is the
conda / Binder route; constraints.txt pins exact versions so stored notebook
outputs are reproduced. A dependency added to one file and not the others fails
here, with the names to add.
"""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (pytest installs tomli there)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

#: conda-forge names that differ from the PyPI names in pyproject.toml.
CONDA_TO_PYPI = {"playwright-python": "playwright"}
#: conda entries that are not Python package dependencies of the project.
CONDA_ONLY = {"python", "pip"}
#: pip-section entries that install this checkout itself.
SELF_INSTALL = {"-e .", ".", "-e ./", "./"}


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def _environment() -> dict:
    with open(ROOT / "environment.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def _all_requirement_strings() -> list[str]:
    """The base dependencies plus every extra (``lab``, ``test``)."""
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    return project["dependencies"] + [r for name in sorted(extras) for r in extras[name]]


def _as_dict(requirements: list[str]) -> dict[str, SpecifierSet]:
    """Map canonical name -> version range for a list of PEP 508 strings."""
    out: dict[str, SpecifierSet] = {}
    for line in requirements:
        req = Requirement(line)
        out[canonicalize_name(req.name)] = req.specifier
    return out


def pyproject_requirements() -> dict[str, SpecifierSet]:
    """Runtime dependencies plus every extra of pyproject.toml."""
    return _as_dict(_all_requirement_strings())


def conda_entries() -> tuple[dict[str, SpecifierSet], list[str], str | None]:
    """Parse environment.yml.

    Returns
    -------
    requirements : dict
        PyPI name -> version range, from conda entries (names translated by
        ``CONDA_TO_PYPI``) and from the pip section (except the self-install).
    pip_section : list of str
        The raw pip-section lines.
    python : str or None
        The conda ``python`` version spec, e.g. ``">=3.10"``.
    """
    requirements: dict[str, SpecifierSet] = {}
    pip_section: list[str] = []
    python = None
    for entry in _environment()["dependencies"]:
        if isinstance(entry, dict):
            pip_section.extend(str(line).strip() for line in entry.get("pip", []))
            continue
        # conda MatchSpec "name>=1,<2" reads the same as PEP 508 for our use.
        req = Requirement(str(entry).replace(" ", ""))
        name = canonicalize_name(req.name)
        if name == "python":
            python = str(req.specifier)
        if name in CONDA_ONLY:
            continue
        requirements[canonicalize_name(CONDA_TO_PYPI.get(name, name))] = req.specifier
    for line in pip_section:
        if line not in SELF_INSTALL:
            requirements.update(_as_dict([line]))
    return requirements, pip_section, python


def constraint_pins() -> dict[str, tuple[str, Marker | None]]:
    """Canonical name -> (pinned version, marker or None) from constraints.txt."""
    pins: dict[str, tuple[str, Marker | None]] = {}
    for raw in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==":
            raise AssertionError(f"constraints.txt: expected 'name==version', got {raw!r}")
        pins[canonicalize_name(req.name)] = (specs[0].version, req.marker)
    return pins


def _pin_applies(marker: Marker | None) -> bool:
    return marker is None or marker.evaluate()


def test_environment_yml_lists_the_same_packages_as_pyproject():
    pip_side = pyproject_requirements()
    conda_side, _, _ = conda_entries()
    missing_in_conda = sorted(set(pip_side) - set(conda_side))
    missing_in_pyproject = sorted(set(conda_side) - set(pip_side))
    assert not missing_in_conda and not missing_in_pyproject, (
        f"add to environment.yml: {missing_in_conda}; "
        f"add to pyproject.toml (or remove from environment.yml): {missing_in_pyproject}"
    )


def test_environment_yml_uses_the_same_version_ranges_as_pyproject():
    pip_side = pyproject_requirements()
    conda_side, _, _ = conda_entries()
    differ = {
        name: (str(pip_side[name]), str(conda_side[name]))
        for name in pip_side.keys() & conda_side.keys()
        if pip_side[name] != conda_side[name]
    }
    assert not differ, f"version ranges differ (pyproject, environment.yml): {differ}"


def test_environment_yml_python_matches_requires_python():
    _, _, python = conda_entries()
    assert python is not None, "environment.yml must list python"
    assert SpecifierSet(python) == SpecifierSet(_pyproject()["project"]["requires-python"])


def test_environment_yml_installs_the_project_itself():
    _, pip_section, _ = conda_entries()
    assert SELF_INSTALL & set(pip_section), (
        "environment.yml needs a pip section with '-e .' so notebooks can import lecture_utils"
    )


def test_environment_yml_uses_conda_forge_only():
    assert _environment()["channels"] == ["conda-forge"]


def test_sync_check_detects_a_missing_package(tmp_path, monkeypatch):
    # The comparison must fail when a package is dropped from environment.yml.
    env = _environment()
    env["dependencies"] = [d for d in env["dependencies"] if d != "numpy"]
    (tmp_path / "environment.yml").write_text(yaml.safe_dump(env), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match=r"add to environment.yml: \['numpy'\]"):
        test_environment_yml_lists_the_same_packages_as_pyproject()


def test_constraints_pin_every_declared_dependency_within_its_range():
    pins = constraint_pins()
    unpinned = sorted(set(pyproject_requirements()) - set(pins))
    assert not unpinned, f"add exact pins to constraints.txt for: {unpinned}"
    outside = {
        name: (pins[name][0], str(spec))
        for name, spec in pyproject_requirements().items()
        if not spec.contains(pins[name][0], prereleases=True)
    }
    assert not outside, f"pins outside pyproject's ranges (pin, range): {outside}"


def _installed_closure(requirements: list[str] | None = None) -> dict[str, str]:
    """Canonical name -> installed version for the dependency closure of ``requirements``.

    By default the project's whole closure (base dependencies and every extra).
    """
    if requirements is None:
        requirements = _all_requirement_strings()
    roots = [Requirement(r) for r in requirements]
    seen: dict[str, str] = {}
    todo = [(r.name, frozenset(r.extras)) for r in roots]
    visited: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), extras)
        if key in visited:
            continue
        visited.add(key)
        dist = importlib.metadata.distribution(name)
        seen[key[0]] = dist.version
        for line in dist.requires or []:
            req = Requirement(line)
            wanted = [{"extra": e} for e in (extras or {""})]
            if req.marker is None or any(req.marker.evaluate(env) for env in wanted):
                todo.append((req.name, frozenset(req.extras)))
    return seen


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="constraints.txt was resolved on Python 3.11"
)
def test_constraints_cover_the_whole_installed_dependency_closure():
    pins = constraint_pins()
    closure = _installed_closure()
    unpinned = sorted(set(closure) - {n for n, (_, m) in pins.items() if _pin_applies(m)})
    assert not unpinned, f"dependencies installed but not pinned in constraints.txt: {unpinned}"


def test_installed_versions_match_the_pins():
    # Only meaningful in an environment that `make` built from constraints.txt.
    stamp = Path(sys.prefix) / ".installed-test"
    if not stamp.exists():
        pytest.skip(f"{sys.prefix} was not installed by `make test` (no {stamp.name} stamp)")
    pins = constraint_pins()
    closure = _installed_closure()
    differ = {
        name: (version, pins[name][0])
        for name, version in closure.items()
        if name in pins and _pin_applies(pins[name][1]) and version != pins[name][0]
    }
    assert not differ, (
        f"installed versions differ from constraints.txt (installed, pinned): {differ}; "
        "run `make install` (or refresh the pins and re-execute the notebooks)"
    )


# ---------------------------------------------------------------------------------------------
# The base install holds what the package imports, and no Jupyter server
# ---------------------------------------------------------------------------------------------

#: Distributions that a plain `pip install lecture-utils` must not pull in: a JupyterHub user
#: environment, Colab or a Pyodide kernel brings its own front-end and kernel.
SERVER_SIDE = {"jupyter-server", "jupyterlab", "notebook", "voila", "ipykernel", "tornado"}


def _installed(module: str) -> bool:
    return module.split(".", 1)[0] in importlib.metadata.packages_distributions()


def _is_find_spec_of_a_name(node: ast.AST) -> bool:
    """``importlib.util.find_spec("name")`` (or ``find_spec("name")``) with a literal name."""
    if not isinstance(node, ast.Call) or len(node.args) != 1:
        return False
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    arg = node.args[0]
    if called != "find_spec":
        return False
    return isinstance(arg, ast.Constant) and isinstance(arg.value, str)


def _third_party_imports() -> dict[str, list[str]]:
    """Top-level module name -> files of lecture_utils that import it (stdlib left out)."""
    found: dict[str, list[str]] = {}
    package = ROOT / "lecture_utils"
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif _is_find_spec_of_a_name(node) and _installed(node.args[0].value):
                # a package used for its files only (the Korean font): located, never imported.
                # (A probe of a module that is absent here, like google.colab, is not one.)
                names = [node.args[0].value]
            else:
                continue
            for name in names:
                top = name.split(".", 1)[0]
                if top in sys.stdlib_module_names or top in ("lecture_utils", "__future__"):
                    continue
                found.setdefault(top, []).append(str(path.relative_to(ROOT)))
    return found


def test_base_dependencies_are_exactly_what_the_package_imports():
    declared = {
        canonicalize_name(Requirement(r).name) for r in _pyproject()["project"]["dependencies"]
    }
    modules_to_dists = importlib.metadata.packages_distributions()
    imported: dict[str, list[str]] = {}
    for module, files in _third_party_imports().items():
        dists = modules_to_dists.get(module)
        assert dists, f"{module} (imported by {files}) is not an installed distribution"
        imported.setdefault(canonicalize_name(dists[0]), []).extend(files)
    undeclared = {name: files for name, files in imported.items() if name not in declared}
    unused = sorted(declared - set(imported))
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"
    assert not unused, (
        f"in [project] dependencies but never imported by lecture_utils: {unused}; "
        "move them to an extra"
    )


def test_the_import_scan_sees_every_kind_of_import():
    # the scan above must find imports inside functions (lazy imports) and `from x import y`
    imports = _third_party_imports()
    assert "numpy" in imports and "matplotlib" in imports and "ipympl" in imports
    # and a package located for its files only (find_spec with a literal name)
    assert "koreanize_matplotlib" in imports


def test_base_install_pulls_no_jupyter_server():
    closure = _installed_closure(_pyproject()["project"]["dependencies"])
    pulled = sorted(SERVER_SIDE & set(closure))
    assert not pulled, (
        f"`pip install lecture-utils` would install {pulled}: keep servers and kernels in the "
        "`lab` extra"
    )


def test_server_side_tools_are_in_the_lab_extra():
    lab = {
        canonicalize_name(Requirement(r).name)
        for r in _pyproject()["project"]["optional-dependencies"]["lab"]
    }
    assert {"jupyterlab", "ipykernel", "voila"} <= lab


def test_every_module_imports_on_its_own():
    # losses and _per_example import each other (losses re-exports the registry at its end):
    # whichever module a learner imports first, the package must load
    script = """
import importlib, pkgutil, sys
import lecture_utils
names = [m.name for m in pkgutil.walk_packages(lecture_utils.__path__, "lecture_utils.")]
for name in names:
    for loaded in [k for k in sys.modules if k.startswith("lecture_utils")]:
        del sys.modules[loaded]
    importlib.import_module(name)
print(len(names))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.split()[-1]) > 30


#: The project's layout rule: one module per concept, none over this many lines.
MAX_MODULE_LINES = 500


@pytest.mark.parametrize("folder", ["lecture_utils", "benchmarks", "tests", "tools"])
def test_no_module_is_over_500_lines_and_none_is_a_grab_bag(folder):
    modules = sorted((ROOT / folder).rglob("*.py"))
    assert modules, f"no Python modules found under {folder}/"
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by concept): {long}"
    grab_bags = [
        str(p.relative_to(ROOT)) for p in modules if p.stem in {"utils", "helpers", "misc"}
    ]
    assert not grab_bags, f"grab-bag modules (name them after their concept): {grab_bags}"
