# One command to build the site, one to run the tests; both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site serve test check add-source clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

site: $(STAMP)  ## Build the static site into site/
	$(BIN)/python -m build_scripts build

serve: $(STAMP)  ## Live preview; rebuilds when content/ or bib/ change
	$(BIN)/mkdocs serve

check: $(STAMP)  ## Validate notes and bibliography without building
	$(BIN)/python -m build_scripts check

add-source: $(STAMP)  ## Add BibTeX entries and a note skeleton each: make add-source BIB=new.bib (BIB=- for stdin)
	$(BIN)/python -m build_scripts add-source $(BIB)

test: $(STAMP)  ## Run the whole test suite
	$(BIN)/python -m pytest -q

clean:
	rm -rf site .cache
