/*
** progress.c - the progress line of long scans (see progress.h), and
** vpcflow_progress(), the phase line of sql/hunt.sql (at the end).
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"
#include "settings.h"
#include "func.h"

/* Milliseconds on a clock that never goes back. */
static int64_t progress_now_ms(void){
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec*1000 + t.tv_nsec/1000000;
}

/* The scan line on the screen, if any: one terminal, one line. */
static struct {
  int bShown;                /* a scan line (or its after-scan phase) shows */
  int nScan;                 /* scans with a line that have not ended */
  sqlite3 *db;               /* whose trace callback is ours, or NULL */
} g_scan;

static void progress_scan_erase(void){
  if( g_scan.bShown ){
    fputs("\r\033[K", stderr);
    fflush(stderr);
    g_scan.bShown = 0;
  }
}

/* Remove our trace callback once no line shows and no scan may draw one. */
static void progress_scan_untrace(void){
  if( g_scan.db && !g_scan.bShown && g_scan.nScan==0 ){
    sqlite3_trace_v2(g_scan.db, 0, 0, 0);
    g_scan.db = 0;
  }
}

/* SQLITE_TRACE_ROW / SQLITE_TRACE_PROFILE: a statement hands out a row
** or ends. Erase the line first, unless the statement runs inside another
** (another statement of the connection is busy): then its rows go to that
** statement, not to the screen. */
static int progress_scan_trace(unsigned mask, void *pCtx, void *pStmt, void *pX){
  sqlite3 *db = (sqlite3*)pCtx;
  sqlite3_stmt *p = 0;
  (void)mask; (void)pX;
  if( !g_scan.bShown ) return 0;
  while( (p = sqlite3_next_stmt(db, p))!=0 ){
    if( p!=(sqlite3_stmt*)pStmt && sqlite3_stmt_busy(p) ) return 0;
  }
  progress_scan_erase();
  progress_scan_untrace();
  return 0;
}

void vf_progress_start(VfProgress *p, sqlite3 *db, int nFile,
                       uint64_t nTotal, int bSizeKnown,
                       const VfSettings *pSet){
  memset(p, 0, sizeof(*p));
  p->bEnabled = isatty(2) && pSet->bProgress;
  if( !p->bEnabled ) return;
  p->db = db;
  p->msAfter = pSet->msProgressAfter;
  p->msStart = progress_now_ms();
  p->nFile = nFile;
  p->nTotal = nTotal;
  p->bSizeKnown = bSizeKnown && nTotal>0;
}

/* n records as "12.3 M" or "812 k" or "950" */
static void progress_count_str(char *z, size_t n, double r){
  if( r>=1e6 ) snprintf(z, n, "%.1f M", r/1e6);
  else if( r>=1e4 ) snprintf(z, n, "%.0f k", r/1e3);
  else snprintf(z, n, "%.0f", r);
}

/* bytes as MB: one decimal below 10 MB, so a small file is not "0 MB" */
static void progress_mb_str(char *z, size_t n, uint64_t nByte){
  double r = nByte/1e6;
  snprintf(z, n, r<10.0 ? "%.1f" : "%.0f", r);
}

void vf_progress_format(char *z, size_t n, int iFile, int nFile,
                        uint64_t nDone, uint64_t nTotal, int bSizeKnown,
                        int64_t nRec, int64_t msRun){
  char zRate[32], zRec[32];
  double rRate = msRun>0 ? nRec/(msRun/1000.0) : 0.0;
  progress_count_str(zRate, sizeof(zRate), rRate);
  if( bSizeKnown && nTotal>0 ){
    char zDone[32], zTotal[32], zEta[32];
    double rFrac;
    if( nDone>nTotal ) nDone = nTotal;
    rFrac = (double)nDone/(double)nTotal;
    if( rFrac>0.001 ){
      snprintf(zEta, sizeof(zEta), "%.0f s", msRun/1000.0*(1.0 - rFrac)/rFrac);
    }else{
      snprintf(zEta, sizeof(zEta), "?");
    }
    progress_mb_str(zDone, sizeof(zDone), nDone);
    progress_mb_str(zTotal, sizeof(zTotal), nTotal);
    snprintf(z, n, "vpcflow: file %d/%d, %s of %s MB (%.0f%%), %s records/s, ETA %s",
             iFile+1, nFile, zDone, zTotal, rFrac*100.0, zRate, zEta);
  }else{
    progress_count_str(zRec, sizeof(zRec), (double)nRec);
    snprintf(z, n, "vpcflow: file %d/%d, %s records, %s records/s (size unknown)",
             iFile+1, nFile, zRec, zRate);
  }
}

