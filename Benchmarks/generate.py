#!/usr/bin/env python3
"""Deterministic generator of a synthetic national-scale BudgetQL dataset.

Writes one Frictionless Data Package folder per department, in exactly the format of the
bundled Datasets/<id>/ folders: the same 15 CSV files with the same headers, and a
datapackage.json identical to the bundled ones except for its name and title (it is the
output of `DatasetSchema.dataPackageJSON`, copied from a bundled folder).

Distributions are derived from the bundled seeds at run time (Datasets/*/): the 类/款/项
codes the seeds actually use (names from Datasets/catalog/functional.csv), which 项 carry
基本支出 and which carry 项目支出, the 部门 economic classification codes, the project
names, contents and goals, and the indicator rows (一级/二级/三级指标, operators, values,
units), which are sampled as templates with their numbers varied.

Each department's arithmetic is consistent (合计 = Σ 类, 类 = Σ 款, 款 = Σ 项, 合计 = 基本
+ 项目, 基本 = 人员 + 公用, Σ 项目 = 项目支出 = 项目支出表合计, Σ 经济分类 = 基本支出,
三公 合计 = Σ 各项, 收入合计 = Σ 收入 = 支出合计), except for a few deliberately injected
rounding differences and contradictions, so `check` has real work and real findings.

Several years: with --years Y, consecutive datasets are one body's budgets for Y consecutive
years (dataset i is body i // Y, year base − i % Y): the same printed name, region and kind,
each year's lines, projects and amounts drawn afresh, so 项 appear and disappear between years.
--departments counts datasets (body-years), so the data's size does not depend on Y.

Usage:  python3 Benchmarks/generate.py --departments 500 [--years 3] [--seed 7] [--out DIR] [--jobs N]
Default output: Benchmarks/data/<departments>/ (git-ignored). Standard library only.
"""

import argparse
import csv
import json
import math
import os
import random
import shutil
import sys
import time
import zlib
from multiprocessing import Pool

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEEDS = os.path.join(ROOT, "Datasets")

TABLES = ["department", "units", "tasks", "income", "totals", "spending", "economic", "projects", "plans",
          "indicators", "three_public", "procurement", "purchase_services", "assets", "narrative"]

INCOME_SOURCES = ["一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "财政专户管理资金", "事业收入",
                  "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转"]

PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
             "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
             "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
             "宁夏回族自治区", "新疆维吾尔自治区"]

# Characters Chinese place names are commonly built from; two of them make a city or county name.
PLACE_CHARS = ("安平阳山江河海湖东西南北中新长永宁德兴华丰福泰昌盛明清源泉云龙凤岭川石林城金玉水溪"
               "宝峰武文广建嘉庆鹤松桂白黄青红乐寿康和定远临高台阴沙桥口关门")

# 款 codes used only through their 项 (no 款 line printed in any seed) have no catalog name.
EXTRA_NAMES = {"20899": "其他社会保障和就业支出"}

YEAR_CHOICES = [2025, 2025, 2025, 2026]

# Part of the completeness stamp: bump it when the output changes, so stale data is regenerated.
# (A change of the format's columns changes the stamp by itself: it includes the headers.)
GENERATOR_VERSION = 3

# The columns each generated row holds, in order. Rows are written under the bundled headers by
# column name, so a column the format gains later is written empty and the output stays loadable
# without touching this file.
GENERATED_COLUMNS = {
    "department": ["id", "code", "name", "province", "city", "county", "year", "kind", "source", "goal"],
    "units": ["code", "name", "goal"],
    "tasks": ["unit", "name", "amount", "text"],
    "income": ["source", "amount"],
    "totals": ["key", "label", "table", "amount"],
    "spending": ["code", "name", "fund", "total", "basic", "personnel", "public", "project"],
    "economic": ["table", "scheme", "code", "name", "gov_code", "gov_name", "total", "basic", "personnel", "public",
                 "project"],
    "projects": ["id", "unit", "code", "name", "category", "spending_type", "content", "amount", "fund",
                 "function_code", "goal", "goal_amount"],
    "plans": ["project", "seq", "period", "kind", "amount"],
    "indicators": ["id", "project", "unit", "level1", "level2", "level3", "op", "value", "text", "measure",
                   "deadline", "weight", "direction", "nature", "basis", "description"],
    "three_public": ["unit", "total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"],
    "procurement": [], "purchase_services": [], "assets": [], "narrative": [],
}


