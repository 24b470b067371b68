/*
** settings.h - the VPCFLOW_* environment switches, read in one place
** (settings.c). ext/README.md, "Switches", is their table for users.
*/
#ifndef VPCFLOW_SETTINGS_H
#define VPCFLOW_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

/* Parse-ahead block size by default, bytes (VPCFLOW_PARSE_BLOCK): 128 KiB
** stays in the CPU's cache. */
#define VF_AHEAD_BLOCK (128*1024)

typedef struct VfSettings VfSettings;
struct VfSettings {
  int bParseAhead;           /* VPCFLOW_PARSE_AHEAD: plain files in blocks */
  int bParseThread;          /* VPCFLOW_PARSE_THREADS: ... with a worker */
  size_t nParseBlock;        /* VPCFLOW_PARSE_BLOCK: bytes per block */
  int bGroup;                /* VPCFLOW_GROUP: grouped delivery allowed */
  int64_t nGroupBudget;      /* VPCFLOW_GROUP_MB, in bytes; 0: off */
  int nGroupParts;           /* VPCFLOW_GROUP_PARTS; 0: by the data size */
  int bGroupThread;          /* VPCFLOW_GROUP_THREADS: grouping worker */
  int bGroupTrace;           /* VPCFLOW_GROUP_TRACE: timings on stderr */
  int bProgress;             /* VPCFLOW_PROGRESS: progress line allowed */
  int64_t msProgressAfter;   /* VPCFLOW_PROGRESS_AFTER: ms before it shows */
  int64_t nDayMemory;        /* VPCFLOW_DAY_MEMORY_MB, in bytes: the day's
                             ** big arrays in memory (day_store.c) */
  int bDayTrace;             /* VPCFLOW_DAY_TRACE: say on stderr when the
                             ** day goes to its temporary file */
  int bDayThread;            /* VPCFLOW_DAY_THREADS: the day's summaries
                             ** built ahead of use on a second thread */
};

/*
** Read every switch from the environment into *p, with its default when
** unset and its validation. Called where a statement starts its work
** (xBestIndex, xFilter, the vpcflow_progress() function), so that a
** changed environment takes effect on the next statement.
*/
void vf_settings_read(VfSettings *p);

#endif /* VPCFLOW_SETTINGS_H */
