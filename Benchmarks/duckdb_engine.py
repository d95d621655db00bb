#!/usr/bin/env python3
"""DuckDB side of the benchmark: loads the CSVs into an in-memory DuckDB database, then answers
the same JSON-line commands as the Swift runner (answer / time / memory), with SQL queries.

Run by bench.py as its own process, so its load time and peak memory (ru_maxrss, which includes
the Python interpreter, about 30 MB) are its own.
"""

import argparse
import json
import resource
import statistics
import sys
import time
from decimal import Decimal

sys.dont_write_bytecode = True

import duckdb

import schema


def emit(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def value(v):
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: DuckDB's own, all cores)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    con = duckdb.connect(":memory:")
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    for stmt in schema.duckdb_load_statements(args.data):
        con.execute(stmt)
    load = time.perf_counter() - t0
    rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("departments", "items", "indicators", "spending_lines")}
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    emit({"event": "loaded", "seconds": load, "maxrss_kb": peak_kb(), "rows": rows, "threads": threads,
          "version": duckdb.__version__})

    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        qid = cmd.get("id", "")
        sql = cmd.get("query", "")
        try:
            if cmd["cmd"] == "answer":
                t = time.perf_counter()
                cur = con.execute(sql)
                result = cur.fetchall()
                emit({"id": qid, "seconds": time.perf_counter() - t, "columns": [d[0] for d in cur.description],
                      "rows": [[value(v) for v in r] for r in result]})
            elif cmd["cmd"] == "time":
                for _ in range(cmd.get("warmup", 1)):
                    con.execute(sql).fetchall()
                times = []
                for _ in range(cmd.get("runs", 5)):
                    t = time.perf_counter()
                    con.execute(sql).fetchall()
                    times.append(time.perf_counter() - t)
                emit({"id": qid, "times": times, "median": statistics.median(times), "maxrss_kb": peak_kb()})
            elif cmd["cmd"] == "memory":
                emit({"maxrss_kb": peak_kb()})
        except duckdb.Error as e:
            emit({"id": qid, "error": str(e)})


if __name__ == "__main__":
    main()
