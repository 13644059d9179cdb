/* revset.c: set algebra over a migration set's revisions: bitsets sized by
 * MIGC_MAX_REVISIONS, ancestors, descendants, children, heads and branches,
 * and a revision's index by its id. Heap-free; used by the target resolver, the executor and the planner. */
#include "internal.h"

MIGC_INTERNAL void migc_revset_clear(revset *set)
{
	size_t i;

	for (i = 0; i < REVSET_WORDS; i++)
		set->word[i] = 0;
}

MIGC_INTERNAL void migc_revset_add(revset *set, uint32_t index)
{
	set->word[index / 32] |= (uint32_t)1 << (index % 32);
}

MIGC_INTERNAL int migc_revset_has(const revset *set, uint32_t index)
{
	return (set->word[index / 32] >> (index % 32)) & 1u;
}

MIGC_INTERNAL void migc_revset_remove(revset *set, uint32_t index)
{
	set->word[index / 32] &= ~((uint32_t)1 << (index % 32));
}

/* The number of members of a set of `set`'s revisions, the first of them
 * in *first (NO_REVISION: none). */
MIGC_INTERNAL uint32_t migc_revset_count(const migc_set *set,
					 const revset *members, uint32_t *first)
{
	uint32_t count = 0;
	uint32_t i = set->revision_count;

	*first = NO_REVISION;
	while (i-- > 0) {
		if (migc_revset_has(members, i)) {
			*first = i;
			count++;
		}
	}
	return count;
}

MIGC_INTERNAL int migc_is_parent_of(const migc_revision *revision,
				    uint32_t index)
{
	uint32_t i;

	for (i = 0; i < revision->parent_count; i++) {
		if (revision->parents[i] == index)
			return 1;
	}
	return 0;
}

/* Adds to `out` (`add`), or takes out of it, the parents and dependencies
 * of every member of `of`, from the last revision to the first. */
static void mark_needed(const migc_set *set, const revset *of, revset *out,
			int add)
{
	uint32_t i = set->revision_count;
	uint32_t k;

	while (i-- > 0) {
		const migc_revision *revision = &set->revisions[i];
		uint32_t parents = revision->parent_count;

		if (!migc_revset_has(of, i))
			continue;
		for (k = 0; k < parents + revision->dependency_count; k++) {
			uint32_t needed =
			    k < parents ? revision->parents[k]
					: revision->dependencies[k - parents];

			if (add)
				migc_revset_add(out, needed);
			else
				migc_revset_remove(out, needed);
		}
	}
}

/* Adds every ancestor (through parents and dependencies) of the members.
 * Parents come before children, so one backward pass over the members as
 * they grow is enough. */
MIGC_INTERNAL void migc_close_ancestors(const migc_set *set, revset *members)
{
	mark_needed(set, members, members, 1);
}

/* Adds every descendant of the members, in one forward pass. */
MIGC_INTERNAL void migc_close_descendants(const migc_set *set, revset *members)
{
	uint32_t i;
	uint32_t k;

	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		if (migc_revset_has(members, i))
			continue;
		for (k = 0; k < revision->parent_count; k++) {
			if (migc_revset_has(members, revision->parents[k]))
				migc_revset_add(members, i);
		}
		for (k = 0; k < revision->dependency_count; k++) {
			if (migc_revset_has(members, revision->dependencies[k]))
				migc_revset_add(members, i);
		}
	}
}

/* The number of revisions with `index` (NO_REVISION: base) as a parent
 * through down_revision, and with `within` only those in it; the first of
 * them in *first; with `list`, their ids are added to it, joined by ", ". */
MIGC_INTERNAL uint32_t migc_children(const migc_set *set, uint32_t index,
				     const revset *within, uint32_t *first,
				     migc_text *list)
{
	uint32_t count = 0;
	uint32_t i;

	for (i = 0; i < set->revision_count; i++) {
		int is_child =
		    index == NO_REVISION
			? set->revisions[i].parent_count == 0
			: migc_is_parent_of(&set->revisions[i], index);

		if (!is_child ||
		    (within != NULL && !migc_revset_has(within, i)))
			continue;
		if (count++ == 0)
			*first = i;
		else if (list != NULL)
			migc_say(list, ", ");
		if (list != NULL)
			migc_text_add(list, set->revisions[i].id);
	}
	return count;
}

/* The version rows for an applied set, as Alembic keeps them: the members
 * that no other member needs as a parent or a dependency. `applied` is
 * closed under ancestors, so looking at direct edges is enough. */
