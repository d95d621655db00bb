// SampleTests: the two sample PDFs (上海市普陀区万里街道, 2024 and 2025, tables in 元, “三公” in
// 万元) imported: every 类, 款 and 项 figure and every “三公” figure equals the printed one,
// converted exactly; `check` reports the 2025 document's one real contradiction and nothing else.

import BudgetImport
import BudgetModel
import Foundation
import Testing

/// The printed 合计 (元) of every line of the 2025 支出预算总表 (read off the PDF, pages 14–18).
let printed2025: [String: String] = [
    "201": "3,296,600", "20105": "438,300", "2010507": "438,300", "20129": "422,900", "2012902": "422,900",
    "20132": "1,075,000", "2013202": "1,075,000", "20133": "1,106,000", "2013302": "1,106,000", "20134": "119,100",
    "2013402": "119,100", "20138": "135,300", "2013802": "135,300", "204": "2,878,025", "20406": "300,000",
    "2040607": "300,000", "20499": "2,578,025", "2049999": "2,578,025", "205": "250,000", "20599": "250,000",
    "2059999": "250,000", "206": "100,000", "20607": "100,000", "2060702": "100,000", "207": "200,000",
    "20703": "200,000", "2070308": "200,000", "208": "16,091,895", "20805": "7,589,473", "2080501": "259,320",
    "2080502": "85,260", "2080505": "4,827,156", "2080506": "2,413,577", "2080599": "4,160", "20807": "582,800",
    "2080705": "582,800", "20816": "45,200", "2081602": "45,200", "20825": "300,000", "2082501": "300,000",
    "20899": "7,574,422", "2089999": "7,574,422", "210": "3,216,973", "21007": "200,000", "2100717": "200,000",
    "21011": "3,016,973", "2101101": "1,468,940", "2101102": "1,548,033", "212": "154,369,326",
    "21201": "94,995,790", "2120101": "17,887,739", "2120102": "17,464,243", "2120104": "6,522,681",
    "2120199": "53,121,126", "21203": "2,191,300", "2120399": "2,191,300", "21205": "4,833,300",
    "2120501": "4,833,300", "21299": "52,348,937", "2129999": "52,348,937", "221": "9,364,732",
    "22102": "7,187,532", "2210201": "3,846,732", "2210203": "3,340,800", "22103": "2,177,200",
    "2210399": "2,177,200",
]

/// The printed 合计 (元) of every line of the 2024 支出预算总表 (pages 16–20).
let printed2024: [String: String] = [
    "201": "2,932,700", "20105": "257,700", "2010507": "257,700", "20129": "426,000", "2012902": "426,000",
    "20132": "888,700", "2013202": "888,700", "20133": "1,106,000", "2013302": "1,106,000", "20134": "119,100",
    "2013402": "119,100", "20138": "135,200", "2013802": "135,200", "204": "1,633,000", "20406": "300,000",
    "2040607": "300,000", "20499": "1,333,000", "2049999": "1,333,000", "205": "250,000", "20599": "250,000",
    "2059999": "250,000", "206": "100,000", "20607": "100,000", "2060702": "100,000", "207": "200,000",
    "20703": "200,000", "2070308": "200,000", "208": "19,604,064", "20805": "7,234,970", "2080501": "243,120",
    "2080502": "76,620", "2080505": "4,608,515", "2080506": "2,302,815", "2080599": "3,900", "20807": "4,212,300",
    "2080705": "4,212,300", "20816": "44,400", "2081602": "44,400", "20825": "300,000", "2082501": "300,000",
    "20899": "7,812,394", "2089999": "7,812,394", "210": "3,223,657", "21007": "200,000", "2100717": "200,000",
    "21011": "3,023,657", "2101101": "1,422,233", "2101102": "1,601,424", "212": "119,385,303",
    "21201": "94,450,003", "2120101": "16,603,248", "2120102": "17,591,003", "2120104": "6,043,390",
    "2120199": "54,212,362", "21203": "9,721,800", "2120399": "9,721,800", "21205": "5,993,300",
    "2120501": "5,993,300", "21299": "9,220,200", "2129999": "9,220,200", "221": "8,882,399",
    "22102": "6,705,199", "2210201": "3,503,499", "2210203": "3,201,700", "22103": "2,177,200",
    "2210399": "2,177,200",
]

@Suite("Import of the sample PDFs")
struct SampleTests {
    func line(_ b: Budget, _ code: String?) -> SpendingLine? {
        b.spending.first { $0.code == code && $0.fund == "一般公共预算" }
    }

