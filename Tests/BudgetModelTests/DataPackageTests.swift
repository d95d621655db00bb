// DataPackageTests: each dataset's datapackage.json is exactly what DatasetSchema generates.
// Run with BQL_RECORD=1 to rewrite them after a schema change (then review the diff).

import BudgetModel
import Foundation
import Testing

@Suite struct DataPackageTests {
    @Test func everyDescriptorMatchesTheSchema() throws {
        #expect(!Paths.datasetFolders.isEmpty)
        for folder in Paths.datasetFolders {
            let id = folder.lastPathComponent
            let csv = try String(contentsOf: folder.appendingPathComponent("department.csv"), encoding: .utf8)
            let records = try CSVReader.parse(Array(csv.utf8)).get()
            let nameIndex = try #require(records[0].fields.firstIndex(of: "name"))
            let yearIndex = try #require(records[0].fields.firstIndex(of: "year"))
            let title = records[1].fields[nameIndex] + " " + records[1].fields[yearIndex]
            let expected = DatasetSchema.dataPackageJSON(id: id, title: title)
            let url = folder.appendingPathComponent("datapackage.json")
            if Paths.recording {
                try expected.write(to: url, atomically: true, encoding: .utf8)
            }
            let actual = try String(contentsOf: url, encoding: .utf8)
            #expect(actual == expected, "\(url.path) differs from the schema; rerun with BQL_RECORD=1 and review")
        }
    }

    @Test func everyCSVHasTheSchemaHeader() throws {
        for folder in Paths.datasetFolders {
            for table in DatasetSchema.tables {
                let text = try String(contentsOf: folder.appendingPathComponent(table.file), encoding: .utf8)
                let header = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
                #expect(
                    header == table.fields.map(\.name).joined(separator: ","),
                    "\(folder.lastPathComponent)/\(table.file)")
            }
        }
    }
}
