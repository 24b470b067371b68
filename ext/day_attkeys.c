/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day_attkeys.c - vpcflow_att_keys_port and vpcflow_att_keys_pair: how
** many connection attempts of the prepared day's traffic (day.h) fall in
** each (src, protocol, dstport) and each (src, dst), for the candidate
** gates of sql/detections/port_sweep.sql and port_scan.sql.
**
** Usage (after sql/prepare.sql):
**
**   SELECT src, protocol, dstport FROM vpcflow_att_keys_port WHERE n >= 100;
**   SELECT src, dst FROM vpcflow_att_keys_pair WHERE n >= 25;
**
** Their rows and values are those of
**
**   SELECT src, protocol, dstport, count(*) AS n FROM flows_t
**    WHERE resp = 0 AND dstport IS NOT NULL GROUP BY src, protocol, dstport
**
**   SELECT src, dst, count(*) AS n FROM flows_t
**    WHERE resp = 0 AND protocol IN (6, 17) AND dstport IS NOT NULL
**    GROUP BY src, dst
**
** in no particular order (they come sorted by interned id, not by text):
** add ORDER BY where order matters. A group's n bounds what a detection
** measures over it: addr_breadth(dst) of a (src, protocol, dstport) and
** port_breadth(dstport) of a (src, dst) cannot exceed its record count
** (nor can att_port's rows of it, which fold those records). So a gate
** "breadth >= T" needs only the groups of n >= T, and on random-address
** data (one record per group) that is almost none: the detections then
** group the few att_port rows of those keys instead of sorting all of
** them. tests/unit/test_day_attkeys.c checks both tables by hand on a
** small day and against the SQL above on a generated one;
** tests/shell/detect_attkeys.sql against it on the scenario (v5).
**
** Without a prepared day it is an error saying to read sql/prepare.sql.
** Eponymous and DIRECT-ONLY, like the tables of day.c.
**
** HOW IT WORKS
**
** A group is a 64-bit key of interned ids (equal text is one id, day.h):
** (src << 25 | protocol << 16 | dstport), protocol 256 standing for NULL,
** or (src << 32 | dst). A constraint n >= X or n > X with a number X is
** taken in C (SQLite still checks every row): with a threshold T > 1, a
** first walk of the records counts them into 2^22 hashed buckets at most
** (16 MiB); a bucket's count is at least the count of every group that
** hashes to it, so only the records of buckets that reach T can belong to
** a group that does. The second walk counts those records exactly in an
** open-addressing table of their keys, and the groups that reach T are
** the rows. Without such a constraint (or with X not a number) every
** group is counted exactly and returned, as the SQL above would. The rows
** are sorted by key so that a scan's order does not depend on hashing.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "day.h"
#include "day_store.h"

typedef int64_t i64;
typedef uint64_t u64;
typedef uint32_t u32;

#define AK_PORT 0                 /* vpcflow_att_keys_port */
#define AK_PAIR 1                 /* vpcflow_att_keys_pair */

#define AK_SCHEMA_PORT "CREATE TABLE x(src TEXT, protocol INTEGER," \
  " dstport INTEGER, n INTEGER)"
#define AK_SCHEMA_PAIR "CREATE TABLE x(src TEXT, dst TEXT, n INTEGER)"

#define AK_PROTO_NULL 256u        /* protocol IS NULL in a port key */
#define AK_SKETCH_MAX (1u<<22)    /* buckets of the first walk, at most */

typedef struct AkVtab AkVtab;
struct AkVtab {
  VfDayVtab d;                   /* Base class - must be first */
  int eKind;                     /* AK_PORT or AK_PAIR */
};

typedef struct AkRow AkRow;
struct AkRow {
  u64 key;                       /* the group (see HOW IT WORKS) */
  i64 n;                         /* its records */
};

typedef struct AkCursor AkCursor;
struct AkCursor {
  VfDayRows r;                   /* the day, nRow, iRow (day.h) */
  int eKind;
  AkRow *aRow;                   /* nRow rows, sorted by key */
};

/* The group of traffic record i, or 0 when it is no attempt of the
** table's kind (*pKey is then unset). */
static int ak_key(const VfDay *d, u32 i, int eKind, u64 *pKey){
  const NormRec *r = &d->aRec[i];
  if( (r->out & NO_RESP) || (r->in & NR_DPORT_NULL) ) return 0;
  if( eKind==AK_PORT ){
    u64 proto = (r->in & NR_PROTO_NULL) ? AK_PROTO_NULL : r->proto;
    *pKey = ((u64)r->src<<25) | (proto<<16) | r->dport;
  }else{
    if( (r->in & NR_PROTO_NULL) || (r->proto!=6 && r->proto!=17) ) return 0;
    *pKey = ((u64)r->src<<32) | r->dst;
  }
  return 1;
}

/* A 64-bit mix (splitmix64's finaliser): keys of nearby ids spread. */
static u64 ak_hash(u64 x){
  x ^= x>>30; x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x>>27; x *= 0x94d049bb133111ebULL;
  return x ^ (x>>31);
}

/* An open-addressing table of keys and counts; n==0 marks a free slot. */
typedef struct AkHash AkHash;
struct AkHash {
  AkRow *a;
  u64 nSlot, nUsed;              /* nSlot a power of two */
};

static int ak_hash_grow(AkHash *h){
  u64 nNew = h->nSlot ? h->nSlot*2 : 1024, i;
  AkRow *aNew = vf_store_calloc(nNew, sizeof(AkRow));   /* day_store.h */
  if( aNew==0 ) return SQLITE_NOMEM;
  for(i=0; i<h->nSlot; i++){
    if( h->a[i].n ){
      u64 j = ak_hash(h->a[i].key) & (nNew-1);
      while( aNew[j].n ) j = (j+1) & (nNew-1);
      aNew[j] = h->a[i];
    }
  }
  vf_store_free(h->a);
  h->a = aNew;
  h->nSlot = nNew;
  return SQLITE_OK;
}

/* Count one record of group key. */
static int ak_hash_add(AkHash *h, u64 key){
  u64 j;
  if( (h->nUsed+1)*2>h->nSlot && ak_hash_grow(h) ) return SQLITE_NOMEM;
  j = ak_hash(key) & (h->nSlot-1);
  while( h->a[j].n && h->a[j].key!=key ) j = (j+1) & (h->nSlot-1);
  if( h->a[j].n==0 ){ h->a[j].key = key; h->nUsed++; }
  h->a[j].n++;
  return SQLITE_OK;
}

static int ak_row_cmp(const void *a, const void *b){
  u64 x = ((const AkRow*)a)->key, y = ((const AkRow*)b)->key;
  return x<y ? -1 : x>y;
}

/* The groups of at least nMin records, into p->aRow. */
static int ak_build(AkCursor *p, u64 nMin){
  const VfDay *d = p->r.pDay;
  u32 *aSketch = 0;
  u64 nSketch = 0, key;
  AkHash h = {0, 0, 0};
  i64 t, nOut = 0;
  u64 i;
  if( nMin>1 ){
    nSketch = 1024;
    while( nSketch<AK_SKETCH_MAX && nSketch<(u64)d->nTraffic ) nSketch *= 2;
    aSketch = calloc(nSketch, sizeof(u32));
    if( aSketch==0 ) return SQLITE_NOMEM;
    for(t=0; t<d->nTraffic; t++){
      if( ak_key(d, d->aTraffic[t], p->eKind, &key) ){
        u32 *c = &aSketch[ak_hash(key) & (nSketch-1)];
        if( *c<UINT32_MAX ) (*c)++;
      }
    }
  }
  for(t=0; t<d->nTraffic; t++){
    if( !ak_key(d, d->aTraffic[t], p->eKind, &key) ) continue;
    if( aSketch && aSketch[ak_hash(key) & (nSketch-1)]<nMin ) continue;
    if( ak_hash_add(&h, key) ){ free(aSketch); vf_store_free(h.a); return SQLITE_NOMEM; }
  }
  free(aSketch);
  /* keep the groups that reach nMin, packed at the front of the table */
  for(i=0; i<h.nSlot; i++){
    if( h.a[i].n && (u64)h.a[i].n>=nMin ) h.a[nOut++] = h.a[i];
  }
  if( nOut>1 ) qsort(h.a, (size_t)nOut, sizeof(AkRow), ak_row_cmp);
  p->aRow = h.a;
  p->r.nRow = nOut;
  return SQLITE_OK;
}

static int akConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  int rc;
  int eKind = strcmp(argv[0], "vpcflow_att_keys_pair")==0 ? AK_PAIR : AK_PORT;
  (void)argc; (void)pzErr;
  rc = vf_day_vtab_connect(db, pAux, eKind==AK_PAIR ? AK_SCHEMA_PAIR : AK_SCHEMA_PORT,
                           sizeof(AkVtab), ppVtab);
  if( rc==SQLITE_OK ) ((AkVtab*)*ppVtab)->eKind = eKind;
  return rc;
}