    @Test("2025: every 类, 款 and 项 total equals the printed figure in 元, converted exactly")
    func functional2025() throws {
        let r = try Imported.sample(2025)
        #expect(printed2025.count >= 30)
        for (code, text) in printed2025 {
            #expect(line(r.budget, code)?.total == yuan(text), "\(code): printed \(text) 元")
        }
        // Every line of the table, no more: 9 类, 24 款, 33 项 and the 合计.
        #expect(r.budget.spending.count == printed2025.count + 1)
        let total = line(r.budget, nil)
        #expect(total?.total == yuan("189,767,551"))
        #expect(total?.basic == yuan("101,341,746"))
        #expect(total?.project == yuan("88,425,805"))
        #expect(line(r.budget, "212")?.basic == yuan("77,381,546"))
        #expect(line(r.budget, "212")?.project == yuan("76,987,780"))
        #expect(line(r.budget, "2120101")?.basic == yuan("17,737,739"))
        #expect(line(r.budget, "2120101")?.project == yuan("150,000"))
        #expect(line(r.budget, "208")?.basic == yuan("13,755,695"))
        // 9,389,913.00 元 is 938.9913 万元: the conversion moves the point, it never rounds.
        #expect(line(r.budget, "2120101")?.total?.description == "1788.7739")
    }

    @Test("2024: every 类, 款 and 项 total equals the printed figure in 元, converted exactly")
    func functional2024() throws {
        let r = try Imported.sample(2024)
        #expect(printed2024.count >= 30)
        for (code, text) in printed2024 {
            #expect(line(r.budget, code)?.total == yuan(text), "\(code): printed \(text) 元")
        }
        #expect(r.budget.spending.count == printed2024.count + 1)
        #expect(line(r.budget, nil)?.total == yuan("156,211,123"))
        #expect(line(r.budget, nil)?.basic == yuan("99,706,020"))
        #expect(line(r.budget, nil)?.project == yuan("56,505,103"))
        #expect(line(r.budget, "21201")?.project == yuan("17,841,003"))
    }

    @Test("“三公” and 机关运行经费 are read in the 万元 their table states")
    func threePublic() throws {
        let expected: [Int: (String, String, String, String, String, String, String)] = [
            2025: ("37.91", "0", "36.56", "15", "21.56", "1.35", "464.64"),
            2024: ("47.91", "0", "46.56", "25", "21.56", "1.35", "443.18"),
        ]
        for (year, e) in expected {
            let b = try Imported.sample(year).budget
            let row = try #require(b.threePublic.first { $0.unit == nil })
            #expect(row.total == ExactDecimal(e.0))
            #expect(row.abroad == ExactDecimal(e.1))
            #expect(row.vehicle == ExactDecimal(e.2))
            #expect(row.vehiclePurchase == ExactDecimal(e.3))
            #expect(row.vehicleOperation == ExactDecimal(e.4))
            #expect(row.reception == ExactDecimal(e.5))
            #expect(b.totals.first { $0.key == "operating_cost" }?.amount == ExactDecimal(e.6))
        }
    }

    @Test("The 基本支出 economic table, with the 2024 document's unpadded codes (301 2 = 30102)")
    func economic() throws {
        let b25 = try Imported.sample(2025).budget
        let b24 = try Imported.sample(2024).budget
        func econ(_ b: Budget, _ code: String?) -> EconomicLine? { b.economic.first { $0.code == code } }
        #expect(econ(b25, "301")?.total == yuan("90,238,584"))
        #expect(econ(b25, "30101")?.personnel == yuan("6,084,184"))
        #expect(econ(b25, "30217")?.publicCost == yuan("13,500"))
        #expect(econ(b25, nil)?.total == yuan("101,341,746"))
        #expect(econ(b25, nil)?.personnel == yuan("90,514,044"))
        #expect(econ(b25, nil)?.publicCost == yuan("10,827,702"))
        #expect(econ(b24, "30102")?.total == yuan("16,623,810"))
        #expect(econ(b24, "30107")?.total == yuan("11,447,100"))
        #expect(econ(b24, "303")?.personnel == yuan("254,940"))
        #expect(b25.economic.count == 32 && b24.economic.count == 32)
        #expect(b24.economic.allSatisfy { $0.scheme == "部门" })
    }

    @Test("The 收支总表's income and totals")
    func summary() throws {
        let b = try Imported.sample(2025).budget
        #expect(b.income.first { $0.source == "一般公共预算拨款" }?.amount == yuan("189,767,551"))
        #expect(b.income.first { $0.source == "事业收入" }.map { $0.amount == nil } == true)
        #expect(b.totals.first { $0.key == "income.grand_total" }?.amount == yuan("189,767,551"))
        #expect(b.totals.first { $0.key == "expense.grand_total" }?.amount == yuan("189,767,551"))
        #expect(b.department.name == "上海市普陀区人民政府万里街道办事处")
        #expect(b.department.year == 2025 && b.department.kind == "部门预算")
        #expect(b.department.province == "上海市" && b.department.county == "普陀区")
    }

