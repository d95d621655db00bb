// Support: where the fixtures are (Tests/Fixtures, never ../shared), the built `bql`, tiny PDFs
// written by hand for the bad-input tests, and the samples imported once per test process.

import BudgetImport
import BudgetModel
import Foundation
import Testing

enum Fixtures {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let folder = root.appendingPathComponent("Tests/Fixtures")
    static let samples = folder.appendingPathComponent("samples")
    static let seeds = folder.appendingPathComponent("seeds")
    static let datasets = root.appendingPathComponent("Datasets")

    static func sample(_ year: Int) -> URL { samples.appendingPathComponent("putuo-wanli-\(year)-dept.pdf") }
    static func more(_ name: String) -> URL { folder.appendingPathComponent("more").appendingPathComponent(name) }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bql-import-test-\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The built `bql` binary.
    static var bql: URL {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [
            dir.appendingPathComponent("bql"), dir.deletingLastPathComponent().appendingPathComponent("bql"),
            root.appendingPathComponent(".build/debug/bql"),
        ] where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        return root.appendingPathComponent(".build/debug/bql")
    }
}

/// The samples, imported once into one directory shared by the tests that read them.
enum Imported {
    static let directory = Fixtures.temporaryDirectory("samples")

    static let sample2025: Result<ImportResult, ImportError> = load(2025)
    static let sample2024: Result<ImportResult, ImportError> = load(2024)

    private static func load(_ year: Int) -> Result<ImportResult, ImportError> {
        do throws(ImportError) {
            return .success(try BudgetImporter.importDocument(Fixtures.sample(year), into: directory))
        } catch {
            return .failure(error)
        }
    }

    static func sample(_ year: Int) throws -> ImportResult {
        try (year == 2025 ? sample2025 : sample2024).get()
    }
}

/// `text` 元 (as printed, with separators) in 万元, exactly.
func yuan(_ text: String) -> ExactDecimal {
    let n = ExactDecimal(text, allowGrouping: true) ?? .zero
    return ExactDecimal(mantissa: n.mantissa, scale: n.scale + 4)
}

/// What running `bql` gave.
struct RunResult {
    var stdout: String
    var stderr: String
    var status: Int32
}

/// Runs the built `bql` with `arguments`.
func runBQL(_ arguments: [String]) throws -> RunResult {
    let p = Process()
    p.executableURL = Fixtures.bql
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["BQL_CACHE_DIR"] = FileManager.default.temporaryDirectory.appendingPathComponent("bql-import-test-cache").path
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(
        stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
        status: p.terminationStatus)
}

/// Tiny PDFs written by hand: the objects, then a cross-reference table with their offsets.
enum TinyPDF {
    static func document(_ objects: [Data]) -> Data {
        var out = Data("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.count)
            out += Data("\(i + 1) 0 obj\n".utf8) + o + Data("\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { table += String(format: "%010d 00000 n \n", o) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Data(table.utf8)
    }

    static func page(contents: String, resources: String) -> [Data] {
        [
            Data("<< /Type /Catalog /Pages 2 0 R >>".utf8), Data("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Data(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources \(resources) >>".utf8),
            Data("<< /Length \(contents.utf8.count) >>\nstream\n\(contents)\nendstream".utf8),
        ]
    }

    /// A PDF whose one page says something that is not a budget.
    static var text: Data {
        document(
            page(
                contents: "BT /F1 12 Tf 72 720 Td (Minutes of the weekly meeting, 3 March) Tj ET",
                resources: "<< /Font << /F1 5 0 R >> >>") + [
                    Data("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".utf8)
                ])
    }

    /// A PDF whose one page is an image and nothing else (a scan).
    static var imageOnly: Data {
        let image =
            Data(
                "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n"
                    .utf8) + Data([0x80]) + Data("\nendstream".utf8)
        return document(
            page(contents: "q 100 0 0 100 72 600 cm /Im1 Do Q", resources: "<< /XObject << /Im1 5 0 R >> >>") + [image])
    }

    /// The text PDF cut in half, as an interrupted download leaves it.
    static var truncated: Data { text.prefix(text.count / 2) }
}
