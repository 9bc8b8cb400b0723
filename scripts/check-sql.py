#!/usr/bin/env python3
"""Checks that every SQL statement in the sources is prepared, its values bound as parameters.

The SQL layer is src/storage/sql/ (the connection, the migrations, one dialect file per backend)
and src/storage/datasets/ (each dataset's queries), over SOCI: a statement's values go through
Values/Batch (soci::use), never into its text. Rules, over src/ (usage: scripts/check-sql.py
SRC_DIR):
  1. Only the SQL layer calls a database API (SOCI, sqlite3, libpqxx, libpq).
  2. A statement run (Cursor(session, SQL, ...), Exec(SQL, ...), session << SQL) takes as its SQL
     a string literal, a constant (kName), the `sql` text grown by rule 4, SelectModels of a
     literal, or a formatted text of rule 3; the migrations run the statements of their constant
     scripts (`statement`). Raw execution of old (sqlite3_exec, Execute, txn.exec) takes constant
     text only.
  3. SQL text built with fmt::format interpolates only constants (kName, or the names of a
     constant sql::Columns, kName.names), literals, the `rest`
     of SelectModels, and the dialect's constant words (dialect().write_order()).
  4. SQL text grown with `sql +=` grows by literals or InClause(...) only; InClause's column is
     a literal and its values are bound.
Exits 1 listing every violation as file:line: problem; exits 2 when SRC_DIR is not a folder or
holds no .cpp or .hpp file, since a check over nothing would pass.
"""
import pathlib
import re
import sys

API = re.compile(
    r"\bsqlite3_(exec|prepare\w*)\s*\(|\bexec_params\s*\(|\btxn\.exec\s*\(|PQexec|\bsoci::"
    r"|\bsqlite_api::")
SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|FROM)\b")
DIALECT_WORD = re.compile(r"(db_\.|db_->|connection\.)dialect\(\)\.write_order\(\)")


def in_sql_layer(path):
    return path.parent.name in {"sql", "datasets"} and path.parent.parent.name == "storage"


def call_args(text, start):
    """The argument list text of the call whose '(' is at `start`, and where it ends."""
    depth, i, in_str = 0, start, None
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == in_str:
                in_str = None
        elif c in "\"'":
            in_str = c
        elif text.startswith('R"sql(', i):
            i = text.index(')sql"', i) + 5
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i
        i += 1
    return text[start + 1 :], len(text)


def split_args(args):
    out, depth, cur, in_str, i = [], 0, "", None, 0
    while i < len(args):
        c = args[i]
        if in_str:
            cur += c
            if c == "\\":
                cur += args[i + 1]
                i += 2
                continue
            if c == in_str:
                in_str = None
        elif c in "\"'":
            in_str = c
            cur += c
        elif c in "([{":
            depth += 1
            cur += c
        elif c in ")]}":
            depth -= 1
            cur += c
        elif c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    if cur.strip():
        out.append(cur.strip())
    return out


def is_literal(arg):
    return re.fullmatch(r'("([^"\\]|\\.)*"\s*)+', arg) is not None


def sql_argument_ok(arg, path):
    arg = arg.strip()
    if is_literal(arg) or re.fullmatch(r"k[A-Z]\w*", arg) or arg in {"sql", "sql.c_str()"}:
        return True
    if re.fullmatch(r'SelectModels\(\s*("([^"\\]|\\.)*"\s*)+\)', arg):
        return True
    if arg.startswith("fmt::format("):
        return True  # its arguments are checked by rule 3
    if arg == "statement" and path.name == "migrations.cpp":
        return True
    if re.fullmatch(r"(db_->|connection\.|dialect_->)(dialect\(\)\.)?begin_write\(\)", arg):
        return True
    return False


