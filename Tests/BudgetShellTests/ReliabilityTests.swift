// ReliabilityTests: the shell and command-line findings of issue 12, each through the real
// `bql` binary — export never destroys a path, `.read` nests boundedly, a `.`-line inside a
// string stays in the string, `.output` writes through symlinks, dot-command failures stop a
// script with the documented code, over-long statements are rejected at once, invalid UTF-8 is
// one error everywhere, and a closed stdout is an exit code, never a signal.

import Foundation
import Testing

/// A temporary directory for one test, removed when the test ends.
final class Scratch {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bql-scratch-\(UUID().uuidString)")

    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
        return path(name)
    }
}

/// The bytes of a file.
func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

/// Where a symbolic link points, or nil when `path` is not one.
func linkTarget(_ path: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: path) }

@Suite struct ReliabilityTests {
    // Finding 4: export --sqlite onto a directory deleted it; a symlink's target was deleted.
    @Test func exportRefusesDirectoriesLinksAndExistingFilesAndLeavesThemIntact() throws {
        let s = try Scratch()
        let fm = FileManager.default
        try fm.createDirectory(atPath: s.path("dir"), withIntermediateDirectories: true)
        try s.write("dir/keep.txt", "keep me")
        try fm.createSymbolicLink(atPath: s.path("link-to-dir"), withDestinationPath: s.path("dir"))
        let existing = try s.write("existing.db", "not a database")
        try fm.createSymbolicLink(atPath: s.path("link-to-file"), withDestinationPath: existing)
        let refusals: [(String, [String], String)] = [
            (s.path("dir"), [], "it is a directory (an export is a file; a directory is never replaced)"),
            (s.path("dir"), ["--force"], "it is a directory (an export is a file; a directory is never replaced)"),
            (s.path("link-to-dir"), ["--force"], "it is a symbolic link (give the path of the file itself)"),
            (s.path("link-to-file"), ["--force"], "it is a symbolic link (give the path of the file itself)"),
            (existing, [], "it exists (pass --force to replace a file)"),
            ("/dev/null", ["--force"], "it is not a regular file (a device or FIFO is never replaced)"),
            (s.path("missing/budget.db"), [], "the directory \(s.path("missing")) does not exist"),
        ]
        for (path, flags, reason) in refusals {
            let r = try runBQL(["export", "--sqlite", path] + flags)
            #expect(r.status == 74 && !r.signalled, "\(path) \(flags): \(r)")
            #expect(r.stderr == "bql: cannot write \(path): \(reason)\n", "\(path) \(flags)")
        }
        // Everything is as it was.
        #expect(bytes(s.path("dir/keep.txt")) == Data("keep me".utf8))
        #expect(linkTarget(s.path("link-to-dir")) == s.path("dir"))
        #expect(linkTarget(s.path("link-to-file")) == existing)
        #expect(bytes(existing) == Data("not a database".utf8))
        #expect(try fm.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType == .typeCharacterSpecial)
        #expect(!fm.fileExists(atPath: s.path("missing")))
        #expect(
            try fm.contentsOfDirectory(atPath: s.url.path).sorted() == [
                "dir", "existing.db", "link-to-dir", "link-to-file",
            ])

        // A new path is written; --force replaces an existing regular file.
        let fresh = try runBQL(["export", "--sqlite", s.path("new.db")])
        #expect(fresh.status == 0, "\(fresh)")
        #expect(bytes(s.path("new.db"))?.prefix(15) == Data("SQLite format 3".utf8))
        let forced = try runBQL(["export", "--sqlite", existing, "--force"])
        #expect(forced.status == 0, "\(forced)")
        #expect(bytes(existing)?.prefix(15) == Data("SQLite format 3".utf8))
        // No temporary file is left behind.
        #expect(try fm.contentsOfDirectory(atPath: s.url.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    // Finding 5: a script that reads itself overflowed the stack (SIGSEGV).
    @Test func aScriptThatReadsItselfStopsAtTheNestingLimit() throws {
        let s = try Scratch()
        let me = s.path("self.bql")
        try s.write("self.bql", "departments | select year | take 1\n.read \(me)\n")
        let r = try runBQL(["run", me, "--format", "csv"])
        #expect(r.status == 2 && !r.signalled)
        #expect(
            r.stderr == "\(me):2:1: error: .read \(me): scripts nest more than 64 deep (does a script read itself?)\n")
        // The outer script and 64 nested ones each ran their first statement, then stopped (the
        // results of a run are one CSV document: a blank line between results).
        #expect(r.stdout == Array(repeating: "year\n2025\n", count: 65).joined(separator: "\n"))

