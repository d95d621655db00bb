// DatasetWriter: writes a draft as a dataset folder in the Data Package format of `Datasets/`
// (every table of `DatasetSchema` as an RFC 4180 CSV, `datapackage.json` generated from the
// schema; each row's `provenance` cell says where its figures were printed), plus
// `provenance.csv` (each figure's page, line, printed text and unit) and the import report.
// Everything goes to a temporary folder first, renamed into place when complete.

import BudgetModel
import Foundation

/// Writes dataset folders.
enum DatasetWriter {
    /// The provenance file's name and header.
    static let provenanceFile = "provenance.csv"
    static let provenanceHeader = ["table", "row", "field", "page", "line", "printed", "unit", "source_table", "file"]

    /// The CSV text of `table`'s rows in `draft`. A table with a `provenance` field gets, in each
    /// row, where its figures were printed (``place(of:file:)``), so a query can show it.
    static func csv(_ table: TableSchema, _ rows: [DraftRow], file: String) -> String {
        var out = csvLine(table.fields.map(\.name))
        let hasProvenance = table.fields.contains { $0.name == provenanceField }
        for r in rows {
            out += csvLine(
                table.fields.map { f in
                    if f.name == provenanceField, hasProvenance, (r.values[f.name] ?? "").isEmpty {
                        return place(of: r, file: file)
                    }
                    return r.values[f.name] ?? ""
                })
        }
        return out
    }

    /// The field every figure-carrying table has for where its row was read.
    static let provenanceField = "provenance"

    /// Where a row's figures were printed: the file, then each distinct page and line in reading
    /// order, e.g. `wanli-2025.pdf p. 5 line 12` or `wanli-2025.pdf p. 5 line 12; p. 6 line 3`;
    /// empty for a row with no figure read from the document.
    static func place(of row: DraftRow, file: String) -> String {
        let places = Set(row.sources.values.map { PagePlace(page: $0.page, line: $0.line) }).sorted()
        guard !places.isEmpty else { return "" }
        let name = (file as NSString).lastPathComponent
        return name + " "
            + places.map { $0.page > 0 ? "p. \($0.page) line \($0.line)" : "line \($0.line)" }
            .joined(separator: "; ")
    }

    /// A page and a line, ordered as read.
    struct PagePlace: Hashable, Comparable {
        var page: Int
        var line: Int
        static func < (a: PagePlace, b: PagePlace) -> Bool { (a.page, a.line) < (b.page, b.line) }
    }

    /// The provenance CSV: one line per figure with a recorded source.
    static func provenanceCSV(_ draft: DatasetDraft, file: String) -> String {
        var out = csvLine(provenanceHeader)
        for table in DatasetSchema.tables {
            for (i, r) in draft.rows(table.name).enumerated() {
                for f in table.fields {
                    guard let s = r.sources[f.name] else { continue }
                    out += csvLine([
                        table.name, String(i + 1), f.name, s.page > 0 ? String(s.page) : "", String(s.line), s.printed,
                        s.unit, s.table, file,
                    ])
                }
            }
        }
        return out
    }

