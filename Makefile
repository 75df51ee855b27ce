# Firebreak — `make run` and `make test` are the quick start (README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PG_URL ?= postgres://root@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/5
PYTEST_ARGS ?=

.PHONY: install run test test-pg test-browser test-all lint format bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

# Web + Celery worker + beat on the embedded default (SQLite, filesystem broker). Ctrl-C stops all three.
# HOST= and PORT= choose where the web process listens; links in e-mail and Slack follow (settings).
# Worker and beat stay in this shell's process group (no job control), and the trap stops them when
# the web process ends, however it ends.
run: install
	@export HOST=$(HOST) PORT=$(PORT); \
	  $(BIN)/python manage.py migrate --noinput -v0 && \
	  $(BIN)/python manage.py load_demo && \
	  $(BIN)/python manage.py rebuild_search_index && \
	  $(BIN)/python manage.py collectstatic --noinput -v0 || exit 1; \
	  trap 'kill $$worker $$beat 2>/dev/null; wait $$worker $$beat 2>/dev/null' INT TERM EXIT; \
	  $(BIN)/celery -A config worker --loglevel=INFO --concurrency=2 --pool=prefork & worker=$$!; \
	  $(BIN)/celery -A config beat --loglevel=INFO & beat=$$!; \
	  echo ""; \
	  echo "  Firebreak is running at http://$(HOST):$(PORT)/"; \
	  echo "  Log in as demo / firebreak-demo   (admin: admin / firebreak-admin)"; \
	  echo "  Worker and scheduler are running; Ctrl-C stops everything."; \
	  echo ""; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Unit and integration tests on the embedded default (SQLite + filesystem broker, real Celery worker).
test: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# The same suite against PostgreSQL and Redis (both must be running; .ci/run starts them).
test-pg: install
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# Browser tests in Debian's Chromium (/usr/bin/chromium) through Playwright.
test-browser: install
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

test-all: test test-pg test-browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done || echo "no benchmarks yet"

clean:
	rm -rf var .pytest_cache
