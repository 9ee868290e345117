# make lab: set up and open the notebooks.  make test: set up and run every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt tests/requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=

NPM_DIR := build/npm
NPM_STAMP := $(NPM_DIR)/.installed-$(shell cat package.json package-lock.json | cksum | cut -d' ' -f1)
SITE_STAMP := $(VENV)/.site-$(shell cat requirements-site.txt | cksum | cut -d' ' -f1)
BROWSER_STAMP := $(VENV)/.browser-$(shell cat tests/browser/requirements.txt | cksum | cut -d' ' -f1)
# apt-get for what Debian provides (npm, chromium); one at a time, as make -j may ask for both at once
apt_install = flock /tmp/.matmul-gradient-apt.lock sh -c 'apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null'

# Every install goes through uv (pinned, from PyPI, in a venv of its own under build/): the same pins as pip
# would install, resolved and unpacked in parallel (a fresh .venv in 9-15 s instead of 30), and compiled to
# bytecode as pip does (where PYTHONDONTWRITEBYTECODE is set, nothing else would write it).
UV_VERSION := 0.13.8
CHECK_PYTHON = $(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), f"Python >= 3.11 needed, found {sys.version.split()[0]}: set PYTHON=/path/to/python3.11"'
UV := build/uv-$(UV_VERSION)/bin/uv
INSTALL = $(UV) pip install --quiet --compile-bytecode --python

.PHONY: setup lab test test-browser execute nav site lite bench clean assignments grade test-instructor chromium tools browser-tools instructor-tools

setup: $(STAMP)

$(UV):
	@$(CHECK_PYTHON)
	rm -rf $(dir $(@D)) && $(PYTHON) -m venv $(dir $(@D))
	$(dir $(@D))bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# (Re)create the venv when it is missing, broken, or older than requirements.txt / pyproject.toml.
$(STAMP): requirements.txt tests/requirements.txt pyproject.toml | $(UV)
	@$(CHECK_PYTHON)
	@if ! $(BIN)/python -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); fi
	rm -f $(VENV)/.installed-*
	$(INSTALL) $(BIN)/python -r requirements.txt -r tests/requirements.txt
	touch $@

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00-contents.ipynb $(LAB_ARGS)

# pytest-xdist with one worker more than there are cores (a worker waiting for a notebook's kernel to start
# leaves its core to the others: 33 s instead of 39 s on two cores); prints the wall time. Bytecode is cached
# (even where the environment says PYTHONDONTWRITEBYTECODE): 34 notebook kernels import helpers, and only the
# first compiles it.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 1) + 1 )))
test: setup
	@start=$$(date +%s); env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS); rc=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s wall time"; exit $$rc

# Both ends of what pyproject.toml allows, each in its own venv under build/versions/: the lowest versions on
# Python 3.11 (tests/constraints-lowest.txt), the newest release of everything on the newest Python here, and
# Colab's preinstalled set (tests/constraints-colab.txt). One set: make test-versions VERSIONS=newest
.PHONY: test-versions
test-versions:
	PYTHON311="$(PYTHON)" bash .ci/versions.sh $(VERSIONS)

# Re-execute every notebook in order, in place, storing outputs and widget state.
execute: setup
	$(BIN)/python .ci/navigation.py
	$(BIN)/python .ci/execute.py

nav: setup
	$(BIN)/python .ci/navigation.py

