// TrapAuditTests: no input reaches a trap in Sources/. A scan of every target's sources lists every
// remaining force-unwrap, `try!`, `as!`, `fatalError`, precondition and assert, and each must be
// in `allowed` with the reason no input reaches it; and the inputs that used to trap (a file
// time past 2262, a narrative key "." and a huge sparse data file) now load or fail cleanly.

import Foundation
import Testing

@testable import BudgetModel

@Suite struct TrapAuditTests {
    /// Every trap left in Sources/, by file (target/path) and line text, with why no input reaches it.
    static let allowed: [String: String] = [
        "BudgetSQL/SQLTranslator.swift: s.unicodeScalars.map { (\"a\"...\"z\").contains($0) ? Unicode.Scalar($0.value - 32)! : $0 }))":
            "ASCII letters ± 32 are ASCII letters; `s` is checked non-empty on the line before; the powers of ten are literals of at most 19 digits that fit in Int64.",
        "BudgetSQL/SQLTranslator.swift: s.unicodeScalars.map { (\"A\"...\"Z\").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))":
            "ASCII letters ± 32 are ASCII letters; `s` is checked non-empty on the line before; the powers of ten are literals of at most 19 digits that fit in Int64.",
        "BudgetSQL/SQLTranslator.swift: && !(s.utf8.first! >= 0x30 && s.utf8.first! <= 0x39)":
            "ASCII letters ± 32 are ASCII letters; `s` is checked non-empty on the line before; the powers of ten are literals of at most 19 digits that fit in Int64.",
        "BudgetSQL/SQLTranslator.swift: n != .min, n.magnitude <= UInt64(Int64.max / Int64(p10(String(mk)))!)":
            "ASCII letters ± 32 are ASCII letters; `s` is checked non-empty on the line before; the powers of ten are literals of at most 19 digits that fit in Int64.",
        "BudgetSQL/SQLTranslator.swift: let (r, o) = n.multipliedReportingOverflow(by: Int64(p10(String(k)))!)":
            "ASCII letters ± 32 are ASCII letters; `s` is checked non-empty on the line before; the powers of ten are literals of at most 19 digits that fit in Int64.",
        "BudgetQL/Execution/Evaluator.swift: return table!.columns[f][baseRow]":
            "`table` is nil only for frames without a base table, where the resolver binds no `.base`, `.navigate` or `.relation` node; `inner` is nil only for count(), handled by the case above it.",
        "BudgetQL/Execution/Evaluator.swift: guard let targetRow = table!.references[f]?[baseRow] else { return .null }":
            "`table` is nil only for frames without a base table, where the resolver binds no `.base`, `.navigate` or `.relation` node; `inner` is nil only for count(), handled by the case above it.",
        "BudgetQL/Execution/Evaluator.swift: let index = table!.relations[r].rows":
            "`table` is nil only for frames without a base table, where the resolver binds no `.base`, `.navigate` or `.relation` node; `inner` is nil only for count(), handled by the case above it.",
        "BudgetQL/Execution/Evaluator.swift: for t in selected { try acc.add(try eval(inner!, frameRow: -1, table: target, baseRow: t)) }":
            "`table` is nil only for frames without a base table, where the resolver binds no `.base`, `.navigate` or `.relation` node; `inner` is nil only for count(), handled by the case above it.",
        "BudgetQL/Execution/Executor.swift: for (s, v) in vals.enumerated() { try nodes[key]!.accs[s].add(v) }":
            "Rollup nodes are inserted for every level key just before they are read in the same loop.",
        "BudgetQL/Execution/Executor.swift: try emit(names[0], lei.isEmpty ? .null : .text(lei), nodes[\"0|\\(lei)\"]!.name, nodes[\"0|\\(lei)\"]!.accs)":
            "Rollup nodes are inserted for every level key just before they are read in the same loop.",
        "BudgetQL/Execution/Executor.swift: try emit(names[1], .text(kuan), nodes[\"1|\\(kuan)\"]!.name, nodes[\"1|\\(kuan)\"]!.accs)":
            "Rollup nodes are inserted for every level key just before they are read in the same loop.",
        "BudgetQL/Execution/Executor.swift: try emit(names[2], .text(xiang), nodes[\"2|\\(xiang)\"]!.name, nodes[\"2|\\(xiang)\"]!.accs)":
            "Rollup nodes are inserted for every level key just before they are read in the same loop.",
        "BudgetQL/Execution/Vector.swift: for _ in 1...18 { p.append(p.last! * 10) }":
            "A constant table of powers of ten, built from a non-empty literal.",
        "BudgetQL/Execution/VectorEvaluator.swift: let column = Vector.of(ctx.table!.columns[f])":
            "The same invariant as the row evaluator: base-table nodes are bound only over frames with a base table, frame columns only over frames with values; a reference field always has its reference array (Catalog builds both together); `values` is nil only for count(), handled before.",
        "BudgetQL/Execution/VectorEvaluator.swift: let values = ctx.frame!.values[c]":
            "The same invariant as the row evaluator: base-table nodes are bound only over frames with a base table, frame columns only over frames with values; a reference field always has its reference array (Catalog builds both together); `values` is nil only for count(), handled before.",
        "BudgetQL/Execution/VectorEvaluator.swift: v = r < 0 ? .null : try scalar.eval(e, table: ctx.table!, row: r)":
            "The same invariant as the row evaluator: base-table nodes are bound only over frames with a base table, frame columns only over frames with values; a reference field always has its reference array (Catalog builds both together); `values` is nil only for count(), handled before.",
        "BudgetQL/Execution/VectorEvaluator.swift: let refs = ctx.table!.references[f]!.targets":
            "The same invariant as the row evaluator: base-table nodes are bound only over frames with a base table, frame columns only over frames with values; a reference field always has its reference array (Catalog builds both together); `values` is nil only for count(), handled before.",
        "BudgetQL/Execution/VectorEvaluator.swift: let index = ctx.table!.relations[r].rows":
            "The same invariant as the row evaluator: base-table nodes are bound only over frames with a base table, frame columns only over frames with values; a reference field always has its reference array (Catalog builds both together); `values` is nil only for count(), handled before.",
        "BudgetQL/Execution/VectorEvaluator.swift: try acc.add(values!.value(at: e))":
            "The same invariant as the row evaluator: base-table nodes are bound only over frames with a base table, frame columns only over frames with values; a reference field always has its reference array (Catalog builds both together); `values` is nil only for count(), handled before.",
        "BudgetQL/Storage/Catalog.swift: return tables.map { $0! }":
            "Every table slot is filled by the parallel build before it returns (each index is built once).",
        "BudgetQL/Storage/Column.swift: b.string.utf8.withContiguousStorageIfAvailable { y in memcmp(x.baseAddress!, y.baseAddress!, n) == 0 }":
            "Both strings are non-empty here (n == 0 returns above), so contiguous UTF-8 storage has a base address.",
        "BudgetQL/Storage/Value.swift: hasher.combine(decimal!)":
            "Hashes a numeric value, whose `decimal` view is never nil (the branch tests for .integer/.decimal).",
        "BudgetQL/API/Session.swift: case .base(let f): return frame.base!.columns[f][frame.rows[r]]":
            "A `.base` column exists only in a scope whose frame has a base table (Scope.of); the planner never binds one over a grouped frame.",
        "BudgetQL/Syntax/Lexer.swift: guard let sym = ascii, \"|,().=!<>~+-*/%;[]^\".contains(sym.first!) else {":
            "`ascii` is a one-character string from the symbol map or an ASCII character, never empty.",
        "BudgetShell/Completer.swift: return (quoteStart, quotedValues(prefix: prefix, context: before, quote: quote!))":
            "Inside `if quote != nil`.",
        "BudgetShell/MoneyUnit.swift: kept[i] = Character(String(kept[i].wholeNumberValue! + 1))":
            "`kept[i]` is a decimal digit other than 9 here (the rounding carries over digits only).",
        "BudgetModel/Loading/CSV.swift: preconditionFailure(\"CSVCells and CSVReader.parse disagree\")":
            "The fast CSV splitter found a quote problem the reference reader does not: a loader bug, not a property of the input. FastLoaderTests compares the two on every bundled file and 3,000 random texts.",
        "BudgetModel/Support/ParallelMap.swift: return results.map { $0! }":
            "Every index is computed before the workers return (ResultSlots hands out each range once).",
        "BudgetModel/Model/Schema.swift: assert(!allowsEmpty || (type == .string && !optional), \"\\(name): allowsEmpty is for non-optional text\")":
            "Checks a field declaration (code, not data) when the schema is built; RecordTests builds every one.",
    ]

