/*
** day_store.h - the big arrays of the prepared day (records, sort keys,
** sorted lists): plain malloc below a memory budget, an unlinked
** temporary file mapped MAP_SHARED above it (day_store.c says how).
**
** Every block comes from vf_store_alloc()/vf_store_calloc()/
** vf_store_realloc() and goes back through vf_store_free(); a block is a
** plain pointer, so readers index it as any array. The day's own arrays
** and the tables built over it (day_*.c: groups, rows, hash tables, sort
** keys) all come from here: one budget bounds them together. On failure
** the allocators return NULL, leave the old block as it was, and
** vf_store_error() says why ("out of memory", or the temporary directory
** and errno).
*/
#ifndef VPCFLOW_DAY_STORE_H
#define VPCFLOW_DAY_STORE_H
#include <stddef.h>
#include <stdint.h>

void *vf_store_alloc(size_t nByte);
void *vf_store_calloc(size_t nElem, size_t szElem);   /* zeroed */
void *vf_store_realloc(void *p, size_t nByte);        /* grows or shrinks */
void vf_store_free(void *p);
const char *vf_store_error(void);
int vf_store_errno(void);  /* errno of that failure; 0: out of memory */

/* Drop this process's mapping of bytes [iFrom, iTo) of block p (a no-op
** for a malloc'd block): the data stays in the file and comes back on the
** next access. vf_store_trim_all() does it for every file block. */
void vf_store_trim(void *p, size_t iFrom, size_t iTo);
void vf_store_trim_all(void);

/* The watcher's check, made by the caller: trim the file blocks if their
** resident share passes the budget (a no-op while no block is in the
** file). A loop that reads the day in random order (a walk in key order)
** calls it every few hundred records: its faults bring pages back about
** as fast as a trim drops them, so a watcher thread alone cannot hold it
** (day_store.c, "Random readers"). */
void vf_store_poll(void);

/* For tests: while paused (bPause 1) the watcher thread ticks but does
** not trim, so that a test measures vf_store_poll() alone; 0 resumes.
** Nothing in the extension calls it: the watcher is never paused in use.
** It outlives the thread (a watcher started while paused is paused). */
void vf_store_watcher_pause(int bPause);

/* Map the pages of bytes [iFrom, iTo) of memory block p now, in one
** call, for a caller about to write them all (a new block of 1 MiB or
** more gets it from vf_store_alloc already; an array grown by realloc
** calls it as its writer reaches each step). A no-op for a file block. */
void vf_store_prefault(void *p, size_t iFrom, size_t iTo);

/* 1 if block p lives in the temporary file. */
int vf_store_is_file(const void *p);

/* Counters, for the tests and VPCFLOW_DAY_TRACE-like reports. */
typedef struct VfStoreStats VfStoreStats;
struct VfStoreStats {
  int64_t nMem;            /* bytes of malloc'd blocks */
  int64_t nFileBytes;      /* bytes of file blocks (mapped length) */
  int nFile;               /* file blocks */
  int64_t nTrim;           /* trims by the watcher or vf_store_poll() */
  int bThread;             /* the watcher thread runs */
};
void vf_store_stats(VfStoreStats *p);

/* Use only directory zDir for the temporary files (NULL: the usual
** choice, day_store.c). For tests. */
void vf_store_set_dir(const char *zDir);

#endif /* VPCFLOW_DAY_STORE_H */
