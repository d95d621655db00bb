// Vector: the values of one expression for a whole batch of rows, in typed arrays where the
// type allows (three-valued booleans, exact decimals, dictionary codes), and the context a
// batch is evaluated in (which table, which base rows, which frame rows).

import BudgetModel

/// Three-valued logic in one byte per row.
enum Logical {
    static let no: UInt8 = 0
    static let yes: UInt8 = 1
    static let null: UInt8 = 2

    /// Kleene `and`.
    @inline(__always) static func and(_ x: UInt8, _ y: UInt8) -> UInt8 {
        if x == no || y == no { return no }
        return x == yes && y == yes ? yes : null
    }

    /// Kleene `or`.
    @inline(__always) static func or(_ x: UInt8, _ y: UInt8) -> UInt8 {
        if x == yes || y == yes { return yes }
        return x == no && y == no ? no : null
    }

    /// The byte of a `Value` used as a condition.
    @inline(__always) static func of(_ v: Value) -> UInt8 {
        if case .bool(let b) = v { return b ? yes : no }
        return null
    }
}

/// Powers of ten up to 10^18 as 128-bit integers, for comparing decimals of different scales.
enum DecimalScaling {
    static let powers: [Int128] = {
        var p: [Int128] = [1]
        for _ in 1...18 { p.append(p.last! * 10) }
        return p
    }()

    /// `mantissa × 10^(18 − scale)`: every decimal on one scale, so comparison is integer comparison.
    @inline(__always) static func wide(_ mantissa: Int64, _ scale: Int8) -> Int128 {
        Int128(mantissa) * powers[18 - Int(scale)]
    }
}

/// One expression's values for a batch of rows.
enum Vector {
    /// Conditions: `Logical` bytes.
    case logical([UInt8])
    /// Exact decimals: mantissa and scale per row; a negative scale is null.
    case decimal([Int64], [Int8])
    /// Text as codes into a dictionary (0 = null).
    case coded([UInt32], TextDictionary)
    /// Anything else.
    case values([Value])

    var count: Int {
        switch self {
        case .logical(let l): return l.count
        case .decimal(let m, _): return m.count
        case .coded(let c, _): return c.count
        case .values(let v): return v.count
        }
    }

    /// The value at position `i`.
    func value(at i: Int) -> Value {
        switch self {
        case .logical(let l): return l[i] == Logical.null ? .null : .bool(l[i] == Logical.yes)
        case .decimal(let m, let s): return s[i] < 0 ? .null : .decimal(ExactDecimal(mantissa: m[i], scale: s[i]))
        case .coded(let c, let d): return c[i] == 0 ? .null : .text(d.strings[Int(c[i]) - 1])
        case .values(let v): return v[i]
        }
    }

    /// Every value, as `Value`s.
    var values: [Value] {
        if case .values(let v) = self { return v }
        return (0..<count).map(value(at:))
    }

    /// The values as conditions.
    var logical: [UInt8] {
        switch self {
        case .logical(let l): return l
        default: return (0..<count).map { Logical.of(value(at: $0)) }
        }
    }

    /// The values at positions `index` (−1 gives null).
    func gathered(_ index: [Int]) -> Vector {
        switch self {
        case .logical(let l): return .logical(index.map { $0 < 0 ? Logical.null : l[$0] })
        case .decimal(let m, let s):
            return .decimal(index.map { $0 < 0 ? 0 : m[$0] }, index.map { $0 < 0 ? -1 : s[$0] })
        case .coded(let c, let d): return .coded(index.map { $0 < 0 ? 0 : c[$0] }, d)
        case .values(let v): return .values(index.map { $0 < 0 ? .null : v[$0] })
        }
    }

    /// The vector with null wherever `rows` is −1.
    func nulled(where rows: [Int]) -> Vector {
        switch self {
        case .logical(var l):
            for (i, r) in rows.enumerated() where r < 0 { l[i] = Logical.null }
            return .logical(l)
        case .decimal(let m, var s):
            for (i, r) in rows.enumerated() where r < 0 { s[i] = -1 }
            return .decimal(m, s)
        case .coded(var c, let d):
            for (i, r) in rows.enumerated() where r < 0 { c[i] = 0 }
            return .coded(c, d)
        case .values(var v):
            for (i, r) in rows.enumerated() where r < 0 { v[i] = .null }
            return .values(v)
        }
    }