/* Column n's index in either schema. */
static int ak_col_n(int eKind){ return eKind==AK_PAIR ? 2 : 3; }

/* idxNum 0: every group; 1: n >= argv[0]; 2: n > argv[0]. */
static int akBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  AkVtab *pTab = (AkVtab*)pVtab;
  int i;
  pInfo->idxNum = 0;
  pInfo->estimatedCost = 1e7;
  pInfo->estimatedRows = 1000000;
  for(i=0; i<pInfo->nConstraint; i++){
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    if( !c->usable || c->iColumn!=ak_col_n(pTab->eKind) ) continue;
    if( c->op!=SQLITE_INDEX_CONSTRAINT_GE && c->op!=SQLITE_INDEX_CONSTRAINT_GT ) continue;
    pInfo->idxNum = c->op==SQLITE_INDEX_CONSTRAINT_GE ? 1 : 2;
    pInfo->aConstraintUsage[i].argvIndex = 1;
    pInfo->aConstraintUsage[i].omit = 0;      /* SQLite checks it again */
    pInfo->estimatedCost = 1e6;
    pInfo->estimatedRows = 1000;
    break;
  }
  return SQLITE_OK;
}

static int akOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  (void)pVtab;
  return vf_day_cursor_open(sizeof(AkCursor), ppCur);
}