    static func traps() throws -> [String] {
        let root = Paths.root.appendingPathComponent("Sources")
        let pattern = /try!|as!|fatalError\(|precondition(Failure)?\(|assert(ionFailure)?\(|[\w\)\]\}]!(?!=)/
        var found: [String] = []
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        for file in files.sorted() where file.hasSuffix(".swift") {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                // Code only: no comment, string literals emptied.
                let code = String(line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false)[0])
                    .replacing(/"(\\.|[^"\\])*"/, with: "\"\"")
                if code.contains(pattern) {
                    found.append("\(file): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        return found
    }

    @Test func everyRemainingTrapIsExplained() throws {
        let found = try Self.traps()
        for trap in found { #expect(Self.allowed[trap] != nil, "unexplained trap: \(trap)") }
        for trap in Self.allowed.keys { #expect(found.contains(trap), "no longer in the sources: \(trap)") }
    }

    /// A file time past 2262 overflowed 64 bits of nanoseconds in the cache fingerprint.
    @Test func aFileFromTheFarFutureIsFingerprinted() throws {
        let s = try ScratchDataset()
        defer { try? FileManager.default.removeItem(at: s.root) }
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 14_000_000_000)], ofItemAtPath: s.path("units.csv"))
        let cache = s.root.appendingPathComponent("cache")
        let loaded = try ModelCache.load(from: s.root, cacheDirectory: cache)
        #expect(loaded.budgets.count == 1)
        #expect(FileStat.nanoseconds(14_000_000_000, 0) == .max)
        #expect(FileStat.nanoseconds(-14_000_000_000, 0) == .min)
        #expect(FileStat.nanoseconds(2, 5) == 2_000_000_005)
    }

    /// `fact(".")` indexed the first part of a key that splits into none.
    @Test func aNarrativeKeyOfADotIsNoFact() throws {
        let s = try ScratchDataset()
        defer { try? FileManager.default.removeItem(at: s.root) }
        let url = URL(fileURLWithPath: s.path("narrative.csv"))
        try (String(contentsOf: url, encoding: .utf8) + ".,点,1,万元,,,,,\n").write(
            to: url, atomically: true, encoding: .utf8)
        let budgets = try DatasetLoader.loadAll(from: s.root)
        #expect(budgets[0].narrative.last?.key == ".")
        #expect(budgets[0].fact(".") == nil && budgets[0].fact("") == nil)
        _ = Checker.check(budgets)
    }

    /// A data file of 2 GiB (sparse: nothing is written) is refused before it is read.
    @Test func aHugeDataFileIsRefusedUnread() throws {
        let s = try ScratchDataset()
        #expect(truncate(s.path("assets.csv"), 2 << 30) == 0)
        let start = Date()
        #expect(s.loadError() == "\(s.path("assets.csv")): file is larger than 1024 MiB: no dataset file is that large")
        #expect(Date().timeIntervalSince(start) < 1)
    }
}
