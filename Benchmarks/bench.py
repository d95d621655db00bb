#!/usr/bin/env python3
"""BudgetQL against SQLite and DuckDB on the same synthetic CSV datasets.

    python3 Benchmarks/bench.py [--departments N] [--runs 5] [--warmup 1]

(`make bench` builds the Swift runner, installs DuckDB if missing, and runs this.)

1. Generates Benchmarks/data/<N>/ if missing (generate.py, deterministic).
2. Loads the data into each engine, timing the load and recording peak memory:
   BudgetQL through Benchmarks/Runner (bql-bench, in-process `Catalog.open`), SQLite through
   the sqlite3 CLI (a load script of .import + INSERT … SELECT into a fresh database file),
   DuckDB through its Python package (read_csv over the folders, in memory).
3. Answers every question once in each engine and compares the answers: the same rows, the
   same values to the cent, in the same order where the question orders. A question whose
   answers differ is NOT timed; the difference is printed.
4. Times each agreeing question: warm-up run(s), then --runs timed runs; reports medians and
   BudgetQL's ratio to each engine (ratio < 1: BudgetQL is faster).
5. Times `bql -e` from cold start to exit on the bundled five departments (hyperfine when
   installed, else repeated runs).

Results: printed, and written to Benchmarks/data/results-<N>.{json,md}. Timings never fail the
run; only wrong answers make it exit 1.
"""

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal, InvalidOperation

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # no __pycache__ inside the root package's tree
sys.path.insert(0, HERE)
import questions as Q  # noqa: E402
import schema  # noqa: E402

RUNNER_BIN = os.path.join(HERE, "Runner", ".build", "release", "bql-bench")
BQL_BIN = os.path.join(HERE, "Runner", ".build", "release", "bql")
SQLITE = shutil.which("sqlite3") or "/usr/bin/sqlite3"
COLD_QUERY = "projects | where amount > 100 | sort -amount | take 5 | select dept, name, amount"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Engines as processes speaking JSON lines (bql-bench, duckdb_engine.py)

class JsonProcess:
    def __init__(self, argv, name):
        self.name = name
        self.started = time.perf_counter()
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
        self.loaded = self.read()
        self.wall_load = time.perf_counter() - self.started
        if self.loaded.get("event") != "loaded":
            raise SystemExit(f"{name}: failed to load: {self.loaded}")

    def read(self):
        line = self.p.stdout.readline()
        if not line:
            raise SystemExit(f"{self.name}: exited unexpectedly (code {self.p.wait()})")
        return json.loads(line)

    def ask(self, obj):
        self.p.stdin.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self.p.stdin.flush()
        return self.read()

    def close(self):
        self.p.stdin.close()
        _, status, usage = os.wait4(self.p.pid, 0)
        self.p.returncode = os.waitstatus_to_exitcode(status)
        return usage.ru_maxrss


def run_rusage(argv, stdin_path=None):
    """Like run_measured but with the child's own peak RSS (os.wait4)."""
    t0 = time.perf_counter()
    fin = open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb")
    out_f = tempfile.TemporaryFile()
    err_f = tempfile.TemporaryFile()
    p = subprocess.Popen(argv, stdin=fin, stdout=out_f, stderr=err_f)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    fin.close()
    out_f.seek(0)
    err_f.seek(0)
    return wall, usage.ru_maxrss, out_f.read().decode("utf-8", "replace"), err_f.read().decode("utf-8", "replace"), p.returncode


# ---------------------------------------------------------------------------------------------
# SQLite through the sqlite3 CLI

SQLITE_PRAGMAS = ("PRAGMA cache_size = -4000000;\nPRAGMA temp_store = MEMORY;\nPRAGMA mmap_size = 17179869184;\n"
                  "PRAGMA threads = 2;\n")


