// fuzz-dataset: libFuzzer target for the dataset loader. Each input is a folder archive —
// `=== name` lines, each followed by a file's content (Seeds.archive) — written to a fresh
// folder (under /dev/shm when there is one) and loaded. When the archive also holds a pseudo
// file `queries`, a folder that loads is checked (`bql check`), becomes a catalog, and each line
// of `queries` runs over it in batch and row by row, which must agree. A crash or a sanitizer
// report is a finding; a DatasetError is an answer.

import BudgetQL
import Foundation
import FuzzSupport

enum DatasetTarget {
    /// This process's scratch folder (one per process, so parallel jobs do not collide).
    static let scratch = Repo.scratch("dataset")

    static let limits = QueryLimits(maxRows: 100_000, timeout: .milliseconds(250), maxMemory: 64 << 20)

    /// A safe file name: letters, digits, `_ . -`, not starting with a dot, at most 64 bytes.
    static func safe(_ name: Substring) -> String? {
        guard !name.isEmpty, name.utf8.count <= 64, name.first != "." else { return nil }
        let ok = name.unicodeScalars.allSatisfy {
            ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "_" || $0 == "."
                || $0 == "-"
        }
        return ok ? String(name) : nil
    }

    static func one(_ input: [UInt8]) {
        // The folder is named after the department id when it looks like one (the loader may
        // require the two to agree), else "dataset".
        var files: [(String, [UInt8])] = []
        var current: String?
        var content: [UInt8] = []
        let lines = input.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (k, line) in lines.enumerated() {
            if line.starts(with: Array("=== ".utf8)) {
                if let current { files.append((current, content)) }
                current = safe(Substring(decoding: line.dropFirst(4), as: UTF8.self))
                content = []
            } else if current != nil {
                // Every line but the last was followed by a newline in the input.
                content += line
                if k < lines.count - 1 { content.append(0x0A) }
            }
        }
        if let current { files.append((current, content)) }

        var id = "dataset"
        if let department = files.first(where: { $0.0 == "department.csv" }) {
            let lines = department.1.split(separator: 0x0A)
            if lines.count > 1, let first = lines[1].split(separator: 0x2C).first,
                let name = safe(Substring(decoding: first, as: UTF8.self))
            {
                id = name
            }
        }
        let fm = FileManager.default
        try? fm.removeItem(at: scratch)
        let folder = scratch.appendingPathComponent(id)
        try? fm.createDirectory(at: folder, withIntermediateDirectories: true)
        var queries: [String] = []
        for (name, bytes) in files {
            if name == "queries" {
                queries = String(decoding: bytes, as: UTF8.self).split(separator: "\n").prefix(8).map(String.init)
                continue
            }
            _ = fm.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data(bytes))
        }

        let budget: Budget
        do { budget = try DatasetLoader.load(from: folder) } catch {
            _ = error.description
            return
        }
        guard !queries.isEmpty else { return }
        _ = Checker.check(budget)
        let catalog = Catalog(budgets: [budget])
        for q in queries {
            let batch = Outcome.of(q, catalog: catalog, mode: .batch, limits: limits)
            let rows = Outcome.of(q, catalog: catalog, mode: .rowByRow, limits: limits)
            if let why = Outcome.disagreement(batch: batch, rows: rows) {
                Fuzzer.fail("\(why)\n--- query ---\n\(q)")
            }
        }
    }
}

Fuzzer.main(seeds: Seeds.datasets) { data, size in
    DatasetTarget.one(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
