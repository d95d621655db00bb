// ClassificationCatalog: every 支出功能分类 and 支出经济分类 code the datasets use, with its name;
// the codes renamed or renumbered between editions (`catalog/renumbering.csv`).
// It is built from the budgets (so `Datasets/catalog/*.csv` can be regenerated), read back from
// those files, and compared with budgets: codes a dataset uses that the catalog lacks, and
// names a dataset prints for a code that differ from the catalog's name (name conflicts).
// `bql check` reports the name conflicts as their own finding kind; they never fail the check.

import Foundation

/// A classification scheme.
public enum ClassificationScheme: String, Sendable, Hashable, CaseIterable, Comparable {
    /// 支出功能分类 (类/款/项: 3/5/7 digits).
    case functional = "功能"
    /// 部门预算支出经济分类 (301/30101/3010101).
    case department = "部门"
    /// 政府预算支出经济分类 (501/50101).
    case government = "政府"

    public static func < (a: ClassificationScheme, b: ClassificationScheme) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }

    /// The level name a code of this scheme has: 类/款/项 (functional) or 类/款/子目 (economic).
    public func level(of code: String) -> String {
        switch code.count {
        case 3: return "类"
        case 5: return "款"
        case 7: return self == .functional ? "项" : "子目"
        default: return "?"
        }
    }
}

/// One place a dataset uses a classification code.
public struct ClassificationUsage: Sendable, Hashable {
    /// The scheme.
    public var scheme: ClassificationScheme
    /// The code.
    public var code: String
    /// The name printed with the code (normalised for labels), `nil` where none is printed.
    public var name: String?
    /// Dataset id.
    public var dataset: String
    /// The dataset table: `spending`, `economic`, `totals`, `narrative` or `projects`.
    public var table: String
    /// Which row, e.g. `八、社会保障和就业 (部门收支总体情况表)`.
    public var subject: String
    /// Whether the name comes from a classification table row (spending / economic), which
    /// outranks row labels of totals and narrative statements when the catalog picks a name.
    public var isClassificationRow: Bool
}

/// One code of the catalog.
public struct CatalogEntry: Sendable, Hashable {
    /// The scheme.
    public var scheme: ClassificationScheme
    /// The code (3, 5 or 7 digits).
    public var code: String
    /// The name: the one most datasets print in their classification tables.
    public var name: String
    /// 类, 款, 项 or 子目.
    public var level: String
    /// Other names some documents print for this code → the datasets that print them (sorted).
    public var otherNames: [String: [String]]
    /// The datasets that use the code (sorted).
    public var datasets: [String]

    /// Creates an entry.
    public init(
        scheme: ClassificationScheme, code: String, name: String, level: String,
        otherNames: [String: [String]] = [:], datasets: [String]
    ) {
        self.scheme = scheme
        self.code = code
        self.name = name
        self.level = level
        self.otherNames = otherNames
        self.datasets = datasets
    }
}

/// A difference between a dataset and the catalog.
public struct CatalogIssue: Sendable, Hashable {
    /// What kind of difference.
    public enum Kind: String, Sendable, Hashable {
        /// The dataset uses a code the catalog does not list.
        case missingCode
        /// The dataset prints a name for the code that differs from the catalog name.
        case nameConflict
    }
    /// The kind.
    public var kind: Kind
    /// Where the dataset uses the code.
    public var usage: ClassificationUsage
    /// The catalog's name for the code (`nil` for a missing code).
    public var catalogName: String?
    /// Whether the catalog lists the dataset's name among the code's other names.
    public var listedAsOtherName: Bool
}

/// The classification catalog: every code the datasets use.
public struct ClassificationCatalog: Sendable, Hashable {
    /// Entries, sorted by scheme then code.
    public var entries: [CatalogEntry]

    /// The folder under the datasets directory.
    public static let directoryName = "catalog"
    /// The functional-classification file.
    public static let functionalFile = "functional.csv"
    /// The economic-classification file (both schemes).
    public static let economicFile = "economic.csv"
    /// Header of `functional.csv`.
    public static let functionalHeader = ["code", "name", "level", "other_names", "datasets"]
    /// Header of `economic.csv`.
    public static let economicHeader = ["scheme", "code", "name", "level", "other_names", "datasets"]

