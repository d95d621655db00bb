// SQLiteCLI: runs the system `sqlite3` command-line shell, to write a SQLite export of a catalog
// (`bql export --sqlite`) and to run translated SQL (the differential tests). No SQLite library
// is linked: the script goes to sqlite3's stdin.

import BudgetQL
import BudgetSQL
import Foundation

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

        public var description: String {
            switch self {
            case .notFound:
                return "the sqlite3 command-line shell was not found (install Debian's sqlite3, or set BQL_SQLITE3)"
            case .failed(let m): return "sqlite3 failed: \(m)"
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
        // Feed stdin and drain both pipes concurrently, so large scripts cannot deadlock.
        let writer = Thread {
            inp.fileHandleForWriting.write(Data(input.utf8))
            try? inp.fileHandleForWriting.close()
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

    /// Writes `catalog` to a new SQLite database at `path` (replacing any file there), by
    /// generating the SQL of `SQLExport.sqliteScript()` and running sqlite3 on it.
    public static func export(_ catalog: Catalog, to path: String) throws(Failure) {
        let target = URL(fileURLWithPath: path)
        let temp = target.deletingLastPathComponent().appendingPathComponent(
            ".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try? FileManager.default.removeItem(at: temp)
        let r = try run(["-batch", "-bail", temp.path], input: SQLExport(catalog: catalog).sqliteScript())
        guard r.status == 0 else {
            try? FileManager.default.removeItem(at: temp)
            throw .failed(r.stderr.isEmpty ? "exit status \(r.status)" : r.stderr)
        }
        do {
            if FileManager.default.fileExists(atPath: target.path) {
                _ = try FileManager.default.replaceItemAt(target, withItemAt: temp)
            } else {
                try FileManager.default.moveItem(at: temp, to: target)
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw .failed("cannot write \(path): \(error)")
        }
    }

    /// Runs one SQL query on the database at `path` and returns its CSV output (`-csv -header`).
    public static func query(database path: String, _ sql: String) throws(Failure) -> Output {
        try run(["-batch", "-bail", "-csv", "-header", "-readonly", path], input: sql)
    }
}
