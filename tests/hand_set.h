/* hand_set.h: what the runtime tests write their sets with by hand, as the
 * generator would emit them: statements with their length and line, and
 * the one-table revisions most tests step through. */
#ifndef MIGC_TEST_HAND_SET_H
#define MIGC_TEST_HAND_SET_H

#include <check.h>
#include <stdint.h>

#include "migc.h"

#define COUNT(array) ((uint32_t)(sizeof(array) / sizeof((array)[0])))
#define ST(sql)                                                                \
	{                                                                      \
		sql, (uint32_t)(sizeof(sql) - 1), __LINE__, 0                  \
	}
/* name_up creates `table`, name_down drops it. */
#define TABLE_STEPS(name, table)                                               \
	static const migc_statement name##_up[] = {                            \
	    ST("CREATE TABLE " table " (id INTEGER)")};                        \
	static const migc_statement name##_down[] = {ST("DROP TABLE " table)}

/* `error` is a failed statement's: statement `index` of `revision`, from
 * `file` at `line`. */
static inline void expect_statement_error(const migc_error *error,
					  const char *revision, uint32_t index,
					  const char *file, uint32_t line)
{
	ck_assert_int_eq(error->code, MIGC_ESTATEMENT);
	ck_assert_str_eq(error->revision, revision);
	ck_assert_uint_eq(error->statement_index, index);
	ck_assert_str_eq(error->source_file, file);
	ck_assert_uint_eq(error->line, line);
}

#endif /* MIGC_TEST_HAND_SET_H */
