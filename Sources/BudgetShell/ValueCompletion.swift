// ValueCompletion: the completer where a value or an argument is expected. Inside quotes it
// offers the values of the field being compared (`indicators | where unit = "` → `%`, `元`;
// `dept` → department names; 类/款/项 → codes with their names) and a unique one closes the
// quote; after a comparison it offers those values quoted, fields and functions, never a
// keyword; after a dot-command its arguments: tables, modes, units, on/off, file names.

import BudgetQL
import Foundation

extension Completer {
    /// Where the completed argument of a dot-command starts, and its candidates; nil when
    /// `text` is not a dot-command with its first argument being typed.
    func dotCommandArgument(_ text: String) -> (start: Int, candidates: [Completion])? {
        let chars = Array(text)
        guard let first = chars.firstIndex(where: { $0 != " " && $0 != "\t" }), chars[first] == ".",
            let space = chars[first...].firstIndex(where: { $0 == " " || $0 == "\t" })
        else { return nil }
        let command = String(chars[first..<space])
        var start = space
        while start < chars.count && (chars[start] == " " || chars[start] == "\t") { start += 1 }
        let argument = String(chars[start...])
        // Only the first argument, but `.mode table --wrap`.
        if argument.contains(" ") {
            if command == ".mode", let last = argument.split(separator: " ").last, argument.hasSuffix(" ") == false,
                "--wrap".hasPrefix(last), argument.split(separator: " ").count == 2
            {
                return (chars.count - last.count, [Completion(insert: "--wrap", display: "--wrap")])
            }
            return (chars.count, [])
        }
        func words(_ list: [String]) -> [Completion] {
            list.filter { $0.lowercased().hasPrefix(argument.lowercased()) }.map { Completion(insert: $0, display: $0) }
        }
        switch command {
        case ".schema":
            var seen = Set<String>()
            let names = session.catalog.tables.flatMap { [$0.name, $0.alias] }.filter { seen.insert($0).inserted }
            return (start, words(names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }))
        case ".mode": return (start, words(OutputFormat.allCases.map(\.rawValue)))
        case ".units": return (start, words(MoneyUnit.allCases.map(\.rawValue)))
        case ".pager": return (start, words(PagerMode.allCases.map(\.rawValue)))
        case ".timer", ".headers", ".header": return (start, words(["on", "off"]))
        case ".maxrows": return (start, words(["auto", "0", "100"]))
        case ".param", ".parameter": return (start, words(["set", "list", "clear"]))
        case ".sql": return (start, words(["duckdb", "sqlite"]))
        case ".read", ".output", ".once": return (start, Completer.fileNames(argument, directoriesOnly: false))
        case ".data": return (start, Completer.fileNames(argument, directoriesOnly: true))
        default: return (start, [])
        }
    }

    /// Files and directories whose path starts with `prefix` (relative to the current
    /// directory, or absolute, or under `~/`). A directory ends with `/` and takes no space
    /// after it; hidden files only when the name typed starts with a dot.
    static func fileNames(_ prefix: String, directoriesOnly: Bool) -> [Completion] {
        let slash = prefix.lastIndex(of: "/")
        let directoryPart = slash.map { String(prefix[...$0]) } ?? ""
        let namePart = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            directory = home + directory.dropFirst()
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var out: [Completion] = []
        for name in names.sorted() where name.hasPrefix(namePart) && (namePart.hasPrefix(".") || !name.hasPrefix(".")) {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
            if directoriesOnly && !isDirectory.boolValue { continue }
            let path = directoryPart + name + (isDirectory.boolValue ? "/" : "")
            out.append(
                Completion(
                    insert: path, display: name + (isDirectory.boolValue ? "/" : ""),
                    terminator: isDirectory.boolValue ? "" : " "))
        }
        return out
    }

    /// The values for a quoted string opened with `quote` after `context`, chosen by the field
    /// it is compared with; each closes the quote when it is the only one.
    func quotedValues(prefix: String, context: String, quote: Character) -> [Completion] {
        let closing = quote == "“" ? "”" : String(quote)
        return values(prefix: prefix, of: comparedField(context)).map {
            Completion(insert: $0.insert, display: $0.display, terminator: closing + " ")
        }
    }

    /// After a comparison (`=`, `<`, `~`, `in (`…), where a value is expected: the compared
    /// field's values quoted, then fields and functions — never a keyword. Nil elsewhere.
    func valuePosition(word: String, before: String) -> [Completion]? {
        let trimmed = before.trimmingTrailingSpaces()
        let operators = ["=", "<", ">", "~", "(", ","]
        guard let last = trimmed.last, operators.contains(String(last)) else { return nil }
        // `(` and `,` expect a value only inside `in (…)` (a function's arguments take fields).
        if last == "(" || last == "," {
            guard let open = trimmed.lastIndex(of: "("),
                String(trimmed[..<open]).trimmingTrailingSpaces().lowercased().hasSuffix(" in")
            else { return nil }
        }
        let field = comparedField(trimmed)
        let quoted = values(prefix: word.hasPrefix("\"") ? String(word.dropFirst()) : word, of: field).map {
            Completion(insert: "\"\($0.insert)\"", display: "\"\($0.insert)\"")
        }
        let source = pipelineSource(before)
        let names = fields(of: source) + Completer.functions
        var seen = Set<String>()
        let others = names.filter { $0.lowercased().hasPrefix(word.lowercased()) && seen.insert($0).inserted }.sorted {
            $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
        }.map { Completion(insert: $0, display: $0) }
        return quoted + others
    }

    /// The field a value is compared with, from the text before the value: `… where unit = `,
    /// `… unit in ("%", `, `contains(name, `, `project.name ~ `. Its table is the pipeline's.
    struct ComparedField {
        /// The table the field belongs to (nil when unknown, e.g. a `let` binding).
        var table: Table?
        /// The field's name as typed.
        var name: String
    }

    func comparedField(_ context: String) -> ComparedField {
        // Completed strings say nothing about the field: drop them.
        var text = ""
        var quote: Character?
        for c in context {
            if let q = quote {
                if c == q || (q == "“" && c == "”") { quote = nil }
            } else if c == "\"" || c == "'" || c == "“" {
                quote = c
            } else {
                text.append(c)
            }
        }
        var tokens = text.split(whereSeparator: { " =~<>!(),\n\t".contains($0) }).map(String.init)
        if tokens.last?.lowercased() == "in" { tokens.removeLast() }
        let typed = tokens.last ?? ""
        let catalog = session.catalog
        let source = catalog.table(pipelineSource(context))
        // `project.name`, `dept.name`: the field of the referenced table.
        let parts = typed.split(separator: ".").map(String.init)
        if parts.count == 2, let table = source, let i = table.fieldIndex(parts[0]),
            let target = table.fields[i].target.flatMap({ catalog.table($0) })
        {
            return ComparedField(table: target, name: parts[1])
        }
        if let table = source, table.fieldIndex(typed) != nil { return ComparedField(table: table, name: typed) }
        // A binding or an unknown source: the first table with such a field.
        return ComparedField(table: catalog.tables.first { $0.fieldIndex(typed) != nil }, name: typed)
    }

    /// The values of `field` starting with `prefix`: a reference's target names, 类/款/项
    /// codes with their names, or the field's distinct texts (from the column's dictionary, so
    /// Tab stays instant on millions of rows).
    func values(prefix: String, of field: ComparedField) -> [Completion] {
        let catalog = session.catalog
        var codeLength: Int?
        switch field.name {
        case "类", "lei": codeLength = 3
        case "款", "kuan": codeLength = 5
        case "项", "xiang", "function_code": codeLength = 7
        default: break
        }
        if let n = codeLength {
            return catalog.codeNames.filter { $0.key.count == n && $0.key.hasPrefix(prefix) }
                .sorted { $0.key < $1.key }
                .map { Completion(insert: $0.key, display: "\($0.key) \($0.value)") }
        }
        guard let table = field.table, let i = table.fieldIndex(field.name) else { return [] }
        let f = table.fields[i]
        let words: [String]
        switch f.type {
        case .reference:
            words = f.target.flatMap { catalog.table($0) }?.distinctTexts("name") ?? []
        case .text, .code:
            words = table.distinctTexts(field.name)
        default:
            words = []
        }
        var seen = Set<String>()
        return words.filter { $0.lowercased().hasPrefix(prefix.lowercased()) && seen.insert($0).inserted }
            .sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            .map { Completion(insert: $0, display: $0) }
    }
}
