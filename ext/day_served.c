/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day_served.c - vpcflow_served: the internet sources that a service
** inside the VPC accepted AND answered, from the prepared day (day.h),
** for sql/detections/exposed_service.sql.
**
** Usage (after sql/prepare.sql):
**
**   SELECT dst, dstport, protocol, src, n, t0, t1 FROM vpcflow_served;
**
** One row per (dst, dstport, protocol, src): the inbound connection
** attempts from a public source to a private destination that were
** accepted and answered, where "answered" is the strict form
** exposed_service uses (a SYN-ACK, not just any reply): n records, t0 and
** t1 the first and last start. Its rows, values and order are those of
**
**   WITH ok AS (
**     SELECT o.rowid AS id, o.* FROM flows_t AS o
**      WHERE o.resp = 0 AND o.src_private = 0 AND o.dst_private = 1
**        AND o.dstport IS NOT NULL AND o.action = 'ACCEPT' AND o.answered = 1
**        AND EXISTS (SELECT 1 FROM flows_t AS r
**                     WHERE r.src_private = 1 AND r.dst_private = 0
**                       AND (r.protocol <> 6 OR r.tcp_flags IS NULL
**                            OR (r.tcp_flags & 18) = 18)
**                       AND r.src = o.dst AND r.dst = o.src
**                       AND r.srcport = o.dstport AND r.dstport = o.srcport
**                       AND r.protocol = o.protocol
**                       AND r.start BETWEEN o.start - 120 AND o.start + 120))
**   SELECT dst, dstport, protocol, src, count(*) AS n,
**          min(start) AS t0, max(start) AS t1
**     FROM ok GROUP BY dst, dstport, protocol, src
**    ORDER BY dst, dstport, protocol, min(id);
**
** that is: GROUP BY order of (dst, dstport, protocol), and within one
** service the sources in the order of their first answered record in
** flows_t, so that a GROUP BY dst, dstport, protocol over this table
** (SQLite's sorter keeps equal keys in input order) sees the sources in
** the order the raw rows had: group_concat() gives the same list.
** tests/shell/detect_served.sql compares it with that SQL.
**
** Without a prepared day it is an error saying to read sql/prepare.sql.
** Eponymous and DIRECT-ONLY, like the tables of day.c.
**
** HOW IT WORKS
**
** The SQL above is a correlated lookup per attempt into a few million
** replies: SQLite materialises both sides and builds an automatic index
** (8.5 s CPU at 10 M records). Here one walk of the traffic records picks
** the attempts (kind O) and the possible replies (kind R: private source,
** public destination, no NULL in the 5-tuple or start, SYN-ACK or no
** tcp-flags when TCP). Each is keyed by the hash of its 5-tuple oriented
** from the outside (an attempt's src, dst, srcport, dstport, protocol; a
** reply's dst, src, dstport, srcport, protocol), so an attempt and its
** replies hash alike; a 2^22-bit filter of the attempts' hashes drops
** the replies to nothing. The rest are radix-sorted by (hash, start)
** (vf_day_sort) and each attempt looks at its run's records within
** +-120 s for a reply with the exact reversed tuple (a hash collision
** costs time, never a wrong answer). The attempts that pass are then
** folded per (dst, dstport, protocol, src) with one hash table, in the
** order of flows_t, and the groups sorted by the BINARY rank of dst,
** dstport, protocol, then first record.
**
** The prepared day keeps `answered` (a reverse record of any kind within
** 120 s); the attempt test keeps that condition, as the SQL does, so an
** attempt without any reply is never looked up.
*/
#define _GNU_SOURCE 1   /* qsort_r */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "day.h"
#include "day_store.h"

typedef int64_t i64;
typedef uint64_t u64;
typedef uint32_t u32;
typedef uint8_t u8;

#define SV_WINDOW 120            /* seconds either side (prepare.sql's answered) */
#define SV_FILTER_BITS 22        /* the attempts' hash filter: 512 KiB */

#define SV_SCHEMA "CREATE TABLE x(dst TEXT, dstport INTEGER, protocol INTEGER," \
  " src TEXT, n INTEGER, t0 INTEGER, t1 INTEGER)"

typedef struct SvGroup SvGroup;
struct SvGroup {
  u32 dst, src;                  /* interned ids */
  u32 rank;                      /* BINARY rank of dst (set before sorting) */
  u32 iFirst;                    /* creation order = order of the first record */
  uint16_t dport;                /* dstport */
  u8 proto;                      /* protocol */
  i64 n;                         /* records */
  i64 t0, t1;                    /* min(start), max(start) */
};

typedef VfDayVtab SvVtab;         /* day.h: the slot it reads */

typedef struct SvCursor SvCursor;
struct SvCursor {
  VfDayRows r;               /* the day, nRow, iRow (day.h) */
  SvGroup *aGrp;                 /* the rows, in output order */
};

/* Is record r an attempt of the SQL's `ok` before the reply lookup? The
** NULL tests are those under which the lookup's `=` can be true. */
static int sv_is_attempt(const VfDay *d, const NormRec *r, const VfDayRec *x){
  const NormStr *e;
  if( (r->out & NO_RESP) || !(r->out & NO_ANSWERED) ) return 0;
  if( d->aPriv[r->src]!=0 || d->aPriv[r->dst]!=1 ) return 0;
  if( r->in & (NR_SPORT_NULL|NR_DPORT_NULL|NR_PROTO_NULL|NR_START_NULL) ) return 0;
  if( x->action==0 ) return 0;
  e = &d->aStr[x->action];
  return e->tag!='b' && e->nLen==6 && memcmp(d->aBuf+e->iOff, "ACCEPT", 6)==0;
}

/* Could record r be the reply the lookup wants (any attempt's)? */
static int sv_is_reply(const VfDay *d, const NormRec *r, const VfDayRec *x){
  if( d->aPriv[r->src]!=1 || d->aPriv[r->dst]!=0 ) return 0;
  if( r->in & (NR_SPORT_NULL|NR_DPORT_NULL|NR_PROTO_NULL|NR_START_NULL) ) return 0;
  return r->proto!=6 || x->tcpf==VF_DAY_NULL32 || (x->tcpf & 18)==18;
}

/* Hash of a 5-tuple oriented from the outside: (outer address, inner
** address, outer port, inner port, protocol). */
static u64 sv_hash(u32 outer, u32 inner, u32 oport, u32 iport, u32 proto){
  u64 h = (u64)outer*0x9e3779b97f4a7c15ULL ^ (u64)inner*0xc2b2ae3d27d4eb4fULL
        ^ (((u64)oport<<24 | (u64)iport<<8 | proto)*0x165667b19e3779f9ULL);
  h ^= h>>29; h *= 0xbf58476d1ce4e5b9ULL; h ^= h>>32;
  return h;
}
static u64 sv_hash_rec(const NormRec *r, int bReply){
  return bReply ? sv_hash(r->dst, r->src, r->dport, r->sport, r->proto)
                : sv_hash(r->src, r->dst, r->sport, r->dport, r->proto);
}

/* Is c the reversed 5-tuple of attempt o (no NULLs in either)? */
static int sv_reverses(const NormRec *o, const NormRec *c){
  return c->src==o->dst && c->dst==o->src && c->sport==o->dport
      && c->dport==o->sport && c->proto==o->proto;
}

/* SQLite's BINARY order of two text ids of the day. */
static int sv_cmp_ids(const VfDay *d, u32 a, u32 b){
  const NormStr *x = &d->aStr[a], *y = &d->aStr[b];
  u32 n = x->nLen<y->nLen ? x->nLen : y->nLen;
  int c = memcmp(d->aBuf+x->iOff, d->aBuf+y->iOff, n);
  if( c ) return c;
  return x->nLen<y->nLen ? -1 : x->nLen>y->nLen;
}

static int sv_cmp_dst(const void *a, const void *b, void *pArg){
  return sv_cmp_ids((const VfDay*)pArg, *(const u32*)a, *(const u32*)b);
}

/*
** Rank the distinct dst ids of the groups in BINARY order (equal bytes
** are one id: the day interns (tag, bytes), and every dst here is text).
*/
static int sv_rank(const VfDay *d, SvGroup *aGrp, i64 nGrp){
  u32 *aId, *aRank;
  i64 i, n = 0;
  u32 r = 0;
  aRank = vf_store_calloc(d->nStr ? d->nStr : 1, sizeof(u32));
  if( aRank==0 ) return SQLITE_NOMEM;
  for(i=0; i<nGrp; i++){
    if( aRank[aGrp[i].dst]==0 ){ aRank[aGrp[i].dst] = 1; n++; }
  }
  aId = vf_store_alloc(sizeof(u32)*(n ? n : 1));
  if( aId==0 ){ vf_store_free(aRank); return SQLITE_NOMEM; }
  for(i=0, n=0; i<nGrp; i++){
    if( aRank[aGrp[i].dst]==1 ){ aRank[aGrp[i].dst] = 2; aId[n++] = aGrp[i].dst; }
  }
  qsort_r(aId, (size_t)n, sizeof(u32), sv_cmp_dst, (void*)d);
  for(i=0; i<n; i++) aRank[aId[i]] = ++r;
  for(i=0; i<nGrp; i++) aGrp[i].rank = aRank[aGrp[i].dst];
  vf_store_free(aId); vf_store_free(aRank);
  return SQLITE_OK;
}

/*
** The attempts whose reply the lookup finds: set bit i of aPass for
** each such record i, and count them in *pnPass. Return SQLITE_OK or
** SQLITE_NOMEM.
*/
static int sv_answered(const VfDay *d, u8 *aPass, u64 *pnPass){
  u64 *aFilter = 0, *aKey = 0;
  u32 *aIdx = 0;
  u64 n = 0, t, i, j;
  i64 tMin = 0;
  int rc = SQLITE_OK, bAny = 0;
  aFilter = calloc((size_t)1<<(SV_FILTER_BITS-6), sizeof(u64));
  if( aFilter==0 ) return SQLITE_NOMEM;
  /* the attempts into the filter; count both kinds */
  for(t=0; t<(u64)d->nTraffic; t++){
    const NormRec *r = &d->aRec[d->aTraffic[t]];
    const VfDayRec *x = &d->aExt[d->aTraffic[t]];
    if( sv_is_attempt(d, r, x) ){
      u64 h = sv_hash_rec(r, 0) >> (64-SV_FILTER_BITS);
      aFilter[h>>6] |= (u64)1<<(h & 63);
      n++;
      if( !bAny || r->start<tMin ){ tMin = r->start; bAny = 1; }
    }
  }
  if( n==0 ){ free(aFilter); return SQLITE_OK; }
  for(t=0; t<(u64)d->nTraffic; t++){
    const NormRec *r = &d->aRec[d->aTraffic[t]];
    const VfDayRec *x = &d->aExt[d->aTraffic[t]];
    if( sv_is_reply(d, r, x) ){
      u64 h = sv_hash_rec(r, 1) >> (64-SV_FILTER_BITS);
      if( aFilter[h>>6] & ((u64)1<<(h & 63)) ){
        n++;
        if( r->start<tMin ) tMin = r->start;
      }
    }
  }
  /* one key and index per record it takes: the day's store, like the
  ** day's own sort arrays (day_store.h) */
  aKey = vf_store_alloc(sizeof(u64)*n);
  aIdx = vf_store_alloc(sizeof(u32)*n);
  if( aKey==0 || aIdx==0 ){ rc = SQLITE_NOMEM; goto done; }
  /* key: high 32 bits of the hash, then start (from tMin: starts are
  ** 32-bit offsets of the day, so the difference fits 32 bits) */
  for(t=0, j=0; t<(u64)d->nTraffic; t++){
    u32 k = d->aTraffic[t];
    const NormRec *r = &d->aRec[k];
    const VfDayRec *x = &d->aExt[k];
    int bReply;
    u64 h;
    if( sv_is_attempt(d, r, x) ){
      bReply = 0;
    }else if( sv_is_reply(d, r, x) ){
      u64 f = sv_hash_rec(r, 1) >> (64-SV_FILTER_BITS);
      if( (aFilter[f>>6] & ((u64)1<<(f & 63)))==0 ) continue;
      bReply = 1;
    }else{
      continue;
    }
    h = sv_hash_rec(r, bReply);
    aKey[j] = (h & 0xffffffff00000000ULL) | (u64)(u32)((i64)r->start - tMin);
    aIdx[j] = k;
    j++;
  }
  rc = vf_day_sort(aKey, aIdx, n);
  if( rc ) goto done;
  /* each attempt: a reply in its run within +-SV_WINDOW seconds */
  for(i=0; i<n; i++){
    const NormRec *o = &d->aRec[aIdx[i]];
    u64 hi = aKey[i]>>32;
    int bFound = 0;
    if( d->aPriv[o->src]!=0 ) continue;            /* a reply, not an attempt */
    for(j=i; !bFound && j>0 && (aKey[j-1]>>32)==hi; j--){
      const NormRec *c = &d->aRec[aIdx[j-1]];
      if( (i64)c->start < (i64)o->start - SV_WINDOW ) break;
      bFound = d->aPriv[c->src]==1 && sv_reverses(o, c);
    }
    for(j=i+1; !bFound && j<n && (aKey[j]>>32)==hi; j++){
      const NormRec *c = &d->aRec[aIdx[j]];
      if( (i64)c->start > (i64)o->start + SV_WINDOW ) break;
      bFound = d->aPriv[c->src]==1 && sv_reverses(o, c);
    }
    if( bFound ){
      aPass[aIdx[i]>>3] |= (u8)(1<<(aIdx[i] & 7));
      (*pnPass)++;
    }
  }
done:
  free(aFilter); vf_store_free(aKey); vf_store_free(aIdx);
  return rc;
}

/*
** Sort the groups by (rank of dst, dstport, protocol, creation order)
** with the day's radix sort, which is stable (the groups are in creation
** order: aGrp[i].iFirst is i), and a permutation into a new array:
** day-store blocks all three, where qsort() would malloc a copy of the
** array. Return SQLITE_OK or SQLITE_NOMEM.
*/
static int sv_sort_groups(SvCursor *p){
  i64 n = p->r.nRow, i;
  u64 *aKey = vf_store_alloc(sizeof(u64)*(size_t)n);
  u32 *aIdx = vf_store_alloc(sizeof(u32)*(size_t)n);
  SvGroup *aNew = 0;
  int rc = SQLITE_NOMEM;
  if( aKey && aIdx ){
    for(i=0; i<n; i++){
      const SvGroup *g = &p->aGrp[i];
      aKey[i] = (u64)g->rank<<24 | (u64)g->dport<<8 | g->proto;
      aIdx[i] = (u32)i;
    }
    rc = vf_day_sort(aKey, aIdx, (u64)n);
  }
  vf_store_free(aKey);
  if( rc==SQLITE_OK ){
    aNew = vf_store_alloc(sizeof(SvGroup)*(size_t)n);
    if( aNew==0 ) rc = SQLITE_NOMEM;
  }
  if( rc==SQLITE_OK ){
    for(i=0; i<n; i++) aNew[i] = p->aGrp[aIdx[i]];
    vf_store_free(p->aGrp);
    p->aGrp = aNew;
  }
  vf_store_free(aIdx);
  return rc;
}

/* Fold the answered attempts per (dst, dstport, protocol, src). */
static int sv_build(SvCursor *p){
  const VfDay *d = p->r.pDay;
  u8 *aPass;
  u32 *aSlot = 0;
  u64 mSlot, t, nPass = 0;
  i64 nAlloc = 0;
  int rc;
  /* the arrays that grow with the records are the day's store (past its
  ** budget they live in its file: day_store.h) */
  aPass = vf_store_calloc((size_t)(d->nRec/8 + 1), 1);
  if( aPass==0 ) return SQLITE_NOMEM;
  rc = sv_answered(d, aPass, &nPass);
  if( rc ){ vf_store_free(aPass); return rc; }
  /* at most nPass groups: the table stays at most half full */
  for(mSlot=1023; mSlot<nPass*2 && mSlot<((u64)1<<32)-1; mSlot=mSlot*2+1){}
  aSlot = vf_store_calloc(mSlot+1, sizeof(u32));  /* group index + 1, 0 = empty */
  if( aSlot==0 ){ vf_store_free(aPass); return SQLITE_NOMEM; }
  for(t=0; t<(u64)d->nTraffic; t++){
    u32 k = d->aTraffic[t];
    const NormRec *r = &d->aRec[k];
    i64 s = (i64)r->start + d->iBase;
    u64 h, j;
    SvGroup *g;
    if( (aPass[k>>3] & (1<<(k & 7)))==0 ) continue;
    h = sv_hash(r->src, r->dst, 0, r->dport, r->proto);
    for(j=h & mSlot; aSlot[j]; j=(j+1) & mSlot){
      g = &p->aGrp[aSlot[j]-1];
      if( g->dst==r->dst && g->src==r->src && g->dport==r->dport && g->proto==r->proto ) break;
    }
    if( aSlot[j]==0 ){
      if( p->r.nRow>=nAlloc ){
        i64 nNew = nAlloc ? nAlloc*2 : 1024;
        SvGroup *a = vf_store_realloc(p->aGrp, sizeof(SvGroup)*nNew);
        if( a==0 ){ rc = SQLITE_NOMEM; break; }
        p->aGrp = a; nAlloc = nNew;
      }
      g = &p->aGrp[p->r.nRow];
      memset(g, 0, sizeof(*g));
      g->dst = r->dst; g->src = r->src; g->dport = r->dport; g->proto = r->proto;
      g->iFirst = (u32)p->r.nRow;
      g->t0 = g->t1 = s;
      aSlot[j] = (u32)(++p->r.nRow);
    }
    g = &p->aGrp[aSlot[j]-1];
    g->n++;
    if( s<g->t0 ) g->t0 = s;
    if( s>g->t1 ) g->t1 = s;
  }
  vf_store_free(aPass); vf_store_free(aSlot);
  if( rc || p->r.nRow==0 ) return rc;           /* (aGrp is NULL when empty) */
  rc = sv_rank(d, p->aGrp, p->r.nRow);
  if( rc==SQLITE_OK ) rc = sv_sort_groups(p);
  return rc;
}

/* ------------------------------------------------------ the module */

static int svConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  (void)argc; (void)argv; (void)pzErr;
  return vf_day_vtab_connect(db, pAux, SV_SCHEMA, sizeof(SvVtab), ppVtab);
}

/* No constraint is used: the whole table is built per scan. */
static int svBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  (void)pVtab;
  pInfo->estimatedCost = 1e6;
  pInfo->estimatedRows = 10000;
  return SQLITE_OK;
}

