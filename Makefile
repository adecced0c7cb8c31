# One command to build the site, one to run the tests; both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DSTAMP := $(VENV)/.installed-dev
ZSTAMP := $(VENV)/.installed-zensical

# The renderer of `make site` and `make serve`: mkdocs (Material for MkDocs, the default) or zensical.
RENDERER ?= mkdocs
ifeq ($(filter $(RENDERER),mkdocs zensical),)
$(error RENDERER must be mkdocs or zensical, not '$(RENDERER)')
endif
# Zensical is installed only when it is asked for (RENDERER=zensical, or `make test`, which builds with both).
RENDERER_STAMP := $(STAMP) $(if $(filter zensical,$(RENDERER)),$(ZSTAMP))
# STRICT=1: warnings fail `make site` (the Pages workflow sets it; a local build without SITE_URL only warns).
STRICT ?=

.PHONY: site serve test test-no-browser lint check add-source clean browser-deps bench

# The runtime and the site (requirements.lock): all `make site` installs.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# The test and lint tools (requirements-dev.lock), on top: only `make test` and `make lint` install them.
$(DSTAMP): $(STAMP) requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock -c requirements.lock
	touch $(DSTAMP)

$(ZSTAMP): $(STAMP) requirements-zensical.lock
	$(BIN)/pip install --quiet -r requirements-zensical.lock -c requirements.lock
	touch $(ZSTAMP)

site: $(RENDERER_STAMP)  ## Build the static site into site/ (RENDERER=zensical: with Zensical; STRICT=1: warnings fail)
	$(BIN)/python -m build_scripts $(if $(STRICT),--strict) build --renderer $(RENDERER)

serve: $(RENDERER_STAMP)  ## Live preview; rebuilds when content/ or bib/ change (RENDERER=zensical: with Zensical)
	$(BIN)/python -m build_scripts serve --renderer $(RENDERER)

check: $(STAMP)  ## Validate notes and bibliography without building
	$(BIN)/python -m build_scripts check

add-source: $(STAMP)  ## Add BibTeX entries and a note skeleton each: make add-source BIB=new.bib (BIB=- for stdin)
	$(BIN)/python -m build_scripts add-source $(BIB)

test: $(DSTAMP) $(ZSTAMP) browser-deps lint  ## Lint, type-check, then run the whole test suite (browser tests included; skip them with -m "not browser")
	$(BIN)/python -m pytest -q

test-no-browser: $(DSTAMP) $(ZSTAMP) lint  ## Lint, type-check, then the test suite without the browser tests (no chromium or npm needed; what CI runs)
	$(BIN)/python -m pytest -q -m "not browser"

lint: $(DSTAMP)  ## ruff (lint and format) and mypy (types), as configured in pyproject.toml
	$(BIN)/ruff check build_scripts tests benchmarks
	$(BIN)/ruff format --check build_scripts tests benchmarks
	$(BIN)/mypy

# The browser tests drive Debian's chromium through Playwright (never `playwright install`).
# Installs it with apt-get when /usr/bin/chromium is missing: as root, else through sudo.
CHROMIUM := /usr/bin/chromium
# The accessibility tests inject axe-core, pinned in package.json / package-lock.json (npm registry).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && echo "npm is missing: installing it with apt-get for the accessibility tests" \
	  && apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y npm; } \
	  || { echo "error: the accessibility tests need npm (apt-get install npm) to fetch axe-core" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

browser-deps: $(AXE)  ## Install Debian's chromium (if missing) and axe-core for the browser tests
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	fail() { echo "error: $$1" >&2; \
	         echo "error: the browser tests need Debian's chromium at $(CHROMIUM) (apt-get install chromium)," >&2; \
	         echo "error: or run the other tests only: $(BIN)/python -m pytest -q -m 'not browser'" >&2; exit 1; }; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else fail "$(CHROMIUM) is missing and cannot be installed: not root and no sudo"; fi; \
	command -v apt-get >/dev/null 2>&1 || fail "$(CHROMIUM) is missing and apt-get is not available"; \
	echo "$(CHROMIUM) is missing: installing chromium with apt-get for the browser tests"; \
	$$SUDO apt-get update || fail "apt-get update failed"; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || fail "apt-get install -y chromium failed"; \
	[ -x $(CHROMIUM) ] || fail "chromium was installed but $(CHROMIUM) is still missing"

bench: $(STAMP)  ## Time builds at 50, 500 and 5,000 notes against a floor and mkdocs-bibtex; writes benchmarks/results.md
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf site .research-cache .cache node_modules
