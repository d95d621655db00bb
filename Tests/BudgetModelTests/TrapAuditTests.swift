// TrapAuditTests: no input reaches a trap in BudgetModel. A scan of the sources lists every
// remaining force-unwrap, `try!`, `as!`, `fatalError`, precondition and assert, and each must be
// in `allowed` with the reason no input reaches it; and the inputs that used to trap (a file
// time past 2262, a narrative key "." and a huge sparse data file) now load or fail cleanly.

import Foundation
import Testing

@testable import BudgetModel

@Suite struct TrapAuditTests {
    /// Every trap left in Sources/BudgetModel, by file and line text, with why no input reaches it.
    static let allowed: [String: String] = [
        "Loading/CSV.swift: preconditionFailure(\"CSVCells and CSVReader.parse disagree\")":
            "The fast CSV splitter found a quote problem the reference reader does not: a loader bug, not a "
            + "property of the input. FastLoaderTests compares the two on every bundled file and 3,000 random texts.",
        "Model/Schema.swift: assert(!allowsEmpty || (type == .string && !optional), \"\\(name): allowsEmpty is for non-optional text\")":
            "Checks a field declaration (code, not data) when the schema is built; RecordTests builds every one.",
        "Support/ParallelMap.swift: return results.map { $0! }":
            "Every index is computed before the workers return (ResultSlots hands out each range once).",
    ]

    static func traps() throws -> [String] {
        let root = Paths.root.appendingPathComponent("Sources/BudgetModel")
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
        try (String(contentsOf: url, encoding: .utf8) + ".,点,1,万元,,,\n").write(
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
