# Two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint security audit bandit lock messages compose-check clean bench faults

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	test -x $(VENV)/bin/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create .venv: on Debian/Ubuntu install python3.11-venv first."; exit 1; }; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Demo data is loaded once, on an empty database; seed_demo itself is idempotent.
demo: migrate
	$(PY) manage.py seed_demo --if-empty

# The web server with the portal's clock beside it: a Celery worker and beat
# (demo/management/commands/run_embedded.py; their logs in var/log/). Ctrl-C
# stops all three. ADDRPORT=127.0.0.1:8001 for another port.
ADDRPORT ?= 127.0.0.1:8000
run: demo
	$(PY) manage.py print_demo_logins
	$(PY) manage.py run_embedded $(ADDRPORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The benchmark of issue 10 (bench/harness.py, README "Benchmark"): fills
# PostgreSQL at full and 10 % scale, serves it with gunicorn, Redis and a
# Celery worker, drives it with wrk, writes var/bench/latest.{json,md}.
# Starts PostgreSQL and Redis first if they are not running. Options through
# BENCH_ARGS, e.g. make bench BENCH_ARGS="--reuse --duration 10".
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://oasis:oasis@127.0.0.1:5432/oasis)
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
bench: install
	bash .ci/servers
	@command -v wrk >/dev/null 2>&1 || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	$(PY) -m bench.harness --database-url $(BENCH_DATABASE_URL) --redis-url $(BENCH_REDIS_URL) $(BENCH_ARGS)

# Faults under load (README, "Faults survived"): its own Redis (6380) and
# PostgreSQL cluster (15/faults on 5433), gunicorn, a worker, beat and a mail
# sink; each fault injected in turn; results in var/faults/. Needs root (it
# creates the cluster and mounts a small tmpfs as the media disk). About
# 8-10 minutes; FAULTS_ARGS=--quick for a shorter run.
faults: install
	$(PY) faults/run.py $(FAULTS_ARGS)

lint: install
	$(VENV)/bin/ruff check .

# Security checks, kept out of `make test` (CI runs them after it).
security: audit bandit

# Known vulnerabilities in the locked packages. Says plainly when the
# vulnerability database cannot be reached (see .ci/audit.py); exits non-zero
# on a vulnerability, and on an unreachable database with OASIS_AUDIT_REQUIRED=1.
audit: install
	$(PY) .ci/audit.py

# Static check of our code; config in pyproject.toml [tool.bandit], every
# finding triaged in the code (`# nosec BXXX  # why`).
bandit: install
	$(VENV)/bin/bandit -c pyproject.toml -r . -q
	@echo "bandit: no untriaged findings"

# Recompile the lock after changing dependencies in pyproject.toml.
lock: install
	$(VENV)/bin/pip-compile --quiet --no-emit-index-url --no-emit-find-links --extra dev --strip-extras -o requirements.lock pyproject.toml

# Refresh the translation catalogue and compile it (needs GNU gettext).
# Korean only: English is the source language (the msgids), so an English
# catalogue would hold nothing but empty translations.
messages: install
	$(PY) manage.py makemessages -l ko --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

compose-check:
	docker compose config --quiet
	docker compose -f docker-compose.yml -f docker-compose.tls.yml config --quiet

clean:
	rm -rf $(VENV) var
