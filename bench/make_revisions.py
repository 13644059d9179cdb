#!/usr/bin/env python3
"""make_revisions.py: writes a linear chain of N benchmark revisions, once as
migc revision files and (optionally) once as Alembic revision scripts with the
same ids and the same SQL, so both tools run identical work.

Each revision creates one table and inserts two rows; its downgrade drops the
table. The SQL is valid in SQLite and PostgreSQL, so one set serves both.
Output is deterministic; files whose content is unchanged are not rewritten,
so a rerun does not trigger a rebuild.

  make_revisions.py --count N --versions DIR [--alembic DIR] [--prefix NAME]
"""
import argparse
import hashlib
import os


def revision_id(prefix, number):
    return hashlib.sha1(f"{prefix}:{number}".encode()).hexdigest()[:12]


def statements(prefix, number):
    table = f"{prefix}_{number:05d}"
    upgrade = [
        f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        f"note TEXT)",
        f"INSERT INTO {table} (id, name) VALUES (1, 'first')",
        f"INSERT INTO {table} (id, name, note) VALUES (2, 'second', "
        f"'revision {number}')",
    ]
    downgrade = [f"DROP TABLE {table}"]
    return upgrade, downgrade


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as existing:
            if existing.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def prune(directory, keep, suffix):
    for name in os.listdir(directory):
        if name.endswith(suffix) and name not in keep:
            os.remove(os.path.join(directory, name))


def migc_file(rev, parent, number, upgrade, downgrade):
    lines = [
        f"-- migc:revision      {rev}",
        f"-- migc:down_revision {parent or 'none'}",
        f"-- migc:message       bench {number}",
        "-- migc:create_date   2026-01-01 00:00:00",
        "",
        "-- migc:upgrade",
    ]
    lines += [s + ";" for s in upgrade]
    lines += ["", "-- migc:downgrade"]
    lines += [s + ";" for s in downgrade]
    return "\n".join(lines) + "\n"


def alembic_file(rev, parent, number, upgrade, downgrade):
    def body(sql):
        return "\n".join(f"    op.execute({s!r})" for s in sql)

    return (
        f'"""bench {number}\n\nRevision ID: {rev}\nRevises: {parent or ""}\n"""\n'
        "from alembic import op\n\n"
        f"revision = {rev!r}\n"
        f"down_revision = {parent!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        f"def upgrade():\n{body(upgrade)}\n\n\n"
        f"def downgrade():\n{body(downgrade)}\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--versions", required=True)
    parser.add_argument("--alembic")
    parser.add_argument("--prefix", default="bench")
    args = parser.parse_args()

    os.makedirs(args.versions, exist_ok=True)
    if args.alembic:
        os.makedirs(args.alembic, exist_ok=True)
    migc_names, alembic_names = set(), set()
    parent = None
    for number in range(1, args.count + 1):
        rev = revision_id(args.prefix, number)
        upgrade, downgrade = statements(args.prefix, number)
        name = f"{number:05d}_{rev}_bench_{number}"
        migc_names.add(name + ".sql")
        write_if_changed(os.path.join(args.versions, name + ".sql"),
                         migc_file(rev, parent, number, upgrade, downgrade))
        if args.alembic:
            alembic_names.add(name + ".py")
            write_if_changed(os.path.join(args.alembic, name + ".py"),
                             alembic_file(rev, parent, number, upgrade,
                                          downgrade))
        parent = rev
    prune(args.versions, migc_names, ".sql")
    if args.alembic:
        prune(args.alembic, alembic_names, ".py")


if __name__ == "__main__":
    main()
