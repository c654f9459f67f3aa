"""Build an nbgitpuller link: one click copies the notebooks into a student's hub home.

nbgitpuller's documented link format (https://nbgitpuller.readthedocs.io, "link generator")::

    https://<hub>/hub/user-redirect/git-pull?repo=<git url>&branch=<branch>
        &urlpath=<what to open after the pull>[&targetpath=<folder in the home>]

On the first click the hub logs the student in, starts their server, clones the repository
into ``~/<targetpath>`` (default: the repository URL's last path component) and opens
``urlpath``; later clicks pull new commits and merge them without overwriting the student's
changes. Usage::

    python deploy/nbgitpuller_link.py https://hub.example.org \\
        https://github.com/OWNER/REPO --notebook 07_gradient_descent_and_sgd.ipynb
"""

from __future__ import annotations

import argparse
import posixpath
from urllib.parse import quote, urlencode, urlsplit

#: Edition -> folder of the repository that holds its notebooks: the English and Korean
#: instructor editions (with solutions) and their student editions (``make student``: the
#: exercises left to write), which is what a class usually gets.
EDITIONS = {
    "en": "notebooks",
    "ko": "notebooks/ko",
    "student": "notebooks/student",
    "ko-student": "notebooks/ko/student",
}
#: What the link opens after the pull: JupyterLab, or a notebook as an app (Voila).
APPS = {"lab": "lab/tree", "voila": "voila/render"}


def default_targetpath(repo: str) -> str:
    """The folder nbgitpuller clones into when the link names none: the URL's last part."""
    return repo.rstrip("/").split("/")[-1]


def nbgitpuller_link(
    hub_url: str,
    repo: str,
    branch: str = "main",
    notebook: str | None = None,
    edition: str = "en",
    app: str = "lab",
    targetpath: str | None = None,
) -> str:
    """Return the nbgitpuller link that pulls ``repo`` and opens an edition's notebook.

    Parameters
    ----------
    hub_url : str
        The hub's address, ``https://hub.example.org`` (a base path such as ``/jupyter`` is
        kept).
    repo : str
        The git URL of this project's repository.
    branch : str, default "main"
    notebook : str or None
        A notebook file name of the edition (``"07_gradient_descent_and_sgd.ipynb"``), or None
        to open the edition's folder.
    edition : str, default "en"
        A key of :data:`EDITIONS`.
    app : {"lab", "voila"}, default "lab"
    targetpath : str or None
        The folder in the student's home; None keeps nbgitpuller's default.

    Returns
    -------
    str

    >>> nbgitpuller_link("https://hub.example.org", "https://github.com/o/lab", notebook="07.ipynb")
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Flab&branch=main&urlpath=lab%2Ftree%2Flab%2Fnotebooks%2F07.ipynb'
    """
    scheme = urlsplit(hub_url).scheme
    if scheme not in ("http", "https"):
        raise ValueError(f"hub_url must start with http:// or https://, got {hub_url!r}")
    if not repo or not branch:
        raise ValueError("repo and branch must not be empty")
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {sorted(EDITIONS)}, got {edition!r}")
    if app not in APPS:
        raise ValueError(f"app must be one of {sorted(APPS)}, got {app!r}")
    if app == "voila" and notebook is None:
        raise ValueError("app='voila' renders one notebook: give notebook")
    folder = targetpath or default_targetpath(repo)
    path = posixpath.join(folder, EDITIONS[edition], *([notebook] if notebook else []))
    query = {"repo": repo, "branch": branch, "urlpath": f"{APPS[app]}/{path}"}
    if targetpath:
        query["targetpath"] = targetpath
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query, quote_via=quote)}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hub_url")
    parser.add_argument("repo")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--notebook")
    parser.add_argument("--edition", default="en", choices=sorted(EDITIONS))
    parser.add_argument("--app", default="lab", choices=sorted(APPS))
    parser.add_argument("--targetpath")
    args = parser.parse_args(argv)
    print(nbgitpuller_link(**vars(args)))


if __name__ == "__main__":
    main()
