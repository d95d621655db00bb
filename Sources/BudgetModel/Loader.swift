// Loader: reads every dataset folder under a directory into `Budget` values. It validates each
// CSV against `DatasetSchema` (header, cell count, types, enumerations, keys, references) and
// throws a `DatasetError` naming the file, line and column. It never skips a row silently.

import Foundation

/// Reads department budgets from Data Package folders.
public enum DatasetLoader {
    /// Loads every dataset under `directory`: the directory itself if it holds a
    /// `datapackage.json`, else each immediate subfolder that does, sorted by name.
    public static func loadAll(from directory: URL) throws(DatasetError) -> [Budget] {
        let fm = FileManager.default
        if fm.fileExists(atPath: directory.appendingPathComponent("datapackage.json").path) {
            return [try load(from: directory)]
        }
        guard let entries = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw .noDatasets(directory: directory.path)
        }
        var budgets: [Budget] = []
        var seen: [String: String] = [:]
        for name in entries.sorted() {
            let folder = directory.appendingPathComponent(name)
            guard fm.fileExists(atPath: folder.appendingPathComponent("datapackage.json").path) else { continue }
            let budget = try load(from: folder)
            if let first = seen[budget.department.id] {
                throw .duplicateDataset(id: budget.department.id, first: first, second: folder.path)
            }
            seen[budget.department.id] = folder.path
            budgets.append(budget)
        }
        if budgets.isEmpty { throw .noDatasets(directory: directory.path) }
        return budgets
    }

    /// Loads the dataset in one folder.
    public static func load(from folder: URL) throws(DatasetError) -> Budget {
        try checkDescriptor(in: folder)
        var tables: [String: [Row]] = [:]
        for schema in DatasetSchema.tables {
            tables[schema.name] = try readTable(schema, in: folder)
        }
        return try assemble(tables, folder: folder)
    }

    // MARK: - Descriptor

    private static func checkDescriptor(in folder: URL) throws(DatasetError) {
        let url = folder.appendingPathComponent("datapackage.json")
        let location = DataLocation(file: url.path)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .missingFile(location) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalidDescriptor(location, detail: "not valid JSON")
        }
        guard let root = object as? [String: Any], let resources = root["resources"] as? [[String: Any]] else {
            throw .invalidDescriptor(location, detail: "expected an object with a \"resources\" array")
        }
        let described = Set(resources.compactMap { $0["path"] as? String })
        for schema in DatasetSchema.tables where !described.contains(schema.file) {
            throw .invalidDescriptor(location, detail: "resource \(schema.file) is not described")
        }
    }

    // MARK: - Rows

    /// One parsed row, with typed access that throws located errors.
    struct Row {
        let file: String
        let table: TableSchema
        let record: CSVRecord
        let index: [String: Int]

        func location(_ column: String) -> DataLocation {
            DataLocation(file: file, position: index[column].map { record.positions[$0] } ?? record.positions.first)
        }

        func text(_ column: String) throws(DatasetError) -> String? {
            guard let i = index[column] else { return nil }
            let value = record.fields[i].trimmedWhitespace
            if value.isEmpty {
                if table.field(column)?.required == true { throw .missingValue(location(column), column: column) }
                return nil
            }
            if let allowed = table.field(column)?.allowed, !allowed.contains(value) {
                throw .invalidChoice(location(column), column: column, found: value, allowed: allowed)
            }
            return value
        }

        func required(_ column: String) throws(DatasetError) -> String {
            guard let v = try text(column) else { throw .missingValue(location(column), column: column) }
            return v
        }

        func decimal(_ column: String) throws(DatasetError) -> ExactDecimal? {
            guard let t = try text(column) else { return nil }
            guard let d = ExactDecimal(t) else {
                throw .invalidNumber(location(column), column: column, found: t,
                                     expected: "a plain decimal such as 2220.40 (no thousands separators)")
            }
            return d
        }

        func integer(_ column: String) throws(DatasetError) -> Int? {
            guard let t = try text(column) else { return nil }
            guard let i = Int(t) else {
                throw .invalidNumber(location(column), column: column, found: t, expected: "a whole number")
            }
            return i
        }
    }

    private static func readTable(_ schema: TableSchema, in folder: URL) throws(DatasetError) -> [Row] {
        let url = folder.appendingPathComponent(schema.file)
        let file = url.path
        guard let records = try readCSV(url) else { throw .missingFile(DataLocation(file: file)) }
        guard let header = records.first else {
            throw .missingColumn(DataLocation(file: file, position: TextPosition(line: 1, column: 1)),
                                 column: schema.fields[0].name, table: schema.name)
        }
        let expected = schema.fields.map(\.name)
        var index: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() {
            let name = name.trimmedWhitespace
            guard expected.contains(name) else {
                throw .unknownColumn(DataLocation(file: file, position: header.positions[i]), column: name,
                                     table: schema.name, suggestion: Suggestions.closest(name, in: expected))
            }
            if index[name] != nil {
                throw .duplicateKey(DataLocation(file: file, position: header.positions[i]), column: "header column",
                                    key: name, firstLine: 1)
            }
            index[name] = i
        }
        for name in expected where index[name] == nil {
            throw .missingColumn(DataLocation(file: file, position: TextPosition(line: 1, column: 1)), column: name, table: schema.name)
        }
        var rows: [Row] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                throw .wrongCellCount(DataLocation(file: file, position: record.positions.first),
                                      expected: header.fields.count, found: record.fields.count)
            }
            let row = Row(file: file, table: schema, record: record, index: index)
            // Validate every typed and required cell up front, so no bad cell goes unnoticed.
            for field in schema.fields {
                switch field.type {
                case .string: _ = try row.text(field.name)
                case .decimal: _ = try row.decimal(field.name)
                case .integer: _ = try row.integer(field.name)
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Reads and parses a CSV file, mapping parse problems to located `DatasetError`s.
    /// Returns `nil` when the file does not exist.
    public static func readCSV(_ url: URL) throws(DatasetError) -> [CSVRecord]? {
        let file = url.path
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        switch CSVReader.parse([UInt8](data)) {
        case .success(let r): return r
        case .failure(.invalidUTF8(let p)): throw .invalidUTF8(DataLocation(file: file, position: p))
        case .failure(.unterminatedQuote(let p)): throw .unterminatedQuote(DataLocation(file: file, position: p))
        case .failure(.textAfterQuote(let p)): throw .textAfterQuote(DataLocation(file: file, position: p))
        }
    }

    // MARK: - Assembly

    private static func assemble(_ t: [String: [Row]], folder: URL) throws(DatasetError) -> Budget {
        let deptRows = t["department"] ?? []
        guard deptRows.count == 1, let d = deptRows.first else {
            throw .wrongRowCount(DataLocation(file: folder.appendingPathComponent("department.csv").path),
                                 expected: "exactly one department row", found: deptRows.count)
        }
        var budget = Budget(department: Department(
            id: try d.required("id"), code: try d.text("code"), name: try d.required("name"),
            province: try d.required("province"), city: try d.text("city"), county: try d.text("county"),
            year: try d.integer("year") ?? 0, kind: try d.required("kind"), source: try d.required("source"),
            goal: try d.text("goal")))

        var unitLines: [String: Int] = [:]
        for r in t["units"] ?? [] {
            let name = try r.required("name")
            if let first = unitLines[name] { throw .duplicateKey(r.location("name"), column: "name", key: name, firstLine: first) }
            unitLines[name] = r.record.line
            budget.units.append(BudgetUnit(code: try r.text("code"), name: name, goal: try r.text("goal")))
        }
        func unitRef(_ r: Row, _ column: String) throws(DatasetError) -> String? {
            guard let u = try r.text(column) else { return nil }
            guard unitLines[u] != nil else { throw .unknownReference(r.location(column), column: column, value: u, target: "units.csv") }
            return u
        }

        for r in t["tasks"] ?? [] {
            budget.tasks.append(PerformanceTask(unit: try unitRef(r, "unit"), name: try r.required("name"),
                                                amount: try r.decimal("amount"), text: try r.text("text")))
        }
        var sources: [String: Int] = [:]
        for r in t["income"] ?? [] {
            let s = try r.required("source")
            if let first = sources[s] { throw .duplicateKey(r.location("source"), column: "source", key: s, firstLine: first) }
            sources[s] = r.record.line
            budget.income.append(IncomeLine(source: s, amount: try r.decimal("amount")))
        }
        for r in t["totals"] ?? [] {
            budget.totals.append(PublishedTotal(key: try r.required("key"), label: try r.text("label") ?? "",
                                                table: try r.required("table"), amount: try r.decimal("amount")))
        }
        var spendingKeys: [String: Int] = [:]
        for r in t["spending"] ?? [] {
            let code = try r.text("code")
            if let c = code, ClassificationLevel(code: c) == nil || !c.allSatisfy(\.isASCII) || !c.allSatisfy(\.isNumber) {
                throw .invalidNumber(r.location("code"), column: "code", found: c, expected: "a 3-, 5- or 7-digit classification code")
            }
            let fund = try r.required("fund")
            let key = fund + "|" + (code ?? "")
            if let first = spendingKeys[key] { throw .duplicateKey(r.location("code"), column: "code", key: code ?? "(合计)", firstLine: first) }
            spendingKeys[key] = r.record.line
            budget.spending.append(SpendingLine(code: code, name: try r.required("name"), fund: fund,
                                                total: try r.decimal("total"), basic: try r.decimal("basic"),
                                                personnel: try r.decimal("personnel"), publicCost: try r.decimal("public"),
                                                project: try r.decimal("project")))
        }
        var economicKeys: [String: Int] = [:]
        for r in t["economic"] ?? [] {
            let table = try r.required("table"), code = try r.text("code")
            if let c = code, (c.count != 3 && c.count != 5 && c.count != 7) || !c.allSatisfy(\.isASCII) || !c.allSatisfy(\.isNumber) {
                throw .invalidNumber(r.location("code"), column: "code", found: c, expected: "a 3-, 5- or 7-digit economic classification code")
            }
            let key = table + "|" + (code ?? "") + "|" + ((try r.text("gov_code")) ?? "")
            if let first = economicKeys[key] { throw .duplicateKey(r.location("code"), column: "code", key: code ?? "(合计)", firstLine: first) }
            economicKeys[key] = r.record.line
            budget.economic.append(EconomicLine(table: table, scheme: try r.required("scheme"), code: code,
                                                name: try r.required("name"), govCode: try r.text("gov_code"),
                                                govName: try r.text("gov_name"), total: try r.decimal("total"),
                                                basic: try r.decimal("basic"), personnel: try r.decimal("personnel"), publicCost: try r.decimal("public"),
                                                project: try r.decimal("project")))
        }
        var projectLines: [String: Int] = [:]
        for r in t["projects"] ?? [] {
            let id = try r.required("id")
            if let first = projectLines[id] { throw .duplicateKey(r.location("id"), column: "id", key: id, firstLine: first) }
            projectLines[id] = r.record.line
            let unit = try unitRef(r, "unit")
            guard let amount = try r.decimal("amount") else { throw .missingValue(r.location("amount"), column: "amount") }
            budget.projects.append(Project(
                id: id, unit: unit, code: try r.text("code"), name: try r.required("name"),
                category: try r.text("category"), spendingType: try r.required("spending_type"),
                content: try r.text("content"), amount: amount, fund: try r.text("fund"),
                functionCode: try r.text("function_code"), goal: try r.text("goal"),
                goalAmount: try r.decimal("goal_amount"),
                plan: [try r.decimal("plan_q1"), try r.decimal("plan_q2"), try r.decimal("plan_q3"), try r.decimal("plan_q4")]))
        }
        var indicatorLines: [Int: Int] = [:]
        for r in t["indicators"] ?? [] {
            let id = try r.integer("id") ?? 0
            if let first = indicatorLines[id] { throw .duplicateKey(r.location("id"), column: "id", key: String(id), firstLine: first) }
            indicatorLines[id] = r.record.line
            let project = try r.text("project")
            if let p = project, projectLines[p] == nil {
                throw .unknownReference(r.location("project"), column: "project", value: p, target: "projects.csv")
            }
            budget.indicators.append(Indicator(
                id: id, project: project, unit: try unitRef(r, "unit"), level1: try r.required("level1"),
                level2: try r.text("level2"), level3: try r.required("level3"), op: try r.required("op"),
                value: try r.decimal("value"), text: try r.text("text"), measure: try r.text("measure"),
                deadline: try r.text("deadline"), weight: try r.decimal("weight"), direction: try r.text("direction"),
                nature: try r.text("nature"), basis: try r.text("basis"), description: try r.text("description")))
        }
        for r in t["three_public"] ?? [] {
            budget.threePublic.append(ThreePublic(
                unit: try unitRef(r, "unit"), total: try r.decimal("total"), abroad: try r.decimal("abroad"),
                vehicle: try r.decimal("vehicle"), vehiclePurchase: try r.decimal("vehicle_purchase"),
                vehicleOperation: try r.decimal("vehicle_operation"), reception: try r.decimal("reception")))
        }
        for r in t["procurement"] ?? [] {
            budget.procurement.append(ProcurementItem(
                unit: try unitRef(r, "unit"), project: try r.text("project"), projectAmount: try r.decimal("project_amount"),
                item: try r.required("item"), category: try r.text("category"), catalogCode: try r.text("catalog_code"),
                measure: try r.text("measure"), quantity: try r.decimal("quantity"), unitPrice: try r.decimal("unit_price"),
                amount: try r.decimal("amount"), smeReserved: try r.decimal("sme_reserved")))
        }
        for r in t["purchase_services"] ?? [] {
            budget.purchaseServices.append(PurchasedService(
                unit: try unitRef(r, "unit"), project: try r.text("project"), item: try r.required("item"),
                category: try r.text("category"), amount: try r.decimal("amount")))
        }
        for r in t["assets"] ?? [] {
            budget.assets.append(Asset(category: try r.required("category"), item: try r.required("item"),
                                       quantity: try r.decimal("quantity"), amount: try r.decimal("amount"),
                                       note: try r.text("note")))
        }
        for r in t["narrative"] ?? [] {
            guard let amount = try r.decimal("amount") else { throw .missingValue(r.location("amount"), column: "amount") }
            budget.narrative.append(NarrativeFigure(key: try r.required("key"), label: try r.required("label"), amount: amount,
                                                    measure: try r.text("measure"), section: try r.text("section"),
                                                    quote: try r.text("quote")))
        }
        return budget
    }
}
