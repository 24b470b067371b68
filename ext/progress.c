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

/* Milliseconds on a clock that never goes back. */
static int64_t progress_now_ms(void){
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec*1000 + t.tv_nsec/1000000;
}

void vf_progress_start(VfProgress *p, int nFile, uint64_t nTotal){
  const char *zOn = getenv("VPCFLOW_PROGRESS");
  const char *zAfter = getenv("VPCFLOW_PROGRESS_AFTER");
  memset(p, 0, sizeof(*p));
  p->bEnabled = isatty(2) && !(zOn && strcmp(zOn, "0")==0);
  if( !p->bEnabled ) return;
  p->msAfter = zAfter ? atoll(zAfter) : 2000;
  p->msStart = progress_now_ms();
  p->nFile = nFile;
  p->nTotal = nTotal;
}

void vf_progress_tick(VfProgress *p, int iFile, uint64_t nDone, int64_t nRow){
  int64_t ms, msRun;
  double rRate, rFrac;
  char zEta[32];
  if( !p->bEnabled ) return;
  ms = progress_now_ms();
  msRun = ms - p->msStart;
  if( msRun<p->msAfter || (p->bShown && ms - p->msLast<500) ) return;
  rRate = msRun>0 ? nRow/(msRun/1000.0) : 0.0;
  rFrac = p->nTotal ? (double)nDone/(double)p->nTotal : 0.0;
  if( rFrac>1.0 ) rFrac = 1.0;
  if( rFrac>0.001 ){
    double rLeft = msRun/1000.0 * (1.0 - rFrac) / rFrac;
    snprintf(zEta, sizeof(zEta), "%.0f s", rLeft);
  }else{
    snprintf(zEta, sizeof(zEta), "?");
  }
  fprintf(stderr, "\rvpcflow: file %d/%d, %.0f of %.0f MB (%.0f%%), "
          "%.1f M rows/s, ETA %s\033[K",
          iFile+1, p->nFile, nDone/1e6, p->nTotal/1e6, rFrac*100.0,
          rRate/1e6, zEta);
  fflush(stderr);
  p->bShown = 1;
  p->msLast = ms;
}

void vf_progress_end(VfProgress *p){
  if( p->bShown ){
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->bShown = 0;
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

static int vf_phase_tick(void *p){
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

void vfProgressFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  const char *zOn = getenv("VPCFLOW_PROGRESS");
  const char *z = (const char*)sqlite3_value_text(argv[0]);
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  (void)argc;
  if( isatty(2) && !(zOn && strcmp(zOn, "0")==0) ){
    if( z && z[0] ){
      snprintf(g_phase.zLabel, sizeof(g_phase.zLabel), "%s", z);
      g_phase.msStart = g_phase.msLast = progress_now_ms();
      fprintf(stderr, "\rhunt: %s\033[K", g_phase.zLabel);
      fflush(stderr);
      g_phase.bShown = 1;
      sqlite3_progress_handler(db, 200000, vf_phase_tick, 0);
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
