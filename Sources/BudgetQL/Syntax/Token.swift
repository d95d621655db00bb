// Token: the lexer's output — a kind, the text as typed, and its byte range.

/// What a token is.
public enum TokenKind: Sendable, Hashable {
    /// A name: table, field, function, binding or keyword-like word (ASCII or Chinese).
    case identifier
    /// A number, possibly with a 万/亿/元/% suffix.
    case number
    /// A quoted string; the token's `value` holds the unescaped text.
    case string
    /// `$name`.
    case parameter
    /// Punctuation or operator, normalised to ASCII (`，` → `,`, `≥` → `>=`).
    case symbol
    /// A line break outside brackets.
    case newline
    /// End of input.
    case end
}

/// One token.
public struct Token: Sendable, Hashable {
    /// The kind.
    public var kind: TokenKind
    /// The normalised text: identifier name, symbol in ASCII, number digits with suffix, string contents.
    public var value: String
    /// The bytes it covers in the source.
    public var range: SourceRange

    /// Creates a token (the lexer makes them; tests and completers may too).
    public init(kind: TokenKind, value: String, range: SourceRange) {
        self.kind = kind
        self.value = value
        self.range = range
    }

    /// Whether this is the symbol `s`.
    public func isSymbol(_ s: String) -> Bool { kind == .symbol && value == s }
    /// Whether this is the identifier `word` (keywords compare case-insensitively).
    public func isWord(_ word: String) -> Bool { kind == .identifier && value.lowercased() == word }
}
