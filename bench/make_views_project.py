#!/usr/bin/env python3
"""make_views_project.py: writes a SQLite migc project shaped like a real
application's history: tables chained by foreign keys with indexes, columns
added and dropped, triggers, seed rows, and views joining the tables (issue
12's and 13's 248 revisions with 42 views). Generated, not copied.

Writes DIR/versions/*.sql, DIR/schema.sql (the head's schema plus one new
table, so autogenerate has something to write) and DIR/migc.ini.

  make_views_project.py --revisions N --views V DIR
"""
import argparse
import hashlib
import os
import sqlite3


def revision_id(number):
    return hashlib.sha1(f"views:{number}".encode()).hexdigest()[:12]


class Project:
    def __init__(self, views):
        self.tables = 0
        self.views_left = views
        self.views = 0
        self.columns = []  # (table, column) added and not dropped

    def table(self, k):
        return f"item_{k:03d}"

    def some_table(self, number):
        return self.table(1 + number * 7 % self.tables)

    def revision(self, number):
        kind = number % 6
        if self.tables < 2 or kind == 0:
            self.tables += 1
            t = self.table(self.tables)
            parent = (f" REFERENCES {self.table(self.tables - 1)}(id)"
                      if self.tables > 1 else "")
            return ([f"CREATE TABLE {t} (id INTEGER PRIMARY KEY, "
                     f"parent_id INTEGER{parent}, name TEXT NOT NULL, "
                     f"created_at TEXT)",
                     f"CREATE INDEX {t}_parent ON {t} (parent_id)"],
                    [f"DROP INDEX {t}_parent", f"DROP TABLE {t}"])
        t = self.some_table(number)
        if kind == 2 and self.views_left > 0:
            self.views_left -= 1
            self.views += 1
            v = f"view_{self.views:03d}"
            p = self.table(max(1, int(t[-3:]) - 1))
            return ([f"CREATE VIEW {v} AS SELECT a.id, a.name, b.name AS "
                     f"parent_name FROM {t} AS a LEFT JOIN {p} AS b ON "
                     f"a.parent_id = b.id"],
                    [f"DROP VIEW {v}"])
        if kind == 1 or kind == 2:
            c = f"note_{number:03d}"
            return ([f"ALTER TABLE {t} ADD COLUMN {c} TEXT"],
                    [f"ALTER TABLE {t} DROP COLUMN {c}"])
        if kind == 3:
            g = f"{t}_touch_{number:03d}"
            return ([f"CREATE TRIGGER {g} AFTER UPDATE OF name ON {t} "
                     f"BEGIN UPDATE {t} SET created_at = 'now' WHERE id = "
                     f"NEW.id; END"],
                    [f"DROP TRIGGER {g}"])
        if kind == 4:
            first = number * 10
            return ([f"INSERT INTO {t} (id, name) VALUES ({first}, 'a'), "
                     f"({first + 1}, 'b')"],
                    [f"DELETE FROM {t} WHERE id IN ({first}, {first + 1})"])
        i = f"{t}_name_{number:03d}"
        return ([f"CREATE INDEX {i} ON {t} (name)"], [f"DROP INDEX {i}"])


def body(statements):
    return "".join(f"{s};\n" for s in statements)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--revisions", type=int, default=248)
    ap.add_argument("--views", type=int, default=42)
    ap.add_argument("dir")
    a = ap.parse_args()
    versions = os.path.join(a.dir, "versions")
    os.makedirs(versions, exist_ok=True)
    for name in os.listdir(versions):
        os.remove(os.path.join(versions, name))
    project = Project(a.views)
    db = sqlite3.connect(":memory:")
    parent = None
    for number in range(1, a.revisions + 1):
        rev = revision_id(number)
        upgrade, downgrade = project.revision(number)
        for s in upgrade:
            db.execute(s)
        text = (f"-- migc:revision      {rev}\n"
                f"-- migc:down_revision {parent or 'none'}\n"
                f"-- migc:message       views project {number}\n"
                "-- migc:create_date   2026-01-01 00:00:00\n\n"
                f"-- migc:upgrade\n{body(upgrade)}\n"
                f"-- migc:downgrade\n{body(downgrade)}")
        path = os.path.join(versions, f"{number:04d}_{rev}.sql")
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        parent = rev
    rows = db.execute("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL "
                      "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
    schema = "".join(f"{sql};\n" for (sql,) in rows)
    schema += ("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, "
               "happened_at TEXT NOT NULL, what TEXT);\n")
    with open(os.path.join(a.dir, "schema.sql"), "w", encoding="utf-8") as out:
        out.write(schema)
    with open(os.path.join(a.dir, "migc.ini"), "w", encoding="utf-8") as out:
        out.write("[migc]\nversions = versions\ndialect = sqlite\n"
                  "schema = schema.sql\n")
    print(f"{a.revisions} revisions, {project.views} views, "
          f"{project.tables} tables")


if __name__ == "__main__":
    main()
