# The project's commands; each one sets up what it needs first (scripts/setup.sh).
.PHONY: help setup run test lint bench test-coexistence format

help:
	@echo "make run    set up, create the demo database once, serve Odoo on http://localhost:8069"
	@echo "make test   set up, lint, install in a fresh database, run the whole test suite"
	@echo "make lint   ruff, pylint-odoo, OCA's checks, prettier, generated readmes"
	@echo "make test-coexistence  beside the community add-ons for lots and barcodes (PyPI, 18.0)"
	@echo "make format prettier on every XML and JavaScript file of the add-ons"
	@echo "make setup  set up only (packages, Odoo 18.0 source, venv, PostgreSQL)"
	@echo "make bench  benchmarks: receipt and sale of 1,000 and 5,000 serials, add-on against native Odoo"

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

bench:
	bash scripts/bench.sh

test-coexistence:
	bash scripts/coexistence.sh

format:
	bash scripts/format.sh
