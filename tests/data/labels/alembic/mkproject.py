#!/usr/bin/env python3
"""mkproject.py VERSIONS_DIR PROJECT_DIR: an Alembic 1.8 project with the same
graph as a migc versions directory (ids, down_revision, branch_labels,
depends_on, message, create date; upgrade/downgrade run the SQL)."""
import os, re, sys

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(dst, "versions"), exist_ok=True)
with open(os.path.join(dst, "alembic.ini"), "w") as f:
    f.write("""[alembic]
script_location = %s
sqlalchemy.url = sqlite:///%s/alembic.db

[loggers]
keys = root,sqlalchemy,alembic
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARN
handlers = console
qualname =
[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine
[logger_alembic]
level = INFO
handlers =
qualname = alembic
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %%(levelname)-5.5s [%%(name)s] %%(message)s
""" % (dst, dst))
with open(os.path.join(dst, "env.py"), "w") as f:
    f.write("""from alembic import context
from logging.config import fileConfig
fileConfig(context.config.config_file_name)
from sqlalchemy import engine_from_config, pool
config = context.config
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
""")
with open(os.path.join(dst, "script.py.mako"), "w") as f:
    f.write("")

def split_sql(text):
    return [s.strip() for s in text.split(";") if s.strip()]

for name in sorted(os.listdir(src)):
    if not name.endswith(".sql"):
        continue
    text = open(os.path.join(src, name)).read()
    keys = {}
    for m in re.finditer(r"^-- migc:(\w+)[ \t]*(.*)$", text, re.M):
        keys.setdefault(m.group(1), m.group(2).strip())
    up = re.search(r"^-- migc:upgrade.*?\n(.*?)(?=^-- migc:downgrade|\Z)", text, re.M | re.S)
    down = re.search(r"^-- migc:downgrade.*?\n(.*)", text, re.M | re.S)
    rev = keys["revision"]
    dr = keys.get("down_revision", "none")
    dr_list = [] if dr == "none" else [x.strip() for x in dr.split(",")]
    if len(dr_list) == 0:
        dr_py = "None"
    elif len(dr_list) == 1:
        dr_py = repr(dr_list[0])
    else:
        dr_py = repr(tuple(dr_list))
    labels = keys.get("branch_labels")
    labels_py = repr(tuple(x.strip() for x in labels.split(","))) if labels else "None"
    deps = keys.get("depends_on")
    deps_py = repr(tuple(x.strip() for x in deps.split(","))) if deps else "None"
    revises = ", ".join(dr_list)
    body = '''"""%s

Revision ID: %s
Revises: %s
Create Date: %s

"""
from alembic import op

revision = %r
down_revision = %s
branch_labels = %s
depends_on = %s


def upgrade():
%s


def downgrade():
%s
''' % (keys.get("message", ""), rev, revises, keys.get("create_date", ""),
       rev, dr_py, labels_py, deps_py,
       "\n".join("    op.execute(%r)" % s for s in split_sql(up.group(1) if up else "")) or "    pass",
       "\n".join("    op.execute(%r)" % s for s in split_sql(down.group(1) if down else "")) or "    pass")
    with open(os.path.join(dst, "versions", name[:-4] + ".py"), "w") as f:
        f.write(body)
