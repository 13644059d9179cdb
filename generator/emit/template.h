/* template.h: creating revision files (`migc revision`). */
#ifndef MIGC_TEMPLATE_H
#define MIGC_TEMPLATE_H

#include "gen.h"

struct template_values {
	const char *revision;
	const char *down_revision; /* "none" or "a, b" */
	const char *message;
	const char *create_date;
	const char *branch_labels; /* "" when none */
	const char *depends_on;	   /* "" when none */
};

/* 12 lower-case hex digits from /dev/urandom. Returns 0 or -1. */
int revision_id_random(char out[13]);
/* Alembic's file-name slug of a message; malloc'd. */
char *revision_slug(const char *message);
/* Replaces ${name} placeholders; NULL with a diagnostic on unknown ones. */
char *template_render(const char *template_text, const char *template_path,
		      const struct template_values *values,
		      struct diagnostics *diag);
const char *template_builtin(void);
/* Local time as "YYYY-MM-DD HH:MM:SS". */
void template_now(char out[20]);
struct revision_request {
	const char *versions; /* directory; its script.sql.tmpl if present */
	const char *rev_id;   /* NULL: 12 random hex digits */
	const char *parents;  /* "none" or "a, b" */
	const char *message;
	const char *branch_labels; /* "" when none */
	const char *depends_on;	   /* "" when none */
};

/* Renders, checks that the result parses, and writes
 * <versions>/<id>_<slug>.sql without overwriting. `*path` is malloc'd. */
int revision_create(const struct revision_request *request, char **path,
		    struct diagnostics *diag);

/* What autogenerate puts into a new revision: statements placed at the top
 * of the template's generic upgrade and downgrade sections. */
struct revision_body {
	const char *template_path; /* NULL: <versions>/script.sql.tmpl */
	const char *upgrade;	   /* SQL, "" or NULL for none */
	const char *downgrade;
	/* 1: the header says "-- migc:transaction none", in place of the
	 * template's own transaction line if it has one; 0: the template's
	 * line, if any, stands. */
	int no_transaction;
};

/* revision_create with the sections filled; `body` NULL is
 * revision_create. */
int revision_create_filled(const struct revision_request *request,
			   const struct revision_body *body, char **path,
			   struct diagnostics *diag);

#endif /* MIGC_TEMPLATE_H */
