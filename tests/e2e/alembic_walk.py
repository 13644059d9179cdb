#!/usr/bin/env python3
"""alembic_walk.py DATA_DIR WORK_DIR GRAPH=CLI...

Side by side with Alembic 1.8.1, live (issue 19): every case of
DATA_DIR/cases.txt runs on a fresh SQLite file through the compiled
command line of its graph (CLI, built from DATA_DIR/GRAPH/versions) and
through Alembic over an equivalent project (written here with
tests/data/labels/alembic/mkproject.py), in-process so that a hundred
commands take seconds. Compared after each command: the version rows and
the tables; after the case's last one also whether it succeeded and the
revisions it ran, in their order except between revisions neither of
which needs the other (the run order of independent branches is a
documented difference); for `history`, what it printed. The same last
command as an offline --sql script from the rows before it, run by SQLite
on a copy of the database, must leave the rows and tables the online run
left.

A case ending in "!refuses" or "!nothing" is a deliberate difference:
migc must refuse it, or succeed doing nothing, and leave the database as
it was; what Alembic did is printed.
"""
import contextlib
import io
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import warnings

if os.environ.get("PYTHONHASHSEED") != "0":
    # Alembic iterates some sets of strings; one seed, one order.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import alembic  # noqa: E402
from alembic.config import CommandLine, Config  # noqa: E402

data, work = sys.argv[1], sys.argv[2]
clis = dict(arg.split("=", 1) for arg in sys.argv[3:])
here = os.path.dirname(os.path.abspath(__file__))
mkproject = os.path.join(here, "..", "data", "labels", "alembic", "mkproject.py")
assert alembic.__version__ == "1.8.1", "Alembic %s, not 1.8.1" % alembic.__version__

# Alembic lists its versions directory in the file system's order; migc
# reads it sorted by name. Sorted here too, so both see one order.
_listdir = os.listdir
os.listdir = lambda path=".": sorted(_listdir(path))

RUNNING = re.compile(r"Running (upgrade|downgrade) .* -> .*, (\S+)$")


def steps(text):
    """The revisions run, from the log lines (each message is its id)."""
    out = []
    for line in text.splitlines():
        match = RUNNING.search(line)
        if match:
            out.append(("up " if match.group(1) == "upgrade" else "down ") + match.group(2))
    return out


def state(path, version_table):
    """(version rows, tables) of a database file."""
    if not os.path.exists(path):
        return [], []
    db = sqlite3.connect(path)
    try:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        rows = sorted(r[0] for r in db.execute("SELECT version_num FROM %s" % version_table)) \
            if version_table in names else []
        return rows, sorted(n for n in names if n.startswith("t_"))
    finally:
        db.close()


def run_alembic(project, command):
    """Runs one Alembic command in this process: (ok, log text, output)."""
    captured = io.StringIO()
    printed = io.StringIO()
    argv = ["-c", os.path.join(project, "alembic.ini")] + command.split()
    ok = True
    saved = sys.stderr
    sys.stderr = captured  # the ini's handler writes to sys.stderr
    try:
        with warnings.catch_warnings(record=True) as caught, \
                contextlib.redirect_stdout(printed):
            warnings.simplefilter("always")
            # alembic.config.main, with the output into `printed`
            line = CommandLine(prog="alembic")
            options = line.parser.parse_args(argv)
            line.run_cmd(Config(file_=options.config, ini_section=options.name,
                                cmd_opts=options, stdout=printed), options)
        for warning in caught:
            captured.write("WARNING %s\n" % warning.message)
    except SystemExit as exit_:
        ok = exit_.code in (0, None)
    except Exception as error:  # an assertion inside Alembic: a refusal
        ok = False
        captured.write("%s: %s\n" % (type(error).__name__, error))
    finally:
        sys.stderr = saved
        logging.shutdown()
    return ok, printed.getvalue() + captured.getvalue(), printed.getvalue()


