/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** ahead.c - parse the lines of a plain file on both cores (the contract
** is in ahead.h).
**
** Why. Reading a plain file costs little; splitting, tokenising and
** checking its lines is most of a simple scan (about 600 of the 950
** instructions per row of count(*)). Gzip already keeps the second core
** busy inflating; for a plain file it sat idle. Here the second core
** parses blocks ahead, and the query thread parses too whenever the block
** it needs next is not ready, so neither waits while there is work.
**
** The ring. nSlot blocks, each a line buffer and a record area, used in
** order: block number s (counted from the last reset) lives in slot
** s % nSlot. iHead is the oldest block not yet given back, iTail the next
** to be queued. A slot goes FREE -> QUEUED (vf_ahead_queue) -> PARSING
** (by the worker, or by the query thread in vf_ahead_take) -> PARSED ->
** FREE (vf_ahead_release). The worker always takes the oldest QUEUED
** block; the query thread, needing block iHead, parses it itself if it is
** still QUEUED, and while the worker is on it parses the next QUEUED one
** instead of waiting. All slot states and counters are under one mutex;
** a slot's buffers belong to whoever set it PARSING, or to the query
** thread otherwise. Only the worker leaves a slot PARSING across a wait.
**
** Layouts. Every block remembers the layout generation it was parsed
** under. When the query thread changes the layout (a header mid-file),
** records parsed under the old one no longer fit it; the query thread
** sees the generation differ and takes those lines the slow way.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include "ahead.h"
#include "reader.h"

/* How much less the worker's priority is than the query's (nice value) */
#define VF_AHEAD_NICE 10

/* Slot states */
#define VF_SLOT_FREE    0
#define VF_SLOT_QUEUED  1
#define VF_SLOT_PARSING 2
#define VF_SLOT_PARSED  3

typedef struct VfAheadSlot VfAheadSlot;
struct VfAheadSlot {
  int eState;                /* VF_SLOT_* (mutex) */
  char *zBuf;                /* nBlock bytes of lines */
  unsigned char *aRec;       /* nArea bytes of records */
  VfAheadBlock blk;          /* the parsed block */
};

struct VfAhead {
  int nSlot;
  size_t nBlock;             /* bytes of each line buffer */
  size_t nArea;              /* bytes of each record area */
  VfAheadSlot *aSlot;
  uint64_t iHead;            /* oldest block not given back (mutex) */
  uint64_t iTail;            /* next block to queue (mutex) */
  int bTaken;                /* block iHead is with the caller (mutex) */
  VfAheadLayout layout;      /* the current layout (mutex) */
  unsigned iGen;             /* its generation (mutex) */
  int bThread;               /* 1 while the worker runs */
  int bStop;                 /* the worker must stop (mutex) */
  int bSolo;                 /* the worker takes no blocks (mutex) */
  pthread_t tid;
  pthread_mutex_t mutex;
  pthread_cond_t condWork;   /* signalled: a block queued, or stop */
  pthread_cond_t condDone;   /* signalled: the worker finished a block */
};

/* ---- parsing --------------------------------------------------------- */

/*
** Check one line z[0..n-1] against layout pL and fill the record's kept
** spans and values after pRec. Return 1 if it is an ordinary data line,
** 0 if it must take the slow path (the reason is found again there).
*/
static int ahead_line(const VfAheadLayout *pL, const char *z, size_t n,
                       VfAheadRec *pRec){
  VfSpan aTok[VF_MAX_FIELDS];
  uint64_t aNum[VF_INTS_ROOM(VF_MAX_FIELDS)];
  VfSpan *aSpan = (VfSpan*)&pRec[1];
  int64_t *aVal = (int64_t*)&aSpan[pL->nKeepTok];
  int bSuspect = 0, bBad = 0, k, nTok;
  char c;

  nTok = vf_scan_line(z, n, aTok, VF_MAX_FIELDS, &bSuspect);
  if( nTok!=pL->nTok || bSuspect ) return 0;
  c = z[aTok[0].iOff];
  if( c=='{' || (c>='a' && c<='z' && vf_is_header(z, aTok, nTok)) ) return 0;
  vf_parse_ints(z, n, aTok, pL->aIntTok, pL->nInt, aNum);
  /* Every integer within its range is the common case: one test for all
  ** of them (no branch per integer), then a look at which failed. */
  for(k=0; k<pL->nInt; k++) bBad |= aNum[k]>pL->aIntMax[k];
  if( bBad ){
    for(k=0; k<pL->nInt; k++){
      if( aNum[k]>pL->aIntMax[k] ){
        const VfSpan *pS = &aTok[pL->aIntTok[k]];
        if( pS->nLen!=1 || z[pS->iOff]!='-' ) return 0;
        aNum[k] = 0;                        /* NULL: the span says so */
      }
    }
  }
  for(k=0; k<pL->nKeepTok; k++) aSpan[k] = aTok[pL->aKeepTok[k]];
  for(k=0; k<pL->nKeepInt; k++){
    int i = pL->aKeepInt[k];
    aVal[k] = pL->aIntEpoch[i] ? vf_epoch_seconds((int64_t)aNum[i])
                               : (int64_t)aNum[i];
  }
  return 1;
}

