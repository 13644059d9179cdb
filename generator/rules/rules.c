/* rules.c: build-time checks on split statements. Transaction control
 * fails the build: it belongs to migc. A statement that cannot run inside a
 * transaction (or, in SQLite, silently does nothing there) in a
 * transactional revision fails the build here instead of the boot there.
 * PostgreSQL's statements are judged by their parse tree (pgtree.h: the
 * server's grammar); SQLite's by their first words (sql_head, lexer.re). */
#include "gen.h"
#include "pgtree.h"

#include <string.h>

static int word_is(const struct sql_head *w, size_t at, const char *word)
{
	return at < w->count && strcmp(w->word[at], word) == 0;
}

static int has_word(const struct sql_head *w, const char *word)
{
	size_t i;
	for (i = 0; i < w->count; i++)
		if (strcmp(w->word[i], word) == 0)
			return 1;
	return 0;
}

/* Returns what the statement is when it begins, ends or nests a
 * transaction, else NULL. Decided on the first words only, so a trigger's
 * BEGIN ... END, BEGIN ATOMIC, DO $$ BEGIN ... END $$ and function bodies
 * (all inside a CREATE or DO statement) are not transaction control. Both
 * dialects' forms are refused in both: where one is not SQL, the database
 * would refuse it anyway. */
static const char *transaction_control(const struct sql_head *w)
{
	static const char *const modes[] = {"DEFERRED", "IMMEDIATE",
					    "EXCLUSIVE"};
	size_t i;

	if (word_is(w, 0, "BEGIN")) {
		for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
			if (word_is(w, 1, modes[i]))
				return i == 0	? "BEGIN DEFERRED"
				       : i == 1 ? "BEGIN IMMEDIATE"
						: "BEGIN EXCLUSIVE";
		return "BEGIN";
	}
	if (word_is(w, 0, "START") && word_is(w, 1, "TRANSACTION"))
		return "START TRANSACTION";
	if (word_is(w, 0, "COMMIT") || word_is(w, 0, "END"))
		return word_is(w, 1, "PREPARED")
			   ? "COMMIT PREPARED"
			   : (word_is(w, 0, "END") ? "END" : "COMMIT");
	if (word_is(w, 0, "ROLLBACK")) {
		if (word_is(w, 1, "PREPARED"))
			return "ROLLBACK PREPARED";
		return has_word(w, "TO") ? "ROLLBACK TO" : "ROLLBACK";
	}
	if (word_is(w, 0, "ABORT"))
		return "ABORT";
	if (word_is(w, 0, "SAVEPOINT"))
		return "SAVEPOINT";
	if (word_is(w, 0, "RELEASE"))
		return "RELEASE";
	/* PREPARE TRANSACTION 'gid'; `PREPARE name AS ...` is a prepared
	 * statement, even one named "transaction". */
	if (word_is(w, 0, "PREPARE") && word_is(w, 1, "TRANSACTION") &&
	    word_is(w, 2, "'"))
		return "PREPARE TRANSACTION";
	return NULL;
}

/* Returns what a SQLite statement is when it must run outside a
 * transaction, else NULL. */
static const char *needs_no_transaction(const struct sql_head *w)
{
	if (word_is(w, 0, "VACUUM"))
		return "VACUUM";
	if (word_is(w, 0, "PRAGMA") && (has_word(w, "JOURNAL_MODE")))
		return "PRAGMA journal_mode";
	if (word_is(w, 0, "PRAGMA") && (has_word(w, "FOREIGN_KEYS")))
		return "PRAGMA foreign_keys";
	return NULL;
}

#ifdef MIGC_GENERATOR_WITH_PG_QUERY
/* What a TransactionStmt is, named as written (END is a COMMIT, ABORT a
 * ROLLBACK to the parser). */
static const char *pg_transaction_control(const PgQuery__TransactionStmt *t,
					  const struct sql_head *w)
{
	switch (t->kind) {
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
		return "BEGIN";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
		return "START TRANSACTION";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
		return word_is(w, 0, "END") ? "END" : "COMMIT";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
		return word_is(w, 0, "ABORT") ? "ABORT" : "ROLLBACK";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
		return "SAVEPOINT";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
		return "RELEASE";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
		return "ROLLBACK TO";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
		return "PREPARE TRANSACTION";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED:
		return "COMMIT PREPARED";
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED:
		return "ROLLBACK PREPARED";
	default:
		return "transaction control";
	}
}

/* A DefElem list holds `name` (REINDEX (CONCURRENTLY), CREATE
 * SUBSCRIPTION ... WITH (create_slot = false)); *value is its argument's
 * truth: 1 when absent or true. */
