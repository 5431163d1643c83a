# Two commands on a fresh machine with python3 and make:
#   make demo   build the graph of the bundled example article into out/
#   make test   lint and format check (ruff), type-check (mypy), then the whole test suite
#               on two processes (pytest-xdist; PYTEST_ARGS='-n 0' runs it on one)
#               (PYTEST_ARGS=... narrows it, e.g. -m 'not browser')
# Both create .venv (if missing) and install graphbuilder into it, editable, with the
# test extras. The browser tests drive Debian's chromium: when it is missing and we
# run as root, `make test` installs it with apt-get; otherwise install it yourself.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.graphbuilder-installed

.PHONY: demo test install chromium clean

demo: install
	$(BIN)/graphbuilder build --out out
	@echo
	@echo "Open out/graph.html in a browser; ask with: $(BIN)/graphbuilder query timeline"

test: install chromium
	$(BIN)/ruff check graphbuilder tests bench
	$(BIN)/ruff format --check graphbuilder tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

install: $(INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the package metadata changes; the package itself is editable.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

chromium:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium for the browser tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
	  echo "warning: chromium not found; install it (apt-get install chromium) for the browser tests" >&2; \
	fi

clean:
	rm -rf out .pytest_cache
