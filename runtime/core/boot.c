/* boot.c: the boot with nothing pending, in one read. A migration that
 * finishes stores the set's digest (migc_set.digest, over every id, parent,
 * dependency and checksum) beside each version row; a later upgrade to the
 * heads whose one read (driver->version_state_read) finds exactly the
 * heads, each with this set's digest, has nothing to do and nothing to
 * verify: the history was checked against this very set when the digest
 * was written. No lock, no transaction, no write, so it also answers on a
 * read-only file, a hot standby or a read-only role. Anything else goes to
 * the full path under the lock, which checks everything again. Every
 * operation clears the digest in its first write transaction and stores it
 * when it finishes, so one that fails or is cut off leaves none. */
#include "internal.h"

typedef struct boot_check {
	const migc_set *set;
	uint32_t rows;
	int at_heads; /* so far */
	unsigned char seen[MIGC_MAX_HEADS];
} boot_check;

static int boot_row(const char *revision, size_t length, uint64_t digest,
		    void *payload)
{
	boot_check *b = payload;
	const migc_set *set = b->set;
	uint32_t k;

	if (digest == set->digest && b->rows < set->head_count) {
		b->rows++;
		for (k = 0; k < set->head_count; k++) {
			if (!b->seen[k] &&
			    migc_string_equal_n(
				set->revisions[set->heads[k]].id, revision,
				length)) {
				b->seen[k] = 1;
				return 0;
			}
		}
	}
	b->at_heads = 0;
	return 1;
}

/* The one read answers only an upgrade to the heads, of a generated set
 * (one with a digest), through a driver of the same dialect that reads
 * digests; the full path checks everything else. */
static int boot_applies(const migc_set *set, const migc_driver *driver,
			const char *target, const migc_options *options)
{
	if (set == NULL || driver == NULL || set->digest == 0 ||
	    set->abi_version != MIGC_ABI_VERSION || driver->version < 3 ||
	    driver->version > MIGC_DRIVER_VERSION ||
	    driver->version_state_read == NULL || set->head_count == 0 ||
	    set->head_count > MIGC_MAX_HEADS)
		return 0;
	if (options != NULL && options->version - 1 >= MIGC_OPTIONS_VERSION)
		return 0;
	/* The dialect is part of the digest: a set of another dialect
	 * never matches what this database stores. */
	if (target == NULL)
		return set->head_count == 1;
	if (target[0] != 'h' || target[1] != 'e' || target[2] != 'a' ||
	    target[3] != 'd')
		return 0;
	if (target[4] == '\0')
		return set->head_count == 1;
	return target[4] == 's' && target[5] == '\0';
}

MIGC_INTERNAL int migc_boot_read(const migc_set *set, const migc_driver *driver,
	      const char *target, const migc_options *options, int *at_heads,
	      migc_error *error)
{
	const char *table = MIGC_DEFAULT_VERSION_TABLE;
	size_t table_length = sizeof MIGC_DEFAULT_VERSION_TABLE - 1;
	boot_check b;
	uint32_t k;
	int rc;

	*at_heads = 0;
	if (!boot_applies(set, driver, target, options))
		return MIGC_OK;
	if (options != NULL && options->version_table != NULL) {
		table = options->version_table;
		table_length = migc_string_length(table);
	}
	b.set = set;
	b.rows = 0;
	b.at_heads = 1;
	for (k = 0; k < set->head_count; k++)
		b.seen[k] = 0;
	rc = driver->version_state_read(driver->context, table, table_length,
					boot_row, &b, error);
	*at_heads = rc == MIGC_OK && b.at_heads && b.rows == set->head_count;
	return rc;
}

/* The upgrade-only core (upgrade.c) writes the digest itself, without
 * the full core's execution state. */
#ifndef MIGC_PROFILE_UPGRADE_ONLY
static int has_digest(const migc_driver *d)
{
	return d->version >= 3 && d->version_digest_write != NULL;
}

MIGC_INTERNAL int migc_boot_digest_write(const execution *run, uint64_t digest,
					 migc_error *error)
{
	const migc_driver *d = run->driver;

	if (!has_digest(d))
		return MIGC_OK;
	return d->version_digest_write(d->context, run->table,
				       run->table_length, digest, error);
}

MIGC_INTERNAL int migc_boot_digest_store(const execution *run,
					 migc_error *error)
{
	const migc_driver *d = run->driver;
	int rc;

	if (!has_digest(d) || run->set->digest == 0)
		return MIGC_OK;
	rc = d->begin(d->context, error);
	if (rc != MIGC_OK)
		return rc;
	return migc_commit_or_rollback(
	    run, migc_boot_digest_write(run, run->set->digest, error), error);
}
#endif
