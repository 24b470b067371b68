/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day_senders.c - vpcflow_senders: every source address of the prepared
** day's traffic (day.h) with its record count and first and last start,
** for sql/detections/new_destination.sql ("was this host active in the
** baseline?").
**
** Usage (after sql/prepare.sql):
**
**   SELECT src FROM vpcflow_senders WHERE src_private = 1 AND t0 < 1770900000;
**
** Its rows and values are those of
**
**   SELECT src, count(*) AS n, min(start) AS t0, max(start) AS t1,
**          src_private
**     FROM flows_t WHERE src_private IS NOT NULL GROUP BY src
**
** (t0, t1 NULL when no record of the source has a start), in no
** particular order: add ORDER BY where order matters. Only sources that
** are addresses (src_private is not NULL): those are text, and equal text
** is one interned id of the day, so a group is an id.
** tests/unit/test_day_senders.c checks it by hand on a small day and
** tests/hunt/det_current.sh through new_destination on larger ones.
**
** Without a prepared day it is an error saying to read sql/prepare.sql.
** Eponymous and DIRECT-ONLY, like the tables of day.c.
**
** HOW IT WORKS
**
** The day interns every text value, and equal text is one id (day.h), so
** the groups are the source ids: one walk of the traffic records fills
** three arrays indexed by id, and the scan lists the ids that were seen.
** The same question in SQL over flows_t is a read of every record with a
** column value per row and a test against a subquery's value that the
** traffic table cannot take in C (it is no constant when the statement is
** planned): about 1 s at 10 M records, against a few tens of ms here.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "day.h"
#include "day_store.h"

typedef int64_t i64;
typedef uint32_t u32;

#define SN_SCHEMA "CREATE TABLE x(src TEXT, n INTEGER, t0 INTEGER, t1 INTEGER," \
  " src_private INTEGER)"

typedef VfDayVtab SnVtab;         /* day.h: the slot it reads */

typedef struct SnCursor SnCursor;
struct SnCursor {
  sqlite3_vtab_cursor base;      /* Base class - must be first */
  VfDay *pDay;                   /* held while the cursor is open */
  i64 *aN;                       /* per id: records with that src */
  i64 *aT0, *aT1;                /* per id: min/max start, VF_DAY_NULL64 = NULL */
  u32 iId;                       /* current id (one with aN[iId] > 0) */
};

static void sn_reset(SnCursor *p){
  vf_store_free(p->aN); vf_store_free(p->aT0); vf_store_free(p->aT1);
  p->aN = p->aT0 = p->aT1 = 0;
  p->iId = 0;
  vf_day_unref(p->pDay);
  p->pDay = 0;
}

/* Count, first and last start per source id, in one walk. */
static int sn_build(SnCursor *p){
  const VfDay *d = p->pDay;
  size_t nStr = d->nStr ? d->nStr : 1;
  i64 t;
  u32 i;
  /* per interned value: the day's store (day_store.h), which has them
  ** in its file with the day once that is past its memory budget */
  p->aN = vf_store_calloc(nStr, sizeof(i64));
  p->aT0 = vf_store_alloc(nStr*sizeof(i64));
  p->aT1 = vf_store_alloc(nStr*sizeof(i64));
  if( p->aN==0 || p->aT0==0 || p->aT1==0 ) return SQLITE_NOMEM;
  for(i=0; i<nStr; i++) p->aT0[i] = p->aT1[i] = VF_DAY_NULL64;
  for(t=0; t<d->nTraffic; t++){
    const NormRec *r = &d->aRec[d->aTraffic[t]];
    if( r->src==0 ) continue;                 /* src IS NULL: no group */
    p->aN[r->src]++;
    if( !(r->in & NR_START_NULL) ){
      i64 s = (i64)r->start + d->iBase;
      if( p->aT0[r->src]==VF_DAY_NULL64 || s<p->aT0[r->src] ) p->aT0[r->src] = s;
      if( p->aT1[r->src]==VF_DAY_NULL64 || s>p->aT1[r->src] ) p->aT1[r->src] = s;
    }
  }
  return SQLITE_OK;
}

/* Move to the first id at or after i that is a source and an address. */
static void sn_seek(SnCursor *p, u32 i){
  while( i<p->pDay->nStr && (p->aN[i]==0 || p->pDay->aPriv[i]>1) ) i++;
  p->iId = i;
}

static int snConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  (void)argc; (void)argv; (void)pzErr;
  return vf_day_vtab_connect(db, pAux, SN_SCHEMA, sizeof(SnVtab), ppVtab);
}

/* No constraint is used: every scan builds the whole table. */
static int snBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  (void)pVtab;
  pInfo->estimatedCost = 1e6;
  pInfo->estimatedRows = 10000;
  return SQLITE_OK;
}

static int snOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  (void)pVtab;
  return vf_day_cursor_open(sizeof(SnCursor), ppCur);
}

static int snClose(sqlite3_vtab_cursor *pCur){
  sn_reset((SnCursor*)pCur);
  sqlite3_free(pCur);
  return SQLITE_OK;
}

static int snFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  SnCursor *p = (SnCursor*)pCur;
  SnVtab *pTab = (SnVtab*)pCur->pVtab;
  int rc;
  (void)idxNum; (void)idxStr; (void)argc; (void)argv;
  sn_reset(p);
  if( vf_day_hold(&pTab->base, "vpcflow_senders", &p->pDay) ) return SQLITE_ERROR;
  rc = sn_build(p);
  if( rc ) return rc;
  sn_seek(p, 1);
  return SQLITE_OK;
}

static int snNext(sqlite3_vtab_cursor *pCur){
  SnCursor *p = (SnCursor*)pCur;
  sn_seek(p, p->iId+1);
  return SQLITE_OK;
}

static int snEof(sqlite3_vtab_cursor *pCur){
  SnCursor *p = (SnCursor*)pCur;
  return p->pDay==0 || p->iId>=p->pDay->nStr;
}

static int snColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  SnCursor *p = (SnCursor*)pCur;
  const VfDay *d = p->pDay;
  u32 id = p->iId;
  switch( iCol ){
    case 0: vf_day_result_id(ctx, d, id); break;
    case 1: sqlite3_result_int64(ctx, p->aN[id]); break;
    case 2: if( p->aT0[id]!=VF_DAY_NULL64 ) sqlite3_result_int64(ctx, p->aT0[id]); break;
    case 3: if( p->aT1[id]!=VF_DAY_NULL64 ) sqlite3_result_int64(ctx, p->aT1[id]); break;
    default: sqlite3_result_int(ctx, d->aPriv[id]); break;
  }
  return SQLITE_OK;
}

static int snRowid(sqlite3_vtab_cursor *pCur, sqlite3_int64 *pRowid){
  *pRowid = ((SnCursor*)pCur)->iId;
  return SQLITE_OK;
}

static const sqlite3_module snModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = snConnect,
  .xBestIndex  = snBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = snOpen,
  .xClose      = snClose,
  .xFilter     = snFilter,
  .xNext       = snNext,
  .xEof        = snEof,
  .xColumn     = snColumn,
  .xRowid      = snRowid,
};

/* Register vpcflow_senders over the connection's day slot. */
int vf_day_senders_register(sqlite3 *db, VfDaySlot *pSlot){
  return sqlite3_create_module_v2(db, "vpcflow_senders", &snModule, pSlot, 0);
}
