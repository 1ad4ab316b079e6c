# Quick start: `make run` (set up everything and serve), `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint messages bench bench-full install assets db seed clean

run: install assets db
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install assets
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check app tests bench

# every text to translate (templates, services' messages) into messages.pot, for a translator
messages: install
	$(BIN)/pybabel extract --no-location -F babel.cfg -k _l -k count_text:1,2 -o messages.pot .

bench: install assets
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-full: install assets
	$(BIN)/python bench/run.py --full $(BENCH_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

assets: static/vendor/.installed

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/@picocss/pico/css/pico.min.css static/vendor/pico.min.css
	touch $@

db: install
	mkdir -p instance
	$(FLASK) db upgrade

seed: db
	$(FLASK) seed-demo

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
