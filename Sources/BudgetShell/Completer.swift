// Completer: context-aware Tab completion — table names at the start of a pipeline, stages
// after `|`, the current table's fields (English or Chinese) after where/select/by/sort,
// functions and keywords, dot-commands, and values inside quotes (department, unit, project
// and indicator names; 类/款/项 codes shown with their names). Works from a Chinese prefix.

import BudgetQL

/// One completion candidate.
public struct Completion: Sendable, Hashable {
    /// The text that replaces the word being typed.
    public var insert: String
    /// What the candidate list shows (e.g. a code with its name).
    public var display: String
    /// What follows the text when it is the only candidate: a space, the closing quote of a
    /// value, nothing after a directory.
    public var terminator: String = " "
}

/// Computes completions for the text before the cursor.
public struct Completer: Sendable {
    /// The session whose tables and bindings are completed.
    public let session: Session

    /// Creates a completer over a session.
    public init(session: Session) { self.session = session }

    /// Stages after `|`: the parser's list.
    static let stages = Parser.stagePhrases
    /// Expression keywords: the parser's list.
    static let keywords = Parser.expressionPhrases
    /// Every function of the registry (aggregates and scalar functions, English and Chinese
    /// names), with its opening bracket.
    static let functions = (Functions.englishNames + Functions.chineseNames).map { $0 + "(" }
    /// The dot-commands, for completion.
    public static var dotCommands: [String] { Shell.dotCommandNames }

    /// The word being completed (its start offset in characters) and the candidates.
    public func complete(_ text: String) -> (start: Int, candidates: [Completion]) {
        if let argument = dotCommandArgument(text) { return argument }
        let chars = Array(text)
        // Inside an open quote: complete a value.
        var quote: Character?
        var quoteStart = 0
        for (i, c) in chars.enumerated() {
            if let q = quote {
                if c == q || (q == "“" && c == "”") { quote = nil }
            } else if c == "\"" || c == "'" || c == "“" {
                quote = c
                quoteStart = i + 1
            }
        }
        if quote != nil {
            let prefix = String(chars[quoteStart...])
            let before = String(chars[..<max(0, quoteStart - 1)])
            return (quoteStart, quotedValues(prefix: prefix, context: before, quote: quote!))
        }
        var start = chars.count
        while start > 0, isWordChar(chars[start - 1]) { start -= 1 }
        let word = String(chars[start...])
        let before = String(chars[..<start])
        let trimmed = before.trimmingTrailingSpaces()
        if trimmed.hasPrefix(".") || (word.hasPrefix(".") && trimmed.isEmpty) {
            return (0, Completer.dotCommands.filter { $0.hasPrefix(text) }.map { Completion(insert: $0, display: $0) })
        }
        if start > 0 && chars[start - 1] == "." && !trimmed.hasSuffix(" .") {
            // table.field navigation: offer the fields of the referenced table.
            var s = start - 1
            while s > 0, isWordChar(chars[s - 1]) { s -= 1 }
            let ref = String(chars[s..<(start - 1)])
            let target = referenceTarget(ref, source: pipelineSource(before))
            return (start, match(word, fields(of: target)))
        }
        let lastPipe = trimmed.lastIndex(of: "|") ?? trimmed.lastIndex(of: "｜")
        if lastPipe == nil {
            // At the start of a pipeline: tables, bindings, `let`.
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\n" })
            if words.isEmpty || (words.count == 3 && words[0] == "let" && words[2] == "=") {
                return (start, match(word, tableNames + ["let"]))
            }
            if words.count == 1 && words[0] != "let" { return (start, []) }
        }
        if trimmed.hasSuffix("|") || trimmed.hasSuffix("｜") {
            return (start, match(word, Completer.stages))
        }
        if let values = valuePosition(word: word, before: before) { return (start, values) }
        let source = pipelineSource(before)
        var candidates = fields(of: source)
        candidates += Completer.functions + Completer.keywords
        return (start, match(word, candidates))
    }

    private func isWordChar(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "$"
    }

    private func match(_ prefix: String, _ words: [String]) -> [Completion] {
        var seen = Set<String>()
        return words.filter { $0.lowercased().hasPrefix(prefix.lowercased()) && seen.insert($0).inserted }
            .sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            .map { Completion(insert: $0, display: $0) }
    }

    var tableNames: [String] { session.catalog.tableNames + session.bindingNames }

    /// The source table of the statement being typed (the first word of its last pipeline).
    func pipelineSource(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var statement = ""
        for l in lines.reversed() {
            statement = String(l) + "\n" + statement
            if !String(l).trimming(" ").hasPrefix("|") && !String(l).trimming(" ").isEmpty { break }
        }
        var body = statement.trimming(" \n")
        if body.hasPrefix("let "), let eq = body.firstIndex(of: "=") { body = String(body[body.index(after: eq)...]) }
        return String(body.trimming(" ").prefix { isWordChar($0) })
    }

    func fields(of source: String) -> [String] { session.fieldNames(of: source) }

    private func referenceTarget(_ ref: String, source: String) -> String {
        switch ref {
        case "dept", "部门", "department": return "departments"
        case "project", "项目": return "items"
        default: return ref
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\u{3000}" { s.removeLast() }
        return s
    }

    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}

/// The longest common prefix of several strings (by characters).
public func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first.map(Array.init) else { return "" }
    for w in words.dropFirst() {
        let a = Array(w)
        var n = 0
        while n < prefix.count && n < a.count && prefix[n] == a[n] { n += 1 }
        prefix = Array(prefix[..<n])
    }
    return String(prefix)
}
