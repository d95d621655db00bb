// Schema: the one definition of the dataset format — every table (CSV resource), every field,
// its Chinese title, type, unit and Fiscal Data Package tag. The loader validates against it,
// `datapackage.json` is generated from it, and Datasets/README.md documents it.

import Foundation

/// The type of a dataset field as stored in CSV.
public enum FieldType: String, Sendable, Codable {
    /// Free text.
    case string
    /// An exact decimal (amounts in 万元, indicator values, weights).
    case decimal = "number"
    /// A whole number (year, quantity, row id).
    case integer
}

/// One column of a dataset table.
public struct FieldSchema: Sendable {
    /// The column name in the CSV header.
    public let name: String
    /// The Chinese name, as the published tables print it.
    public let title: String
    /// How the cell is parsed.
    public let type: FieldType
    /// Whether an empty cell is an error.
    public let required: Bool
    /// The unit of the value, e.g. `万元`.
    public let unit: String?
    /// The Fiscal Data Package column type, where one fits.
    public let fdpType: String?
    /// The values allowed, when the field is an enumeration.
    public let allowed: [String]?
    /// What the field holds.
    public let summary: String

    init(
        _ name: String, _ title: String, required: Bool = false,
        unit: String? = nil, fdp: String? = nil, allowed: [String]? = nil, _ summary: String
    ) {
        self.init(name, title, .string, required: required, unit: unit, fdp: fdp, allowed: allowed, summary)
    }

    init(
        _ name: String, _ title: String, _ type: FieldType, required: Bool = false,
        unit: String? = nil, fdp: String? = nil, allowed: [String]? = nil, _ summary: String
    ) {
        self.name = name
        self.title = title
        self.type = type
        self.required = required
        self.unit = unit
        self.fdpType = fdp
        self.allowed = allowed
        self.summary = summary
    }
}

/// One table (one CSV resource) of a dataset.
public struct TableSchema: Sendable {
    /// The resource name, also the CSV file's base name.
    public let name: String
    /// The Chinese title.
    public let title: String
    /// What one row is.
    public let summary: String
    /// The columns, in header order.
    public let fields: [FieldSchema]
    /// The CSV file name.
    public var file: String { name + ".csv" }

    /// The field named `name`, if any.
    public func field(_ name: String) -> FieldSchema? { fields.first { $0.name == name } }
}

/// The dataset format: the list of tables every department folder holds.
public enum DatasetSchema {
    /// The format version written into `datapackage.json`.
    public static let version = "1"

    /// Income sources a budget can list.
    public static let incomeSources = [
        "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "财政专户管理资金",
        "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转",
    ]
    /// Funds spending can come from.
    public static let funds = ["一般公共预算", "政府性基金", "国有资本经营"]
    /// Indicator operators.
    public static let operators = ["=", "≥", "≤", ">", "<", "定性"]

    private static let money = "万元"

