/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day_newdest.c - vpcflow_new_dest: the records sql/detections/
** new_destination.sql reads, those of (host, internet peer) pairs first
** seen at or after the baseline cut, sent by hosts active before it,
** from the prepared day (day.h).
**
** Usage (after sql/prepare.sql):
**
**   SELECT src, dst, protocol, dstport, bytes FROM vpcflow_new_dest
**    WHERE cut = (SELECT cut FROM vpcflow_span);
**
** Its rows and values are those of
**
**   SELECT src, dst, protocol, dstport, bytes, start, "end", answered,
**          conn_start, resp
**     FROM flows_t
**    WHERE src_private = 1 AND dst_private = 0 AND dst_service IS NULL
**      AND (src, dst) IN (SELECT src, dst FROM flows_t
**                          WHERE src_private = 1 AND dst_private = 0
**                            AND dst_service IS NULL
**                          GROUP BY src, dst HAVING min(start) >= CUT)
**      AND src IN (SELECT src FROM flows_t WHERE src_private = 1
**                   GROUP BY src HAVING min(start) < CUT)
**
** in flows_t's order (new_destination reads them through an automatic
** index, so its answer does not depend on it). The first set is the
** detection's new pairs, from `pair` (min of pair's t0 is the min start
** of the same records); the second its active hosts (vpcflow_senders'
** t0). CUT is the hidden column cut, which a scan must constrain with =:
** an integer or a real; any other value (NULL, text) gives no row, as the
** comparisons above would. tests/unit/test_day_newdest.c checks it by hand
** on a small day and against the SQL above on a generated one; through
** new_destination, tests/hunt/det_current.sh and the detect_reference
** cases compare it with the detection's reference copies.
**
** Without a prepared day it is an error saying to read sql/prepare.sql.
** Eponymous and DIRECT-ONLY, like the tables of day.c.
**
** HOW IT WORKS
**
** The same question in SQL reads a few hundred thousand records per
** million and looks each (src, dst) up in the list of new pairs: about
** 1 us a record. Here one walk of the traffic records takes each
** source's first start (an array indexed by interned id: equal text is
** one id, day.h) and each candidate pair's first start (an
** open-addressing table keyed by the two ids), and a second walk lists
** the records whose pair and source pass the cut.
*/
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

#define ND_SCHEMA "CREATE TABLE x(src TEXT, dst TEXT, protocol INTEGER," \
  " dstport INTEGER, bytes INTEGER, start INTEGER, \"end\" INTEGER," \
  " answered INTEGER, conn_start INTEGER, resp INTEGER, cut HIDDEN)"
#define ND_COL_CUT 10

typedef VfDayVtab NdVtab;         /* day.h: the slot it reads */

typedef struct NdCursor NdCursor;
struct NdCursor {
  VfDayRows r;                   /* the day, nRow, iRow (day.h) */
  u32 *aRec;                     /* nRow record numbers, in traffic order */
};

/* A record of a candidate pair: private source, public destination, no
** AWS service as the destination. */
static int nd_candidate(const VfDay *d, u32 i){
  const NormRec *r = &d->aRec[i];
  return d->aPriv[r->src]==1 && d->aPriv[r->dst]==0 && d->aExt[i].dsvc==0;
}

/* (src, dst) -> first start, open addressing; t==VF_DAY_NULL64 marks a
** free slot (a pair enters only with a start). */
typedef struct NdSlot NdSlot;
struct NdSlot { u64 key; i64 t; };
typedef struct NdHash NdHash;
struct NdHash { NdSlot *a; u64 nSlot, nUsed; };

static u64 nd_hash(u64 x){       /* splitmix64's finaliser */
  x ^= x>>30; x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x>>27; x *= 0x94d049bb133111ebULL;
  return x ^ (x>>31);
}

static NdSlot *nd_find(const NdHash *h, u64 key){
  u64 j = nd_hash(key) & (h->nSlot-1);
  while( h->a[j].t!=VF_DAY_NULL64 && h->a[j].key!=key ) j = (j+1) & (h->nSlot-1);
  return &h->a[j];
}