# --------------------------------------------------------------------------------------------
# Seeds

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def cents(text):
    """'2220.40' -> 222040 (exact)."""
    if text is None or text == "":
        return 0
    neg = text.startswith("-")
    t = text.lstrip("-")
    whole, _, frac = t.partition(".")
    frac = (frac + "00")[:2]
    v = int(whole or "0") * 100 + int(frac)
    return -v if neg else v


def money(c):
    """222040 -> '2220.40'; None -> ''."""
    if c is None:
        return ""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def blank0(c):
    """A zero figure is printed blank, as the seeds do."""
    return money(c) if c else ""


def _seed_folders():
    folders = sorted(d for d in os.listdir(SEEDS) if os.path.exists(os.path.join(SEEDS, d, "datapackage.json")))
    if not folders:
        sys.exit(f"no bundled datasets under {SEEDS}")
    return folders


def _headers():
    """The bundled header of every table (the format's columns)."""
    headers = {}
    for t in TABLES:
        with open(os.path.join(SEEDS, _seed_folders()[0], t + ".csv"), encoding="utf-8") as f:
            headers[t] = f.readline().rstrip("\n").split(",")
    return headers


def load_seeds():
    folders = _seed_folders()
    headers = _headers()
    with open(os.path.join(SEEDS, folders[0], "datapackage.json"), encoding="utf-8") as f:
        package = json.load(f)

    names = {r["code"]: r["name"] for r in read_csv(os.path.join(SEEDS, "catalog", "functional.csv"))}
    names.update(EXTRA_NAMES)
    econ_names = {(r["scheme"], r["code"]): r["name"] for r in read_csv(os.path.join(SEEDS, "catalog", "economic.csv"))}

    basic_use, project_use = {}, {}      # 项 code -> number of seeds using it that way
    project_rows, item_rows, indicator_rows, whole_rows, task_names, categories = [], [], [], [], [], []
    texts = []
    for d in folders:
        base = os.path.join(SEEDS, d)
        for r in read_csv(os.path.join(base, "spending.csv")):
            c = r["code"]
            if len(c) == 7:
                if cents(r["basic"]) > 0:
                    basic_use[c] = basic_use.get(c, 0) + 1
                if cents(r["project"]) > 0:
                    project_use[c] = project_use.get(c, 0) + 1
        for r in read_csv(os.path.join(base, "projects.csv")):
            if r["spending_type"] == "项目支出":
                project_rows.append(r)
                categories.append(r["category"])
                if r["function_code"]:
                    project_use[r["function_code"]] = project_use.get(r["function_code"], 0) + 1
            else:
                item_rows.append(r)
            for k in ("content", "goal"):
                if r[k] and len(r[k]) <= 160:
                    texts.append(r[k])
        for r in read_csv(os.path.join(base, "indicators.csv")):
            (indicator_rows if r["project"] else whole_rows).append(r)
        task_names += [r["name"] for r in read_csv(os.path.join(base, "tasks.csv"))]

    econ = {"301": [], "302": [], "303": []}
    for (scheme, code), _ in sorted(econ_names.items()):
        if scheme == "部门" and len(code) == 5 and code[:3] in econ:
            econ[code[:3]].append(code)

    def strip(rows, keys):
        return [tuple(r[k] for k in keys) for r in rows]

    ikeys = ["level1", "level2", "level3", "op", "value", "text", "measure", "deadline", "weight", "direction",
             "nature", "basis", "description"]
    return {
        "headers": headers,
        "package": package,
        "names": names,
        "econ_names": econ_names,
        "econ": econ,
        "basic_codes": sorted(basic_use.items()),
        "project_codes": sorted(project_use.items()),
        "project_names": sorted({r["name"] for r in project_rows}),
        "item_names": sorted({(r["name"], r["category"]) for r in item_rows}),
        "categories": categories,
        "texts": sorted(set(texts)),
        "indicators": strip(indicator_rows, ikeys),
        "whole": strip(whole_rows, ikeys),
        "tasks": sorted(set(task_names)),
    }


