// Column: how a table stores one field's values. Text is dictionary-encoded (one `UInt32` code
// per row into a table of distinct strings), exact decimals are two typed arrays (mantissa,
// scale), and everything else is an array of `Value`. References are `Int32` row numbers and
// relations are offset/target arrays. Reading one cell gives back the same `Value` as before;
// the vectorized evaluator reads the typed arrays directly. A table opened from a store
// (`Storage/Store/`) reads each column, reference and relation on first use (`Deferred`).

import BudgetModel
import Foundation

/// The distinct strings of one text column, in order of first appearance. Code `c` (1-based)
/// stands for `strings[c - 1]`; code 0 is null.
public final class TextDictionary: @unchecked Sendable {
    // @unchecked: `strings` is immutable; the lazily computed sort ranks are guarded by `lock`.
    /// The distinct strings.
    public let strings: [String]
    private let lock = NSLock()
    private var cachedRanks: [UInt32]?

    init(_ strings: [String]) { self.strings = strings }

    /// Number of distinct strings.
    public var count: Int { strings.count }

    /// For each code (0 = null), its position in Unicode-scalar order (the order `sort` uses for
    /// text). Computed once per dictionary, on first use.
    var ranks: [UInt32] {
        lock.lock()
        defer { lock.unlock() }
        if let cachedRanks { return cachedRanks }
        let order = strings.indices.sorted {
            strings[$0].unicodeScalars.lexicographicallyPrecedes(strings[$1].unicodeScalars)
        }
        var ranks = [UInt32](repeating: 0, count: strings.count + 1)
        var rank: UInt32 = 0
        for (i, s) in order.enumerated() {
            if i == 0 || strings[order[i - 1]] != strings[s] { rank += 1 }
            ranks[s + 1] = rank
        }
        cachedRanks = ranks
        return ranks
    }
}

/// A string keyed by its UTF-8 bytes: hashing and equality without Unicode normalization, so
/// building a dictionary of millions of Chinese cells stays cheap. (Text from the datasets is
/// compared by bytes when grouped through a dictionary, as SQLite and DuckDB compare it.)
struct ByteKey: Hashable {
    let string: String

    func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func == (a: ByteKey, b: ByteKey) -> Bool {
        let n = a.string.utf8.count
        guard n == b.string.utf8.count else { return false }
        if n == 0 { return true }
        let same = a.string.utf8.withContiguousStorageIfAvailable { x in
            b.string.utf8.withContiguousStorageIfAvailable { y in memcmp(x.baseAddress!, y.baseAddress!, n) == 0 }
        }
        return (same ?? nil) ?? a.string.utf8.elementsEqual(b.string.utf8)
    }
}

/// Builds a `TextDictionary` and the codes of a column.
struct TextEncoder {
    private var index: [ByteKey: UInt32] = [:]
    private var strings: [String] = []

    /// The code of `text` (0 for nil), adding it to the dictionary when new.
    mutating func code(_ text: String?) -> UInt32 {
        guard let text else { return 0 }
        let key = ByteKey(string: text)
        if let c = index[key] { return c }
        strings.append(text)
        let c = UInt32(strings.count)
        index[key] = c
        return c
    }

    func dictionary() -> TextDictionary { TextDictionary(strings) }

    /// Dictionary-encodes a column of optional strings.
    static func encode(_ values: some Sequence<String?>) -> Column {
        var encoder = TextEncoder()
        var codes = [UInt32]()
        codes.reserveCapacity(values.underestimatedCount)
        for v in values { codes.append(encoder.code(v)) }
        return Column(.coded(codes, encoder.dictionary()))
    }
}

/// The values of one field, stored by type. Reading `column[row]` gives the row's `Value`.
public struct Column: Sendable, RandomAccessCollection {
    /// How the values are stored.
    enum Storage: Sendable {
        /// Any values.
        case values([Value])
        /// Text: a code per row into a dictionary (0 = null).
        case coded([UInt32], TextDictionary)
        /// Exact decimals: mantissa and scale per row; a negative scale is null.
        case decimal([Int64], [Int8])
    }

    let storage: Storage

    init(_ storage: Storage) { self.storage = storage }

    /// A column of arbitrary values.
    init(values: [Value]) { storage = .values(values) }

