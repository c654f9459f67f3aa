# Loss & Optimization Lab: everything a learner, a teacher or CI runs.
# Needs only Python >= 3.10 and make; `make lab` / `make test` build .venv on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Mark a finished install of the project with the `lab` extra (JupyterLab, kernel, Voila),
# and of `lab` + `test` (pytest, nbval, browser driver, ruff) + `hub` + `teach` (nbgrader, for
# the grading round-trip test); each is redone only when
# pyproject.toml or constraints.txt change. The base package alone (`pip install .`) needs no
# Jupyter server: see the README.
LAB_STAMP := $(VENV)/.installed-lab
STAMP := $(VENV)/.installed-test
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check --quiet

# The English edition. The Korean one, notebooks/ko/ (`make ko`), is not in `make test`'s nbval
# step: its nbval run is the one tests/test_portable_outputs.py makes under the second BLAS
# configuration (its code cells are the English ones), so no notebook runs twice.
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg
NB ?= notebooks/01_loss_functions.ipynb
PORT ?= 8866
# JupyterLab refuses to run as root (CI machines, containers) without --allow-root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help install lab lab-without-ipympl test docs notebooks ko student lint format classroom bench clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed, $(PYTHON) is " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

$(LAB_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "Installing lecture_utils, JupyterLab and their pinned dependencies into $(VENV) (about a minute the first time) ..."
	$(PIP_INSTALL) -e '.[lab]' -c constraints.txt
	@touch $@

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "Installing lecture_utils with its lab, test, hub and teach tools (pinned) into $(VENV) (about a minute the first time) ..."
	$(PIP_INSTALL) -e '.[lab,test,hub,teach]' -c constraints.txt
	@touch $@ $(LAB_STAMP)

install: $(STAMP)  ## Create .venv (if missing) and install the project, lab, test and teach tools, pinned

# A second, small venv: JupyterLab + ipywidgets from PyPI (pinned), *without* ipympl. The
# browser tests run a JupyterLab server from it (the kernel is still .venv's) to check that
# every app falls back to a core ipywidgets Image where the front-end lacks jupyter-matplotlib
# (as on Colab or VS Code offline). Made once; redone when constraints.txt changes.
NO_IPYMPL := build/lab-without-ipympl
NO_IPYMPL_STAMP := $(NO_IPYMPL)/.installed
$(NO_IPYMPL_STAMP): constraints.txt | $(BIN)/python
	@echo "Creating $(NO_IPYMPL): JupyterLab without ipympl, for the fallback-renderer browser test ..."
	$(BIN)/python -c 'import sys, venv; venv.create(sys.argv[1], with_pip=True, clear=True)' $(NO_IPYMPL)
	$(NO_IPYMPL)/bin/python -m pip install --disable-pip-version-check --quiet -c constraints.txt jupyterlab ipywidgets
	@touch $@

lab-without-ipympl: $(NO_IPYMPL_STAMP)  ## Make build/lab-without-ipympl (JupyterLab, no ipympl) for the browser tests

lab: $(LAB_STAMP)  ## Open JupyterLab on notebooks/ (the Korean edition is in notebooks/ko/)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=notebooks $(LAB_ARGS)

# Two pytest runs. First the unit tests in tests/, the docstring examples of lecture_utils, and
# nbval on every English notebook, on two workers (pytest-xdist; --dist loadfile keeps each
# file, so each notebook's cells, on one worker in order): about 4 of the 11 minutes they take
# one after the other. Among them, tests/test_portable_outputs.py runs nbval on the Korean
# edition (same code cells) under a second BLAS configuration. Then the browser tests alone, one
# process, so their latency figures are not measured next to a busy second worker.
# ruff first (a second or two): CI runs `make test`, so style is enforced there.
# The suite must leave the working tree as it found it (reports go to build/): checked after.
TREE_STATE = { git status --porcelain --untracked-files=all; git diff | cksum; } 2>/dev/null
XDIST ?= -n 2 --dist loadfile
test: lint $(NO_IPYMPL_STAMP)  ## Run the whole suite: ruff, unit tests, doctests, nbval on every notebook, browser
	@mkdir -p build && $(TREE_STATE) > build/.tree-before
	$(BIN)/python -m pytest $(XDIST) tests lecture_utils --ignore=tests/browser \
		$(if $(NOTEBOOKS),$(NBVAL_FLAGS) $(NOTEBOOKS)) $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)
	@$(TREE_STATE) | cmp -s build/.tree-before - || { \
		echo "make test changed the working tree (git status before | after):"; \
		$(TREE_STATE) | diff build/.tree-before - ; exit 1; }

# Re-execute every notebook in place and store its outputs (after a change to the package or
# a notebook). One BLAS thread, as the stored timings of notebook 02 assume. The Korean edition
# is brought in step with the English one (`make ko`) and re-executed too. Then make test.
notebooks: $(STAMP)  ## Re-run every notebook (both editions) top to bottom and save its outputs
	OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=900 $(NOTEBOOKS)
	$(BIN)/python tools/translations.py sync
	OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=900 notebooks/ko/*.ipynb

# The Korean edition notebooks/ko/: every English cell in order, code copied, Korean markdown kept
# by cell id (English text, marked untranslated, where there is none yet). Standard library only.
# `python tools/translations.py status | import | show | refresh`: see that script's docstring.
ko:  ## Build/update the Korean edition notebooks/ko/ from the English notebooks
	$(PYTHON) tools/translations.py sync

# The student edition: notebooks/student/ (and notebooks/ko/student/ when notebooks/ko/ exists)
# from the instructor notebooks, solutions replaced by nbgrader's stubs (tools/editions.py; the
# standard library is enough). Commit the result: tests/test_student_edition_generator.py fails
# when stale.
student:  ## Write the student edition notebooks/student/ from the instructor notebooks
	$(PYTHON) tools/editions.py student

# The committed browser report (docs/browser-latency.*, docs/screenshots/) is refreshed only
# on purpose: run the browser tests (into build/browser-report/), then copy.
docs: $(STAMP) $(NO_IPYMPL_STAMP)  ## Re-measure in the browser and refresh docs/ (latency report, screenshots)
	rm -rf build/browser-report
	LECTURE_UTILS_BROWSER_ALL_RATIOS=1 $(BIN)/python -m pytest tests/browser -p no:cacheprovider $(PYTEST_ARGS)
	rm -rf docs/screenshots
	cp -r build/browser-report/. docs/
	@git status --short docs/

lint: $(STAMP)  ## ruff check + ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

classroom: $(LAB_STAMP)  ## Serve one notebook as a clean app: make classroom NB=notebooks/01_loss_functions.ipynb
	@test -f '$(NB)' || { echo "No notebook $(NB); pick one of: $(NOTEBOOKS)"; exit 1; }
	@echo "Classroom mode: open http://localhost:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/voila '$(NB)' --no-browser --port=$(PORT) $(VOILA_ARGS)

bench: $(STAMP)  ## Run every benchmark script in benchmarks/
	@set -e; scripts='$(sort $(filter-out benchmarks/_%,$(wildcard benchmarks/*.py)))'; \
	if [ -z "$$scripts" ]; then echo "No benchmarks yet in benchmarks/"; fi; \
	for script in $$scripts; do echo "== $$script"; $(BIN)/python $$script; done

clean:  ## Remove caches and build files (keeps .venv; rm -rf .venv to start over)
	rm -rf build dist .pytest_cache .hypothesis .ruff_cache $(STAMP) $(LAB_STAMP)
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name '*.egg-info' -o -name .ipynb_checkpoints \) -type d -print0 | xargs -0 rm -rf
