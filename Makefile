# BudgetQL: `make run` and `make test` install what is missing, build, and run.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test build deps test-deps check clean

deps:
	@pkg-config --exists libedit 2>/dev/null || { \
	  echo "Installing libedit-dev (the one system dependency)…"; \
	  $(SUDO) apt-get install -y libedit-dev || { $(SUDO) apt-get update && $(SUDO) apt-get install -y libedit-dev; }; }

# The REPL's pseudo-terminal tests read the rendered screen through tmux.
test-deps: deps
	@command -v tmux >/dev/null 2>&1 || { \
	  echo "Installing tmux (used by the REPL's pseudo-terminal tests)…"; \
	  $(SUDO) apt-get install -y tmux || { $(SUDO) apt-get update && $(SUDO) apt-get install -y tmux; }; }

build: deps
	$(SWIFT) build

run: build
	$(SWIFT) run --skip-build bql

check: build
	$(SWIFT) run --skip-build bql check Datasets

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@echo "== Examples/DepartmentReport (embeds the engine through its public API)"
	$(SWIFT) run --skip-build department-report

clean:
	rm -rf .build
