/* rebase.c: `migc rebase REV [--onto REV]`. Moves an unmerged branch
 * onto the other head, as git rebase moves commits: the branch is the
 * revisions the other head does not have; its roots (their parents all
 * outside it) get the other head as their down_revision, every file
 * rewritten through temporary files renamed only once all are written. */
#include "baseline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A revision `name` names; -1 (base) and -2 (none) after saying why. */
static long resolve(const struct graph *g, const char *name, const char *what)
{
	long index = history_revision(g, name, what);

	if (index == -1)
		fprintf(stderr,
			"migc: error: %s'%s' is base; name a revision\n", what,
			name);
	return index < 0 ? -2 : index;
}

/* The head the branch goes onto: --onto, else the one head besides
 * `branch_head`. -1 after printing why none. */
static long choose_onto(const struct graph *g, const struct rebase_request *q,
			size_t branch_head)
{
	size_t i;

	if (q->onto)
		return resolve(g, q->onto, "--onto: ");
	if (g->head_count != 2) {
		fprintf(stderr,
			"migc: error: the versions directory has %zu head%s;"
			" rebase moves a branch onto the other head of two: "
			"name where it goes with --onto REV\n",
			g->head_count, g->head_count == 1 ? "" : "s");
		return -1;
	}
	for (i = 0; i < 2; i++)
		if (g->heads[i] != branch_head)
			return (long)g->heads[i];
	return -1;
}

/* The head whose line holds `at`, when exactly one does. */
static long head_of(const struct graph *g, size_t at)
{
	long found = -1;
	size_t i;

	for (i = 0; i < g->head_count; i++) {
		unsigned char *line = baseline_members(g, g->heads[i]);
		int has = line[at];

		free(line);
		if (has && found >= 0)
			return -2;
		if (has)
			found = (long)g->heads[i];
	}
	return found;
}

/* The text of `r` with its down_revision value replaced by `parent`
 * (malloc'd). */
