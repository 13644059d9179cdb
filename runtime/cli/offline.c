/* offline.c: `upgrade --sql` / `downgrade --sql`: the SQL script the
 * executor would run, written from migc_plan_steps() without a database,
 * in Alembic's offline layout, so a DBA can review or run it by hand.
 * Part of the command-line library (stdio); the planning stays in the core. */
#include "migc_cli.h"
#include "migc_driver.h" /* the version table's naming rules and quoting */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct script {
	FILE *out;
	const migc_set *set;
	int postgresql;
	int create_tables; /* the plan starts from base: create them first */
	char table[2 * MIGC_TABLE_NAME_MAX + 8];
	char history[2 * (MIGC_TABLE_NAME_MAX + sizeof MIGC_HISTORY_SUFFIX) + 8];
	/* The primary keys' names: "<table>_pkc", "<table>_history_pkc",
	 * from the table without its schema. */
	char table_key[2 * (MIGC_TABLE_NAME_MAX + 4) + 8];
	char history_key[2 * (MIGC_TABLE_NAME_MAX + sizeof MIGC_HISTORY_SUFFIX +
			      4) +
			 8];
} script;

/* `name` plus `suffix` as SQL, quoted as the drivers quote it. */
static void sql_name(char *out, size_t size, const char *name,
		     const char *suffix)
{
	char joined[MIGC_TABLE_NAME_MAX + sizeof MIGC_HISTORY_SUFFIX +
		    sizeof "_pkc"];

	snprintf(joined, sizeof joined, "%s%s", name, suffix);
	/* Sized for the longest name the check lets through. */
	(void)migc_table_quote(out, size, NULL, joined, strlen(joined), NULL);
}

/* Text inside a string literal: quotes doubled. */
static void escaped(FILE *out, const char *text, size_t length)
{
	size_t i;

	for (i = 0; i < length; i++) {
		if (text[i] == '\'')
			fputc('\'', out);
		fputc(text[i], out);
	}
}

static void create_tables(const script *s)
{
	fprintf(s->out,
		"CREATE TABLE IF NOT EXISTS %s (\n"
		"    version_num VARCHAR(32) NOT NULL,\n"
		"    CONSTRAINT %s PRIMARY KEY (version_num)\n"
		");\n\n",
		s->table, s->table_key);
	fprintf(s->out,
		"CREATE TABLE IF NOT EXISTS %s (\n"
		"    version_num VARCHAR(32) NOT NULL,\n"
		"    parents TEXT NOT NULL,\n"
		"    checksum VARCHAR(16) NOT NULL,\n"
		"    applied_at %s,\n"
		"    duration_ms INTEGER NOT NULL,\n"
		"    statements_done INTEGER NOT NULL,\n"
		"    downgrade_sql TEXT NOT NULL,\n"
		"    downgrade_done INTEGER NOT NULL DEFAULT 0,\n"
		"    CONSTRAINT %s PRIMARY KEY (version_num)\n"
		");\n\n",
		s->history,
		s->postgresql ? "TIMESTAMPTZ NOT NULL DEFAULT now()"
			      : "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
		s->history_key);
}

static void ids(FILE *out, const migc_set *set, const uint32_t *indices,
		uint32_t count, const char *separator)
{
	uint32_t i;

	for (i = 0; i < count; i++)
		fprintf(out, "%s%s", i > 0 ? separator : "",
			set->revisions[indices[i]].id);
}

/* Alembic's version-row statements (see migc_step for the order). */
static void row_changes(const script *s, const migc_step *step)
{
	uint32_t i;
	uint32_t removed = step->removed_count;
	uint32_t added = step->added_count;

	if (removed > 0 && added > 0) {
		for (i = 0; i + 1 < removed; i++)
			fprintf(s->out,
				"DELETE FROM %s WHERE %s.version_num = "
				"'%s';\n\n",
				s->table, s->table, step->removed[i]->id);
		fprintf(s->out,
			"UPDATE %s SET version_num='%s' WHERE "
			"%s.version_num = '%s';\n\n",
			s->table, step->added[added - 1]->id, s->table,
			step->removed[removed - 1]->id);
		for (i = 0; i + 1 < added; i++)
			fprintf(s->out,
				"INSERT INTO %s (version_num) VALUES "
				"('%s');\n\n",
				s->table, step->added[i]->id);
		return;
	}
	for (i = 0; i < removed; i++)
		fprintf(s->out,
			"DELETE FROM %s WHERE %s.version_num = '%s';\n\n",
			s->table, s->table, step->removed[i]->id);
	for (i = 0; i < added; i++)
		fprintf(s->out, "INSERT INTO %s (version_num) VALUES ('%s');\n\n",
			s->table, step->added[i]->id);
}