def run_migc(cli, url, command):
    done = subprocess.run([cli, "--url", url] + command.split(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=60)
    return done.returncode == 0, done.stdout + done.stderr, done.stdout


def independent(graph, a, b):
    """Neither revision needs the other (through parents or depends_on)."""
    return a not in graph.ancestors(b) and b not in graph.ancestors(a)


class Graph:
    """Parents and dependencies of a versions directory, for the order check."""

    def __init__(self, versions):
        self.needs = {}
        for name in os.listdir(versions):
            if not name.endswith(".sql"):
                continue
            keys = {}
            for line in open(os.path.join(versions, name)):
                match = re.match(r"-- migc:(\w+)\s+(.*)$", line)
                if match:
                    keys[match.group(1)] = match.group(2).strip()
            parents = [] if keys.get("down_revision", "none") == "none" \
                else [p.strip() for p in keys["down_revision"].split(",")]
            deps = [d.strip() for d in keys.get("depends_on", "").split(",") if d.strip()]
            self.needs[keys["revision"]] = parents + deps

    def ancestors(self, rev):
        seen, todo = set(), list(self.needs.get(rev, []))
        while todo:
            at = todo.pop()
            if at not in seen:
                seen.add(at)
                todo.extend(self.needs.get(at, []))
        return seen


def same_order(graph, ours, theirs):
    """The same steps, in an order that differs only between independent ones."""
    if sorted(ours) != sorted(theirs):
        return False
    for i, a in enumerate(ours):
        for b in ours[i + 1:]:
            if theirs.index(b) < theirs.index(a) and not independent(graph, a[3:].strip(), b[3:].strip()):
                return False
    return True


def offline(cli, before_rows, command, db_before, scratch):
    """The last command as a --sql script from the rows before it, run by
    SQLite on a copy of the database before it: (ok, steps, rows, tables)."""
    words = command.split()
    verb, rest = words[0], words[1:]
    targets = [w for w in rest if not w.startswith("--")]
    flags = [w for w in rest if w.startswith("--")]
    start = ",".join(before_rows) if before_rows else "base"
    if verb == "stamp":
        argv = [verb, "--sql"] + flags + ["%s:%s" % (start, targets[0])] + targets[1:]
    else:
        argv = [verb, "--sql"] + flags + ["%s:%s" % (start, t) for t in targets]
    done = subprocess.run([cli, "--url", "nowhere://"] + argv, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    if done.returncode != 0:
        return False, done.stderr.strip(), [], []
    if os.path.exists(scratch):
        os.remove(scratch)
    if os.path.exists(db_before):
        shutil.copy(db_before, scratch)
    db = sqlite3.connect(scratch)
    try:
        db.executescript(done.stdout)
    finally:
        db.close()
    rows, tables = state(scratch, "migc_version")
    ordered = []
    for line in done.stdout.splitlines():
        match = re.match(r"-- Running (upgrade|downgrade) (.*) -> (.*)$", line)
        if match and match.group(1) == "upgrade":
            ordered.append("up " + match.group(3).strip())
        elif match:
            ordered.append("down " + match.group(2).strip())
    return True, ordered, rows, tables


def main():
    os.makedirs(work, exist_ok=True)
    projects, graphs = {}, {}
    for name in clis:
        project = os.path.join(work, name, "alembic")
        shutil.rmtree(project, ignore_errors=True)
        subprocess.check_call([sys.executable, mkproject, os.path.join(data, name, "versions"), project])
        projects[name] = project
        graphs[name] = Graph(os.path.join(data, name, "versions"))
    failures = []
    count = 0
    for number, line in enumerate(open(os.path.join(data, "cases.txt")), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        graph, _, commands = line.partition(":")
        graph = graph.strip()
        marker = commands.split()[-1] if commands.split()[-1] in ("!refuses", "!nothing") else None
        commands = [c.strip() for c in commands.replace(marker or "\0", "").split(";")]
        if graph not in clis:
            failures.append("cases.txt:%d: no command line for graph '%s'" % (number, graph))
            continue
        count += 1
        project = projects[graph]
        alembic_db = os.path.join(project, "alembic.db")
        migc_db = os.path.join(work, graph, "migc.db")
        before_db = os.path.join(work, graph, "before.db")
        for path in (alembic_db, migc_db, before_db):
            if os.path.exists(path):
                os.remove(path)
        url = "sqlite:///" + migc_db
        problems = []
        for i, command in enumerate(commands):
            last = i == len(commands) - 1
            if last:
                migc_before = state(migc_db, "migc_version")
                if os.path.exists(migc_db):
                    shutil.copy(migc_db, before_db)
            a_ok, a_log, a_out = run_alembic(project, command)
            m_ok, m_log, m_out = run_migc(clis[graph], url, command)
            if not last and not (a_ok and m_ok):
                problems.append("setup '%s' failed: alembic %s, migc %s\n  alembic: %s\n  migc: %s"
                                % (command, a_ok, m_ok, a_log.strip(), m_log.strip()))
                break
            if not last and state(alembic_db, "alembic_version") != state(migc_db, "migc_version"):
                problems.append("after '%s': alembic %s, migc %s" % (
                    command, state(alembic_db, "alembic_version"), state(migc_db, "migc_version")))
                break
        if problems:
            failures.append("%s: %s\n  %s" % (graph, " ; ".join(commands), "\n  ".join(problems)))
            continue
        a_rows, a_tables = state(alembic_db, "alembic_version")
        m_rows, m_tables = state(migc_db, "migc_version")
        a_steps, m_steps = steps(a_log), steps(m_log)
        what = "%s: %s" % (graph, " ; ".join(commands))
        if marker:
            if m_ok != (marker == "!nothing") or m_steps or (m_rows, m_tables) != migc_before:
                problems.append("migc should %s and change nothing: ran %s, rows %s"
                                % ("refuse" if marker == "!refuses" else "succeed", m_steps, m_rows))
            print("ok (%s as documented; Alembic %s: ran %s, rows %s) %s"
                  % ("refused" if marker == "!refuses" else "nothing to do",
                     "succeeded" if a_ok else "refused", a_steps, a_rows, what))
        else:
            if a_ok != m_ok:
                problems.append("alembic %s, migc %s" % ("succeeded" if a_ok else "refused",
                                                        "succeeded" if m_ok else "refused"))
            if not same_order(graphs[graph], m_steps, a_steps):
                problems.append("steps: alembic %s, migc %s" % (a_steps, m_steps))
            if a_rows != m_rows:
                problems.append("rows: alembic %s, migc %s" % (a_rows, m_rows))
            if a_tables != m_tables:
                problems.append("tables: alembic %s, migc %s" % (a_tables, m_tables))
            if commands[-1].startswith("history") and a_ok and m_ok and a_out != m_out:
                problems.append("history printed:\n%s  migc printed:\n%s" % (a_out, m_out))
            if m_ok and commands[-1].split()[0] in ("upgrade", "downgrade", "stamp"):
                o_ok, o_steps, o_rows, o_tables = offline(clis[graph], migc_before[0], commands[-1],
                                                          before_db, os.path.join(work, graph, "offline.db"))
                if not o_ok:
                    problems.append("--sql refused: %s" % o_steps)
                elif (o_steps, o_rows, o_tables) != (m_steps, m_rows, m_tables):
                    problems.append("--sql: steps %s rows %s tables %s; online: steps %s rows %s tables %s"
                                    % (o_steps, o_rows, o_tables, m_steps, m_rows, m_tables))
            if problems:
                problems.append("alembic said: %s" % a_log.strip().replace("\n", "\n    "))
                problems.append("migc said: %s" % m_log.strip().replace("\n", "\n    "))
            else:
                print("ok %s: %s" % (what, "ran %s, rows %s" % (" ".join(a_steps) or "nothing", a_rows)
                                     if a_ok else "refused by both"))
        if problems:
            failures.append("%s\n  %s" % (what, "\n  ".join(problems)))
    for failure in failures:
        print("DIFFERS " + failure)
    print("alembic_walk: %d cases, %d as Alembic 1.8.1 does" % (count, count - len(failures)))
    return 1 if failures else 0


sys.exit(main())
