// OutputDocument: the results of one run written to one destination as one document that a
// standard parser reads whole — JSON: one array with an object per result (its statement, script,
// line, typed columns with the money unit, rows); JSON Lines: one object per row, numbered by
// result; CSV, Markdown and line mode: a blank line between results; tables as they are.

import BudgetQL

/// Where a result came from, for the formats that say so (JSON, JSON Lines).
public struct ResultOrigin: Sendable, Equatable {
    /// The statement's text.
    public var statement: String
    /// The script's name: a file, `-e` or `stdin`.
    public var script: String
    /// The 1-based line the statement starts on.
    public var line: Int

    /// Creates an origin.
    public init(statement: String, script: String, line: Int) {
        self.statement = statement
        self.script = script
        self.line = line
    }
}

/// The document being written to one destination.
struct OutputDocument {
    /// The format of the results written so far (a `.mode` change closes the document).
    private(set) var format: OutputFormat?
    /// How many results it holds.
    private(set) var count = 0

    /// The text that adds `result` to the document.
    mutating func add(_ r: QueryResult, origin: ResultOrigin, format: OutputFormat, options o: FormatOptions)
        -> String
    {
        var out = ""
        if let current = self.format, current != format { out += close(emptyJSON: false) }
        self.format = format
        count += 1
        switch format {
        case .json:
            out += (count == 1 ? "[\n" : ",\n") + OutputDocument.jsonResult(r, origin: origin, options: o)
        case .jsonl:
            let prefix = "\"_statement\":\(count)" + (r.columns.isEmpty ? "" : ",")
            for row in r.rows { out += ResultFormatter.jsonObject(r, row, o, prefix: prefix) + "\n" }
        case .csv, .markdown, .line:
            if count > 1 { out += "\n" }
            out += ResultFormatter.render(r, as: format, options: o)
        case .table:
            out += ResultFormatter.render(r, as: format, options: o)
        }
        return out
    }

    /// The text that ends the document (`]` after JSON results), which then starts afresh. With
    /// `emptyJSON`, a JSON document without results is written as `[]`.
    mutating func close(emptyJSON: Bool) -> String {
        defer {
            format = nil
            count = 0
        }
        if format == .json && count > 0 { return "\n]\n" }
        return emptyJSON && count == 0 ? "[]\n" : ""
    }

    /// One result as an object of a JSON document.
    static func jsonResult(_ r: QueryResult, origin: ResultOrigin, options o: FormatOptions) -> String {
        let string = ResultFormatter.jsonString
        let columns = r.columns.map { c in
            "{\"name\": \(string(c.name)), \"type\": \(string(c.type.rawValue))"
                + (c.type == .money ? ", \"unit\": \(string(o.units.exactUnit.rawValue))" : "") + "}"
        }
        var out = "  {\n"
        out += "    \"statement\": \(string(origin.statement)),\n"
        out += "    \"script\": \(string(origin.script)),\n"
        out += "    \"line\": \(origin.line),\n"
        out += "    \"columns\": [" + columns.joined(separator: ", ") + "],\n"
        if r.rows.isEmpty {
            out += "    \"rows\": []\n"
        } else {
            out += "    \"rows\": [\n"
            out += r.rows.map { "      " + ResultFormatter.jsonObject(r, $0, o) }.joined(separator: ",\n")
            out += "\n    ]\n"
        }
        return out + "  }"
    }
}
