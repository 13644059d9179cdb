/* fault_vfs.h: a test-only SQLite VFS that fails the Nth I/O call. */
#ifndef MIGC_TEST_FAULT_VFS_H
#define MIGC_TEST_FAULT_VFS_H

#include <sqlite3.h>

#define FAULT_VFS_NAME "migc-fault"

typedef struct fault_state {
	unsigned long calls;	/* I/O calls counted since fault_vfs_arm */
	unsigned long fail_at;	/* 1-based call to fail; 0: never */
	unsigned long failures; /* calls failed so far */
	int code;		/* SQLITE_IOERR or SQLITE_FULL */
	int persistent;		/* fail every call from fail_at on */
} fault_state;

/* Registers FAULT_VFS_NAME over the default VFS (not as the default). */
int fault_vfs_register(void);
void fault_vfs_arm(unsigned long fail_at, int code, int persistent);
fault_state *fault_vfs_state(void);

#endif
