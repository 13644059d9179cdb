#!/usr/bin/env python3
"""offline_script.py DIALECT VERSIONS STEPS NAME: prints the --sql script
migc must write for command NAME of STEPS (tests/data/branchy/expected/
offline.txt) on DIALECT (sqlite, postgresql): each step's header as
Alembic 1.8.1 writes it, the revision's statements as its file holds them,
the version-table changes STEPS lists, and migc's history row. One
statement or comment a paragraph; on PostgreSQL a transaction per step, and
a "transaction none" revision's statements outside it."""
import glob
import os
import sys

VERSION = '"migc_version"'
HISTORY = '"migc_version_history"'
CREATE = {
    "sqlite": "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
    "postgresql": "TIMESTAMPTZ NOT NULL DEFAULT now()",
}
NOW = {"sqlite": "CURRENT_TIMESTAMP", "postgresql": "now()"}
UPSERT = ", ".join(
    f"{c} = EXCLUDED.{c}"
    for c in ("parents", "checksum", "applied_at", "duration_ms",
              "statements_done", "downgrade_sql"))


def read_revision(path):
    """Headers and the upgrade/downgrade statements of one revision file
    (one statement a line, as the branchy set writes them)."""
    revision = {"down_revision": [], "depends_on": [], "upgrade": [],
                "downgrade": [], "transaction": "required"}
    section = None
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line in ("-- migc:upgrade", "-- migc:downgrade"):
            section = line[len("-- migc:"):]
        elif line.startswith("-- migc:"):
            key, _, value = line[len("-- migc:"):].partition(" ")
            value = value.strip()
            if key in ("down_revision", "depends_on"):
                revision[key] = [v.strip() for v in value.split(",")
                                 if v.strip() not in ("", "none")]
            else:
                revision[key] = value
        elif line and section:
            revision[section].append(line.rstrip(";"))
    return revision


def read_steps(path):
    checksums, scripts, current = {}, {}, None
    for line in open(path, encoding="utf-8"):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "checksum":
            checksums[words[1]] = words[2]
        elif words[0] == "script":
            current = {"create": "create" in words[2:], "steps": []}
            scripts[words[1]] = current
        else:
            changes = [c.split() for c in line.split(None, 2)[2].split(",")]
            current["steps"].append((words[0], words[1], changes))
    return checksums, scripts


def version_change(change):
    what, ids = change[0], change[1:]
    if what == "insert":
        return f"INSERT INTO {VERSION} (version_num) VALUES ('{ids[0]}')"
    if what == "update":
        return (f"UPDATE {VERSION} SET version_num='{ids[1]}' WHERE "
                f"{VERSION}.version_num = '{ids[0]}'")
    return f"DELETE FROM {VERSION} WHERE {VERSION}.version_num = '{ids[0]}'"


def history_change(dialect, kind, rid, revision, checksum):
    if kind == "downgrade":
        return f"DELETE FROM {HISTORY} WHERE version_num = '{rid}'"
    parents = ",".join(revision["down_revision"] + revision["depends_on"])
    encoded = "".join(f"{len(s)}:{s}," for s in revision["downgrade"])
    values = (f"'{rid}', '{parents}', '{checksum}', {NOW[dialect]}, 0, "
              f"{len(revision['upgrade'])}, '{encoded}'")
    columns = ("version_num, parents, checksum, applied_at, duration_ms, "
               "statements_done, downgrade_sql")
    if dialect == "sqlite":
        return (f"INSERT OR REPLACE INTO {HISTORY} ({columns}) "
                f"VALUES ({values})")
    return (f"INSERT INTO {HISTORY} ({columns}) VALUES ({values}) "
            f"ON CONFLICT (version_num) DO UPDATE SET {UPSERT}")


def create_tables(dialect):
    return [
        f"CREATE TABLE IF NOT EXISTS {VERSION} (\n"
        "    version_num VARCHAR(32) NOT NULL,\n"
        '    CONSTRAINT "migc_version_pkc" PRIMARY KEY (version_num)\n)',
        f"CREATE TABLE IF NOT EXISTS {HISTORY} (\n"
        "    version_num VARCHAR(32) NOT NULL,\n"
        "    parents TEXT NOT NULL,\n"
        "    checksum VARCHAR(16) NOT NULL,\n"
        f"    applied_at {CREATE[dialect]},\n"
        "    duration_ms INTEGER NOT NULL,\n"
        "    statements_done INTEGER NOT NULL,\n"
        "    downgrade_sql TEXT NOT NULL,\n"
        "    downgrade_done INTEGER NOT NULL DEFAULT 0,\n"
        '    CONSTRAINT "migc_version_history_pkc" PRIMARY KEY '
        "(version_num)\n)",
    ]


def render(dialect, revisions, checksums, script):
    """The script's paragraphs: statements end in ';', comments do not."""
    out = []
    transactions = dialect == "postgresql"
    for n, (kind, rid, changes) in enumerate(script["steps"]):
        revision = revisions[rid]
        parents = ", ".join(revision["down_revision"])
        header = (f"-- Running upgrade {parents} -> {rid}" if kind == "upgrade"
                  else f"-- Running downgrade {rid} -> {parents}")
        untracked = revision["transaction"] == "none"
        bookkeeping = [version_change(c) for c in changes]
        bookkeeping.append(history_change(dialect, kind, rid, revision,
                                          checksums.get(rid)))
        statements = revision[kind]
        if transactions and not untracked:
            out.append("BEGIN;")
        if n == 0 and script["create"]:
            out += [s + ";" for s in create_tables(dialect)]
        out.append(header)
        if untracked:
            out.append("-- (outside a transaction: migc:transaction none)")
        out += [s + ";" for s in statements]
        if transactions and untracked:
            out.append("BEGIN;")
        out += [s + ";" for s in bookkeeping]
        if transactions:
            out.append("COMMIT;")
    return "".join(p + "\n\n" for p in out)


def main():
    dialect, versions, steps, name = sys.argv[1:5]
    revisions = {}
    for path in glob.glob(os.path.join(versions, "*.sql")):
        revision = read_revision(path)
        revisions[revision["revision"]] = revision
    checksums, scripts = read_steps(steps)
    sys.stdout.write(render(dialect, revisions, checksums, scripts[name]))


if __name__ == "__main__":
    main()
