// bql-bench: times BudgetQL in-process for Benchmarks/bench.py.
//
// Loads the catalog once (`Catalog.open`), reports the load time and peak RSS (VmHWM), then
// answers JSON-line commands on stdin, one JSON line per command on stdout:
//
//   {"cmd":"answer","id":"q1","query":"projects | …"}        → the result (columns, rows) of one run
//   {"cmd":"time","id":"q1","query":"…","runs":5,"warmup":1} → every timed run and the median
//   {"cmd":"memory"}                                          → VmHWM / VmRSS now
//
// "answer" and "time" take an optional "threads": the most threads one statement may use
// (`QueryLimits.maxThreads`; default one per core).
//
// The query `@check` runs the consistency rules of each loaded budget (`Checker.check(_: Budget)`:
// the arithmetic and narrative rules) and returns the findings as rows; `@check-full` runs
// everything `bql check` runs (`Checker.check(_: [Budget])`), which adds the classification
// name-conflict pass (`ClassificationCatalog.build` + `compare` over every budget). Values are JSON: null, true/false,
// integers, text, and exact decimals as strings (their `description`), so no Double touches
// money on the way to the comparison.

import BudgetQL
import Foundation

func emit(_ object: [String: Any]) {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]),
        let text = String(data: data, encoding: .utf8)
    else {
        FileHandle.standardError.write(Data("bql-bench: cannot encode output\n".utf8))
        exit(70)
    }
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func fail(_ message: String) -> Never {
    emit(["event": "error", "message": message])
    exit(70)
}

/// A field of /proc/self/status in kB (VmHWM: peak resident set; VmRSS: current).
func procStatus(_ key: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        let digits = line.dropFirst(key.count + 1).filter(\.isNumber)
        return Int(digits) ?? -1
    }
    return -1
}

func seconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) + Double(atto) / 1e18
}

func json(_ v: Value) -> Any {
    switch v {
    case .null: return NSNull()
    case .bool(let b): return b
    case .integer(let i): return i
    case .decimal(let d): return d.description
    case .text(let s): return s
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    if s.isEmpty { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

// MARK: - Load

var dataPath: String?
var cachePath: String?
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--data": dataPath = args.popFirst()
    case "--cache": cachePath = args.popFirst()
    default: fail("usage: bql-bench --data DIR [--cache DIR]  (then JSON commands on stdin)")
    }
}
guard let dataPath else { fail("usage: bql-bench --data DIR") }

let clock = ContinuousClock()
let loadStart = clock.now
let catalog: Catalog
do {
    catalog = try Catalog.open(
        directory: URL(fileURLWithPath: dataPath), cacheDirectory: cachePath.map { URL(fileURLWithPath: $0) })
} catch {
    fail("load failed: \(error)")
}
let loadSeconds = seconds(clock.now - loadStart)
var counts: [String: Int] = [:]
for name in ["departments", "projects", "items", "indicators", "spending_lines", "checks"] {
    counts[name] = catalog.table(name)?.count ?? -1
}
emit([
    "event": "loaded", "seconds": loadSeconds, "vmhwm_kb": procStatus("VmHWM"), "vmrss_kb": procStatus("VmRSS"),
    "rows": counts,
])

// MARK: - Commands

/// The findings of `@check` or `@check-full`, or nil for a query.
func check(_ query: String) -> [Finding]? {
    switch query {
    case "@check": return Checker.checkEach(catalog.budgets)
    case "@check-full": return Checker.check(catalog.budgets)
    default: return nil
    }
}

/// One run of a question: a query through the public `Session` API, or the check.
func run(_ query: String) throws -> (columns: [String], rows: [[Any]]) {
    if let findings = check(query) {
        let rows: [[Any]] = findings.map {
            [
                $0.dataset, $0.rule, $0.table, $0.subject, $0.published.description, $0.computed.description,
                $0.kind.rawValue,
            ]
        }
        return (["dataset", "rule", "table", "subject", "published", "computed", "kind"], rows)
    }
    var session = Session(catalog: catalog, limits: limits)
    let result = try session.query(query)
    return (result.columns.map(\.name), result.rows.map { $0.map(json) })
}

/// The limits of the command being run (its thread count).
nonisolated(unsafe) var limits = QueryLimits()

/// Times one run without converting its answer (what the timing measures is the engine).
func timeOnce(_ query: String) throws -> Double {
    if query.hasPrefix("@") {
        let start = clock.now
        let findings = check(query) ?? []
        let t = seconds(clock.now - start)
        if findings.count < 0 { print("") }
        return t
    }
    var session = Session(catalog: catalog, limits: limits)
    let start = clock.now
    let result = try session.query(query)
    let t = seconds(clock.now - start)
    if result.rows.count < 0 { print("") }
    return t
}

while let line = readLine() {
    if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
    guard let data = line.data(using: .utf8),
        let cmd = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
        let name = cmd["cmd"] as? String
    else { fail("bad command: \(line)") }
    let id = cmd["id"] as? String ?? ""
    let query = cmd["query"] as? String ?? ""
    limits = QueryLimits()
    limits.maxThreads = cmd["threads"] as? Int
    do {
        switch name {
        case "answer":
            let start = clock.now
            let (columns, rows) = try run(query)
            emit(["id": id, "seconds": seconds(clock.now - start), "columns": columns, "rows": rows])
        case "time":
            let runs = cmd["runs"] as? Int ?? 5
            let warmup = cmd["warmup"] as? Int ?? 1
            for _ in 0..<warmup { _ = try timeOnce(query) }
            var times: [Double] = []
            for _ in 0..<runs { times.append(try timeOnce(query)) }
            emit(["id": id, "times": times, "median": median(times), "vmhwm_kb": procStatus("VmHWM")])
        case "memory":
            emit(["vmhwm_kb": procStatus("VmHWM"), "vmrss_kb": procStatus("VmRSS")])
        default:
            fail("unknown command \(name)")
        }
    } catch let error as QueryError {
        emit(["id": id, "error": Diagnostic(error, source: query).render()])
    } catch {
        emit(["id": id, "error": "\(error)"])
    }
}