        // Two scripts that read each other.
        try s.write("a.bql", ".read \(s.path("b.bql"))\n")
        try s.write("b.bql", ".read \(s.path("a.bql"))\n")
        let pair = try runBQL(["run", s.path("a.bql")])
        #expect(pair.status == 2 && !pair.signalled)
        #expect(pair.stderr.contains("scripts nest more than 64 deep"))

        // Nesting within the limit works.
        try s.write("level10.bql", "departments | select year | take 1\n")
        for level in (0..<10).reversed() {
            try s.write("level\(level).bql", ".read \(s.path("level\(level + 1).bql"))\n")
        }
        let nested = try runBQL(["run", s.path("level0.bql"), "--format", "csv"])
        #expect(nested.status == 0 && nested.stdout == "year\n2025\n", "\(nested)")
    }

    // Finding 6: a line starting with `.` inside a multi-line string ran as a dot-command.
    @Test func aDotLineInsideAStringStaysInTheString() throws {
        let s = try Scratch()
        let write = try runBQL(
            ["-e", "projects | where name = \"a\n.output x.txt\n\" | agg n = count()", "--format", "csv"],
            directory: s.url)
        #expect(write.status == 0 && write.stdout == "n\n0\n", "\(write)")
        #expect(!FileManager.default.fileExists(atPath: s.path("x.txt")))
        let read = try runBQL(
            ["-e", "projects | where name = '\n.read /etc/passwd\n' | agg n = count()", "--format", "csv"],
            directory: s.url)
        #expect(read.status == 0 && read.stdout == "n\n0\n" && read.stderr.isEmpty, "\(read)")
        // Inside brackets, or after a trailing operator, a `.` line belongs to the statement.
        let bracket = try runBQL(["-e", "projects | where name in (\n.output y.txt\n)"], directory: s.url)
        #expect(bracket.status == 2 && bracket.stderr.contains("-e:2:1: error:"), "\(bracket)")
        #expect(!FileManager.default.fileExists(atPath: s.path("y.txt")))
        let number = try runBQL(
            ["-e", "projects | where amount >\n.5 | agg n = count()", "--format", "csv"], directory: s.url)
        #expect(number.status == 0 && number.stdout == "n\n42\n", "\(number)")
        // At the start of a statement a dot-command still runs, in order.
        let mode = try runBQL(
            [
                "-e", "departments | select year | take 1\n.mode json\ndepartments | select year | take 1", "--format",
                "csv",
            ]
        )
        #expect(mode.status == 0 && mode.stdout.hasPrefix("year\n2025\n[\n  {\n"), "\(mode)")
        #expect(
            mode.stdout.contains("\"line\": 3,") && mode.stdout.hasSuffix("{\"year\":2025}\n    ]\n  }\n]\n"), "\(mode)"
        )
        // Also on stdin and in files.
        let piped = try runBQL(
            ["--format", "csv"], stdin: "projects | where name = \"\n.output z.txt\n\" | agg n = count()\n",
            directory: s.url)
        #expect(piped.status == 0 && piped.stdout == "n\n0\n")
        #expect(!FileManager.default.fileExists(atPath: s.path("z.txt")))
    }

    // Finding 7: `.output PATH` renamed a temporary file over PATH (a symlink became a file).
    @Test func outputWritesThroughASymlinkAndOntoADevice() throws {
        let s = try Scratch()
        let target = try s.write("target.csv", "old contents that are longer than the new ones\n")
        try FileManager.default.createSymbolicLink(atPath: s.path("link.csv"), withDestinationPath: target)
        let r = try runBQL([
            "-e", ".output \(s.path("link.csv"))\ndepartments | select year | take 1", "--format", "csv",
        ])
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r)")
        #expect(bytes(target) == Data("year\n2025\n".utf8))
        #expect(linkTarget(s.path("link.csv")) == target)
        // A device is written to, never replaced.
        let device = try runBQL(["-e", ".output /dev/null\ndepartments | select year | take 1"])
        #expect(device.status == 0 && device.stdout.isEmpty)
        #expect(
            try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
                == .typeCharacterSpecial)
    }

    // Finding 8: errors inside `.read`, a missing `.read` file, a failed `.output` or `.data`
    // all went on and exited 0.
    @Test func dotCommandFailuresStopAScriptWithTheDocumentedCode() throws {
        let s = try Scratch()
        let inner = try s.write("inner.bql", "projects | where nope > 1\n")
        let after = "\ndepartments | select year | take 1\n"
        let cases: [(String, Int32, String)] = [
            (".read \(inner)", 2, "\(inner):1:18: error: unknown field \"nope\" in projects"),
            (
                ".read \(s.path("missing.bql"))", 2,
                ":1:1: error: cannot read \(s.path("missing.bql")): No such file or directory"
            ),
            (".read \(s.url.path)", 2, "cannot read \(s.url.path): Is a directory"),
            (
                ".output \(s.path("missing/out.csv"))", 74,
                "error: cannot write \(s.path("missing/out.csv")): No such file or directory"
            ),
            (".data \(s.path("nothing"))", 3, ":1:1: error: data error:"),
            (".mode xml", 2, ":1:1: error: unknown mode xml; .mode expects one of"),
            (".frobnicate", 2, ":1:1: error: unknown command .frobnicate"),
            (".schema nosuchtable", 2, ":1:1: error: unknown table nosuchtable"),
        ]
        for (command, code, message) in cases {
            let script = try s.write("outer.bql", command + after)
            for r in [
                try runBQL(["run", script, "--format", "csv"]),
                try runBQL(["-e", command + after, "--format", "csv"]),
                try runBQL(["--format", "csv"], stdin: command + after),
            ] {
                #expect(r.status == code && !r.signalled, "\(command): \(r)")
                #expect(r.stderr.contains(message), "\(command): \(r.stderr)")
                #expect(r.stdout.isEmpty, "\(command): nothing after the failure runs")
            }
        }
        // --continue-on-error goes on, and still exits with the failure's code.
        let going = try runBQL([
            "-e", ".read \(s.path("missing.bql"))" + after, "--format", "csv", "--continue-on-error",
        ])
        #expect(going.status == 2 && going.stdout == "year\n2025\n", "\(going)")
        // The codes are documented.
        let help = try runBQL(["--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(help.contains("2 query error") && help.contains("3 data error") && help.contains("74 output error"))
    }

    // Finding 12: a 50 MB query took 7–19 s and 1 GB to reject and echoed 100 MB of carets.
    @Test func aFiftyMegabyteQueryIsRejectedWithAShortMessage() throws {
        let s = try Scratch()
        let query = "projects | where name = \"" + String(repeating: "医", count: 17_000_000) + "\"\n"
        let path = try s.write("big.bql", query)
        let start = ContinuousClock.now
        let r = try runBQL(["run", path])
        let elapsed = ContinuousClock.now - start
        #expect(r.status == 2 && !r.signalled)
        #expect(r.stderr == "\(path):1:1: error: query is too long: the limit is 262144 bytes per statement\n")
        // Loading the data and reading 50 MB take part of this; the rejection itself is timed
        // in ShellReliabilityTests. Before the fix this took 7–19 s in release builds.
        #expect(elapsed < .seconds(10), "\(elapsed)")
        let piped = try runBQL([], stdin: query)
        #expect(piped.status == 2)
        #expect(piped.stderr == "stdin:1:1: error: query is too long: the limit is 262144 bytes per statement\n")
    }

    // Finding 13: the limit applied to the whole script, which failed at line 14,564.
    @Test func aScriptOfOneHundredThousandStatementsRuns() throws {
        let s = try Scratch()
        let script =
            "# 100,000 statements: 99,999 bindings and a query of the last\n"
            + String(repeating: "let d = departments | where year = 2025\n", count: 99_999)
            + "d | agg n = count()\n"
        #expect(script.utf8.count > 4_000_000)
        let path = try s.write("many.bql", script)
        let r = try runBQL(["run", path, "--format", "csv"])
        #expect(r.status == 0 && r.stdout == "n\n4\n" && r.stderr.isEmpty, "\(r.stderr.prefix(500))")
        // One over-long statement among them is reported at its own line.
        let long = "departments | where name = \"" + String(repeating: "x", count: 300_000) + "\"\n"
        let bad = try s.write(
            "bad.bql", String(repeating: "departments | select year | take 1\n", count: 20_000) + long)
        let failed = try runBQL(["run", bad])
        #expect(failed.status == 2)
        #expect(failed.stderr == "\(bad):20001:1: error: query is too long: the limit is 262144 bytes per statement\n")
        #expect(failed.stdout.isEmpty, "a statement too long is found before anything runs")
    }

    // Finding 14: invalid UTF-8 was replaced silently in -e, but rejected on stdin and in files.
    @Test func invalidUTF8IsTheSameErrorInDashEOnStdinAndInFiles() throws {
        let s = try Scratch()
        // printf writes the byte 0xFF (octal 377) inside the quotes of `projects | where name = "…"`.
        let printf = #"printf 'projects | where name = "\377"'"#
        #expect(try runShell(printf + " > q.bql", directory: s.url).status == 0)
        let e = try runShell(#"exec "$0" -e "$("# + printf + #")""#, directory: s.url)
        let stdin = try runShell(#"exec "$0" < q.bql"#, directory: s.url)
        let file = try runShell(#"exec "$0" run q.bql"#, directory: s.url)
        let sql = try runShell(#"exec "$0" sql "$("# + printf + #")""#, directory: s.url)
        let message = ":1:26: error: invalid UTF-8 (byte 0xFF): expected UTF-8 text\n"
        #expect(e.status == 2 && e.stderr == "-e" + message, "\(e)")
        #expect(stdin.status == 2 && stdin.stderr == "stdin" + message, "\(stdin)")
        #expect(file.status == 2 && file.stderr == "q.bql" + message, "\(file)")
        #expect(sql.status == 2 && sql.stderr == "sql" + message, "\(sql)")
        // A U+FFFD typed as such is text like any other.
        let replacement = try runBQL([
            "-e", "projects | where name = \"\u{FFFD}\" | agg n = count()", "--format", "csv",
        ])
        #expect(replacement.status == 0 && replacement.stdout == "n\n0\n")
    }

    // Finding 15: `bql -e projects >&-` ended with SIGILL; a closed pipe with SIGPIPE; reading a
    // directory as stdin with SIGILL too.
    @Test func aClosedOrBrokenStdoutIsAnExitCodeNotASignal() throws {
        let closed = try runShell(#"exec "$0" -e projects >&-"#)
        #expect(closed.status == 74 && !closed.signalled, "\(closed)")
        #expect(closed.stderr == "bql: cannot write standard output: Bad file descriptor\n")
        // A reader that has gone: `true` exits at once, so bql's first write meets a closed pipe.
        let broken = try runShell(#""$0" -e projects --format csv | true; exit 0"#)
        #expect(broken.stderr == "bql: cannot write standard output: Broken pipe\n", "\(broken)")
        let status = try runShell(#"{ "$0" -e projects --format csv; echo "status $?" >&2; } | true"#)
        #expect(status.stderr.hasSuffix("status 74\n"), "\(status)")
        // An unreadable stdin (here a directory) is an error too, not a trap in Foundation.
        for command in [#"exec "$0" < /"#, #"exec "$0" sql < /"#] {
            let r = try runShell(command)
            #expect(r.status == 2 && !r.signalled && r.stderr == "bql: cannot read stdin: Is a directory\n", "\(r)")
        }
        // A closed stdout does not hurt a command that writes only to files and stderr.
        let s = try Scratch()
        let export = try runShell(#"exec "$0" export --sqlite out.db >&-"#, directory: s.url)
        #expect(export.status == 0, "\(export)")
    }
}
