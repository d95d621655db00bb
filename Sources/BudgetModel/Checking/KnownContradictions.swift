// KnownContradictions: reads `known-contradictions.csv` (beside the dataset folders), the list
// of self-contradictions of the published documents that Datasets/README.md explains. `bql
// check` still reports them, marked documented, and fails only on undocumented ones.

import Foundation

extension KnownContradiction {
    /// The file name looked for in a datasets directory.
    public static let fileName = "known-contradictions.csv"

    /// Reads `directory/known-contradictions.csv`; an absent file means none are known.
    public static func load(from directory: URL) throws(DatasetError) -> [KnownContradiction] {
        let url = directory.appendingPathComponent(fileName)
        let file = url.path
        guard let records = try DatasetLoader.readCSV(url) else { return [] }
        let expected = ["dataset", "rule", "subject", "explanation"]
        guard let header = records.first else { return [] }
        for (i, name) in header.fields.enumerated() where i >= expected.count || name != expected[i] {
            throw .unknownColumn(
                DataLocation(file: file, position: header.positions[i]), column: name,
                table: "known-contradictions", suggestion: Suggestions.closest(name, in: expected))
        }
        return try records.dropFirst().map { (r: CSVRecord) throws(DatasetError) -> KnownContradiction in
            guard r.fields.count == expected.count else {
                throw .wrongCellCount(
                    DataLocation(file: file, position: r.positions.first), expected: expected.count,
                    found: r.fields.count)
            }
            return KnownContradiction(
                dataset: r.fields[0], rule: r.fields[1], subject: r.fields[2], explanation: r.fields[3])
        }
    }
}
