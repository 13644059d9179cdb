/* hand_set.h: what the runtime tests write their sets with by hand, as the
 * generator would emit them: statements with their length and line, and
 * the one-table revisions most tests step through. */
#ifndef MIGC_TEST_HAND_SET_H
#define MIGC_TEST_HAND_SET_H

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

#endif /* MIGC_TEST_HAND_SET_H */
