// SourceRange: a UTF-8 byte range in the query text, carried by every token and AST node.
// Line, column and display-width offsets are computed only when a diagnostic is rendered.

/// A half-open range of UTF-8 byte offsets into the query source.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    /// Offset of the first byte.
    public var start: Int
    /// Offset one past the last byte.
    public var end: Int

    /// Creates a range; `end` is raised to `start` if lower.
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    /// An empty range at `offset`.
    public static func at(_ offset: Int) -> SourceRange { SourceRange(offset, offset) }

    public var description: String { "\(start)..<\(end)" }
}
