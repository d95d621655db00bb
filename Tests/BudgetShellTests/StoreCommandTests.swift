// StoreCommandTests: `bql build DIR -o FILE.bqldb` and `bql --data FILE.bqldb` through the real
// binary — the same answers as from the CSV, `check` from the store, and the exit codes and
// messages for a damaged, foreign or unwritable store.

import BudgetTestSupport
import Foundation
import Testing

@Suite struct StoreCommandTests {
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "bql-store-cmd-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    }

    @Test func aBuiltStoreAnswersAsTheDatasetsDo() throws {
        let file = Self.temporary("built.bqldb")
        defer { try? FileManager.default.removeItem(at: file) }
        let build = try runBQL(["build", "Datasets", "-o", file.path])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("wrote \(file.path): 5 datasets"), "\(build.stderr)")
        for q in [
            "projects | group by dept | agg n = count(), s = sum(amount)",
            "indicators | where name ~ \"满意度\" | group by project.dept | agg n = count()",
            "checks | group by kind | agg n = count()",
            "departments | where any(projects, amount > 1000) | select name, n = count(projects)",
        ] {
            let fromStore = try runBQL(["--data", file.path, "-e", q, "--format", "csv"])
            let fromCSV = try runBQL(["--data", "Datasets", "--no-cache", "-e", q, "--format", "csv"])
            #expect(fromStore.status == 0 && fromStore.stdout == fromCSV.stdout && !fromCSV.stdout.isEmpty, "\(q)")
        }
        let check = try runBQL(["check", file.path])
        let checkCSV = try runBQL(["check", "Datasets", "--no-cache"])
        #expect(check.status == checkCSV.status && check.stdout == checkCSV.stdout)
    }

    @Test func aDamagedStoreExitsThreeNamingTheDamage() throws {
        let file = Self.temporary("damaged.bqldb")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try runBQL(["build", "Datasets", "-o", file.path]).status == 0)
        var bytes = try [UInt8](Data(contentsOf: file))
        // Truncated: refused at open.
        try Data(bytes[0..<(bytes.count / 2)]).write(to: file)
        let truncated = try runBQL(["--data", file.path, "-e", "departments"])
        #expect(truncated.status == 3)
        #expect(truncated.stderr.contains("is damaged: it is \(bytes.count / 2) bytes long"), "\(truncated.stderr)")
        // A flipped byte in the middle: opens, and the statement that reads it fails.
        bytes[bytes.count / 3] ^= 0xFF
        try Data(bytes).write(to: file)
        let flipped = try runBQL(
            ["--data", file.path, "-e", "departments | agg n = count()"],
            stdin: nil)
        let everything = try runBQL(["--data", file.path], stdin: Self.everyTable)
        #expect(flipped.status == 0 || flipped.status == 3)
        #expect(everything.status == 3, "\(everything.stderr)")
        #expect(everything.stderr.contains("is damaged:"), "\(everything.stderr)")
        // Not a store at all.
        try Data("id,name\n".utf8).write(to: file)
        let foreign = try runBQL(["--data", file.path, "-e", "departments"])
        #expect(foreign.status == 3 && foreign.stderr.contains("is not a BudgetQL store"), "\(foreign.stderr)")
    }

    /// A script that reads every column of every table.
    static let everyTable = """
        departments | select *
        projects | select *
        indicators | select *
        checks | select *
        spending_lines | select *
        economic_lines | select *
        totals | select *
        narrative | select *
        plans | select *
        items | select *
        income | select *
        three_public | select *
        tasks | select *
        assets | select *
        purchase_services | select *
        procurement | select *
        units | select *
        spending | select *
        economic | select *

        """

    @Test func buildRefusesADirectoryAndAnUnwritablePath() throws {
        let dir = Self.temporary("dir")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let onDirectory = try runBQL(["build", "Datasets", "-o", dir.path])
        #expect(onDirectory.status == 74 && onDirectory.stderr.contains("is a directory"), "\(onDirectory.stderr)")
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir.path)).isEmpty)
        let missing = try runBQL(["build", "Datasets", "-o", "/nonexistent/dir/x.bqldb"])
        #expect(missing.status == 74 && missing.stderr.contains("cannot write the store"), "\(missing.stderr)")
        let noData = try runBQL(["build", dir.path + "/none", "-o", dir.appendingPathComponent("x.bqldb").path])
        #expect(noData.status == 3)
    }
}
