// TextStyle: ANSI colour for terminal output, or none. The shell decides which to use (a
// terminal, and NO_COLOR unset or empty); everything that renders text takes a style.

/// How rendered text is decorated.
public struct TextStyle: Sendable {
    /// Whether ANSI colour sequences are emitted.
    public let colour: Bool

    /// Plain text, no escape sequences.
    public static let plain = TextStyle(colour: false)
    /// ANSI colour.
    public static let ansi = TextStyle(colour: true)

    /// Creates a style.
    public init(colour: Bool) { self.colour = colour }

    private func wrap(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    /// Red text (errors).
    public func red(_ s: String) -> String { wrap(s, "31") }
    /// Green text.
    public func green(_ s: String) -> String { wrap(s, "32") }
    /// Yellow text (warnings).
    public func yellow(_ s: String) -> String { wrap(s, "33") }
    /// Bold text.
    public func bold(_ s: String) -> String { wrap(s, "1") }
    /// Dim text (footers).
    public func dim(_ s: String) -> String { wrap(s, "2") }
}

extension TextStyle {
    /// The style for an output stream: colour on a terminal unless NO_COLOR is set to a
    /// non-empty value (no-color.org: an empty NO_COLOR does not disable colour).
    public static func forOutput(terminal: Bool, environment: [String: String]) -> TextStyle {
        TextStyle(colour: terminal && (environment["NO_COLOR"] ?? "").isEmpty)
    }
}
