// ScriptTests: scripts and one-shot queries through the real `bql` binary — stop at the first
// error with FILE:LINE:COL and a caret, documented exit codes, stdin, parameters, formats.

import BudgetTestSupport
import Foundation
import Testing

@Suite struct ScriptTests {
    func script(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bql-\(UUID().uuidString).bql")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func errorOnLine3StopsWithLocationCaretAndExitCode2() throws {
        let path = try script(
            """
            # three_public first, then a typo on line 3
            three_public | select dept, total
            projects | where 金额 > 100 and 部门 ~ "鞍山" and amout > 1
            departments | select name
            """)
        let r = try runBQL(["run", path, "--format", "csv"])
        #expect(r.status == 2)
        #expect(
            r.stdout
                == "dept,total\n鞍山市医疗保障局,7.30\n抚顺市医疗保障事务服务中心,4.35\n秦皇岛市海港区医疗保障局,2.44\n乐山市市中区医疗保障局,1.39\n义马市医疗保障局,2.00\n"
        )
        // The caret sits under "amout": 50 display columns in (each 汉字 counts 2), after a 2-space indent.
        #expect(
            r.stderr == "\(path):3:45: error: unknown field \"amout\" in projects; did you mean \"amount\"?\n"
                + "  projects | where 金额 > 100 and 部门 ~ \"鞍山\" and amout > 1\n"
                + String(repeating: " ", count: 52) + "^^^^^\n")
        #expect(!r.stdout.contains("name"), "nothing after the error runs")
    }

    @Test func continueOnErrorRunsTheRest() throws {
        let path = try script("projects | where nope > 1\ndepartments | select name | take 1\n")
        let r = try runBQL(["run", path, "--format", "csv", "--continue-on-error"])
        #expect(r.status == 2)
        #expect(r.stdout == "name\n鞍山市医疗保障局\n")
    }

    @Test func exitCodes() throws {
        #expect(try runBQL(["-e", "departments | take 1", "--format", "csv"]).status == 0)
        #expect(try runBQL(["-e", "departments | where"]).status == 2)
        #expect(try runBQL(["-e", "departments", "--data", "/nonexistent"]).status == 3)
        #expect(try runBQL(["check", "--data", "/nonexistent"]).status == 3)
        #expect(try runBQL(["check", "Datasets"]).status == 0)
        #expect(try runBQL(["--format", "xml", "-e", "departments"]).status == 64)
        #expect(try runBQL(["--help"]).stdout.contains("64 usage error"))
    }

    @Test func theLoadCacheIsWrittenThenReadAndCanBeSkipped() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("bql-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let query = ["-e", "projects | group by dept | agg n = count(), total = sum(amount)", "--format", "csv"]
        // --no-cache neither reads nor writes it.
        let plain = try runBQL(query + ["--no-cache"], environment: ["BQL_CACHE_DIR": cache.path])
        #expect(plain.status == 0)
        #expect(!FileManager.default.fileExists(atPath: cache.path))
        // The first load writes the cache (a store); the second reads it; both answer the same.
        let first = try runBQL(query, environment: ["BQL_CACHE_DIR": cache.path])
        let files = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        #expect(files.count == 1 && files[0].hasPrefix("catalog-") && files[0].hasSuffix(".bqldb"), "\(files)")
        let second = try runBQL(query, environment: ["BQL_CACHE_DIR": cache.path])
        #expect(first.stdout == plain.stdout && second.stdout == plain.stdout)
        #expect(plain.stdout.hasPrefix("dept,n,total\n鞍山市医疗保障局,5,211.11\n"))
        // An empty BQL_CACHE_DIR disables it.
        #expect(try runBQL(query, environment: ["BQL_CACHE_DIR": ""]).stdout == plain.stdout)
    }

    @Test func statementsOnStdin() throws {
        let r = try runBQL(
            ["--format", "csv"], stdin: "let d = departments | where year = 2026\nd | select name, total\n")
        #expect(r.status == 0)
        #expect(r.stdout == "name,total\n抚顺市医疗保障事务服务中心,63564.63\n")
    }

    @Test func parametersFromTheCommandLine() throws {
        let r = try runBQL([
            "-e", "projects | where amount >= $min and dept ~ $who | select name, amount", "--param", "min=1000万",
            "--param", "who=乐山", "--format", "csv",
        ])
        #expect(r.stdout == "name,amount\n城乡居民基本医疗保险,1995.00\n")
        let missing = try runBQL(["-e", "projects | where amount > $min"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("parameter $min is not set"))
    }

    @Test func invalidUTF8OnStdinIsAnError() throws {
        let p = Process()
        p.executableURL = Repo.bql
        p.arguments = []
        let inp = Pipe()
        let err = Pipe()
        p.standardInput = inp
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        inp.fileHandleForWriting.write(Data([0x70, 0xFF, 0xFE, 0x0A]))
        try inp.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        #expect(
            String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("invalid UTF-8"))
    }

    @Test func pipedOutputHasNoColourAndNoTruncation() throws {
        let r = try runBQL(
            ["-e", "projects | where dept ~ \"乐山\" | select content | take 1", "--format", "table"],
            environment: ["NO_COLOR": ""])
        #expect(!r.stdout.contains("\u{1B}["))
        #expect(!r.stdout.contains("…"))
    }
}