static int nd_grow(NdHash *h){
  u64 nNew = h->nSlot ? h->nSlot*2 : 1024, i;
  NdHash g;
  g.a = vf_store_alloc(nNew*sizeof(NdSlot));
  if( g.a==0 ) return SQLITE_NOMEM;
  g.nSlot = nNew;
  g.nUsed = h->nUsed;
  for(i=0; i<nNew; i++) g.a[i].t = VF_DAY_NULL64;
  for(i=0; i<h->nSlot; i++){
    if( h->a[i].t!=VF_DAY_NULL64 ) *nd_find(&g, h->a[i].key) = h->a[i];
  }
  vf_store_free(h->a);
  *h = g;
  return SQLITE_OK;
}

/* Fold start t into the pair's first start. */
static int nd_pair_min(NdHash *h, u64 key, i64 t){
  NdSlot *s;
  if( (h->nUsed+1)*2>h->nSlot && nd_grow(h) ) return SQLITE_NOMEM;
  s = nd_find(h, key);
  if( s->t==VF_DAY_NULL64 ){ s->key = key; s->t = t; h->nUsed++; }
  else if( t<s->t ) s->t = t;
  return SQLITE_OK;
}

/* start >= cut (bGe) or start < cut, for an integer or a real cut */
static int nd_cmp(i64 t, int bInt, i64 iCut, double rCut, int bGe){
  if( bInt ) return bGe ? t>=iCut : t<iCut;
  return bGe ? (double)t>=rCut : (double)t<rCut;
}

static int nd_build(NdCursor *p, sqlite3_value *pCut){
  const VfDay *d = p->r.pDay;
  int eType = pCut ? sqlite3_value_type(pCut) : SQLITE_NULL;
  int bInt = eType==SQLITE_INTEGER;
  i64 iCut = bInt ? sqlite3_value_int64(pCut) : 0;
  double rCut = eType==SQLITE_FLOAT ? sqlite3_value_double(pCut) : 0.0;
  i64 *aSrc = 0, t, nOut = 0;
  NdHash h = {0, 0, 0};
  u32 i;
  int rc = SQLITE_OK;
  if( !bInt && eType!=SQLITE_FLOAT ) return SQLITE_OK;   /* no row */
  if( eType==SQLITE_FLOAT && rCut!=rCut ) return SQLITE_OK;
  /* the day's store (day_store.h): past its memory budget these live in
  ** its file with the day; aRec is cut to its rows below */
  aSrc = vf_store_alloc((d->nStr ? d->nStr : 1)*sizeof(i64));
  p->aRec = vf_store_alloc((d->nTraffic ? d->nTraffic : 1)*sizeof(u32));
  if( aSrc==0 || p->aRec==0 ){ rc = SQLITE_NOMEM; goto done; }
  for(i=0; i<d->nStr; i++) aSrc[i] = VF_DAY_NULL64;
  /* first walk: each source's first start, each candidate pair's */
  for(t=0; t<d->nTraffic; t++){
    u32 k = d->aTraffic[t];
    const NormRec *r = &d->aRec[k];
    i64 s;
    if( r->in & NR_START_NULL ) continue;       /* min() skips NULL */
    s = (i64)r->start + d->iBase;
    if( aSrc[r->src]==VF_DAY_NULL64 || s<aSrc[r->src] ) aSrc[r->src] = s;
    if( nd_candidate(d, k) ){
      rc = nd_pair_min(&h, ((u64)r->src<<32) | r->dst, s);
      if( rc ) goto done;
    }
  }
  /* second walk: the records of new pairs of active sources */
  for(t=0; t<d->nTraffic && h.nUsed; t++){
    u32 k = d->aTraffic[t];
    const NormRec *r = &d->aRec[k];
    const NdSlot *s;
    if( !nd_candidate(d, k) ) continue;
    if( aSrc[r->src]==VF_DAY_NULL64 || !nd_cmp(aSrc[r->src], bInt, iCut, rCut, 0) ) continue;
    s = nd_find(&h, ((u64)r->src<<32) | r->dst);
    if( s->t==VF_DAY_NULL64 || !nd_cmp(s->t, bInt, iCut, rCut, 1) ) continue;
    p->aRec[nOut++] = k;
  }
  p->r.nRow = nOut;
  if( nOut>0 && nOut<d->nTraffic ){
    u32 *aNew = vf_store_realloc(p->aRec, (size_t)nOut*sizeof(u32));
    if( aNew ) p->aRec = aNew;   /* a failed shrink keeps the larger array */
  }
done:
  vf_store_free(aSrc);
  vf_store_free(h.a);
  return rc;
}