def check(path, problems):
    text = path.read_text()
    line_of = lambda pos: text.count("\n", 0, pos) + 1
    where = lambda pos: f"{path}:{line_of(pos)}"
    if not in_sql_layer(path):
        for m in API.finditer(text):
            problems.append(f"{where(m.start())}: database API outside the SQL layer")
    # Rule 2: raw execution of constant text only (the APIs of old).
    for m in re.finditer(r"\b(sqlite3_exec|Execute|txn\.exec)\s*\(", text):
        args, _ = call_args(text, m.end() - 1)
        parts = split_args(args)
        sql = parts[1] if m.group(1) == "sqlite3_exec" and len(parts) > 1 else (
            parts[0] if parts else "")
        if not is_literal(sql):
            problems.append(f"{where(m.start())}: raw SQL execution of non-constant text '{sql}'")
    # Rule 2: the statements of the SQL layer.
    for m in re.finditer(r"\b(Cursor\s+\w+|Cursor|Exec)\s*\(", text):
        args, _ = call_args(text, m.end() - 1)
        parts = split_args(args)
        if not parts:
            continue
        if m.group(1).startswith("Cursor"):
            if len(parts) < 2 or parts[0].startswith(("soci::session&", "const Cursor")):
                continue  # a declaration, a copy
            sql = parts[1]
        else:
            sql = parts[0]
            if sql.startswith(("const std::string& sql", "std::string")):
                continue  # the definition
        if not sql_argument_ok(sql, path):
            problems.append(f"{where(m.start())}: statement of non-constant SQL '{sql}'")
    for m in re.finditer(r"\bsession\w*\s*<<\s*", text):
        rest = text[m.end():]
        arg = split_args(rest[: rest.index(";")])[0] if ";" in rest else rest
        if not sql_argument_ok(arg, path):
            problems.append(f"{where(m.start())}: statement of non-constant SQL '{arg}'")
    # Rule 3: formatted SQL interpolates constants only.
    for m in re.finditer(r"\bfmt::format\s*\(", text):
        args, _ = call_args(text, m.end() - 1)
        parts = split_args(args)
        if not parts or not SQL_WORD.search(parts[0]):
            continue
        for arg in parts[1:]:
            if re.fullmatch(r"k[A-Z]\w*(\.names)?", arg) or is_literal(arg) or arg == "rest":
                continue
            if DIALECT_WORD.fullmatch(arg):
                continue
            problems.append(f"{where(m.start())}: SQL formatted with '{arg}', not a constant")
    for m in re.finditer(r"\bSelectModels\s*\(", text):
        args, _ = call_args(text, m.end() - 1)
        if args.strip().startswith("std::string_view rest"):
            continue
        if not is_literal(args.strip()):
            problems.append(f"{where(m.start())}: SelectModels with non-literal '{args.strip()}'")
    for m in re.finditer(r"\bInClause\s*\(", text):
        args, _ = call_args(text, m.end() - 1)
        parts = split_args(args)
        if parts and not is_literal(parts[0]) and not parts[0].startswith(("std::", "const ")):
            problems.append(f"{where(m.start())}: InClause column '{parts[0]}' is not a literal")
    # Rule 4: SQL grown by literals or InClause only.
    for m in re.finditer(r"\bsql\s*\+=\s*([^;]+);", text):
        added = m.group(1).strip()
        if is_literal(added) or re.fullmatch(r"InClause\([^;]*\)", added):
            continue
        problems.append(f"{where(m.start())}: SQL grown with '{added}'")


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    # A check over nothing would pass whatever the sources hold: a folder that is not there or
    # holds no sources is an error, not a clean bill.
    if not root.is_dir():
        print(f"check-sql: {root} is not a folder: nothing to check", file=sys.stderr)
        return 2
    problems = []
    files = sorted(p for p in root.rglob("*") if p.suffix in {".cpp", ".hpp"})
    if not files:
        print(f"check-sql: no .cpp or .hpp files under {root}: nothing to check", file=sys.stderr)
        return 2
    for path in files:
        check(path, problems)
    for p in problems:
        print(p)
    if problems:
        print(f"check-sql: {len(problems)} statement(s) not prepared with bound values")
        return 1
    print(f"check-sql: every SQL statement in {len(files)} files is prepared, values bound")
    return 0


if __name__ == "__main__":
    sys.exit(main())
