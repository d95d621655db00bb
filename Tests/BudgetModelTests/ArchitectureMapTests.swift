// ArchitectureMapTests: ARCHITECTURE.md is the map of the code. Every source file under Sources/
// and Tests/BudgetTestSupport/ must be named there by its path, every folder of a target must
// appear in the map, and every file must open with a comment saying what it is responsible for.

import BudgetTestSupport
import Foundation
import Testing

@Suite struct ArchitectureMapTests {
    static var architecture: String {
        (try? String(contentsOf: Repo.root.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8)) ?? ""
    }

    /// Every `.swift` file under `Sources/` and `Tests/BudgetTestSupport/`, relative to the root.
    static var sourceFiles: [String] {
        var out: [String] = []
        for top in ["Sources", "Tests/BudgetTestSupport"] {
            let base = Repo.root.appendingPathComponent(top)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            while let path = walker.nextObject() as? String {
                if path.hasSuffix(".swift") { out.append("\(top)/\(path)") }
            }
        }
        return out.sorted()
    }

    @Test func everySourceFileIsOnTheMap() {
        let map = Self.architecture
        let files = Self.sourceFiles
        #expect(files.count > 50)
        let missing = files.filter { !map.contains($0) }
        #expect(missing.isEmpty, "ARCHITECTURE.md does not name: \(missing.joined(separator: ", "))")
    }

    @Test func everyFolderIsOnTheMap() {
        let map = Self.architecture
        let folders = Set(Self.sourceFiles.map { ($0 as NSString).deletingLastPathComponent })
        let missing = folders.filter { !map.contains($0 + "/") }.sorted()
        #expect(missing.isEmpty, "ARCHITECTURE.md's diagram does not show: \(missing.joined(separator: ", "))")
    }

    @Test func everyFileOpensWithItsResponsibility() throws {
        var bare: [String] = []
        for file in Self.sourceFiles {
            let text = try String(contentsOf: Repo.root.appendingPathComponent(file), encoding: .utf8)
            if !text.hasPrefix("// ") { bare.append(file) }
        }
        #expect(bare.isEmpty, "files without a header comment: \(bare.joined(separator: ", "))")
    }
}
