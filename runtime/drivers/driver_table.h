/* driver_table.h: the driver table as the bundled drivers fill it. Each
 * names its functions as the table's fields (execute, begin, ...), takes
 * its own lock and unlock, and then fills the table with this one list. */
#ifndef MIGC_DRIVER_TABLE_H
#define MIGC_DRIVER_TABLE_H

#include "migc_driver.h"

/* In struct migc_driver's order; fields a newer table adds are zero. */
#define MIGC_DRIVER_TABLE_FILL(out, name, state, lock_fn, unlock_fn)           \
	do {                                                                   \
		const migc_driver filled = {                                   \
		    MIGC_DRIVER_VERSION, (name), (state), execute, begin,      \
		    commit, rollback, (lock_fn), (unlock_fn),                  \
		    version_table_ensure, version_rows_read,                   \
		    version_row_insert, version_row_delete, history_ensure,    \
		    history_read, history_write, history_delete,               \
		    history_downgrade, version_row_update, version_state_read, \
		    version_digest_write};                                     \
		*(out) = filled;                                               \
	} while (0)

#endif /* MIGC_DRIVER_TABLE_H */
