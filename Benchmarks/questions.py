"""The benchmark's questions: each in BudgetQL and in SQL for SQLite and DuckDB.

The SQL runs over tables loaded from the same CSV files (see schema.py):

  departments   department.csv of every folder (id = folder name)
  items         projects.csv (every project and 基本支出 item; BudgetQL's `projects` is
                spending_type = '项目支出', its `items` is all of them)
  indicators    indicators.csv
  spending_lines spending.csv (BudgetQL's `spending` is its 7-digit 项 lines)
  functional_names  code → name, built at load time from spending_lines (BudgetQL's catalog
                builds the same map when it loads, for 类/款/项名称)
  … and every other CSV, each with a `dept` column.

Money: SQLite stores it as INTEGER cents (exact; literals and outputs are converted), DuckDB as
DECIMAL(18,2) (exact). BudgetQL uses its own exact decimal. Answers are compared to the cent.
"""


class Dialect:
    def __init__(self, name, money_out, amount, contains, cent):
        self.name = name
        self.money_out = money_out    # expression holding money → printable value
        self.amount = amount          # a literal in 万元 → literal in storage units
        self.contains = contains      # text contains
        self.cent = cent              # one cent in storage units


SQLITE = Dialect(
    "sqlite",
    money_out=lambda e: f"CASE WHEN ({e}) IS NULL THEN NULL ELSE printf('%.2f', ({e}) / 100.0) END",
    amount=lambda x: str(int(round(x * 100))),
    contains=lambda a, b: f"instr({a}, {b}) > 0",
    cent="1",
)

DUCKDB = Dialect(
    "duckdb",
    money_out=lambda e: f"({e})",
    amount=lambda x: f"{x}",
    contains=lambda a, b: f"contains({a}, {b})",
    cent="0.01",
)


def nn(x):
    """1 when x is published (not null), else 0."""
    return f"(CASE WHEN {x} IS NOT NULL THEN 1 ELSE 0 END)"


def z(x):
    return f"coalesce({x}, 0)"


E_TABLE = 'e."table"'
BASIC_LIT = "'基本支出'"

COLUMNS = ["total", "basic", "personnel", "public", "project"]