    @Test("check reports the 2025 document's own contradiction — 款 212 01 — and nothing else")
    func contradiction2025() throws {
        let r = try Imported.sample(2025)
        let contradictions = r.findings.filter { $0.kind == .contradiction }
        #expect(!contradictions.isEmpty)
        // 款 212 01 printed 94,995,790 元; its 项 rows and its own 基本 + 项目 give 94,995,789;
        // the 类 212 (printed 154,369,326 = Σ 项) therefore differs from Σ 款 by the same 1 元.
        for f in contradictions {
            #expect(f.subject.hasPrefix("21201 ") || f.subject.hasPrefix("212 "), "\(f.rule) · \(f.subject)")
            #expect(f.difference.magnitude == yuan("1"))
        }
        #expect(contradictions.contains { $0.rule == "款 = Σ 项" && $0.subject.hasPrefix("21201 ") })
        #expect(r.findings.filter { $0.kind != .contradiction }.isEmpty, "\(r.findings)")
        // The report labels it as the document's own and says where it is printed.
        #expect(r.report.contains("The document's own contradictions"))
        #expect(r.report.contains("printed 94,995,790 元"))
    }

    @Test("check finds nothing in the 2024 document; its 「empty table」 note over figures is reported")
    func clean2024() throws {
        let r = try Imported.sample(2024)
        #expect(r.findings.isEmpty, "\(r.findings)")
        #expect(r.notes.contains { $0.kind == .emptyNoteWithFigures })
    }

    @Test("The narrative's figures are keyed and agree with the tables at their own precision")
    func narrative() throws {
        let b = try Imported.sample(2025).budget
        #expect(b.narrative.count >= 30)
        #expect(b.narrative.first { $0.key == "three_public.total" }?.amount == ExactDecimal("37.91"))
        #expect(b.narrative.first { $0.key == "operating_cost" }?.amount == ExactDecimal("464.64"))
        #expect(b.narrative.first { $0.key == "xiang.2120101" }?.amount == ExactDecimal("1788.77"))
        #expect(b.narrative.first { $0.key == "procurement.total" }?.amount == ExactDecimal("4821.20"))
    }

