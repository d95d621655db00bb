// Figures: reading a printed amount exactly — `371,514,655.00`, `156,211,123`, `87267272.44`,
// `-`, `0.00` — and converting it from the unit its table was published in to 万元 without
// rounding (9,389,913.00 元 = 938.991300 万元: the scale grows by four places, nothing is cut).

import BudgetModel

/// The unit a table (or the narrative) prints its amounts in.
public enum PublishedUnit: String, Sendable, Hashable {
    /// 元.
    case yuan = "元"
    /// 千元.
    case thousandYuan = "千元"
    /// 万元, the unit the dataset format stores.
    case wanYuan = "万元"

    /// The unit named in a table's 「单位：元」 line, if any.
    static func named(in text: String) -> PublishedUnit? {
        let t = TextNormal.key(text)
        // Every 「单位:」 — 「预算单位:某某」 names a body, 「单位:元」 the unit.
        var search = t.startIndex..<t.endIndex
        while let r = t.range(of: "单位:", range: search) {
            let rest = t[r.upperBound...]
            if rest.hasPrefix("万元") { return .wanYuan }
            if rest.hasPrefix("千元") { return .thousandYuan }
            if rest.hasPrefix("元") { return .yuan }
            search = r.upperBound..<t.endIndex
        }
        if t.hasSuffix("(元)") { return .yuan }
        if t.hasSuffix("(万元)") { return .wanYuan }
        return nil
    }
}

/// One printed figure.
struct Figure: Sendable, Hashable {
    /// The value in 万元 (exact).
    var value: ExactDecimal
    /// The text as printed.
    var printed: String
    /// The unit the table printed it in.
    var unit: PublishedUnit
    /// Whether it was printed as a dash (「-」) rather than a number.
    var isDash: Bool
}

/// Parses printed numbers.
enum Figures {
    private static let dashes: Set<String> = ["-", "—", "–", "－", "——", "--", "―", "−"]

    /// Whether `token` is a dash that stands for "nothing" in a figure cell.
    static func isDash(_ token: String) -> Bool { dashes.contains(token.trimmingCharacters(in: .whitespaces)) }

    /// The number `token` spells (half-width digits, optional sign, thousands separators,
    /// decimals), or `nil` when it is not a plain number.
    static func number(_ token: String) -> ExactDecimal? {
        var t = TextNormal.halfWidth(token).trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("−") { t = "-" + t.dropFirst() }
        guard let first = t.unicodeScalars.first, first == "-" || first == "+" || ("0"..."9").contains(first) else {
            return nil
        }
        // A thousands separator only between digits, every group after it three digits long.
        if t.contains(",") {
            let intPart = t.split(separator: ".", maxSplits: 1).first ?? ""
            let groups = intPart.split(separator: ",", omittingEmptySubsequences: false)
            if groups.dropFirst().contains(where: { $0.count != 3 }) || (groups.first ?? "").isEmpty
                || groups.first == "-"
            {
                return nil
            }
        }
        if t.hasSuffix(".") { return nil }
        return ExactDecimal(t, allowGrouping: true)
    }

    /// Whether `token` looks like an amount (a number with a separator, decimals, or plain digits).
    static func isFigure(_ token: String) -> Bool { number(token) != nil || isDash(token) }

    /// The figure `token` prints, in 万元, or `nil` when it is not a figure.
    static func figure(_ token: String, unit: PublishedUnit) -> Figure? {
        if isDash(token) {
            let zero = ExactDecimal(mantissa: 0, scale: unit == .wanYuan ? 0 : 4)
            return Figure(value: zero, printed: token, unit: unit, isDash: true)
        }
        guard let n = number(token) else { return nil }
        return Figure(value: toWan(n, from: unit), printed: token, unit: unit, isDash: false)
    }

    /// `n` converted exactly from `unit` to 万元: the digits stay, the point moves.
    static func toWan(_ n: ExactDecimal, from unit: PublishedUnit) -> ExactDecimal {
        switch unit {
        case .wanYuan: return n
        case .yuan: return ExactDecimal(mantissa: n.mantissa, scale: n.scale + 4)
        case .thousandYuan: return ExactDecimal(mantissa: n.mantissa, scale: n.scale + 1)
        }
    }
}
