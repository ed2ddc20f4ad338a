# Partnerlens: the two commands in the README, and a few helpers.
SHELL := /bin/bash
PY := .venv/bin/python
PG_URL := postgres://partnerlens:partnerlens@127.0.0.1:5432/partnerlens
DEPLOY_ENV := DJANGO_ENV=production ALLOWED_HOSTS=partnerlens.example.org \
	SECRET_KEY=check-deploy-only-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ

.PHONY: run test setup lint check-deploy test-sqlite test-postgres messages

# scripts/run: the mail catcher, load_demo --migrate (new migrations, then the demo), the
# task worker and the web server, which starts while the demo loads and listens once it is in.
run: setup
	@bash scripts/run

setup:
	@bash scripts/setup

test:
	@bash scripts/setup --test
	@$(MAKE) --no-print-directory lint check-deploy test-sqlite test-postgres

lint:
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/bandit -q -r partnerlens -x '*/tests/*' --severity-level high  # docs/decisions.md
	$(PY) manage.py makemigrations --check --dry-run

check-deploy:
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# The suites run in parallel (pytest-xdist): one worker a core, each with its own test
# database; see "Parallel tests" in docs/decisions.md. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup

test-sqlite:
	.venv/bin/pytest -q $(PARALLEL)

test-postgres:
	DATABASE_URL=$(PG_URL) .venv/bin/pytest -q $(PARALLEL) --database-tests-only

messages:
	cd partnerlens && ../$(PY) ../manage.py makemessages -l cy --no-obsolete