void vf_progress_tick(VfProgress *p, int iFile, uint64_t nDone, int64_t nRec){
  int64_t ms, msRun;
  char zLine[200];
  if( !p->bEnabled ) return;
  ms = progress_now_ms();
  msRun = ms - p->msStart;
  p->nRec = nRec;
  if( msRun<p->msAfter || (p->bShown && ms - p->msLast<500) ) return;
  vf_progress_format(zLine, sizeof(zLine), iFile, p->nFile, nDone, p->nTotal,
                     p->bSizeKnown, nRec, msRun);
  fprintf(stderr, "\r%s\033[K", zLine);
  fflush(stderr);
  if( !p->bShown ){
    /* the first line of this scan: from now on a result row erases it */
    p->bShown = 1;
    g_scan.nScan++;
    if( g_scan.db==0 && p->db ){
      g_scan.db = p->db;
      sqlite3_trace_v2(p->db, SQLITE_TRACE_ROW|SQLITE_TRACE_PROFILE,
                       progress_scan_trace, p->db);
    }
  }
  g_scan.bShown = 1;
  p->msLast = ms;
}

void vf_progress_end(VfProgress *p, int bDone){
  if( p->bShown ){
    if( bDone && g_scan.db ){
      /* The statement goes on: its first row (trace), or the cursor's
      ** close when it ends without one (bDone 0, below), erases this. */
      char zRec[32];
      progress_count_str(zRec, sizeof(zRec), (double)p->nRec);
      fprintf(stderr, "\rvpcflow: scan done: %s records in %.1f s; "
              "finishing the query (grouping, sorting)\033[K",
              zRec, (progress_now_ms() - p->msStart)/1000.0);
      fflush(stderr);
      g_scan.bShown = 1;
      p->bEnabled = 0;        /* no more ticks; bShown stays for the close */
      return;
    }
    progress_scan_erase();
    p->bShown = 0;
    if( g_scan.nScan>0 ) g_scan.nScan--;
    progress_scan_untrace();
  }
  p->bEnabled = 0;
}

/* ====================================================================
** vpcflow_progress(LABEL): the phase line of sql/hunt.sql.
**
**   INSERT OR REPLACE INTO vpcflow_state
**     VALUES ('hunt_phase', vpcflow_progress('[7/19] beaconing'));
**   SELECT vpcflow_progress(NULL);        -- erase the line
**
** On a terminal (isatty(2), and VPCFLOW_PROGRESS is not "0") it writes
** "\rhunt: LABEL\033[K" to stderr at once, then, from a progress handler
** it installs on the connection, the same line with the seconds the
** phase has run, at most twice a second. NULL or '' erases the line and
** removes the handler. Returns LABEL, so the call can be stored. Nothing
** is written when stderr is not a terminal.
**
** Registered SQLITE_DIRECTONLY (it writes to the terminal and changes the
** connection's progress handler): a view or trigger of a database file
** must not call it. Never DETERMINISTIC: it has side effects.
*/
typedef struct VfPhase VfPhase;
struct VfPhase {
  char zLabel[96];           /* the phase shown */
  int64_t msStart;           /* when it began */
  int64_t msLast;            /* when the line was last drawn */
  int bShown;                /* a line is on the screen */
};

static VfPhase g_phase;      /* one terminal, one line: process-wide */

static int progress_phase_tick(void *p){
  int64_t ms = progress_now_ms();
  (void)p;
  if( ms - g_phase.msLast >= 500 ){
    fprintf(stderr, "\rhunt: %s %.1f s\033[K", g_phase.zLabel,
            (ms - g_phase.msStart)/1000.0);
    fflush(stderr);
    g_phase.msLast = ms;
  }
  return 0;
}

static void vfProgressFunc(sqlite3_context *ctx,
                           int argc, sqlite3_value **argv){
  const char *z = (const char*)sqlite3_value_text(argv[0]);
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  VfSettings set;
  (void)argc;
  vf_settings_read(&set);          /* VPCFLOW_PROGRESS, at each call */
  if( isatty(2) && set.bProgress ){
    if( z && z[0] ){
      snprintf(g_phase.zLabel, sizeof(g_phase.zLabel), "%s", z);
      g_phase.msStart = g_phase.msLast = progress_now_ms();
      fprintf(stderr, "\rhunt: %s\033[K", g_phase.zLabel);
      fflush(stderr);
      g_phase.bShown = 1;
      sqlite3_progress_handler(db, 200000, progress_phase_tick, 0);
    }else{
      if( g_phase.bShown ){
        fputs("\r\033[K", stderr);
        fflush(stderr);
      }
      g_phase.bShown = 0;
      sqlite3_progress_handler(db, 0, 0, 0);
    }
  }
  sqlite3_result_value(ctx, argv[0]);
}

/* ====================================================================
** Registration: this file's functions (see func.h)
*/

/* Writes the hunt's phase line to a terminal: direct use only. */
static const VfFuncDef aProgressFunc[] = {
  { "vpcflow_progress", 1, VF_DIRECT, vfProgressFunc, 0, 0, 0, 0 },
};

int vf_func_progress_register(sqlite3 *db, char **pzErr){
  return VF_FUNC_REGISTER(db, aProgressFunc, pzErr);
}
