"""The files in deploy/ load and hold only settings their tools know.

- ``deploy/jupyterhub_config.py`` is loaded by JupyterHub's own config loader; every key it sets
  must be a configurable trait of the class it names, and every value must pass that trait's
  validation. The idle culler's command line is parsed by the culler itself.
- ``deploy/z2jh/values.yaml``: the Zero to JupyterHub chart's JSON schema is not distributed on
  PyPI or npm (it lives in the chart), so the keys are checked against the list below, taken
  from the chart's documented configuration reference (https://z2jh.jupyter.org, "Configuration
  Reference"), with the value types the chart expects.
- ``deploy/nbgitpuller_link.py`` builds links in nbgitpuller's documented format, with the
  query parameters nbgitpuller's handler reads.

Starting the hub for real is the job of benchmarks/classroom_load.py (not part of the tests).
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

jupyterhub_app = pytest.importorskip("jupyterhub.app", reason="needs the `hub` extra")
from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner  # noqa: E402
from traitlets.config import Configurable, PyFileConfigLoader  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


# ---------------------------------------------------------------------------------------------
# deploy/jupyterhub_config.py
# ---------------------------------------------------------------------------------------------


def load_hub_config(monkeypatch, **env: str):
    for name in [n for n in list(os.environ) if n.startswith("LAB_HUB_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def configurable_classes() -> dict[str, type[Configurable]]:
    """Every class a JupyterHub config file can name: the app's, spawners', authenticators'."""
    from jupyterhub.auth import Authenticator, LocalAuthenticator, PAMAuthenticator
    from jupyterhub.proxy import ConfigurableHTTPProxy, Proxy
    from jupyterhub.spawner import Spawner

    app = jupyterhub_app.JupyterHub()
    classes = {cls.__name__: cls for cls in app._classes_with_config_traits()}
    for cls in (Spawner, LocalProcessSpawner, SimpleLocalProcessSpawner, Authenticator,
                LocalAuthenticator, PAMAuthenticator, Proxy, ConfigurableHTTPProxy):  # fmt: skip
        classes[cls.__name__] = cls
    return classes


def check_against_traits(config) -> list[str]:
    """Problems of a loaded config: unknown classes or traits, values that fail validation."""
    classes = configurable_classes()
    problems = []
    for section, values in config.items():
        cls = classes.get(section)
        if cls is None:
            problems.append(f"{section}: not a configurable class of JupyterHub")
            continue
        traits = cls.class_traits(config=True)
        instance = cls.__new__(cls)  # a bare instance: traits validate against it
        for key, value in values.items():
            if key not in traits:
                problems.append(f"{section}.{key}: no such trait")
                continue
            try:
                traits[key].validate(instance, value)
            except Exception as exc:
                problems.append(f"{section}.{key} = {value!r}: {exc}")
    return problems


@pytest.mark.parametrize("spawner", ["local", "simple"])
def test_hub_config_sets_only_real_traits_with_valid_values(monkeypatch, spawner):
    config = load_hub_config(monkeypatch, LAB_HUB_SPAWNER=spawner)
    assert check_against_traits(config) == []


def test_the_trait_check_catches_typos_and_bad_values(monkeypatch):
    config = load_hub_config(monkeypatch)
    config.Spawner.mem_limt = "1G"
    config.JupyterHub.port = "eighty"
    config.NoSuchSpawner.cmd = ["x"]
    problems = check_against_traits(config)
    assert any(p.startswith("Spawner.mem_limt: no such trait") for p in problems)
    assert any(p.startswith("JupyterHub.port = 'eighty'") for p in problems)
    assert any(p.startswith("NoSuchSpawner:") for p in problems)


def test_hub_config_loads_into_jupyterhub(monkeypatch, tmp_path):
    # The app itself loads the file (as `jupyterhub -f` does) and takes the values.
    load_hub_config(monkeypatch, LAB_HUB_STATE=str(tmp_path))  # clears the other LAB_HUB_*
    app = jupyterhub_app.JupyterHub()
    app.load_config_file(str(DEPLOY / "jupyterhub_config.py"))
    assert app.ip == "127.0.0.1" and app.port == 8000
    assert app.spawner_class is LocalProcessSpawner
    spawner_config = app.config.Spawner
    assert spawner_config.mem_limit == "1G"
    assert spawner_config.environment["OPENBLAS_NUM_THREADS"] == "1"
    assert Path(spawner_config.cmd[0]).name == "jupyterhub-singleuser"
    assert Path(spawner_config.cmd[0]).parent == Path(sys.executable).parent
    assert app.db_url == f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"


