"""The Data Package format as SQL tables, read from a dataset's own datapackage.json.

Every CSV becomes one table holding all departments, with a `dept` column (the folder name,
which is the department id) in front; department.csv becomes `departments` (its `id` is the
key). Column kinds come from the descriptor: money (a number in 万元), number, integer, text.
"""

import json
import os

SQL_NAMES = {"department": "departments", "projects": "items", "spending": "spending_lines"}


def dataset_folders(data_dir):
    return sorted(d for d in os.listdir(data_dir) if os.path.exists(os.path.join(data_dir, d, "datapackage.json")))


def tables(data_dir):
    """[(csv file, sql table, [(column, kind)])] in descriptor order."""
    first = dataset_folders(data_dir)[0]
    with open(os.path.join(data_dir, first, "datapackage.json"), encoding="utf-8") as f:
        package = json.load(f)
    out = []
    for r in package["resources"]:
        cols = []
        for fld in r["schema"]["fields"]:
            t = fld["type"]
            kind = "text" if t == "string" else "integer" if t == "integer" else "money" if fld.get("unit") == "万元" else "number"
            cols.append((fld["name"], kind))
        out.append((r["path"], SQL_NAMES.get(r["name"], r["name"]), cols))
    return out


def q(name):
    return '"' + name + '"'


# ---------------------------------------------------------------------------------------------
# SQLite: a load script for the sqlite3 CLI (.import each CSV into a raw text table, then convert
# into the typed table with the folder's dept id). Money is stored as INTEGER cents.

SQLITE_TYPES = {"text": "TEXT", "integer": "INTEGER", "number": "REAL", "money": "INTEGER"}


def sqlite_convert(col, kind):
    v = f"NULLIF({q(col)}, '')"
    if kind == "money":
        return f"CAST(round(CAST({v} AS REAL) * 100) AS INTEGER)"
    if kind == "number":
        return f"CAST({v} AS REAL)"
    if kind == "integer":
        return f"CAST({v} AS INTEGER)"
    return v


def sqlite_load_script(data_dir, out):
    specs = tables(data_dir)
    folders = dataset_folders(data_dir)
    w = out.write
    w("PRAGMA journal_mode = OFF;\nPRAGMA synchronous = OFF;\nPRAGMA temp_store = MEMORY;\nPRAGMA cache_size = -1000000;\n")
    for path, table, cols in specs:
        w(f"CREATE TABLE raw_{table}({', '.join(q(c) + ' TEXT' for c, _ in cols)});\n")
        dept = "" if table == "departments" else "dept TEXT, "
        w(f"CREATE TABLE {table}({dept}{', '.join(q(c) + ' ' + SQLITE_TYPES[k] for c, k in cols)});\n")
    w("BEGIN;\n")
    inserts = {}
    for path, table, cols in specs:
        conv = ", ".join(sqlite_convert(c, k) for c, k in cols)
        inserts[table] = (conv, path)
    for folder in folders:
        base = os.path.join(data_dir, folder)
        for path, table, cols in specs:
            w(f".import --csv --skip 1 '{os.path.join(base, path)}' raw_{table}\n")
        for path, table, cols in specs:
            conv = inserts[table][0]
            dept = "" if table == "departments" else f"'{folder}', "
            w(f"INSERT INTO {table} SELECT {dept}{conv} FROM raw_{table};\n")
        w("".join(f"DELETE FROM raw_{t};\n" for _, t, _ in specs))
    w("COMMIT;\n")
    for _, table, _ in specs:
        w(f"DROP TABLE raw_{table};\n")
    w("CREATE UNIQUE INDEX departments_id ON departments(id);\n")
    w("CREATE INDEX items_dept_id ON items(dept, id);\n")
    w("CREATE INDEX indicators_dept_project ON indicators(dept, project);\n")
    w("CREATE INDEX spending_lines_dept ON spending_lines(dept, fund);\n")
    w("CREATE INDEX economic_dept ON economic(dept, \"table\");\n")
    w("CREATE TABLE functional_names AS SELECT code, min(name) AS name FROM spending_lines WHERE code IS NOT NULL GROUP BY code;\n")
    w("CREATE UNIQUE INDEX functional_names_code ON functional_names(code);\n")
    w("ANALYZE;\n")


# ---------------------------------------------------------------------------------------------
# DuckDB: CREATE TABLE … AS SELECT … FROM read_csv('<dir>/*/<file>') with explicit types.
# Money is DECIMAL(18,2).

DUCKDB_TYPES = {"text": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "money": "DECIMAL(18,2)"}


def duckdb_load_statements(data_dir):
    stmts = []
    for path, table, cols in tables(data_dir):
        columns = "{" + ", ".join(f"'{c}': '{DUCKDB_TYPES[k]}'" for c, k in cols) + "}"
        glob = os.path.join(data_dir, "*", path).replace("'", "''")
        select = ", ".join(q(c) for c, _ in cols)
        dept = "" if table == "departments" else "string_split(filename, '/')[-2] AS dept, "
        stmts.append(
            f"CREATE TABLE {table} AS SELECT {dept}{select} FROM read_csv('{glob}', header = true, auto_detect = false, "
            f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', filename = true)")
    stmts.append("CREATE TABLE functional_names AS SELECT code, min(name) AS name FROM spending_lines "
                 "WHERE code IS NOT NULL GROUP BY code")
    return stmts
