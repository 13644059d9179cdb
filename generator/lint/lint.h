/* lint.h: the migration linter: operational hazards that pass the grammar
 * (a blocking index build, a table rewrite, a rename that breaks the
 * running code) reported at build time with a rule id and a fix, by
 * `migc generate` and `migc check` alike. */
#ifndef MIGC_LINT_H
#define MIGC_LINT_H

#include "gen.h"

/* "warn", "error" or "off"; returns 0, or -1 for anything else. */
int lint_mode_parse(const char *text, enum lint_mode *out);

/* Lints one revision's upgrade statements for `dialect`. Findings are
 * warnings, or errors in LINT_ERROR; a rule named by '-- migc:allow' in
 * the header (the whole revision) or on a line before a statement (or
 * after its ';', on its line) is silent there. An allow naming no rule is
 * an error. Returns -1 when it added an error, else 0. */
int lint_revision(const struct revision *r, const struct statements *upgrade,
		  enum dialect dialect, enum lint_mode mode,
		  struct diagnostics *diag);

/* lint.c -> lint_postgresql.c, lint_sqlite.c: one finding. */
struct lint_finding {
	const char *rule;
	int at; /* byte offset in the statement's text, or -1: its start */
	char message[512]; /* what is wrong; what to do */
};

/* What a dialect's rules know of the revision so far (tables it created,
 * a lock_timeout it set, constraints it added NOT VALID). */
struct lint_state {
	struct string_list created;
	struct string_list not_valid;
	int lock_timeout_set;
	int lock_timeout_reported;
	int foreign_keys_off; /* SQLite: PRAGMA foreign_keys = OFF pending */
	int no_transaction;
};

typedef void lint_report_fn(const struct lint_finding *finding, void *payload);

/* What a dialect's rules run with, and how they report a finding: at the
 * statement's start (at -1) or at byte `at` of its text. */
struct lint_context {
	struct lint_state *state;
	lint_report_fn *report;
	void *payload;
	int base; /* PostgreSQL: where the statement begins in the tree's
		   * text, so a node's location minus base is an `at` */
};
void lint_finding(const struct lint_context *c, int at, const char *rule,
		  const char *format, ...) GEN_PRINTF(4, 5);

/* Each dialect's rules over one statement, in revision order. */
void lint_postgresql_statement(struct lint_state *state,
			       const struct statement *s,
			       lint_report_fn *report, void *payload);
void lint_sqlite_statement(struct lint_state *state,
			   const struct statements *list, size_t index,
			   lint_report_fn *report, void *payload);
/* Findings the dialect keeps until the revision ends (SQLite: foreign
 * keys left off). */
void lint_sqlite_finish(struct lint_state *state, lint_report_fn *report,
			void *payload);

/* The state's name lists hold names as written, compared exactly
 * (string_list_has). */

/* Every rule id, for '-- migc:allow' (NULL-terminated). */
extern const char *const lint_rules[];

#endif /* MIGC_LINT_H */
