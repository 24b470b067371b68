/*
** progress.h - a progress line on stderr for long scans, as DuckDB's
** shell shows one: files, megabytes, rows per second and time left.
**
** Shown only when stderr is a terminal, only once a scan has run for
** VPCFLOW_PROGRESS_AFTER milliseconds (default 2000), and never when the
** environment has VPCFLOW_PROGRESS=0. The line is rewritten in place
** (carriage return) at most twice a second and erased when the scan ends.
*/
#ifndef VPCFLOW_PROGRESS_H
#define VPCFLOW_PROGRESS_H

#include <stdint.h>

typedef struct VfProgress VfProgress;
struct VfProgress {
  int bEnabled;              /* may show at all (terminal, not switched off) */
  int bShown;                /* a line is on the screen */
  int64_t msAfter;           /* show once the scan is this old */
  int64_t msStart;           /* when the scan began */
  int64_t msLast;            /* when the line was last drawn */
  uint64_t nTotal;           /* bytes of all files of the scan */
  int nFile;                 /* files in the scan */
};

/* Start timing a scan of nFile files, nTotal bytes in all. */
void vf_progress_start(VfProgress *p, int nFile, uint64_t nTotal);

/* Called now and then during the scan: the current file (0-based), the
** bytes done (finished files plus the current offset) and rows so far. */
void vf_progress_tick(VfProgress *p, int iFile, uint64_t nDone, int64_t nRow);

/* The scan has ended: erase the line if one is shown. */
void vf_progress_end(VfProgress *p);

#endif /* VPCFLOW_PROGRESS_H */