/* The history row the executor writes (duration 0: no clock offline),
 * for a revision (`r`, whose parents it lists) or a repeatable (`key`
 * "R:<name>", no parents). */
static void history_insert(const script *s, const migc_revision *r,
			   const char *key, uint64_t checksum,
			   uint32_t statements_done,
			   const migc_statement *downgrade, uint32_t count)
{
	uint32_t i;

	fprintf(s->out,
		"INSERT %sINTO %s (version_num, parents, checksum, applied_at, "
		"duration_ms, statements_done, downgrade_sql) VALUES ('%s', '",
		s->postgresql ? "" : "OR REPLACE ", s->history, key);
	if (r != NULL) {
		ids(s->out, s->set, r->parents, r->parent_count, ",");
		if (r->parent_count > 0 && r->dependency_count > 0)
			fputc(',', s->out);
		ids(s->out, s->set, r->dependencies, r->dependency_count, ",");
	}
	fprintf(s->out, "', '%016llx', %s, 0, %u, ",
		(unsigned long long)checksum,
		s->postgresql ? "now()" : "CURRENT_TIMESTAMP",
		(unsigned)statements_done);
	/* The downgrade statements as the history stores them. */
	fputc('\'', s->out);
	for (i = 0; i < count; i++) {
		const migc_statement *statement = &downgrade[i];

		fprintf(s->out, "%u:", (unsigned)statement->length);
		escaped(s->out, statement->sql, statement->length);
		fputc(',', s->out);
	}
	fputc('\'', s->out);
	if (s->postgresql)
		fputs(") ON CONFLICT (version_num) DO UPDATE SET parents = "
		      "EXCLUDED.parents, checksum = EXCLUDED.checksum, "
		      "applied_at = EXCLUDED.applied_at, duration_ms = "
		      "EXCLUDED.duration_ms, statements_done = "
		      "EXCLUDED.statements_done, downgrade_sql = "
		      "EXCLUDED.downgrade_sql;\n\n",
		      s->out);
	else
		fputs(");\n\n", s->out);
}

static void history_change(const script *s, const migc_step *step)
{
	const migc_revision *r = step->revision;

	if (step->kind == MIGC_EVENT_DOWNGRADE) {
		fprintf(s->out, "DELETE FROM %s WHERE version_num = '%s';\n\n",
			s->history, r->id);
		return;
	}
	history_insert(s, r, r->id, r->checksum, r->upgrade_count,
		       r->downgrade, r->downgrade_count);
}

static void statements_write(const script *s, const migc_statement *list,
			     uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		fwrite(list[i].sql, 1, list[i].length, s->out);
		fputs(";\n\n", s->out);
	}
}

/* Repeatable revisions, each in a transaction of its own as the executor
 * runs them: applied after an upgrade that ends at the heads (all of
 * them: a script cannot know what the database recorded), or undone with
 * this build's downgrades, last first, before a downgrade's first step. */
static void repeatables_write(const script *s, int undo)
{
	uint32_t n = s->set->repeatable_count;
	uint32_t k;

	for (k = 0; k < n; k++) {
		const migc_repeatable *r =
		    &s->set->repeatables[undo ? n - 1 - k : k];

		if (s->postgresql)
			fputs("BEGIN;\n\n", s->out);
		fprintf(s->out, "-- %s repeatable %s\n\n",
			undo ? "Undoing" : "Running", r->name);
		if (undo) {
			statements_write(s, r->downgrade, r->downgrade_count);
			fprintf(s->out,
				"DELETE FROM %s WHERE version_num = "
				"'" MIGC_REPEATABLE_PREFIX "%s';\n\n",
				s->history, r->name);
		} else {
			char key[MIGC_REVISION_ID_MAX + 1];

			statements_write(s, r->upgrade, r->upgrade_count);
			snprintf(key, sizeof key, MIGC_REPEATABLE_PREFIX "%s",
				 r->name);
			history_insert(s, NULL, key, r->checksum,
				       r->upgrade_count, r->downgrade,
				       r->downgrade_count);
		}
		if (s->postgresql)
			fputs("COMMIT;\n\n", s->out);
	}
}

