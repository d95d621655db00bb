// Golden: compares an actual output with a golden file, or writes the file when re-recording
// (BQL_RECORD=1), so every golden in the repository is produced and checked one way.

import Foundation
import Testing

/// Compares `actual` with the golden file at `url`; with `BQL_RECORD=1`, writes it instead.
public func assertGolden(_ actual: String, _ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if Repo.recording {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? "<missing golden file \(url.path)>"
    #expect(
        actual == expected, "golden mismatch: \(url.path) (rerun with BQL_RECORD=1 and review the diff)",
        sourceLocation: sourceLocation)
}
