/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** settings.c - every VPCFLOW_* environment switch, read in one place.
**
** Usage (from a shell; each takes effect on the next statement):
**
**   VPCFLOW_GROUP=off sqlite3 :memory: -cmd '.load ./vpcflow' "SELECT ..."
**   VPCFLOW_PROGRESS=0 sqlite3 ...
**
** Where it sits: the table's planning (plan.c, xBestIndex) and each scan
** (vtab.c, xFilter) call vf_settings_read() as they start, and keep the
** struct for the statement's work: parse-ahead (rows.c), grouped delivery
** (rows.c, group.c), the progress line (progress.c); the day's store
** (day_store.c) reads it at each big allocation. Nothing else reads
** the environment for a switch (s3.c's AWS_* variables are AWS's
** configuration, not switches). The switches are for tuning and tests;
** results never depend on them, only speed, memory and what is printed
** on stderr.
**
** HOW IT WORKS. Each switch has one line below: its name, default and
** validation; a value that does not validate falls back to the default,
** as before this file existed (each switch used to be read by its user).
** ext/README.md, "Switches", documents them for users: keep the two in
** step.
*/
#include <stdlib.h>
#include <string.h>
#include "settings.h"
#include "reader.h"        /* VF_READER_BLOCK_MAX */
#include "group.h"         /* VF_GROUP_MAX_PART */

/* Grouped-delivery budget by default, MiB (VPCFLOW_GROUP_MB) */
#define VF_GROUP_MB_DEFAULT 2048

/* The prepared day's memory budget by default, MiB (VPCFLOW_DAY_MEMORY_MB):
** the day's arrays stay malloc'd while they total at most this, and once
** they are in their file the process's resident memory is held to it
** (day_store.c). 2 GiB: the 4 GB a 100 M-record hunt is to stay within
** (issue #12) less the memory the budget does not hold: the detections'
** own tables over the day (~1.4 GB at 100 M) and what the day's random
** reads bring back between two trims (3 GiB gave a 4.4 GiB peak at
** 100 M); the 10 M-record days (~1.2 and ~1.6 GB in all) stay in memory. A fixed figure, not a share of this machine's
** memory, so that where the day lives (and a test's result) does not
** depend on the machine. */
#define VF_DAY_MEMORY_MB_DEFAULT 2048

/* Progress line: shown once a scan is this old by default, ms */
#define VF_PROGRESS_AFTER_DEFAULT 2000

/* 1 if environment variable zName is set to exactly zValue. */
static int settings_env_is(const char *zName, const char *zValue){
  const char *z = getenv(zName);
  return z && strcmp(z, zValue)==0;
}

void vf_settings_read(VfSettings *p){
  const char *z;
  long long n;
  memset(p, 0, sizeof(*p));

  /* VPCFLOW_PARSE_AHEAD=off: plain files line by line (rows.c) */
  p->bParseAhead = !settings_env_is("VPCFLOW_PARSE_AHEAD", "off");

  /* VPCFLOW_PARSE_THREADS=0 (any text atoi() reads as 0): blocks, but all
  ** parsed on the query's thread */
  z = getenv("VPCFLOW_PARSE_THREADS");
  p->bParseThread = !(z && atoi(z)==0);

  /* VPCFLOW_PARSE_BLOCK=bytes, 1..VF_READER_BLOCK_MAX (tests use tiny
  ** blocks); anything else: VF_AHEAD_BLOCK */
  z = getenv("VPCFLOW_PARSE_BLOCK");
  n = z ? atoll(z) : VF_AHEAD_BLOCK;
  if( n<1 || n>VF_READER_BLOCK_MAX ) n = VF_AHEAD_BLOCK;
  p->nParseBlock = (size_t)n;

  /* VPCFLOW_GROUP=off: SQLite groups every GROUP BY itself (plan.c) */
  p->bGroup = !settings_env_is("VPCFLOW_GROUP", "off");

  /* VPCFLOW_GROUP_MB=MiB: memory budget of a grouped scan; 0 or less
  ** turns grouped delivery off. Capped where bytes would overflow. */
  z = getenv("VPCFLOW_GROUP_MB");
  n = z ? atoll(z) : VF_GROUP_MB_DEFAULT;
  if( n>INT64_MAX/(1024*1024) ) n = INT64_MAX/(1024*1024);
  p->nGroupBudget = n>0 ? (int64_t)n*1024*1024 : 0;

  /* VPCFLOW_GROUP_PARTS=n: key ranges of a grouped scan, 1..
  ** VF_GROUP_MAX_PART (tests); unset: one per 64 K rows (rows.c) */
  z = getenv("VPCFLOW_GROUP_PARTS");
  if( z ){
    n = atoll(z);
    if( n<1 ) n = 1;
    if( n>VF_GROUP_MAX_PART ) n = VF_GROUP_MAX_PART;
    p->nGroupParts = (int)n;
  }

  /* VPCFLOW_GROUP_THREADS=0 (any text starting with '0'): grouping on
  ** the query's thread */
  z = getenv("VPCFLOW_GROUP_THREADS");
  p->bGroupThread = !(z && z[0]=='0');

  /* VPCFLOW_GROUP_TRACE (set, to anything): a grouped scan says on stderr
  ** where its time went, and when it spills */
  p->bGroupTrace = getenv("VPCFLOW_GROUP_TRACE")!=0;

  /* VPCFLOW_PROGRESS=0: no progress line (progress.c) */
  p->bProgress = !settings_env_is("VPCFLOW_PROGRESS", "0");

  /* VPCFLOW_PROGRESS_AFTER=ms: how old a scan is before its line shows */
  z = getenv("VPCFLOW_PROGRESS_AFTER");
  p->msProgressAfter = z ? atoll(z) : VF_PROGRESS_AFTER_DEFAULT;

  /* VPCFLOW_DAY_MEMORY_MB=MiB: above it the day's big arrays live in a
  ** temporary file (day_store.c); 0: all of them (tests); anything not
  ** starting with a digit: the default. Capped where bytes would
  ** overflow. */
  z = getenv("VPCFLOW_DAY_MEMORY_MB");
  n = z && z[0]>='0' && z[0]<='9' ? atoll(z) : VF_DAY_MEMORY_MB_DEFAULT;
  if( n>INT64_MAX/(1024*1024) ) n = INT64_MAX/(1024*1024);
  p->nDayMemory = (int64_t)n*1024*1024;

  /* VPCFLOW_DAY_TRACE (set, to anything): the day's store says on stderr
  ** when its arrays go to a temporary file, and where */
  p->bDayTrace = getenv("VPCFLOW_DAY_TRACE")!=0;

  /* VPCFLOW_DAY_THREADS=0 (any text starting with '0'): the day's
  ** summaries are built when first scanned, on the query's thread, not
  ** ahead of use on a second one (day_summary.c) */
  z = getenv("VPCFLOW_DAY_THREADS");
  p->bDayThread = !(z && z[0]=='0');
}