/* See ahead.h */
int vf_ahead_parse(const VfAheadLayout *pL, const char *z, size_t n,
                   unsigned char *aRec, size_t nArea, size_t *piRest){
  size_t szRec = VF_AHEAD_RECSIZE(pL);
  int nMax = (int)(nArea / szRec), nRec = 0;
  size_t i = 0;
  while( i<n && nRec<nMax ){
    VfAheadRec *pRec = (VfAheadRec*)&aRec[szRec*(size_t)nRec];
    size_t iLine = i;
    size_t nLen = vf_ahead_next_line(z, n, &i);
    pRec->iOff = (uint32_t)iLine;
    pRec->nLen = (uint32_t)nLen;
    if( nLen>VF_READER_MAX_LINE || !ahead_line(pL, z+iLine, nLen, pRec) ){
      pRec->nLen |= VF_AHEAD_SLOW;
    }
    nRec++;
  }
  *piRest = i<n ? i : n;
  return nRec;
}

/* ---- the ring and the worker ------------------------------------------ */

/* Parse slot pSlot's lines under pL, generation iGen (no lock held). */
static void ahead_run(VfAhead *p, VfAheadSlot *pSlot,
                       const VfAheadLayout *pL, unsigned iGen){
  VfAheadBlock *pB = &pSlot->blk;
  pB->z = pSlot->zBuf;
  pB->aRec = pSlot->aRec;
  pB->szRec = VF_AHEAD_RECSIZE(pL);
  pB->iGen = iGen;
  pB->nRec = vf_ahead_parse(pL, pB->z, pB->n, pSlot->aRec, p->nArea,
                            &pB->iRest);
}

/* The oldest QUEUED slot, or NULL (mutex held). */
static VfAheadSlot *ahead_queued(VfAhead *p){
  uint64_t s;
  for(s=p->iHead; s<p->iTail; s++){
    VfAheadSlot *pSlot = &p->aSlot[s % (uint64_t)p->nSlot];
    if( pSlot->eState==VF_SLOT_QUEUED ) return pSlot;
  }
  return 0;
}

/* Claim a QUEUED slot and parse it with the current layout, the mutex
** held on entry and on return (released while parsing). */
static void ahead_claim(VfAhead *p, VfAheadSlot *pSlot,
                         VfAheadLayout *pCopy){
  unsigned iGen = p->iGen;
  pSlot->eState = VF_SLOT_PARSING;
  memcpy(pCopy, &p->layout, sizeof(*pCopy));
  pthread_mutex_unlock(&p->mutex);
  ahead_run(p, pSlot, pCopy, iGen);
  pthread_mutex_lock(&p->mutex);
  pSlot->eState = VF_SLOT_PARSED;
}

/* The worker: parse the oldest queued block, or wait for one. */
static void *ahead_worker(void *pArg){
  VfAhead *p = (VfAhead*)pArg;
  VfAheadLayout copy;
#ifdef __linux__
  /* Take only what the second core has to spare: on Linux the nice value
  ** is the thread's own. Where another thread of the query needs the core
  ** (grouping a GROUP BY), that thread comes first and the query thread
  ** parses the blocks this one does not get to. */
  setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0) + VF_AHEAD_NICE);
#endif
  pthread_mutex_lock(&p->mutex);
  while( !p->bStop ){
    VfAheadSlot *pSlot = p->bSolo ? 0 : ahead_queued(p);
    if( pSlot==0 ){
      pthread_cond_wait(&p->condWork, &p->mutex);
      continue;
    }
    ahead_claim(p, pSlot, &copy);
    pthread_cond_broadcast(&p->condDone);
  }
  pthread_mutex_unlock(&p->mutex);
  return 0;
}