static int pg_option(PgQuery__Node **options, size_t count, const char *name,
		     int *value)
{
	size_t i;
	for (i = 0; i < count; i++) {
		const PgQuery__DefElem *d;
		if (options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			continue;
		d = options[i]->def_elem;
		if (strcmp(d->defname, name) != 0)
			continue;
		*value = 1;
		if (d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
			*value = d->arg->boolean->boolval;
		else if (d->arg &&
			 d->arg->node_case == PG_QUERY__NODE__NODE_STRING)
			*value = strcmp(d->arg->string->sval, "false") != 0 &&
				 strcmp(d->arg->string->sval, "off") != 0;
		return 1;
	}
	return 0;
}

/* The ALTER TABLE subcommand that PostgreSQL refuses in a transaction
 * block: DETACH PARTITION ... CONCURRENTLY. */
static const char *pg_alter_table_no_transaction(const PgQuery__AlterTableStmt *a)
{
	size_t i;
	for (i = 0; i < a->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c;
		if (a->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		c = a->cmds[i]->alter_table_cmd;
		if (c->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition &&
		    c->def &&
		    c->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
		    c->def->partition_cmd->concurrent)
			return "DETACH PARTITION CONCURRENTLY";
	}
	return NULL;
}

/* What the statement is when PostgreSQL refuses it in a transaction block
 * (its PreventInTransactionBlock callers), else NULL. */
static const char *pg_no_transaction(const PgQuery__Node *n)
{
	int value = 0;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return n->index_stmt->concurrent ? "CREATE INDEX CONCURRENTLY"
						 : NULL;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return n->drop_stmt->concurrent ? "DROP INDEX CONCURRENTLY"
						: NULL;
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		if (n->reindex_stmt->kind ==
			PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE ||
		    n->reindex_stmt->kind ==
			PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM)
			return "REINDEX DATABASE/SYSTEM";
		if (pg_option(n->reindex_stmt->params,
			      n->reindex_stmt->n_params, "concurrently",
			      &value) &&
		    value)
			return "REINDEX CONCURRENTLY";
		return NULL;
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		return n->vacuum_stmt->is_vacuumcmd ? "VACUUM" : NULL;
	case PG_QUERY__NODE__NODE_CLUSTER_STMT:
		return n->cluster_stmt->relation ? NULL
						 : "CLUSTER of every table";
	case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
		return "ALTER SYSTEM";
	case PG_QUERY__NODE__NODE_CREATEDB_STMT:
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
		return "CREATE/DROP DATABASE";
	case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
	case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
		return "CREATE/DROP TABLESPACE";
	case PG_QUERY__NODE__NODE_DISCARD_STMT:
		return n->discard_stmt->target ==
			       PG_QUERY__DISCARD_MODE__DISCARD_ALL
			   ? "DISCARD ALL"
			   : NULL;
	case PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT:
		return pg_option(n->alter_database_stmt->options,
				 n->alter_database_stmt->n_options,
				 "tablespace", &value)
			   ? "ALTER DATABASE SET TABLESPACE"
			   : NULL;
	case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT:
		/* create_slot defaults to true */
		if (pg_option(n->create_subscription_stmt->options,
			      n->create_subscription_stmt->n_options,
			      "create_slot", &value) &&
		    !value)
			return NULL;
		return "CREATE SUBSCRIPTION (with a slot)";
	case PG_QUERY__NODE__NODE_ALTER_SUBSCRIPTION_STMT:
		return n->alter_subscription_stmt->kind ==
			       PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_REFRESH
			   ? "ALTER SUBSCRIPTION ... REFRESH PUBLICATION"
			   : NULL;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		return pg_alter_table_no_transaction(n->alter_table_stmt);
	default:
		return NULL;
	}
}
#endif

/* The statement's kind for the two rules: transaction control (*control)
 * or a statement that cannot run in a transaction (*outside). */
static void classify(const struct statement *s, enum dialect dialect,
		     const char **control, const char **outside)
{
	struct sql_head w;

	sql_head(&w, dialect, s->sql);
	*control = NULL;
	*outside = NULL;
#ifdef MIGC_GENERATOR_WITH_PG_QUERY
	if (dialect == DIALECT_POSTGRESQL) {
		PgQuery__ParseResult *tree;
		const PgQuery__Node *n = pg_statement_tree(s, &tree);
		if (n && n->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT)
			*control = pg_transaction_control(n->transaction_stmt,
							  &w);
		else if (n)
			*outside = pg_no_transaction(n);
		pg_tree_free(tree);
		return;
	}
#endif
	*control = transaction_control(&w);
	if (!*control)
		*outside = needs_no_transaction(&w);
}

/* The statement's first token, as a file location. */
static struct location statement_at(const struct revision *r,
				    const struct statement *s)
{
	struct location at = {r->path, s->line, 1};
	size_t i = s->offset;

	while (i > 0 && r->text[i - 1] != '\n')
		i--;
	at.column = (int)(s->offset - i) + 1;
	return at;
}

int rules_no_transaction(const struct statement *s, enum dialect dialect)
{
	const char *control, *outside;
	classify(s, dialect, &control, &outside);
	return outside != NULL;
}

int rules_check(const struct revision *r, const struct statements *list,
		enum dialect dialect, struct diagnostics *diag)
{
	size_t i;
	int result = 0;
	for (i = 0; i < list->count; i++) {
		const char *what, *outside;
		struct location at = statement_at(r, &list->items[i]);
		classify(&list->items[i], dialect, &what, &outside);
		if (what) {
			if (r->no_transaction)
				diag_error(diag, at,
					   "%s is transaction control, which "
					   "belongs to migc: in a 'transaction "
					   "none' revision it commits each "
					   "statement with its progress row; "
					   "remove the statement",
					   what);
			else
				diag_error(
				    diag, at,
				    "%s is transaction control, which "
				    "belongs to migc: it runs each "
				    "revision in a transaction of its "
				    "own and commits it with the version "
				    "row; remove the statement (to run "
				    "this revision outside a "
				    "transaction, add '-- "
				    "migc:transaction none' to its "
				    "header instead)",
				    what);
			result = -1;
			continue;
		}
		what = r->no_transaction ? NULL : outside;
		if (!what)
			continue;
		diag_error(diag, at,
			   "%s cannot run inside a transaction%s; add "
			   "'-- migc:transaction none' to this revision's "
			   "header (its statements then run one by one) and "
			   "keep such statements in a revision of their own",
			   what,
			   dialect == DIALECT_SQLITE &&
				   strncmp(what, "PRAGMA", 6) == 0
			       ? " (SQLite ignores or rejects it there)"
			       : "");
		result = -1;
	}
	return result;
}
