# BudgetQL: `make run` and `make test` install what is missing, build, and run.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test build deps check clean

deps:
	@pkg-config --exists libedit 2>/dev/null || { \
	  echo "Installing libedit-dev (the one system dependency)…"; \
	  $(SUDO) apt-get install -y libedit-dev || { $(SUDO) apt-get update && $(SUDO) apt-get install -y libedit-dev; }; }

build: deps
	$(SWIFT) build

run: build
	$(SWIFT) run --skip-build bql

check: build
	$(SWIFT) run --skip-build bql check Datasets

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build
