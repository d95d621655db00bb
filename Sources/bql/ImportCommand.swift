// ImportCommand: `bql import FILE… -o DIR` — published budget documents (PDF, or converted text)
// in, one dataset folder each out, imported on all cores. One bad document does not stop the
// others; each failure is one line naming the file, and the exit code says what went wrong.

import ArgumentParser
import BudgetImport
import Foundation

/// `bql import`'s exit codes (documented in `bql import --help` and docs/IMPORT.md).
enum ImportExit {
    /// Every document imported (contradictions of a document do not fail its import).
    static let ok: Int32 = 0
    /// Not a budget: no 部门预算 table found (or not a PDF / text at all).
    static let notABudget: Int32 = 10
    /// A scanned PDF with no text layer (OCR is not supported).
    static let imageOnly: Int32 = 11
    /// An encrypted, damaged or truncated PDF.
    static let brokenPDF: Int32 = 12
    /// An empty file.
    static let emptyFile: Int32 = 13
    /// A budget whose every table is empty.
    static let emptyTables: Int32 = 14
    /// Several documents failed, for different reasons.
    static let mixed: Int32 = 15
    /// A file could not be read.
    static let unreadable: Int32 = 66
    /// pdftotext (poppler-utils) is missing.
    static let toolMissing: Int32 = 69
    /// The dataset could not be written, or its folder exists (without --force).
    static let cannotWrite: Int32 = 73

    static func code(_ e: ImportError) -> Int32 {
        switch e {
        case .notABudget, .unsupportedFormat: return notABudget
        case .imageOnly: return imageOnly
        case .encrypted, .damaged, .truncated: return brokenPDF
        case .emptyFile: return emptyFile
        case .emptyTables: return emptyTables
        case .unreadable: return unreadable
        case .pdftotextUnavailable: return toolMissing
        case .writeFailed, .outputExists: return cannotWrite
        }
    }