def check_sql(d, only=None):
    """The consistency rules of `Checker.check` that apply to the generated datasets, as SQL.

    Covered (every rule the generated data can exercise): 收入合计 = 支出合计, 收入合计 = Σ 收入,
    合计 = Σ 类, 类 = Σ 款, 款 = Σ 项, 合计 = Σ 项 (no 类 lines), 合计 = 基本支出 + 项目支出,
    基本支出 = 人员经费 + 公用经费, 经济分类合计 = Σ 类, 经济分类类 = Σ 款, 经济分类款 = Σ 子目,
    经济分类 合计 = 人员经费 + 公用经费 + 项目支出 (or 基本支出 + 项目支出), Σ 经济分类 = 基本支出,
    三公 合计 = Σ 各项, 公务用车 = 购置 + 运行, Σ 项目 = 项目支出, Σ 项目 = 项目支出表合计,
    Σ 单位项目 = 单位小计, 项目金额 = 绩效目标表预算资金.
    Not covered (the generated data has none of their inputs): 收支总表 class.* totals, 政府采购
    totals, narrative statements, classification name conflicts.

    Each comparison yields (dept, rule, tbl, subject, pub, csum, nnn, nterms, strict) with the
    semantics of `compare` in Checker.swift: skipped when both sides are blank, or when one
    side is blank and the rule is not strict; a finding when published ≠ Σ parts; rounding
    when |difference| ≤ 0.01 × terms.
    """
    parts = []

    # Functional classification.
    sl = ("SELECT dept, fund, code, name, total, basic, personnel, public, project, "
          "CASE WHEN code IS NULL THEN 0 WHEN length(code) = 3 THEN 1 WHEN length(code) = 5 THEN 2 ELSE 3 END AS lvl, "
          "CASE WHEN code IS NULL THEN NULL WHEN length(code) = 3 THEN '' WHEN length(code) = 5 THEN substr(code, 1, 3) "
          "ELSE substr(code, 1, 5) END AS parent FROM spending_lines")
    sums = ", ".join(f"sum(c.{c}) AS s_{c}, count(c.{c}) AS n_{c}" for c in COLUMNS)
    pcols = ", ".join(f"p.{c}" for c in COLUMNS)
    kids = (f"SELECT p.dept, p.fund, p.code, p.name, p.lvl, {pcols}, {sums}, count(*) AS n "
            f"FROM sl p JOIN sl c ON c.dept = p.dept AND c.fund = p.fund AND c.parent = coalesce(p.code, '') "
            f"GROUP BY p.dept, p.fund, p.code, p.name, p.lvl, {pcols}")
    for c in COLUMNS:
        parts.append(
            f"SELECT dept, CASE lvl WHEN 0 THEN '合计 = Σ 类' WHEN 1 THEN '类 = Σ 款' ELSE '款 = Σ 项' END, 'spending', "
            f"coalesce(code, '合计') || ' ' || name || ' · {c}', {c}, {z('s_' + c)}, n_{c}, n, 1 FROM kids")
    parts.append(
        f"SELECT dept, '合计 = 基本支出 + 项目支出', 'spending', coalesce(code, '合计') || ' ' || name, total, "
        f"{z('basic')} + {z('project')}, {nn('basic')} + {nn('project')}, 2, 1 FROM sl")
    parts.append(
        f"SELECT s.dept, '基本支出 = 人员经费 + 公用经费', 'spending', coalesce(s.code, '合计') || ' ' || s.name, s.basic, "
        f"{z('s.personnel')} + {z('s.public')}, {nn('s.personnel')} + {nn('s.public')}, 2, sp.split "
        f"FROM sl s JOIN split sp ON sp.dept = s.dept AND sp.fund = s.fund")
    for c in COLUMNS:
        parts.append(
            f"SELECT t.dept, '合计 = Σ 项', 'spending', '合计 · {c}', t.{c}, {z('a.s_' + c)}, {z('a.n_' + c)}, "
            f"CASE WHEN coalesce(a.n, 0) > 1 THEN a.n ELSE 1 END, 1 "
            f"FROM sl t JOIN split f ON f.dept = t.dept AND f.fund = t.fund "
            f"LEFT JOIN ia a ON a.dept = t.dept AND a.fund = t.fund WHERE t.lvl = 0 AND f.has_lei = 0")

    # Economic classification, per published table.
    el = ("SELECT e.dept, e.\"table\", e.code, e.name, e.total, e.basic, e.personnel, e.public, e.project, "
          "CASE WHEN e.code IS NULL THEN 0 WHEN length(e.code) = 3 THEN 1 WHEN length(e.code) = 5 THEN 2 ELSE 3 END AS lvl, "
          "CASE WHEN e.code IS NULL THEN NULL WHEN length(e.code) = 3 THEN '' "
          "WHEN length(e.code) = 5 THEN (CASE WHEN t.has_lei = 1 THEN substr(e.code, 1, 3) ELSE '' END) "
          "ELSE substr(e.code, 1, 5) END AS parent, t.split, t.basicp "
          "FROM economic e JOIN et t ON t.dept = e.dept AND t.\"table\" = e.\"table\"")
    et = ("SELECT dept, \"table\", max(CASE WHEN length(code) = 3 THEN 1 ELSE 0 END) AS has_lei, "
          "max(CASE WHEN personnel IS NOT NULL OR public IS NOT NULL OR project IS NOT NULL OR basic IS NOT NULL THEN 1 ELSE 0 END) AS split, "
          "max(CASE WHEN basic IS NOT NULL THEN 1 ELSE 0 END) AS basicp FROM economic GROUP BY dept, \"table\"")
    ekids = (f"SELECT p.dept, p.\"table\", p.code, p.name, p.lvl, {pcols}, {sums}, count(*) AS n "
             f"FROM el p JOIN el c ON c.dept = p.dept AND c.\"table\" = p.\"table\" AND c.parent = coalesce(p.code, '') "
             f"GROUP BY p.dept, p.\"table\", p.code, p.name, p.lvl, {pcols}")
    for c in COLUMNS:
        parts.append(
            f"SELECT dept, CASE lvl WHEN 0 THEN '经济分类合计 = Σ 类' WHEN 1 THEN '经济分类类 = Σ 款' ELSE '经济分类款 = Σ 子目' END, "
            f"'economic', \"table\" || ' · ' || coalesce(code, '合计') || ' ' || name || ' · {c}', {c}, {z('s_' + c)}, n_{c}, n, 1 "
            f"FROM ekids")
    parts.append(
        f"SELECT dept, CASE WHEN basicp = 1 THEN '经济分类 合计 = 基本支出 + 项目支出' ELSE '经济分类 合计 = 人员经费 + 公用经费 + 项目支出' END, "
        f"'economic', \"table\" || ' · ' || coalesce(code, '合计') || ' ' || name, total, "
        f"CASE WHEN basicp = 1 THEN {z('basic')} + {z('project')} ELSE {z('personnel')} + {z('public')} + {z('project')} END, "
        f"CASE WHEN basicp = 1 THEN {nn('basic')} + {nn('project')} ELSE {nn('personnel')} + {nn('public')} + {nn('project')} END, "
        f"CASE WHEN basicp = 1 THEN 2 ELSE 3 END, split FROM el")
    parts.append(
        f"SELECT e.dept, 'Σ 经济分类 = 基本支出', 'economic', e.\"table\" || ' · 合计', e.total, b.basic, 1, 1, 1 "
        f"FROM el e JOIN (SELECT dept, sum(CASE WHEN code IS NULL THEN coalesce(basic, 0) ELSE 0 END) AS basic "
        f"FROM spending_lines GROUP BY dept) b ON b.dept = e.dept "
        f"WHERE e.lvl = 0 AND {d.contains(E_TABLE, BASIC_LIT)}")

    # 三公经费.
    parts.append(
        f"SELECT dept, '三公 合计 = Σ 各项', 'three_public', coalesce(unit, '部门'), total, "
        f"{z('abroad')} + {z('vehicle')} + {z('reception')}, {nn('abroad')} + {nn('vehicle')} + {nn('reception')}, 3, 1 FROM three_public")
    parts.append(
        f"SELECT dept, '公务用车 = 购置 + 运行', 'three_public', coalesce(unit, '部门'), vehicle, "
        f"{z('vehicle_purchase')} + {z('vehicle_operation')}, {nn('vehicle_purchase')} + {nn('vehicle_operation')}, 2, 1 FROM three_public")

    # Income and totals.
    parts.append(
        "SELECT dept, '收入合计 = 支出合计', 'totals', '本年收入合计 vs 本年支出合计', "
        "max(CASE WHEN key = 'income.total' THEN amount END), coalesce(max(CASE WHEN key = 'expense.total' THEN amount END), 0), "
        "count(CASE WHEN key = 'expense.total' THEN amount END), 1, 1 FROM tt WHERE rn = 1 GROUP BY dept")
    parts.append(
        "SELECT i.dept, '收入合计 = Σ 收入', 'income', '本年收入合计', t.amount, coalesce(sum(i.amount), 0), count(i.amount), count(*), 1 "
        "FROM income i JOIN tt t ON t.dept = i.dept AND t.rn = 1 AND t.key = 'income.total' AND t.amount IS NOT NULL "
        "GROUP BY i.dept, t.amount")

    # Projects.
    parts.append(
        "SELECT a.dept, 'Σ 项目 = 项目支出', 'projects', '项目支出 (spending 合计)', sp.project, a.s, a.n, a.n, 1 "
        "FROM pagg a JOIN (SELECT dept, sum(CASE WHEN code IS NULL THEN coalesce(project, 0) ELSE 0 END) AS project "
        "FROM spending_lines GROUP BY dept) sp ON sp.dept = a.dept")
    parts.append(
        "SELECT a.dept, 'Σ 项目 = 项目支出表合计', 'projects', coalesce(t.label, ''), t.amount, a.s, a.n, a.n, 1 "
        "FROM pagg a JOIN tt t ON t.dept = a.dept AND t.rn = 1 AND t.key = 'projects.total'")
    parts.append(
        "SELECT t.dept, 'Σ 单位项目 = 单位小计', 'projects', coalesce(t.label, ''), t.amount, coalesce(u.s, 0), coalesce(u.n, 0), "
        "CASE WHEN coalesce(u.n, 0) > 1 THEN u.n ELSE 1 END, 1 "
        "FROM totals t JOIN pagg a ON a.dept = t.dept "
        "LEFT JOIN (SELECT dept, unit, sum(amount) AS s, count(*) AS n FROM items WHERE spending_type = '项目支出' GROUP BY dept, unit) u "
        "ON u.dept = t.dept AND u.unit = t.label WHERE t.key = 'projects.unit'")
    parts.append(
        "SELECT dept, '项目金额 = 绩效目标表预算资金', 'projects', id || ' ' || name, goal_amount, amount, 1, 1, 1 "
        "FROM items WHERE goal_amount IS NOT NULL")

    item_sums = ", ".join(f"sum({c}) AS s_{c}, count({c}) AS n_{c}" for c in COLUMNS)
    if only is not None:
        parts = [parts[i] for i in only]
    union = "\n  UNION ALL ".join(parts)
    return f"""WITH sl AS ({sl}),
split AS (SELECT dept, fund, max(CASE WHEN personnel IS NOT NULL OR public IS NOT NULL THEN 1 ELSE 0 END) AS split,
          max(CASE WHEN lvl = 1 THEN 1 ELSE 0 END) AS has_lei FROM sl GROUP BY dept, fund),
ia AS (SELECT dept, fund, {item_sums}, count(*) AS n FROM sl WHERE lvl = 3 GROUP BY dept, fund),
kids AS ({kids}),
et AS ({et}),
el AS ({el}),
ekids AS ({ekids}),
tt AS (SELECT dept, key, label, amount, row_number() OVER (PARTITION BY dept, key ORDER BY rowid) AS rn FROM totals
       WHERE key IN ('income.total', 'expense.total', 'projects.total')),
pagg AS (SELECT dept, sum(amount) AS s, count(*) AS n FROM items WHERE spending_type = '项目支出' GROUP BY dept),
cmp(dept, rule, tbl, subject, pub, csum, nnn, nterms, strict) AS (
  {union})
SELECT dept, rule, tbl, subject, {d.money_out('coalesce(pub, 0)')}, {d.money_out('csum')},
       CASE WHEN abs(coalesce(pub, 0) - csum) <= nterms * {d.cent} THEN 'rounding' ELSE 'contradiction' END
FROM cmp
WHERE NOT (pub IS NULL AND nnn = 0) AND (strict = 1 OR (pub IS NOT NULL AND nnn > 0)) AND coalesce(pub, 0) <> csum"""