static char *rewritten(const struct revision *r, const char *parent)
{
	const char *line = r->text, *value, *end;
	struct buffer b = {0};
	int n;

	for (n = 1; n < r->down_at.line && line; n++) {
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	value = line ? strstr(line, "down_revision") : NULL;
	if (!value)
		return NULL;
	value += strlen("down_revision");
	while (*value == ' ' || *value == '\t')
		value++;
	end = value + strcspn(value, "\r\n");
	buffer_put(&b, r->text, (size_t)(value - r->text));
	buffer_puts(&b, parent);
	buffer_puts(&b, end);
	return b.data;
}

struct rewrite {
	const struct revision *r;
	char *text;
	char *temporary;
};

/* Writes every text to a temporary file beside its revision, then renames
 * them all; a failure before the renames leaves every file as it was. */
static int write_all(struct rewrite *w, size_t count)
{
	size_t i, written = 0;
	int result = 0;

	for (i = 0; i < count && result == 0; i++) {
		FILE *out;

		w[i].temporary = text_format("%s.rebase.tmp", w[i].r->path);
		out = fopen(w[i].temporary, "wx");
		if (!out || fputs(w[i].text, out) < 0 || fflush(out) != 0 ||
		    fsync(fileno(out)) != 0) {
			fprintf(stderr,
				"migc: error: cannot write %s: %s; no "
				"file was changed\n",
				w[i].temporary, strerror(errno));
			result = -1;
		}
		if (out && fclose(out) != 0)
			result = -1;
		if (out)
			written = i + 1;
	}
	for (i = 0; i < written && result != 0; i++)
		unlink(w[i].temporary);
	for (i = 0; i < count && result == 0; i++)
		if (rename(w[i].temporary, w[i].r->path) != 0) {
			fprintf(stderr, "migc: error: cannot rename %s: %s\n",
				w[i].temporary, strerror(errno));
			result = -1;
		}
	return result;
}

/* Databases that ran the moved revisions: what to do with them. */
static void warn_databases(const struct graph *g, size_t head, size_t onto,
			   size_t root, size_t fork, int has_fork)
{
	const char *h = g->revisions[head].id.text;

	fprintf(stderr,
		"migc: warning: a database that already applied the moved "
		"revisions has version rows whose parents changed:\n"
		"  - one at both heads ('upgrade heads' ran: its rows are "
		"%s and %s) holds everything; stamp it to the one head "
		"(or to the newest moved revision it applied):\n"
		"      app-migrate stamp --purge %s\n"
		"  - one that applied the branch without %s lacks what now "
		"comes before %s: downgrade it with the build from before "
		"the rebase, then upgrade with the new one:\n"
		"      app-migrate downgrade %s\n"
		"  The moved revisions' checksums do not change (they cover "
		"the upgrade statements, not the parents), so no history "
		"row is refused; the set digest does, so each database's "
		"next boot takes the full path once.\n",
		g->revisions[onto].id.text, h, h, g->revisions[onto].id.text,
		g->revisions[root].id.text,
		has_fork ? g->revisions[fork].id.text : "base");
}

/* The branch of `head` not in `onto`'s line: its roots rewritten. */
static int move_branch(const struct graph *g, size_t head, size_t onto)
{
	unsigned char *branch = baseline_members(g, head);
	unsigned char *other = baseline_members(g, onto);
	struct rewrite *w = calloc(g->count ? g->count : 1, sizeof *w);
	size_t i, k, count = 0, root = head, fork = 0;
	int has_fork = 0, result = 0;

	if (!w)
		abort();
	for (i = 0; i < g->count; i++)
		branch[i] = branch[i] && !other[i];
	for (i = 0; i < g->count && result == 0; i++) {
		const struct revision *r = &g->revisions[g->order[i]];
		size_t inside = 0;

		if (!branch[g->order[i]])
			continue;
		for (k = 0; k < r->down_count; k++)
			inside += branch[r->parents[k]];
		if (inside == r->down_count)
			continue;
		if (inside > 0) {
			fprintf(stderr,
				"migc: error: %s merges the other line into "
				"the branch (%s); rebase moves a branch with "
				"a line of its own: 'migc merge' joins the "
				"heads instead\n",
				r->id.text, r->path);
			result = -1;
			break;
		}
		if (r->down_count > 0) {
			fork = r->parents[0];
			has_fork = 1;
		}
		root = g->order[i];
		w[count].r = r;
		w[count].text = rewritten(r, g->revisions[onto].id.text);
		if (!w[count++].text) {
			fprintf(stderr,
				"migc: error: %s: no down_revision "
				"line to rewrite\n",
				r->path);
			result = -1;
		}
	}
	if (result == 0)
		result = write_all(w, count);
	for (i = 0; i < count; i++) {
		if (result == 0)
			printf("  Rewriting %s (down_revision %s) ...  done\n",
			       w[i].r->path, g->revisions[onto].id.text);
		free(w[i].text);
		free(w[i].temporary);
	}
	if (result == 0)
		warn_databases(g, head, onto, root, fork, has_fork);
	free(w);
	free(branch);
	free(other);
	return result;
}

int rebase_main(const struct rebase_request *q)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	long at = -2, head = -1, onto = -1;
	int result = -1;

	if (graph_load(&g, q->versions, &diag) == 0 &&
	    graph_build(&g, &diag) == 0)
		at = resolve(&g, q->branch, "");
	if (at >= 0 && (head = head_of(&g, (size_t)at)) < 0)
		fprintf(stderr,
			"migc: error: %s is in the line of %s heads, so it "
			"is on no branch of its own (a branch that was "
			"merged, or history the heads share): name a "
			"revision of the unmerged branch to move\n",
			g.revisions[at].id.text, head == -1 ? "no" : "several");
	if (head >= 0)
		onto = choose_onto(&g, q, (size_t)head);
	if (onto >= 0) {
		unsigned char *line = baseline_members(&g, (size_t)onto);
		if (line[at])
			fprintf(stderr,
				"migc: error: %s is already in the line of "
				"%s: nothing to move (a merged branch stays "
				"as it is)\n",
				g.revisions[at].id.text,
				g.revisions[onto].id.text);
		else
			result = move_branch(&g, (size_t)head, (size_t)onto);
		free(line);
	}
	diag_print(&diag, stderr);
	diag_free(&diag);
	graph_free(&g);
	return result == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
