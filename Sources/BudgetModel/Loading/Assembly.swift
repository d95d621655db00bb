// Assembly: turns a folder's loaded tables into a `Budget` — each table's rows built by walking
// its record type's field declarations — and checks what no single cell shows: that the
// department table has one row, that keys are unique and that references to units and projects
// resolve. Rows are checked in file order, table by table, so the first problem is reported.

extension DatasetLoader {
    /// The budget of the tables of the folder named `folder` (given in ``DatasetSchema/tables``
    /// order, every cell valid).
    static func assemble(_ tables: [LoadedTable], folder: String) throws(DatasetError) -> Budget {
        var builder = BudgetBuilder(tables: tables)
        var budget = Budget(department: Department())
        budget.visitTables(&builder)
        if let error = builder.error { throw error }
        try TableRules(tables).check(budget, folder: folder)
        return budget
    }
}

/// Fills each table of a budget from the loaded table at the same place in load order.
private struct BudgetBuilder: TableVisitor {
    let tables: [LoadedTable]
    var next = 0
    /// The first problem: a single-row table without exactly one row.
    var error: DatasetError?

    init(tables: [LoadedTable]) { self.tables = tables }

    private mutating func take<R: Record>(_: R.Type) -> LoadedTable? {
        defer { next += 1 }
        guard next < tables.count, tables[next].schema.name == R.heading.name else { return nil }
        return tables[next]
    }

    mutating func visit<R: Record>(single row: inout R) {
        guard let table = take(R.self) else { return }
        guard table.rowCount == 1, let first = table.rows(R.self).first else {
            error =
                error
                ?? .wrongRowCount(
                    DataLocation(file: table.file), expected: "exactly one \(table.schema.name) row",
                    found: table.rowCount)
            return
        }
        row = first
    }

    mutating func visit<R: Record>(rows: inout [R]) {
        guard let table = take(R.self) else { return }
        rows = table.rows(R.self)
    }
}

/// The keys and references of a budget's tables.
private struct TableRules {
    let tables: [String: LoadedTable]

    init(_ tables: [LoadedTable]) {
        self.tables = Dictionary(tables.map { ($0.schema.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where row `r`'s cell of `field` in the table of `R` is.
    private func location<R: Record>(_: R.Type, _ r: Int, _ field: String) -> DataLocation {
        guard let table = tables[R.heading.name] else { return DataLocation(file: R.heading.name + ".csv") }
        guard let column = table.column(field) else { return DataLocation(file: table.file) }
        return table.location(r, column)
    }

    /// The line row `r` of the table of `R` starts on.
    private func line<R: Record>(_: R.Type, _ r: Int) -> Int { tables[R.heading.name]?.line(r) ?? 0 }

    func check(_ b: Budget, folder: String) throws(DatasetError) {
        // The dataset id is the folder's name (two folders cannot share one).
        if b.department.id != folder {
            throw .idNotFolderName(location(Department.self, 0, "id"), id: b.department.id, folder: folder)
        }
        var unitLines: [String: Int] = [:]
        for r in b.units.indices {
            let name = b.units[r].name
            if let first = unitLines[name] {
                throw .duplicateKey(location(BudgetUnit.self, r, "name"), column: "name", key: name, firstLine: first)
            }
            unitLines[name] = line(BudgetUnit.self, r)
        }
        /// A `unit` cell must name a row of units.csv.
        func unit<R: Record>(_ value: String?, _: R.Type, _ r: Int) throws(DatasetError) {
            guard let value, unitLines[value] == nil else { return }
            throw .unknownReference(location(R.self, r, "unit"), column: "unit", value: value, target: "units.csv")
        }

        for r in b.tasks.indices { try unit(b.tasks[r].unit, PerformanceTask.self, r) }

        var sources: [String: Int] = [:]
        for r in b.income.indices {
            let source = b.income[r].source
            if let first = sources[source] {
                throw .duplicateKey(
                    location(IncomeLine.self, r, "source"), column: "source", key: source, firstLine: first)
            }
            sources[source] = line(IncomeLine.self, r)
        }

        var spendingKeys: [String: Int] = [:]
        for r in b.spending.indices {
            let code = b.spending[r].code
            if let code, ClassificationLevel(code: code) == nil || !Self.isDigits(code) {
                throw .invalidNumber(
                    location(SpendingLine.self, r, "code"), column: "code", found: code,
                    expected: "a 3-, 5- or 7-digit classification code")
            }
            let key = b.spending[r].fund + "|" + (code ?? "")
            if let first = spendingKeys[key] {
                throw .duplicateKey(
                    location(SpendingLine.self, r, "code"), column: "code", key: code ?? "(合计)", firstLine: first)
            }
            spendingKeys[key] = line(SpendingLine.self, r)
        }

        var economicKeys: [String: Int] = [:]
        for r in b.economic.indices {
            let code = b.economic[r].code
            if let code, ![3, 5, 7].contains(code.count) || !Self.isDigits(code) {
                throw .invalidNumber(
                    location(EconomicLine.self, r, "code"), column: "code", found: code,
                    expected: "a 3-, 5- or 7-digit economic classification code")
            }
            let key = b.economic[r].table + "|" + (code ?? "") + "|" + (b.economic[r].govCode ?? "")
            if let first = economicKeys[key] {
                throw .duplicateKey(
                    location(EconomicLine.self, r, "code"), column: "code", key: code ?? "(合计)", firstLine: first)
            }
            economicKeys[key] = line(EconomicLine.self, r)
        }

        var projectLines: [String: Int] = [:]
        projectLines.reserveCapacity(b.projects.count)
        for r in b.projects.indices {
            let id = b.projects[r].id
            if let first = projectLines[id] {
                throw .duplicateKey(location(Project.self, r, "id"), column: "id", key: id, firstLine: first)
            }
            projectLines[id] = line(Project.self, r)
            try unit(b.projects[r].unit, Project.self, r)
        }

        var indicatorLines: [Int: Int] = [:]
        indicatorLines.reserveCapacity(b.indicators.count)
        for r in b.indicators.indices {
            let id = b.indicators[r].id
            if let first = indicatorLines[id] {
                throw .duplicateKey(location(Indicator.self, r, "id"), column: "id", key: String(id), firstLine: first)
            }
            indicatorLines[id] = line(Indicator.self, r)
            if let project = b.indicators[r].project, projectLines[project] == nil {
                throw .unknownReference(
                    location(Indicator.self, r, "project"), column: "project", value: project, target: "projects.csv")
            }
            try unit(b.indicators[r].unit, Indicator.self, r)
        }

        var planLines: [String: Int] = [:]
        for r in b.plans.indices {
            let project = b.plans[r].project
            if projectLines[project] == nil {
                throw .unknownReference(
                    location(SpendingPlan.self, r, "project"), column: "project", value: project, target: "projects.csv"
                )
            }
            let key = project + "|" + b.plans[r].period
            if let first = planLines[key] {
                throw .duplicateKey(
                    location(SpendingPlan.self, r, "period"), column: "period", key: key, firstLine: first)
            }
            planLines[key] = line(SpendingPlan.self, r)
        }

        for r in b.threePublic.indices { try unit(b.threePublic[r].unit, ThreePublic.self, r) }
        for r in b.procurement.indices { try unit(b.procurement[r].unit, ProcurementItem.self, r) }
        for r in b.purchaseServices.indices { try unit(b.purchaseServices[r].unit, PurchasedService.self, r) }
    }

    /// Whether `code` is ASCII digits only.
    private static func isDigits(_ code: String) -> Bool {
        code.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
