// BuildCommand: `bql build DIR -o FILE.bqldb` — loads a datasets directory and writes it as one
// store file (docs/STORAGE.md) that `bql --data FILE.bqldb` opens without parsing any CSV.

import ArgumentParser
import BudgetModel
import BudgetQL
import Foundation

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Write a datasets directory as one store file that opens instantly.",
        discussion: """
            Loads every dataset under DIR (checking it as any load does) and writes the catalog — \
            every table's columns, the relations, the check findings and the budget model — to \
            FILE, which `bql --data FILE -e …` then opens without reading CSV: columns are read \
            from the file when a query first needs them. FILE is replaced only when the new store \
            is complete. Exit codes: 0 written, 3 DIR does not load, 74 FILE cannot be written.
            """
    )

    @Argument(help: "The datasets directory.")
    var directory: String

    @Option(name: .shortAndLong, help: "The store file to write (e.g. national.bqldb).")
    var output: String

    func run() throws {
        let dir = URL(fileURLWithPath: directory)
        let start = ContinuousClock.now
        let catalog: Catalog
        do {
            catalog = try Catalog.open(directory: dir, cacheDirectory: nil)
        } catch {
            Console.error("bql: data error: \(error)")
            throw ExitCode.dataError
        }
        let file = URL(fileURLWithPath: output)
        var s = stat()
        if stat(file.path, &s) == 0, s.st_mode & S_IFMT == S_IFDIR {
            Console.error("bql: \(output) is a directory; name the store file to write (e.g. \(output)/catalog.bqldb)")
            throw ExitCode.ioError
        }
        do {
            try catalog.write(to: file)
        } catch {
            Console.error("bql: \(error)")
            throw ExitCode.ioError
        }
        let (secs, atto) = (ContinuousClock.now - start).components
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        Console.error(
            "bql: wrote \(output): \(catalog.table("departments")?.count ?? 0) datasets, "
                + "\(size / 1_048_576) MiB, in \(String(format: "%.1f", Double(secs) + Double(atto) / 1e18)) s")
    }
}