    /// A column of optional exact decimals.
    init(decimals: some Sequence<ExactDecimal?>) {
        var m = [Int64]()
        var s = [Int8]()
        m.reserveCapacity(decimals.underestimatedCount)
        s.reserveCapacity(decimals.underestimatedCount)
        for d in decimals {
            m.append(d?.mantissa ?? 0)
            s.append(d?.scale ?? -1)
        }
        storage = .decimal(m, s)
    }

    /// The first row (0).
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int {
        switch storage {
        case .values(let v): return v.count
        case .coded(let c, _): return c.count
        case .decimal(let m, _): return m.count
        }
    }

    /// The value of row `row`.
    public subscript(row: Int) -> Value {
        switch storage {
        case .values(let v): return v[row]
        case .coded(let codes, let dictionary):
            let c = codes[row]
            return c == 0 ? .null : .text(dictionary.strings[Int(c) - 1])
        case .decimal(let m, let s):
            return s[row] < 0 ? .null : .decimal(ExactDecimal(mantissa: m[row], scale: s[row]))
        }
    }
}

/// For each row of a table, the row of another table it refers to (or nil).
public struct ReferenceColumn: Sendable, RandomAccessCollection {
    private enum Source: Sendable {
        case ready([Int32])
        case deferred(Deferred<[Int32]>, count: Int)
    }
    private let source: Source

    /// Target rows, −1 for none.
    init(_ targets: [Int]) { source = .ready(targets.map { Int32($0) }) }

    /// `count` target rows read from a store on first use.
    init(deferred: Deferred<[Int32]>, count: Int) { source = .deferred(deferred, count: count) }

    /// Target rows; -1 is no target.
    var targets: [Int32] {
        switch source {
        case .ready(let t): return t
        case .deferred(let d, _): return d.value
        }
    }

    /// The first row (0).
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int {
        switch source {
        case .ready(let t): return t.count
        case .deferred(_, let count): return count
        }
    }
    /// The target row of `row`, or nil.
    public subscript(row: Int) -> Int? {
        let t = targets[row]
        return t < 0 ? nil : Int(t)
    }
}

/// For each row of a table, the rows of another table related to it, stored as one array of
/// target rows and an offset per row (`targets[offsets[r]..<offsets[r + 1]]`).
public struct RelationIndex: Sendable, RandomAccessCollection {
    let offsets: [Int]
    let targets: [Int32]

    /// Rows `targets[offsets[r]..<offsets[r + 1]]` for row `r`.
    init(offsets: [Int], targets: [Int32]) {
        self.offsets = offsets
        self.targets = targets
    }

    /// The first row (0).
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int { offsets.count - 1 }
    /// The related rows of `row`.
    public subscript(row: Int) -> [Int] { targets[offsets[row]..<offsets[row + 1]].map { Int($0) } }
}

/// The columns of a table: held in memory, or read from a store one column at a time on first
/// use. `columns[f]` is the same `Column` either way.
public struct ColumnList: Sendable, RandomAccessCollection {
    private enum Source: Sendable {
        case ready([Column])
        case deferred([Deferred<Column>])
    }
    private let source: Source

    /// Columns held in memory.
    init(_ columns: [Column]) { source = .ready(columns) }

    /// Columns read on first use.
    init(deferred: [Deferred<Column>]) { source = .deferred(deferred) }

    /// The first field (0).
    public var startIndex: Int { 0 }
    /// One past the last field.
    public var endIndex: Int {
        switch source {
        case .ready(let c): return c.count
        case .deferred(let d): return d.count
        }
    }
    /// The column of field `field`.
    public subscript(field: Int) -> Column {
        switch source {
        case .ready(let c): return c[field]
        case .deferred(let d): return d[field].value
        }
    }
}

/// A value made on first use and kept: a store's column, reference or relation is read when a
/// query first needs it. Thread-safe; the maker runs once.
final class Deferred<T: Sendable>: @unchecked Sendable {
    // @unchecked: `made` is only read and written under `lock`.
    private let lock = NSLock()
    private var made: T?
    private let make: @Sendable () -> T

    init(_ make: @escaping @Sendable () -> T) { self.make = make }

    /// The value, made now if this is the first use.
    var value: T {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let v = make()
        made = v
        return v
    }
}
