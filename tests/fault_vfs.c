/* fault_vfs.c: a test-only SQLite VFS over the default one that counts the
 * I/O calls a run makes (open, read, write, sync, truncate, lock, file
 * size) and fails the Nth of them, once or from then on, with the chosen
 * error. test_faults.c drives every migc operation through it. */
#include "fault_vfs.h"

#include <string.h>

typedef struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* allocated right after this struct */
} fault_file;

static sqlite3_vfs fault_vfs;
static sqlite3_vfs *real_vfs;
static fault_state state;

fault_state *fault_vfs_state(void)
{
	return &state;
}

/* 1 when this call is to fail. */
static int fault_now(void)
{
	state.calls++;
	if (state.fail_at == 0)
		return 0;
	if (state.calls == state.fail_at ||
	    (state.persistent && state.calls > state.fail_at)) {
		state.failures++;
		return 1;
	}
	return 0;
}

static int fault_code(int ioerr)
{
	return state.code == SQLITE_FULL ? SQLITE_FULL : ioerr;
}

#define REAL(file) (((fault_file *)(file))->real)

static int f_close(sqlite3_file *file)
{
	int rc = REAL(file)->pMethods ? REAL(file)->pMethods->xClose(REAL(file))
				      : SQLITE_OK;
	return rc;
}

/* A file method that counts as an I/O call: it fails with `ioerr` when
 * its turn comes, else it is the real file's. */
#define FAULTY(name, method, ioerr, params, args)                              \
	static int f_##name params                                             \
	{                                                                      \
		if (fault_now())                                               \
			return fault_code(ioerr);                              \
		return REAL(file)->pMethods->method args;                      \
	}
FAULTY(read, xRead, SQLITE_IOERR_READ,
       (sqlite3_file * file, void *buffer, int amount, sqlite3_int64 offset),
       (REAL(file), buffer, amount, offset))
FAULTY(write, xWrite, SQLITE_IOERR_WRITE,
       (sqlite3_file * file, const void *buffer, int amount,
	sqlite3_int64 offset),
       (REAL(file), buffer, amount, offset))
FAULTY(truncate, xTruncate, SQLITE_IOERR_TRUNCATE,
       (sqlite3_file * file, sqlite3_int64 size), (REAL(file), size))
FAULTY(sync, xSync, SQLITE_IOERR_FSYNC, (sqlite3_file * file, int flags),
       (REAL(file), flags))
FAULTY(file_size, xFileSize, SQLITE_IOERR_FSTAT,
       (sqlite3_file * file, sqlite3_int64 *size), (REAL(file), size))
FAULTY(lock, xLock, SQLITE_IOERR_LOCK, (sqlite3_file * file, int level),
       (REAL(file), level))
#undef FAULTY

static int f_unlock(sqlite3_file *file, int level)
{
	return REAL(file)->pMethods->xUnlock(REAL(file), level);
}

static int f_check_reserved(sqlite3_file *file, int *out)
{
	return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}

static int f_file_control(sqlite3_file *file, int op, void *arg)
{
	return REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}

static int f_sector_size(sqlite3_file *file)
{
	return REAL(file)->pMethods->xSectorSize(REAL(file));
}

static int f_device_characteristics(sqlite3_file *file)
{
	return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file));
}

/* Version 1 methods only: no shared memory (WAL) and no mmap, so every
 * page goes through xRead/xWrite, where the faults are. */
static const sqlite3_io_methods fault_methods = {1,
						 f_close,
						 f_read,
						 f_write,
						 f_truncate,
						 f_sync,
						 f_file_size,
						 f_lock,
						 f_unlock,
						 f_check_reserved,
						 f_file_control,
						 f_sector_size,
						 f_device_characteristics,
						 NULL,
						 NULL,
						 NULL,
						 NULL,
						 NULL,
						 NULL};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
		  int flags, int *out_flags)
{
	fault_file *wrapper = (fault_file *)file;
	int rc;

	(void)vfs;
	wrapper->real = (sqlite3_file *)(wrapper + 1);
	memset(wrapper->real, 0, (size_t)real_vfs->szOsFile);
	file->pMethods = NULL;
	if (fault_now())
		return fault_code(SQLITE_CANTOPEN);
	rc = real_vfs->xOpen(real_vfs, name, wrapper->real, flags, out_flags);
	if (wrapper->real->pMethods != NULL)
		file->pMethods = &fault_methods;
	return rc;
}

static int f_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int f_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int f_full_pathname(sqlite3_vfs *vfs, const char *name, int size,
			   char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, size, out);
}

static int f_randomness(sqlite3_vfs *vfs, int size, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, size, out);
}

static int f_sleep(sqlite3_vfs *vfs, int microseconds)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, microseconds);
}

static int f_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int f_last_error(sqlite3_vfs *vfs, int size, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, size, out);
}

static int f_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

int fault_vfs_register(void)
{
	if (real_vfs != NULL)
		return SQLITE_OK;
	real_vfs = sqlite3_vfs_find(NULL);
	if (real_vfs == NULL)
		return SQLITE_ERROR;
	memset(&fault_vfs, 0, sizeof fault_vfs);
	fault_vfs.iVersion = 2;
	fault_vfs.szOsFile = (int)sizeof(fault_file) + real_vfs->szOsFile;
	fault_vfs.mxPathname = real_vfs->mxPathname;
	fault_vfs.zName = FAULT_VFS_NAME;
	fault_vfs.xOpen = f_open;
	fault_vfs.xDelete = f_delete;
	fault_vfs.xAccess = f_access;
	fault_vfs.xFullPathname = f_full_pathname;
	fault_vfs.xRandomness = f_randomness;
	fault_vfs.xSleep = f_sleep;
	fault_vfs.xCurrentTime = f_current_time;
	fault_vfs.xGetLastError = f_last_error;
	fault_vfs.xCurrentTimeInt64 = f_current_time_int64;
	return sqlite3_vfs_register(&fault_vfs, 0);
}

void fault_vfs_arm(unsigned long fail_at, int code, int persistent)
{
	state.calls = 0;
	state.failures = 0;
	state.fail_at = fail_at;
	state.code = code;
	state.persistent = persistent;
}
