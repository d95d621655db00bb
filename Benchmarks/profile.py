#!/usr/bin/env python3
"""Profiles one benchmark question in BudgetQL with `perf`, excluding the load.

    python3 Benchmarks/profile.py q6 [--departments 500] [--runs 20] [--children]
    python3 Benchmarks/profile.py load [--departments 500]      # Catalog.open itself

Starts bql-bench on Benchmarks/data/<N>/ (run `make bench BENCH_DEPARTMENTS=N` once first),
waits until the catalog is loaded, attaches `perf record -g --call-graph dwarf` to it, runs the
question --runs times, and prints the hottest functions (self time; --children: inclusive),
demangled. The raw profile stays in Benchmarks/data/perf-<question>.data for `perf report -i`.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import questions as Q  # noqa: E402

RUNNER = os.path.join(HERE, "Runner", ".build", "release", "bql-bench")


def report(data, children, limit):
    args = ["perf", "report", "-i", data, "--stdio", "-g", "none", "--percent-limit", str(limit),
            "--children" if children else "--no-children", "--comm", "bql-bench"]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    lines = [ln for ln in out.splitlines() if "%" in ln and not ln.startswith("#")]
    text = "\n".join(lines[:40])
    demangle = shutil.which("swift")
    if demangle:
        text = subprocess.run([demangle, "demangle", "--simplified"], input=text, capture_output=True, text=True).stdout
    print(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("question", help="q1 … q8, or 'load'")
    ap.add_argument("--departments", type=int, default=500)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--children", action="store_true", help="inclusive (children) percentages")
    ap.add_argument("--limit", type=float, default=1.5, help="hide functions below this percentage")
    args = ap.parse_args()
    data_dir = os.path.join(HERE, "data", str(args.departments))
    if not os.path.isdir(data_dir):
        sys.exit(f"{data_dir} is missing: run make bench BENCH_DEPARTMENTS={args.departments} first")
    out = os.path.join(HERE, "data", f"perf-{args.question}.data")
    if args.question == "load":
        subprocess.run(["perf", "record", "-F", "499", "-g", "--call-graph", "dwarf,16384", "-o", out, "--",
                        RUNNER, "--data", data_dir], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
        report(out, args.children, args.limit)
        return
    texts = {qid: text for qid, _, text, _, _ in Q.questions()}
    if args.question not in texts:
        sys.exit(f"unknown question {args.question}; one of {', '.join(texts)} or load")
    p = subprocess.Popen([RUNNER, "--data", data_dir], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    print(p.stdout.readline().strip()[:200], file=sys.stderr)
    perf = subprocess.Popen(["perf", "record", "-F", "999", "-g", "--call-graph", "dwarf,16384", "-p", str(p.pid), "-o", out],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    p.stdin.write(json.dumps({"cmd": "time", "id": args.question, "query": texts[args.question], "runs": args.runs,
                              "warmup": 0}) + "\n")
    p.stdin.flush()
    print(p.stdout.readline().strip()[:300], file=sys.stderr)
    perf.send_signal(signal.SIGINT)
    perf.wait()
    p.stdin.close()
    p.wait()
    report(out, args.children, args.limit)


if __name__ == "__main__":
    main()
