/*
** progress.h - a progress line on stderr for long scans, as DuckDB's
** shell shows one: files, megabytes (or records where the size is not
** known), records per second and time left; then, once the scan has
** ended, what the query is still doing.
**
** Shown only when stderr is a terminal, only once a scan has run for
** VPCFLOW_PROGRESS_AFTER milliseconds (default 2000), and never when the
** environment has VPCFLOW_PROGRESS=0. The line is rewritten in place
** (carriage return) at most twice a second.
**
**   vpcflow: file 3/120, 812 of 4310 MB (19%), 5.1 M records/s, ETA 21 s
**   vpcflow: file 1/1, 12.3 M records, 5.1 M records/s (size unknown)
**   vpcflow: scan done: 12.3 M records in 4.1 s; finishing the query (grouping, sorting)
**
** The sizes are those of the files as stored (compressed bytes for gzip
** and Parquet, which is also what the offsets count); a pipe or a
** character device has no size, so the line counts records instead.
**
** HOW IT IS ERASED. A result row must never land on the end of the line.
** SQLite says when a statement hands out a row (sqlite3_trace_v2,
** SQLITE_TRACE_ROW) and when it ends (SQLITE_TRACE_PROFILE): while a line
** is on the screen the connection's trace callback is ours, and it erases
** the line ("\r\033[K") before the row reaches the shell, unless the
** statement runs inside another one (the normaliser's own scan: its rows
** are never printed). The callback is removed once the line is gone, so a
** `.trace` of the shell set earlier is replaced only while a line shows.
*/
#ifndef VPCFLOW_PROGRESS_H
#define VPCFLOW_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct sqlite3 sqlite3;
typedef struct VfSettings VfSettings;

typedef struct VfProgress VfProgress;
struct VfProgress {
  int bEnabled;              /* may show at all (terminal, not switched off) */
  int bShown;                /* this scan drew a line */
  int bSizeKnown;            /* nTotal is the size of every file */
  sqlite3 *db;               /* the connection (for the trace callback) */
  int64_t msAfter;           /* show once the scan is this old */
  int64_t msStart;           /* when the scan began */
  int64_t msLast;            /* when the line was last drawn */
  uint64_t nTotal;           /* bytes of all files of the scan */
  int64_t nRec;              /* records read at the last tick */
  int nFile;                 /* files in the scan */
};

/* Start timing a scan of nFile files, nTotal bytes in all; bSizeKnown is
** 0 when a file's size cannot be known (a pipe). pSet: the statement's
** switches (VPCFLOW_PROGRESS, VPCFLOW_PROGRESS_AFTER; settings.h). */
void vf_progress_start(VfProgress *p, sqlite3 *db, int nFile,
                       uint64_t nTotal, int bSizeKnown,
                       const VfSettings *pSet);

/* Called now and then during the scan: the current file (0-based), the
** bytes done (finished files plus the current offset) and the records
** (lines) read so far, whether or not they became rows. */
void vf_progress_tick(VfProgress *p, int iFile, uint64_t nDone, int64_t nRec);

/* The scan has ended. bDone: it read everything, and the statement goes
** on (grouping, sorting) until its first row: the line says so, and is
** erased by that row, or by the call with bDone 0 that the cursor's reset
** makes (its close, when the statement ends without a row). bDone 0: an
** early stop, a reset or a close: the line is erased now. */
void vf_progress_end(VfProgress *p, int bDone);

/* The text of a scan line without "\r" and "\033[K", into z (n bytes),
** for the numbers given; msRun is the time the scan has run. Kept apart
** so that tests check it without a terminal. */
void vf_progress_format(char *z, size_t n, int iFile, int nFile,
                        uint64_t nDone, uint64_t nTotal, int bSizeKnown,
                        int64_t nRec, int64_t msRun);

#endif /* VPCFLOW_PROGRESS_H */