    /// Creates a catalog from entries (sorted on creation).
    public init(entries: [CatalogEntry]) {
        self.entries = entries.sorted { ($0.scheme, $0.code) < ($1.scheme, $1.code) }
    }

    /// The entry for `code` in `scheme`.
    public func entry(_ scheme: ClassificationScheme, _ code: String) -> CatalogEntry? {
        entries.first { $0.scheme == scheme && $0.code == code }
    }

    // MARK: - Usages

    private static let labelNumerals: Set<Character> = Set("一二三四五六七八九十百零")

    /// Strips what a row label prints around a classification name: leading ordinals
    /// (`八、`, `（十）`, `二十一、`), a trailing level tag (`（项）`, `(类)`) and whitespace.
    public static func normalizedLabel(_ label: String) -> String {
        var s = label.filter { !$0.isWhitespace }
        let numerals = labelNumerals
        // Leading （八） / (八).
        if let first = s.first, first == "（" || first == "(" {
            let rest = s.dropFirst()
            let digits = rest.prefix { numerals.contains($0) }
            let after = rest.dropFirst(digits.count)
            if !digits.isEmpty, let close = after.first, close == "）" || close == ")" {
                s = String(after.dropFirst())
            }
        } else {
            // Leading 八、 / 二十一、
            let digits = s.prefix { numerals.contains($0) }
            let after = s.dropFirst(digits.count)
            if !digits.isEmpty, let sep = after.first, sep == "、" || sep == "．" || sep == "." {
                s = String(after.dropFirst())
            }
        }
        for tag in ["（类）", "(类)", "（款）", "(款)", "（项）", "(项)"] where s.hasSuffix(tag) && s.count > tag.count {
            s = String(s.dropLast(tag.count))
        }
        return s
    }

    /// Every place `budget` uses a classification code: spending and economic rows (with the
    /// parallel 政府 code), `class.*` totals, narrative `class./kuan./xiang./econ./econ_gov.`
    /// statements (labels normalised), and projects' `function_code`.
    public static func usages(in budget: Budget) -> [ClassificationUsage] {
        var out: [ClassificationUsage] = []
        forEachUsage(in: budget) { out.append($0.usage(in: budget)) }
        return out
    }

    /// One use of a code, as ``usages(in:)`` finds it, with its subject text left unmade: building
    /// the catalog and comparing with it need the subject only for the few uses they report.
    struct Use {
        /// Where in the budget the code is used.
        enum Row { case spending(Int), economic(Int), economicGov(Int), total(Int), narrative(Int), project(Int) }
        var scheme: ClassificationScheme
        var code: String
        var name: String?
        var table: String
        var isClassificationRow: Bool
        var row: Row

        /// The full usage, subject included.
        func usage(in budget: Budget) -> ClassificationUsage {
            let subject: String
            switch row {
            case .spending(let i):
                let line = budget.spending[i]
                subject = "\(code) \(line.name) (\(line.fund))"
            case .economic(let i):
                let line = budget.economic[i]
                subject = "\(line.table) · \(code) \(line.name)"
            case .economicGov(let i):
                let line = budget.economic[i]
                subject = "\(line.table) · \(line.code ?? "合计") \(line.name) → \(code) \(line.govName ?? "")"
            case .total(let i):
                let t = budget.totals[i]
                subject = "\(t.key) \(t.label) (\(t.table))"
            case .narrative(let i):
                let n = budget.narrative[i]
                subject = "\(n.key) \(n.label) (narrative row \(i + 1))"
            case .project(let i):
                let p = budget.projects[i]
                subject = "\(p.id) \(p.name)"
            }
            return ClassificationUsage(
                scheme: scheme, code: code, name: name, dataset: budget.department.id, table: table,
                subject: subject, isClassificationRow: isClassificationRow)
        }
    }

