// LoaderErrorTests: the loader is fed broken copies of the 鞍山 dataset, one per error kind,
// and must name the exact file, line and column with the expected message.

import BudgetModel
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A scratch copy of one bundled dataset that a test may break.
struct ScratchDataset {
    let root: URL
    let folder: URL

    init(_ id: String = "anshan-2025") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bql-\(UUID().uuidString)")
        folder = root.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.datasets.appendingPathComponent(id), to: folder)
    }

    /// Replaces the first occurrence of `old` with `new` in `file`.
    func replace(_ file: String, _ old: String, _ new: String) throws {
        let url = folder.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let range = try #require(text.range(of: old), "\(old) not in \(file)")
        try text.replacingCharacters(in: range, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    func write(_ file: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: folder.appendingPathComponent(file))
    }

    func path(_ file: String) -> String { folder.appendingPathComponent(file).path }

    /// Loads and returns the error's description, or nil if loading succeeded.
    func loadError() -> String? {
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try DatasetLoader.loadAll(from: root)
            return nil
        } catch { return error.description }
    }
}

@Suite struct LoaderErrorTests {
    static let decimalGrammar =
        "a plain decimal such as 2220.40 or -3 (digits, an optional leading -, an optional . followed by digits;"
        + " no +, spaces or thousands separators)"

