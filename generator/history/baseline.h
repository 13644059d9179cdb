/* baseline.h: baselines (migc squash) and rewriting history (migc
 * rebase): the baseline's place beside the graph, its build-time proof in
 * autogenerate's scratch schemas, and the two commands. */
#ifndef MIGC_BASELINE_H
#define MIGC_BASELINE_H

#include "gen.h"

struct autogen_dialect;
struct scratch;

/* The graph index of the one revision `target` names, through the core's
 * target resolver over the graph seen as a set (the grammar and messages
 * of the compiled command line): -1 for base, -2 after printing why it
 * names none (prefixed by `what`, the option it came from). */
long history_revision(const struct graph *g, const char *target,
		      const char *what);

/* One byte per revision (g->revisions' indices, malloc'd): 1 for `of`
 * and every revision it needs (parents and dependencies), which its
 * baseline stands for. */
unsigned char *baseline_members(const struct graph *g, size_t of);

/* Scratch schemas holding the chain up to a revision and an empty one,
 * with both catalogs read. */
struct baseline_session {
	const struct autogen_dialect *dialect;
	struct scratch *scratch;
	void *chain; /* the catalog the chain up to the revision gives */
	void *empty; /* an empty schema's */
};
/* Applies the upgrades `of` needs (baseline_members) in the graph's order;
 * 0, or -1 after reporting (the session is closed then). */
int baseline_open(struct baseline_session *s, const struct graph *g, size_t of,
		  enum dialect dialect, const char *url,
		  struct diagnostics *diag);
/* `baseline`'s upgrade on an empty schema gives the chain's catalog and
 * its downgrade an empty one again: 0, else -1 naming each difference. */
int baseline_prove(struct baseline_session *s, const struct revision *baseline,
		   struct diagnostics *diag);
int baseline_close(struct baseline_session *s, struct diagnostics *diag);

/* The build's proof of g->baseline (nothing when there is none, or it has
 * no section for `dialect`). 0 or -1. */
int baseline_verify(const struct graph *g, enum dialect dialect,
		    const char *url, struct diagnostics *diag);

/* FROM_BASELINE: `view` becomes the graph from g->baseline's revision
 * on (that revision a root whose statements are the baseline's); the
 * revisions before it are left out, a revision on neither side refused.
 * The view shares g's revisions' texts: free it with baseline_view_free
 * before g. 0 or -1 after reporting. */
int baseline_view(struct graph *view, const struct graph *g,
		  struct diagnostics *diag);
void baseline_view_free(struct graph *view);

/* `migc squash --to REV`: writes the baseline of REV into `versions`
 * (replacing an older one), proven first. An exit status. */
struct squash_request {
	const char *versions;
	const char *to;
	const char *rev_id; /* NULL: random */
	const char *message;
	enum dialect dialect;
	const char *url;
};
int squash_main(const struct squash_request *request);

/* `migc rebase REV`: see rebase.c. An exit status. */
struct rebase_request {
	const char *versions;
	const char *branch; /* the branch's head or root, any target form */
	const char *onto;   /* NULL: the other head */
};
int rebase_main(const struct rebase_request *request);

#endif /* MIGC_BASELINE_H */