static int on_step(const migc_step *step, void *payload)
{
	script *s = payload;
	const migc_revision *r = step->revision;
	int downgrade = step->kind == MIGC_EVENT_DOWNGRADE;
	const migc_statement *statements =
		downgrade ? r->downgrade : r->upgrade;
	uint32_t count = downgrade ? r->downgrade_count : r->upgrade_count;
	int transaction = !(r->flags & MIGC_REVISION_NO_TRANSACTION);

	if (downgrade && step->number == 1)
		repeatables_write(s, 1);
	/* PostgreSQL: one transaction per revision, as the executor runs
	 * it; the tables are created in the first one. */
	if (s->postgresql && (transaction || s->create_tables))
		fputs("BEGIN;\n\n", s->out);
	if (s->create_tables) {
		create_tables(s);
		s->create_tables = 0;
		if (s->postgresql && !transaction)
			fputs("COMMIT;\n\n", s->out);
	}
	if (downgrade) {
		fprintf(s->out, "-- Running downgrade %s -> ", r->id);
		ids(s->out, s->set, r->parents, r->parent_count, ", ");
	} else {
		fputs("-- Running upgrade ", s->out);
		ids(s->out, s->set, r->parents, r->parent_count, ", ");
		fprintf(s->out, " -> %s", r->id);
	}
	fputs("\n\n", s->out);
	if (!transaction)
		fputs("-- (outside a transaction: migc:transaction none)\n\n",
		      s->out);
	statements_write(s, statements, count);
	if (s->postgresql && !transaction)
		fputs("BEGIN;\n\n", s->out);
	row_changes(s, step);
	history_change(s, step);
	if (s->postgresql)
		fputs("COMMIT;\n\n", s->out);
	return 0;
}

/* The script's names, after the executor's check of the table name. */
static int script_init(script *s, FILE *out, const migc_set *set,
		       const char *version_table, migc_error *error)
{
	const char *dot;
	const char *part;
	int rc;

	memset(s, 0, sizeof *s);
	if (out == NULL || set == NULL)
		return MIGC_EINVAL;
	if (version_table == NULL)
		version_table = MIGC_DEFAULT_VERSION_TABLE;
	/* The executor's check, before anything is printed. */
	rc = migc_table_name_check(set->dialect, version_table,
				   strlen(version_table), error);
	if (rc != MIGC_OK)
		return rc;
	s->out = out;
	s->set = set;
	s->postgresql =
	    set->dialect != NULL && strcmp(set->dialect, "postgresql") == 0;
	dot = strchr(version_table, '.');
	part = dot != NULL ? dot + 1 : version_table;
	sql_name(s->table, sizeof s->table, version_table, "");
	sql_name(s->history, sizeof s->history, version_table,
		 MIGC_HISTORY_SUFFIX);
	sql_name(s->table_key, sizeof s->table_key, part, "_pkc");
	sql_name(s->history_key, sizeof s->history_key, part,
		 MIGC_HISTORY_SUFFIX "_pkc");
	return MIGC_OK;
}

/* Does an upgrade to `target` leave every revision applied? */
static int ends_at_heads(const migc_set *set, const char *target)
{
	const migc_revision *revision = NULL;

	if (target == NULL || strcmp(target, "heads") == 0)
		return 1;
	return set->head_count == 1 &&
	       migc_target_revision(&revision, NULL, set, target, NULL) ==
		   MIGC_OK &&
	       revision == &set->revisions[set->heads[0]];
}