    /// Calls `body` with each use of ``usages(in:)``, in the same order.
    static func forEachUsage(in budget: Budget, _ body: (Use) -> Void) {
        for (i, line) in budget.spending.enumerated() {
            guard let code = line.code else { continue }
            body(
                Use(
                    scheme: .functional, code: code, name: line.name, table: "spending", isClassificationRow: true,
                    row: .spending(i)))
        }
        for (i, line) in budget.economic.enumerated() {
            if let code = line.code {
                let scheme: ClassificationScheme = line.scheme == "政府" ? .government : .department
                body(
                    Use(
                        scheme: scheme, code: code, name: line.name, table: "economic", isClassificationRow: true,
                        row: .economic(i)))
            }
            if let gov = line.govCode {
                body(
                    Use(
                        scheme: .government, code: gov, name: line.govName, table: "economic",
                        isClassificationRow: true,
                        row: .economicGov(i)))
            }
        }
        for (i, t) in budget.totals.enumerated() where t.key.hasPrefix("class.") {
            let code = String(t.key.dropFirst("class.".count))
            body(
                Use(
                    scheme: .functional, code: code, name: normalizedLabel(t.label), table: "totals",
                    isClassificationRow: false,
                    row: .total(i)))
        }
        for (i, n) in budget.narrative.enumerated() {
            let parts = n.key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let scheme: ClassificationScheme
            switch parts[0] {
            case "class", "kuan", "xiang": scheme = .functional
            case "econ": scheme = .department
            case "econ_gov": scheme = .government
            default: continue
            }
            body(
                Use(
                    scheme: scheme, code: parts[1], name: normalizedLabel(n.label), table: "narrative",
                    isClassificationRow: false,
                    row: .narrative(i)))
        }
        for (i, p) in budget.projects.enumerated() {
            guard let code = p.functionCode else { continue }
            body(
                Use(
                    scheme: .functional, code: code, name: nil, table: "projects", isClassificationRow: false,
                    row: .project(i)))
        }
    }

    // MARK: - Building

    /// Builds the catalog of every code `budgets` use. A code's name is the one printed in
    /// classification tables by the most datasets (then by the most rows, then the longest,
    /// then in code-point order); row labels of totals and narrative statements only name a
    /// code no classification table prints. Every other name printed for the code is listed
    /// in `otherNames` with the datasets that print it.
    public static func build(from budgets: [Budget]) -> ClassificationCatalog {
        // What the entry of one code needs of its uses, gathered in one pass: the datasets using
        // it, and per printed name the datasets and rows printing it (classification-table rows
        // apart from row labels).
        // Datasets are numbered (by id), so that each use adds a number, once per dataset.
        struct Key: Hashable {
            var scheme: ClassificationScheme
            var code: String
        }
        var byKey: [Key: CodeUses] = [:]
        var numbers: [String: Int] = [:]
        var ids: [String] = []
        for b in budgets {
            let id = b.department.id
            let number = numbers[id] ?? ids.count
            if number == ids.count {
                numbers[id] = number
                ids.append(id)
            }
            forEachUsage(in: b) { u in
                byKey[Key(scheme: u.scheme, code: u.code), default: CodeUses()].add(u, dataset: number)
            }
        }
        var entries: [CatalogEntry] = []
        entries.reserveCapacity(byKey.count)
        for (key, uses) in byKey {
            // The name is chosen among the classification rows if any print one, else among all.
            let name = canonicalName(uses.classRows.isEmpty ? uses.named : uses.classRows) ?? ""
            var others: [String: [String]] = [:]
            for (n, u) in uses.named where n != name { others[n] = u.datasets.datasets.map { ids[$0] }.sorted() }
            entries.append(
                CatalogEntry(
                    scheme: key.scheme, code: key.code, name: name, level: key.scheme.level(of: key.code),
                    otherNames: others, datasets: uses.datasets.datasets.map { ids[$0] }.sorted()))
        }
        return ClassificationCatalog(entries: entries)
    }

    /// A set of dataset numbers, added to in runs of the same dataset (budget after budget).
    private struct DatasetSet {
        var datasets: Set<Int> = []
        var last = -1
        var count: Int { datasets.count }
        mutating func add(_ dataset: Int) {
            if dataset != last {
                datasets.insert(dataset)
                last = dataset
            }
        }
    }

