// PDFReader: a PDF's text layer as words with page and box, through poppler's `pdftotext -tsv`
// run as a child process. It tells the bad inputs apart — empty, truncated, encrypted, damaged,
// image-only — before any table is looked for.

import Foundation

/// Reads the words of a PDF's text layer with `pdftotext -tsv`.
enum PDFReader {
    /// Whether `bytes` (the start of a file) is a PDF: `%PDF-` within its first 1 KB.
    static func isPDF(_ head: Data) -> Bool {
        let marker = Data("%PDF-".utf8)
        return head.prefix(1024).range(of: marker) != nil
    }

    /// Whether a PDF's last 4 KB hold its `%%EOF` marker (a cut-short file does not).
    static func hasEndMarker(_ data: Data) -> Bool {
        data.suffix(4096).range(of: Data("%%EOF".utf8)) != nil
    }

    /// The words of every page of the PDF at `url`, and the number of pages.
    static func words(of url: URL, file: String, data: Data) throws(ImportError) -> (words: [Word], pages: Int) {
        guard hasEndMarker(data) else { throw .truncated(file: file) }
        let run = try ProcessRunner.run("pdftotext", arguments: ["-tsv", "-enc", "UTF-8", url.path, "-"])
        if run.status != 0 {
            let detail = run.stderr.split(separator: "\n").last.map(String.init) ?? "pdftotext exit \(run.status)"
            if run.stderr.contains("Incorrect password") || run.status == 3 { throw .encrypted(file: file) }
            throw .damaged(file: file, detail: detail)
        }
        let parsed = parseTSV(run.stdout)
        if parsed.pages == 0 {
            let detail = run.stderr.split(separator: "\n").first.map(String.init) ?? "no page could be read"
            throw .damaged(file: file, detail: detail)
        }
        if parsed.words.isEmpty { throw .imageOnly(file: file, pages: parsed.pages) }
        return parsed
    }

    /// Parses `pdftotext -tsv` output: level-5 rows are words (`left top width height … text`).
    static func parseTSV(_ tsv: Data) -> (words: [Word], pages: Int) {
        var words: [Word] = []
        var pages = 0
        let text = String(decoding: tsv, as: UTF8.self)
        for row in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let cells = row.split(separator: "\t", maxSplits: 11, omittingEmptySubsequences: false)
            guard cells.count == 12 else { continue }
            if cells[0] == "1" {
                pages = max(pages, Int(cells[1]) ?? 0)
                continue
            }
            guard cells[0] == "5", let page = Int(cells[1]), let left = Double(cells[6]), let top = Double(cells[7]),
                let width = Double(cells[8]), let height = Double(cells[9])
            else { continue }
            let word = String(cells[11]).trimmingCharacters(in: .whitespaces)
            if word.isEmpty { continue }
            words.append(Word(text: word, page: page, x0: left, x1: left + width, y0: top, y1: top + height))
        }
        return (words, pages)
    }
}

/// Runs a command-line tool and collects its output.
enum ProcessRunner {
    /// What a finished process gave.
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs `tool` (looked up on `PATH`) with `arguments`. Standard error goes through a
    /// temporary file so that a flood of warnings can never block the pipe of standard output.
    static func run(_ tool: String, arguments: [String]) throws(ImportError) -> Result {
        guard let executable = locate(tool) else {
            throw .pdftextUnavailableError("\(tool) was not found on PATH")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bql-import-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        guard let errHandle = try? FileHandle(forWritingTo: errURL) else {
            throw .pdftextUnavailableError("cannot create a temporary file for \(tool)'s messages")
        }
        process.standardOutput = out
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw .pdftextUnavailableError("\(tool) did not start: \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errHandle.close()
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stdout: data, stderr: err)
    }

    /// The first executable `name` on `PATH` (or the usual system folders).
    static func locate(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}

extension ImportError {
    fileprivate static func pdftextUnavailableError(_ detail: String) -> ImportError {
        .pdftotextUnavailable(detail: detail)
    }
}