int migc_sql_script(FILE *out, const migc_set *set, const char *version_table,
		    const char *from, const char *target, int downgrade,
		    migc_error *error)
{
	script s;
	size_t steps = 0;
	int rc = script_init(&s, out, set, version_table, error);

	if (rc != MIGC_OK)
		return rc;
	s.create_tables =
	    !downgrade && (from == NULL || strcmp(from, "base") == 0);
	rc = migc_plan_steps(&steps, set, from, target, downgrade, on_step, &s,
			     error);
	if (rc == MIGC_OK && s.create_tables) {
		/* Nothing to run: the tables are still what upgrade makes. */
		if (s.postgresql)
			fputs("BEGIN;\n\n", out);
		create_tables(&s);
		if (s.postgresql)
			fputs("COMMIT;\n\n", out);
	}
	if (rc == MIGC_OK && !downgrade && ends_at_heads(set, target))
		repeatables_write(&s, 0);
	return rc;
}

/* ---- stamp --sql ---- */

/* The stamp's statements from migc_plan_stamp's `before` and `after`. */
static int stamp_write(script *s, const unsigned char *before,
		       const unsigned char *after, migc_error *error)
{
	migc_step step;
	uint32_t i;

	memset(&step, 0, sizeof step);
	step.set = s->set;
	for (i = 0; i < s->set->revision_count; i++) {
		const migc_revision *r = &s->set->revisions[i];
		int row_before = (before[i] & MIGC_PLAN_ROW) != 0;

		if (row_before == ((after[i] & MIGC_PLAN_ROW) != 0))
			continue;
		if (step.removed_count >= MIGC_MAX_HEADS ||
		    step.added_count >= MIGC_MAX_HEADS) {
			memset(error, 0, sizeof *error);
			error->code = MIGC_ELIMIT;
			snprintf(error->message, sizeof error->message,
				 "The stamp changes more than %d version rows "
				 "(MIGC_MAX_HEADS).",
				 MIGC_MAX_HEADS);
			return MIGC_ELIMIT;
		}
		if (row_before)
			step.removed[step.removed_count++] = r;
		else
			step.added[step.added_count++] = r;
	}
	if (s->postgresql)
		fputs("BEGIN;\n\n", s->out);
	if (s->create_tables)
		create_tables(s);
	if (step.removed_count + step.added_count > 0) {
		fputs("-- Running stamp_revision ", s->out);
		for (i = 0; i < step.removed_count; i++)
			fprintf(s->out, "%s%s", i > 0 ? ", " : "",
				step.removed[i]->id);
		fputs(" -> ", s->out);
		for (i = 0; i < step.added_count; i++)
			fprintf(s->out, "%s%s", i > 0 ? ", " : "",
				step.added[i]->id);
		fputs("\n\n", s->out);
		row_changes(s, &step);
	}
	/* History, as the executor's stamp keeps it. */
	for (i = 0; i < s->set->revision_count; i++) {
		int was = (before[i] & MIGC_PLAN_APPLIED) != 0;

		if (was == ((after[i] & MIGC_PLAN_APPLIED) != 0))
			continue;
		step.kind = was ? MIGC_EVENT_DOWNGRADE : MIGC_EVENT_UPGRADE;
		step.revision = &s->set->revisions[i];
		history_change(s, &step);
	}
	if (s->postgresql)
		fputs("COMMIT;\n\n", s->out);
	return MIGC_OK;
}

int migc_sql_stamp_script(FILE *out, const migc_set *set,
			  const char *version_table, const char *from,
			  const char *const *targets, size_t count,
			  migc_error *error)
{
	script s;
	unsigned char *before;
	int rc = script_init(&s, out, set, version_table, error);

	if (rc != MIGC_OK)
		return rc;
	before = calloc(2 * (size_t)set->revision_count + 1, 1);
	if (before == NULL)
		return MIGC_ELIMIT;
	s.create_tables = from == NULL || strcmp(from, "base") == 0;
	rc = migc_plan_stamp(before, before + set->revision_count,
			     set->revision_count, set, from, targets, count,
			     error);
	if (rc == MIGC_OK)
		rc = stamp_write(&s, before, before + set->revision_count,
				 error);
	free(before);
	return rc;
}