/* See ahead.h */
int vf_ahead_open(VfAhead **pp, int nSlot, size_t nBlock, int bThread){
  VfAhead *p;
  int i;
  *pp = 0;
  p = sqlite3_malloc64(sizeof(*p) + sizeof(VfAheadSlot)*(size_t)nSlot);
  if( p==0 ) return 1;
  memset(p, 0, sizeof(*p) + sizeof(VfAheadSlot)*(size_t)nSlot);
  p->nSlot = nSlot;
  p->nBlock = nBlock;
  /* Records for a block of average lines (a v2 line of 116 bytes needs
  ** 8 to 184 bytes of record), and room for a few of the largest
  ** whatever the block size. A block of shorter lines than that fills its
  ** area early: the caller sees iRest and queues smaller blocks. */
  p->nArea = nBlock*2 + 4*(sizeof(VfAheadRec) + 16*VF_MAX_FIELDS);
  p->aSlot = (VfAheadSlot*)&p[1];
  pthread_mutex_init(&p->mutex, 0);
  pthread_cond_init(&p->condWork, 0);
  pthread_cond_init(&p->condDone, 0);
  for(i=0; i<nSlot; i++){
    p->aSlot[i].zBuf = sqlite3_malloc64(nBlock);
    p->aSlot[i].aRec = sqlite3_malloc64(p->nArea);
    if( p->aSlot[i].zBuf==0 || p->aSlot[i].aRec==0 ){
      vf_ahead_close(p);
      return 1;
    }
  }
  if( bThread ){
    sigset_t all, old;
    /* The worker takes no signals: they keep going to the caller. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    p->bThread = pthread_create(&p->tid, 0, ahead_worker, p)==0;
    pthread_sigmask(SIG_SETMASK, &old, 0);
  }
  *pp = p;
  return 0;
}

/* See ahead.h */
void vf_ahead_close(VfAhead *p){
  int i;
  if( p==0 ) return;
  if( p->bThread ){
    pthread_mutex_lock(&p->mutex);
    p->bStop = 1;
    pthread_cond_broadcast(&p->condWork);
    pthread_mutex_unlock(&p->mutex);
    pthread_join(p->tid, 0);
  }
  pthread_cond_destroy(&p->condDone);
  pthread_cond_destroy(&p->condWork);
  pthread_mutex_destroy(&p->mutex);
  for(i=0; i<p->nSlot; i++){
    sqlite3_free(p->aSlot[i].zBuf);
    sqlite3_free(p->aSlot[i].aRec);
  }
  sqlite3_free(p);
}

/* See ahead.h */
void vf_ahead_reset(VfAhead *p){
  int i;
  pthread_mutex_lock(&p->mutex);
  for(i=0; i<p->nSlot; i++){
    /* what is only queued is dropped now; what the worker is parsing,
    ** once it is done */
    while( p->aSlot[i].eState==VF_SLOT_PARSING ){
      pthread_cond_wait(&p->condDone, &p->mutex);
    }
    p->aSlot[i].eState = VF_SLOT_FREE;
  }
  p->iHead = p->iTail = 0;
  p->bTaken = 0;
  pthread_mutex_unlock(&p->mutex);
}

/* See ahead.h */
unsigned vf_ahead_layout(VfAhead *p, const VfAheadLayout *pL){
  unsigned iGen;
  pthread_mutex_lock(&p->mutex);
  memcpy(&p->layout, pL, sizeof(*pL));
  iGen = ++p->iGen;
  pthread_mutex_unlock(&p->mutex);
  return iGen;
}

/* See ahead.h */
void vf_ahead_solo(VfAhead *p, int bSolo){
  pthread_mutex_lock(&p->mutex);
  p->bSolo = bSolo;
  if( !bSolo ) pthread_cond_signal(&p->condWork);
  pthread_mutex_unlock(&p->mutex);
}

/* See ahead.h. Only the query thread moves iTail and frees slots, so the
** slot found free stays free until vf_ahead_queue(). */
char *vf_ahead_space(VfAhead *p, size_t *pnCap){
  char *z = 0;
  pthread_mutex_lock(&p->mutex);
  if( p->iTail - p->iHead < (uint64_t)p->nSlot ){
    z = p->aSlot[p->iTail % (uint64_t)p->nSlot].zBuf;
  }
  pthread_mutex_unlock(&p->mutex);
  *pnCap = p->nBlock;
  return z;
}

/* See ahead.h */
void vf_ahead_queue(VfAhead *p, size_t n){
  VfAheadSlot *pSlot;
  pthread_mutex_lock(&p->mutex);
  pSlot = &p->aSlot[p->iTail % (uint64_t)p->nSlot];
  pSlot->blk.n = n;
  pSlot->eState = VF_SLOT_QUEUED;
  p->iTail++;
  pthread_cond_signal(&p->condWork);
  pthread_mutex_unlock(&p->mutex);
}

/* See ahead.h */
const VfAheadBlock *vf_ahead_take(VfAhead *p){
  VfAheadSlot *pHead;
  VfAheadLayout copy;
  pthread_mutex_lock(&p->mutex);
  if( p->iHead==p->iTail ){
    pthread_mutex_unlock(&p->mutex);
    return 0;
  }
  pHead = &p->aSlot[p->iHead % (uint64_t)p->nSlot];
  while( pHead->eState!=VF_SLOT_PARSED ){
    VfAheadSlot *pSlot = ahead_queued(p);
    if( pSlot ){
      /* the head if nobody has it yet, else the next one waiting */
      ahead_claim(p, pSlot, &copy);
    }else{
      pthread_cond_wait(&p->condDone, &p->mutex);
    }
  }
  p->bTaken = 1;
  pthread_mutex_unlock(&p->mutex);
  return &pHead->blk;
}

/* See ahead.h */
void vf_ahead_release(VfAhead *p){
  pthread_mutex_lock(&p->mutex);
  if( p->bTaken ){
    p->aSlot[p->iHead % (uint64_t)p->nSlot].eState = VF_SLOT_FREE;
    p->iHead++;
    p->bTaken = 0;
  }
  pthread_mutex_unlock(&p->mutex);
}
