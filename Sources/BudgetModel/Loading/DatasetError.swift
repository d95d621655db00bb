// DatasetError: every way a dataset can fail to load, as a typed value that names the file,
// line and column. Messages are built here and nowhere else.

/// A place in a dataset file.
public struct DataLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file path, as given to the loader.
    public var file: String
    /// Line and column, if the problem is at one place in the file.
    public var position: TextPosition?

    /// Creates a location.
    public init(file: String, position: TextPosition? = nil) {
        self.file = file
        self.position = position
    }

    public var description: String {
        guard let p = position else { return file }
        return "\(file):\(p.line):\(p.column)"
    }
}

/// Why a dataset could not be loaded.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The directory holds no dataset folder (no `datapackage.json` anywhere).
    case noDatasets(directory: String)
    /// A file the format requires is missing.
    case missingFile(DataLocation)
    /// A file or folder that is a symbolic link to nothing.
    case danglingLink(DataLocation)
    /// A FIFO, socket, device or folder where a file must be.
    case notARegularFile(DataLocation)
    /// A file the system cannot read (the reason is the system's).
    case unreadableFile(DataLocation, reason: String)
    /// A folder holding `department.csv` (a dataset) without a `datapackage.json`.
    case missingDescriptor(DataLocation)
    /// A CSV file whose last line has no line end: it may have been cut short.
    case missingFinalLineEnd(DataLocation)
    /// `datapackage.json` is not valid JSON or does not describe the resource.
    case invalidDescriptor(DataLocation, detail: String)
    /// A byte sequence that is not UTF-8.
    case invalidUTF8(DataLocation)
    /// A quoted CSV field that never ends.
    case unterminatedQuote(DataLocation)
    /// Text after a closing quote.
    case textAfterQuote(DataLocation)
    /// A header names a column the table does not have.
    case unknownColumn(DataLocation, column: String, table: String, suggestion: String?)
    /// A header lacks a column the table has.
    case missingColumn(DataLocation, column: String, table: String)
    /// A row has more or fewer cells than the header.
    case wrongCellCount(DataLocation, expected: Int, found: Int)
    /// A required cell is empty.
    case missingValue(DataLocation, column: String)
    /// A cell that should be a number is not.
    case invalidNumber(DataLocation, column: String, found: String, expected: String)
    /// A cell outside its enumeration.
    case invalidChoice(DataLocation, column: String, found: String, allowed: [String])
    /// A key used twice.
    case duplicateKey(DataLocation, column: String, key: String, firstLine: Int)
    /// A reference to a unit or project that does not exist.
    case unknownReference(DataLocation, column: String, value: String, target: String)
    /// A table that must have exactly one row has another count.
    case wrongRowCount(DataLocation, expected: String, found: Int)
    /// Two datasets share an id.
    case duplicateDataset(id: String, first: String, second: String)

    /// Where the problem is.
    public var location: DataLocation? {
        switch self {
        case .noDatasets, .duplicateDataset: return nil
        case .missingFile(let l), .danglingLink(let l), .notARegularFile(let l), .unreadableFile(let l, _),
            .missingDescriptor(let l), .missingFinalLineEnd(let l), .invalidDescriptor(let l, _), .invalidUTF8(let l),
            .unterminatedQuote(let l),
            .textAfterQuote(let l), .unknownColumn(let l, _, _, _), .missingColumn(let l, _, _),
            .wrongCellCount(let l, _, _), .missingValue(let l, _), .invalidNumber(let l, _, _, _),
            .invalidChoice(let l, _, _, _), .duplicateKey(let l, _, _, _), .unknownReference(let l, _, _, _),
            .wrongRowCount(let l, _, _):
            return l
        }
    }

    /// The message without the location.
    public var message: String {
        switch self {
        case .noDatasets(let dir):
            return "no dataset found in \(dir): expected folders holding a datapackage.json"
        case .missingFile:
            return
                "file is missing: every table of the format must exist (header only if the document has no such table)"
        case .danglingLink:
            return "a symbolic link to a file that does not exist"
        case .notARegularFile:
            return "not a regular file: expected a file of the dataset (a FIFO, device or folder cannot be read)"
        case .unreadableFile(_, let reason):
            return "cannot be read: \(reason)"
        case .missingDescriptor:
            return
                "datapackage.json is missing: a folder holding department.csv is a dataset and must describe its tables"
        case .missingFinalLineEnd:
            return "the file does not end with a line end: its last line may have been cut short"
        case .invalidDescriptor(_, let detail):
            return "invalid datapackage.json: \(detail)"
        case .invalidUTF8:
            return "invalid UTF-8: expected UTF-8 text"
        case .unterminatedQuote:
            return "unterminated quoted field: expected a closing \""
        case .textAfterQuote:
            return "text after a closing quote: expected , or a line end"
        case .unknownColumn(_, let column, let table, let suggestion):
            return "unknown column \"\(column)\" in table \(table)"
                + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
        case .missingColumn(_, let column, let table):
            return "missing column \"\(column)\": table \(table) expects it in the header"
        case .wrongCellCount(_, let expected, let found):
            return "expected \(expected) cells as in the header, found \(found)"
        case .missingValue(_, let column):
            return "column \(column) is empty: expected a value"
        case .invalidNumber(_, let column, let found, let expected):
            return "column \(column): expected \(expected), found \"\(found)\""
        case .invalidChoice(_, let column, let found, let allowed):
            return "column \(column): expected one of \(allowed.joined(separator: ", ")), found \"\(found)\""
        case .duplicateKey(_, let column, let key, let firstLine):
            return "duplicate \(column) \"\(key)\": first used on line \(firstLine)"
        case .unknownReference(_, let column, let value, let target):
            return "column \(column): \"\(value)\" is not in \(target)"
        case .wrongRowCount(_, let expected, let found):
            return "expected \(expected), found \(found) rows"
        case .duplicateDataset(let id, let first, let second):
            return "dataset id \"\(id)\" is used by both \(first) and \(second)"
        }
    }

    /// `file:line:column: message`.
    public var description: String {
        guard let l = location else { return message }
        return "\(l): \(message)"
    }
}