static int svOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  (void)pVtab;
  return vf_day_cursor_open(sizeof(SvCursor), ppCur);
}

static void sv_reset(SvCursor *p){
  vf_store_free(p->aGrp);
  p->aGrp = 0;
  p->r.nRow = p->r.iRow = 0;
  vf_day_unref(p->r.pDay);
  p->r.pDay = 0;
}

static int svClose(sqlite3_vtab_cursor *pCur){
  sv_reset((SvCursor*)pCur);
  sqlite3_free(pCur);
  return SQLITE_OK;
}

static int svFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  SvCursor *p = (SvCursor*)pCur;
  SvVtab *pTab = (SvVtab*)pCur->pVtab;
  (void)idxNum; (void)idxStr; (void)argc; (void)argv;
  sv_reset(p);
  if( vf_day_hold(&pTab->base, "vpcflow_served", &p->r.pDay) ) return SQLITE_ERROR;
  return sv_build(p);
}



/* A text value of the day (src and dst here are always text). */
static int svColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  SvCursor *p = (SvCursor*)pCur;
  const SvGroup *g = &p->aGrp[p->r.iRow];
  switch( iCol ){
    case 0: vf_day_result_id(ctx, p->r.pDay, g->dst); break;
    case 1: sqlite3_result_int(ctx, g->dport); break;
    case 2: sqlite3_result_int(ctx, g->proto); break;
    case 3: vf_day_result_id(ctx, p->r.pDay, g->src); break;
    case 4: sqlite3_result_int64(ctx, g->n); break;
    case 5: sqlite3_result_int64(ctx, g->t0); break;
    default: sqlite3_result_int64(ctx, g->t1); break;
  }
  return SQLITE_OK;
}


static const sqlite3_module svModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = svConnect,
  .xBestIndex  = svBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = svOpen,
  .xClose      = svClose,
  .xFilter     = svFilter,
  .xNext       = vfDayRowsNext,
  .xEof        = vfDayRowsEof,
  .xColumn     = svColumn,
  .xRowid      = vfDayRowsRowid,
};

/* Register vpcflow_served over the connection's day slot. */
int vf_day_served_register(sqlite3 *db, VfDaySlot *pSlot){
  return sqlite3_create_module_v2(db, "vpcflow_served", &svModule, pSlot, 0);
}
