// Process helpers: run the built `bql` binary and capture its output and exit code.

import BudgetTestSupport
import Foundation

struct RunResult {
    var stdout: String
    var stderr: String
    var status: Int32
}

/// Runs `bql` with `arguments`, optional stdin text, and extra environment.
func runBQL(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> RunResult {
    let p = Process()
    p.executableURL = Repo.bql
    p.arguments = arguments
    p.currentDirectoryURL = Repo.root
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
        status: p.terminationStatus)
}
