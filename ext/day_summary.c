/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day_summary.c - vpcflow_att_port and vpcflow_pair: the two summaries
** of sql/summaries.sql, served from the prepared day (day.h).
**
** Usage (sql/summaries.sql does this; after sql/prepare.sql):
**
**   CREATE TEMP VIEW att_port AS SELECT ... FROM vpcflow_att_port;
**   CREATE TEMP VIEW pair AS SELECT ... FROM vpcflow_pair;
**   SELECT src, dst, sum(n) FROM att_port GROUP BY 1, 2;
**
**   vpcflow_att_port  the rows, values and order of
**       SELECT src, dst, protocol, dstport, dst_service,
**              count(*), count(action), sum(action = 'REJECT'),
**              sum(action = 'ACCEPT'),
**              count(action = 'REJECT' OR answered = 0),
**              sum(action = 'REJECT' OR answered = 0), sum(answered),
**              max(answered), sum(action = 'ACCEPT' AND answered = 1),
**              sum(conn_start), min(start), max(start),
**              src_private, dst_private
**         FROM flows_t WHERE resp = 0
**        GROUP BY src, dst, protocol, dstport, dst_service
**   vpcflow_pair  the rows, values and order of
**       SELECT src, dst, src_service, dst_service, count(*), sum(bytes),
**              sum(packets), min(start), max("end"), src_private,
**              dst_private
**         FROM flows_t WHERE NOT (src_private AND dst_private)
**        GROUP BY src, dst, src_service, dst_service
**
** (tests/hunt/compare.sql checks both against that SQL, row for row.)
** Both are eponymous and DIRECT-ONLY (they show what the files held);
** without a prepared day they are an error that says to read
** sql/prepare.sql.
**
** HOW IT WORKS
**
** The first scan of either table on a day builds BOTH summaries and keeps
** them with the day (VfDay.pSummary, freed with it by vf_day_unref()
** through vf_day_summary_free()); every later scan, by any statement, only
** walks the kept rows. Preparing another day makes a new VfDay, so a
** summary can never outlive the records it was made from. Building both
** at once shares the costly step, the ranking of the text values.
**
** Order. GROUP BY hands out its groups in the order of the key: NULL
** first, then text in BINARY (memcmp) order, then blobs. Every id used in
** a key is ranked once (equal bytes, equal rank; 0 stays NULL's rank),
** the addresses (src, dst) and the services apart, so the order of two
** keys is the order of their ranks. Each table's key fields - src rank,
** dst rank, then protocol + 1, dstport + 1 and dst_service rank for
** att_port, the two service ranks for pair (0 = NULL) - are packed side
** by side into one 64-bit word, each as wide as its largest value needs,
** when they fit (sm_key_widths: they did on every day measured, 10 M
** random-address records included), and the records' indexes are sorted
** by it with vf_day_sort() (a stable LSD radix sort). Past 64 bits, the
** key is two words - (src rank, dst rank) and the rest - and the sort is
** by the second word, then, stably, by the first. Equal keys are then
** adjacent, and one walk folds each run into a row, in GROUP BY's order.
** No hash table, no sort of the rows themselves.
**
** Ahead of use. vf_day_summary_ahead(), called by norm.c as soon as a
** day is prepared, starts a thread that builds both summaries into an
** SmDay of its own (VfDay.pSummaryJob): the build only reads the day,
** which nothing writes once it is prepared, and the store's allocator
** takes its mutex. The first scan joins the thread and keeps its rows
** (a build that failed is made again on the scan's thread, which then
** reports why); vf_day_summary_free() joins it before the day is freed.
** It is the one thing a hunt did after prepare that a second core could
** take: ~3.9 s at random 10 M records, hidden behind the first four
** detections. Not started with one CPU, VPCFLOW_DAY_THREADS=0, or a day
** already in its temporary file (day_store.c: two readers faulting the
** file's pages would fight over the memory budget).
**
** Values. Each row keeps sums and counts (32 bits: a day has fewer than
** 2^32 records; bytes and packets 64 bits) and times as offsets from the
** day's base, as the records do; SQL's NULL rules are kept as flags: sum()
** of no non-NULL value is NULL, count(x) counts non-NULL values, `NULL OR
** 0` is NULL, `NULL AND 0` is 0. An att_port row is 60 bytes, a pair row
** 48: at 10 M random-address records (4.9 M and 2.3 M rows) about 400 MB
** (the TEMP tables of earlier versions held them as B-trees in temporary
** files; their build's hash table and 144-byte groups cost more).
**
** Scans. A scan is a walk of the kept rows (cheap, the same whatever the
** query), which SQLite filters, but for src_private = ? and dst_private
** = ?, which the walk checks itself (smBestIndex). The rows being in
** key order, an ORDER BY or GROUP BY on a prefix of the key is consumed
** (smBestIndex), so SQLite skips its sorter.
*/
#define _GNU_SOURCE 1   /* qsort_r */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "day.h"
#include "day_store.h"
#include "settings.h"

typedef int64_t i64;
typedef int32_t i32;
typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define SM_ATT_PORT 0         /* SmVtab.eKind */
#define SM_PAIR     1

/* Column numbers and schemas. */
#define SM_AP_SCHEMA "CREATE TABLE x(src TEXT, dst TEXT, protocol INTEGER," \
  " dstport INTEGER, dst_service TEXT, n INTEGER, n_action INTEGER," \
  " rejected INTEGER, accepted INTEGER, n_failed INTEGER, failed INTEGER," \
  " answered INTEGER, answered_max INTEGER, acc_answered INTEGER," \
  " conns INTEGER, t0 INTEGER, t1 INTEGER, src_private INTEGER," \
  " dst_private INTEGER)"
#define SM_PR_SCHEMA "CREATE TABLE x(src TEXT, dst TEXT, src_service TEXT," \
  " dst_service TEXT, n INTEGER, bytes INTEGER, packets INTEGER," \
  " t0 INTEGER, t1 INTEGER, src_private INTEGER, dst_private INTEGER)"

/* SmAtt.f bits */
#define SMA_PROTO_NULL  0x01  /* protocol IS NULL */
#define SMA_DPORT_NULL  0x02  /* dstport IS NULL */
#define SMA_ACTION      0x04  /* some action: rejected, accepted not NULL */
#define SMA_FAILED      0x08  /* failed not NULL */
#define SMA_ACC_ANS     0x10  /* acc_answered not NULL */
#define SMA_ANS_MAX     0x20  /* max(answered) = 1 */

/* One row of vpcflow_att_port (60 bytes). */
typedef struct SmAtt SmAtt;
struct SmAtt {
  u32 src, dst, dsvc;      /* interned ids (0 = NULL) */
  u16 dport;               /* dstport (see SMA_DPORT_NULL) */
  u8 proto;                /* protocol (see SMA_PROTO_NULL) */
  u8 f;                    /* SMA_* */
  u32 n, nAction, rejected, accepted, nFailed, failed;
  u32 answered, accAns, conns;
  i32 t0, t1;              /* min/max(start) - iBase, VF_DAY_NULL32 = NULL */
};

/* SmPair.f bits */
#define SMP_BYTES   0x01      /* bytes not NULL */
#define SMP_PACKETS 0x02      /* packets not NULL */

/* One row of vpcflow_pair (48 bytes). */
typedef struct SmPair SmPair;
struct SmPair {
  u32 src, dst, ssvc, dsvc;/* interned ids (0 = NULL) */
  u32 n;                   /* records */
  i32 t0, t1;              /* min(start), max("end") - iBase; NULL32 = NULL */
  u32 f;                   /* SMP_* */
  i64 bytes, packets;      /* sums */
};

/* What a day keeps for these tables (VfDay.pSummary). */
typedef struct SmDay SmDay;
struct SmDay {
  SmAtt *aAtt;  i64 nAtt;
  SmPair *aPair; i64 nPair;
};

static void sm_job_join(VfDay *d);

/* Free what day_summary.c kept with a day (vf_day_unref calls it). */
static void sm_free(SmDay *s){
  if( s==0 ) return;
  vf_store_free(s->aAtt);
  vf_store_free(s->aPair);
  sqlite3_free(s);
}

void vf_day_summary_free(VfDay *d){
  if( d==0 ) return;
  sm_job_join(d);
  sm_free((SmDay*)d->pSummary);
  d->pSummary = 0;
}

/* ------------------------------------------------------------- ranks */

/* SQLite's order of two values of the day: text (BINARY) before blob. */
static int sm_cmp_ids(const void *a, const void *b, void *pArg){
  const VfDay *d = (const VfDay*)pArg;
  const NormStr *x = &d->aStr[*(const u32*)a], *y = &d->aStr[*(const u32*)b];
  int bx = x->tag=='b', by = y->tag=='b', c;
  u32 n = x->nLen<y->nLen ? x->nLen : y->nLen;
  if( bx!=by ) return bx - by;
  c = memcmp(d->aBuf+x->iOff, d->aBuf+y->iOff, n);
  if( c ) return c;
  return x->nLen<y->nLen ? -1 : x->nLen>y->nLen;
}

/* Rank (1..) of every id marked in aRank (nonzero), equal bytes equal
** rank; 0 stays NULL's rank. Return SQLITE_OK or SQLITE_NOMEM. */
static int sm_rank(const VfDay *d, u32 *aRank){
  u32 i, n = 0, *aId, r = 0;
  for(i=1; i<d->nStr; i++) if( aRank[i] ) n++;
  aId = vf_store_alloc(sizeof(u32)*(n ? n : 1));
  if( aId==0 ) return SQLITE_NOMEM;
  for(i=1, n=0; i<d->nStr; i++) if( aRank[i] ) aId[n++] = i;
  qsort_r(aId, n, sizeof(u32), sm_cmp_ids, (void*)d);
  for(i=0; i<n; i++){
    if( i==0 || sm_cmp_ids(&aId[i-1], &aId[i], (void*)d)!=0 ) r++;
    aRank[aId[i]] = r;
  }
  vf_store_free(aId);
  return SQLITE_OK;
}

/* Is id the text zWord? */
static int sm_is(const VfDay *d, u32 id, const char *zWord, u32 n){
  const NormStr *e = &d->aStr[id];
  return id && e->tag!='b' && e->nLen==n && memcmp(d->aBuf+e->iOff, zWord, n)==0;
}

/* --------------------------------------------------------- the build */

/* How many records ahead the sorted walks prefetch (their reads of the
** records are in key order, so random: cache misses without it). */
#define SM_AHEAD 16

/* The sorted walks check the day's memory budget every SM_POLL+1
** records (vf_store_poll): a day past its budget lives in a file whose
** pages these random reads bring back faster than the store's watcher
** drops them (day_store.c, "Random readers"). A no-op for a day in
** memory. */
#define SM_POLL 255

/* Rows whose pages the fold maps ahead at a time (vf_store_prefault). */
#define SM_PREFAULT 32768

/* Does record i go into att_port (resp = 0) / pair (a public side)? */
static int sm_takes(const VfDay *d, int eKind, u32 i){
  const NormRec *r = &d->aRec[i];
  if( eKind==SM_ATT_PORT ) return !(r->out & NO_RESP);
  return d->aPriv[r->src]==0 || d->aPriv[r->dst]==0;
}

/* How one table's records are keyed (see HOW IT WORKS, "Order"). */
typedef struct SmKey SmKey;
struct SmKey {
  const u32 *aAddr;        /* rank of each address id (src, dst) */
  const u32 *aSvc;         /* rank of each service id (the services) */
  int eKind;               /* SM_ATT_PORT or SM_PAIR */
  int nField;              /* 5 (att_port) or 4 (pair) */
  int bOne;                /* the whole key fits one word (aW) */
  int aW[5];               /* bits of each field in the one word */
};

/* Largest key, in bits, packed into one word
** (vf_day_summary_key_bits_for_test). */
static int smMaxKeyBits = 64;

/* Record i's key fields, in their order: src and dst rank, then
** att_port's protocol + 1 and dstport + 1 (0 = NULL) and dst_service
** rank, or pair's src_service and dst_service ranks. */
static void sm_fields(const VfDay *d, const SmKey *p, u32 i, u64 *a){
  const NormRec *r = &d->aRec[i];
  const VfDayRec *x = &d->aExt[i];
  a[0] = p->aAddr[r->src];
  a[1] = p->aAddr[r->dst];
  if( p->eKind==SM_ATT_PORT ){
    a[2] = (r->in & NR_PROTO_NULL) ? 0 : (u64)r->proto + 1;      /* 9 bits */
    a[3] = (r->in & NR_DPORT_NULL) ? 0 : (u64)r->dport + 1;      /* 17 bits */
    a[4] = p->aSvc[x->dsvc];
  }else{
    a[2] = p->aSvc[x->ssvc];
    a[3] = p->aSvc[x->dsvc];
  }
}

/* The one-word key of record i (p->bOne): the fields side by side. */
static u64 sm_key_one(const VfDay *d, const SmKey *p, u32 i){
  u64 a[5], k = 0;
  int f;
  sm_fields(d, p, i, a);
  for(f=0; f<p->nField; f++) k = (k<<p->aW[f]) | a[f];
  return k;
}

/* The two words of record i's key, when it does not fit one. */
static u64 sm_key_hi(const VfDay *d, const SmKey *p, u32 i){
  u64 a[5];
  sm_fields(d, p, i, a);
  return a[0]<<32 | a[1];
}
static u64 sm_key_lo(const VfDay *d, const SmKey *p, u32 i){
  u64 a[5];
  sm_fields(d, p, i, a);
  if( p->eKind==SM_ATT_PORT ) return a[2]<<49 | a[3]<<32 | a[4];
  return a[2]<<32 | a[3];
}

/* Bits that hold v (0 for 0). */
static int sm_bits(u64 v){ return v ? 64 - __builtin_clzll(v) : 0; }

/*
** Set p->bOne and p->aW: the widths of the fields' largest values among
** the records the table takes, one word when they add up to 64 bits or
** less (att_port at 10 M random-address records: 2 x 17 bits of address
** rank, 6 of protocol, 16 of port, 3 of service, 59 in all; with the
** realistic days' protocols, ports and services, up to 2^20 distinct
** addresses).
** One word is one radix sort instead of two, and no walk in key order to
** make the second word (a cache miss per record, or a page fault past
** the day's memory budget).
*/
static void sm_key_widths(const VfDay *d, SmKey *p, const u32 *aTake, u64 n){
  u64 aMax[5] = {0, 0, 0, 0, 0}, a[5], k;
  int f, nBit = 0;
  for(k=0; k<n; k++){
    sm_fields(d, p, aTake[k], a);
    for(f=0; f<p->nField; f++) if( a[f]>aMax[f] ) aMax[f] = a[f];
  }
  for(f=0; f<p->nField; f++){ p->aW[f] = sm_bits(aMax[f]); nBit += p->aW[f]; }
  p->bOne = nBit<=smMaxKeyBits;
}

void vf_day_summary_key_bits_for_test(int nBit){
  smMaxKeyBits = nBit<0 || nBit>64 ? 64 : nBit;
}

/* min/max into a VF_DAY_NULL32-means-NULL accumulator */
static void sm_min(i32 *pAcc, i32 v){ if( *pAcc==VF_DAY_NULL32 || v<*pAcc ) *pAcc = v; }
static void sm_max(i32 *pAcc, i32 v){ if( *pAcc==VF_DAY_NULL32 || v>*pAcc ) *pAcc = v; }

/* Fold record i into att_port row g (a new row: zeroed, t0/t1 NULL). */
static void sm_fold_att(const VfDay *d, SmAtt *g, u32 i){
  const NormRec *r = &d->aRec[i];
  const VfDayRec *x = &d->aExt[i];
  int bAns = (r->out & NO_ANSWERED)!=0;
  int bRej = sm_is(d, x->action, "REJECT", 6);
  int bAcc = sm_is(d, x->action, "ACCEPT", 6);
  if( g->n==0 ){
    g->src = r->src; g->dst = r->dst; g->dsvc = x->dsvc;
    if( r->in & NR_PROTO_NULL ) g->f |= SMA_PROTO_NULL; else g->proto = r->proto;
    if( r->in & NR_DPORT_NULL ) g->f |= SMA_DPORT_NULL; else g->dport = r->dport;
  }
  g->n++;
  if( x->action ){ g->nAction++; g->f |= SMA_ACTION; g->rejected += bRej; g->accepted += bAcc; }
  /* action = 'REJECT' OR answered = 0: 1, or NULL when action is */
  if( bRej || !bAns ){ g->nFailed++; g->failed++; g->f |= SMA_FAILED; }
  else if( x->action ){ g->nFailed++; g->f |= SMA_FAILED; }
  g->answered += bAns;
  if( bAns ) g->f |= SMA_ANS_MAX;
  /* action = 'ACCEPT' AND answered = 1: 0, or NULL when action is */
  if( !bAns ){ g->f |= SMA_ACC_ANS; }
  else if( x->action ){ g->accAns += bAcc; g->f |= SMA_ACC_ANS; }
  g->conns += (r->out & NO_CONNSTART)!=0;
  if( !(r->in & NR_START_NULL) ){ sm_min(&g->t0, r->start); sm_max(&g->t1, r->start); }
}

/* Fold record i into pair row g (a new row: zeroed, t0/t1 NULL). */
static void sm_fold_pair(const VfDay *d, SmPair *g, u32 i){
  const NormRec *r = &d->aRec[i];
  const VfDayRec *x = &d->aExt[i];
  if( g->n==0 ){
    g->src = r->src; g->dst = r->dst; g->ssvc = x->ssvc; g->dsvc = x->dsvc;
  }
  g->n++;
  if( x->bytes!=VF_DAY_NULL64 ){ g->bytes += x->bytes; g->f |= SMP_BYTES; }
  if( x->packets!=VF_DAY_NULL64 ){ g->packets += x->packets; g->f |= SMP_PACKETS; }
  if( !(r->in & NR_START_NULL) ) sm_min(&g->t0, r->start);
  if( x->end!=VF_DAY_NULL32 ) sm_max(&g->t1, x->end);
}

/*
** Build one table's rows: sort the records it takes by key, fold each run
** of equal keys into a row. On success *paRow holds *pnRow rows (a
** day-store block). Return SQLITE_OK or SQLITE_NOMEM.
*/
static int sm_build_one(const VfDay *d, SmKey *pKey,
                        void **paRow, i64 *pnRow){
  int eKind = pKey->eKind;
  size_t szRow = eKind==SM_ATT_PORT ? sizeof(SmAtt) : sizeof(SmPair);
  u64 n = 0, t, k;
  u64 *aKey;
  u32 *aIdx;
  u8 *aRow;
  i64 nRow = 0, nAlloc, nMapped = 0;
  u64 hiPrev = 0, loPrev = 0;
  int rc;
  for(t=0; t<(u64)d->nTraffic; t++) n += sm_takes(d, eKind, d->aTraffic[t]);
  /* one key and index per record: the day's store (day_store.h), so that
  ** a day past its memory budget sorts them in its file too */
  aKey = vf_store_alloc(sizeof(u64)*(n ? n : 1));
  aIdx = vf_store_alloc(sizeof(u32)*(n ? n : 1));
  if( aKey==0 || aIdx==0 ){ vf_store_free(aKey); vf_store_free(aIdx); return SQLITE_NOMEM; }
  for(t=0, k=0; t<(u64)d->nTraffic; t++){
    u32 i = d->aTraffic[t];
    if( !sm_takes(d, eKind, i) ) continue;
    aIdx[k++] = i;
  }
  /* (the records in day order: these walks read them in sequence) */
  sm_key_widths(d, pKey, aIdx, n);
  for(k=0; k<n; k++){
    aKey[k] = pKey->bOne ? sm_key_one(d, pKey, aIdx[k]) : sm_key_lo(d, pKey, aIdx[k]);
  }
  rc = vf_day_sort(aKey, aIdx, n);
  if( rc==SQLITE_OK && !pKey->bOne ){
    /* by the low word, then stably by the high word: by both */
    for(k=0; k<n; k++){
      if( k+SM_AHEAD<n ) __builtin_prefetch(&d->aRec[aIdx[k+SM_AHEAD]]);
      if( (k & SM_POLL)==0 ) vf_store_poll();
      aKey[k] = sm_key_hi(d, pKey, aIdx[k]);
    }
    rc = vf_day_sort(aKey, aIdx, n);
  }
  /* one row per run, n at most: the rows are the day's store too (past
  ** the budget they live in its file with the rest, held to it), grown
  ** by doubling from a sixteenth of n (the realistic day keeps about one
  ** row in ten records) and cut to their size below; reserving all n
  ** would count untouched pages against a budget that has room for them */
  nAlloc = (i64)(n/16 > 1024 ? n/16 : n ? n : 1);
  aRow = rc ? 0 : vf_store_alloc(szRow*(size_t)nAlloc);
  if( aRow==0 ){ vf_store_free(aKey); vf_store_free(aIdx); return rc ? rc : SQLITE_NOMEM; }
  for(k=0; k<n; k++){
    u32 i = aIdx[k];
    u64 lo;
    if( k+SM_AHEAD<n ){
      __builtin_prefetch(&d->aRec[aIdx[k+SM_AHEAD]]);
      __builtin_prefetch(&d->aExt[aIdx[k+SM_AHEAD]]);
    }
    if( (k & SM_POLL)==0 ) vf_store_poll();
    lo = pKey->bOne ? 0 : sm_key_lo(d, pKey, i);
    void *g;
    if( k==0 || aKey[k]!=hiPrev || lo!=loPrev ){
      if( nRow==nAlloc ){
        i64 nNew = nAlloc*2 < (i64)n ? nAlloc*2 : (i64)n;
        u8 *aNew = vf_store_realloc(aRow, szRow*(size_t)nNew);
        if( aNew==0 ){
          vf_store_free(aRow); vf_store_free(aKey); vf_store_free(aIdx);
          return SQLITE_NOMEM;
        }
        aRow = aNew; nAlloc = nNew;
      }
      if( nRow>=nMapped ){
        /* the rows' pages, SM_PREFAULT rows at a time (vf_store_prefault) */
        nMapped = nRow + SM_PREFAULT < nAlloc ? nRow + SM_PREFAULT : nAlloc;
        vf_store_prefault(aRow, szRow*(size_t)nRow, szRow*(size_t)nMapped);
      }
      g = aRow + szRow*(size_t)nRow++;
      memset(g, 0, szRow);
      if( eKind==SM_ATT_PORT ){
        ((SmAtt*)g)->t0 = ((SmAtt*)g)->t1 = VF_DAY_NULL32;
      }else{
        ((SmPair*)g)->t0 = ((SmPair*)g)->t1 = VF_DAY_NULL32;
      }
      hiPrev = aKey[k]; loPrev = lo;
    }
    g = aRow + szRow*(size_t)(nRow-1);
    if( eKind==SM_ATT_PORT ) sm_fold_att(d, (SmAtt*)g, i);
    else sm_fold_pair(d, (SmPair*)g, i);
  }
  vf_store_free(aKey); vf_store_free(aIdx);
  if( nRow>0 && nRow<nAlloc ){
    void *pNew = vf_store_realloc(aRow, szRow*(size_t)nRow);
    if( pNew ) aRow = pNew;      /* a failed shrink keeps the larger array */
  }
  *paRow = aRow;
  *pnRow = nRow;
  return SQLITE_OK;
}

/* Build both summaries of day d into a new *ppS (read-only on d: the
** background build runs it beside the query's thread). Return SQLITE_OK
** or SQLITE_NOMEM. */
static int sm_build(const VfDay *d, SmDay **ppS){
  SmDay *s;
  u32 *aAddr, *aSvc;
  SmKey key;
  u64 t;
  int rc;
  *ppS = 0;
  s = sqlite3_malloc(sizeof(*s));
  if( s==0 ) return SQLITE_NOMEM;
  memset(s, 0, sizeof(*s));
  /* rank the addresses (src, dst) and, apart, the services: a field's
  ** order is its own ranks' order, and the few services then take a few
  ** bits of a one-word key (sm_key_widths) */
  aAddr = vf_store_calloc(d->nStr ? d->nStr : 1, sizeof(u32));
  aSvc = vf_store_calloc(d->nStr ? d->nStr : 1, sizeof(u32));
  if( aAddr==0 || aSvc==0 ){
    vf_store_free(aAddr); vf_store_free(aSvc); sqlite3_free(s); return SQLITE_NOMEM;
  }
  for(t=0; t<(u64)d->nTraffic; t++){
    u32 i = d->aTraffic[t];
    const NormRec *r = &d->aRec[i];
    const VfDayRec *x = &d->aExt[i];
    aAddr[r->src] = aAddr[r->dst] = aSvc[x->dsvc] = aSvc[x->ssvc] = 1;
  }
  aAddr[0] = aSvc[0] = 0;
  rc = sm_rank(d, aAddr);
  if( rc==SQLITE_OK ) rc = sm_rank(d, aSvc);
  memset(&key, 0, sizeof(key));
  key.aAddr = aAddr;
  key.aSvc = aSvc;
  if( rc==SQLITE_OK ){
    key.eKind = SM_ATT_PORT; key.nField = 5;
    rc = sm_build_one(d, &key, (void**)&s->aAtt, &s->nAtt);
  }
  if( rc==SQLITE_OK ){
    key.eKind = SM_PAIR; key.nField = 4;
    rc = sm_build_one(d, &key, (void**)&s->aPair, &s->nPair);
  }
  vf_store_free(aAddr); vf_store_free(aSvc);
  if( rc ){ sm_free(s); return rc; }
  *ppS = s;
  return SQLITE_OK;
}

/* ------------------------------------------- the build ahead of use */

/* A background build of a day's summaries (VfDay.pSummaryJob). */
typedef struct SmJob SmJob;
struct SmJob {
  pthread_t tid;
  const VfDay *d;
  SmDay *s;                /* the result, or NULL */
  int rc;                  /* sm_build()'s */
};

/* Builds started ahead, and scans that took a build made ahead
** (vf_day_summary_ahead_counts_for_test; the query's thread only). */
static int nAheadStarted, nAheadUsed;

void vf_day_summary_ahead_counts_for_test(int *pnStarted, int *pnUsed){
  *pnStarted = nAheadStarted;
  *pnUsed = nAheadUsed;
}

static void *sm_job_main(void *pArg){
  SmJob *j = (SmJob*)pArg;
  j->rc = sm_build(j->d, &j->s);
  return 0;
}

/* Wait for d's background build, if one was started, and keep what it
** made (pSummary is NULL while a build runs: one starts only on a day
** without summaries, and nothing else builds them before joining it). A
** build that failed leaves pSummary NULL: the next scan builds again on
** its own thread, where the failure (out of memory, a full temporary
** directory) is reported with its reason. */
static void sm_job_join(VfDay *d){
  SmJob *j = (SmJob*)d->pSummaryJob;
  if( j==0 ) return;
  pthread_join(j->tid, 0);
  d->pSummaryJob = 0;
  d->pSummary = j->s;               /* NULL after a failed build */
  sqlite3_free(j);
}

/* See day.h. */
void vf_day_summary_ahead(VfDay *d){
  VfSettings set;
  VfStoreStats st;
  SmJob *j;
  sigset_t all, old;
  if( d==0 || d->pSummary || d->pSummaryJob || d->nTraffic==0 ) return;
  vf_settings_read(&set);
  if( !set.bDayThread || sqlite3_threadsafe()==0 ) return;
  if( sysconf(_SC_NPROCESSORS_ONLN)<2 ) return;
  vf_store_stats(&st);
  if( st.nFile>0 ) return;
  j = sqlite3_malloc(sizeof(*j));
  if( j==0 ) return;
  memset(j, 0, sizeof(*j));
  j->d = d;
  /* the worker takes no signals: Ctrl-C keeps going to the shell */
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  if( pthread_create(&j->tid, 0, sm_job_main, j)==0 ){
    d->pSummaryJob = j;
    nAheadStarted++;
  }else{
    sqlite3_free(j);
  }
  pthread_sigmask(SIG_SETMASK, &old, 0);
}

/* The day's summaries: the background build's (waited for), else built
** now and kept. Return SQLITE_OK or NOMEM. */
static int sm_day_ready(VfDay *d, SmDay **ppS){
  int rc;
  if( d->pSummaryJob ){
    sm_job_join(d);
    nAheadUsed += d->pSummary!=0;
  }
  if( d->pSummary==0 ){
    SmDay *s;
    rc = sm_build(d, &s);
    if( rc ) return rc;
    d->pSummary = s;
  }
  *ppS = (SmDay*)d->pSummary;
  return SQLITE_OK;
}

/* ------------------------------------------------------- the tables */

typedef struct SmVtab SmVtab;
struct SmVtab {
  VfDayVtab d;             /* Base class (the day's slot) - must be first */
  int eKind;               /* SM_ATT_PORT or SM_PAIR */
};

typedef struct SmCursor SmCursor;
struct SmCursor {
  VfDayRows r;             /* the day, nRow, iRow (day.h) - must be first */
  const SmDay *s;          /* the day's summaries */
  int iSrcPriv, iDstPriv;  /* wanted src_private, dst_private; -1 = any */
};

static int smConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  int eKind = strcmp(argv[0], "vpcflow_pair")==0 ? SM_PAIR : SM_ATT_PORT;
  int rc = vf_day_vtab_connect(db, pAux,
                               eKind==SM_PAIR ? SM_PR_SCHEMA : SM_AP_SCHEMA,
                               sizeof(SmVtab), ppVtab);
  (void)argc; (void)pzErr;
  if( rc==SQLITE_OK ) ((SmVtab*)*ppVtab)->eKind = eKind;
  return rc;
}

/*
** A walk of every row, whatever the constraints (SQLite checks them all).
** The estimate is what SQLite assumes for a table without statistics
** (2^20 rows), as the TEMP tables these replace had, so the detections'
** plans keep their join orders; it does not change with the constraints
** below, so that no join order moves with them either.
**
** The plan. idxNum bit 1: argv holds the value of src_private = ?, bit
** 2: the value of dst_private = ? (after src_private's when both). The
** walk then skips, in C, the rows whose flag is not that integer (a
** value of another type skips nothing); SQLite checks the constraints
** again (omit = 0), so a skipped row is one SQL would have dropped, and
** skipping it only saves SQLite the row. dos, exfiltration,
** exposed_service, lateral_movement, trust_boundary and unusual_port
** read one side's public or private rows; measured at random 10 M, the
** saving is within the hunt's run-to-run noise (0.1-0.3 s a detection).
**
** The rows come in the order of their key - att_port (src, dst,
** protocol, dstport, dst_service), pair (src, dst, src_service,
** dst_service) - as ORDER BY sorts them (BINARY, NULL first, ascending).
** So an ORDER BY or a GROUP BY (sqlite3_vtab_distinct() 0 or 1) on a
** prefix of the key, every term ascending, is consumed: SQLite then
** skips its sorter (a detection's GROUP BY src, dst over millions of rows
** at random addresses). SQLite passes only terms it can hand over
** (plain columns of this table, their own collation, no NULLS LAST).
** DISTINCT (2, 3) is left to SQLite.
*/
static int smBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  int bPair = ((SmVtab*)pVtab)->eKind==SM_PAIR;
  int nKey = bPair ? 4 : 5;                           /* key columns */
  int iSrcCol = bPair ? 9 : 17;                       /* src_private */
  int i, eDistinct, iSrc = -1, iDst = -1, nArg = 0;
  pInfo->estimatedRows = 1048576;
  pInfo->estimatedCost = 1048576.0 * 4;
  for(i=0; i<pInfo->nConstraint; i++){
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    if( !c->usable || c->op!=SQLITE_INDEX_CONSTRAINT_EQ ) continue;
    if( c->iColumn==iSrcCol && iSrc<0 ) iSrc = i;
    if( c->iColumn==iSrcCol+1 && iDst<0 ) iDst = i;
  }
  if( iSrc>=0 ){
    pInfo->aConstraintUsage[iSrc].argvIndex = ++nArg;
    pInfo->idxNum |= 1;
  }
  if( iDst>=0 ){
    pInfo->aConstraintUsage[iDst].argvIndex = ++nArg;
    pInfo->idxNum |= 2;
  }
  if( pInfo->nOrderBy<=0 ) return SQLITE_OK;
  eDistinct = sqlite3_vtab_distinct(pInfo);
  if( eDistinct!=0 && eDistinct!=1 ) return SQLITE_OK;
  for(i=0; i<pInfo->nOrderBy; i++){
    if( pInfo->aOrderBy[i].iColumn!=i || pInfo->aOrderBy[i].desc ) return SQLITE_OK;
  }
  if( pInfo->nOrderBy<=nKey ) pInfo->orderByConsumed = 1;
  return SQLITE_OK;
}

static int smOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  (void)pVtab;
  return vf_day_cursor_open(sizeof(SmCursor), ppCur);
}