static void ak_reset(AkCursor *p){
  vf_store_free(p->aRow);
  p->aRow = 0;
  p->r.nRow = p->r.iRow = 0;
  vf_day_unref(p->r.pDay);
  p->r.pDay = 0;
}

static int akClose(sqlite3_vtab_cursor *pCur){
  ak_reset((AkCursor*)pCur);
  sqlite3_free(pCur);
  return SQLITE_OK;
}

/* The least count that can pass n >= v (bGt: n > v); 1 when v is not an
** integer or a real (or is NaN): then every group is returned and SQLite
** decides (a lower bound is always safe: SQLite tests every row again). */
static u64 ak_min_count(sqlite3_value *v, int bGt){
  double r;
  int eType = v ? sqlite3_value_type(v) : SQLITE_NULL;
  if( eType==SQLITE_INTEGER ){
    i64 x = sqlite3_value_int64(v);
    if( bGt ){ if( x==INT64_MAX ) return UINT64_MAX; x++; }
    return x<1 ? 1 : (u64)x;
  }
  if( eType!=SQLITE_FLOAT ) return 1;
  r = sqlite3_value_double(v);
  if( r!=r ) return 1;
  r = bGt ? floor(r)+1 : ceil(r);
  if( r<1 ) return 1;
  if( r>=18446744073709551615.0 ) return UINT64_MAX;
  return (u64)r;
}

static int akFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  AkCursor *p = (AkCursor*)pCur;
  AkVtab *pTab = (AkVtab*)pCur->pVtab;
  u64 nMin = 1;
  (void)idxStr;
  ak_reset(p);
  p->eKind = pTab->eKind;
  if( vf_day_hold(&pTab->d.base, p->eKind==AK_PAIR ? "vpcflow_att_keys_pair"
                  : "vpcflow_att_keys_port", &p->r.pDay) ) return SQLITE_ERROR;
  if( idxNum && argc>0 ) nMin = ak_min_count(argv[0], idxNum==2);
  return ak_build(p, nMin);
}

static int akColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  AkCursor *p = (AkCursor*)pCur;
  const AkRow *w = &p->aRow[p->r.iRow];
  if( iCol==ak_col_n(p->eKind) ){
    sqlite3_result_int64(ctx, w->n);
  }else if( iCol==0 ){
    vf_day_result_id(ctx, p->r.pDay, (u32)(w->key>>(p->eKind==AK_PAIR ? 32 : 25)));
  }else if( p->eKind==AK_PAIR ){
    vf_day_result_id(ctx, p->r.pDay, (u32)w->key);
  }else if( iCol==1 ){
    u32 proto = (u32)(w->key>>16) & 0x1ff;
    if( proto!=AK_PROTO_NULL ) sqlite3_result_int(ctx, (int)proto);
  }else{
    sqlite3_result_int(ctx, (int)(w->key & 0xffff));
  }
  return SQLITE_OK;
}

static const sqlite3_module akModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = akConnect,
  .xBestIndex  = akBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = akOpen,
  .xClose      = akClose,
  .xFilter     = akFilter,
  .xNext       = vfDayRowsNext,
  .xEof        = vfDayRowsEof,
  .xColumn     = akColumn,
  .xRowid      = vfDayRowsRowid,
};

/* Register vpcflow_att_keys_port and vpcflow_att_keys_pair over the
** connection's day slot. */
int vf_day_attkeys_register(sqlite3 *db, VfDaySlot *pSlot){
  int rc = sqlite3_create_module_v2(db, "vpcflow_att_keys_port", &akModule, pSlot, 0);
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_module_v2(db, "vpcflow_att_keys_pair", &akModule, pSlot, 0);
  }
  return rc;
}
