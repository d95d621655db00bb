# BudgetQL: `make run` and `make test` install what is missing, build, and run.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test build deps test-deps check clean format lint release install uninstall

# Formatting and lint with the toolchain's swift-format and the committed .swift-format.
FORMAT_PATHS := Sources Tests Examples Benchmarks/Runner Package.swift
format:
	$(SWIFT) format format -i -r $(FORMAT_PATHS)

lint:
	$(SWIFT) format lint --strict -r $(FORMAT_PATHS)

# A release build in which every warning is an error (CI runs it).
release: deps
	$(SWIFT) build -c release -Xswiftc -warnings-as-errors

deps:
	@pkg-config --exists libedit 2>/dev/null || { \
	  echo "Installing libedit-dev (the one system dependency)…"; \
	  $(SUDO) apt-get install -y libedit-dev || { $(SUDO) apt-get update && $(SUDO) apt-get install -y libedit-dev; }; }

# The REPL's pseudo-terminal tests read the rendered screen through tmux; the differential
# tests run the translated SQL with the sqlite3 shell.
test-deps: deps
	@for tool in tmux sqlite3; do command -v $$tool >/dev/null 2>&1 || { \
	  echo "Installing $$tool (used by the tests)…"; \
	  $(SUDO) apt-get install -y $$tool || { $(SUDO) apt-get update && $(SUDO) apt-get install -y $$tool; }; }; done

build: deps
	$(SWIFT) build

run: build
	$(SWIFT) run --skip-build bql

check: build
	$(SWIFT) run --skip-build bql check Datasets

test: test-deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@echo "== Examples/DepartmentReport (embeds the engine through its public API)"
	$(SWIFT) run --skip-build department-report

clean:
	rm -rf .build

# `make install` (PREFIX=/usr/local by default; DESTDIR for packaging) builds bql in release mode
# with the Swift runtime linked in, and installs it as PREFIX/bin/bql with the bundled datasets in
# PREFIX/share/bql/Datasets, where bql finds them from any directory. INSTALL_BUILD=no installs
# the bql that .build/$(CONFIG) already holds, without building (the tests use it).
PREFIX ?= /usr/local
CONFIG ?= release
INSTALL_BUILD ?= yes
install:
	@if [ "$(INSTALL_BUILD)" != no ]; then $(MAKE) deps && \
	  $(SWIFT) build -c $(CONFIG) --product bql $(if $(filter release,$(CONFIG)),--static-swift-stdlib,); fi
	@test -x .build/$(CONFIG)/bql || { echo "no .build/$(CONFIG)/bql: run make install without INSTALL_BUILD=no"; exit 1; }
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/bql"
	install -m 755 .build/$(CONFIG)/bql "$(DESTDIR)$(PREFIX)/bin/bql"
	rm -rf "$(DESTDIR)$(PREFIX)/share/bql/Datasets"
	cp -R Datasets "$(DESTDIR)$(PREFIX)/share/bql/Datasets"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/bql and $(DESTDIR)$(PREFIX)/share/bql/Datasets"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/bql"
	rm -rf "$(DESTDIR)$(PREFIX)/share/bql"

# Benchmarks (Benchmarks/README.md): BudgetQL vs SQLite vs DuckDB on a generated dataset.
# `make bench` uses 500 departments; national scale is `make bench BENCH_DEPARTMENTS=20000`.
BENCH_DEPARTMENTS ?= 500
BENCH_RUNS ?= 5
BENCH_VENV := Benchmarks/.venv
BENCH_PY := $(BENCH_VENV)/bin/python3
BENCH_DUCKDB := 1.5.6

.PHONY: bench bench-deps bench-build

bench-deps: deps
	@command -v sqlite3 >/dev/null 2>&1 || { $(SUDO) apt-get install -y sqlite3 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y sqlite3; }; }
	@command -v hyperfine >/dev/null 2>&1 || $(SUDO) apt-get install -y hyperfine >/dev/null 2>&1 || \
	  echo "(hyperfine unavailable: cold start is timed with repeated runs)"
	@test -x $(BENCH_PY) || python3 -m venv $(BENCH_VENV) || { rm -rf $(BENCH_VENV); \
	  $(SUDO) apt-get install -y python3-venv && python3 -m venv $(BENCH_VENV); }
	@$(BENCH_PY) -c 'import duckdb, sys; sys.exit(duckdb.__version__ != "$(BENCH_DUCKDB)")' 2>/dev/null || { \
	  echo "Installing duckdb $(BENCH_DUCKDB) into $(BENCH_VENV)…"; $(BENCH_PY) -m pip install -q 'duckdb==$(BENCH_DUCKDB)'; }

bench-build: deps
	@# SwiftPM does not notice files added to the root package (a path dependency of the runner)
	@# without a fresh build description; removing it keeps the compiled objects.
	@rm -f Benchmarks/Runner/.build/build.db Benchmarks/Runner/.build/release/description.json
	$(SWIFT) build -c release --package-path Benchmarks/Runner --product bql-bench
	$(SWIFT) build -c release --package-path Benchmarks/Runner --product bql

bench: bench-deps bench-build
	$(BENCH_PY) Benchmarks/bench.py --departments $(BENCH_DEPARTMENTS) --runs $(BENCH_RUNS)

# API documentation with the toolchain's DocC, from the libraries' symbol graphs (no plugin needed).
.PHONY: docs
docs: deps
	$(SWIFT) package dump-symbol-graph --minimum-access-level public
	@for lib in BudgetModel BudgetQL BudgetShell; do \
	  rm -rf .build/docc-$$lib && mkdir -p .build/docc-$$lib && \
	  cp .build/*/symbolgraph/$$lib.symbols.json .build/*/symbolgraph/$$lib@*.symbols.json .build/docc-$$lib/ 2>/dev/null; \
	  docc convert --additional-symbol-graph-dir .build/docc-$$lib --fallback-display-name $$lib \
	    --fallback-bundle-identifier org.budgetql.$$lib --output-path .build/$$lib.doccarchive --analyze || exit 1; \
	done
	@echo "DocC archives: .build/BudgetModel.doccarchive .build/BudgetQL.doccarchive .build/BudgetShell.doccarchive"