    /// Every table, in load order.
    public static let tables: [TableSchema] = [
        TableSchema(
            name: "department", title: "部门",
            summary: "The department (or, for a 单位预算, the unit) whose budget this is. Exactly one row.",
            fields: [
                FieldSchema("id", "标识", required: true, "The dataset id, equal to the folder name."),
                FieldSchema(
                    "code", "部门编码", fdp: "administrative-classification:generic:level1:code",
                    "Department code where published."),
                FieldSchema(
                    "name", "部门名称", required: true, fdp: "administrative-classification:generic:level1:label",
                    "Full published name."),
                FieldSchema("province", "省", required: true, "Province."),
                FieldSchema("city", "市", "City."),
                FieldSchema("county", "县（区）", "County or district; empty for a city-level department."),
                FieldSchema("year", "预算年度", .integer, required: true, fdp: "date:fiscal-year", "Budget year."),
                FieldSchema("kind", "预算类型", required: true, allowed: ["部门预算", "单位预算"], "部门预算 or 单位预算."),
                FieldSchema("source", "来源文件", required: true, "The published document's title."),
                FieldSchema("goal", "年度绩效目标", "The department-wide 年度绩效目标 text, if published."),
            ]),
        TableSchema(
            name: "units", title: "单位", summary: "One row per 预算单位 in the budget.",
            fields: [
                FieldSchema(
                    "code", "单位编码", fdp: "administrative-classification:generic:level2:code",
                    "Unit code where published."),
                FieldSchema(
                    "name", "单位名称", required: true, fdp: "administrative-classification:generic:level2:label",
                    "Exact published name; the key other tables refer to."),
                FieldSchema("goal", "年度绩效目标", "The unit's 年度绩效目标 from its 整体绩效目标表."),
            ]),
        TableSchema(
            name: "tasks", title: "年度主要任务", summary: "Rows of 年度主要任务 / 对应项目 in a 整体绩效目标表.",
            fields: [
                FieldSchema("unit", "单位", "Unit whose table it is; empty for the department-wide table."),
                FieldSchema("name", "任务名称", required: true, "Task or 对应项目 name."),
                FieldSchema("amount", "预算资金", .decimal, unit: money, fdp: "value", "预算资金 printed for the task."),
                FieldSchema("text", "主要内容", "Task description."),
            ]),
        TableSchema(
            name: "income", title: "收入", summary: "Department income by source, from the 收支预算总表.",
            fields: [
                FieldSchema("source", "收入来源", required: true, allowed: incomeSources, "Income source."),
                FieldSchema(
                    "amount", "预算数", .decimal, unit: money, fdp: "value",
                    "Amount; empty where the table prints a blank."),
            ]),
        TableSchema(
            name: "totals", title: "表内合计",
            summary: "Published total and subtotal lines that have no home in another table.",
            fields: [
                FieldSchema("key", "键", required: true, "What the line totals, e.g. income.total, projects.unit."),
                FieldSchema("label", "行名称", "The row label as printed (empty if printed without one)."),
                FieldSchema("table", "所在表", required: true, "The published table it comes from."),
                FieldSchema("amount", "金额", .decimal, unit: money, fdp: "value", "The figure as printed."),
            ]),
        TableSchema(
            name: "spending", title: "支出功能分类",
            summary:
                "Every printed line of the functional classification table: the 合计 line, 类 and 款 subtotal lines, and 项 lines.",
            fields: [
                FieldSchema(
                    "code", "科目编码", fdp: "functional-classification:generic:level3:code",
                    "3-digit 类, 5-digit 款, 7-digit 项; empty on the 合计 line."),
                FieldSchema(
                    "name", "科目名称", required: true, fdp: "functional-classification:generic:level3:label",
                    "Name as printed."),
                FieldSchema("fund", "资金性质", required: true, allowed: funds, "The fund the spending is paid from."),
                FieldSchema("total", "合计", .decimal, unit: money, fdp: "value", "合计."),
                FieldSchema("basic", "基本支出", .decimal, unit: money, "基本支出小计."),
                FieldSchema("personnel", "人员经费", .decimal, unit: money, "基本支出: 人员经费."),
                FieldSchema("public", "公用经费", .decimal, unit: money, "基本支出: 公用经费."),
                FieldSchema("project", "项目支出", .decimal, unit: money, "项目支出."),
            ]),
        TableSchema(
            name: "economic", title: "支出经济分类", summary: "Every printed line of an economic classification table.",
            fields: [
                FieldSchema("table", "所在表", required: true, "Published table name."),
                FieldSchema(
                    "scheme", "分类体系", required: true, allowed: ["部门", "政府"], "部门 (部门预算支出经济分类) or 政府 (政府预算支出经济分类)."),
                FieldSchema(
                    "code", "科目编码", fdp: "economic-classification:generic:level2:code",
                    "3-digit 类, 5-digit 款; empty on the 合计 line."),
                FieldSchema(
                    "name", "科目名称", required: true, fdp: "economic-classification:generic:level2:label",
                    "Name as printed."),
                FieldSchema("gov_code", "政府经济分类编码", "The parallel 政府预算 code printed on the same row."),
                FieldSchema("gov_name", "政府经济分类名称", "The parallel 政府预算 name printed on the same row."),
                FieldSchema("total", "合计", .decimal, unit: money, fdp: "value", "合计."),
                FieldSchema("basic", "基本支出", .decimal, unit: money, "基本支出小计, where the table prints it."),
                FieldSchema("personnel", "人员经费", .decimal, unit: money, "人员经费."),
                FieldSchema("public", "公用经费", .decimal, unit: money, "公用经费."),
                FieldSchema("project", "项目支出", .decimal, unit: money, "项目支出, where the table has it."),
            ]),
        TableSchema(
            name: "projects", title: "项目", summary: "Every project of 项目支出, and every performance item paid from 基本支出.",
            fields: [
                FieldSchema(
                    "id", "项目标识", required: true, fdp: "activity:generic:project:id", "Dataset-local key: P01, P02, …"),
                FieldSchema("unit", "单位", "Implementing unit (a units.name); empty where the document does not say."),
                FieldSchema("code", "项目编码", fdp: "activity:generic:project:code", "项目编码 where published."),
                FieldSchema("name", "项目名称", required: true, fdp: "activity:generic:project:label", "Project name."),
                FieldSchema(
                    "category", "项目类别", allowed: ["人员类", "运转类", "其他运转类", "特定目标类"], "Category where published."),
                FieldSchema(
                    "spending_type", "支出类型", required: true, allowed: ["项目支出", "基本支出"],
                    "项目支出 for projects; 基本支出 for 人员类/运转类 items."),
                FieldSchema("content", "项目内容", "项目内容 / 项目概况."),
                FieldSchema(
                    "amount", "金额", .decimal, required: true, unit: money, fdp: "value", "Amount from the 项目支出 table."),
                FieldSchema("fund", "资金来源", allowed: funds, "Funding source."),
                FieldSchema(
                    "function_code", "功能分类科目", fdp: "functional-classification:generic:level3:code",
                    "7-digit 项 code where published."),
                FieldSchema("goal", "总体目标", "总体目标 / 年度目标."),
                FieldSchema("goal_amount", "绩效目标表预算资金", .decimal, unit: money, "预算资金 printed in the project's 绩效目标表."),
                FieldSchema("plan_q1", "一季度", .decimal, unit: money, "Spending plan, quarter 1."),
                FieldSchema("plan_q2", "二季度", .decimal, unit: money, "Spending plan, quarter 2."),
                FieldSchema("plan_q3", "三季度", .decimal, unit: money, "Spending plan, quarter 3."),
                FieldSchema("plan_q4", "四季度", .decimal, unit: money, "Spending plan, quarter 4."),
            ]),
        TableSchema(
            name: "indicators", title: "绩效指标",
            summary: "Every 绩效指标, for projects and for the department or units as a whole.",
            fields: [
                FieldSchema("id", "序号", .integer, required: true, "1, 2, 3, … in document order."),
                FieldSchema("project", "项目", "Project id; empty for 整体绩效 indicators."),
                FieldSchema("unit", "单位", "For 整体绩效 indicators: the unit whose table it is (empty: department-wide)."),
                FieldSchema("level1", "一级指标", required: true, "一级指标."),
                FieldSchema("level2", "二级指标", "二级指标."),
                FieldSchema("level3", "三级指标", required: true, "三级指标: the indicator itself."),
                FieldSchema("op", "运算符", required: true, allowed: operators, "=, ≥, ≤, >, < or 定性."),
                FieldSchema("value", "指标值", .decimal, "The number, when the value is numeric."),
                FieldSchema("text", "指标值原文", "The 指标值 exactly as published."),
                FieldSchema("measure", "度量单位", "度量单位 as printed."),
                FieldSchema("deadline", "完成时限", "完成时限."),
                FieldSchema("weight", "权重", .decimal, "权重."),
                FieldSchema("direction", "指标方向性", allowed: ["正向", "反向"], "正向 or 反向."),
                FieldSchema("nature", "指标性质", "指标性质 as printed."),
                FieldSchema("basis", "指标值确定依据", "指标值确定依据."),
                FieldSchema("description", "绩效指标描述", "绩效指标描述."),
            ]),
        TableSchema(
            name: "three_public", title: "三公经费",
            summary: "财政拨款“三公”经费: one department row, plus unit rows where published.",
            fields: [
                FieldSchema("unit", "单位", "Empty for the department row."),
                FieldSchema("total", "合计", .decimal, unit: money, fdp: "value", "“三公”经费合计."),
                FieldSchema("abroad", "因公出国（境）费", .decimal, unit: money, "因公出国（境）费."),
                FieldSchema("vehicle", "公务用车购置及运行费", .decimal, unit: money, "公务用车购置及运行费."),
                FieldSchema("vehicle_purchase", "公务用车购置费", .decimal, unit: money, "公务用车购置费."),
                FieldSchema("vehicle_operation", "公务用车运行费", .decimal, unit: money, "公务用车运行费."),
                FieldSchema("reception", "公务接待费", .decimal, unit: money, "公务接待费."),
            ]),
        TableSchema(
            name: "procurement", title: "政府采购", summary: "政府采购预算 item rows.",
            fields: [
                FieldSchema("unit", "单位", "Purchasing unit."),
                FieldSchema("project", "项目名称", "政府采购项目来源."),
                FieldSchema("project_amount", "项目预算资金", .decimal, unit: money, "The source project's budget."),
                FieldSchema("item", "采购物品名称", required: true, "Item."),
                FieldSchema("category", "采购类别", allowed: ["货物", "工程", "服务"], "货物, 工程 or 服务."),
                FieldSchema("catalog_code", "政府采购目录序号", "Catalog code, e.g. A05040101."),
                FieldSchema("measure", "计量单位", "计量单位."),
                FieldSchema("quantity", "数量", .decimal, "数量."),
                FieldSchema("unit_price", "单价", .decimal, unit: money, "单价."),
                FieldSchema("amount", "金额", .decimal, unit: money, fdp: "value", "政府采购金额."),
                FieldSchema("sme_reserved", "预留中小微企业份额", .decimal, unit: money, "预留中小微企业份额."),
            ]),
        TableSchema(
            name: "purchase_services", title: "政府购买服务", summary: "政府购买服务 rows.",
            fields: [
                FieldSchema("unit", "单位", "Unit."),
                FieldSchema("project", "项目名称", "Project."),
                FieldSchema("item", "服务内容", required: true, "Service."),
                FieldSchema("category", "服务类别", "Category."),
                FieldSchema("amount", "金额", .decimal, unit: money, fdp: "value", "Amount."),
            ]),
        TableSchema(
            name: "assets", title: "国有资产", summary: "国有资产 占有使用, vehicles and equipment, as published.",
            fields: [
                FieldSchema("category", "资产类别", required: true, "e.g. 车辆, 固定资产, 设备."),
                FieldSchema("item", "资产名称", required: true, "e.g. 一般公务用车."),
                FieldSchema("quantity", "数量", .decimal, "Count (辆, 台套)."),
                FieldSchema("amount", "金额", .decimal, unit: money, fdp: "value", "Value."),
                FieldSchema("note", "说明", "Note."),
            ]),
        TableSchema(
            name: "narrative", title: "情况说明",
            summary: "Every figure the narrative (情况说明) states, one row per statement.",
            fields: [
                FieldSchema(
                    "key", "键", required: true, "What the figure is (see Datasets/README.md for the vocabulary)."),
                FieldSchema("label", "名称", required: true, "The term as printed."),
                FieldSchema("amount", "数值", .decimal, required: true, "The figure as printed."),
                FieldSchema("measure", "单位", "万元, 个, 辆, %, …"),
                FieldSchema("section", "所在章节", "Narrative heading."),
                FieldSchema("quote", "原文", "The clause, verbatim."),
            ]),
    ]

