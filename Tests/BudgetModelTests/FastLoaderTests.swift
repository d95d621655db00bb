// FastLoaderTests: the loader's fast paths give exactly what the reference code they replace
// gives — CSVCells against CSVReader.parse, byte-level trimming and number parsing against
// Foundation and the String initializers, DescriptorReader against JSONSerialization — and the
// parallel loadAll throws what a sequential load would.

import Foundation
import Testing

@testable import BudgetModel

@Suite struct FastLoaderTests {
    // MARK: - CSV

    static let tricky: [String] = [
        "", "\n", "\r\n", "a", "a\n", "a,b\nc,d", "a,b\r\nc,d\r\n", "a,b\rc,d\r", "\n\na,b\n\n\nc\n", "\r\n\r\na\r\n",
        "\"\"", "\"\"\n\"\"", ",", ",\n,", "a,\n,b", "\"a,b\",c", "\"a\"\"b\",c\n", "\"\"\"\",\"x\"\"\"\n",
        "\"line\nbreak\",x\ny,z", "\"cr\r\nlf\",x\r\n", "\u{FEFF}id,name\n1,鞍山\n", " a , b \n", "a\"b,c\n",
        "\"a\"\r\n\"b\"\r", "x,\"\"\r\n", "鞍山,\"海城，市\",\"说\"\"明\"\"\"\n", "a,b,c\n1,2\n", "\"a\"",
        // Malformed: the reference reader's problem must come back.
        "\"abc", "a,\"b\nc", "\"a\"x,b", "a,\"b\" ,c", "ok\n\"x\"y",
    ]

    static func compare(_ bytes: [UInt8]) {
        let reference = CSVReader.parse(bytes)
        switch (CSVCells.split(bytes), reference) {
        case (.success(let cells), .success(let records)):
            #expect(cells.count == records.count)
            for (r, record) in records.enumerated() where r < cells.count {
                #expect(cells.lines[r] == record.line)
                #expect((0..<cells.cellCount(r)).map { cells.text(cells.cell(r, $0)) } == record.fields)
                #expect(cells.positions(ofRecord: r) == record.positions)
            }
        case (.failure(let a), .failure(let b)):
            #expect(a == b)
        case (let a, let b):
            Issue.record("CSVCells \(a) but CSVReader \(b) for \(bytes)")
        }
    }

    @Test func cellsSplitAsTheReferenceReader() {
        for text in Self.tricky { Self.compare(Array(text.utf8)) }
        Self.compare([0x61, 0x2C, 0xFF, 0x0A])
    }

    @Test func cellsSplitEveryBundledFileAsTheReferenceReader() throws {
        var files = 0
        for folder in Paths.datasetFolders {
            for schema in DatasetSchema.tables {
                Self.compare(Array(try Data(contentsOf: folder.appendingPathComponent(schema.file))))
                files += 1
            }
        }
        #expect(files > 50)
    }