class SQLiteEngine:
    def __init__(self, data_dir, db_path, work):
        self.db = db_path
        self.work = work
        script = os.path.join(work, "sqlite-load.sql")
        with open(script, "w", encoding="utf-8") as f:
            schema.sqlite_load_script(data_dir, f)
        for p in (db_path, db_path + "-journal"):
            if os.path.exists(p):
                os.remove(p)
        log(f"sqlite: loading {data_dir} into {db_path} …")
        wall, rss, out, err, code = run_rusage([SQLITE, "-bail", db_path], stdin_path=script)
        if code != 0 or err.strip():
            raise SystemExit(f"sqlite load failed (exit {code}):\n{err[:2000]}")
        self.load_seconds, self.load_rss = wall, rss
        self.query_rss = 0
        self.version = subprocess.run([SQLITE, "-version"], capture_output=True, text=True).stdout.split()[0]

    def answers(self, qs):
        script = os.path.join(self.work, "sqlite-answers.sql")
        files = {}
        with open(script, "w", encoding="utf-8") as f:
            f.write(".output /dev/null\n" + SQLITE_PRAGMAS + ".output stdout\n.mode csv\n.headers on\n")
            for qid, sql in qs:
                files[qid] = os.path.join(self.work, f"sqlite-{qid}.csv")
                f.write(f".once '{files[qid]}'\n{sql};\n")
        wall, rss, out, err, code = run_rusage([SQLITE, self.db], stdin_path=script)
        self.query_rss = max(self.query_rss, rss)
        result = {}
        for qid, _ in qs:
            if not os.path.exists(files[qid]):
                result[qid] = {"error": err.strip() or "no output"}
                continue
            with open(files[qid], newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            result[qid] = {"columns": rows[0] if rows else [], "rows": rows[1:]}
        if err.strip():
            log(f"sqlite: {err.strip()[:1000]}")
        return result

    def time(self, qs, runs, warmup):
        """Times each query in one interactive sqlite3 process. The CLI's own `.timer` has only
        millisecond resolution, so each run is timed from here: the query (output to /dev/null)
        followed by a marker SELECT whose output line ends the run. The round trip of the
        marker alone (median of 50) is subtracted; it is reported as `overhead`."""
        p = subprocess.Popen([SQLITE, self.db], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, encoding="utf-8", bufsize=1)
        p.stdin.write(".output /dev/null\n" + SQLITE_PRAGMAS)
        counter = [0]

        def once(sql):
            counter[0] += 1
            mark = f"bench-mark-{counter[0]}"
            t0 = time.perf_counter()
            p.stdin.write(f".output /dev/null\n{sql}\n.output stdout\nSELECT '{mark}';\n")
            p.stdin.flush()
            while True:
                line = p.stdout.readline()
                if not line:
                    raise SystemExit(f"sqlite timing: sqlite3 exited: {p.stderr.read()[:2000]}")
                if line.rstrip("\n") == mark:
                    return time.perf_counter() - t0

        overhead = statistics.median([once("") for _ in range(50)])
        result = {}
        for qid, sql in qs:
            for _ in range(warmup):
                once(sql + ";")
            raw = [once(sql + ";") for _ in range(runs)]
            ts = [max(0.0, t - overhead) for t in raw]
            result[qid] = {"times": ts, "median": statistics.median(ts), "overhead": overhead}
        p.stdin.close()
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read()
        if err.strip():
            raise SystemExit(f"sqlite timing: {err[:2000]}")
        self.query_rss = max(self.query_rss, usage.ru_maxrss)
        return result


# ---------------------------------------------------------------------------------------------
# Answers

NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
CENT = Decimal("0.01")


def canon(v):
    """One comparable form for a cell of any engine: numbers to the cent, '' and null alike."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return Decimal(v).quantize(CENT)
    if isinstance(v, float):
        return Decimal(repr(v)).quantize(CENT)
    if isinstance(v, str) and NUMBER.match(v):
        try:
            return Decimal(v).quantize(CENT)
        except InvalidOperation:
            return v
    return v


def compare(a, b, ordered):
    """None if the answers agree, else a description of the difference."""
    if "error" in a or "error" in b:
        return f"error: {a.get('error') or b.get('error')}"
    if len(a["columns"]) != len(b["columns"]):
        return f"column count {len(a['columns'])} vs {len(b['columns'])}: {a['columns']} vs {b['columns']}"
    ra = [tuple(canon(v) for v in r) for r in a["rows"]]
    rb = [tuple(canon(v) for v in r) for r in b["rows"]]
    if ordered:
        if ra == rb:
            return None
        for i, (x, y) in enumerate(zip(ra, rb)):
            if x != y:
                return f"{len(ra)} vs {len(rb)} rows; first difference at row {i + 1}: {x} vs {y}"
        return f"{len(ra)} vs {len(rb)} rows"
    ca, cb = Counter(ra), Counter(rb)
    if ca == cb:
        return None
    only_a = list((ca - cb).elements())
    only_b = list((cb - ca).elements())
    lines = [f"{len(ra)} vs {len(rb)} rows; {len(only_a)} only in BudgetQL, {len(only_b)} only in the other"]
    lines += [f"    BudgetQL only: {r}" for r in sorted(only_a, key=repr)[:8]]
    lines += [f"    other only:    {r}" for r in sorted(only_b, key=repr)[:8]]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Cold start

def cold_start(runs=20):
    env = dict(os.environ)
    env.pop("BQL_DATA", None)
    cmd = [BQL_BIN, "-e", COLD_QUERY]
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            shell_cmd = f"{BQL_BIN} -e '{COLD_QUERY}'"
            r = subprocess.run(["hyperfine", "--warmup", "3", "--runs", str(runs), "-N", "--export-json", tmp.name,
                                "--output", "null", shell_cmd], capture_output=True, text=True, env=env)
            if r.returncode == 0:
                data = json.load(open(tmp.name))["results"][0]
                return {"tool": "hyperfine", "median": data["median"], "mean": data["mean"], "min": data["min"], "runs": runs}
            log(f"hyperfine failed ({r.stderr.strip()[:300]}); timing repeated runs instead")
    times = []
    for i in range(runs + 3):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        if i >= 3:
            times.append(time.perf_counter() - t0)
    return {"tool": "repeated runs", "median": statistics.median(times), "mean": statistics.mean(times), "min": min(times), "runs": runs}


# ---------------------------------------------------------------------------------------------
# Report

def fmt_time(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_mb(kb):
    return "—" if kb is None else f"{kb / 1024:.0f} MB"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return "—"
    return f"{a / b:.2f}"


def main():
    ap = argparse.ArgumentParser(description="BudgetQL vs SQLite vs DuckDB")
    ap.add_argument("--departments", type=int, default=int(os.environ.get("BENCH_DEPARTMENTS", "500")))
    ap.add_argument("--years", type=int, default=int(os.environ.get("BENCH_YEARS", "3")),
                    help="consecutive budgets per body in the generated data (q12 compares them)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--only", help="comma-separated question ids (default: all)")
    ap.add_argument("--no-cold", action="store_true", help="skip the bql -e cold-start timing")
    ap.add_argument("--no-first", action="store_true",
                    help="skip the time to first answer (bql build + bql -e against a persistent DuckDB file)")
    ap.add_argument("--separate", choices=["auto", "yes", "no"], default="auto",
                    help="keep only one engine in memory at a time: DuckDB is closed after answering and loaded again "
                         "for timing (auto: from 5000 departments on)")
    args = ap.parse_args()
    if args.runs < 5:
        log("note: fewer than 5 timed runs")

    n = args.departments
    data_dir = os.path.join(HERE, "data", str(n))
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--departments", str(n), "--years", str(args.years),
                    "--seed", str(args.seed)], check=True)
    for b in (RUNNER_BIN, BQL_BIN):
        if not os.path.exists(b):
            raise SystemExit(f"{b} is missing: run `make bench` (or swift build -c release --package-path Benchmarks/Runner "
                             f"--product bql-bench and --product bql)")
    qs = Q.questions()
    if args.only:
        keep = set(args.only.split(","))
        qs = [q for q in qs if q[0] in keep]
    work = tempfile.mkdtemp(prefix="bql-bench-")
    results = {"departments": n, "seed": args.seed, "runs": args.runs, "warmup": args.warmup, "machine": machine(),
               "questions": {}}

    # --- Load and answer: SQLite, DuckDB, BudgetQL.
    sqlite = SQLiteEngine(data_dir, os.path.join(HERE, "data", f"{n}.sqlite"), work)
    log(f"sqlite: loaded in {sqlite.load_seconds:.2f}s, peak {fmt_mb(sqlite.load_rss)}")
    sqlite_answers = sqlite.answers([(qid, sql(Q.SQLITE)) for qid, _, _, sql, _ in qs])

    log("duckdb: loading …")
    duck = JsonProcess([sys.executable, os.path.join(HERE, "duckdb_engine.py"), "--data", data_dir], "duckdb")
    log(f"duckdb {duck.loaded['version']}: loaded in {duck.loaded['seconds']:.2f}s ({duck.loaded['threads']} threads), "
        f"peak {fmt_mb(duck.loaded['maxrss_kb'])}, rows {duck.loaded['rows']}")
    duck_answers = {qid: duck.ask({"cmd": "answer", "id": qid, "query": sql(Q.DUCKDB)}) for qid, _, _, sql, _ in qs}
    separate = args.separate == "yes" or (args.separate == "auto" and n >= 5000)
    duck_first = duck.loaded
    if separate:
        duck_first["maxrss_kb"] = max(duck_first["maxrss_kb"], duck.close())
        log("duckdb: closed until timing (--separate)")

    # BudgetQL twice: from CSV with an empty cache directory (the load writes the cache), then
    # from the cache it wrote. The second process answers and is timed.
    cache_dir = os.path.join(HERE, "data", f"{n}.bqlcache")
    shutil.rmtree(cache_dir, ignore_errors=True)
    log("budgetql: loading from CSV (writes its load cache) …")
    cold = JsonProcess([RUNNER_BIN, "--data", data_dir, "--cache", cache_dir], "bql-bench")
    bql_csv = cold.loaded
    bql_csv["peak_kb"] = max(bql_csv["vmhwm_kb"], cold.ask({"cmd": "memory"})["vmhwm_kb"])
    cold.close()
    log(f"budgetql: loaded from CSV in {bql_csv['seconds']:.2f}s, peak {fmt_mb(bql_csv['peak_kb'])}")
    log("budgetql: loading from its cache …")
    bql = JsonProcess([RUNNER_BIN, "--data", data_dir, "--cache", cache_dir], "bql-bench")
    log(f"budgetql: loaded in {bql.loaded['seconds']:.2f}s, peak {fmt_mb(bql.loaded['vmhwm_kb'])}, rows {bql.loaded['rows']}")
    bql_answers = {qid: bql.ask({"cmd": "answer", "id": qid, "query": text}) for qid, _, text, _, _ in qs}
    # The same answers split across every core (morsels): every answer must be identical.
    cores = os.cpu_count() or 1
    bql_serial = {qid: bql.ask({"cmd": "answer", "id": qid, "query": text, "threads": cores}) for qid, _, text, _, _ in qs}

    # --- Compare.
    agreed = []
    for qid, title, text, sql, ordered in qs:
        a = bql_answers[qid]
        ds = compare(a, sqlite_answers[qid], ordered)
        dd = compare(a, duck_answers[qid], ordered)
        rows = len(a.get("rows", [])) if "error" not in a else None
        same_threads = a.get("rows") == bql_serial[qid].get("rows") and a.get("error") == bql_serial[qid].get("error")
        results["questions"][qid] = {"title": title, "bql": text, "sqlite_sql": sql(Q.SQLITE), "duckdb_sql": sql(Q.DUCKDB),
                                     "rows": rows, "equal_sqlite": ds is None, "equal_duckdb": dd is None,
                                     "equal_one_thread": same_threads}
        if not same_threads:
            log(f"{qid}: BudgetQL on one thread ≠ on every core")
        if ds is None and dd is None:
            agreed.append(qid)
            log(f"{qid}: answers agree ({rows} rows)")
        else:
            if ds:
                log(f"{qid}: BudgetQL ≠ SQLite — NOT timed\n  {ds}")
            if dd:
                log(f"{qid}: BudgetQL ≠ DuckDB — NOT timed\n  {dd}")

    # --- Time the agreeing questions, one engine at a time.
    byid = {q[0]: q for q in qs}
    for qid in agreed:
        r = bql.ask({"cmd": "time", "id": qid, "query": byid[qid][2], "runs": args.runs, "warmup": args.warmup})
        results["questions"][qid]["budgetql"] = r
        r1 = bql.ask({"cmd": "time", "id": qid, "query": byid[qid][2], "runs": args.runs, "warmup": args.warmup,
                      "threads": cores})
        results["questions"][qid]["budgetql_all"] = r1
        log(f"{qid}: budgetql median {fmt_time(r.get('median'))} ({cores} threads {fmt_time(r1.get('median'))})")
    if "q8" in agreed:
        # What `bql check` runs in full: q8's rules plus the classification name-conflict pass.
        full = bql.ask({"cmd": "answer", "id": "q8-full", "query": "@check-full"})
        diff = compare(full, sqlite_answers["q8"], False)
        r = bql.ask({"cmd": "time", "id": "q8-full", "query": "@check-full", "runs": args.runs, "warmup": args.warmup})
        results["check_full"] = {"equal_sqlite": diff is None, "budgetql": r}
        log(f"q8 full (Checker.check(budgets), as bql check): median {fmt_time(r.get('median'))}, "
            f"answer {'equal' if diff is None else 'DIFFERS: ' + diff}")
    bql_mem = bql.ask({"cmd": "memory"})
    bql.close()
    if separate:
        duck = JsonProcess([sys.executable, os.path.join(HERE, "duckdb_engine.py"), "--data", data_dir], "duckdb")
        log(f"duckdb: loaded again for timing in {duck.loaded['seconds']:.2f}s")
    for qid in agreed:
        r = duck.ask({"cmd": "time", "id": qid, "query": byid[qid][3](Q.DUCKDB), "runs": args.runs, "warmup": args.warmup})
        results["questions"][qid]["duckdb"] = r
        log(f"{qid}: duckdb median {fmt_time(r.get('median'))}")
    duck_mem = duck.ask({"cmd": "memory"})
    duck.close()
    if agreed:
        st = sqlite.time([(qid, byid[qid][3](Q.SQLITE)) for qid in agreed], args.runs, args.warmup)
        for qid in agreed:
            results["questions"][qid]["sqlite"] = st[qid]
            log(f"{qid}: sqlite median {fmt_time(st[qid]['median'])}")

    results["load"] = {
        "budgetql": {"seconds": bql.loaded["seconds"], "peak_kb_after_load": bql.loaded["vmhwm_kb"], "peak_kb": bql_mem["vmhwm_kb"],
                     "rows": bql.loaded["rows"]},
        "budgetql_csv": {"seconds": bql_csv["seconds"], "peak_kb": bql_csv["peak_kb"]},
        "sqlite": {"seconds": sqlite.load_seconds, "peak_kb_load": sqlite.load_rss, "peak_kb_queries": sqlite.query_rss,
                   "peak_kb": max(sqlite.load_rss, sqlite.query_rss), "version": sqlite.version,
                   "db_bytes": os.path.getsize(sqlite.db)},
        "duckdb": {"seconds": duck_first["seconds"], "peak_kb_after_load": duck_first["maxrss_kb"],
                   "peak_kb": max(duck_mem["maxrss_kb"], duck_first["maxrss_kb"]), "threads": duck_first["threads"],
                   "version": duck_first["version"], "separate": separate},
    }
    if not args.no_cold:
        results["cold_start"] = cold_start()
        log(f"bql -e cold start: median {fmt_time(results['cold_start']['median'])} ({results['cold_start']['tool']})")

    if not args.no_first:
        import first_answer
        first_work = tempfile.mkdtemp(prefix="bql-first-", dir=os.path.join(HERE, "data"))
        try:
            results["first_answer"] = first_answer.first_answer(data_dir, first_work, runs=args.runs * 2, log=log)
        finally:
            shutil.rmtree(first_work, ignore_errors=True)

    results["machine"]["loadavg_end"] = os.getloadavg()[0]
    md = report(results, qs)
    print(md)
    with open(os.path.join(HERE, "data", f"results-{n}.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=2)
    with open(os.path.join(HERE, "data", f"results-{n}.md"), "w", encoding="utf-8") as f:
        f.write(md + "\n")
    shutil.rmtree(work, ignore_errors=True)
    if len(agreed) != len(qs) or not all(results["questions"][q].get("equal_one_thread", True) for q in results["questions"]):
        sys.exit(1)


def machine():
    info = {"cores": os.cpu_count(), "loadavg_start": os.getloadavg()[0]}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["mem_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def report(results, qs):
    L = results["load"]
    rows = L["budgetql"]["rows"]
    out = [f"BudgetQL vs SQLite {L['sqlite']['version']} vs DuckDB {L['duckdb']['version']} — {results['departments']} departments "
           f"({rows.get('projects')} projects, {rows.get('items')} items, {rows.get('indicators')} indicators); "
           f"median of {results['runs']} runs after {results['warmup']} warm-up; DuckDB threads: {L['duckdb']['threads']}, "
           f"BudgetQL: 1 (the default; every core in its own column); machine: {results['machine'].get('cores')} cores, {results['machine'].get('mem_gb')} GB, "
           f"load average {results['machine']['loadavg_start']:.2f} at start, {results['machine']['loadavg_end']:.2f} at end",
           "",
           "| question | BudgetQL | BudgetQL, every core | SQLite | DuckDB | BudgetQL / SQLite | BudgetQL / DuckDB | answers |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    for qid, title, _, _, _ in qs:
        r = results["questions"][qid]
        b = r.get("budgetql", {}).get("median")
        b1 = r.get("budgetql_all", {}).get("median")
        s = r.get("sqlite", {}).get("median")
        d = r.get("duckdb", {}).get("median")
        eq = "equal" if r["equal_sqlite"] and r["equal_duckdb"] else \
            "DIFFER (" + ", ".join(x for x, ok in (("SQLite", r["equal_sqlite"]), ("DuckDB", r["equal_duckdb"])) if not ok) + "): not timed"
        if not r.get("equal_one_thread", True):
            eq += "; every core DIFFERS"
        out.append(f"| {qid} {title} | {fmt_time(b)} | {fmt_time(b1)} | {fmt_time(s)} | {fmt_time(d)} | {ratio(b, s)} | {ratio(b, d)} | "
                   f"{eq} ({r['rows']} rows) |")
    out += ["",
            "| engine | load (ready to query) | peak memory |",
            "|---|---:|---:|",
            f"| BudgetQL from its load cache (Catalog.open, in-process; the process that answers and is timed) | {fmt_time(L['budgetql']['seconds'])} | {fmt_mb(L['budgetql']['peak_kb'])} "
            f"(after load {fmt_mb(L['budgetql']['peak_kb_after_load'])}) |",
            f"| BudgetQL from CSV (first load; writes the cache) | {fmt_time(L['budgetql_csv']['seconds'])} | {fmt_mb(L['budgetql_csv']['peak_kb'])} |",
            f"| SQLite (sqlite3 CLI: .import + convert + indexes, to a {L['sqlite']['db_bytes'] / 1e6:.0f} MB file) | "
            f"{fmt_time(L['sqlite']['seconds'])} | load {fmt_mb(L['sqlite']['peak_kb_load'])}, queries {fmt_mb(L['sqlite']['peak_kb_queries'])} |",
            f"| DuckDB (Python, read_csv into memory) | {fmt_time(L['duckdb']['seconds'])} | {fmt_mb(L['duckdb']['peak_kb'])} "
            f"(after load {fmt_mb(L['duckdb']['peak_kb_after_load'])}, includes the Python interpreter) |"]
    if "check_full" in results:
        c = results["check_full"]
        out += ["", f"q8 times the rules of each budget (`Checker.check(_: Budget)`), the rules the SQL implements. What "
                    f"`bql check` runs in full (`Checker.check(_: [Budget])`, which adds the classification name-conflict pass): "
                    f"median {fmt_time(c['budgetql'].get('median'))}; its findings "
                    f"{'equal' if c['equal_sqlite'] else 'DIFFER from'} the SQL answer."]
    if "first_answer" in results:
        f = results["first_answer"]
        out += ["", f"Time to first answer (`bql --data store.bqldb -e '{f['query']}'`, start to exit, median of "
                    f"{f['runs']}): {fmt_time(f['bql']['median'])}; DuckDB one-shot on a persistent file "
                    f"(Python start-up included): {fmt_time(f['duckdb']['median'])} "
                    f"({f['bql']['median'] / f['duckdb']['median']:.2f}×). `bql build`: {fmt_time(f['build_seconds'])}, "
                    f"{f['store_bytes'] / 1e6:.0f} MB; DuckDB file: {fmt_time(f['duckdb_load_seconds'])}, "
                    f"{f['duckdb_bytes'] / 1e6:.0f} MB."]
    if "cold_start" in results:
        c = results["cold_start"]
        out += ["", f"`bql -e` cold start to exit on the bundled five departments: median {fmt_time(c['median'])} "
                    f"(min {fmt_time(c['min'])}, {c['runs']} runs, {c['tool']}); query: `{COLD_QUERY}`"]
    return "\n".join(out)


if __name__ == "__main__":
    main()