    /// One CSV line: fields quoted when they hold a comma, a quote or a line break.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { f in
            if f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r") {
                return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return f
        }.joined(separator: ",") + "\n"
    }

    /// The fields of one CSV line (no line breaks inside fields: provenance has none).
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        fields.append(field)
        return fields
    }

    /// The descriptor with placeholders for the id and title, built once.
    static let descriptorTemplate = buildDescriptor(id: "@@BQL-ID@@", title: "@@BQL-TITLE@@")

    /// The descriptor: the schema's, with the provenance file described as one more resource.
    static func descriptor(id: String, title: String) -> String {
        descriptorTemplate.replacingOccurrences(of: "@@BQL-ID@@", with: jsonEscaped(id))
            .replacingOccurrences(of: "@@BQL-TITLE@@", with: jsonEscaped(title))
    }

    /// `s` as the inside of a JSON string.
    static func jsonEscaped(_ s: String) -> String { JSONText.escaped(s) }

    /// The descriptor built from the schema (slow: JSON serialisation).
    static func buildDescriptor(id: String, title: String) -> String {
        let base = DatasetSchema.dataPackageJSON(id: id, title: title)
        guard var object = (try? JSONSerialization.jsonObject(with: Data(base.utf8))) as? [String: Any],
            var resources = object["resources"] as? [[String: Any]]
        else { return base }
        let fields: [[String: Any]] = [
            ["name": "table", "type": "string", "description": "The dataset table (CSV resource) the figure is in."],
            ["name": "row", "type": "integer", "description": "The row of that table (1 = first data row)."],
            ["name": "field", "type": "string", "description": "The column."],
            ["name": "page", "type": "integer", "description": "The page of the source document (empty for text)."],
            ["name": "line", "type": "integer", "description": "The line: on the page, or in a text file."],
            ["name": "printed", "type": "string", "description": "The figure exactly as printed."],
            ["name": "unit", "type": "string", "description": "The unit it was printed in (元, 万元)."],
            ["name": "source_table", "type": "string", "description": "The published table it was read from."],
            ["name": "file", "type": "string", "description": "The document file it was read from."],
        ]
        resources.append([
            "name": "provenance", "path": provenanceFile, "title": "来源",
            "description": "Where each imported figure was printed (bql import).", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": ["fields": fields],
        ])
        object["resources"] = resources
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { return base }
        return text + "\n"
    }

    /// Writes the dataset `id` into a new temporary folder and returns it. The folder is named
    /// `id` (a dataset's descriptor must name its folder) inside a hidden staging folder of
    /// `directory`, `.import-XXXXXXXX/`, which `moveIntoPlace` removes.
    static func writeTemporary(
        _ draft: DatasetDraft, id: String, title: String, into directory: URL, file: String
    ) throws(ImportError) -> URL {
        let fm = FileManager.default
        let staging = directory.appendingPathComponent(".import-\(UUID().uuidString.prefix(8))")
        let temp = staging.appendingPathComponent(id)
        do {
            try fm.createDirectory(at: temp, withIntermediateDirectories: true)
            for table in DatasetSchema.tables {
                try Data(csv(table, draft.rows(table.name), file: file).utf8).write(
                    to: temp.appendingPathComponent(table.file))
            }
            try Data(provenanceCSV(draft, file: file).utf8).write(to: temp.appendingPathComponent(provenanceFile))
            try Data(descriptor(id: id, title: title).utf8).write(to: temp.appendingPathComponent("datapackage.json"))
        } catch {
            try? fm.removeItem(at: staging)
            throw .writeFailed(file: file, detail: "\(error.localizedDescription)")
        }
        return temp
    }

    /// Removes a temporary dataset folder with its staging folder.
    static func discard(_ temp: URL) {
        try? FileManager.default.removeItem(at: temp.deletingLastPathComponent())
    }

    /// Renames the finished temporary folder to `directory/id`, replacing an older one if `replace`.
    static func moveIntoPlace(_ temp: URL, id: String, in directory: URL, replace: Bool, file: String)
        throws(ImportError) -> URL
    {
        let fm = FileManager.default
        let final = directory.appendingPathComponent(id)
        if fm.fileExists(atPath: final.path) {
            guard replace else {
                discard(temp)
                throw .outputExists(file: file, folder: final.path)
            }
            let old = directory.appendingPathComponent(".\(id).old-\(UUID().uuidString.prefix(8))")
            do {
                try fm.moveItem(at: final, to: old)
                try fm.moveItem(at: temp, to: final)
                try? fm.removeItem(at: old)
                discard(temp)
            } catch {
                discard(temp)
                throw .writeFailed(file: file, detail: "\(error.localizedDescription)")
            }
            return final
        }
        do { try fm.moveItem(at: temp, to: final) } catch {
            discard(temp)
            throw .writeFailed(file: file, detail: "\(error.localizedDescription)")
        }
        discard(temp)
        return final
    }
}