    /// The table named `name`.
    public static func table(_ name: String) -> TableSchema? { tables.first { $0.name == name } }

    /// The `datapackage.json` descriptor for a dataset, as pretty-printed JSON with sorted keys.
    public static func dataPackageJSON(id: String, title: String) -> String {
        var resources: [[String: Any]] = []
        for table in tables {
            var fields: [[String: Any]] = []
            for f in table.fields {
                var d: [String: Any] = [
                    "name": f.name, "title": f.title, "type": f.type.rawValue, "description": f.summary,
                ]
                if f.required { d["constraints"] = ["required": true] }
                if let allowed = f.allowed {
                    var c = (d["constraints"] as? [String: Any]) ?? [:]
                    c["enum"] = allowed
                    d["constraints"] = c
                }
                if let u = f.unit { d["unit"] = u }
                if let t = f.fdpType { d["columnType"] = t }
                if f.type == .decimal { d["bareNumber"] = true }
                fields.append(d)
            }
            resources.append([
                "name": table.name, "path": table.file, "title": table.title, "description": table.summary,
                "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": ["fields": fields],
            ])
        }
        let package: [String: Any] = [
            "name": id, "title": title, "profile": "tabular-data-package",
            "bql:format": version, "resources": resources,
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: package, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        return text + "\n"
    }
}