    @Test("Every stored figure records its page, line, printed text and unit")
    func provenance() throws {
        let r = try Imported.sample(2025)
        let folder = try #require(r.folder)
        let csv = try String(contentsOf: folder.appendingPathComponent("provenance.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("table,row,field,page,line,printed,unit,source_table,file\n"))
        #expect(csv.contains(",94,995,790") == false)  // printed figures with separators are quoted
        #expect(csv.contains("\"94,995,790\",元,部门支出预算总表,putuo-wanli-2025-dept.pdf"))
        let index = try #require(r.budget.spending.firstIndex { $0.code == "21201" })
        let source = try #require(r.provenance["spending|\(index)|total"])
        #expect(source.page == 17 && source.unit == "元" && source.printed == "94,995,790")
        let figures = r.budget.spending.reduce(0) { n, l in
            n + [l.total, l.basic, l.personnel, l.publicCost, l.project].compactMap { $0 }.count
        }
        let sourced = r.provenance.keys.filter { $0.hasPrefix("spending|") }.count
        #expect(sourced == figures)
    }

    @Test("The dataset loads with the ordinary loader and answers a query through bql")
    func query() throws {
        let r = try Imported.sample(2025)
        let folder = try #require(r.folder)
        let reloaded = try DatasetLoader.loadAll(from: folder.deletingLastPathComponent())
        #expect(reloaded.contains { $0.department.id == "putuo-wanli-2025-dept" })
        let out = try runBQL([
            "--data", folder.path, "--no-cache", "--format", "csv", "-e",
            "spending_lines | where code = \"21201\" | select code, amount",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("21201,9499.579"))
    }

    @Test("A query shows where a figure was printed: each row's provenance is its file, page and line")
    func provenanceInAQuery() throws {
        let r = try Imported.sample(2025)
        let folder = try #require(r.folder)
        let index = try #require(r.budget.spending.firstIndex { $0.code == "21201" })
        let source = try #require(r.provenance["spending|\(index)|total"])
        let out = try runBQL([
            "--data", folder.path, "--no-cache", "--format", "csv", "-e",
            "spending_lines | where code = \"21201\" | select code, amount, provenance",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(
            out.stdout.contains("21201,9499.5790,putuo-wanli-2025-dept.pdf p. 17 line \(source.line)"), "\(out.stdout)")
        // Every imported row that carries a figure says where it was read (a source listed with a
        // blank amount has nothing to point at).
        let b = r.budget
        let rows: [(String, String?)] =
            b.income.filter { $0.amount != nil }.map { ("income", $0.provenance) }
            + b.threePublic.map { ("three_public", $0.provenance) }
            + b.spending.filter { $0.total != nil }.map { ("spending", $0.provenance) }
            + b.economic.filter { $0.total != nil }.map { ("economic", $0.provenance) }
            + b.totals.filter { $0.amount != nil }.map { ("totals", $0.provenance) }
        #expect(rows.count > 60)
        for (table, p) in rows {
            #expect(p?.hasPrefix("putuo-wanli-2025-dept.pdf p. ") == true, "\(table): \(p ?? "nil")")
        }
        let three = try #require(b.threePublic.first)
        #expect(three.provenance?.contains(" line ") == true)
    }
}

@Suite("Import of another department's PDFs (商务委员会, 部门 and 单位预算)")
struct OtherDepartmentTests {
    static let directory = Fixtures.temporaryDirectory("commerce")
    static let dept = Result {
        try BudgetImporter.importDocument(Fixtures.more("putuo-commerce-2025-dept.pdf"), into: directory)
    }
    static let unit = Result {
        try BudgetImporter.importDocument(Fixtures.more("putuo-commerce-2025-unit.pdf"), into: directory)
    }

    @Test("Figures printed in 元 with 分 are converted exactly: 9,389,913.00 元 is 938.9913 万元")
    func yuanWithCents() throws {
        let b = try Self.dept.get().budget
        func total(_ code: String?) -> ExactDecimal? { b.spending.first { $0.code == code }?.total }
        #expect(total("2011301") == ExactDecimal("938.9913"))
        #expect(total("2011301")?.description == "938.991300")
        let printed: [String: String] = [
            "201": "21,601,733.00", "20113": "21,601,733.00", "2011302": "4,545,000.00", "2011350": "2,901,820.00",
            "2011399": "4,765,000.00", "206": "17,200,000.00", "2060503": "17,200,000.00", "208": "3,808,085.00",
            "2080501": "1,661,216.00", "2080502": "17,280.00", "2080505": "1,410,886.00", "2080506": "705,443.00",
            "2080599": "13,260.00", "210": "881,803.00", "2101101": "631,941.00", "2101102": "249,862.00",
            "215": "293,810,000.00", "2150899": "293,810,000.00", "216": "31,364,000.00", "2169999": "31,364,000.00",
            "221": "2,849,034.00", "2210201": "1,361,034.00", "2210203": "1,488,000.00",
        ]
        for (code, text) in printed { #expect(total(code) == yuan(text), "\(code): printed \(text) 元") }
        #expect(total(nil) == yuan("371,514,655.00"))
        // Blank cells stay blank: 行政运行 has no 项目支出, 一般行政管理事务 no 基本支出.
        #expect(b.spending.first { $0.code == "2011301" }.map { $0.project == nil } == true)
        #expect(b.spending.first { $0.code == "2011302" }.map { $0.basic == nil } == true)
        #expect(b.spending.first { $0.code == nil }?.project == yuan("351,684,000.00"))
        let three = try #require(b.threePublic.first)
        #expect(three.total == ExactDecimal("1.00") && three.reception == ExactDecimal("1.00") && three.abroad == nil)
        #expect(b.totals.first { $0.key == "operating_cost" }?.amount == ExactDecimal("171.01"))
    }

    @Test("Both documents check clean; the 单位预算 is one, and its 收支总表 splits 基本支出 by 人员/公用")
    func clean() throws {
        let d = try Self.dept.get()
        let u = try Self.unit.get()
        #expect(d.findings.isEmpty, "\(d.findings)")
        #expect(u.findings.isEmpty, "\(u.findings)")
        #expect(u.department.kind == "单位预算" && d.department.kind == "部门预算")
        #expect(u.department.name == "上海市普陀区商务委员会")
        #expect(u.budget.spending.first { $0.code == "201" }?.total == yuan("21,601,733.00"))
        #expect(u.notes.filter { $0.kind == .tablesDisagree }.isEmpty, "\(u.notes)")
    }

    @Test("The 部门预算's four 「…专项经费情况说明」 are projects with the total each states; the 单位预算 has none")
    func describedProjects() throws {
        let d = try Self.dept.get().budget
        let projects = d.projects.map { "\($0.name)|\($0.amount)" }
        #expect(
            projects == [
                "科技创新专项|1720.00", "生命健康专项（政策资金）|1170.00", "商业创新专项（政策资金）|1410.00",
                "贸易高质量发展专项（政策资金）|2921.00",
            ])
        #expect(d.totals.filter { $0.key == "projects.described" }.count == 4)
        #expect(d.projects.allSatisfy { $0.unit == "上海市普陀区商务委员会" })
        #expect(try Self.unit.get().budget.projects.isEmpty)
    }
}
