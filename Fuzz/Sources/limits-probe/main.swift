// limits-probe: measures what the embedder's limits hold on the reliability issue's queries —
// the outcome, the time and the peak resident memory (VmHWM) of one case per process, in batch
// or row-by-row evaluation. `limits-probe list` names the cases; `make limits-probe` runs all.
// Not a fuzz target: built without sanitizers, in a scratch folder of its own.

import BudgetQL
import Foundation

/// The bundled datasets: $BQL_REPO/Datasets, else found from this file's path.
let datasets: URL = {
    if let env = ProcessInfo.processInfo.environment["BQL_REPO"] {
        return URL(fileURLWithPath: env).appendingPathComponent("Datasets")
    }
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Datasets")
}()

/// A field of /proc/self/status in kB (VmHWM: peak resident set), or -1.
func procStatus(_ key: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.dropFirst(key.count + 1).filter(\.isNumber)) ?? -1
    }
    return -1
}

let mb = 1 << 20
let hundredKB = String(repeating: "A", count: 100_000)
let chained: String = {
    var columns = ["c0 = upper(\"\(String(repeating: "Ab", count: 50_000))\")"]
    for k in 1..<40 { columns.append("c\(k) = \(k % 2 == 0 ? "upper" : "lower")(c\(k - 1))") }
    return "indicators | derive " + columns.joined(separator: ", ") + " | agg n = count()"
}()

/// name: (query, limits, whether over the bundled budgets repeated 24 times)
let cases: [String: (String, QueryLimits, Bool)] = [
    "lower-100k": (
        "indicators | derive x = lower(\"\(hundredKB)\") | agg n = count()", QueryLimits(maxMemory: 256 * mb), true
    ),
    "lower-100k-bundled": (
        "indicators | derive x = lower(\"\(hundredKB)\") | agg n = count()", QueryLimits(maxMemory: 256 * mb), false
    ),
    "chained-40": (chained, QueryLimits(maxMemory: 256 * mb), false),
    "substr-100k": (
        "indicators | select x = substr(\"\(hundredKB)\", 2)", QueryLimits(timeout: .seconds(1)), false
    ),
    "upper-30k-hanzi": (
        "indicators | select x = upper(\"\(String(repeating: "医", count: 30_000))\")",
        QueryLimits(timeout: .seconds(1)),
        false
    ),
    "regex-alternation": (
        "projects | where name =~ \"^(.|.)*x$\" | agg n = count()", QueryLimits(timeout: .seconds(1)), false
    ),
    "regex-nested-stars": (
        "indicators | where matches(description, \"^(.*)*(.*)*(.*)*[0-9]x$\") | agg n = count()",
        QueryLimits(timeout: .milliseconds(200)), false
    ),
]

let arguments = CommandLine.arguments
if arguments.count == 2, arguments[1] == "list" {
    print(cases.keys.sorted().joined(separator: "\n"))
    exit(0)
}
guard arguments.count == 3, let (query, limits, large) = cases[arguments[1]], ["batch", "rows"].contains(arguments[2])
else {
    FileHandle.standardError.write(Data("usage: limits-probe list | limits-probe CASE batch|rows\n".utf8))
    exit(64)
}
let bundled: Catalog
do { bundled = try Catalog.open(directory: datasets) } catch {
    FileHandle.standardError.write(Data("limits-probe: the datasets do not load: \(error)\n".utf8))
    exit(70)
}
var catalog = bundled
if large {
    var budgets: [Budget] = []
    for copy in 0..<24 {
        for var b in bundled.budgets {
            b.department.id += "-\(copy)"
            budgets.append(b)
        }
    }
    catalog = Catalog(budgets: budgets)
}
let before = procStatus("VmHWM")
var session = Session(catalog: catalog, limits: limits)
session.evaluation = arguments[2] == "rows" ? .rowByRow : .batch
let start = ContinuousClock.now
var outcome: String
do {
    let r = try session.query(query)
    outcome = "answer (\(r.rows.count) rows)"
} catch {
    outcome = error.kind
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(
    String(
        format: "%-20@ %-5@ %-22@ %7.3f s   peak %6d MB (catalog loaded: %d MB)", arguments[1], arguments[2], outcome,
        seconds, procStatus("VmHWM") / 1024, before / 1024))
