// BadInputTests: a PDF that is no budget, a scanned (image-only) PDF, a truncated PDF, a damaged
// PDF, a PDF that needs a password and an empty file each get their error and their exit code,
// and no dataset is written; a PDF with only an owner password opens and imports; in a batch,
// one bad document does not stop the others.

import Foundation
import Testing

@testable import BudgetImport

@Suite("Bad input")
struct BadInputTests {
    /// Writes `data` as `name` in a fresh folder and returns its URL.
    func file(_ name: String, _ data: Data) throws -> URL {
        let dir = Fixtures.temporaryDirectory("bad")
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// Imports `url` into a fresh folder: the error thrown, and whether anything was written.
    func failure(_ url: URL) -> (ImportError?, Bool) {
        let out = Fixtures.temporaryDirectory("bad-out")
        do throws(ImportError) {
            _ = try BudgetImporter.importDocument(url, into: out)
            return (nil, true)
        } catch {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            return (error, !left.isEmpty)
        }
    }

    @Test("A PDF with text but no budget table: not a budget")
    func notABudget() throws {
        let (error, wrote) = failure(try file("minutes.pdf", TinyPDF.text))
        #expect(error == .notABudget(file: "minutes.pdf"))
        #expect(!wrote)
    }

    @Test("A PDF with pages but no text layer: a scan, OCR is not supported")
    func imageOnly() throws {
        let (error, wrote) = failure(try file("scan.pdf", TinyPDF.imageOnly))
        #expect(error == .imageOnly(file: "scan.pdf", pages: 1))
        #expect(error?.message.contains("scanned PDF, OCR is not supported") == true)
        #expect(!wrote)
    }

    @Test("A PDF cut short: truncated")
    func truncated() throws {
        let (error, wrote) = failure(try file("cut.pdf", TinyPDF.truncated))
        #expect(error == .truncated(file: "cut.pdf"))
        #expect(!wrote)
        // A real document cut in half too.
        let sample = try Data(contentsOf: Fixtures.sample(2025))
        let (e2, w2) = failure(try file("half.pdf", sample.prefix(sample.count / 2)))
        #expect(e2 == .truncated(file: "half.pdf"))
        #expect(!w2)
    }

    @Test("A PDF whose structure cannot be read: damaged")
    func damaged() throws {
        let (error, wrote) = failure(try file("broken.pdf", Data("%PDF-1.4\nnot a document at all\n%%EOF\n".utf8)))
        if case .damaged(let f, _) = error {
            #expect(f == "broken.pdf")
        } else {
            Issue.record("expected damaged, got \(String(describing: error))")
        }
        #expect(!wrote)
    }

    @Test("A PDF that needs a password: encrypted, nothing written")
    func encrypted() throws {
        let locked = Fixtures.folder.appendingPathComponent("encrypted/user-password.pdf")
        let (error, wrote) = failure(locked)
        #expect(error == .encrypted(file: "user-password.pdf"))
        #expect(error?.message.contains("encrypted PDF: it needs a password to open") == true)
        #expect(!wrote)
    }

    @Test("A PDF protected by an owner password only opens without one and imports as the plain sample does")
    func ownerPasswordOnly() throws {
        let protected = Fixtures.folder.appendingPathComponent("encrypted/owner-password-wanli-2025.pdf")
        let out = Fixtures.temporaryDirectory("owner-out")
        let result = try BudgetImporter.importDocument(protected, into: out)
        let plain = try Imported.sample(2025)
        // The same figures; only the file name in each row's provenance differs.
        func unsourced<T>(_ rows: [T], _ path: WritableKeyPath<T, String?>) -> [T] {
            rows.map {
                var r = $0
                r[keyPath: path] = nil
                return r
            }
        }
        #expect(unsourced(result.budget.spending, \.provenance) == unsourced(plain.budget.spending, \.provenance))
        #expect(unsourced(result.budget.threePublic, \.provenance) == unsourced(plain.budget.threePublic, \.provenance))
        #expect(result.figuresPlaced == plain.figuresPlaced)
    }

    @Test("An empty file")
    func empty() throws {
        let (error, wrote) = failure(try file("empty.pdf", Data()))
        #expect(error == .emptyFile(file: "empty.pdf"))
        #expect(!wrote)
        let (e2, _) = failure(try file("blank.txt", Data("\n  \n".utf8)))
        #expect(e2 == .emptyFile(file: "blank.txt"))
    }

    @Test("bql import: a distinct exit code and a one-line error naming the file, nothing written")
    func exitCodes() throws {
        let cases: [(String, Data, Int32, String)] = [
            ("minutes.pdf", TinyPDF.text, 10, "not a budget"),
            ("scan.pdf", TinyPDF.imageOnly, 11, "scanned PDF, OCR is not supported"),
            ("cut.pdf", TinyPDF.truncated, 12, "truncated PDF"),
            ("empty.pdf", Data(), 13, "empty file"),
            (
                "locked.pdf",
                try Data(contentsOf: Fixtures.folder.appendingPathComponent("encrypted/user-password.pdf")),
                12, "encrypted PDF: it needs a password to open"
            ),
        ]
        for (name, data, code, message) in cases {
            let url = try file(name, data)
            let out = Fixtures.temporaryDirectory("cli").appendingPathComponent("out")
            let r = try runBQL(["import", url.path, "-o", out.path])
            #expect(r.status == code, "\(name): \(r.stderr)")
            #expect(r.stderr.contains("\(name): \(message)"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(
                !FileManager.default.fileExists(
                    atPath: out.appendingPathComponent(name.replacingOccurrences(of: ".pdf", with: "")).path))
        }
    }

    @Test("A batch: the bad documents fail, the good one is imported, the summary counts them")
    func batch() throws {
        let bad = try file("scan.pdf", TinyPDF.imageOnly)
        let worse = try file("minutes.pdf", TinyPDF.text)
        let out = Fixtures.temporaryDirectory("batch")
        let r = try runBQL(["import", bad.path, Fixtures.sample(2024).path, worse.path, "-o", out.path, "--quiet"])
        #expect(r.status == 15, "\(r.stderr)")
        #expect(r.stderr.contains("1 of 3 documents imported"))
        #expect(r.stderr.contains("2 failed"))
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }
        #expect(written == ["putuo-wanli-2024-dept"])
    }
}

@Suite("Dataset writing")
struct WritingTests {
    @Test("The descriptor made from the cached template is the one the schema gives")
    func descriptor() {
        for (id, title) in [("putuo-wanli-2025-dept", "上海市普陀区2025年区级部门预算"), ("x", "引号\"与\\反斜杠")] {
            #expect(
                DatasetWriter.descriptor(id: id, title: title) == DatasetWriter.buildDescriptor(id: id, title: title))
        }
    }
}
