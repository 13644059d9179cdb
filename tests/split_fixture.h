/* split_fixture.h: a revision of a header and an upgrade section, parsed
 * and split as a build does it, for the tests of what reads the split
 * statements (test_rules.c, test_lint.c). */
#ifndef MIGC_TEST_SPLIT_FIXTURE_H
#define MIGC_TEST_SPLIT_FIXTURE_H

#include "gen.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Revision aaaa (v/a.sql) with `header_extra` on line 3 and the upgrade
 * `body` after it, split for `dialect` into `list`. */
static void split_upgrade(struct revision *r, struct statements *list,
			  const char *header_extra, const char *body,
			  enum dialect dialect, struct diagnostics *diag)
{
	char text[8192];

	snprintf(text, sizeof text,
		 "-- migc:revision aaaa\n-- migc:down_revision none\n%s"
		 "-- migc:upgrade\n%s",
		 header_extra, body);
	memset(r, 0, sizeof *r);
	ck_assert_int_eq(
	    revision_parse(r, "v/a.sql", strdup(text), strlen(text), diag), 0);
	ck_assert_int_eq(
	    sql_split(list, dialect, r,
		      revision_section(r, SECTION_UPGRADE, dialect), diag),
	    0);
}

#endif /* MIGC_TEST_SPLIT_FIXTURE_H */
