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
    /// A file larger than any dataset file can be (`limit` bytes).
    case fileTooLarge(DataLocation, limit: Int)
    /// A folder holding `department.csv` (a dataset) without a `datapackage.json`.
    case missingDescriptor(DataLocation)
    /// A CSV file whose last line has no line end: it may have been cut short.
    case missingFinalLineEnd(DataLocation)
    /// `datapackage.json` is not valid JSON or does not describe the dataset as the schema does.
    case invalidDescriptor(DataLocation, DescriptorProblem)
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
    /// A dataset whose id (department.csv) is not its folder's name.
    case idNotFolderName(DataLocation, id: String, folder: String)
    /// Two datasets share an id.
    case duplicateDataset(id: String, first: String, second: String)

    /// Where the problem is.
    public var location: DataLocation? {
        switch self {
        case .noDatasets, .duplicateDataset: return nil
        case .missingFile(let l), .danglingLink(let l), .notARegularFile(let l), .unreadableFile(let l, _),
            .fileTooLarge(let l, _),
            .missingDescriptor(let l), .missingFinalLineEnd(let l), .invalidDescriptor(let l, _), .invalidUTF8(let l),
            .unterminatedQuote(let l),
            .textAfterQuote(let l), .unknownColumn(let l, _, _, _), .missingColumn(let l, _, _),
            .wrongCellCount(let l, _, _), .missingValue(let l, _), .invalidNumber(let l, _, _, _),
            .invalidChoice(let l, _, _, _), .duplicateKey(let l, _, _, _), .unknownReference(let l, _, _, _),
            .wrongRowCount(let l, _, _), .idNotFolderName(let l, _, _):
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
        case .fileTooLarge(_, let limit):
            return "file is larger than \(limit >> 20) MiB: no dataset file is that large"
        case .missingDescriptor:
            return
                "datapackage.json is missing: a folder holding department.csv is a dataset and must describe its tables"
        case .missingFinalLineEnd:
            return "the file does not end with a line end: its last line may have been cut short"
        case .invalidDescriptor(_, let problem):
            return "invalid datapackage.json: \(problem.message)"
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
        case .idNotFolderName(_, let id, let folder):
            return "column id is \"\(id)\": expected the folder name \"\(folder)\""
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

/// What is wrong with a `datapackage.json`.
public enum DescriptorProblem: Sendable, Equatable {
    /// Not JSON.
    case notJSON
    /// Not an object with a `resources` array.
    case notAnObject
    /// `bql:format` is not the format version this loader reads (`found` as JSON; `nil`: missing).
    case format(found: String?)
    /// The package `name` is not the folder's name (`found` as JSON; `nil`: missing).
    case name(found: String?, folder: String)
    /// A resource whose path is no table of the format (`path` as JSON).
    case unknownResource(path: String)
    /// Two resources with one path.
    case duplicateResource(path: String)
    /// A resource named otherwise than its table.
    case resourceName(path: String, found: String?, expected: String)
    /// A resource's field at `position` (1-based) is not the table's field there.
    case fieldName(path: String, position: Int, found: String?, expected: String)
    /// A resource lists fewer fields than the table has.
    case missingField(path: String, position: Int, expected: String)
    /// A resource lists more fields than the table has.
    case extraField(path: String, position: Int, found: String)
    /// A field typed otherwise than the schema types it.
    case fieldType(path: String, field: String, found: String?, expected: String)
    /// A table of the format that no resource describes.
    case undescribed(path: String)

    /// What is wrong, as a message says it.
    public var message: String {
        switch self {
        case .notJSON:
            return "not valid JSON"
        case .notAnObject:
            return "expected an object with a \"resources\" array"
        case .format(let found):
            return "bql:format is \(found ?? "missing"): this loader reads format \"\(DatasetSchema.version)\""
        case .name(let found, let folder):
            return "name is \(found ?? "missing"): expected the folder name \"\(folder)\""
        case .unknownResource(let path):
            return "resource \(path) is not a table of the format"
        case .duplicateResource(let path):
            return "resource \(path) is described twice"
        case .resourceName(let path, let found, let expected):
            return "resource \(path) is named \(found ?? "nothing"): expected \"\(expected)\""
        case .fieldName(let path, let position, let found, let expected):
            return "resource \(path): field \(position) is \(found ?? "unnamed"): expected \"\(expected)\""
        case .missingField(let path, let position, let expected):
            return "resource \(path): field \(position) is missing: expected \"\(expected)\""
        case .extraField(let path, let position, let found):
            return "resource \(path): field \(position) (\(found)) is not a field of the table"
        case .fieldType(let path, let field, let found, let expected):
            return "resource \(path): field \(field) has type \(found ?? "none"): expected \"\(expected)\""
        case .undescribed(let path):
            return "resource \(path) is not described"
        }
    }
}