MIGC_INTERNAL void migc_heads_of(const migc_set *set, const revset *applied,
				 revset *heads)
{
	*heads = *applied;
	mark_needed(set, applied, heads, 0);
}

/* Adds the revisions whose down_revision is a member (not the ones that
 * only depend on one): Alembic's nextrev. */
MIGC_INTERNAL void migc_add_children_of(const migc_set *set,
					const revset *members, revset *out)
{
	uint32_t i;
	uint32_t k;

	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		for (k = 0; k < revision->parent_count; k++) {
			if (migc_revset_has(members, revision->parents[k]))
				migc_revset_add(out, i);
		}
	}
}

/* Adds `index` and its ancestors through down_revision (not depends_on)
 * to `out`. */
MIGC_INTERNAL void migc_add_line(const migc_set *set, uint32_t index,
				 revset *out)
{
	uint32_t i;
	uint32_t k;

	migc_revset_add(out, index);
	for (i = index + 1; i-- > 0;) {
		const migc_revision *revision = &set->revisions[i];

		if (!migc_revset_has(out, i))
			continue;
		for (k = 0; k < revision->parent_count; k++)
			migc_revset_add(out, revision->parents[k]);
	}
}

/* The members that are no member's down_revision: the tips of a set. */
MIGC_INTERNAL void migc_tips_of(const migc_set *set, const revset *members,
				revset *tips)
{
	uint32_t i;
	uint32_t k;

	*tips = *members;
	for (i = 0; i < set->revision_count; i++) {
		if (!migc_revset_has(members, i))
			continue;
		for (k = 0; k < set->revisions[i].parent_count; k++)
			migc_revset_remove(tips, set->revisions[i].parents[k]);
	}
}

/* `start`'s lineage, as Alembic's _shares_lineage: `start`, its ancestors
 * and its descendants through down_revision (not depends_on). */
MIGC_INTERNAL void migc_lineage_of(const migc_set *set, uint32_t start,
				   revset *members)
{
	uint32_t i;
	uint32_t k;

	migc_revset_clear(members);
	migc_add_line(set, start, members);
	for (i = start + 1; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		for (k = 0; k < revision->parent_count; k++) {
			if (revision->parents[k] >= start &&
			    migc_revset_has(members, revision->parents[k]))
				migc_revset_add(members, i);
		}
	}
}

/* Is `a` an ancestor of `b`, or `b` of `a`? */
MIGC_INTERNAL int migc_related(const migc_set *set, uint32_t a, uint32_t b)
{
	revset above;

	migc_revset_clear(&above);
	migc_revset_add(&above, a);
	migc_close_ancestors(set, &above);
	if (migc_revset_has(&above, b))
		return 1;
	migc_revset_clear(&above);
	migc_revset_add(&above, b);
	migc_close_ancestors(set, &above);
	return migc_revset_has(&above, a);
}

/* <0, 0 or >0 as the `length` bytes at `key` sort before, as or after the
 * id `id`, in strcmp's order (bytes unsigned, a prefix first). */
static int id_compare(const char *key, size_t length, const char *id)
{
	size_t i;

	for (i = 0; i < length; i++) {
		unsigned char a = (unsigned char)key[i];
		unsigned char b = (unsigned char)id[i];

		if (b == '\0')
			return 1;
		if (a != b)
			return a < b ? -1 : 1;
	}
	return id[length] == '\0' ? 0 : -1;
}

/* The revision whose id is the `length` bytes at `id`: a binary search of
 * the set's id order when it has one (an entry out of range ends it, as
 * not found), else a scan. */
MIGC_INTERNAL uint32_t migc_find_index(const migc_set *set, const char *id,
				       size_t length)
{
	uint32_t low = 0;
	uint32_t high = set->revision_count;
	uint32_t i;

	if (set->by_id == NULL) {
		for (i = 0; i < set->revision_count; i++) {
			if (migc_string_equal_n(set->revisions[i].id, id,
						length))
				return i;
		}
		return NO_REVISION;
	}
	while (low < high) {
		uint32_t middle = low + (high - low) / 2;
		uint32_t at = set->by_id[middle];
		int order;

		if (at >= set->revision_count)
			return NO_REVISION;
		order = id_compare(id, length, set->revisions[at].id);
		if (order == 0)
			return at;
		if (order < 0)
			high = middle;
		else
			low = middle + 1;
	}
	return NO_REVISION;
}