static int smClose(sqlite3_vtab_cursor *pCur){
  SmCursor *p = (SmCursor*)pCur;
  vf_day_unref(p->r.pDay);
  sqlite3_free(p);
  return SQLITE_OK;
}

/* What src_private = v or dst_private = v wants of a row's flag (aPriv:
** 0, 1, 2 = NULL): 0 or 1; 255 for another integer (no row: a flag is 0
** or 1, and NULL equals nothing); -1 for a value that is not an integer
** (every row, and SQLite decides). */
static int sm_priv_wanted(sqlite3_value *v){
  sqlite3_int64 x;
  if( sqlite3_value_type(v)!=SQLITE_INTEGER ) return -1;
  x = sqlite3_value_int64(v);
  return x==0 || x==1 ? (int)x : 255;
}

/* Does flag (aPriv: 0, 1, 2 = NULL) give what iWant asks? */
static int sm_priv_ok(u8 flag, int iWant){
  return iWant<0 || (int)flag==iWant;
}

/* Move to the first row at or after iRow whose flags are wanted. */
static void sm_skip(SmCursor *p){
  const VfDay *d = p->r.pDay;
  int bAtt = ((SmVtab*)p->r.base.pVtab)->eKind==SM_ATT_PORT;
  if( p->iSrcPriv<0 && p->iDstPriv<0 ) return;
  while( p->r.iRow<p->r.nRow ){
    u32 src, dst;
    if( bAtt ){
      const SmAtt *g = &p->s->aAtt[p->r.iRow];
      src = g->src; dst = g->dst;
    }else{
      const SmPair *g = &p->s->aPair[p->r.iRow];
      src = g->src; dst = g->dst;
    }
    if( sm_priv_ok(d->aPriv[src], p->iSrcPriv)
     && sm_priv_ok(d->aPriv[dst], p->iDstPriv) ) return;
    p->r.iRow++;
  }
}

