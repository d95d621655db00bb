// ResultCoding: `Codable` for values and results, so an embedder can hand a QueryResult to
// JSONEncoder. Decimals are encoded as exact JSON numbers (through Foundation.Decimal, which
// is base-10), never through Double.

import Foundation

extension Value: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
            return
        }
        if let b = try? c.decode(Bool.self) {
            self = .bool(b)
            return
        }
        if let i = try? c.decode(Int.self) {
            self = .integer(i)
            return
        }
        if let d = try? c.decode(Decimal.self), let e = ExactDecimal("\(d)") {
            self = .decimal(e)
            return
        }
        self = .text(try c.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .decimal(let d):
            guard let exact = Decimal(string: d.description, locale: Locale(identifier: "en_US_POSIX")) else {
                throw EncodingError.invalidValue(
                    d.description, .init(codingPath: c.codingPath, debugDescription: "not a decimal"))
            }
            try c.encode(exact)
        case .text(let s): try c.encode(s)
        }
    }
}

extension QueryResult: Codable {
    private enum CodingKeys: String, CodingKey { case columns, rows }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            columns: try c.decode([ResultColumn].self, forKey: .columns),
            rows: try c.decode([[Value]].self, forKey: .rows))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(columns, forKey: .columns)
        try c.encode(rows, forKey: .rows)
    }
}
