/* checksum.c: the per-revision checksum that the runtime compares with what
 * a database recorded. Normalized so that line endings and trailing blanks,
 * which editors change freely, do not count as an edit. */
#include "gen.h"

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME  UINT64_C(0x100000001b3)

static uint64_t mix(uint64_t hash, unsigned char byte)
{
	return (hash ^ byte) * FNV_PRIME;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

uint64_t checksum_statements(const struct statements *upgrade)
{
	uint64_t hash = FNV_OFFSET;
	size_t i;

	for (i = 0; i < upgrade->count; i++) {
		const char *sql = upgrade->items[i].sql;
		size_t length = upgrade->items[i].length, start = 0;
		while (start <= length) {
			size_t end = start, trimmed;
			while (end < length && sql[end] != '\n')
				end++;
			trimmed = end;
			while (trimmed > start && is_blank(sql[trimmed - 1]))
				trimmed--;
			for (; start < trimmed; start++)
				hash = mix(hash, (unsigned char)sql[start]);
			if (end < length)
				hash = mix(hash, '\n');
			start = end + 1;
		}
		hash = mix(hash, 0); /* statement boundary */
	}
	return hash;
}

static uint64_t mix_number(uint64_t hash, uint64_t value)
{
	int shift;

	for (shift = 0; shift < 64; shift += 8)
		hash = mix(hash, (unsigned char)(value >> shift));
	return hash;
}

static uint64_t mix_positions(uint64_t hash, const struct graph *g,
			      const size_t *items, size_t count)
{
	size_t i;

	hash = mix_number(hash, count);
	for (i = 0; i < count; i++)
		hash = mix_number(hash, g->revisions[items[i]].order);
	return hash;
}

static uint64_t mix_text(uint64_t hash, const char *text)
{
	while (*text != '\0')
		hash = mix(hash, (unsigned char)*text++);
	return mix(hash, 0);
}

/* The repeatables after the revisions, only when there are any: a set
 * without keeps the digest it always had. */
static uint64_t mix_repeatables(uint64_t hash, const struct graph *g,
				const uint64_t *checksums)
{
	size_t position, k;

	if (g->repeatable_count == 0)
		return hash;
	hash = mix_text(hash, "repeatable");
	for (position = 0; position < g->repeatable_count; position++) {
		const struct revision *r =
		    &g->repeatables[g->repeatable_order[position]];

		hash = mix_text(hash, r->id.text);
		hash = mix_number(hash, r->depends_on_count);
		for (k = 0; k < r->depends_on_count; k++)
			hash = mix_number(
			    hash, g->repeatables[r->dependencies[k]].order);
		hash = mix_number(hash, checksums[position]);
	}
	return hash;
}

uint64_t checksum_set(const struct graph *g, enum dialect dialect,
		      const uint64_t *checksums,
		      const uint64_t *repeatable_checksums)
{
	uint64_t hash = FNV_OFFSET;
	const char *name = dialect_name(dialect);
	size_t position;

	hash = mix_text(hash, name);
	for (position = 0; position < g->count; position++) {
		const struct revision *r = &g->revisions[g->order[position]];
		const char *id = r->id.text;

		hash = mix_text(hash, id);
		hash = mix_positions(hash, g, r->parents, r->down_count);
		hash = mix_positions(hash, g, r->dependencies,
				     r->depends_on_count);
		hash = mix_number(hash, checksums[position]);
	}
	hash = mix_repeatables(hash, g, repeatable_checksums);
	return hash != 0 ? hash : 1;
}