# --------------------------------------------------------------------------------------------
# Regions: unique (city, county) pairs, so every department name is unique.

def place_names(rng, n):
    combos = [a + b for a in PLACE_CHARS for b in PLACE_CHARS if a != b]
    rng.shuffle(combos)
    return combos[:n]


def region(i, seed, cities_cache):
    """Department i's (province, city, county); slot 0 of a city is the city-level department."""
    p = i % len(PROVINCES)
    k = i // len(PROVINCES)
    city_index, slot = divmod(k, 16)
    key = (p, city_index)
    if key not in cities_cache:
        rng = random.Random(f"{seed}:city:{p}:{city_index}")
        counties = place_names(rng, 15)
        cities_cache[key] = counties
    city = cities_cache["__cities__"][p * 4096 + city_index] + "市"
    if slot == 0:
        return PROVINCES[p], city, ""
    c = cities_cache[key][slot - 1]
    rng = random.Random(f"{seed}:county:{p}:{city_index}:{slot}")
    return PROVINCES[p], city, c + ("区" if rng.random() < 0.4 else "县")


# --------------------------------------------------------------------------------------------
# One department

def lognormal_cents(rng, mu, sigma, lo, hi, round_whole=0.0):
    """An amount in cents: log10(万元) ~ N(mu, sigma), redrawn until within [lo, hi] 万元 (no spike
    of clipped values at either bound)."""
    for _ in range(1000):
        x = 10 ** rng.gauss(mu, sigma)
        if lo <= x <= hi:
            break
    else:
        x = min(max(x, lo), hi)
    c = max(int(round(x * 100)), int(round(lo * 100)))
    if x >= 1 and rng.random() < round_whole:
        c = max(100, (c // 100) * 100)
    return c


def split_cents(rng, total, parts):
    """Splits total cents into `parts` positive pieces (fewer if total is small)."""
    parts = max(1, min(parts, total)) if total > 0 else 1
    if total <= 0:
        return [0]
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    pieces, prev = [], 0
    for c in cuts + [total]:
        pieces.append(c - prev)
        prev = c
    return pieces


def weighted_sample(rng, pairs, k):
    """k distinct items from [(item, weight)], without replacement."""
    pool = list(pairs)
    out = []
    for _ in range(min(k, len(pool))):
        total = sum(w for _, w in pool)
        x = rng.random() * total
        for j, (item, w) in enumerate(pool):
            x -= w
            if x <= 0 or j == len(pool) - 1:
                out.append(item)
                pool.pop(j)
                break
    return out


def vary_indicator(rng, t):
    level1, level2, level3, op, value, text, measure, deadline, weight, direction, nature, basis, desc = t
    if value:
        if measure == "%":
            v = rng.choice(["80", "85", "90", "95", "98", "100", value, value])
        else:
            try:
                f = float(value)
            except ValueError:
                f = 1.0
            f = f * (0.5 + rng.random() * 1.5)
            v = str(int(round(f))) if f >= 10 or float(value).is_integer() else f"{f:.2f}"
        value = v
        shown = (op if op in ("≥", "≤", "<", ">") else "") + v + (measure or "")
        text = shown
    return [level1, level2, level3, op, value, text, measure, deadline, weight, direction, nature, basis, desc]


def write_csv(path, header, rows):
    """Writes `rows` (in GENERATED_COLUMNS order) under `header`, matching columns by name."""
    generated = GENERATED_COLUMNS[os.path.basename(path)[:-len(".csv")]]
    missing = [c for c in generated if c not in header]
    if missing:
        sys.exit(f"{path}: the bundled header has no column {missing[0]}: update GENERATED_COLUMNS")
    where = [generated.index(c) if c in generated else None for c in header]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([["" if k is None else row[k] for k in where] for row in rows])


def make_department(i, seed, S, out, cache, years=1):
    rng = random.Random(seed * 1_000_003 + i)
    # What stays the same across a body's years: its region, kind (and so name) and latest year.
    body = i // years
    body_rng = random.Random(seed * 7_000_003 + body)
    province, city, county = region(body, seed, cache)
    year = body_rng.choice(YEAR_CHOICES) - i % years
    center = body_rng.random() < 0.15
    place = city + county
    name = place + ("医疗保障事务服务中心" if center else "医疗保障局")
    did = f"d{i:05d}-{year}"
    kind = "单位预算" if center else "部门预算"
    code = f"{rng.randint(1, 999):03d}" if rng.random() < 0.5 else ""
    folder = os.path.join(out, did)
    os.makedirs(folder, exist_ok=True)
    H = S["headers"]
    names = S["names"]

    # Units.
    if center:
        units = [(code + "001" if code else "", name)]
    else:
        n_units = rng.choice([1, 1, 2, 2, 2, 3])
        candidates = [name + "本级", place + "医疗保障事务服务中心", place + "医疗保障基金监管中心"]
        units = [((code + f"{k + 1:03d}") if code else "", candidates[k]) for k in range(n_units)]
    unit_names = [u[1] for u in units]
    goal_pool = S["texts"]

    # Projects of 项目支出 (each charged to a 项) and 基本支出 items.
    n_proj = int(min(max(round(math.exp(rng.gauss(3.7, 0.6))), 3), 250))
    proj_codes = S["project_codes"]
    dept_proj_codes = weighted_sample(rng, proj_codes, rng.randint(2, min(7, len(proj_codes))))
    cat_choice = S["categories"]
    projects = []   # (id, unit, code, name, category, type, content, amount, fund, fcode, goal, goal_amount, q1..q4, charged 项)
    for k in range(n_proj):
        amount = lognormal_cents(rng, 1.1, 0.95, 0.01, 50000, round_whole=0.4)
        charged = rng.choice(dept_proj_codes)
        base = rng.choice(S["project_names"])
        r = rng.random()
        pname = (f"{year}年" + base) if r < 0.25 else (base + rng.choice(["专项经费", "补助资金", "（续建）", "工作经费"]) if r < 0.45 else base)
        goal = rng.choice(goal_pool) if rng.random() < 0.5 else ""
        goal_amount = amount if rng.random() < 0.5 else None
        plan = ["", "", "", ""]
        if rng.random() < 0.1:
            q = amount // 4
            plan = [money(q), money(2 * q), money(3 * q), money(amount)]
        projects.append([
            f"P{k + 1:03d}", rng.choice(unit_names), f"{rng.randint(10**20, 10**21 - 1)}" if rng.random() < 0.6 else "",
            pname, rng.choice(cat_choice), "项目支出", rng.choice(goal_pool) if rng.random() < 0.4 else "",
            amount, "一般公共预算", charged if rng.random() < 0.65 else "", goal, goal_amount, plan, charged])
    n_items = rng.randint(5, 25) if rng.random() < 0.15 else 0
    for k in range(n_items):
        iname, icat = rng.choice(S["item_names"])
        amount = lognormal_cents(rng, 0.8, 0.6, 0.01, 500)
        projects.append([f"P{n_proj + k + 1:03d}", rng.choice(unit_names), "", iname, icat, "基本支出", "",
                         amount, "一般公共预算", "", "", None, ["", "", "", ""], None])

    # Functional classification: 基本支出 项 lines with 人员/公用 split, plus the projects' 项.
    basic_codes = weighted_sample(rng, S["basic_codes"], rng.randint(3, min(9, len(S["basic_codes"]))))
    lines = {}   # 项 -> [personnel, public, project]
    for c in basic_codes:
        personnel = lognormal_cents(rng, 1.5, 0.7, 0.01, 5000)
        public = int(personnel * rng.uniform(0.02, 0.3)) if rng.random() < 0.4 else 0
        lines[c] = [personnel, public, 0]
    for p in projects:
        if p[5] == "项目支出":
            lines.setdefault(p[13], [0, 0, 0])[2] += p[7]
    split_published = rng.random() < 0.7
    hierarchy = rng.random() < 0.6

    def figures(codes):
        per = sum(lines[c][0] for c in codes)
        pub = sum(lines[c][1] for c in codes)
        prj = sum(lines[c][2] for c in codes)
        return [per + pub + prj, per + pub, per, pub, prj]

    items = sorted(lines)
    spending = []   # [code, name, total, basic, personnel, public, project] in cents
    spending.append(["", "合计"] + figures(items))
    if hierarchy:
        for lei in sorted({c[:3] for c in items}):
            spending.append([lei, names[lei]] + figures([c for c in items if c[:3] == lei]))
            for kuan in sorted({c[:5] for c in items if c[:3] == lei}):
                spending.append([kuan, names[kuan]] + figures([c for c in items if c[:5] == kuan]))
                for c in [c for c in items if c[:5] == kuan]:
                    spending.append([c, names[c]] + figures([c]))
    else:
        shuffled = items[:]
        rng.shuffle(shuffled)
        for c in shuffled:
            spending.append([c, names[c]] + figures([c]))

    total = spending[0][2]
    basic_total = spending[0][3]
    personnel_total, public_total = spending[0][4], spending[0][5]
    project_total = spending[0][6]

    # Injected inconsistencies (deterministic per department).
    inject = rng.random()
    injected_goal = False
    if inject < 0.03:
        row = rng.choice([r for r in spending if len(r[0]) == 7])
        row[2] += rng.choice([1, -1])                          # a 项 total off by 0.01: rounding
    elif inject < 0.04:
        row = rng.choice(spending[1:])
        row[6] += rng.randint(100, 10000)                      # a published 项目支出 figure off: contradiction
    elif inject < 0.05:
        injected_goal = True

    # Spending CSV.
    rows = []
    for code_, nm, t, b, per, pub, prj in spending:
        rows.append([code_, nm, "一般公共预算", money(t), blank0(b), blank0(per) if split_published else "",
                     blank0(pub) if split_published else "", blank0(prj)])
    write_csv(os.path.join(folder, "spending.csv"), H["spending"], rows)

    # Economic classification of 基本支出 (70% of departments publish it).
    econ_rows = []
    if rng.random() < 0.7 and basic_total > 0:
        table = "一般公共预算基本支出表"
        p303 = int(personnel_total * rng.uniform(0, 0.1)) if rng.random() < 0.5 else 0
        p301 = personnel_total - p303
        econ_rows.append([table, "部门", "", "合计", "", "", money(basic_total), "", blank0(personnel_total), blank0(public_total), ""])
        for lei, amount, col in (("301", p301, "personnel"), ("302", public_total, "public"), ("303", p303, "personnel")):
            if amount <= 0:
                continue
            kuans = sorted(rng.sample(S["econ"][lei], min(len(S["econ"][lei]), rng.randint(2, 9))))
            pieces = split_cents(rng, amount, len(kuans))
            econ_rows.append([table, "部门", lei, S["econ_names"][("部门", lei)], "", "", money(amount), "",
                              money(amount) if col == "personnel" else "", money(amount) if col == "public" else "", ""])
            for kc, piece in zip(kuans, pieces):
                econ_rows.append([table, "部门", kc, S["econ_names"][("部门", kc)], "", "", money(piece), "",
                                  money(piece) if col == "personnel" else "", money(piece) if col == "public" else "", ""])
    write_csv(os.path.join(folder, "economic.csv"), H["economic"], econ_rows)

    # Projects CSV.
    if injected_goal:
        p = rng.choice([p for p in projects if p[5] == "项目支出"])
        p[11] = p[7] + rng.randint(1, 500)
    prow = []
    plan_rows = []
    for p in projects:
        pid, unit, pcode, pname, cat, stype, content, amount, fund, fcode, goal, goal_amount, plan, _ = p
        prow.append([pid, unit, pcode, pname, cat, stype, content, money(amount), fund, fcode, goal,
                     money(goal_amount) if goal_amount is not None else ""])
        # A printed plan: cumulative amounts at the end of each quarter, as 海港 prints them.
        if any(plan):
            for seq, (period, value) in enumerate(zip(["3月底", "6月底", "9月底", "12月底"], plan), 1):
                plan_rows.append([pid, seq, period, "累计", value])
    write_csv(os.path.join(folder, "projects.csv"), H["projects"], prow)
    write_csv(os.path.join(folder, "plans.csv"), H["plans"], plan_rows)

    # Indicators: 整体 (0–25) and per project/item 2–20, sampled from the seeds' rows.
    ind = []
    whole = []
    if rng.random() < 0.7:
        for _ in range(rng.randint(5, 25)):
            t = vary_indicator(rng, rng.choice(S["whole"]))
            whole.append(["", rng.choice(unit_names + [""])] + t)
    per_project = []
    for p in projects:
        k = 2 + int(rng.betavariate(2, 2.5) * 19)
        for _ in range(k):
            t = vary_indicator(rng, rng.choice(S["indicators"]))
            per_project.append([p[0], ""] + t)
    ordered = whole + per_project if rng.random() < 0.5 else per_project + whole
    for n, r in enumerate(ordered, 1):
        ind.append([n] + r)
    write_csv(os.path.join(folder, "indicators.csv"), H["indicators"], ind)

    # 三公经费: one department row.
    abroad = rng.randint(1, 2000) if rng.random() < 0.1 else 0
    purchase = rng.randint(500, 3000) if rng.random() < 0.05 else 0
    operation = rng.randint(10, 2000) if rng.random() < 0.6 else 0
    reception = rng.randint(1, 500) if rng.random() < 0.8 else 0
    vehicle = purchase + operation
    tp_total = abroad + vehicle + reception
    if inject >= 0.05 and inject < 0.06:
        tp_total += 1                                         # rounding difference in 三公
    write_csv(os.path.join(folder, "three_public.csv"), H["three_public"],
              [["", money(tp_total), blank0(abroad), blank0(vehicle), blank0(purchase), blank0(operation), blank0(reception)]])

    # Income: every source listed, as the seeds do; Σ = 合计.
    carry = rng.randint(100, max(101, total // 20)) if rng.random() < 0.2 and total > 2000 else 0
    business = rng.randint(100, max(101, total // 20)) if rng.random() < 0.1 and total > 4000 else 0
    general = total - carry - business
    income = []
    for s in INCOME_SOURCES:
        v = {"一般公共预算拨款": general, "事业收入": business, "上年结转": carry}.get(s, 0)
        income.append([s, money(v) if v else ""])
    write_csv(os.path.join(folder, "income.csv"), H["income"], income)

    # Totals.
    totals = [["income.total", "本年收入合计", "收支预算总表", money(total)],
              ["expense.total", "本年支出合计", "收支预算总表", money(total)]]
    if rng.random() < 0.7:
        totals.append(["projects.total", "合计", "项目支出预算表", money(project_total)])
        if len(unit_names) > 1 and rng.random() < 0.5:
            for u in unit_names:
                s = sum(p[7] for p in projects if p[5] == "项目支出" and p[1] == u)
                totals.append(["projects.unit", u, "项目支出预算表", money(s)])
    write_csv(os.path.join(folder, "totals.csv"), H["totals"], totals)

    # Tasks.
    tasks = [[rng.choice(unit_names + [""]), rng.choice(S["tasks"]), money(lognormal_cents(rng, 1.5, 0.8, 0.01, 20000)), ""]
             for _ in range(rng.randint(1, 4))]
    write_csv(os.path.join(folder, "tasks.csv"), H["tasks"], tasks)

    # Department, units; the other tables are published empty (header only).
    write_csv(os.path.join(folder, "department.csv"), H["department"],
              [[did, code, name, province, city, county, year, kind, f"{name}{year}年度{kind}", rng.choice(goal_pool) if rng.random() < 0.5 else ""]])
    write_csv(os.path.join(folder, "units.csv"), H["units"],
              [[c, n, rng.choice(goal_pool) if rng.random() < 0.3 else ""] for c, n in units])
    for t in ("procurement", "purchase_services", "assets", "narrative"):
        write_csv(os.path.join(folder, t + ".csv"), H[t], [])

    package = dict(S["package"])
    package["name"] = did
    package["title"] = f"{name} {year}"
    with open(os.path.join(folder, "datapackage.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True, separators=(",", " : ")) + "\n")
    return len([p for p in projects if p[5] == "项目支出"]), n_items, len(ind)


# --------------------------------------------------------------------------------------------

_S = None


def _init(seed):
    global _S
    _S = load_seeds()
    _S["seed"] = seed


def _work(args):
    start, stop, seed, out, years = args
    cache = {"__cities__": city_list(seed)}
    totals = [0, 0, 0]
    for i in range(start, stop):
        a, b, c = make_department(i, seed, _S, out, cache, years)
        totals[0] += a; totals[1] += b; totals[2] += c
    return totals


def city_list(seed):
    """Globally unique city names, indexed p * 4096 + city_index."""
    rng = random.Random(f"{seed}:cities")
    names = place_names(rng, len(PLACE_CHARS) * (len(PLACE_CHARS) - 1))
    out = {}
    n = 0
    for p in range(len(PROVINCES)):
        for c in range(64):
            out[p * 4096 + c] = names[n]
            n += 1
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--departments", type=int, default=20000, help="number of departments (default 20000: national scale)")
    ap.add_argument("--years", type=int, default=1, help="budgets (consecutive years) per body (default 1)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="output directory (default Benchmarks/data/<departments>)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--force", action="store_true", help="regenerate even if the output is complete")
    args = ap.parse_args()
    n = args.departments
    if n < 1 or n > 31 * 64 * 16:
        sys.exit(f"--departments must be 1…{31 * 64 * 16}")
    out = args.out or os.path.join(HERE, "data", str(n))
    marker = os.path.join(out, ".complete")
    headers = ";".join(",".join(_headers()[t]) for t in TABLES)
    if args.years < 1 or args.years > 10:
        sys.exit("--years must be 1…10")
    stamp = f"departments={n} years={args.years} seed={args.seed} generator={GENERATOR_VERSION} columns={zlib.crc32(headers.encode())}\n"
    if not args.force and os.path.exists(marker) and open(marker).read() == stamp:
        print(f"{out}: already generated ({stamp.strip()})")
        return
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    t0 = time.time()
    chunk = max(1, min(500, n // (args.jobs * 4) or 1))
    work = [(s, min(s + chunk, n), args.seed, out, args.years) for s in range(0, n, chunk)]
    totals = [0, 0, 0]
    if args.jobs > 1:
        with Pool(args.jobs, initializer=_init, initargs=(args.seed,)) as pool:
            for t in pool.imap(_work, work):
                totals = [a + b for a, b in zip(totals, t)]
    else:
        _init(args.seed)
        for w in work:
            totals = [a + b for a, b in zip(totals, _work(w))]
    with open(marker, "w") as f:
        f.write(stamp)
    print(f"{out}: {n} departments ({args.years} year{'s' if args.years > 1 else ''} per body), {totals[0]} projects (+{totals[1]} 基本支出 items), {totals[2]} indicators "
          f"in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
