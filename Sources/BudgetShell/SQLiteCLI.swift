// SQLiteCLI: runs the system `sqlite3` command-line shell, to write a SQLite export of a catalog
// (`bql export --sqlite`) and to run translated SQL (the differential tests). No SQLite library
// is linked: the script goes to sqlite3's stdin.

import BudgetQL
import BudgetSQL
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `sqlite3` command-line shell.
public enum SQLiteCLI {
    /// What a run of sqlite3 printed.
    public struct Output: Sendable {
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
        /// Exit status.
        public var status: Int32
    }

    /// Why the shell could not run.
    public enum Failure: Error, CustomStringConvertible, Sendable {
        /// No sqlite3 on the PATH (or at `$BQL_SQLITE3`).
        case notFound
        /// sqlite3 ran and failed.
        case failed(String)
        /// The database could not be put in place; nothing at the path was changed.
        case cannotWrite(FileError)

        public var description: String {
            switch self {
            case .notFound:
                return "the sqlite3 command-line shell was not found (install Debian's sqlite3, or set BQL_SQLITE3)"
            case .failed(let m): return "sqlite3 failed: \(m)"
            case .cannotWrite(let e): return e.description
            }
        }
    }

    /// The sqlite3 executable: `$BQL_SQLITE3`, else the first `sqlite3` on the PATH.
    public static var executable: URL? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["BQL_SQLITE3"], !p.isEmpty { return URL(fileURLWithPath: p) }
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("sqlite3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `sqlite3 ARGUMENTS` with `input` on stdin.
    public static func run(_ arguments: [String], input: String) throws(Failure) -> Output {
        guard let exe = executable else { throw .notFound }
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        let inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        do { try p.run() } catch { throw .failed("\(error)") }
        // Feed stdin and drain both pipes concurrently, so large scripts cannot deadlock. The
        // writer blocks SIGPIPE: if sqlite3 exits early, the write fails with EPIPE (and its exit
        // status says why) instead of the signal ending the host process.
        let stdinHandle = inp.fileHandleForWriting
        let writer = Thread {
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            var text = input
            let failed = text.withUTF8 { writeAll(stdinHandle.fileDescriptor, UnsafeRawBufferPointer($0)) } != nil
            try? stdinHandle.close()
            if failed {
                // Take the SIGPIPE left pending on this thread.
                var none = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &none)
            }
        }
        writer.start()
        let errBox = DataBox()
        let reader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !reader.isFinished || !writer.isFinished { usleep(1000) }
        return Output(
            stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: errBox.data, as: UTF8.self),
            status: p.terminationStatus)
    }

    private final class DataBox: @unchecked Sendable { var data = Data() }

    /// Writes `catalog` as a new SQLite database at `path`, by generating the SQL of
    /// `SQLExport.sqliteScript()` and running sqlite3 on it into a temporary file beside `path`,
    /// which is then put in place. Nothing but a regular file is ever replaced, and that only
    /// with `replacing`: a directory, a symbolic link, a device or (without `replacing`) an
    /// existing file is left as it was and the export fails with `cannotWrite`.
    public static func export(_ catalog: Catalog, to path: String, replacing: Bool = false) throws(Failure) {
        let target = URL(fileURLWithPath: path)
        let temp = target.deletingLastPathComponent().appendingPathComponent(
            ".\(target.lastPathComponent).\(UUID().uuidString).tmp"
        ).path
        let r = try run(["-batch", "-bail", temp], input: SQLExport(catalog: catalog).sqliteScript())
        defer { unlink(temp) }
        guard r.status == 0 else { throw .failed(r.stderr.isEmpty ? "exit status \(r.status)" : r.stderr) }
        // Without `replacing`, link() puts the file in place only if nothing is at `path`.
        // (A file system without hard links gets a rename after checking that nothing is there.)
        if !replacing {
            if link(temp, path) == 0 { return }
            let code = errno
            var existing = stat()
            if code == EEXIST || lstat(path, &existing) == 0 {
                throw .cannotWrite(FileError("write", path, reason: "it exists (pass --force to replace a file)"))
            }
            guard code == EPERM || code == EOPNOTSUPP || code == EMLINK else {
                throw .cannotWrite(FileError("write", path, errno: code))
            }
        }
        var info = stat()
        if lstat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG {
            throw .cannotWrite(FileError("write", path, reason: "not a regular file"))
        }
        guard rename(temp, path) == 0 else { throw .cannotWrite(FileError("write", path, errno: errno)) }
    }

    /// Runs one SQL query on the database at `path` and returns its CSV output (`-csv -header`).
    public static func query(database path: String, _ sql: String) throws(Failure) -> Output {
        try run(["-batch", "-bail", "-csv", "-header", "-readonly", path], input: sql)
    }
}
