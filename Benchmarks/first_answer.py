#!/usr/bin/env python3
"""Time to first answer: a one-shot question from process start to exit, the way a saved script
runs in CI or cron (issue 18).

BudgetQL: `bql build DATA -o store.bqldb` once, then `bql --data store.bqldb -e QUERY`.
DuckDB: the same CSV files loaded once into a persistent DuckDB file, then
`python3 -c "import duckdb; duckdb.connect(FILE, read_only=True).execute(SQL).fetchall()"`
(Python start-up included, as a DuckDB user's script pays it). Both answers are compared.

Run by bench.py (`make bench`), or alone: `Benchmarks/.venv/bin/python3 Benchmarks/first_answer.py
--data Benchmarks/data/2000`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True

import schema

HERE = os.path.dirname(os.path.abspath(__file__))
BQL_BIN = os.path.join(HERE, "Runner", ".build", "release", "bql")

QUERY = "projects | where amount > 5000 | agg n = count()"
SQL = "SELECT count(*) FROM items WHERE spending_type = '项目支出' AND amount > 5000"


def timed(argv, runs, warmup, env=None):
    """Median, min and every wall time of `runs` runs after `warmup`, and the last stdout."""
    times, out = [], ""
    for i in range(warmup + runs):
        t = time.perf_counter()
        p = subprocess.run(argv, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - t
        if p.returncode != 0:
            raise RuntimeError(f"{argv[0]} exited {p.returncode}: {p.stderr.strip()[:400]}")
        out = p.stdout
        if i >= warmup:
            times.append(elapsed)
    return {"median": statistics.median(times), "min": min(times), "times": times}, out


def first_answer(data_dir, work, runs=10, warmup=2, log=print, bql_bin=BQL_BIN):
    store = os.path.join(work, "store.bqldb")
    t = time.perf_counter()
    subprocess.run([bql_bin, "build", data_dir, "-o", store], check=True, capture_output=True)
    build_seconds = time.perf_counter() - t
    log(f"first answer: bql build in {build_seconds:.2f}s, {os.path.getsize(store) / 1e6:.0f} MB")

    duck_file = os.path.join(work, "duck.duckdb")
    t = time.perf_counter()
    load = "import duckdb, sys; sys.path.insert(0, sys.argv[2]); import schema\n" \
           "con = duckdb.connect(sys.argv[1])\ncon.execute('SET enable_progress_bar = false')\n" \
           "[con.execute(s) for s in schema.duckdb_load_statements(sys.argv[3])]\ncon.close()"
    subprocess.run([sys.executable, "-c", load, duck_file, HERE, data_dir], check=True, stdout=subprocess.DEVNULL)
    duck_load = time.perf_counter() - t
    log(f"first answer: DuckDB file loaded in {duck_load:.2f}s, {os.path.getsize(duck_file) / 1e6:.0f} MB")

    env = dict(os.environ)
    env["BQL_CACHE_DIR"] = ""
    bql, bql_out = timed([bql_bin, "--data", store, "-e", QUERY, "--format", "csv"], runs, warmup, env)
    one_shot = "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchall()[0][0])"
    duck, duck_out = timed([sys.executable, "-c", one_shot, duck_file, SQL], runs, warmup)
    bql_n = bql_out.strip().splitlines()[-1]
    duck_n = duck_out.strip()
    if bql_n != duck_n:
        raise RuntimeError(f"first answer: BudgetQL says {bql_n}, DuckDB {duck_n}")
    log(f"first answer: bql -e median {bql['median']:.3f}s, DuckDB one-shot {duck['median']:.3f}s "
        f"({bql['median'] / duck['median']:.2f}×), answer {bql_n}")
    return {"query": QUERY, "sql": SQL, "answer": int(bql_n), "bql": bql, "duckdb": duck,
            "build_seconds": build_seconds, "store_bytes": os.path.getsize(store),
            "duckdb_load_seconds": duck_load, "duckdb_bytes": os.path.getsize(duck_file), "runs": runs}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--bql", default=BQL_BIN, help="the bql binary (default: the benchmark runner's release build)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bql-first-") as work:
        r = first_answer(args.data, work, runs=args.runs, log=lambda m: print(m, file=sys.stderr),
                         bql_bin=args.bql)
    print(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
