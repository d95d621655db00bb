// ClassificationCatalogTests: Datasets/catalog/*.csv is exactly the catalog built from the
// datasets (golden; rerun with BQL_RECORD=1 after changing a dataset, then review the diff), it
// reads back to the same catalog, and name conflicts and missing codes are detected.

import BudgetModel
import Foundation
import Testing

@Suite struct ClassificationCatalogTests {
    static func budgets() throws -> [Budget] { try DatasetLoader.loadAll(from: Paths.datasets) }

    @Test func committedCatalogEqualsTheCatalogBuiltFromTheDatasets() throws {
        let built = ClassificationCatalog.build(from: try Self.budgets())
        let dir = Paths.datasets.appendingPathComponent(ClassificationCatalog.directoryName)
        if Paths.recording { try built.write(to: Paths.datasets) }
        let functional = try String(
            contentsOf: dir.appendingPathComponent(ClassificationCatalog.functionalFile), encoding: .utf8)
        let economic = try String(
            contentsOf: dir.appendingPathComponent(ClassificationCatalog.economicFile), encoding: .utf8)
        #expect(
            functional == built.functionalCSV,
            "Datasets/catalog/functional.csv is stale; rerun with BQL_RECORD=1 and review")
        #expect(
            economic == built.economicCSV, "Datasets/catalog/economic.csv is stale; rerun with BQL_RECORD=1 and review")
        // It reads back to the same catalog, and the datasets use no code it lacks.
        let loaded = try ClassificationCatalog.load(from: Paths.datasets)
        #expect(loaded == built)
        #expect(loaded.compare(try Self.budgets()).filter { $0.kind == .missingCode }.isEmpty)
    }

    @Test func catalogCoversEverySchemeAndLevel() throws {
        let catalog = try ClassificationCatalog.load(from: Paths.datasets)
        let functional = catalog.entries.filter { $0.scheme == .functional }
        #expect(Set(functional.map(\.level)) == ["类", "款", "项"])
        #expect(catalog.entry(.functional, "210")?.name == "卫生健康支出")
        #expect(
            catalog.entry(.functional, "2101599")?.datasets == [
                "anshan-2025", "fushun-2026", "haigang-2025", "shizhong-2025", "yima-2025",
            ])
        #expect(catalog.entry(.department, "30239")?.name == "其他交通费用")
        #expect(catalog.entry(.department, "3010102")?.level == "子目")
        #expect(catalog.entry(.government, "50501")?.name == "工资福利支出")
        #expect(catalog.entry(.government, "50501")?.datasets == ["yima-2025"])
        // Every functional and economic code of every dataset is in it.
        for b in try Self.budgets() {
            for line in b.spending {
                if let c = line.code { #expect(catalog.entry(.functional, c) != nil, "\(b.department.id) \(c)") }
            }
            for line in b.economic {
                if let c = line.code {
                    #expect(
                        catalog.entry(line.scheme == "政府" ? .government : .department, c) != nil,
                        "\(b.department.id) \(c)")
                }
                if let g = line.govCode { #expect(catalog.entry(.government, g) != nil, "\(b.department.id) \(g)") }
            }
        }
    }

    /// The three names the documents print differently from the other documents.
    @Test func publishedNameConflicts() throws {
        let budgets = try Self.budgets()
        let catalog = try ClassificationCatalog.load(from: Paths.datasets)
        let conflicts = catalog.compare(budgets).filter { $0.kind == .nameConflict }
        let summary = Set(
            conflicts.map {
                "\($0.usage.dataset) \($0.usage.table) \($0.usage.code) \($0.usage.name ?? "") → \($0.catalogName ?? "")"
            })
        #expect(
            summary == [
                "yima-2025 totals 208 社会保障和就业 → 社会保障和就业支出",
                "yima-2025 totals 210 卫生健康 → 卫生健康支出",
                "shizhong-2025 narrative 2101599 其他医疗保障管理事务 → 其他医疗保障管理事务支出",
            ])
        #expect(conflicts.allSatisfy { $0.listedAsOtherName })
        #expect(catalog.entry(.functional, "210")?.otherNames == ["卫生健康": ["yima-2025"]])
        #expect(catalog.entry(.functional, "2101599")?.otherNames == ["其他医疗保障管理事务": ["shizhong-2025"]])

        // `bql check` reports them as their own, non-failing kind.
        let findings = Checker.check(
            budgets, known: try KnownContradiction.load(from: Paths.datasets), catalog: catalog)
        let named = findings.filter { $0.kind == .nameConflict }
        #expect(named.count == 3)
        #expect(named.allSatisfy { $0.rule == Checker.nameConflictRule && $0.documentation != nil })
        #expect(named.contains { $0.dataset == "yima-2025" && $0.subject.hasPrefix("功能分类 210: 卫生健康 ≠ 卫生健康支出") })
        #expect(
            Checker.check(budgets).filter { $0.kind == .nameConflict }.count == 3,
            "the catalog built from the budgets gives the same")
        // Checking one dataset alone (catalog built from it) names the same conflicts: on a tie the full name wins.
        let yima = budgets.filter { $0.department.id == "yima-2025" }
        #expect(
            Set(Checker.check(yima).filter { $0.kind == .nameConflict }.map(\.subject))
                == Set(named.filter { $0.dataset == "yima-2025" }.map(\.subject)))
        #expect(FindingKind.nameConflict < .rounding && FindingKind.rounding < .contradiction)
    }

    @Test func detectsANameThatDiffersFromTheCatalog() throws {
        let budgets = try Self.budgets()
        let catalog = ClassificationCatalog.build(from: budgets)
        var changed = budgets
        let y = try #require(changed.firstIndex { $0.department.id == "yima-2025" })
        let s = try #require(changed[y].spending.firstIndex { $0.code == "2101550" })
        changed[y].spending[s].name = "事业单位运行"
        let e = try #require(changed[y].economic.firstIndex { $0.code == "30217" })
        changed[y].economic[e].govName = "接待费"

        let issues = catalog.compare(changed).filter { $0.kind == .nameConflict && !$0.listedAsOtherName }
        #expect(issues.count == 2)
        let spending = try #require(issues.first { $0.usage.scheme == .functional })
        #expect(spending.usage.dataset == "yima-2025")
        #expect(spending.usage.code == "2101550")
        #expect(spending.usage.name == "事业单位运行")
        #expect(spending.catalogName == "事业运行")
        #expect(spending.usage.table == "spending")
        let gov = try #require(issues.first { $0.usage.scheme == .government })
        #expect(gov.usage.code == "50206")
        #expect(gov.catalogName == "公务接待费")

        // As check findings: undocumented, but of their own kind, so they never count as contradictions.
        let findings = Checker.nameConflicts(changed, catalog: catalog).filter { $0.documentation == nil }
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { $0.kind == .nameConflict && $0.dataset == "yima-2025" })
    }

    @Test func detectsACodeMissingFromTheCatalog() throws {
        let budgets = try Self.budgets()
        var catalog = ClassificationCatalog.build(from: budgets)
        catalog.entries.removeAll { $0.scheme == .functional && $0.code == "2101506" }
        catalog.entries.removeAll { $0.scheme == .department && $0.code == "31006" }
        let missing = catalog.compare(budgets).filter { $0.kind == .missingCode }
        #expect(
            Set(missing.map { "\($0.usage.dataset) \($0.usage.code)" }) == ["haigang-2025 2101506", "yima-2025 31006"])
    }

    @Test func labelsAreNormalisedBeforeComparing() {
        #expect(ClassificationCatalog.normalizedLabel("八、社会保障和就业支出") == "社会保障和就业支出")
        #expect(ClassificationCatalog.normalizedLabel("二十一、住房保障支出") == "住房保障支出")
        #expect(ClassificationCatalog.normalizedLabel("（十）卫生健康支出") == "卫生健康支出")
        #expect(ClassificationCatalog.normalizedLabel("机关事业单位职业年金缴费支出(项)") == "机关事业单位职业年金缴费支出")
        #expect(ClassificationCatalog.normalizedLabel("行政运行（项）") == "行政运行")
        #expect(ClassificationCatalog.normalizedLabel("维修（护）费") == "维修（护）费")
        #expect(ClassificationCatalog.normalizedLabel("十、卫生健康") == "卫生健康")
    }

    @Test func malformedCatalogFilesAreRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let catalog = ClassificationCatalog.build(from: try Self.budgets())
        try catalog.write(to: dir)
        #expect(try ClassificationCatalog.load(from: dir) == catalog)
        let file = dir.appendingPathComponent("catalog/functional.csv")
        try Data("code,name,level,other_names,datasets\n21,卫生,类,,anshan-2025\n".utf8).write(to: file)
        #expect(throws: DatasetError.self) { try ClassificationCatalog.load(from: dir) }
        try Data("code,name,level,other_names,datasets\n210,卫生健康支出,类,卫生健康,anshan-2025\n".utf8).write(to: file)
        #expect(throws: DatasetError.self) { try ClassificationCatalog.load(from: dir) }
        try Data("code,name,level,other_names,datasets\n210,卫生健康支出,类,,a\n210,卫生健康支出,类,,b\n".utf8).write(to: file)
        #expect(throws: DatasetError.self) { try ClassificationCatalog.load(from: dir) }
    }
}

/// `Datasets/catalog/renumbering.csv`: each row names its source, and a code the bundled
/// datasets use is listed under the name they print (the edition's new name).
@Suite struct RenumberingTests {
    @Test func everyRenumberingHasASourceAndTheCatalogsName() throws {
        let rows = try ClassificationRenumbering.load(from: Paths.datasets)
        #expect(rows.count >= 3)
        let catalog = try ClassificationCatalog.load(from: Paths.datasets)
        for r in rows {
            #expect(!r.source.isEmpty && r.source.contains("政府收支分类科目"), "\(r.codeBefore)")
            #expect([3, 5, 7].contains(r.codeBefore.count) && r.codeAfter.count == r.codeBefore.count)
            #expect(r.nameBefore != r.nameAfter || r.codeBefore != r.codeAfter)
            if let e = catalog.entry(.functional, r.codeAfter) { #expect(e.name == r.nameAfter, "\(r.codeAfter)") }
        }
        #expect(rows.contains { $0.codeBefore == "210" && $0.nameBefore == "医疗卫生与计划生育支出" && $0.nameAfter == "卫生健康支出" })
    }
}