    @Test func cellsSplitRandomTextAsTheReferenceReader() {
        var rng = SplitMix(seed: 11)
        let alphabet: [String] = ["a", "鞍", ",", "\"", "\n", "\r", " ", "\u{3000}", "1"]
        for _ in 0..<3000 {
            let n = Int(rng.next() % 14)
            Self.compare(Array((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined().utf8))
        }
    }

    // MARK: - Trimming

    @Test func trimmingMatchesFoundation() {
        var scalars = Array(0...0x3100) + Array(0xFE00...0xFFFF) + [0x1F600, 0x20000]
        scalars.removeAll { Unicode.Scalar($0) == nil }
        for v in scalars {
            let c = String(Unicode.Scalar(v)!)
            for s in [c, c + "x", "x" + c, c + "鞍" + c, c + c, "\"" + c] {
                #expect(s.trimmedWhitespace == s.trimmingCharacters(in: .whitespaces), "U+\(String(v, radix: 16))")
            }
        }
    }

    // MARK: - Numbers

    static let numbers: [String] = [
        "", "0", "-0", "+0", "1", "-1", "+", "-", ".", "-.", "+.5", "0.5", "5.", "2220.40", "1,000", "1e5", " 1", "1 ",
        "１", "٣", "--1", "+-1", "1.2.3", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "0.000000000000000001", "0.0000000000000000001", "92233720368547758.07", "00012",
        "1_000",
    ]

    /// The number grammar of Datasets/FORMAT.md, as a regular expression: the reference.
    static func referenceDecimal(_ s: String) -> ExactDecimal? {
        guard s.wholeMatch(of: /-?[0-9]+(\.[0-9]+)?/) != nil else { return nil }
        return ExactDecimal(s)  // the value, or nil past 18 decimals or 64 bits
    }

    static func referenceInteger(_ s: String) -> Int? {
        guard s.wholeMatch(of: /-?[0-9]+/) != nil else { return nil }
        return Int(s)
    }

    @Test func decimalCellsFollowTheGrammar() {
        var inputs = Self.numbers
        var rng = SplitMix(seed: 3)
        let alphabet = Array("0123456789.-+,e 9")
        for _ in 0..<5000 {
            inputs.append(
                String((0..<Int(rng.next() % 22)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        for s in inputs {
            var t = s
            let fast = t.withUTF8 { ExactDecimal(cell: $0) }
            let reference = Self.referenceDecimal(s)
            #expect(fast == reference && fast?.scale == reference?.scale, "\(s)")
        }
        // Issue 12, finding 16: these were read as numbers.
        for s in ["+5", "5.", "12 ", " 12", ".5", "-", "1,000", "1e5", "１"] {
            var t = s
            #expect(t.withUTF8 { ExactDecimal(cell: $0) } == nil, "\(s)")
        }
    }

    @Test func integerCellsFollowTheGrammar() {
        var inputs = Self.numbers
        var rng = SplitMix(seed: 5)
        let alphabet = Array("0123456789-+ 9")
        for _ in 0..<5000 {
            inputs.append(
                String((0..<Int(rng.next() % 22)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        for s in inputs {
            var t = s
            #expect(t.withUTF8 { Int(cell: $0) } == Self.referenceInteger(s), "\(s)")
        }
    }

    // MARK: - Interning

    @Test func internedTextsShareStorage() {
        var interner = StringInterner(capacity: 4, limit: 1000)
        func intern(_ s: String) -> String {
            var s = s
            return s.withUTF8 { interner.string($0) }
        }
        func storage(_ s: String) -> UnsafeRawPointer? {
            var s = s
            return s.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        }
        let texts = (0..<300).map { "指标名称第\($0)项（三级指标）" }
        let first = texts.map(intern)
        let second = texts.map { intern(String($0)) }
        #expect(first == texts && second == texts)
        #expect(zip(first, second).allSatisfy { storage($0) == storage($1) })
        #expect(interner.count == 300)
        #expect(intern("short") == "short" && interner.count == 300, "texts of up to 15 bytes are not kept")
    }

    @Test func internerStartsAfreshAtItsLimit() {
        var interner = StringInterner(capacity: 4, limit: 10)
        for i in 0..<25 {
            var s = "a text long enough to be kept \(i)"
            #expect(s.withUTF8 { interner.string($0) } == s)
        }
        #expect(interner.count == 5)
    }

    // MARK: - Descriptor

    /// The canonical descriptor of every bundled dataset is taken at once, and passes the full
    /// check too (so both paths agree); a different name, or any change, goes to the full check.
    @Test func canonicalDescriptorsPassBothChecks() throws {
        for folder in Paths.datasetFolders {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("datapackage.json")))
            let name = folder.lastPathComponent
            #expect(CanonicalDescriptor.shared.matches(bytes, name: name), "\(name)")
            #expect(!CanonicalDescriptor.shared.matches(bytes, name: name + "x"))
            #expect(!CanonicalDescriptor.shared.matches(Array(bytes.dropLast()), name: name))
            #expect(throws: Never.self) {
                try DatasetLoader.checkParsedDescriptor(bytes, folder: name, location: DataLocation(file: "d"))
            }
        }
        for (name, title) in [("x", ""), ("鞍山-2025", "鞍山 2025"), ("a b", "t/with/slashes"), ("q", "quote\" in")] {
            let bytes = Array(DatasetSchema.dataPackageJSON(id: name, title: title).utf8)
            #expect(CanonicalDescriptor.shared.matches(bytes, name: name) == !title.contains("\""), "\(title)")
            #expect(throws: Never.self) {
                try DatasetLoader.checkParsedDescriptor(bytes, folder: name, location: DataLocation(file: "d"))
            }
        }
    }

    // MARK: - Paths

    @Test func folderFilePathsAreTheURLPaths() {
        let folders = [
            URL(fileURLWithPath: "/tmp/data/anshan-2025"), URL(fileURLWithPath: "/tmp/data/anshan-2025/"),
            URL(fileURLWithPath: "/"), URL(fileURLWithPath: "relative/folder"),
            URL(fileURLWithPath: "/tmp/with space/鞍山 %20"),
            URL(fileURLWithPath: "/tmp/a/../b/./c"), URL(string: "file:///tmp/encoded%20name/x")!,
            Paths.datasets.appendingPathComponent("anshan-2025"),
        ]
        for folder in folders {
            let files = DatasetLoader.FolderFiles(folder)
            for name in DatasetSchema.tables.map(\.file) + ["datapackage.json"] {
                #expect(files.path(name) == folder.appendingPathComponent(name).path, "\(folder) \(name)")
            }
        }
    }

    // MARK: - Parallel loading

    /// A folder of copies of the bundled anshan dataset named `names`, each with its own id.
    static func datasets(_ names: [String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bql-par-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for name in names {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.copyItem(at: Paths.datasets.appendingPathComponent("anshan-2025"), to: folder)
            let department = folder.appendingPathComponent("department.csv")
            let text = try String(contentsOf: department, encoding: .utf8)
            try text.replacingOccurrences(of: "anshan-2025,", with: "\(name),").write(
                to: department, atomically: true, encoding: .utf8)
            let descriptor = folder.appendingPathComponent("datapackage.json")
            let json = try String(contentsOf: descriptor, encoding: .utf8)
            try json.replacingOccurrences(of: "\"name\" : \"anshan-2025\"", with: "\"name\" : \"\(name)\"").write(
                to: descriptor, atomically: true, encoding: .utf8)
        }
        return root
    }

    static func breakIncome(_ root: URL, _ name: String) throws {
        try Data("source,amount,provenance\n一般公共预算拨款,x\(name),\n".utf8).write(
            to: root.appendingPathComponent(name).appendingPathComponent("income.csv"))
    }

    static func error(_ root: URL) -> DatasetError? {
        do {
            _ = try DatasetLoader.loadAll(from: root)
            return nil
        } catch { return error }
    }

    @Test func loadsInNameOrder() throws {
        let names = (0..<9).map { "d\($0)" }.shuffled()
        let root = try Self.datasets(names)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("not a dataset".utf8).write(to: root.appendingPathComponent("readme.txt"))
        #expect(try DatasetLoader.loadAll(from: root).map(\.department.id) == names.sorted())
    }

    @Test func throwsTheFirstBadFolderInNameOrder() throws {
        let root = try Self.datasets((0..<8).map { "d\($0)" })
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["d6", "d2", "d7"] { try Self.breakIncome(root, name) }
        let e = try #require(Self.error(root))
        #expect(e.description.contains("d2/income.csv:2:"))
        #expect(e.description.contains("found \"xd2\""))
    }

    /// A dataset id must be its folder's name, so two datasets cannot share one: the id of
    /// `c` set to `a` is an error of `c`, and a bad folder before it still wins.
    @Test func anIdOtherThanTheFolderNameIsAnError() throws {
        let root = try Self.datasets(["a", "b", "c", "d"])
        defer { try? FileManager.default.removeItem(at: root) }
        let department = root.appendingPathComponent("c/department.csv")
        let text = try String(contentsOf: department, encoding: .utf8)
        try text.replacingOccurrences(of: "\nc,", with: "\na,").write(to: department, atomically: true, encoding: .utf8)
        try Self.breakIncome(root, "d")
        #expect(
            Self.error(root)?.description
                == "\(department.path):2:1: column id is \"a\": expected the folder name \"c\"")
        try Self.breakIncome(root, "b")
        #expect(Self.error(root)?.description.contains("b/income.csv:2:") == true)
    }

    @Test func oneWorkerAndManyGiveTheSameResults() throws {
        let root = try Self.datasets((0..<6).map { "d\($0)" })
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.breakIncome(root, "d4")
        let folders = (0..<6).map { root.appendingPathComponent("d\($0)") }
        func summary(_ results: [DatasetLoader.FolderResult?]) -> [String] {
            results.map {
                switch $0 {
                case nil: return "-"
                case .notADataset?: return "none"
                case .loaded(let b)?: return "\(b.department.id) \(b.projects.count) \(b.indicators.count)"
                case .failed(let e)?: return e.description
                }
            }
        }
        let one = summary(DatasetLoader.loadFolders(folders, workers: 1))
        #expect(one[5] == "-", "nothing after the first failure is loaded by one worker")
        let many = summary(DatasetLoader.loadFolders(folders, workers: 4))
        #expect(Array(many.prefix(5)) == Array(one.prefix(5)))
    }
}

/// A small deterministic random number generator for the tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
