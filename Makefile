# Canal: `make run` serves the platform with demo data; `make test` runs lint and every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

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
	@$(BIN)/python -m canal.banner http://$(HOST):$(PORT)/
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/canal worker & \
	  $(BIN)/canal smtp & \
	  $(BIN)/canal serve --bind $(HOST):$(PORT)

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