    /// One vector from pieces that each hold the values of some positions (`positions[k]` gets
    /// `values.value(at: k)`); positions no piece covers are null. Typed when every piece is:
    /// conditions stay conditions, decimals stay decimals (a piece of nulls or decimal values
    /// joins either).
    static func scatter(_ pieces: [(positions: [Int], values: Vector)], count: Int) -> Vector {
        func onlyNulls(_ v: Vector) -> Bool {
            if case .values(let vs) = v { return vs.allSatisfy(\.isNull) }
            return false
        }
        if pieces.allSatisfy({ p in
            if case .logical = p.values { return true }
            return onlyNulls(p.values)
        }) {
            var out = [UInt8](repeating: Logical.null, count: count)
            for p in pieces {
                guard case .logical(let l) = p.values else { continue }
                for (k, i) in p.positions.enumerated() { out[i] = l[k] }
            }
            return .logical(out)
        }
        if pieces.allSatisfy({ p in
            switch p.values {
            case .decimal: return true
            case .values(let vs):
                return vs.allSatisfy {
                    if case .decimal = $0 { return true }
                    return $0.isNull
                }
            default: return false
            }
        }) {
            var m = [Int64](repeating: 0, count: count)
            var s = [Int8](repeating: -1, count: count)
            for p in pieces {
                switch p.values {
                case .decimal(let pm, let ps):
                    for (k, i) in p.positions.enumerated() {
                        m[i] = pm[k]
                        s[i] = ps[k]
                    }
                case .values(let vs):
                    for (k, i) in p.positions.enumerated() {
                        if case .decimal(let d) = vs[k] {
                            m[i] = d.mantissa
                            s[i] = d.scale
                        }
                    }
                default: break
                }
            }
            return .decimal(m, s)
        }
        var out = [Value](repeating: .null, count: count)
        for p in pieces {
            for (k, i) in p.positions.enumerated() { out[i] = p.values.value(at: k) }
        }
        return .values(out)
    }

    /// A table column as a vector (no copy: arrays are shared).
    static func of(_ column: Column) -> Vector {
        switch column.storage {
        case .values(let v): return .values(v)
        case .coded(let c, let d): return .coded(c, d)
        case .decimal(let m, let s): return .decimal(m, s)
        }
    }
}

/// What a batch is evaluated over: positions `0..<count`, each a base row of `table` (−1: no
/// row, every field null) and, at the top level, a row of `frame`.
struct VectorContext {
    /// The table `.base` fields, references and relations read.
    let table: Table?
    /// The base row of each position (−1 for none).
    let rows: [Int]
    /// The frame whose computed columns `.column` reads (top level only).
    let frame: Frame?
    /// The frame row of each position (nil: position i is frame row i).
    let positions: [Int]?
    /// Number of positions.
    let count: Int
    /// Whether `rows` is exactly `0..<table.count`.
    let identity: Bool

    /// The context of a whole frame.
    static func of(_ frame: Frame) -> VectorContext {
        VectorContext(
            table: frame.base, rows: frame.base == nil ? [] : frame.rows, frame: frame, positions: nil,
            count: frame.count, identity: frame.base != nil && frame.identity)
    }

    /// Every row of `table`, in order.
    static func all(_ table: Table) -> VectorContext {
        VectorContext(
            table: table, rows: Array(0..<table.count), frame: nil, positions: nil, count: table.count, identity: true)
    }

    /// The given rows of `table`, outside any frame.
    static func rows(_ rows: [Int], of table: Table) -> VectorContext {
        VectorContext(table: table, rows: rows, frame: nil, positions: nil, count: rows.count, identity: false)
    }

    /// The context restricted to positions `index`.
    func subset(_ index: [Int]) -> VectorContext {
        VectorContext(
            table: table, rows: table == nil ? [] : index.map { rows[$0] }, frame: frame,
            positions: frame == nil ? nil : index.map { positions?[$0] ?? $0 }, count: index.count, identity: false)
    }

    /// The frame row of position `i`.
    @inline(__always) func frameRow(_ i: Int) -> Int { positions?[i] ?? i }
}
