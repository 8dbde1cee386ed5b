# Canal: `make run` serves the platform with demo data; `make test` runs lint and every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# E-mail links name the address the server listens on unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: install run test test-sqlite test-postgres lint format bench messages lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/canal migrate --no-input -v0
	$(BIN)/canal demo
	@mkdir -p var
	@# The worker's output (the demo's e-mails) and the access log go to files, and the banner waits
	@# until the server answers and the queue is empty: it is printed last and stays on the screen.
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/canal worker >var/worker.log 2>&1 & \
	  $(BIN)/canal smtp >var/smtp.log 2>&1 & \
	  $(BIN)/canal serve --bind $(HOST):$(PORT) >var/access.log & \
	  $(BIN)/python -m canal.banner --wait http://$(HOST):$(PORT)/; \
	  wait

test: install lint
	$(BIN)/python scripts/run_tests.py

lint: install
	$(BIN)/ruff check src bench scripts
	$(BIN)/ruff format --check src bench scripts

format: install
	$(BIN)/ruff check --fix src bench scripts
	$(BIN)/ruff format src bench scripts

bench: install
	$(BIN)/python bench/run.py

messages: install
	scripts/update_catalogs.sh

lock: install
	$(BIN)/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) var
