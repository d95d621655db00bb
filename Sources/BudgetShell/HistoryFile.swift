// HistoryFile: whether the REPL may write its history to a path. Only a file in libedit's own
// format (its first line is libedit's cookie), an empty file or a missing one is written;
// anything else — another program's file, a directory, a device — is left byte for byte as it
// was, and the REPL says so once.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What is at the history path, and so whether history may be loaded from it and saved to it.
public enum HistoryFile: Sendable, Equatable {
    /// Nothing: history starts empty and is saved there.
    case missing
    /// An empty regular file: nothing to load or to lose; history is saved there.
    case empty
    /// libedit's history format: loaded, and saved there.
    case libedit
    /// Anything else: neither loaded nor written. The reason says what it is.
    case foreign(reason: String)

    /// The first line of every file libedit writes (`history_save`).
    public static let cookie = Array("_HiStOrY_V2_\n".utf8)

    /// Whether history is saved to the file.
    public var isWritable: Bool {
        if case .foreign = self { return false }
        return true
    }

    /// Classifies the file at `path` (following symbolic links, as libedit's own reads and
    /// writes do). Reads at most the cookie's length, and never opens a FIFO or a device.
    public static func classify(path: String) -> HistoryFile {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT ? .missing : .foreign(reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return .foreign(reason: "not a regular file") }
        if info.st_size == 0 { return .empty }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .foreign(reason: String(cString: strerror(errno))) }
        defer { _ = close(fd) }
        var head = [UInt8](repeating: 0, count: cookie.count)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n == cookie.count, head == cookie else {
            return .foreign(reason: n < 0 ? String(cString: strerror(errno)) : "not a libedit history file")
        }
        return .libedit
    }
}
