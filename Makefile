# make lab: set up and open the notebooks.  make test: set up and run every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt tests/requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=

.PHONY: setup lab test test-browser execute nav site bench clean

setup: $(STAMP)

# (Re)create the venv when it is missing, broken, or older than requirements.txt / pyproject.toml.
$(STAMP): requirements.txt tests/requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), f"Python >= 3.11 needed, found {sys.version.split()[0]}: set PYTHON=/path/to/python3.11"'
	@if ! $(BIN)/python -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); fi
	rm -f $(VENV)/.installed-*
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt
	touch $@

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00-contents.ipynb $(LAB_ARGS)

test: setup
	$(BIN)/python -m pytest

# Re-execute every notebook in order, in place, storing outputs and widget state.
execute: setup
	$(BIN)/python .ci/navigation.py
	$(BIN)/python .ci/execute.py

nav: setup
	$(BIN)/python .ci/navigation.py

site: setup
	$(BIN)/python .ci/site.py

bench: setup
	$(BIN)/python tests/bench/bench.py

test-browser: setup
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r tests/browser/requirements.txt
	$(BIN)/python -m pytest -m browser tests/browser -p no:nbval -o addopts=''

clean:
	rm -rf $(VENV) *.egg-info _site
