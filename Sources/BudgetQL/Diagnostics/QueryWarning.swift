// QueryWarning: what a query that ran should still tell its user — today, a comparison with a
// value its text field never holds, with the values it does hold. Each carries the range it
// concerns; messages are built here and only here.

/// Something worth knowing about a statement that ran. Every case carries the byte range it
/// concerns.
public enum QueryWarning: Sendable, Hashable {
    /// `field = value` or `field in (…, value, …)` where the text field never holds `value`:
    /// `containing` are values that contain it (at most three, of `containingCount`), `holds`
    /// every value the field holds when there are few (most frequent first), `nearest` the
    /// closest by edit distance.
    case valueNeverHeld(
        SourceRange, field: String, value: String, containing: [String], containingCount: Int, holds: [String],
        nearest: String?)

    /// The range the warning points at.
    public var range: SourceRange {
        switch self {
        case .valueNeverHeld(let r, _, _, _, _, _, _): return r
        }
    }

    /// A short stable name for the kind of warning (used in tests and JSON output).
    public var kind: String {
        switch self {
        case .valueNeverHeld: return "value-never-held"
        }
    }

    /// The message, without location.
    public var message: String {
        switch self {
        case .valueNeverHeld(_, let field, let value, let containing, let count, let holds, let nearest):
            if !containing.isEmpty {
                let more = count > containing.count ? ", … \(count - containing.count) more" : ""
                return
                    "no \(field) is \"\(value)\"; did you mean \(field) ~ \"\(value)\" (\(containing.joined(separator: ", "))\(more))?"
            }
            if !holds.isEmpty {
                return "\(field) never holds \"\(value)\"; it holds \(holds.joined(separator: " "))"
            }
            if let nearest { return "no \(field) is \"\(value)\"; did you mean \"\(nearest)\"?" }
            return "no \(field) is \"\(value)\""
        }
    }
}