def test_simple_spawner_is_opt_in_and_puts_homes_where_asked(monkeypatch):
    config = load_hub_config(monkeypatch, LAB_HUB_SPAWNER="simple", LAB_HUB_HOMES="/x/{username}")
    assert config.JupyterHub.spawner_class.endswith("SimpleLocalProcessSpawner")
    assert config.SimpleLocalProcessSpawner.home_dir_template == "/x/{username}"


def test_idle_culler_is_a_managed_service_with_the_scopes_it_needs(monkeypatch):
    from jupyterhub_idle_culler import IdleCuller

    config = load_hub_config(monkeypatch, LAB_HUB_CULL_TIMEOUT="1200")
    (service,) = [s for s in config.JupyterHub.services if s["name"] == "idle-culler"]
    assert service["command"][:3] == [sys.executable, "-m", "jupyterhub_idle_culler"]
    culler = IdleCuller()
    culler.parse_command_line(service["command"][3:])  # the culler's own option parser
    assert culler.timeout == 1200 and culler.cull_every == 200
    (role,) = [r for r in config.JupyterHub.load_roles if r["name"] == "idle-culler"]
    assert role["services"] == ["idle-culler"]
    # the scopes the culler's README asks for
    assert set(role["scopes"]) == {
        "list:users",
        "read:users:activity",
        "read:servers",
        "delete:servers",
    }


def test_spawner_args_are_valid_server_options(monkeypatch):
    from jupyter_server.serverapp import ServerApp

    config = load_hub_config(monkeypatch)
    server = ServerApp()
    server.parse_command_line(config.Spawner.args)
    assert server.config.ServerApp.jpserver_extensions == {"jupyter_lsp": False}


def test_local_spawner_memory_limit_is_advisory_only():
    # What deploy/jupyterhub_config.py and the README say: the local spawners do not enforce
    # mem_limit (JupyterHub's own help text says so); they pass it on as MEM_LIMIT.
    help_text = LocalProcessSpawner.class_traits()["mem_limit"].help
    assert "does **not** implement" in help_text
    from jupyterhub.spawner import Spawner

    assert "MEM_LIMIT" in inspect.getsource(Spawner.get_env)  # inherited by the local spawners
    assert "mem_limit" not in inspect.getsource(LocalProcessSpawner)


# ---------------------------------------------------------------------------------------------
# deploy/z2jh/values.yaml
# ---------------------------------------------------------------------------------------------

QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?([KMGT]i?)?$")  # Kubernetes memory quantities
#: Every key the values file may set (from the Z2JH configuration reference) -> expected type.
#: Anything else is a typo: helm would silently ignore it.
Z2JH_KEYS: dict[str, type | tuple[type, ...]] = {
    "singleuser.image.name": str,
    "singleuser.image.tag": str,
    "singleuser.defaultUrl": str,
    "singleuser.memory.guarantee": str,
    "singleuser.memory.limit": str,
    "singleuser.cpu.guarantee": (int, float),
    "singleuser.cpu.limit": (int, float),
    "singleuser.extraEnv": dict,
    "singleuser.startTimeout": int,
    "singleuser.storage.capacity": str,
    "cull.enabled": bool,
    "cull.timeout": int,
    "cull.every": int,
    "prePuller.hook.enabled": bool,
    "prePuller.continuous.enabled": bool,
    "scheduling.userScheduler.enabled": bool,
    "scheduling.podPriority.enabled": bool,
    "scheduling.userPlaceholder.enabled": bool,
    "scheduling.userPlaceholder.replicas": int,
}