    static let help = """
        Exit codes: 0 every document imported (its own contradictions are reported, not fatal) · \
        10 not a budget · 11 scanned PDF (no text layer; OCR is not supported) · \
        12 encrypted, damaged or truncated PDF · 13 empty file · 14 every table empty · \
        15 several documents failed for different reasons · 66 unreadable file · \
        69 pdftotext missing (apt-get install poppler-utils) · 73 cannot write the dataset
        """
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import published budget documents (PDF or converted text) as datasets.",
        discussion: """
            Writes one dataset folder per document under DIR, named after the file (--id for one \
            document), in the format of the bundled datasets: load it with `bql --data DIR`. Each \
            folder also holds import-report.md (tables found, coverage, the check) and provenance.csv \
            (the page and line of every figure). Documents are imported on all cores; a bad one \
            does not stop the others. PDFs are read with poppler's pdftotext.

            \(ImportExit.help)
            """
    )

    @Argument(help: "The documents: PDF files, or text converted from them.")
    var files: [String]

    @Option(name: [.customShort("o"), .long], help: "The directory to write the dataset folders into.")
    var output: String

    @Option(name: .long, help: "The dataset id (folder name) when importing one document.")
    var id: String?

    @Flag(name: .long, help: "Replace dataset folders that already exist.")
    var force = false

    @Flag(name: .long, help: "Print each document's full report (the default for a single document).")
    var report = false

    @Flag(name: .long, help: "Print only failures and the summary.")
    var quiet = false

    @Option(name: .long, help: "Documents imported at once (default: one per core).")
    var jobs: Int?

    @Flag(name: .long, help: "Print how the tables are laid out (columns, placed words) instead of importing.")
    var layout = false

    func validate() throws {
        if id != nil && files.count > 1 { throw ValidationError("--id names one dataset: give one file") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs expects 1 or more") }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: output)
        let urls = files.map { URL(fileURLWithPath: $0) }
        if layout {
            for url in urls {
                do throws(ImportError) { Console.write(try BudgetImporter.layout(of: url)) } catch {
                    Console.error("bql import: " + error.message)
                    throw ExitCode(ImportExit.code(error))
                }
            }
            return
        }
        let progress = ImportProgress(total: urls.count, enabled: isatty(STDERR_FILENO) == 1 && urls.count > 1)
        let results = ImportBatch.run(urls, workers: jobs ?? ProcessInfo.processInfo.activeProcessorCount) {
            url in
            progress.started(url.lastPathComponent)
            let outcome: Result<ImportResult, ImportError>
            do throws(ImportError) {
                outcome = .success(
                    try BudgetImporter.importDocument(
                        url, into: directory, options: ImportOptions(replace: force, id: id)))
            } catch {
                outcome = .failure(error)
            }
            progress.finished()
            return outcome
        }
        progress.clear()
        var failures: [ImportError] = []
        for (url, result) in zip(urls, results) {
            switch result {
            case .success(let r):
                if (report || urls.count == 1) && !quiet {
                    Console.write(r.report + "\n")
                } else if !quiet {
                    Console.write(summaryLine(r) + "\n")
                }
            case .failure(let e):
                failures.append(e)
                Console.error("bql import: " + (e.file.isEmpty ? "\(url.lastPathComponent): " : "") + e.message)
            }
        }
        if urls.count > 1 {
            let ok = urls.count - failures.count
            Console.error(
                "\(ok) of \(urls.count) document\(urls.count == 1 ? "" : "s") imported into \(directory.path)"
                    + (failures.isEmpty ? "" : "; \(failures.count) failed"))
        }
        guard let first = failures.first else { return }
        let codes = Set(failures.map(ImportExit.code))
        throw ExitCode(codes.count == 1 ? ImportExit.code(first) : ImportExit.mixed)
    }

    func summaryLine(_ r: ImportResult) -> String {
        let coverage =
            r.figuresSeen == 0 ? 0 : Double(r.figuresPlaced + r.figuresConfirmed) / Double(r.figuresSeen) * 100
        let c = r.contradictions.count
        return "\(r.file) → \(r.folder?.path ?? r.id): \(r.department.name) \(r.department.year), "
            + "\(r.tables.count) tables, \(r.figuresPlaced) figures placed (\(String(format: "%.1f", coverage))% accounted for), "
            + "\(c) contradiction\(c == 1 ? "" : "s") of the document, \(String(format: "%.2f", r.seconds)) s"
    }
}

/// Runs imports on several threads, results in the order of the files.
enum ImportBatch {
    static func run(
        _ urls: [URL], workers: Int, _ body: @escaping @Sendable (URL) -> Result<ImportResult, ImportError>
    ) -> [Result<ImportResult, ImportError>] {
        let slots = ResultBox(count: urls.count)
        let workers = max(1, min(workers, urls.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = slots.take() { slots.store(i, body(urls[i])) }
        }
        return slots.results()
    }

    /// The next file to import and the results so far.
    ///
    /// `@unchecked Sendable`: every stored property is read and written only with `lock` held.
    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var slots: [Result<ImportResult, ImportError>?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < slots.count else { return nil }
            next += 1
            return next - 1
        }

        func store(_ i: Int, _ r: Result<ImportResult, ImportError>) {
            lock.lock()
            slots[i] = r
            lock.unlock()
        }

        func results() -> [Result<ImportResult, ImportError>] {
            lock.lock()
            defer { lock.unlock() }
            return slots.map { $0 ?? .failure(.unreadable(file: "", reason: "not imported")) }
        }
    }
}

/// A progress bar on standard error: documents done of all, and the file being read.
///
/// `@unchecked Sendable`: every stored property is read and written only with `lock` held.
final class ImportProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let enabled: Bool
    private var done = 0
    private var current = ""

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func started(_ file: String) {
        lock.lock()
        current = file
        draw()
        lock.unlock()
    }

    func finished() {
        lock.lock()
        done += 1
        draw()
        lock.unlock()
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private func draw() {
        guard enabled else { return }
        let width = 24
        let filled = total == 0 ? 0 : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let name = current.count > 40 ? "…" + current.suffix(39) : current
        FileHandle.standardError.write(Data("\r\u{1B}[K\(bar) \(done)/\(total) \(name)".utf8))
    }
}