    /// The datasets and rows printing one name for a code.
    private struct NameUses {
        var datasets = DatasetSet()
        var rows = 0
        mutating func add(_ dataset: Int) {
            datasets.add(dataset)
            rows += 1
        }
    }

    /// The uses of one code.
    private struct CodeUses {
        var datasets = DatasetSet()
        /// Every name printed for the code.
        var named: [String: NameUses] = [:]
        /// Names printed in classification-table rows (spending, economic).
        var classRows: [String: NameUses] = [:]

        mutating func add(_ u: Use, dataset: Int) {
            datasets.add(dataset)
            guard let name = u.name else { return }
            named[name, default: NameUses()].add(dataset)
            if u.isClassificationRow { classRows[name, default: NameUses()].add(dataset) }
        }
    }

    private static func canonicalName(_ pool: [String: NameUses]) -> String? {
        pool.sorted { x, y in
            let (a, ua) = x
            let (b, ub) = y
            if ua.datasets.count != ub.datasets.count { return ua.datasets.count > ub.datasets.count }
            if ua.rows != ub.rows { return ua.rows > ub.rows }
            if a.count != b.count { return a.count > b.count }  // an abbreviation is shorter than the full name
            return Array(a.unicodeScalars.map(\.value)).lexicographicallyPrecedes(b.unicodeScalars.map(\.value))
        }.first?.key
    }

    // MARK: - Files

    /// `other_names` cell: `name [dataset dataset]; name [dataset]`, names in code-point order.
    static func otherNamesCell(_ others: [String: [String]]) -> String {
        others.sorted {
            Array($0.key.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.key.unicodeScalars.map(\.value))
        }
        .map { "\($0.key) [\($0.value.joined(separator: " "))]" }.joined(separator: "; ")
    }

    /// Parses an `other_names` cell; `nil` if it is malformed.
    static func parseOtherNames(_ cell: String) -> [String: [String]]? {
        var out: [String: [String]] = [:]
        for part in cell.components(separatedBy: "; ") where !part.isEmpty {
            guard part.hasSuffix("]"), let open = part.range(of: " [", options: .backwards) else { return nil }
            let name = String(part[..<open.lowerBound])
            let list = part[open.upperBound..<part.index(before: part.endIndex)]
            out[name] = list.split(separator: " ").map(String.init)
        }
        return out
    }

    private static func csvLine(_ fields: [String]) -> String {
        fields.map(CSVReader.escape).joined(separator: ",") + "\n"
    }

    /// The text of `functional.csv`.
    public var functionalCSV: String {
        var out = Self.csvLine(Self.functionalHeader)
        for e in entries where e.scheme == .functional {
            out += Self.csvLine([
                e.code, e.name, e.level, Self.otherNamesCell(e.otherNames), e.datasets.joined(separator: " "),
            ])
        }
        return out
    }

    /// The text of `economic.csv` (部门 scheme first, then 政府).
    public var economicCSV: String {
        var out = Self.csvLine(Self.economicHeader)
        for e in entries where e.scheme != .functional {
            out += Self.csvLine([
                e.scheme.rawValue, e.code, e.name, e.level, Self.otherNamesCell(e.otherNames),
                e.datasets.joined(separator: " "),
            ])
        }
        return out
    }

    /// Writes `catalog/functional.csv` and `catalog/economic.csv` under `datasetsDirectory`.
    public func write(to datasetsDirectory: URL) throws {
        let dir = datasetsDirectory.appendingPathComponent(Self.directoryName)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(functionalCSV.utf8).write(to: dir.appendingPathComponent(Self.functionalFile))
        try Data(economicCSV.utf8).write(to: dir.appendingPathComponent(Self.economicFile))
    }