def questions():
    """[(id, title, bql, sql(dialect), ordered)] — `ordered`: the row order is part of the answer."""
    def q1(d):
        return (f"SELECT d.name, p.id, p.name, {d.money_out('p.amount')} FROM items p JOIN departments d ON d.id = p.dept "
                f"WHERE p.spending_type = '项目支出' AND p.amount > {d.amount(5000)}")

    def q2(d):
        return (f"SELECT substr(s.code, 1, 5), n.name, count(*), {d.money_out('sum(s.total)')} FROM spending_lines s "
                f"LEFT JOIN functional_names n ON n.code = substr(s.code, 1, 5) WHERE length(s.code) = 7 "
                f"GROUP BY substr(s.code, 1, 5), n.name")

    def q3(d):
        return (f"SELECT count(*), {d.money_out('sum(p.amount)')} FROM items p WHERE p.spending_type = '项目支出' AND EXISTS "
                f"(SELECT 1 FROM indicators i WHERE i.dept = p.dept AND i.project = p.id "
                f"AND {d.contains('i.level3', chr(39) + '满意度' + chr(39))} AND i.value >= 95)")

    def q4(d):
        return (f"SELECT d.name, p.id, p.name, {d.money_out('p.amount')} FROM items p JOIN departments d ON d.id = p.dept "
                f"WHERE p.spending_type = '项目支出' ORDER BY p.amount DESC, d.name, p.id LIMIT 20")

    def q5(d):
        return (f"SELECT d.province, count(*) FROM indicators i JOIN items p ON p.dept = i.dept AND p.id = i.project "
                f"JOIN departments d ON d.id = p.dept WHERE p.amount >= {d.amount(1000)} GROUP BY d.province")

    def q6(d):
        return f"SELECT count(*) FROM indicators WHERE {d.contains('level3', chr(39) + '满意度' + chr(39))}"

    def q7(d):
        return (f"SELECT p.category, substr(p.function_code, 1, 5), n.name, count(*), {d.money_out('sum(p.amount)')} "
                f"FROM items p LEFT JOIN functional_names n ON n.code = substr(p.function_code, 1, 5) "
                f"WHERE p.spending_type = '项目支出' GROUP BY p.category, substr(p.function_code, 1, 5), n.name")

    def q9(d):
        return (f"SELECT p.dept, p.id, p.name, {d.money_out('p.amount')} FROM (SELECT i.*, ROW_NUMBER() OVER "
                f"(PARTITION BY i.dept ORDER BY i.amount DESC, i.id) AS rn FROM items i WHERE i.spending_type = '项目支出') p "
                f"WHERE p.rn = 1")

    levels = ["产出指标", "效益指标", "满意度指标", "成本指标"]

    def q10(d):
        columns = ", ".join(f"count(CASE WHEN level1 = '{v}' THEN 1 END)" for v in levels)
        return f"SELECT dept, {columns} FROM indicators GROUP BY dept"

    def q11(d):
        return (f"SELECT count(*), {d.money_out('sum(p.amount)')}, {d.money_out('sum(s.total)')} FROM items p "
                f"JOIN spending_lines s ON s.dept = p.dept AND s.code = p.function_code WHERE p.spending_type = '项目支出'")

    def q12(d):
        # A body is its printed name (the generated names have no spaces or full-width forms, so
        # BudgetQL's departments.body is the name) and kind; each 项 line of each fund against the
        # same line of the body's year before.
        return (f"SELECT count(c), count(CASE WHEN c > 0 THEN 1 END), {d.money_out('sum(c)')} FROM ("
                f"SELECT s.total - LAG(s.total) OVER (PARTITION BY d.name, d.kind, s.fund, s.code ORDER BY d.year) AS c "
                f"FROM spending_lines s JOIN departments d ON d.id = s.dept WHERE length(s.code) = 7) w")

    listed = ", ".join(f'"{v}"' for v in levels)
    return [
        ("q1", "filter on amount (projects > 5000万, rows)",
         "projects | where amount > 5000 | select dept, id, name, amount", q1, False),
        ("q2", "group by 款 with a sum (spending)",
         "spending | group by 款 | agg n = count(), total = sum(amount)", q2, False),
        ("q3", "any() over a project's indicators",
         'projects | where any(indicators, name ~ "满意度" and value >= 95) | agg n = count(), total = sum(amount)', q3, False),
        ("q4", "top 20 projects by amount",
         "projects | sort -amount, dept, id | take 20 | select dept, id, name, amount", q4, True),
        ("q5", "relation: indicator → project → department",
         "indicators | where project.amount >= 1000 | group by province = project.dept.province | agg n = count()", q5, False),
        ("q6", "text ~ search over indicators",
         'indicators | where name ~ "满意度" | agg n = count()', q6, False),
        ("q7", "group on two keys (category, 款)",
         "projects | group by category, 款 | agg n = count(), total = sum(amount)", q7, False),
        ("q8", "check (consistency rules over every budget)",
         "@check", check_sql, False),
        ("q9", "top-1 project per department (group by … ( sort | take 1 ))",
         "projects | group by dept.id (sort -amount, id | take 1) | select dept.id, id, name, amount", q9, False),
        ("q10", "pivot: indicators per 一级指标 by department",
         f"indicators | group by dept.id | pivot level1 in ({listed}) agg count()", q10, False),
        ("q11", "join: projects to spending lines by 功能分类 code (hash join)",
         "projects | join s = spending_lines on function_code = s.code and dept.id = s.dept.id "
         "| agg n = count(), total = sum(amount), lines = sum(s.amount)", q11, False),
        ("q12", "window across years: each 项 against the body's year before (change = x − lag)",
         "spending | derive body = dept.body, kind = dept.kind, year = dept.year "
         "| group by body, kind, fund, code (sort year | derive c = change(amount)) "
         "| agg n = count(c), up = count(c > 0), total = sum(c)", q12, False),
    ]
