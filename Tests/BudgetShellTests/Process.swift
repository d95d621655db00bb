// Process helpers: run the built `bql` binary and capture its output and exit code.

import BudgetTestSupport
import Foundation

struct RunResult {
    var stdout: String
    var stderr: String
    /// The exit status, or the signal's number when `signalled`.
    var status: Int32
    /// Whether the process ended by a signal rather than exiting.
    var signalled = false
}

/// Runs `bql` with `arguments`, optional stdin text, and extra environment, in `directory`
/// (the repository root by default).
func runBQL(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: URL? = nil
) throws -> RunResult {
    try run(Repo.bql, arguments, stdin: stdin, environment: environment, directory: directory)
}

/// Runs `/bin/sh -c script` with `$0` set to the `bql` binary, for what Process cannot
/// express: closed descriptors, argument bytes that are not UTF-8.
func runShell(_ script: String, environment: [String: String] = [:], directory: URL? = nil) throws -> RunResult {
    try run(
        URL(fileURLWithPath: "/bin/sh"), ["-c", script, Repo.bql.path], stdin: nil, environment: environment,
        directory: directory)
}

private func run(
    _ executable: URL, _ arguments: [String], stdin: String?, environment: [String: String], directory: URL?
) throws -> RunResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    p.currentDirectoryURL = directory ?? Repo.root
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    // The load cache goes to a directory of the test run, never to the user's ~/.cache.
    env["BQL_CACHE_DIR"] = Repo.testCache.path
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    let inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(
        stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
        status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal)
}
