# Minutebook: two commands.
#   make run   set up, migrate the embedded SQLite database, load the demo, serve on 127.0.0.1:8000
#              (make run PORT=8001 for another port)
#              with a task worker beside the web server (Ctrl-C stops both)
#   make test  run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
# and, for production (README, "Deploying"):
#   make serve migrate, collect static files, check the deployment, run gunicorn and a task worker
# and, after changing requirements*.txt:
#   make lock  regenerate requirements.lock and requirements-dev.lock (pinned, with hashes)

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
PIP := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: run test setup serve lock audit lint format bench clean

$(BIN)/pip:
	@command -v $(PYTHON) >/dev/null || { echo "Minutebook needs Python 3.11+: sudo apt-get install -y python3 python3-venv" >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create the virtual environment: sudo apt-get install -y python3-venv" >&2; exit 1; }

# Packages come from the lock files, every one pinned with its hashes (make lock makes them
# from requirements*.txt); scripts/check-lock stops the install when they no longer match.
# Development and tests: everything.
$(STAMP): requirements-dev.lock requirements.txt requirements-dev.txt | $(BIN)/pip
	scripts/check-lock
	$(PIP) --require-hashes -r requirements-dev.lock
	touch $(STAMP) $(RUNTIME_STAMP)

# Production: what the app needs to run, nothing else.
$(RUNTIME_STAMP): requirements.lock requirements.txt | $(BIN)/pip
	scripts/check-lock
	$(PIP) --require-hashes -r requirements.lock
	touch $(RUNTIME_STAMP)

# After changing requirements*.txt: regenerate the lock files, then commit them.
lock: | $(BIN)/pip
	$(PIP) pip-tools==7.6.2
	PYTHON=$(BIN)/python scripts/lock

# Known vulnerabilities in the locked packages (CI runs this).
audit: $(STAMP)
	scripts/audit $(BIN)/python

setup: $(STAMP)
	scripts/system-packages run

run: setup
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py load_demo
	DEBUG=true PYTHON=$(BIN)/python scripts/with-worker $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: $(RUNTIME_STAMP)
	scripts/system-packages run
	PYTHON=$(BIN)/python scripts/serve

test: $(STAMP)
	scripts/system-packages test
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
