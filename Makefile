# BudgetQL: `make run` and `make test` install what is missing, build, and run.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test build deps test-deps check clean format lint release install uninstall

# Formatting and lint with the toolchain's swift-format and the committed .swift-format.
FORMAT_PATHS := Sources Tests Examples Benchmarks/Runner Package.swift Fuzz/Sources Fuzz/Package.swift
format:
	$(SWIFT) format format -i -r $(FORMAT_PATHS)

lint:
	$(SWIFT) format lint --strict -r $(FORMAT_PATHS)

# A release build in which every warning is an error (CI runs it).
release: deps
	$(SWIFT) build -c release -Xswiftc -warnings-as-errors

deps:
	@pkg-config --exists libedit 2>/dev/null || { \
	  echo "Installing libedit-dev (the REPL's line editor)…"; \
	  $(SUDO) apt-get install -y libedit-dev || { $(SUDO) apt-get update && $(SUDO) apt-get install -y libedit-dev; }; }
	@# `bql import` reads PDFs with poppler's pdftotext (Debian poppler-utils).
	@command -v pdftotext >/dev/null 2>&1 || { \
	  echo "Installing poppler-utils (pdftotext, for bql import)…"; \
	  $(SUDO) apt-get install -y poppler-utils || { $(SUDO) apt-get update && $(SUDO) apt-get install -y poppler-utils; }; }

# The REPL's pseudo-terminal tests read the rendered screen through tmux; the differential
# tests run the translated SQL with the sqlite3 shell; the import tests read PDFs with pdftotext
# (installed by deps).
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
# Consecutive budgets per body in the generated data (the window question q12 compares them).
BENCH_YEARS ?= 3
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
	$(BENCH_PY) Benchmarks/bench.py --departments $(BENCH_DEPARTMENTS) --years $(BENCH_YEARS) --runs $(BENCH_RUNS)

# `bql import`: seconds per document and documents per minute on every core (the sample PDFs,
# copied BENCH_IMPORT_COPIES times). Needs pdftotext (deps) and bc.
BENCH_IMPORT_COPIES ?= 10
.PHONY: bench-import
bench-import: deps
	@command -v bc >/dev/null 2>&1 || $(SUDO) apt-get install -y bc
	$(SWIFT) build -c release --product bql
	Benchmarks/import-bench.sh .build/release/bql $(BENCH_IMPORT_COPIES)

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

# Fuzzing (Fuzz/, docs/RELIABILITY.md): four libFuzzer targets — the query path (batch against
# row by row), the dataset loader, the model-cache decoder and the store reader — built with ASan in a
# package of their own. `make fuzz` runs each for FUZZ_SECONDS; `make fuzz-smoke` is the CI pass
# (115 s of fuzzing in all). Seeds are generated from Tests/Corpus, docs/LANGUAGE.md, Queries/ and
# Datasets/ into Fuzz/seeds; what libFuzzer finds goes to Fuzz/corpus and Fuzz/artifacts.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := fuzz-query fuzz-dataset fuzz-cache fuzz-store fuzz-import
FUZZ_BIN := Fuzz/.build/release
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:handle_abort=1 SWIFT_BACKTRACE=enable=no
FUZZ_OPTS_fuzz-query := -max_len=4096 -dict=Fuzz/budgetql.dict
FUZZ_OPTS_fuzz-dataset := -max_len=131072 -dict=Fuzz/budgetql.dict
FUZZ_OPTS_fuzz-cache := -max_len=262144
FUZZ_OPTS_fuzz-store := -max_len=524288
FUZZ_OPTS_fuzz-import := -max_len=65536

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-seeds

fuzz-build: deps
	$(SWIFT) build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld

fuzz-seeds: fuzz-build
	@for t in $(FUZZ_TARGETS); do rm -rf Fuzz/seeds/$$t; \
	  $(FUZZ_ENV) $(FUZZ_BIN)/$$t --write-seeds Fuzz/seeds/$$t || exit 1; done

