// StoreError: every way a catalog store (`.bqldb`) can fail to open, to be read or to be written,
// naming the file and what was wrong. Messages are built in one place (`description`).

/// Why a catalog store could not be opened, read or written.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (`reason` is the system's).
    case unreadable(path: String, reason: String)
    /// The path is a directory, a FIFO or a device, not a store file.
    case notARegularFile(path: String)
    /// The file does not start with the store's magic bytes: it is some other file.
    case notAStore(path: String)
    /// The file is a store of another format version.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The store was built by a `bql` whose tables or fields differ from this one's.
    case otherSchema(path: String)
    /// The file is shorter or longer than its header says.
    case wrongSize(path: String, expected: UInt64, actual: UInt64)
    /// A part of the file fails its checksum or holds impossible values.
    case damaged(path: String, part: String, detail: String)
    /// A part of the load cache (a store in the cache directory) fails its checksum or holds
    /// impossible values. The cache file has been removed; the next run rebuilds it from CSV.
    case cacheDamaged(path: String, part: String, detail: String)
    /// The store could not be written.
    case unwritable(path: String, reason: String)
    /// The catalog is too large for the format (a count past its limits).
    case tooLarge(what: String)

    /// The message shown to a user.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read the store \(path): \(reason)"
        case .notARegularFile(let path): return "\(path) is not a store file (a directory, FIFO or device)"
        case .notAStore(let path):
            return "\(path) is not a BudgetQL store (build one with `bql build DIR -o FILE.bqldb`)"
        case .unsupportedVersion(let path, let found, let supported):
            return
                "the store \(path) has format version \(found); this bql reads version \(supported): rebuild it with `bql build`"
        case .otherSchema(let path):
            return "the store \(path) was built by a bql with other tables or fields: rebuild it with `bql build`"
        case .wrongSize(let path, let expected, let actual):
            return
                "the store \(path) is damaged: it is \(actual) bytes long, its header says \(expected) (truncated or extended)"
        case .damaged(let path, let part, let detail):
            return "the store \(path) is damaged: \(part): \(detail); rebuild it with `bql build`"
        case .cacheDamaged(let path, let part, let detail):
            return
                "the load cache \(path) is damaged: \(part): \(detail); it has been removed, and the next run rebuilds it from the CSV files"
        case .unwritable(let path, let reason): return "cannot write the store \(path): \(reason)"
        case .tooLarge(let what): return "the catalog is too large for the store format: \(what)"
        }
    }
}
