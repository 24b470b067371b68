/*
** progress.c - the progress line of long scans (see progress.h).
*/
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
