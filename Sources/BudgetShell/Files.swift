// Files: how the shell reads scripts and writes output, with POSIX calls so every failure is a
// typed value carrying the system's reason. Output is opened as a shell redirect opens it
// (through symlinks, onto devices and FIFOs, never replaced by a rename), and script text must
// be UTF-8, with the first invalid byte located by line and column.

import BudgetModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that could not be read or written, and why (the system's reason).
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done: "read" or "write".
    public var operation: String
    /// The path, or a name such as "standard output".
    public var path: String
    /// The system's reason, e.g. "No such file or directory".
    public var reason: String

    /// Creates an error from an `errno` value.
    public init(_ operation: String, _ path: String, errno code: Int32) {
        self.operation = operation
        self.path = path
        reason = String(cString: strerror(code))
    }

    /// Creates an error with a reason of its own.
    public init(_ operation: String, _ path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    /// "cannot read PATH: REASON".
    public var description: String { "cannot \(operation) \(path): \(reason)" }
}

/// Writes all of `bytes` to the descriptor `fd`, retrying after signals; returns the `errno`
/// of a failed write, or nil. SIGPIPE should be ignored by the process (bql does), so that a
/// closed pipe is the error EPIPE rather than the end of the process.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    guard let base = bytes.baseAddress else { return nil }
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, base + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}

private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

private func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress, buffer.count)
}

/// A file opened for writing as the shell's `>` opens it: created if missing, truncated, and
/// written in place — a symlink is followed, a device or FIFO is written to, nothing is renamed.
public final class OutputFile {
    /// The path as given.
    public let path: String
    private var fd: Int32

    /// Opens `path` for writing.
    public init(path: String) throws(FileError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw FileError("write", path, errno: errno) }
        self.fd = fd
    }

    /// Writes `text`.
    public func write(_ text: String) throws(FileError) {
        guard fd >= 0 else { throw FileError("write", path, errno: EBADF) }
        var text = text
        let code = text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
        if let code { throw FileError("write", path, errno: code) }
    }

    /// Closes the file; later writes fail.
    public func close() {
        if fd >= 0 { closeDescriptor(fd) }
        fd = -1
    }

    deinit { close() }
}

/// Reading script files and checking script text.
public enum ScriptText {
    /// The bytes of the file at `path` (a regular file, a device or a FIFO such as `<(…)`);
    /// a directory is refused.
    public static func read(path: String) throws(FileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("read", path, errno: errno) }
        defer { closeDescriptor(fd) }
        return try read(descriptor: fd, name: path)
    }

    /// Everything left to read on the open descriptor `fd` (such as stdin), reported as `name`;
    /// a directory is refused.
    public static func read(descriptor fd: Int32, name: String) throws(FileError) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError("read", name, errno: errno) }
        if info.st_mode & S_IFMT == S_IFDIR { throw FileError("read", name, errno: EISDIR) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { readDescriptor(fd, $0) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("read", name, errno: errno)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Script text whose bytes are not UTF-8.
    public struct InvalidUTF8: Error, Sendable, Equatable, CustomStringConvertible {
        /// The script's name (a file, "stdin" or "-e").
        public var name: String
        /// 1-based line of the first invalid byte.
        public var line: Int
        /// 1-based column (in characters) of the first invalid byte.
        public var column: Int
        /// The invalid byte.
        public var byte: UInt8

        /// "NAME:LINE:COL: error: invalid UTF-8 (byte 0xFF): expected UTF-8 text".
        public var description: String {
            let hex = String(byte, radix: 16, uppercase: true)
            return "\(name):\(line):\(column): error: invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" : "")\(hex)): "
                + "expected UTF-8 text"
        }
    }

    /// `bytes` as text, or the location of the first byte that is not UTF-8. The same check
    /// serves `-e`, stdin, `bql run` files and `.read`, so each reports invalid text alike.
    public static func decode(_ bytes: [UInt8], name: String) throws(InvalidUTF8) -> String {
        guard let bad = UTF8Validation.firstInvalidSequence(in: bytes) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let offset = min(bad.lowerBound, max(0, bytes.count - 1))
        var lineStart = offset
        while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        let line = bytes[..<lineStart].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        throw InvalidUTF8(name: name, line: line, column: column, byte: bytes.isEmpty ? 0 : bytes[offset])
    }
}
