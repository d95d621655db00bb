// InstallTests: issue 17's install and embedding — `make install PREFIX=…` puts a `bql` that
// works from any directory with its datasets, `--version` and completion scripts, the bundled
// catalog from the library, values and rows that print as a user reads them, and the README's
// embedding example, which is `Examples/Embedding` and runs.

import BudgetQL
import BudgetTestSupport
import BundledDatasets
import Foundation
import Testing

/// Runs `executable` with `arguments` in `directory`, without BQL_DATA.
func runProgram(_ executable: String, _ arguments: [String], directory: URL) throws -> RunResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["BQL_DATA"] = nil
    env["NO_COLOR"] = "1"
    env["BQL_CACHE_DIR"] = Repo.testCache.path
    p.environment = env
    let (out, err) = (Pipe(), Pipe())
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(
        stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
        status: p.terminationStatus)
}

@Suite struct InstallTests {
    @Test func makeInstallPutsAWorkingBqlUnderPrefix() throws {
        let prefix = try Scratch()
        let elsewhere = try Scratch()
        // The bql the tests run is already built: install it without building again (a build
        // inside `swift test` would wait on the build directory's lock).
        let config = Repo.bql.deletingLastPathComponent().lastPathComponent
        let make = try runProgram(
            "/usr/bin/env",
            ["make", "-s", "install", "PREFIX=\(prefix.url.path)", "CONFIG=\(config)", "INSTALL_BUILD=no"],
            directory: Repo.root)
        #expect(make.status == 0, "\(make)")
        let bql = prefix.path("bin/bql")
        #expect(FileManager.default.isExecutableFile(atPath: bql))
        #expect(FileManager.default.fileExists(atPath: prefix.path("share/bql/Datasets/anshan-2025/department.csv")))
        let r = try runProgram(bql, ["-e", "departments | select name"], directory: elsewhere.url)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("name\n鞍山市医疗保障局\n"), "\(r)")
        // It reads the installed datasets, not the repository's.
        let show = try runProgram(bql, ["-e", ".show"], directory: elsewhere.url)
        #expect(show.stdout.contains("data: \(prefix.url.path)/share/bql/Datasets"), "\(show)")
    }

    @Test func versionAndCompletionScripts() throws {
        let version = try runBQL(["--version"])
        #expect(version.status == 0 && version.stdout.split(separator: ".").count == 3, "\(version)")
        for (shell, marker) in [
            ("bash", "complete -o filenames -F _bql bql"), ("zsh", "#compdef bql"), ("fish", "complete -c 'bql'"),
        ] {
            let r = try runBQL(["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stdout.contains(marker), "\(shell): \(r.stdout.prefix(200)) \(r.stderr)")
            #expect(r.stdout.contains("max-rows") && r.stdout.contains("units"), "\(shell)")
        }
    }

    @Test func theBundledCatalogIsReachableFromTheLibrary() throws {
        let catalog = try Catalog.bundled()
        #expect(catalog.budgets.count == Repo.catalog.budgets.count)
        #expect(BundledDatasets.directory != nil)
    }

    @Test func valuesAndRowsPrintAsAUserReadsThem() throws {
        #expect("\(Value.decimal(ExactDecimal("26260.00")!))" == "26260.00")
        #expect("\(Value.text("抚顺市医疗保障事务服务中心"))" == "抚顺市医疗保障事务服务中心")
        #expect("\(Value.null)" == "NULL" && "\(Value.integer(3))" == "3" && "\(Value.bool(true))" == "true")
        #expect("\([Value.decimal(ExactDecimal("1.50")!), .text("a")])" == "[1.50, a]")
        var s = Session(catalog: Repo.catalog)
        let r = try s.query("departments | select name, total | take 1")
        let row = try #require(r.namedRows.first)
        #expect(row["total"] == .decimal(ExactDecimal("2220.40")!))
        #expect(row["name"]?.text == "鞍山市医疗保障局")
        #expect(row["nope"] == nil)
        #expect(row[1] == row["total"])
        #expect("\(row)" == "name: 鞍山市医疗保障局, total: 2220.40")
        #expect(r.column("total")?.count == 1)
    }

    @Test func theReadmeEmbeddingExampleIsTheExampleProgramAndPrintsReadableRows() throws {
        let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Embedding").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```swift\n").dropFirst().first)
            .components(separatedBy: "```").first!
        let example = try String(
            contentsOf: Repo.root.appendingPathComponent("Examples/Embedding/main.swift"), encoding: .utf8)
        // The program is the README's code after its header comment.
        let code = example.split(separator: "\n", omittingEmptySubsequences: false).drop {
            $0.hasPrefix("//") || $0.isEmpty
        }
        .joined(separator: "\n")
        let shown = block.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("// ") }
            .joined(separator: "\n")
        #expect(code == shown, "README:\n\(shown)\nExamples/Embedding/main.swift:\n\(code)")
        let binary = Repo.bql.deletingLastPathComponent().appendingPathComponent("embedding-example")
        let r = try runProgram(binary.path, [], directory: FileManager.default.temporaryDirectory)
        #expect(r.status == 0, "\(r)")
        #expect(!r.stdout.contains("BudgetQL.Value") && !r.stdout.contains("Optional("), "\(r.stdout)")
        // The output the README shows, in the README's comments.
        let printed = block.split(separator: "\n").filter { $0.hasPrefix("// ") }.map { String($0.dropFirst(3)) }
        #expect(printed.joined(separator: "\n") + "\n" == r.stdout, "\(r.stdout)")
    }
}