    /// Reads `catalog/functional.csv` and `catalog/economic.csv` under `datasetsDirectory`.
    public static func load(from datasetsDirectory: URL) throws(DatasetError) -> ClassificationCatalog {
        let dir = datasetsDirectory.appendingPathComponent(directoryName)
        var entries: [CatalogEntry] = []
        var seen: [String: Int] = [:]
        for (file, header) in [(functionalFile, functionalHeader), (economicFile, economicHeader)] {
            let path = dir.appendingPathComponent(file).path
            guard let records = try DatasetLoader.readCSV(dir.appendingPathComponent(file)) else {
                throw .missingFile(DataLocation(file: path))
            }
            guard let first = records.first else {
                throw .missingColumn(DataLocation(file: path), column: header[0], table: "catalog")
            }
            for (i, name) in first.fields.enumerated() where i >= header.count || name != header[i] {
                throw .unknownColumn(
                    DataLocation(file: path, position: first.positions[i]), column: name, table: "catalog",
                    suggestion: Suggestions.closest(name, in: header))
            }
            if first.fields.count < header.count {
                throw .missingColumn(
                    DataLocation(file: path, position: first.positions.first), column: header[first.fields.count],
                    table: "catalog")
            }
            for r in records.dropFirst() {
                guard r.fields.count == header.count else {
                    throw .wrongCellCount(
                        DataLocation(file: path, position: r.positions.first), expected: header.count,
                        found: r.fields.count)
                }
                // The header was checked to be `header`, and the row has as many cells.
                var cell: [String: String] = [:]
                for (i, h) in header.enumerated() { cell[h] = r.fields[i] }
                func value(_ column: String) -> String { cell[column] ?? "" }
                func at(_ column: String) -> DataLocation {
                    DataLocation(file: path, position: header.firstIndex(of: column).map { r.positions[$0] })
                }
                let scheme: ClassificationScheme
                if let s = cell["scheme"] {
                    guard let parsed = ClassificationScheme(rawValue: s), parsed != .functional else {
                        throw .invalidChoice(at("scheme"), column: "scheme", found: s, allowed: ["部门", "政府"])
                    }
                    scheme = parsed
                } else {
                    scheme = .functional
                }
                let code = value("code")
                let name = value("name")
                guard [3, 5, 7].contains(code.count), code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else {
                    throw .invalidNumber(
                        at("code"), column: "code", found: code, expected: "a 3-, 5- or 7-digit classification code")
                }
                guard !name.isEmpty else { throw .missingValue(at("name"), column: "name") }
                guard let others = parseOtherNames(value("other_names")) else {
                    throw .invalidChoice(
                        at("other_names"), column: "other_names", found: value("other_names"),
                        allowed: ["name [dataset …]; name [dataset …]"])
                }
                let key = scheme.rawValue + code
                if let line = seen[key] { throw .duplicateKey(at("code"), column: "code", key: code, firstLine: line) }
                seen[key] = r.line
                entries.append(
                    CatalogEntry(
                        scheme: scheme, code: code, name: name, level: value("level"), otherNames: others,
                        datasets: value("datasets").split(separator: " ").map(String.init)))
            }
        }
        return ClassificationCatalog(entries: entries)
    }

    // MARK: - Comparing

    /// What `budgets` use that this catalog does not say: codes it lacks, and names that differ
    /// from its name for the code (flagged when the catalog lists them as other names).
    public func compare(_ budgets: [Budget]) -> [CatalogIssue] {
        issues(budgets, missingCodes: true)
    }

    /// ``compare(_:)``, leaving out missing codes when `missingCodes` is false.
    func issues(_ budgets: [Budget], missingCodes: Bool) -> [CatalogIssue] {
        // The first entry of each code, as entry(_:_:) finds it.
        struct Key: Hashable {
            var scheme: ClassificationScheme
            var code: String
        }
        var index: [Key: Int] = [:]
        index.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() where index[Key(scheme: e.scheme, code: e.code)] == nil {
            index[Key(scheme: e.scheme, code: e.code)] = i
        }
        // Each budget on its own (on all cores), the issues in budget order.
        let entries = self.entries
        let firstEntry = index
        let perBudget = parallelMap(budgets.count) { k in
            let b = budgets[k]
            var out: [CatalogIssue] = []
            Self.forEachUsage(in: b) { u in
                guard let i = firstEntry[Key(scheme: u.scheme, code: u.code)] else {
                    if missingCodes {
                        out.append(
                            CatalogIssue(
                                kind: .missingCode, usage: u.usage(in: b), catalogName: nil, listedAsOtherName: false))
                    }
                    return
                }
                guard let name = u.name, name != entries[i].name else { return }
                out.append(
                    CatalogIssue(
                        kind: .nameConflict, usage: u.usage(in: b), catalogName: entries[i].name,
                        listedAsOtherName: entries[i].otherNames[name]?.contains(b.department.id) ?? false))
            }
            return out
        }
        return perBudget.flatMap { $0 }
    }
}