static int smFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  SmCursor *p = (SmCursor*)pCur;
  SmVtab *pTab = (SmVtab*)pCur->pVtab;
  SmDay *s;
  int rc, iArg = 0;
  (void)idxStr;
  p->r.nRow = p->r.iRow = 0;
  p->s = 0;
  p->iSrcPriv = p->iDstPriv = -1;
  if( (idxNum & 1) && iArg<argc ) p->iSrcPriv = sm_priv_wanted(argv[iArg++]);
  if( (idxNum & 2) && iArg<argc ) p->iDstPriv = sm_priv_wanted(argv[iArg++]);
  if( vf_day_hold(pCur->pVtab, pTab->eKind==SM_PAIR ? "vpcflow_pair"
                  : "vpcflow_att_port", &p->r.pDay) ) return SQLITE_ERROR;
  rc = sm_day_ready(p->r.pDay, &s);
  if( rc ) return rc;
  p->s = s;
  p->r.nRow = pTab->eKind==SM_PAIR ? s->nPair : s->nAtt;
  sm_skip(p);
  return SQLITE_OK;
}

static int smNext(sqlite3_vtab_cursor *pCur){
  SmCursor *p = (SmCursor*)pCur;
  p->r.iRow++;
  sm_skip(p);
  return SQLITE_OK;
}

