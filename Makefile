# deepscratch: the book and its library. `make help` lists the targets.
#
# Every target runs inside .venv, which the first target that needs it creates
# (`pip install -r requirements-dev.txt`: the package in editable mode with its dev
# and tensorboard extras, at the exact versions that file pins); it is installed
# again only when setup.py, settings.ini or requirements-dev.txt change. Only Python 3 and pip are needed; no Quarto. `make test`
# also needs a Chromium for the browser test of the docs site: Debian's, which it
# installs with apt-get when missing (or point CHROMIUM at another one).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser that tests/test_docs_site.py drives through Playwright (never a downloaded one).
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
# The venv's programs first, for the recipes and for what they start (notebook
# kernels find `graphviz-pure` there), without having to activate it.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# apt-get as root, or through sudo for a user who has it
SUDO = $(if $(filter 0,$(shell id -u)),,$(shell command -v sudo))

.PHONY: help venv export test docs readme preview lab clean distclean

help:
	@echo 'make docs       build the docs site into _docs/ (executes every notebook) and README.md'
	@echo 'make preview    build the docs, then serve _docs/ at http://127.0.0.1:$(PORT)/'
	@echo 'make test       nbdev_export and nbdev_clean in step, README up to date; then pytest: every notebook, tests/, the docs site'
	@echo '                rendered from those runs and every page checked in headless Chromium'
	@echo 'make lab        open the notebooks in JupyterLab'
	@echo 'make bench      run the benchmarks of chapter 28, write benchmarks/RESULTS.md (PEER_PYTHON=... adds TensorFlow/PyTorch)'
	@echo 'make export     nbdev_export: write deepscratch/ from the notebooks'
	@echo 'make readme     write README.md from nbs/index.ipynb'
	@echo 'make clean      remove _proc, _docs, _build and build artifacts (keeps .venv)'
	@echo 'make distclean  clean, and remove .venv and .cache too'

# The virtual environment, (re)installed when the packaging files change.
$(STAMP): setup.py settings.ini pyproject.toml requirements-dev.txt
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	@echo "Installing deepscratch and its dev tools into $(VENV) (pip install -r requirements-dev.txt)"
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(STAMP)

# Debian's Chromium for the browser test, installed only when missing (apt-get needs root, or sudo).
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "make: the docs site's browser test needs Chromium at $@, and there is no apt-get here to install it. Install Chromium (or Chrome) and run make test CHROMIUM=/path/to/it" >&2; exit 1; }
	@echo "Installing Debian's chromium for the browser test of the docs site (apt-get install chromium)"
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	@test -x $@ || { echo "make: apt-get installed chromium, but there is no $@: run make test CHROMIUM=$$(command -v chromium || echo /path/to/chromium)" >&2; exit 1; }

export: $(STAMP)
	$(BIN)/nbdev_export

# (the start time is taken before .venv is made, so the summary counts the install too)
test: export MAKE_TEST_START := $(shell date +%s)
test: $(STAMP) $(CHROMIUM)
	@bash tools/test.sh

docs: $(STAMP)
	$(BIN)/nbdev_export
	PORT=$(PORT) $(BIN)/python tools/docs.py build

readme: $(STAMP)
	$(BIN)/python tools/docs.py readme

preview: docs
	@echo "Serving _docs/ at http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _docs

# (as root, e.g. in a container, Jupyter wants --allow-root). nbdev's Jupyter hook cleans each notebook as it is
# saved (settings.ini: jupyter_hooks = True); `nbdev_install_hooks` installs it for every Jupyter of yours instead.
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=nbs --ContentsManager.pre_save_hook=nbdev.clean.clean_jupyter $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf _proc _docs _build build dist *.egg-info tests/artifacts
	find . \( -path ./$(VENV) -o -path ./.git \) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints -o -name .pytest_cache \) -print0 | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV) .cache

# Benchmarks (chapter 28): about a minute; not part of `make test`. PEER_PYTHON may name another Python
# with tensorflow or torch installed, whose W2 rows then join the table.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(if $(PEER_PYTHON),--peer-python $(PEER_PYTHON))