extension Checker {
    /// The rule name of name-conflict findings.
    public static let nameConflictRule = "名称 = 科目目录名称"

    /// Name conflicts of `budgets` against `catalog` (built from the budgets when `nil`), as
    /// findings of kind ``FindingKind/nameConflict``: the subject names the code, the printed
    /// name and the catalog name; the figures are zero; `documentation` is set when the catalog
    /// lists the printed name among the code's other names. Missing codes are not reported here.
    public static func nameConflicts(_ budgets: [Budget], catalog: ClassificationCatalog? = nil) -> [Finding] {
        let catalog = catalog ?? ClassificationCatalog.build(from: budgets)
        return catalog.issues(budgets, missingCodes: false).filter { $0.kind == .nameConflict }.map { issue in
            let u = issue.usage
            let scheme = u.scheme == .functional ? "功能分类" : "\(u.scheme.rawValue)经济分类"
            return Finding(
                dataset: u.dataset, rule: nameConflictRule, table: u.table,
                subject: "\(scheme) \(u.code): \(u.name ?? "") ≠ \(issue.catalogName ?? "") · \(u.subject)",
                published: .zero, computed: .zero, terms: 0, kind: .nameConflict,
                documentation: issue.listedAsOtherName
                    ? "catalog: \(u.code) is \(issue.catalogName ?? ""); \(u.name ?? "") is listed among its other names"
                    : nil)
        }
    }
}

/// A 支出功能分类 code renamed or renumbered between editions of 政府收支分类科目
/// (`Datasets/catalog/renumbering.csv`).
public struct ClassificationRenumbering: Sendable, Hashable {
    /// The year of the edition that made the change.
    public var edition: Int
    /// The code before it.
    public var codeBefore: String
    /// The name before it.
    public var nameBefore: String
    /// The code from that edition on.
    public var codeAfter: String
    /// The name from that edition on.
    public var nameAfter: String
    /// Where the change is published.
    public var source: String

    /// The file under the catalog directory.
    public static let file = "renumbering.csv"
    /// Its header.
    public static let header = ["edition", "code_before", "name_before", "code_after", "name_after", "source"]

    /// The renumberings listed under `datasetsDirectory`'s catalog (none when the file is absent).
    public static func load(from datasetsDirectory: URL) throws(DatasetError) -> [ClassificationRenumbering] {
        let url = datasetsDirectory.appendingPathComponent(ClassificationCatalog.directoryName)
            .appendingPathComponent(file)
        guard let records = try DatasetLoader.readCSV(url) else { return [] }
        guard let first = records.first, first.fields == header else {
            throw .missingColumn(DataLocation(file: url.path), column: header[0], table: "catalog")
        }
        var out: [ClassificationRenumbering] = []
        for r in records.dropFirst() {
            guard r.fields.count == header.count else {
                throw .wrongCellCount(
                    DataLocation(file: url.path, position: r.positions.first), expected: header.count,
                    found: r.fields.count)
            }
            guard let edition = Int(r.fields[0]) else {
                throw .invalidNumber(
                    DataLocation(file: url.path, position: r.positions.first), column: "edition", found: r.fields[0],
                    expected: "a year")
            }
            out.append(
                ClassificationRenumbering(
                    edition: edition, codeBefore: r.fields[1], nameBefore: r.fields[2], codeAfter: r.fields[3],
                    nameAfter: r.fields[4], source: r.fields[5]))
        }
        return out
    }
}