/* A time offset of the day as a result (NULL32 = NULL). */
static void sm_result_time(sqlite3_context *ctx, const VfDay *d, i32 v){
  if( v!=VF_DAY_NULL32 ) sqlite3_result_int64(ctx, (i64)v + d->iBase);
}

/* is_private() of an id as a result: 0, 1, or NULL (2). */
static void sm_result_priv(sqlite3_context *ctx, const VfDay *d, u32 id){
  u8 pr = d->aPriv[id];
  if( pr<2 ) sqlite3_result_int(ctx, pr);
}

static int smColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  SmCursor *p = (SmCursor*)pCur;
  const VfDay *d = p->r.pDay;
  if( ((SmVtab*)pCur->pVtab)->eKind==SM_ATT_PORT ){
    const SmAtt *g = &p->s->aAtt[p->r.iRow];
    switch( iCol ){
      case 0: vf_day_result_id(ctx, d, g->src); break;
      case 1: vf_day_result_id(ctx, d, g->dst); break;
      case 2: if( !(g->f & SMA_PROTO_NULL) ) sqlite3_result_int(ctx, g->proto); break;
      case 3: if( !(g->f & SMA_DPORT_NULL) ) sqlite3_result_int(ctx, g->dport); break;
      case 4: vf_day_result_id(ctx, d, g->dsvc); break;
      case 5: sqlite3_result_int64(ctx, g->n); break;
      case 6: sqlite3_result_int64(ctx, g->nAction); break;
      case 7: if( g->f & SMA_ACTION ) sqlite3_result_int64(ctx, g->rejected); break;
      case 8: if( g->f & SMA_ACTION ) sqlite3_result_int64(ctx, g->accepted); break;
      case 9: sqlite3_result_int64(ctx, g->nFailed); break;
      case 10: if( g->f & SMA_FAILED ) sqlite3_result_int64(ctx, g->failed); break;
      case 11: sqlite3_result_int64(ctx, g->answered); break;
      case 12: sqlite3_result_int(ctx, (g->f & SMA_ANS_MAX)!=0); break;
      case 13: if( g->f & SMA_ACC_ANS ) sqlite3_result_int64(ctx, g->accAns); break;
      case 14: sqlite3_result_int64(ctx, g->conns); break;
      case 15: sm_result_time(ctx, d, g->t0); break;
      case 16: sm_result_time(ctx, d, g->t1); break;
      case 17: sm_result_priv(ctx, d, g->src); break;
      default: sm_result_priv(ctx, d, g->dst); break;
    }
  }else{
    const SmPair *g = &p->s->aPair[p->r.iRow];
    switch( iCol ){
      case 0: vf_day_result_id(ctx, d, g->src); break;
      case 1: vf_day_result_id(ctx, d, g->dst); break;
      case 2: vf_day_result_id(ctx, d, g->ssvc); break;
      case 3: vf_day_result_id(ctx, d, g->dsvc); break;
      case 4: sqlite3_result_int64(ctx, g->n); break;
      case 5: if( g->f & SMP_BYTES ) sqlite3_result_int64(ctx, g->bytes); break;
      case 6: if( g->f & SMP_PACKETS ) sqlite3_result_int64(ctx, g->packets); break;
      case 7: sm_result_time(ctx, d, g->t0); break;
      case 8: sm_result_time(ctx, d, g->t1); break;
      case 9: sm_result_priv(ctx, d, g->src); break;
      default: sm_result_priv(ctx, d, g->dst); break;
    }
  }
  return SQLITE_OK;
}

static const sqlite3_module smModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = smConnect,
  .xBestIndex  = smBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = smOpen,
  .xClose      = smClose,
  .xFilter     = smFilter,
  .xNext       = smNext,
  .xEof        = vfDayRowsEof,
  .xColumn     = smColumn,
  .xRowid      = vfDayRowsRowid,
};

/* Register vpcflow_att_port and vpcflow_pair over pSlot. */
int vf_day_summary_register(sqlite3 *db, VfDaySlot *pSlot){
  int rc = sqlite3_create_module_v2(db, "vpcflow_att_port", &smModule, pSlot, 0);
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_module_v2(db, "vpcflow_pair", &smModule, pSlot, 0);
  }
  return rc;
}
