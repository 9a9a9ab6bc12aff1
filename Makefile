# Two commands for a newcomer: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: site test lint serve golden clean chromium firefox

site: $(STAMP)
	$(BIN)/digest build
	@echo "Open site/index.html in a browser (it works from disk, offline), or run 'make serve'."

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,bench,cluster]'
	touch $@

# Chromium from the system's packages (Playwright's own browser download is not used).
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing at $(CHROMIUM): install it (apt-get install chromium) or set CHROMIUM=/path"; exit 1; \
		fi; \
	fi

# Firefox ESR from the system's packages, for the search test from file:// in a second browser
# (after Chromium, whose packages bring the libraries it shares).
FIREFOX ?= firefox-esr
firefox: chromium
	@if ! command -v $(FIREFOX) >/dev/null; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq --no-install-recommends firefox-esr >/dev/null; \
		else \
			echo "Firefox is missing: install it (apt-get install firefox-esr) or set FIREFOX=name"; exit 1; \
		fi; \
	fi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: $(TEST_STAMP) chromium firefox node_modules/.package-lock.json
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy generator
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q

serve: $(STAMP)
	$(BIN)/digest serve

# Regenerate the golden pages on purpose, after a change to the output that is intended.
golden: $(STAMP)
	$(BIN)/python -m tests.golden --update

clean:
	rm -rf build site .venv node_modules
