// Facts: figures computed from a budget's tables under the keys the narrative vocabulary uses
// (`expense.basic`, `class.210`, `three_public.total`, …). `bql check` compares each narrative
// statement with the fact of the same key; the reconciliation tests use the same function.

extension Budget {
    /// Σ of optional decimals, treating blanks as zero; `nil` on overflow.
    static func sum<S: Sequence>(_ values: S) -> ExactDecimal? where S.Element == ExactDecimal? {
        var total = ExactDecimal.zero
        for v in values {
            guard let v else { continue }
            guard let t = total.adding(v) else { return nil }
            total = t
        }
        return total
    }

    /// Σ of optional decimals, or `nil` when every value is blank (the figure is not published).
    static func sumPublished<S: Sequence>(_ values: S) -> ExactDecimal? where S.Element == ExactDecimal? {
        var any = false
        var total = ExactDecimal.zero
        for v in values {
            guard let v else { continue }
            any = true
            guard let t = total.adding(v) else { return nil }
            total = t
        }
        return any ? total : nil
    }

    /// The 合计 line of the economic table of 基本支出, if one is published.
    var basicEconomicTotal: EconomicLine? {
        economic.first { $0.code == nil && $0.table.contains("基本支出") }
    }

    /// The functional-classification lines with `code` (all funds), or the 合计 lines for `nil`.
    public func spendingLines(code: String?) -> [SpendingLine] {
        spending.filter { $0.code == code }
    }

    /// The figure the tables give for a narrative `key`, or `nil` when the tables cannot say
    /// (an unknown key, an `other.*` key, or a figure no table publishes).
    public func fact(_ key: String) -> ExactDecimal? {
        let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
        // A key is any text (a narrative row's `key` cell): "." or "" splits into nothing.
        let head = parts.first ?? ""
        let tail = parts.count > 1 ? parts[1] : ""
        // The 合计 lines by index (copying lines to filter them was a large part of a check).
        var totalLines: [Int] { spending.indices.filter { spending[$0].code == nil } }
        func ofTotalLines(_ field: KeyPath<SpendingLine, ExactDecimal?>) -> [ExactDecimal?] {
            totalLines.map { spending[$0][keyPath: field] }
        }
        switch head {
        case "total":
            return Budget.sum(ofTotalLines(\.total))
        case "income":
            if tail == "total" {
                if let t = totals.first(where: { $0.key == "income.total" }) { return t.amount ?? .zero }
                return Budget.sum(income.map(\.amount))
            }
            guard let line = income.first(where: { $0.source == tail }) else { return nil }
            return line.amount ?? .zero
        case "expense":
            switch tail {
            case "total": return Budget.sum(ofTotalLines(\.total))
            case "basic": return Budget.sum(ofTotalLines(\.basic))
            case "personnel": return Budget.sumPublished(ofTotalLines(\.personnel)) ?? basicEconomicTotal?.personnel
            case "public": return Budget.sumPublished(ofTotalLines(\.publicCost)) ?? basicEconomicTotal?.publicCost
            case "project": return Budget.sum(ofTotalLines(\.project))
            default: return nil
            }
        case "class", "kuan", "xiang":
            let lines = spending.indices.filter { spending[$0].code == tail }
            if lines.isEmpty { return totals.first(where: { $0.key == key })?.amount }
            return Budget.sum(lines.map { spending[$0].total })
        case "econ":
            guard let line = economic.first(where: { $0.scheme == "部门" && $0.code == tail }) else { return nil }
            return line.total ?? .zero
        case "econ_gov":
            if let line = economic.first(where: { $0.scheme == "政府" && $0.code == tail }) { return line.total ?? .zero }
            let rows = economic.filter {
                $0.scheme == "部门" && ($0.code?.count ?? 0) == 5 && ($0.govCode?.hasPrefix(tail) ?? false)
            }
            return rows.isEmpty ? nil : Budget.sum(rows.map(\.total))
        case "three_public":
            guard let row = threePublic.first(where: { $0.unit == nil }) ?? threePublic.first else { return nil }
            switch tail {
            case "total": return row.total ?? .zero
            case "abroad": return row.abroad ?? .zero
            case "vehicle": return row.vehicle ?? .zero
            case "vehicle_purchase": return row.vehiclePurchase ?? .zero
            case "vehicle_operation": return row.vehicleOperation ?? .zero
            case "reception": return row.reception ?? .zero
            default: return nil
            }
        case "procurement":
            if procurement.isEmpty && !totals.contains(where: { $0.key.hasPrefix("procurement.") }) { return nil }
            switch tail {
            case "total":
                if let t = totals.first(where: { $0.key == "procurement.total" }) { return t.amount ?? .zero }
                return Budget.sum(procurement.map(\.amount))
            case "goods": return Budget.sum(procurement.filter { $0.category == "货物" }.map(\.amount))
            case "works": return Budget.sum(procurement.filter { $0.category == "工程" }.map(\.amount))
            case "services": return Budget.sum(procurement.filter { $0.category == "服务" }.map(\.amount))
            default: return nil
            }
        case "purchase_services":
            guard tail == "total" else { return nil }
            if let t = totals.first(where: { $0.key == "purchase_services.total" }) { return t.amount ?? .zero }
            return purchaseServices.isEmpty ? nil : Budget.sum(purchaseServices.map(\.amount))
        case "projects":
            switch tail {
            case "count": return ExactDecimal(projectSpending.count)
            case "amount": return Budget.sum(projectSpending.map { Optional($0.amount) })
            default: return nil
            }
        case "goals":
            let withGoals = Set(indicators.compactMap(\.project))
            let projects = projectSpending.filter { withGoals.contains($0.id) }
            switch tail {
            case "project_count": return ExactDecimal(projects.count)
            case "project_amount": return Budget.sum(projects.map { Optional($0.amount) })
            default: return nil
            }
        case "operating_cost":
            return totals.first(where: { $0.key == "operating_cost" })?.amount
        default:
            return totals.first(where: { $0.key == key })?.amount
        }
    }
}
