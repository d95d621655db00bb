// ProgramOutputTests: output for programs, read back by Python's standard json and csv modules —
// a multi-statement script as one JSON document, JSON Lines numbered by statement, CSV results
// separated by a blank line — and, opt-in, the CSV export loaded into DuckDB with money as DECIMAL.

import BudgetTestSupport
import Foundation
import Testing

/// Runs `python` with `script`, feeding it `input`; returns stdout, or records the failure.
func runPython(_ script: String, input: String, python: String = "python3") throws -> RunResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [python, "-c", script]
    let (inp, out, err) = (Pipe(), Pipe(), Pipe())
    p.standardInput = inp
    p.standardOutput = out
    p.standardError = err
    try p.run()
    inp.fileHandleForWriting.write(Data(input.utf8))
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(
        stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
        status: p.terminationStatus)
}

@Suite struct ProgramOutputTests {
    /// Three statements, a `let` and a dot-command among them, over four lines.
    static let script = """
        departments | select name, total | take 2
        let big = projects | where amount >= 1000万
        big | agg n = count(); three_public | select dept, total | take 1
        """

    @Test func aMultiStatementScriptIsOneJSONDocument() throws {
        let r = try runBQL(["-e", Self.script, "--format", "json"])
        #expect(r.status == 0, "\(r)")
        let check = """
            import json, sys
            doc = json.load(sys.stdin)
            assert isinstance(doc, list), type(doc)
            print(len(doc))
            for result in doc:
                print(result["line"], result["statement"], [c["name"] for c in result["columns"]], len(result["rows"]))
            print(doc[0]["rows"][1]["name"], doc[0]["rows"][1]["total"], doc[0]["columns"][1]["unit"])
            print(doc[1]["rows"][0]["n"])
            """
        let py = try runPython(check, input: r.stdout)
        #expect(py.status == 0, "\(py.stderr)\n\(r.stdout)")
        #expect(
            py.stdout == """
                3
                1 departments | select name, total | take 2 ['name', 'total'] 2
                3 big | agg n = count() ['n'] 1
                3 three_public | select dept, total | take 1 ['dept', 'total'] 1
                抚顺市医疗保障事务服务中心 63564.63 万元
                10

                """)
        // A run without results is still a document.
        let empty = try runBQL(["-e", "let x = departments", "--format", "json"])
        #expect(empty.stdout == "[]\n")
        // `bql run` of two files is one document.
        let s = try Scratch()
        let a = try s.write("a.bql", "departments | select year | take 1\n")
        let b = try s.write("b.bql", "\n\ndepartments | select id | take 1\n")
        let two = try runBQL(["run", a, b, "--format", "json"])
        let names = try runPython(
            "import json, sys\nfor r in json.load(sys.stdin): print(r['script'].split('/')[-1], r['line'])",
            input: two.stdout)
        #expect(names.stdout == "a.bql 1\nb.bql 3\n", "\(two.stdout) \(names.stderr)")
    }

    @Test func jsonLinesNumberRowsByStatement() throws {
        let r = try runBQL(["-e", Self.script, "--format", "jsonl"])
        #expect(r.status == 0, "\(r)")
        let check = """
            import json, sys
            for line in sys.stdin:
                row = json.loads(line)
                print(row["_statement"], sorted(k for k in row if k != "_statement"))
            """
        let py = try runPython(check, input: r.stdout)
        #expect(
            py.stdout == """
                1 ['name', 'total']
                1 ['name', 'total']
                2 ['n']
                3 ['dept', 'total']

                """, "\(py.stderr)")
    }

    @Test func csvResultsAreSeparatedByABlankLine() throws {
        let r = try runBQL(["-e", Self.script + "\nprojects | select category | take 1", "--format", "csv"])
        #expect(r.status == 0, "\(r)")
        let check = """
            import csv, sys
            results, current = [], []
            for row in csv.reader(sys.stdin):
                if row == []:
                    results.append(current); current = []
                else:
                    current.append(row)
            results.append(current)
            for rows in results: print(len(rows) - 1, rows[0], rows[1])
            """
        let py = try runPython(check, input: r.stdout)
        #expect(py.status == 0, "\(py.stderr)")
        // A one-column null is written "" so that it is not taken for a separator.
        #expect(
            py.stdout == """
                2 ['name', 'total'] ['鞍山市医疗保障局', '2220.40']
                1 ['n'] ['10']
                1 ['dept', 'total'] ['鞍山市医疗保障局', '7.30']
                1 ['category'] ['']

                """, "\(py.stderr)\n\(r.stdout)")
    }

    /// A Python with the duckdb package: `BQL_DUCKDB_PYTHON`, or the benchmarks' venv
    /// (`make bench-deps` installs it there).
    static var duckdbPython: String? {
        var candidates = [Repo.root.appendingPathComponent("Benchmarks/.venv/bin/python3").path]
        if let p = ProcessInfo.processInfo.environment["BQL_DUCKDB_PYTHON"], !p.isEmpty { candidates.insert(p, at: 0) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.flatMap { python in
            (try? runPython("import duckdb", input: "", python: python))?.status == 0 ? python : nil
        }
    }

    @Test func duckdbLoadsTheCSVExportWithMoneyAsDecimal() throws {
        guard let python = Self.duckdbPython else {
            print(
                "DuckDB export test: not run; duckdb is missing (make bench-deps installs it in Benchmarks/.venv, or set BQL_DUCKDB_PYTHON)"
            )
            return
        }
        let s = try Scratch()
        let export = try runBQL(["export", "--csv", s.path("export")])
        #expect(export.status == 0, "\(export)")
        let check = """
            import duckdb, sys
            d = sys.stdin.read().strip()
            con = duckdb.connect()
            con.execute(open(d + '/load_duckdb.sql').read())
            print(con.execute("select typeof(amount) from projects limit 1").fetchone()[0])
            print(con.execute("select sum(amount) from projects").fetchone()[0])
            print(con.execute("select typeof(total) from departments limit 1").fetchone()[0])
            """
        let py = try runPython(check, input: s.path("export"), python: python)
        #expect(py.status == 0, "\(py.stderr)")
        let native = try runBQL(["-e", "projects | agg s = sum(amount)", "--format", "csv"])
        let lines = py.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0].hasPrefix("DECIMAL") && lines[2].hasPrefix("DECIMAL"), "\(py.stdout)")
        #expect(lines.count == 3 && "s\n\(lines[1])\n" == native.stdout, "\(py.stdout) vs \(native.stdout)")
    }

    /// The README's path to Spark: `bql export --csv` writes load_spark.py (exact schemas, ANSI
    /// mode) and `bql sql --dialect spark` prints Spark SQL; with pyspark present (make
    /// spark-deps, or BQL_SPARK_PYTHON), the two run in PySpark and give BudgetQL's answer.
    @Test func theSparkPathOfTheReadmeGivesBudgetQLsAnswer() throws {
        let s = try Scratch()
        let export = try runBQL(["export", "--csv", s.path("export")])
        #expect(export.status == 0, "\(export)")
        let load = try String(contentsOfFile: s.path("export/load_spark.py"), encoding: .utf8)
        #expect(load.contains("spark.conf.set('spark.sql.ansi.enabled', 'true')"))
        #expect(load.contains("`amount` DECIMAL(38, 2)") && !load.contains("DOUBLE"))
        let question = "spending | where 类 = 210 | group by 款 | agg total = sum(amount) | sort -total"
        let sql = try runBQL(["sql", "--dialect", "spark", question])
        #expect(sql.status == 0 && sql.stdout.contains("AS `total`"), "\(sql)")
        let wrong = try runBQL(["sql", "--dialect", "oracle", question])
        #expect(wrong.status != 0 && wrong.stderr.contains("sqlite, duckdb or spark"), "\(wrong)")
        guard let python = DifferentialTests.sparkPython else {
            print("Spark path test: ran without Spark; make spark-deps installs pyspark (or set BQL_SPARK_PYTHON)")
            return
        }
        try Data(sql.stdout.utf8).write(to: URL(fileURLWithPath: s.path("q.sql")))
        let run = """
            import sys
            from pyspark.sql import SparkSession
            d = sys.stdin.read().strip()
            spark = SparkSession.builder.master('local[1]').config('spark.ui.enabled', 'false').getOrCreate()
            spark.sparkContext.setLogLevel('ERROR')
            exec(open(d + '/export/load_spark.py').read())
            df = spark.sql(open(d + '/q.sql').read())
            print(','.join(df.columns))
            for row in df.collect(): print(','.join('' if v is None else str(v) for v in row))
            """
        let py = try runPython(run, input: s.path(""), python: python)
        #expect(py.status == 0, "\(py.stderr.suffix(2000))")
        let native = try runBQL(["-e", question, "--format", "csv"])
        #expect(py.stdout == native.stdout, "Spark:\n\(py.stdout)\nBudgetQL:\n\(native.stdout)")
    }
}
