# Two commands do all the set-up: `make run` starts the bot (the offline sandbox when no Slack
# tokens are set), `make test` runs the tests. Both create .venv and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean migration

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache flipside.db flipside-sandbox.db*

# Until the first release the schema is one migration, regenerated from store/models.py.
migration: $(STAMP)
	rm -f store/migrations/versions/0001_*.py /tmp/flipside-migration.db
	DATABASE_URL=sqlite+aiosqlite:////tmp/flipside-migration.db $(BIN)/alembic revision --autogenerate -m "initial schema" --rev-id 0001
	sed -i 's/[[:space:]]*$$//' store/migrations/versions/0001_*.py