# The pinned npm packages (package-lock.json, with integrity hashes) the site serves itself: MathJax 2,
# require.js, the widget renderer, the Pyodide runtime. Installed into build/npm/, never committed.
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || $(call apt_install,npm)
	rm -rf $(NPM_DIR) && mkdir -p $(NPM_DIR) && cp package.json package-lock.json $(NPM_DIR)/
	cd $(NPM_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(SITE_STAMP): requirements-site.txt | $(STAMP)
	$(INSTALL) $(BIN)/python -r requirements-site.txt
	rm -f $(VENV)/.site-* && touch $@

# Debian's Chromium for the browser tests (playwright drives it; its own browser download is not used).
chromium:
	@command -v chromium >/dev/null || $(call apt_install,chromium)

$(BROWSER_STAMP): tests/browser/requirements.txt | $(STAMP) $(SITE_STAMP)
	$(INSTALL) $(BIN)/python -r tests/browser/requirements.txt
	rm -f $(VENV)/.browser-* && touch $@

# Static HTML pages in _site/ that need no network (math, widget snapshots from local assets); rebuilt when a
# notebook or what builds them changes.
NOTEBOOK_FILES := $(wildcard notebooks/*.ipynb notebooks/solutions/*.ipynb)
site: _site/index.html
_site/index.html: $(NOTEBOOK_FILES) $(wildcard helpers/*.py) .ci/site.py pyproject.toml $(NPM_STAMP) | $(STAMP)
	$(BIN)/python .ci/site.py

# The notebooks running in the browser (JupyterLite, Pyodide), in _site/lite/.
lite: _site/lite/jupyter-lite.json
_site/lite/jupyter-lite.json: $(NOTEBOOK_FILES) $(wildcard helpers/*.py) .ci/lite.py pyproject.toml $(NPM_STAMP) $(SITE_STAMP) | $(STAMP)
	$(BIN)/python .ci/lite.py

bench: setup chromium $(BROWSER_STAMP)
	$(BIN)/python tests/bench/bench.py
	$(BIN)/python tests/bench/browser_bench.py

# Three workers on two cores (measured: 2 and 4 are slower), each with its own servers and browser; two of
# them run the JupyterLab notebooks (tests/browser/conftest.py).
test-browser: setup site lite chromium $(BROWSER_STAMP)
	$(BIN)/python -m pytest -m browser tests/browser -p no:nbval -p no:cacheprovider -o addopts='' -n 3 --dist loadgroup

# Instructors (README "For instructors"): otter-grader in a venv of its own, the learners' .venv untouched.
# It holds helpers, a kernel and otter with what they need, at the learners' pins (requirements.txt as
# constraints), and no JupyterLab: its jsonschema extras alone add 0.9 s to every `import otter`.
IVENV := build/venv-instructor
ISTAMP := $(IVENV)/.installed-$(shell cat requirements.txt requirements-instructor.txt pyproject.toml | cksum | cut -d' ' -f1)

$(ISTAMP): requirements.txt requirements-instructor.txt pyproject.toml | $(UV)
	@$(CHECK_PYTHON)
	@if ! $(IVENV)/bin/python -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then \
		rm -rf $(IVENV) && $(PYTHON) -m venv $(IVENV); fi
	rm -f $(IVENV)/.installed-*
	grep -v '^-e' requirements.txt > $(IVENV)/learners-pins.txt  # constraints: what is installed, as pinned
	$(INSTALL) $(IVENV)/bin/python -c $(IVENV)/learners-pins.txt -r requirements-instructor.txt ipykernel pytest -e .
	touch $@

# Every install the browser and instructor tests need, nothing run (.ci/run runs them beside make test).
tools: browser-tools instructor-tools
browser-tools: $(NPM_STAMP) $(SITE_STAMP) $(BROWSER_STAMP) chromium
instructor-tools: $(ISTAMP)

# One otter assignment per notebook with exercises, in _build/assignments/ (never committed).
assignments: $(ISTAMP)
	$(IVENV)/bin/python .ci/assign.py

# make grade SUBMISSIONS=folder: every notebook in it graded locally (otter run, no Docker) -> grades.csv.
grade: assignments
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-of-notebooks"; exit 2; }
	$(IVENV)/bin/python .ci/grade.py "$(SUBMISSIONS)"

test-instructor: $(ISTAMP)
	$(IVENV)/bin/python -m pytest tests/instructor -p no:nbval -p no:cacheprovider -o addopts=''

clean:
	rm -rf $(VENV) *.egg-info _site
