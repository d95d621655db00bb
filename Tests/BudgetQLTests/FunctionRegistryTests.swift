// FunctionRegistryTests: the function registry is consistent, and every registered scalar
// function over every aggregate gives the same answer (or the same error) in `agg` — a function
// of aggregates — as in `derive` over the aggregated column, in batch and row-by-row evaluation,
// without a crash.

import BudgetQL
import Testing

@Suite struct FunctionRegistryTests {
    @Test func namesAreUniqueAndSignaturesWellFormed() {
        var seen = Set<String>()
        for f in Functions.scalars {
            for n in [f.name] + f.aliases {
                #expect(seen.insert(n.lowercased()).inserted, "\(n) is registered twice")
                #expect(Functions.aggregate(named: n) == nil, "\(n) is also an aggregate")
                #expect(Functions.scalar(named: n) == f)
            }
            #expect(f.name == f.name.lowercased() && f.name.allSatisfy { $0.isASCII }, "\(f.name)")
            // Optional parameters come last, and a repeating parameter is the only kind of arity above the list.
            let firstOptional = f.parameters.firstIndex(where: \.optional) ?? f.parameters.count
            let trailing = f.parameters[firstOptional...].allSatisfy { $0.optional }
            #expect(trailing, "\(f.name)")
            #expect(f.maxArguments == nil || f.parameters.allSatisfy { !$0.optional }, "\(f.name)")
            #expect(!f.arity.isEmpty && f.arity.upperBound <= 16, "\(f.name)")
        }
        for a in AggregateFunction.allCases {
            for n in a.names + a.chineseNames {
                #expect(seen.insert(n.lowercased()).inserted, "\(n) is registered twice")
                #expect(Functions.aggregate(named: n) == a)
            }
        }
        #expect(Functions.scalar(named: "UPPER")?.name == "upper")
        #expect(Functions.aggregate(named: "合计") == .sum)
    }

    /// Aggregates of a group, over an amount, over text and over a condition (an error where
    /// the kind does not fit), with their parameters; the switch names every aggregate.
    static let aggregates: [String] = AggregateFunction.allCases.filter(\.foldsGroups).flatMap { a -> [String] in
        let n = a.names[0]
        switch a {
        case .count: return ["count()", "count(amount)", "count(distinct name)", "count(amount > 100)"]
        case .avg: return ["avg(amount)", "avg(name)", "avg(amount > 100)"]
        case .quantile: return ["quantile(amount, 0.25)", "quantile(name, 0.5)", "quantile(amount, 1)"]
        case .percentile: return ["percentile(amount, 90)", "percentile(name, 10)"]
        case .stringAgg: return ["string_agg(name)", "string_agg(name, \" / \")", "string_agg(amount)"]
        case .sum, .min, .max, .countDistinct, .median, .share:
            return ["\(n)(amount)", "\(n)(name)"]
        case .any, .all: return []
        }
    }

    /// A constant argument of each kind.
    static func constant(_ kind: ArgumentKind) -> String {
        switch kind {
        case .text: return "\"医保\""
        case .pattern: return "\"^医\""
        case .number: return "2"
        case .any: return "0"
        }
    }

    /// Argument lists of `f` with `slot` at each position, for the smallest and next arities.
    static func argumentLists(_ f: ScalarFunction, slot: String) -> [[String]] {
        var lists: [[String]] = []
        let counts = Set([f.arity.lowerBound, min(f.arity.lowerBound + 1, f.arity.upperBound)]).sorted()
        for n in counts where n > 0 {
            for position in 0..<n {
                lists.append((0..<n).map { $0 == position ? slot : constant(f.kind(ofArgument: $0)) })
            }
        }
        return lists
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case rows(ValueType?, [[Value]])
        case failed(String)

        var description: String {
            switch self {
            case .rows(let t, let r): return "\(t.map(\.rawValue) ?? "?"): \(r)"
            case .failed(let m): return "error: \(m)"
            }
        }
    }

    static func outcome(_ query: String, _ mode: EvaluationMode) -> Outcome {
        var s = Fixture.session()
        s.evaluation = mode
        do {
            let r = try s.query(query)
            return .rows(r.columns.last?.type, r.rows.map { [$0.first ?? .null, $0.last ?? .null] })
        } catch {
            return .failed(error.message)
        }
    }

    @Test(arguments: Functions.scalars)
    func overEveryAggregateAggAndDeriveAgree(_ f: ScalarFunction) {
        var succeeded = 0
        for aggregate in Self.aggregates {
            for args in Self.argumentLists(f, slot: "§") {
                let inAgg =
                    "projects | group by dept | agg x = \(f.name)(\(args.joined(separator: ", "))"
                    .replacingOccurrences(of: "§", with: aggregate) + ")"
                let inDerive =
                    "projects | group by dept | agg s = \(aggregate) | derive x = \(f.name)(\(args.joined(separator: ", ")))"
                    .replacingOccurrences(of: "§", with: "s") + " | select dept, x"
                let batch = Self.outcome(inAgg, .batch)
                #expect(batch == Self.outcome(inAgg, .rowByRow), "\(inAgg)")
                #expect(batch == Self.outcome(inDerive, .batch), "\(inAgg)\n\(inDerive)")
                if case .rows = batch { succeeded += 1 }
            }
        }
        #expect(succeeded > 0, "\(f.name) never applies to an aggregate")
    }
}