# One target for SECONDS: new inputs go to Fuzz/corpus/TARGET, reproducers to Fuzz/artifacts/TARGET.
define fuzz_run
	@mkdir -p Fuzz/corpus/$(1) Fuzz/artifacts/$(1) Fuzz/logs
	@echo "== $(1) for $(2) s"
	$(FUZZ_ENV) $(FUZZ_BIN)/$(1) Fuzz/corpus/$(1) Fuzz/seeds/$(1) $(FUZZ_OPTS_$(1)) -max_total_time=$(2) \
	  -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=Fuzz/artifacts/$(1)/ \
	  2>&1 | tee Fuzz/logs/$(1).log | grep -E "^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::|==[0-9]+==ERROR|BUDGETQL FUZZ FAILURE|SUMMARY|artifact_prefix|Test unit written)"; \
	  test $${PIPESTATUS[0]} -eq 0
endef

fuzz: SHELL := /bin/bash
fuzz: fuzz-seeds
	$(call fuzz_run,fuzz-query,$(FUZZ_SECONDS))
	$(call fuzz_run,fuzz-dataset,$(FUZZ_SECONDS))
	$(call fuzz_run,fuzz-cache,$(FUZZ_SECONDS))
	$(call fuzz_run,fuzz-store,$(FUZZ_SECONDS))
	$(call fuzz_run,fuzz-import,$(FUZZ_SECONDS))

fuzz-smoke: SHELL := /bin/bash
fuzz-smoke: fuzz-seeds
	$(call fuzz_run,fuzz-query,40)
	$(call fuzz_run,fuzz-dataset,25)
	$(call fuzz_run,fuzz-cache,15)
	$(call fuzz_run,fuzz-store,15)
	$(call fuzz_run,fuzz-import,20)

# What the limits hold on the reliability issue's queries (outcome, time, peak memory), one case
# per process; a release build without sanitizers in a scratch folder of its own.
.PHONY: limits-probe
limits-probe: deps
	$(SWIFT) build -c release --package-path Fuzz --scratch-path Fuzz/.build-probe --product limits-probe
	@for c in $$(Fuzz/.build-probe/release/limits-probe list); do for m in batch rows; do \
	  Fuzz/.build-probe/release/limits-probe $$c $$m || exit 1; done; done

# Spark SQL (README "When your data outgrows one machine"): `make spark-deps` installs pyspark
# in Benchmarks/.venv-spark (Java 17 must be on the PATH: Debian's openjdk-17-jre-headless);
# `make spark-test` then runs the opt-in Spark differential test (every corpus query through
# PySpark in local mode, compared with BudgetQL's answers).
SPARK_VENV := Benchmarks/.venv-spark
SPARK_PY := $(SPARK_VENV)/bin/python3
SPARK_VERSION := 3.5.3

.PHONY: spark-deps spark-test

spark-deps:
	@command -v java >/dev/null 2>&1 || { $(SUDO) apt-get install -y openjdk-17-jre-headless || \
	  { $(SUDO) apt-get update && $(SUDO) apt-get install -y openjdk-17-jre-headless; }; }
	@test -x $(SPARK_PY) || python3 -m venv $(SPARK_VENV) || { rm -rf $(SPARK_VENV); \
	  $(SUDO) apt-get install -y python3-venv && python3 -m venv $(SPARK_VENV); }
	@$(SPARK_PY) -c 'import pyspark, sys; sys.exit(pyspark.__version__ != "$(SPARK_VERSION)")' 2>/dev/null || { \
	  echo "Installing pyspark $(SPARK_VERSION) into $(SPARK_VENV)…"; $(SPARK_PY) -m pip install -q 'pyspark==$(SPARK_VERSION)'; }

spark-test: spark-deps deps
	BQL_SPARK_PYTHON=$(SPARK_PY) $(SWIFT) test --filter everyCorpusQueryGivesTheSameAnswerOnSparkWhenAvailable