    @Test func bundledDatasetsLoad() throws {
        let budgets = try DatasetLoader.loadAll(from: Paths.datasets)
        #expect(
            budgets.map(\.department.id) == [
                "anshan-2025", "fushun-2026", "haigang-2025", "shizhong-2025", "yima-2025",
            ])
    }

    @Test func missingFile() throws {
        let s = try ScratchDataset()
        try FileManager.default.removeItem(atPath: s.path("projects.csv"))
        #expect(
            s.loadError()
                == "\(s.path("projects.csv")): file is missing: every table of the format must exist (header only if the document has no such table)"
        )
    }

    @Test func emptyDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bql-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: DatasetError.noDatasets(directory: dir.path)) { try DatasetLoader.loadAll(from: dir) }
    }

    @Test func malformedDescriptor() throws {
        let s = try ScratchDataset()
        try s.write("datapackage.json", bytes: Array("{\"resources\": [".utf8))
        #expect(s.loadError() == "\(s.path("datapackage.json")): invalid datapackage.json: not valid JSON")
    }

    @Test func unterminatedQuote() throws {
        let s = try ScratchDataset()
        try s.write("income.csv", bytes: Array("source,amount\n\"一般公共预算拨款,2220.40\n".utf8))
        #expect(s.loadError() == "\(s.path("income.csv")):2:1: unterminated quoted field: expected a closing \"")
    }

    @Test func textAfterQuote() throws {
        let s = try ScratchDataset()
        try s.write("income.csv", bytes: Array("source,amount\n\"一般公共预算拨款\"x,2220.40\n".utf8))
        #expect(s.loadError() == "\(s.path("income.csv")):2:11: text after a closing quote: expected , or a line end")
    }

    @Test func invalidUTF8() throws {
        let s = try ScratchDataset()
        var bytes = Array("code,name,goal\n073001,鞍山".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(",\n".utf8)
        try s.write("units.csv", bytes: bytes)
        #expect(s.loadError() == "\(s.path("units.csv")):2:10: invalid UTF-8: expected UTF-8 text")
    }

    @Test func unknownColumn() throws {
        let s = try ScratchDataset()
        try s.replace("projects.csv", ",amount,", ",amout,")
        #expect(
            s.loadError()
                == "\(s.path("projects.csv")):1:50: unknown column \"amout\" in table projects; did you mean \"amount\"?"
        )
    }

    @Test func missingColumn() throws {
        let s = try ScratchDataset()
        try s.write("income.csv", bytes: Array("source\n一般公共预算拨款\n".utf8))
        #expect(
            s.loadError()
                == "\(s.path("income.csv")):1:1: missing column \"amount\": table income expects it in the header")
    }

    @Test func nonNumericAmount() throws {
        let s = try ScratchDataset()
        try s.replace("income.csv", "2220.40", "\"2,220.40\"")
        #expect(
            s.loadError()
                == "\(s.path("income.csv")):2:10: column amount: expected \(Self.decimalGrammar), found \"2,220.40\""
        )
    }

    @Test func wrongCellCount() throws {
        let s = try ScratchDataset()
        try s.replace("income.csv", "2220.40", "2220.40,1")
        #expect(s.loadError() == "\(s.path("income.csv")):2:1: expected 3 cells as in the header, found 4")
    }

    @Test func duplicateKey() throws {
        let s = try ScratchDataset()
        try s.replace("projects.csv", "P02,", "P01,")
        #expect(s.loadError() == "\(s.path("projects.csv")):3:1: duplicate id \"P01\": first used on line 2")
    }

    @Test func unknownProjectReference() throws {
        let s = try ScratchDataset()
        let text = try String(contentsOfFile: s.path("indicators.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.contains(",P03,") })
        let id = lines[index].prefix { $0 != "," }
        try s.replace("indicators.csv", "\n\(id),P03,", "\n\(id),X03,")
        #expect(
            s.loadError()
                == "\(s.path("indicators.csv")):\(index + 1):\(id.count + 2): column project: \"X03\" is not in projects.csv"
        )
    }

    @Test func unknownUnitReference() throws {
        let s = try ScratchDataset()
        try s.replace("projects.csv", "P01,鞍山市医疗保障局本级", "P01,鞍山市医疗保障局本部")
        #expect(s.loadError() == "\(s.path("projects.csv")):2:5: column unit: \"鞍山市医疗保障局本部\" is not in units.csv")
    }

    @Test func invalidChoice() throws {
        let s = try ScratchDataset()
        try s.replace("projects.csv", ",项目支出,", ",项目,")
        let e = try #require(s.loadError())
        #expect(e.contains("projects.csv:2:"))
        #expect(e.hasSuffix("column spending_type: expected one of 项目支出, 基本支出, found \"项目\""))
    }

    @Test func missingRequiredValue() throws {
        let s = try ScratchDataset()
        try s.replace("department.csv", "anshan-2025,", ",")
        #expect(s.loadError() == "\(s.path("department.csv")):2:1: column id is empty: expected a value")
    }

    // MARK: - Issue 12, finding 10: nothing vanishes silently

    /// A copy cut inside the last field of its last line: the row used to load with a shorter
    /// note, and `check` passed.
    @Test func csvCutInsideItsLastFieldIsRejected() throws {
        let s = try ScratchDataset()
        let text = try String(contentsOfFile: s.path("assets.csv"), encoding: .utf8)
        // The last line's note "…台；金额0万元（情况说明）", cut before its "（".
        let cut = try #require(text.range(of: "（", options: .backwards))
        try s.write("assets.csv", bytes: Array(text[..<cut.lowerBound].utf8))
        let lastLine = text[..<cut.lowerBound].split(separator: "\n").last ?? ""
        #expect(
            s.loadError()
                == "\(s.path("assets.csv")):10:\(lastLine.unicodeScalars.count + 1): the file does not end with a line end: its last line may have been cut short"
        )
    }

    /// Cut right after a number: the amount would have loaded as a smaller figure.
    @Test func csvCutInsideANumberIsRejected() throws {
        let s = try ScratchDataset()
        try s.write("income.csv", bytes: Array("source,amount\n一般公共预算拨款,2220".utf8))
        #expect(
            s.loadError()
                == "\(s.path("income.csv")):2:14: the file does not end with a line end: its last line may have been cut short"
        )
    }

    @Test func departmentFolderWithoutDescriptorIsAnError() throws {
        let s = try ScratchDataset()
        try FileManager.default.removeItem(atPath: s.path("datapackage.json"))
        #expect(
            s.loadError()
                == "\(s.path("datapackage.json")): datapackage.json is missing: a folder holding department.csv is a dataset and must describe its tables"
        )
    }

    @Test func danglingDescriptorLinkIsAnError() throws {
        let s = try ScratchDataset()
        try FileManager.default.removeItem(atPath: s.path("datapackage.json"))
        try FileManager.default.createSymbolicLink(
            atPath: s.path("datapackage.json"), withDestinationPath: "/nonexistent/x")
        #expect(s.loadError() == "\(s.path("datapackage.json")): a symbolic link to a file that does not exist")
    }

    @Test func danglingFolderLinkIsAnError() throws {
        let s = try ScratchDataset()
        let link = s.root.appendingPathComponent("zz-2025").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/nonexistent/zz-2025")
        #expect(s.loadError() == "\(link): a symbolic link to a file that does not exist")
    }

    /// A FIFO where a table must be would have blocked the load: it is refused without reading.
    @Test func fifoTableIsNotRead() throws {
        let s = try ScratchDataset()
        try FileManager.default.removeItem(atPath: s.path("units.csv"))
        #expect(mkfifo(s.path("units.csv"), 0o644) == 0)
        #expect(
            s.loadError()
                == "\(s.path("units.csv")): not a regular file: expected a file of the dataset (a FIFO, device or folder cannot be read)"
        )
    }

    /// Folders that are no dataset (no datapackage.json, no department.csv) are still skipped,
    /// as `Datasets/catalog` and `Datasets/notes` are.
    @Test func otherFoldersAreSkipped() throws {
        let s = try ScratchDataset()
        try FileManager.default.createDirectory(
            at: s.root.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: s.root.appendingPathComponent("notes/economic.csv"))
        try Data("readme\n".utf8).write(to: s.root.appendingPathComponent("README.md"))
        #expect(s.loadError() == nil)
    }

    // MARK: - Issue 12, finding 16: datapackage.json and numbers are checked

    @Test func wrongFormatVersionIsAnError() throws {
        let s = try ScratchDataset()
        try s.replace("datapackage.json", "\"bql:format\" : \"1\"", "\"bql:format\" : \"2\"")
        #expect(
            s.loadError()
                == "\(s.path("datapackage.json")): invalid datapackage.json: bql:format is \"2\": this loader reads format \"1\""
        )
    }

    @Test func missingFormatVersionIsAnError() throws {
        let s = try ScratchDataset()
        try s.replace("datapackage.json", "\"bql:format\" : \"1\",", "")
        #expect(
            s.loadError()
                == "\(s.path("datapackage.json")): invalid datapackage.json: bql:format is missing: this loader reads format \"1\""
        )
    }

    /// `amount` of projects.csv described as text: other Data Package tools would read it so.
    @Test func retypedFieldIsAnError() throws {
        let s = try ScratchDataset()
        let url = URL(fileURLWithPath: s.path("datapackage.json"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let projects = try #require(text.range(of: "\"path\" : \"projects.csv\""))
        let amount = try #require(text.range(of: "\"name\" : \"amount\"", range: projects.upperBound..<text.endIndex))
        let type = try #require(text.range(of: "\"type\" : \"number\"", range: amount.upperBound..<text.endIndex))
        try text.replacingCharacters(in: type, with: "\"type\" : \"string\"").write(
            to: url, atomically: true, encoding: .utf8)
        #expect(
            s.loadError()
                == "\(s.path("datapackage.json")): invalid datapackage.json: resource projects.csv: field amount has type \"string\": expected \"number\""
        )
    }

    @Test func duplicateResourceIsAnError() throws {
        let s = try ScratchDataset()
        let url = URL(fileURLWithPath: s.path("datapackage.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var resources = try #require(object["resources"] as? [Any])
        resources.append(resources[3])
        object["resources"] = resources
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        #expect(
            s.loadError()
                == "\(s.path("datapackage.json")): invalid datapackage.json: resource income.csv is described twice")
    }

    @Test func descriptorNameOtherThanTheFolderIsAnError() throws {
        let s = try ScratchDataset()
        try s.replace("datapackage.json", "\"name\" : \"anshan-2025\"", "\"name\" : \"anshan-2024\"")
        #expect(
            s.loadError()
                == "\(s.path("datapackage.json")): invalid datapackage.json: name is \"anshan-2024\": expected the folder name \"anshan-2025\""
        )
    }

    @Test func datasetIdOtherThanTheFolderIsAnError() throws {
        let s = try ScratchDataset()
        try s.replace("department.csv", "anshan-2025,", "anshan-2024,")
        #expect(
            s.loadError()
                == "\(s.path("department.csv")):2:1: column id is \"anshan-2024\": expected the folder name \"anshan-2025\""
        )
    }

    /// A descriptor reformatted (not byte-identical to the generated one) but right is accepted.
    @Test func reformattedDescriptorIsAccepted() throws {
        let s = try ScratchDataset()
        let url = URL(fileURLWithPath: s.path("datapackage.json"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        #expect(s.loadError() == nil)
    }

    @Test func plusSignIsNotANumber() throws {
        let s = try ScratchDataset()
        try s.replace("income.csv", "2220.40", "+5")
        #expect(
            s.loadError()
                == "\(s.path("income.csv")):2:10: column amount: expected \(Self.decimalGrammar), found \"+5\"")
    }

    @Test func pointWithoutDecimalsIsNotANumber() throws {
        let s = try ScratchDataset()
        try s.replace("income.csv", "2220.40", "5.")
        #expect(
            s.loadError()
                == "\(s.path("income.csv")):2:10: column amount: expected \(Self.decimalGrammar), found \"5.\"")
    }

    @Test func spaceAfterANumberIsNotANumber() throws {
        let s = try ScratchDataset()
        try s.replace("income.csv", "2220.40", "12 ")
        #expect(
            s.loadError()
                == "\(s.path("income.csv")):2:10: column amount: expected \(Self.decimalGrammar), found \"12 \"")
    }

    @Test func yearFollowsTheWholeNumberGrammar() throws {
        let s = try ScratchDataset()
        try s.replace("department.csv", ",2025,", ",+2025,")
        let e = try #require(s.loadError())
        #expect(
            e.hasSuffix(
                "column year: expected a whole number such as 2025 (digits, an optional leading -), found \"+2025\""))
    }
}