def _leaves(tree: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path not in Z2JH_KEYS:
            out.update(_leaves(value, path + "."))
        else:
            out[path] = value
    return out


def _bytes(quantity: str) -> float:
    number, unit = re.match(r"^([0-9.]+)([KMGT]?i?)$", quantity).groups()
    power = " KMGT".index(unit[0]) if unit else 0
    return float(number) * (1024 if unit.endswith("i") else 1000) ** power


def z2jh_values() -> dict:
    with open(DEPLOY / "z2jh" / "values.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_z2jh_values_use_only_documented_keys_with_the_right_types():
    leaves = _leaves(z2jh_values())
    unknown = sorted(set(leaves) - set(Z2JH_KEYS))
    assert not unknown, f"not in the documented Z2JH keys: {unknown}"
    wrong = {
        key: type(value).__name__
        for key, value in leaves.items()
        if not isinstance(value, Z2JH_KEYS[key]) or (Z2JH_KEYS[key] is int and value is True)
    }
    assert not wrong, f"wrong value types: {wrong}"


def test_z2jh_resources_are_consistent_with_the_measurements():
    user = z2jh_values()["singleuser"]
    for key in ("guarantee", "limit"):
        assert QUANTITY.match(user["memory"][key]), user["memory"][key]
    guarantee, limit = _bytes(user["memory"]["guarantee"]), _bytes(user["memory"]["limit"])
    # measured: about 300 MiB per student (server + kernel, notebook 07): guarantee at least that
    assert 300 * 2**20 <= guarantee <= limit
    assert 0 < user["cpu"]["guarantee"] <= user["cpu"]["limit"]
    # the same per-kernel environment as the one-server setup
    assert user["extraEnv"]["OPENBLAS_NUM_THREADS"] == "1"
    assert all(isinstance(v, str) for v in user["extraEnv"].values())


def test_the_key_check_catches_a_misspelled_key():
    values = z2jh_values()
    values["singleuser"]["memory"]["guarantees"] = "1G"
    assert "singleuser.memory.guarantees" in set(_leaves(values)) - set(Z2JH_KEYS)


def test_quantity_parser():
    assert _bytes("384M") == 384e6 and _bytes("1G") == 1e9 and _bytes("1Gi") == 2**30


# ---------------------------------------------------------------------------------------------
# deploy/nbgitpuller_link.py
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def links():
    spec = importlib.util.spec_from_file_location(
        "nbgitpuller_link", DEPLOY / "nbgitpuller_link.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_link_has_nbgitpullers_documented_format(links):
    url = links.nbgitpuller_link(
        "https://hub.example.org/",
        "https://github.com/owner/loss-lab",
        notebook="07_gradient_descent_and_sgd.ipynb",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "hub.example.org")
    assert parts.path == "/hub/user-redirect/git-pull"
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {
        "repo": ["https://github.com/owner/loss-lab"],
        "branch": ["main"],
        "urlpath": ["lab/tree/loss-lab/notebooks/07_gradient_descent_and_sgd.ipynb"],
    }
    assert "/" not in parts.query.split("repo=")[1].split("&")[0]  # values percent-encoded


def test_link_options(links):
    url = links.nbgitpuller_link(
        "http://127.0.0.1:8000/jupyter",
        "https://github.com/owner/loss-lab.git",
        branch="class-2027",
        notebook="01_loss_functions.ipynb",
        app="voila",
        targetpath="lab",
    )
    parts = urlsplit(url)
    assert parts.path == "/jupyter/hub/user-redirect/git-pull"
    query = parse_qs(parts.query)
    assert query["branch"] == ["class-2027"] and query["targetpath"] == ["lab"]
    assert query["urlpath"] == ["voila/render/lab/notebooks/01_loss_functions.ipynb"]
    folder = links.nbgitpuller_link("https://h.org", "https://github.com/o/r")
    assert parse_qs(urlsplit(folder).query)["urlpath"] == ["lab/tree/r/notebooks"]


@pytest.mark.parametrize("edition", ["en", "ko", "student", "ko-student"])
def test_every_edition_link_opens_a_folder_of_this_repository_with_the_ten_notebooks(
    links, edition
):
    folder = links.EDITIONS[edition]
    assert len(sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb"))) == 10, folder
    url = links.nbgitpuller_link(
        "https://h.org",
        "https://github.com/o/r",
        notebook="02_multiclass_svm.ipynb",
        edition=edition,
    )
    assert parse_qs(urlsplit(url).query)["urlpath"] == [
        f"lab/tree/r/{folder}/02_multiclass_svm.ipynb"
    ]


def test_link_default_folder_is_the_one_nbgitpuller_clones_into(links):
    # nbgitpuller's handler: targetpath defaults to the repo URL's last path component
    origin = importlib.util.find_spec("nbgitpuller.handlers").origin
    source = Path(origin).read_text(encoding="utf-8")  # read, not imported: no server needed
    for argument in ("repo", "branch", "urlpath", "targetpath"):
        assert f"get_argument('{argument}'" in source, argument
    assert "repo.rstrip('/').split('/')[-1]" in source
    for repo in ("https://github.com/o/lab", "https://github.com/o/lab.git/", "/srv/lab"):
        assert links.default_targetpath(repo) == repo.rstrip("/").split("/")[-1]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"hub_url": "hub.example.org"}, "hub_url must start with http"),
        ({"edition": "fr"}, "edition must be one of"),
        ({"app": "nbclassic"}, "app must be one of"),
        ({"app": "voila"}, "give notebook"),
        ({"branch": ""}, "must not be empty"),
    ],
)
def test_link_rejects_bad_arguments(links, kwargs, error):
    args = {"hub_url": "https://hub.example.org", "repo": "https://github.com/o/r", **kwargs}
    with pytest.raises(ValueError, match=error):
        links.nbgitpuller_link(**args)


def test_link_command_line(links, capsys):
    links.main(["https://hub.example.org", "https://github.com/o/r", "--notebook", "00.ipynb"])
    assert capsys.readouterr().out.strip().endswith("urlpath=lab%2Ftree%2Fr%2Fnotebooks%2F00.ipynb")


def test_link_docstring_example_runs(links):
    import doctest

    assert doctest.testmod(links).failed == 0
