// fuzz-import: libFuzzer target for the importer's text reader. Each input is a converted
// document's text (any bytes): it is written to a file with a `.txt` name (under /dev/shm when
// there is one) and read by `BudgetImporter.read` — decoded (UTF-8, else GB 18030), split into
// lines and cells (tab-separated, one cell per line, or plain words), its tables located and
// laid out (a text without cell positions through PlainTables' arithmetic), the dataset built
// and checked. A crash or a sanitizer report is a finding; an ImportError is an answer. PDFs are
// not fuzzed here: their text comes from poppler's `pdftotext`, a process of its own.

import Foundation
import FuzzSupport

@testable import BudgetImport

enum ImportTarget {
    /// This process's document file (one per process, so parallel jobs do not collide).
    static let file = Repo.scratch("import").appendingPathComponent("document.txt")

    static func one(_ input: [UInt8]) {
        // A PDF's bytes would go to pdftotext; this target is the text reader.
        if PDFReader.isPDF(Data(input)) { return }
        guard (try? Data(input).write(to: file)) != nil else { Fuzzer.fail("cannot write \(file.path)") }
        _ = try? BudgetImporter.read(file, id: "fuzz")
    }
}

Fuzzer.main(seeds: Seeds.documents) { data, size in
    ImportTarget.one(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