static int ndConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  (void)argc; (void)argv; (void)pzErr;
  return vf_day_vtab_connect(db, pAux, ND_SCHEMA, sizeof(NdVtab), ppVtab);
}

/* Only a plan with cut = value: without a cut there is no answer. */
static int ndBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  int i;
  (void)pVtab;
  for(i=0; i<pInfo->nConstraint; i++){
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    if( c->usable && c->iColumn==ND_COL_CUT && c->op==SQLITE_INDEX_CONSTRAINT_EQ ){
      pInfo->aConstraintUsage[i].argvIndex = 1;
      pInfo->aConstraintUsage[i].omit = 1;   /* the rows are those of that cut */
      pInfo->estimatedCost = 1e6;
      pInfo->estimatedRows = 10000;
      return SQLITE_OK;
    }
  }
  return SQLITE_CONSTRAINT;
}

static int ndOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  (void)pVtab;
  return vf_day_cursor_open(sizeof(NdCursor), ppCur);
}

static void nd_reset(NdCursor *p){
  vf_store_free(p->aRec);
  p->aRec = 0;
  p->r.nRow = p->r.iRow = 0;
  vf_day_unref(p->r.pDay);
  p->r.pDay = 0;
}

static int ndClose(sqlite3_vtab_cursor *pCur){
  nd_reset((NdCursor*)pCur);
  sqlite3_free(pCur);
  return SQLITE_OK;
}

static int ndFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  NdCursor *p = (NdCursor*)pCur;
  (void)idxNum; (void)idxStr;
  nd_reset(p);
  if( vf_day_hold(pCur->pVtab, "vpcflow_new_dest", &p->r.pDay) ) return SQLITE_ERROR;
  return nd_build(p, argc>0 ? argv[0] : 0);
}

static int ndColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  NdCursor *p = (NdCursor*)pCur;
  const VfDay *d = p->r.pDay;
  u32 k = p->aRec[p->r.iRow];
  const NormRec *r = &d->aRec[k];
  const VfDayRec *x = &d->aExt[k];
  switch( iCol ){
    case 0: vf_day_result_id(ctx, d, r->src); break;
    case 1: vf_day_result_id(ctx, d, r->dst); break;
    case 2: if( !(r->in & NR_PROTO_NULL) ) sqlite3_result_int(ctx, r->proto); break;
    case 3: if( !(r->in & NR_DPORT_NULL) ) sqlite3_result_int(ctx, r->dport); break;
    case 4: if( x->bytes!=VF_DAY_NULL64 ) sqlite3_result_int64(ctx, x->bytes); break;
    case 5: if( !(r->in & NR_START_NULL) ) sqlite3_result_int64(ctx, (i64)r->start + d->iBase); break;
    case 6: if( x->end!=VF_DAY_NULL32 ) sqlite3_result_int64(ctx, (i64)x->end + d->iBase); break;
    case 7: sqlite3_result_int(ctx, (r->out & NO_ANSWERED)!=0); break;
    case 8: sqlite3_result_int(ctx, (r->out & NO_CONNSTART)!=0); break;
    case 9: sqlite3_result_int(ctx, (r->out & NO_RESP)!=0); break;
    default: break;                             /* cut: not kept */
  }
  return SQLITE_OK;
}

static const sqlite3_module ndModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = ndConnect,
  .xBestIndex  = ndBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = ndOpen,
  .xClose      = ndClose,
  .xFilter     = ndFilter,
  .xNext       = vfDayRowsNext,
  .xEof        = vfDayRowsEof,
  .xColumn     = ndColumn,
  .xRowid      = vfDayRowsRowid,
};

/* Register vpcflow_new_dest over the connection's day slot. */
int vf_day_newdest_register(sqlite3 *db, VfDaySlot *pSlot){
  return sqlite3_create_module_v2(db, "vpcflow_new_dest", &ndModule, pSlot, 0);
}
