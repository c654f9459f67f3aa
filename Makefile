# Loss & Optimization Lab: everything a learner, a teacher or CI runs.
# Needs only Python >= 3.10 and make; `make lab` / `make test` build .venv on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Marks a finished install; redone only when pyproject.toml or constraints.txt change.
STAMP := $(VENV)/.installed
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check --quiet

NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg
NB ?= notebooks/01_loss_functions.ipynb
PORT ?= 8866
# JupyterLab refuses to run as root (CI machines, containers) without --allow-root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help install lab test lint format classroom bench clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed, $(PYTHON) is " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "Installing lecture_utils and its pinned dependencies into $(VENV) (about a minute the first time) ..."
	$(PIP_INSTALL) -e '.[test]' -c constraints.txt
	@touch $@

install: $(STAMP)  ## Create .venv (if missing) and install the project with pinned versions

lab: $(STAMP)  ## Open JupyterLab on notebooks/
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=notebooks $(LAB_ARGS)

# One pytest run: unit tests in tests/ plus nbval on every notebook that exists
# (none yet is fine: tests/ always holds tests, so pytest never exits with 5).
# ruff first (a second or two): CI runs `make test`, so style is enforced there too.
test: lint  ## Run the whole suite: ruff, unit tests + nbval on every notebook
	$(BIN)/python -m pytest tests $(if $(NOTEBOOKS),$(NBVAL_FLAGS) $(NOTEBOOKS)) $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff check + ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

classroom: $(STAMP)  ## Serve one notebook as a clean app: make classroom NB=notebooks/01_loss_functions.ipynb
	@test -f '$(NB)' || { echo "No notebook $(NB); pick one of: $(NOTEBOOKS)"; exit 1; }
	@echo "Classroom mode: open http://localhost:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/voila '$(NB)' --no-browser --port=$(PORT) $(VOILA_ARGS)

bench: $(STAMP)  ## Run every benchmark script in benchmarks/
	@set -e; scripts='$(sort $(filter-out benchmarks/_%,$(wildcard benchmarks/*.py)))'; \
	if [ -z "$$scripts" ]; then echo "No benchmarks yet in benchmarks/"; fi; \
	for script in $$scripts; do echo "== $$script"; $(BIN)/python $$script; done

clean:  ## Remove caches and build files (keeps .venv; rm -rf .venv to start over)
	rm -rf build dist .pytest_cache .hypothesis .ruff_cache $(STAMP)
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name '*.egg-info' -o -name .ipynb_checkpoints \) -type d -print0 | xargs -0 rm -rf
