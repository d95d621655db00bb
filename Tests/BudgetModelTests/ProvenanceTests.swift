// ProvenanceTests: the `provenance` field (where a row was read in the published document),
// added as one declaration per table: the bundled datasets leave it empty, and a value written
// in a CSV loads, survives the load cache and is a column of the query catalog's tables.

import BudgetModel
import Foundation
import Testing

@Suite struct ProvenanceTests {
    static let tables = ["tasks", "totals", "spending", "economic", "indicators", "procurement", "assets", "narrative"]

    @Test func theFigureTablesDeclareIt() throws {
        for name in Self.tables {
            let table = try #require(DatasetSchema.table(name))
            let field = try #require(table.field("provenance"), "\(name)")
            #expect(field.type == .string && !field.required && field.title == "出处")
            #expect(field.query?.name == "provenance" && field.query?.kind == .text)
        }
    }

    @Test func theBundledDatasetsLeaveItEmpty() throws {
        for b in try DatasetLoader.loadAll(from: Paths.datasets) {
            #expect(b.spending.allSatisfy { $0.provenance == nil } && b.economic.allSatisfy { $0.provenance == nil })
            #expect(b.indicators.allSatisfy { $0.provenance == nil } && b.narrative.allSatisfy { $0.provenance == nil })
            #expect(b.tasks.allSatisfy { $0.provenance == nil } && b.totals.allSatisfy { $0.provenance == nil })
            #expect(b.procurement.allSatisfy { $0.provenance == nil } && b.assets.allSatisfy { $0.provenance == nil })
        }
    }

    @Test func aValueLoadsAndSurvivesTheCache() throws {
        let s = try ScratchDataset()
        let cache = s.root.appendingPathComponent("cache")
        defer { try? FileManager.default.removeItem(at: s.root) }
        // The 合计 line of the functional table, read from page 3, line 12 of the document.
        try s.replace("spending.csv", "118.06,211.11,支出预算总表,,\n", "118.06,211.11,支出预算总表,,anshan.pdf#page=3 line 12\n")
        let loaded = try DatasetLoader.loadAll(from: s.root)
        #expect(loaded[0].spending[0].provenance == "anshan.pdf#page=3 line 12")
        #expect(loaded[0].spending.dropFirst().allSatisfy { $0.provenance == nil })
        // Written, then read back from the cache (the inputs are backdated so they are cached).
        for file in try FileManager.default.contentsOfDirectory(atPath: s.folder.path) {
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: s.path(file))
        }
        #expect(try ModelCache.load(from: s.root, cacheDirectory: cache).origin == .csv(cacheWritten: true))
        let cached = try ModelCache.load(from: s.root, cacheDirectory: cache)
        #expect(cached.origin == .cache)
        #expect(cached.budgets[0].spending == loaded[0].spending)
    }
}
