// Loader: reads every dataset folder under a directory into `Budget` values. It validates each
// CSV against `DatasetSchema` (header, cell count, types, enumerations, keys, references) and
// throws a `DatasetError` naming the file, line and column. It never skips a row silently.

import Foundation

/// Reads department budgets from Data Package folders.
public enum DatasetLoader {
    /// Loads every dataset under `directory`: the directory itself if it holds a
    /// `datapackage.json`, else each immediate subfolder that does, sorted by name.
    ///
    /// The folders are loaded on all cores; the result, and the error thrown when folders are
    /// bad, are those of loading them one after another in name order (the first bad folder's
    /// error, or the first duplicate dataset id).
    public static func loadAll(from directory: URL) throws(DatasetError) -> [Budget] {
        let fm = FileManager.default
        if fm.fileExists(atPath: directory.appendingPathComponent("datapackage.json").path) {
            return [try load(from: directory)]
        }
        guard let entries = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw .noDatasets(directory: directory.path)
        }
        let folders = entries.sorted().map { directory.appendingPathComponent($0) }
        let results = loadFolders(folders)
        var budgets: [Budget] = []
        budgets.reserveCapacity(folders.count)
        var seen: [String: String] = [:]
        for (folder, result) in zip(folders, results) {
            guard let result else { preconditionFailure("folder \(folder.path) was not loaded") }
            switch result {
            case .notADataset: continue
            case .failed(let error): throw error
            case .loaded(let budget):
                if let first = seen[budget.department.id] {
                    throw .duplicateDataset(id: budget.department.id, first: first, second: folder.path)
                }
                seen[budget.department.id] = folder.path
                budgets.append(budget)
            }
        }
        if budgets.isEmpty { throw .noDatasets(directory: directory.path) }
        return budgets
    }

    /// Loads the dataset in one folder.
    public static func load(from folder: URL) throws(DatasetError) -> Budget {
        var interner = StringInterner()
        return try load(from: folder, interner: &interner)
    }

    static func load(from folder: URL, files: FolderFiles? = nil, interner: inout StringInterner) throws(DatasetError)
        -> Budget
    {
        let files = files ?? FolderFiles(folder)
        try checkDescriptor(files)
        var tables: [LoadedTable] = []
        tables.reserveCapacity(DatasetSchema.tables.count)
        for schema in DatasetSchema.tables {
            tables.append(try readTable(schema, files, interner: &interner))
        }
        return try assemble(tables, files)
    }

    /// The paths of a folder's files, exactly as `folder.appendingPathComponent(name).path` gives
    /// them for a plain file name, made by concatenation (URL's appending was 6% of a load).
    struct FolderFiles {
        private let prefix: String

        init(_ folder: URL) {
            let probe = "datapackage.json"
            prefix = String(folder.appendingPathComponent(probe).path.dropLast(probe.count))
        }

        /// The path of the file `name` (no slash in it) in the folder.
        func path(_ name: String) -> String { prefix + name }
    }

    // MARK: - Loading folders in parallel

    /// What became of one folder.
    enum FolderResult: Sendable {
        /// It has no `datapackage.json`.
        case notADataset
        case loaded(Budget)
        case failed(DatasetError)
    }

    /// Loads `folders` on all cores. Element `i` is folder `i`'s result; `nil` only for folders
    /// after a failed one, which a sequential load would never have reached.
    static func loadFolders(_ folders: [URL], workers: Int = ProcessInfo.processInfo.activeProcessorCount)
        -> [FolderResult?]
    {
        let workers = max(1, min(workers, folders.count))
        let work = FolderWork(count: folders.count)
        if workers == 1 {
            loadFolders(folders, from: work)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in loadFolders(folders, from: work) }
        }
        return work.finished()
    }

    /// One worker: takes folders from `work` until none is left, with one string interner for
    /// all its folders (texts repeat across departments as much as within one).
    private static func loadFolders(_ folders: [URL], from work: FolderWork) {
        var interner = StringInterner()
        while let i = work.take() {
            let folder = folders[i]
            let files = FolderFiles(folder)
            let result: FolderResult
            if !FileManager.default.fileExists(atPath: files.path("datapackage.json")) {
                result = .notADataset
            } else {
                do throws(DatasetError) {
                    result = .loaded(try load(from: folder, files: files, interner: &interner))
                } catch {
                    result = .failed(error)
                }
            }
            work.finish(i, result)
        }
    }

    // MARK: - Descriptor
    // MARK: - Descriptor

    private static func checkDescriptor(_ files: FolderFiles) throws(DatasetError) {
        let path = files.path("datapackage.json")
        let location = DataLocation(file: path)
        guard let data = FileManager.default.contents(atPath: path) else { throw .missingFile(location) }
        let described: Set<String>
        if let paths = DescriptorReader.resourcePaths([UInt8](data)) {
            described = paths
        } else {
            described = try describedByJSONSerialization(data, location)
        }
        for schema in DatasetSchema.tables where !described.contains(schema.file) {
            throw .invalidDescriptor(location, detail: "resource \(schema.file) is not described")
        }
    }

    /// The resource paths as JSONSerialization reads them, for what ``DescriptorReader`` leaves undecided.
    private static func describedByJSONSerialization(_ data: Data, _ location: DataLocation) throws(DatasetError)
        -> Set<String>
    {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalidDescriptor(location, detail: "not valid JSON")
        }
        guard let root = object as? [String: Any], let resources = root["resources"] as? [[String: Any]] else {
            throw .invalidDescriptor(location, detail: "expected an object with a \"resources\" array")
        }
        return Set(resources.compactMap { $0["path"] as? String })
    }

    // MARK: - Tables

    /// A column of a loaded table: the schema field's index, and its name for error messages.
    struct Column {
        let field: Int
        let name: String
    }

    /// One table, read and validated: every cell trimmed and typed once, by schema field.
    final class LoadedTable {
        let schema: TableSchema
        let file: String
        let csv: CSVCells
        /// The header column of each schema field.
        let headerColumn: [Int]
        /// Rows (the header excluded).
        private(set) var rowCount = 0
        /// Cells per row of each type, and each field's place among the fields of its type.
        private let textWidth: Int, decimalWidth: Int, integerWidth: Int
        private let slot: [Int]
        /// Row-major by type: texts of string fields (`row * textWidth + slot[field]`), values of
        /// decimal and integer fields.
        private var texts: [String?] = []
        private var decimals: [ExactDecimal?] = []
        private var integers: [Int?] = []

        init(schema: TableSchema, file: String, csv: CSVCells, headerColumn: [Int]) {
            self.schema = schema
            self.file = file
            self.csv = csv
            self.headerColumn = headerColumn
            var widths: [FieldType: Int] = [.string: 0, .decimal: 0, .integer: 0]
            var slot: [Int] = []
            for field in schema.fields {
                slot.append(widths[field.type]!)
                widths[field.type]! += 1
            }
            self.slot = slot
            textWidth = widths[.string]!
            decimalWidth = widths[.decimal]!
            integerWidth = widths[.integer]!
        }

        /// The column named `name` (which the schema has).
        func column(_ name: String) -> Column {
            guard let i = schema.fields.firstIndex(where: { $0.name == name }) else {
                preconditionFailure("table \(schema.name) has no column \(name)")
            }
            return Column(field: i, name: name)
        }

        func text(_ r: Int, _ c: Column) -> String? {
            assert(schema.fields[c.field].type == .string)
            return texts[r * textWidth + slot[c.field]]
        }
        func decimal(_ r: Int, _ c: Column) -> ExactDecimal? {
            assert(schema.fields[c.field].type == .decimal)
            return decimals[r * decimalWidth + slot[c.field]]
        }
        func integer(_ r: Int, _ c: Column) -> Int? {
            assert(schema.fields[c.field].type == .integer)
            return integers[r * integerWidth + slot[c.field]]
        }

        /// The text of a cell that must not be empty.
        func required(_ r: Int, _ c: Column) throws(DatasetError) -> String {
            guard let v = text(r, c) else { throw .missingValue(location(r, c), column: c.name) }
            return v
        }

        /// The line row `r` starts on.
        func line(_ r: Int) -> Int { csv.lines[r + 1] }

        /// Where row `r`'s cell of `c` is (read again from the file: for error messages only).
        func location(_ r: Int, _ c: Column) -> DataLocation {
            DataLocation(file: file, position: csv.positions(ofRecord: r + 1)[headerColumn[c.field]])
        }

        /// Reads every row: trims, checks and types each cell in schema order, throwing the first
        /// bad cell's error (row by row, field by field).
        func read(interner: inout StringInterner) throws(DatasetError) {
            let rows = csv.count - 1
            let width = schema.fields.count
            var texts = [String?](repeating: nil, count: rows * textWidth)
            var decimals = [ExactDecimal?](repeating: nil, count: rows * decimalWidth)
            var integers = [Int?](repeating: nil, count: rows * integerWidth)
            let headerCount = csv.cellCount(0)
            let types = schema.fields.map(\.type)
            let required = schema.fields.map(\.required)
            let allowed = schema.fields.map(\.allowed)
            let columns = schema.fields.map { Column(field: 0, name: $0.name) }
            let bytes = csv.bytes
            try bytes.withUnsafeBufferPointer { (p) throws(DatasetError) in
                for r in 0..<rows {
                    let record = r + 1
                    guard csv.cellCount(record) == headerCount else {
                        throw .wrongCellCount(
                            DataLocation(file: file, position: csv.positions(ofRecord: record).first),
                            expected: headerCount, found: csv.cellCount(record))
                    }
                    for f in 0..<width {
                        let cell = csv.cell(record, headerColumn[f])
                        let name = columns[f].name
                        func fail(_ error: (DataLocation) -> DatasetError) -> DatasetError {
                            error(location(r, Column(field: f, name: name)))
                        }
                        // The cell trimmed: a range of the file (nearly always), or a String when
                        // it has doubled quotes or may have white space for Foundation to trim.
                        var start = csv.starts[cell]
                        var end = csv.ends[cell]
                        var slow: String?
                        if csv.isEscaped(cell)
                            || (end > start && Whitespace.isCandidate(p, first: start, last: end - 1))
                        {
                            slow = csv.text(cell).trimmedWhitespace
                        }
                        if let s = slow {
                            start = 0
                            end = s.utf8.count
                        }
                        if start == end {
                            if required[f] { throw fail { .missingValue($0, column: name) } }
                            continue
                        }
                        func string() -> String {
                            slow ?? interner.string(UnsafeBufferPointer(rebasing: p[start..<end]))
                        }
                        var value: String?
                        if let allowed = allowed[f] {
                            let v = string()
                            guard allowed.contains(v) else {
                                throw fail { .invalidChoice($0, column: name, found: v, allowed: allowed) }
                            }
                            value = v
                        }
                        switch types[f] {
                        case .string:
                            texts[r * textWidth + slot[f]] = value ?? string()
                        case .decimal:
                            let d: ExactDecimal? =
                                if let s = slow { ExactDecimal(s) } else {
                                    ExactDecimal(utf8: UnsafeBufferPointer(rebasing: p[start..<end]))
                                }
                            guard let d else {
                                let found = string()
                                throw fail {
                                    .invalidNumber(
                                        $0, column: name, found: found,
                                        expected: "a plain decimal such as 2220.40 (no thousands separators)")
                                }
                            }
                            decimals[r * decimalWidth + slot[f]] = d
                        case .integer:
                            let i: Int? =
                                if let s = slow { Int(s) } else {
                                    Int(utf8: UnsafeBufferPointer(rebasing: p[start..<end]))
                                }
                            guard let i else {
                                let found = string()
                                throw fail {
                                    .invalidNumber($0, column: name, found: found, expected: "a whole number")
                                }
                            }
                            integers[r * integerWidth + slot[f]] = i
                        }
                    }
                }
            }
            self.texts = texts
            self.decimals = decimals
            self.integers = integers
            rowCount = rows
        }
    }

    private static func readTable(_ schema: TableSchema, _ files: FolderFiles, interner: inout StringInterner)
        throws(DatasetError) -> LoadedTable
    {
        let file = files.path(schema.file)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .missingFile(DataLocation(file: file))
        }
        let csv: CSVCells
        switch CSVCells.split([UInt8](data)) {
        case .success(let c): csv = c
        case .failure(let problem): throw DatasetError(problem, file: file)
        }
        guard csv.count > 0 else {
            throw .missingColumn(
                DataLocation(file: file, position: TextPosition(line: 1, column: 1)),
                column: schema.fields[0].name, table: schema.name)
        }
        let expected = schema.fields.map(\.name)
        var index: [String: Int] = [:]
        for i in 0..<csv.cellCount(0) {
            let name = csv.text(csv.cell(0, i)).trimmedWhitespace
            guard expected.contains(name) else {
                throw .unknownColumn(
                    DataLocation(file: file, position: csv.positions(ofRecord: 0)[i]), column: name,
                    table: schema.name, suggestion: Suggestions.closest(name, in: expected))
            }
            if index[name] != nil {
                throw .duplicateKey(
                    DataLocation(file: file, position: csv.positions(ofRecord: 0)[i]), column: "header column",
                    key: name, firstLine: 1)
            }
            index[name] = i
        }
        for name in expected where index[name] == nil {
            throw .missingColumn(
                DataLocation(file: file, position: TextPosition(line: 1, column: 1)), column: name, table: schema.name)
        }
        let table = LoadedTable(schema: schema, file: file, csv: csv, headerColumn: expected.map { index[$0]! })
        try table.read(interner: &interner)
        return table
    }

    /// Reads and parses a CSV file, mapping parse problems to located `DatasetError`s.
    /// Returns `nil` when the file does not exist.
    public static func readCSV(_ url: URL) throws(DatasetError) -> [CSVRecord]? {
        let file = url.path
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        switch CSVReader.parse([UInt8](data)) {
        case .success(let r): return r
        case .failure(let problem): throw DatasetError(problem, file: file)
        }
    }

    // MARK: - Assembly

    private static func assemble(_ tables: [LoadedTable], _ files: FolderFiles) throws(DatasetError) -> Budget {
        func table(_ name: String) -> LoadedTable {
            guard let t = tables.first(where: { $0.schema.name == name }) else {
                preconditionFailure("no table \(name)")
            }
            return t
        }
        let d = table("department")
        guard d.rowCount == 1 else {
            throw .wrongRowCount(
                DataLocation(file: files.path("department.csv")),
                expected: "exactly one department row", found: d.rowCount)
        }
        var budget = Budget(
            department: Department(
                id: try d.required(0, d.column("id")), code: d.text(0, d.column("code")),
                name: try d.required(0, d.column("name")),
                province: try d.required(0, d.column("province")), city: d.text(0, d.column("city")),
                county: d.text(0, d.column("county")), year: d.integer(0, d.column("year")) ?? 0,
                kind: try d.required(0, d.column("kind")), source: try d.required(0, d.column("source")),
                goal: d.text(0, d.column("goal"))))

        var unitLines: [String: Int] = [:]
        do {
            let t = table("units")
            let code = t.column("code")
            let name = t.column("name")
            let goal = t.column("goal")
            budget.units.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                let n = try t.required(r, name)
                if let first = unitLines[n] {
                    throw .duplicateKey(t.location(r, name), column: "name", key: n, firstLine: first)
                }
                unitLines[n] = t.line(r)
                budget.units.append(BudgetUnit(code: t.text(r, code), name: n, goal: t.text(r, goal)))
            }
        }
        func unitRef(_ t: LoadedTable, _ r: Int, _ column: Column) throws(DatasetError) -> String? {
            guard let u = t.text(r, column) else { return nil }
            guard unitLines[u] != nil else {
                throw .unknownReference(t.location(r, column), column: column.name, value: u, target: "units.csv")
            }
            return u
        }

        do {
            let t = table("tasks")
            let unit = t.column("unit")
            let name = t.column("name")
            let amount = t.column("amount")
            let text = t.column("text")
            budget.tasks.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                budget.tasks.append(
                    PerformanceTask(
                        unit: try unitRef(t, r, unit), name: try t.required(r, name),
                        amount: t.decimal(r, amount), text: t.text(r, text)))
            }
        }
        do {
            let t = table("income")
            let source = t.column("source")
            let amount = t.column("amount")
            var sources: [String: Int] = [:]
            budget.income.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                let s = try t.required(r, source)
                if let first = sources[s] {
                    throw .duplicateKey(t.location(r, source), column: "source", key: s, firstLine: first)
                }
                sources[s] = t.line(r)
                budget.income.append(IncomeLine(source: s, amount: t.decimal(r, amount)))
            }
        }
        do {
            let t = table("totals")
            let key = t.column("key")
            let label = t.column("label")
            let tableName = t.column("table")
            let amount = t.column("amount")
            budget.totals.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                budget.totals.append(
                    PublishedTotal(
                        key: try t.required(r, key), label: t.text(r, label) ?? "",
                        table: try t.required(r, tableName), amount: t.decimal(r, amount)))
            }
        }
        do {
            let t = table("spending")
            let code = t.column("code")
            let name = t.column("name")
            let fund = t.column("fund")
            let total = t.column("total")
            let basic = t.column("basic")
            let personnel = t.column("personnel")
            let publicCost = t.column("public")
            let project = t.column("project")
            var spendingKeys: [String: Int] = [:]
            budget.spending.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                let c = t.text(r, code)
                if let c, ClassificationLevel(code: c) == nil || !c.allSatisfy(\.isASCII) || !c.allSatisfy(\.isNumber) {
                    throw .invalidNumber(
                        t.location(r, code), column: "code", found: c,
                        expected: "a 3-, 5- or 7-digit classification code")
                }
                let f = try t.required(r, fund)
                let key = f + "|" + (c ?? "")
                if let first = spendingKeys[key] {
                    throw .duplicateKey(t.location(r, code), column: "code", key: c ?? "(合计)", firstLine: first)
                }
                spendingKeys[key] = t.line(r)
                budget.spending.append(
                    SpendingLine(
                        code: c, name: try t.required(r, name), fund: f,
                        total: t.decimal(r, total), basic: t.decimal(r, basic),
                        personnel: t.decimal(r, personnel), publicCost: t.decimal(r, publicCost),
                        project: t.decimal(r, project)))
            }
        }
        do {
            let t = table("economic")
            let tableName = t.column("table")
            let scheme = t.column("scheme")
            let code = t.column("code")
            let name = t.column("name")
            let govCode = t.column("gov_code")
            let govName = t.column("gov_name")
            let total = t.column("total")
            let basic = t.column("basic")
            let personnel = t.column("personnel")
            let publicCost = t.column("public")
            let project = t.column("project")
            var economicKeys: [String: Int] = [:]
            budget.economic.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                let tn = try t.required(r, tableName)
                let c = t.text(r, code)
                if let c,
                    (c.count != 3 && c.count != 5 && c.count != 7) || !c.allSatisfy(\.isASCII)
                        || !c.allSatisfy(\.isNumber)
                {
                    throw .invalidNumber(
                        t.location(r, code), column: "code", found: c,
                        expected: "a 3-, 5- or 7-digit economic classification code")
                }
                let key = tn + "|" + (c ?? "") + "|" + (t.text(r, govCode) ?? "")
                if let first = economicKeys[key] {
                    throw .duplicateKey(t.location(r, code), column: "code", key: c ?? "(合计)", firstLine: first)
                }
                economicKeys[key] = t.line(r)
                budget.economic.append(
                    EconomicLine(
                        table: tn, scheme: try t.required(r, scheme), code: c,
                        name: try t.required(r, name), govCode: t.text(r, govCode),
                        govName: t.text(r, govName), total: t.decimal(r, total),
                        basic: t.decimal(r, basic), personnel: t.decimal(r, personnel),
                        publicCost: t.decimal(r, publicCost), project: t.decimal(r, project)))
            }
        }
        var projectLines: [String: Int] = [:]
        do {
            let t = table("projects")
            let id = t.column("id")
            let unit = t.column("unit")
            let code = t.column("code")
            let name = t.column("name")
            let category = t.column("category")
            let spendingType = t.column("spending_type")
            let content = t.column("content")
            let amount = t.column("amount")
            let fund = t.column("fund")
            let functionCode = t.column("function_code")
            let goal = t.column("goal")
            let goalAmount = t.column("goal_amount")
            let q1 = t.column("plan_q1")
            let q2 = t.column("plan_q2")
            let q3 = t.column("plan_q3")
            let q4 = t.column("plan_q4")
            projectLines.reserveCapacity(t.rowCount)
            budget.projects.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                let i = try t.required(r, id)
                if let first = projectLines[i] {
                    throw .duplicateKey(t.location(r, id), column: "id", key: i, firstLine: first)
                }
                projectLines[i] = t.line(r)
                let u = try unitRef(t, r, unit)
                guard let a = t.decimal(r, amount) else { throw .missingValue(t.location(r, amount), column: "amount") }
                budget.projects.append(
                    Project(
                        id: i, unit: u, code: t.text(r, code), name: try t.required(r, name),
                        category: t.text(r, category), spendingType: try t.required(r, spendingType),
                        content: t.text(r, content), amount: a, fund: t.text(r, fund),
                        functionCode: t.text(r, functionCode), goal: t.text(r, goal),
                        goalAmount: t.decimal(r, goalAmount),
                        plan: [t.decimal(r, q1), t.decimal(r, q2), t.decimal(r, q3), t.decimal(r, q4)]))
            }
        }
        do {
            let t = table("indicators")
            let id = t.column("id")
            let project = t.column("project")
            let unit = t.column("unit")
            let level1 = t.column("level1")
            let level2 = t.column("level2")
            let level3 = t.column("level3")
            let op = t.column("op")
            let value = t.column("value")
            let text = t.column("text")
            let measure = t.column("measure")
            let deadline = t.column("deadline")
            let weight = t.column("weight")
            let direction = t.column("direction")
            let nature = t.column("nature")
            let basis = t.column("basis")
            let description = t.column("description")
            var indicatorLines: [Int: Int] = [:]
            indicatorLines.reserveCapacity(t.rowCount)
            budget.indicators.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                let i = t.integer(r, id) ?? 0
                if let first = indicatorLines[i] {
                    throw .duplicateKey(t.location(r, id), column: "id", key: String(i), firstLine: first)
                }
                indicatorLines[i] = t.line(r)
                let p = t.text(r, project)
                if let p, projectLines[p] == nil {
                    throw .unknownReference(t.location(r, project), column: "project", value: p, target: "projects.csv")
                }
                budget.indicators.append(
                    Indicator(
                        id: i, project: p, unit: try unitRef(t, r, unit), level1: try t.required(r, level1),
                        level2: t.text(r, level2), level3: try t.required(r, level3), op: try t.required(r, op),
                        value: t.decimal(r, value), text: t.text(r, text), measure: t.text(r, measure),
                        deadline: t.text(r, deadline), weight: t.decimal(r, weight), direction: t.text(r, direction),
                        nature: t.text(r, nature), basis: t.text(r, basis), description: t.text(r, description)))
            }
        }
        do {
            let t = table("three_public")
            let unit = t.column("unit")
            let total = t.column("total")
            let abroad = t.column("abroad")
            let vehicle = t.column("vehicle")
            let purchase = t.column("vehicle_purchase")
            let operation = t.column("vehicle_operation")
            let reception = t.column("reception")
            budget.threePublic.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                budget.threePublic.append(
                    ThreePublic(
                        unit: try unitRef(t, r, unit), total: t.decimal(r, total), abroad: t.decimal(r, abroad),
                        vehicle: t.decimal(r, vehicle), vehiclePurchase: t.decimal(r, purchase),
                        vehicleOperation: t.decimal(r, operation), reception: t.decimal(r, reception)))
            }
        }
        do {
            let t = table("procurement")
            let unit = t.column("unit")
            let project = t.column("project")
            let projectAmount = t.column("project_amount")
            let item = t.column("item")
            let category = t.column("category")
            let catalogCode = t.column("catalog_code")
            let measure = t.column("measure")
            let quantity = t.column("quantity")
            let unitPrice = t.column("unit_price")
            let amount = t.column("amount")
            let smeReserved = t.column("sme_reserved")
            budget.procurement.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                budget.procurement.append(
                    ProcurementItem(
                        unit: try unitRef(t, r, unit), project: t.text(r, project),
                        projectAmount: t.decimal(r, projectAmount),
                        item: try t.required(r, item), category: t.text(r, category),
                        catalogCode: t.text(r, catalogCode),
                        measure: t.text(r, measure), quantity: t.decimal(r, quantity),
                        unitPrice: t.decimal(r, unitPrice),
                        amount: t.decimal(r, amount), smeReserved: t.decimal(r, smeReserved)))
            }
        }
        do {
            let t = table("purchase_services")
            let unit = t.column("unit")
            let project = t.column("project")
            let item = t.column("item")
            let category = t.column("category")
            let amount = t.column("amount")
            budget.purchaseServices.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                budget.purchaseServices.append(
                    PurchasedService(
                        unit: try unitRef(t, r, unit), project: t.text(r, project), item: try t.required(r, item),
                        category: t.text(r, category), amount: t.decimal(r, amount)))
            }
        }
        do {
            let t = table("assets")
            let category = t.column("category")
            let item = t.column("item")
            let quantity = t.column("quantity")
            let amount = t.column("amount")
            let note = t.column("note")
            budget.assets.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                budget.assets.append(
                    Asset(
                        category: try t.required(r, category), item: try t.required(r, item),
                        quantity: t.decimal(r, quantity), amount: t.decimal(r, amount),
                        note: t.text(r, note)))
            }
        }
        do {
            let t = table("narrative")
            let key = t.column("key")
            let label = t.column("label")
            let amount = t.column("amount")
            let measure = t.column("measure")
            let section = t.column("section")
            let quote = t.column("quote")
            budget.narrative.reserveCapacity(t.rowCount)
            for r in 0..<t.rowCount {
                guard let a = t.decimal(r, amount) else { throw .missingValue(t.location(r, amount), column: "amount") }
                budget.narrative.append(
                    NarrativeFigure(
                        key: try t.required(r, key), label: try t.required(r, label), amount: a,
                        measure: t.text(r, measure), section: t.text(r, section),
                        quote: t.text(r, quote)))
            }
        }
        return budget
    }
}

extension DatasetError {
    /// The located error for a CSV problem in `file`.
    init(_ problem: CSVProblem, file: String) {
        switch problem {
        case .invalidUTF8(let p): self = .invalidUTF8(DataLocation(file: file, position: p))
        case .unterminatedQuote(let p): self = .unterminatedQuote(DataLocation(file: file, position: p))
        case .textAfterQuote(let p): self = .textAfterQuote(DataLocation(file: file, position: p))
        }
    }
}
