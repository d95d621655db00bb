// ImportError: why a document could not be imported. Every case names the file; the importer
// throws these and never prints or exits (the `bql import` command maps them to exit codes).

/// Why a document could not be imported.
public enum ImportError: Error, Sendable, Equatable {
    /// The file does not exist or cannot be read.
    case unreadable(file: String, reason: String)
    /// The file is empty (zero bytes).
    case emptyFile(file: String)
    /// The file is neither a PDF nor UTF-8 (or GB 18030) text.
    case unsupportedFormat(file: String)
    /// The PDF is encrypted with a password poppler cannot open.
    case encrypted(file: String)
    /// The PDF ends before its end-of-file marker: the download or copy was cut short.
    case truncated(file: String)
    /// The PDF's structure is damaged beyond what poppler can read.
    case damaged(file: String, detail: String)
    /// The PDF has pages but no text layer: a scan, which would need OCR.
    case imageOnly(file: String, pages: Int)
    /// The document has text, but no table of a 部门预算 was found in it.
    case notABudget(file: String)
    /// The budget's tables were found, but every one of them is empty.
    case emptyTables(file: String, tables: [String])
    /// `pdftotext` (Debian package poppler-utils) is not installed or failed to start.
    case pdftotextUnavailable(detail: String)
    /// The dataset could not be written (or the written dataset failed to load back).
    case writeFailed(file: String, detail: String)
    /// The output folder already exists and `--force` was not given.
    case outputExists(file: String, folder: String)

    /// The file the error is about (empty for `pdftotextUnavailable`).
    public var file: String {
        switch self {
        case .unreadable(let file, _), .emptyFile(let file), .unsupportedFormat(let file), .encrypted(let file),
            .truncated(let file), .damaged(let file, _), .imageOnly(let file, _), .notABudget(let file),
            .emptyTables(let file, _), .writeFailed(let file, _), .outputExists(let file, _):
            return file
        case .pdftotextUnavailable:
            return ""
        }
    }

    /// A one-line message naming the file.
    public var message: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read the file: \(reason)"
        case .emptyFile(let file): return "\(file): empty file (0 bytes)"
        case .unsupportedFormat(let file):
            return "\(file): not a PDF and not UTF-8 or GB 18030 text: cannot read it as a budget document"
        case .encrypted(let file): return "\(file): encrypted PDF: it needs a password to open"
        case .truncated(let file):
            return "\(file): truncated PDF: it ends before its %%EOF marker (an incomplete download or copy)"
        case .damaged(let file, let detail): return "\(file): damaged PDF: \(detail)"
        case .imageOnly(let file, let pages):
            return
                "\(file): scanned PDF, OCR is not supported: \(pages) page\(pages == 1 ? "" : "s") with no text layer"
        case .notABudget(let file):
            return "\(file): not a budget: no table of a 部门预算 (收支总表, 支出表, 三公经费 …) was found"
        case .emptyTables(let file, let tables):
            return "\(file): every budget table is empty (\(tables.joined(separator: ", ")))"
        case .pdftotextUnavailable(let detail):
            return "pdftotext is not available (install poppler-utils): \(detail)"
        case .writeFailed(let file, let detail): return "\(file): could not write the dataset: \(detail)"
        case .outputExists(let file, let folder):
            return "\(file): \(folder) already exists (use --force to replace it)"
        }
    }
}
