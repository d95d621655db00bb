// RecordTests: the field declarations are the whole model — every stored property of every
// table's row type is declared exactly once (so the loader, the cache and the catalog, which
// walk the declarations, see every field), a blank row is blank, names are unique, and a budget
// with a value in every field survives the load cache unchanged.

import Foundation
import Testing

@testable import BudgetModel

/// Writes a distinct, non-blank value into every field it visits.
private struct SentinelWriter: FieldVisitor {
    var count = 0
    var names: [String] = []

    private mutating func next(_ field: () -> FieldSchema) -> Int {
        count += 1
        names.append(field().name)
        return count
    }
    mutating func visit(_ value: inout String, _ field: @autoclosure () -> FieldSchema) {
        value = "s\(next(field))"
    }
    mutating func visit(_ value: inout String?, _ field: @autoclosure () -> FieldSchema) {
        value = "o\(next(field))"
    }
    mutating func visit(_ value: inout Int, _ field: @autoclosure () -> FieldSchema) { value = next(field) }
    mutating func visit(_ value: inout ExactDecimal, _ field: @autoclosure () -> FieldSchema) {
        value = ExactDecimal(mantissa: Int64(next(field)) * 10 + 1, scale: 1)
    }
    mutating func visit(_ value: inout ExactDecimal?, _ field: @autoclosure () -> FieldSchema) {
        value = ExactDecimal(mantissa: Int64(next(field)) * 100 + 7, scale: 2)
    }
}

/// Whether a stored value is blank: empty text, `nil`, zero.
private func isBlank(_ value: Any) -> Bool {
    if let s = value as? String { return s.isEmpty }
    if let i = value as? Int { return i == 0 }
    if let d = value as? ExactDecimal { return d.isZero && d.scale == 0 }
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional { return mirror.children.isEmpty }
    return false
}

/// Checks every record type of a budget, and fills each table with two sentinel rows.
private struct RecordChecker: TableVisitor {
    var problems: [String] = []

    mutating func check<R: Record>(_: R.Type) -> R {
        let blank = Mirror(reflecting: R()).children
        for child in blank where !isBlank(child.value) {
            problems.append("\(R.self)(): \(child.label ?? "?") is not blank")
        }
        var row = R()
        var writer = SentinelWriter()
        row.visitFields(&writer)
        let stored = Mirror(reflecting: row).children
        if writer.count != stored.count {
            problems.append("\(R.self): \(writer.count) fields declared for \(stored.count) stored properties")
        }
        for child in stored where isBlank(child.value) {
            problems.append("\(R.self): stored property \(child.label ?? "?") is not declared as a field")
        }
        if Set(writer.names).count != writer.names.count {
            problems.append("\(R.self): field names repeat: \(writer.names)")
        }
        let columns = R.schema.fields.compactMap(\.query?.name)
        if Set(columns).count != columns.count { problems.append("\(R.self): query names repeat: \(columns)") }
        return row
    }

    mutating func visit<R: Record>(single row: inout R) { row = check(R.self) }
    mutating func visit<R: Record>(rows: inout [R]) { rows = [check(R.self), check(R.self)] }
}

@Suite struct RecordTests {
    @Test func everyStoredPropertyIsDeclaredOnce() {
        var budget = Budget(department: Department())
        var checker = RecordChecker()
        budget.visitTables(&checker)
        #expect(checker.problems == [])
        #expect(DatasetSchema.tables.count == 15)
        #expect(Set(DatasetSchema.tables.map(\.name)).count == DatasetSchema.tables.count)
    }

    /// The budget itself holds the department and one array per table, and nothing else.
    @Test func everyTableIsVisited() {
        let d = Department()
        let labels = Mirror(reflecting: Budget(department: d)).children.map { $0.label ?? "?" }
        #expect(labels.count == DatasetSchema.tables.count)
        #expect(labels.first == "department")
    }

    @Test func typesAndRequirednessComeFromTheProperties() throws {
        let projects = try #require(DatasetSchema.table("projects"))
        #expect(projects.field("id")?.type == .string && projects.field("id")?.required == true)
        #expect(projects.field("amount")?.type == .decimal && projects.field("amount")?.required == true)
        #expect(projects.field("goal_amount")?.type == .decimal && projects.field("goal_amount")?.required == false)
        let indicators = try #require(DatasetSchema.table("indicators"))
        #expect(indicators.field("id")?.type == .integer && indicators.field("id")?.query == nil)
        #expect(indicators.field("level3")?.query?.name == "name")
        // A non-optional text that may be empty.
        #expect(DatasetSchema.table("totals")?.field("label")?.required == false)
        #expect(DatasetSchema.table("totals")?.field("key")?.required == true)
        // Kinds: money for 万元 decimals, number for other decimals, code where declared.
        #expect(projects.field("amount")?.query?.kind == .money)
        #expect(indicators.field("value")?.query?.kind == .number)
        #expect(projects.field("function_code")?.query?.kind == .code)
    }

    /// A value in every field of every table, through the cache's encoder and decoder.
    @Test func sentinelBudgetRoundTripsThroughTheCache() throws {
        var budget = Budget(department: Department())
        var checker = RecordChecker()
        budget.visitTables(&checker)
        let fingerprint = Digest(high: 1, low: 2)
        let encoded = try #require(CacheEncoder.encode([budget, budget], fingerprint: fingerprint))
        let bytes =
            encoded.header + encoded.stringLengths + encoded.stringBytes + encoded.directory + encoded.bodies
        let decoded = try #require(
            bytes.withUnsafeBytes { CacheDecoder.decode($0, fingerprint: fingerprint) })
        #expect(decoded.count == 2)
        for b in decoded {
            #expect(b.department == budget.department && b.units == budget.units && b.tasks == budget.tasks)
            #expect(b.income == budget.income && b.totals == budget.totals && b.spending == budget.spending)
            #expect(b.economic == budget.economic && b.projects == budget.projects && b.plans == budget.plans)
            #expect(b.indicators == budget.indicators && b.threePublic == budget.threePublic)
            #expect(b.procurement == budget.procurement && b.purchaseServices == budget.purchaseServices)
            #expect(b.assets == budget.assets && b.narrative == budget.narrative)
        }
        #expect(!decoded[0].plans.isEmpty && decoded[0].plans[0] == budget.plans[0])
    }
}
