/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day.c - the tables that serve the prepared day (day.h) to the
** detections, from memory: no row of the day is ever written to a table.
**
** Usage (sql/prepare.sql and sql/summaries.sql do this):
**
**   SELECT * FROM vpcflow_prepare('flows', 3);      -- norm.c: makes the day
**   CREATE TEMP VIEW flows_t AS SELECT * FROM vpcflow_traffic;
**   SELECT ... FROM vpcflow_coverage;               -- log_coverage.sql
**
**   vpcflow_traffic   one row per traffic record (log status OK, skip 0:
**       the rows of the view `traffic`), in the order of `flows`, with the
**       columns the detections read, valued and typed as flows_t held them
**       (resp, src_private, dst_private, protocol, action, conn_start,
**       answered, dstport, srcport, src, dst, start, end, packets, bytes,
**       tcp_flags, dst_service, src_service) and interface_id, log_file,
**       log_line, account_id, vpc_id.
**   vpcflow_records   the same columns for EVERY record of the day (all
**       log statuses, the copies set aside included), for the findings'
**       drill-down (an idle interface has only NODATA records); the
**       flags as flows_n has them.
**   vpcflow_coverage  one row per (interface_id, minute) over every record
**       with an interface (all log statuses, duplicates included), the
**       counts log_coverage.sql's `b` took from flows_n: m = start / 60,
**       skip_n, nodata_n, ok_n, start = min(start), e = max(end),
**       s0/s1 = min(start)/max(end) of SKIPDATA records, odd = records
**       with a start and an end that is NULL or before it.
**
** Without a prepared day on the connection both are an error that says to
** read sql/prepare.sql. Both are eponymous and DIRECT-ONLY (they show
** what files held).
**
** HOW IT WORKS
**
** vpcflow_traffic walks the day's list of traffic records. Constraints
** of the form column = / IS / IN / < / <= / > / >= constant, IS NULL and
** IS NOT NULL are tested in C before SQLite sees a row, so a detection's
** `WHERE resp = 0 AND protocol IN (6, 17)` costs a loop over the records'
** bytes instead of a VDBE column read per row. The test is only ever a
** superset of SQL's: a constant of another type than the column's, a
** collating sequence other than BINARY, anything unsure, is left to SQLite
** alone (no constraint is ever "omitted": SQLite checks every row it gets
** again, so the C test can only save time, never change an answer).
** A text column IN a list of texts (threat_list_match's `src IN (SELECT
** a FROM hit)`) is tested as a mark per interned value: one pass over
** the day's distinct values searches each in the sorted list, then each
** record reads one byte for its id instead of SQLite building its text
** and probing the list (a list with a non-text value is left to SQLite).
**
** PLAN ENCODING (idxStr), one 3-byte term per constraint used:
**     byte 0  'a' + column
**     byte 1  operator: '=' EQ or IS, 'I' IN (all values at once,
**             sqlite3_vtab_in()), '<' LT, '{' LE, '>' GT, '}' GE,
**             'n' IS NULL, 'N' IS NOT NULL
**     byte 2  '0' + argv index (0 = no value: IS NULL / IS NOT NULL)
** Only constants are used (sqlite3_vtab_rhs_value() must know the value
** when planning) and IN lists taken all at once (sqlite3_vtab_in()): a
** value from another table, or one element of an IN list that SQLite
** loops over (a row-value IN), would cost one more walk of every record
** per value. The cost and row estimate are the same for every plan (a
** full walk), so the planner never prefers the table as the inner loop
** of a join: there is no index to make that cheap.
**
** vpcflow_coverage radix-sorts the records by (interface, minute) once per
** scan and folds each run into one row.
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

/* Release one hold on a day; the last frees it. */
void vf_day_unref(VfDay *p){
  if( p==0 || --p->nRef>0 ) return;
  vf_day_summary_free(p);       /* first: it waits for a build reading p */
  vf_day_first_free(p);
  free(p->aBuf);                /* norm.c's norm_huge_alloc() */
  free(p->aStr);
  sqlite3_free(p->aPriv);
  vf_store_free(p->aRec);
  vf_store_free(p->aExt);
  vf_store_free(p->aTraffic);
  sqlite3_free(p->zTab);
  sqlite3_free(p);
}

/* ------------------------------------------------------- the columns */

#define TR_RESP 0
#define TR_SRC_PRIVATE 1
#define TR_DST_PRIVATE 2
#define TR_PROTOCOL 3
#define TR_ACTION 4
#define TR_CONN_START 5
#define TR_ANSWERED 6
#define TR_DSTPORT 7
#define TR_SRCPORT 8
#define TR_SRC 9
#define TR_DST 10
#define TR_START 11
#define TR_END 12
#define TR_PACKETS 13
#define TR_BYTES 14
#define TR_TCP_FLAGS 15
#define TR_DST_SERVICE 16
#define TR_SRC_SERVICE 17
#define TR_INTERFACE_ID 18
#define TR_LOG_FILE 19
#define TR_LOG_LINE 20
#define TR_ACCOUNT_ID 21
#define TR_VPC_ID 22
#define TR_NCOL 23

#define TR_ALL 1                 /* TrVtab.eKind of vpcflow_records */

#define TR_SCHEMA "CREATE TABLE x(resp INTEGER, src_private INTEGER," \
  " dst_private INTEGER, protocol INTEGER, action TEXT, conn_start INTEGER," \
  " answered INTEGER, dstport INTEGER, srcport INTEGER, src TEXT, dst TEXT," \
  " start INTEGER, \"end\" INTEGER, packets INTEGER, bytes INTEGER," \
  " tcp_flags INTEGER, dst_service TEXT, src_service TEXT," \
  " interface_id TEXT, log_file TEXT, log_line INTEGER, account_id TEXT," \
  " vpc_id TEXT)"

/* Interned id of a text column of record i (0 = NULL). */
static u32 tr_text_id(const VfDay *d, u32 i, int iCol){
  const NormRec *r = &d->aRec[i];
  const VfDayRec *x = &d->aExt[i];
  switch( iCol ){
    case TR_ACTION: return x->action;
    case TR_SRC: return r->src;
    case TR_DST: return r->dst;
    case TR_DST_SERVICE: return x->dsvc;
    case TR_SRC_SERVICE: return x->ssvc;
    case TR_INTERFACE_ID: return r->eni;
    case TR_ACCOUNT_ID: return x->account;
    case TR_VPC_ID: return x->vpc;
    default: return x->file;      /* TR_LOG_FILE */
  }
}

static int tr_is_text(int iCol){
  return iCol==TR_ACTION || iCol==TR_SRC || iCol==TR_DST
      || iCol==TR_DST_SERVICE || iCol==TR_SRC_SERVICE
      || iCol==TR_INTERFACE_ID || iCol==TR_LOG_FILE
      || iCol==TR_ACCOUNT_ID || iCol==TR_VPC_ID;
}

/* Integer column iCol of record i: 1 and *pV, or 0 if NULL. */
static int tr_int(const VfDay *d, u32 i, int iCol, i64 *pV){
  const NormRec *r = &d->aRec[i];
  const VfDayRec *x = &d->aExt[i];
  u8 p;
  switch( iCol ){
    case TR_RESP: *pV = (r->out & NO_RESP)!=0; return 1;
    case TR_CONN_START: *pV = (r->out & NO_CONNSTART)!=0; return 1;
    case TR_ANSWERED: *pV = (r->out & NO_ANSWERED)!=0; return 1;
    case TR_SRC_PRIVATE: p = d->aPriv[r->src]; *pV = p; return p<2;
    case TR_DST_PRIVATE: p = d->aPriv[r->dst]; *pV = p; return p<2;
    case TR_PROTOCOL: *pV = r->proto; return !(r->in & NR_PROTO_NULL);
    case TR_DSTPORT: *pV = r->dport; return !(r->in & NR_DPORT_NULL);
    case TR_SRCPORT: *pV = r->sport; return !(r->in & NR_SPORT_NULL);
    case TR_START: *pV = (i64)r->start + d->iBase; return !(r->in & NR_START_NULL);
    case TR_END: *pV = (i64)x->end + d->iBase; return x->end!=VF_DAY_NULL32;
    case TR_PACKETS: *pV = x->packets; return x->packets!=VF_DAY_NULL64;
    case TR_BYTES: *pV = x->bytes; return x->bytes!=VF_DAY_NULL64;
    case TR_TCP_FLAGS: *pV = x->tcpf; return x->tcpf!=VF_DAY_NULL32;
    default: *pV = x->line; return x->line!=0;      /* TR_LOG_LINE */
  }
}

/* ------------------------------------------------- compiled constraints */

typedef struct TrTerm TrTerm;
struct TrTerm {
  int iCol;
  char op;                 /* as in the plan encoding */
  i64 iVal;                /* integer operand */
  i64 *aIn; int nIn;       /* IN: the integer values */
  u8 *aMark;               /* IN on a text column: aMark[id] = 1 when
                           ** id's bytes are one of the values */
  const char *z; int n;    /* text operand (EQ on a text column) */
};

typedef struct TrVtab TrVtab;
struct TrVtab {
  VfDayVtab d;             /* Base class - must be first */
  int eKind;               /* vpcflow_att_port / vpcflow_pair (AG_*) */
};

typedef struct TrCursor TrCursor;
struct TrCursor {
  sqlite3_vtab_cursor base;
  VfDay *pDay;             /* held while the cursor is open */
  i64 iPos;                /* index into aTraffic */
  TrTerm aTerm[24];
  int nTerm;
  int bNone;               /* a constraint no row can meet */
  int bAll;                /* vpcflow_records: every record, not traffic */
};

static int tr_cmp_i64(const void *a, const void *b){
  i64 x = *(const i64*)a, y = *(const i64*)b;
  return x<y ? -1 : x>y;
}

/* Integer value of v if it is an integer (or an integral real). */
static int tr_value_int(sqlite3_value *v, i64 *pV){
  if( sqlite3_value_type(v)==SQLITE_INTEGER ){ *pV = sqlite3_value_int64(v); return 1; }
  if( sqlite3_value_type(v)==SQLITE_FLOAT ){
    double r = sqlite3_value_double(v);
    if( r>=-9.0e18 && r<=9.0e18 && (double)(i64)r==r ){ *pV = (i64)r; return 1; }
  }
  return 0;
}

/* Does record i meet every compiled term? */
static int tr_passes(const TrCursor *c, u32 i){
  const VfDay *d = c->pDay;
  int k;
  for(k=0; k<c->nTerm; k++){
    const TrTerm *t = &c->aTerm[k];
    if( tr_is_text(t->iCol) ){
      u32 id = tr_text_id(d, i, t->iCol);
      if( t->op=='n' ){ if( id ) return 0; continue; }
      if( t->op=='N' ){ if( !id ) return 0; continue; }
      if( t->op=='I' ){ if( !t->aMark[id] ) return 0; continue; }   /* [0] = 0 */
      /* '=': the same text bytes ('b' blobs are never equal to text) */
      if( id==0 ) return 0;
      {
        const NormStr *e = &d->aStr[id];
        if( e->tag=='b' || e->nLen!=(u32)t->n
         || memcmp(d->aBuf+e->iOff, t->z, (size_t)t->n)!=0 ) return 0;
      }
    }else{
      i64 v;
      int bVal = tr_int(d, i, t->iCol, &v);
      switch( t->op ){
        case 'n': if( bVal ) return 0; break;
        case 'N': if( !bVal ) return 0; break;
        case '=': if( !bVal || v!=t->iVal ) return 0; break;
        case '<': if( !bVal || v>=t->iVal ) return 0; break;
        case '{': if( !bVal || v>t->iVal ) return 0; break;
        case '>': if( !bVal || v<=t->iVal ) return 0; break;
        case '}': if( !bVal || v<t->iVal ) return 0; break;
        case 'I': {             /* aIn is sorted: search by halves */
          int lo = 0, hi = t->nIn;
          if( !bVal ) return 0;
          while( lo<hi ){
            int mid = (lo+hi)/2;
            if( t->aIn[mid]<v ) lo = mid+1; else hi = mid;
          }
          if( lo==t->nIn || t->aIn[lo]!=v ) return 0;
          break;
        }
      }
    }
  }
  return 1;
}

/* xConnect of every table here: its schema, DIRECT-ONLY, the day slot. */
/* ---------------------------------- what every table over the day shares */

int vf_day_vtab_connect(sqlite3 *db, void *pAux, const char *zSchema,
                        size_t nByte, sqlite3_vtab **ppVtab){
  VfDayVtab *p;
  int rc = sqlite3_declare_vtab(db, zSchema);
  if( rc ) return rc;
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  p = sqlite3_malloc64(nByte);
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, nByte);
  p->pSlot = (VfDaySlot*)pAux;
  *ppVtab = &p->base;
  return SQLITE_OK;
}

int vfDayDisconnect(sqlite3_vtab *pVtab){
  sqlite3_free(pVtab);
  return SQLITE_OK;
}

int vf_day_cursor_open(size_t nByte, sqlite3_vtab_cursor **ppCur){
  sqlite3_vtab_cursor *p = sqlite3_malloc64(nByte);
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, nByte);
  *ppCur = p;
  return SQLITE_OK;
}

int vfDayRowsNext(sqlite3_vtab_cursor *pCur){
  ((VfDayRows*)pCur)->iRow++;
  return SQLITE_OK;
}

int vfDayRowsEof(sqlite3_vtab_cursor *pCur){
  VfDayRows *p = (VfDayRows*)pCur;
  return p->iRow>=p->nRow;
}

int vfDayRowsRowid(sqlite3_vtab_cursor *pCur, sqlite3_int64 *pRowid){
  *pRowid = ((VfDayRows*)pCur)->iRow + 1;
  return SQLITE_OK;
}

int vf_day_hold(sqlite3_vtab *pVtab, const char *zTable, VfDay **ppDay){
  VfDay *pDay = ((VfDayVtab*)pVtab)->pSlot->pDay;
  if( pDay==0 ){
    sqlite3_free(pVtab->zErrMsg);
    pVtab->zErrMsg = sqlite3_mprintf("%s: no prepared flows on this "
        "connection: read sql/prepare.sql first (it runs vpcflow_prepare())",
        zTable);
    return SQLITE_ERROR;
  }
  if( *ppDay!=pDay ){
    vf_day_unref(*ppDay);
    *ppDay = pDay;
    pDay->nRef++;
  }
  return SQLITE_OK;
}

static int day_connect(sqlite3 *db, void *pAux, const char *zSchema,
                       int eKind, sqlite3_vtab **ppVtab){
  int rc = vf_day_vtab_connect(db, pAux, zSchema, sizeof(TrVtab), ppVtab);
  if( rc==SQLITE_OK ) ((TrVtab*)*ppVtab)->eKind = eKind;
  return rc;
}

static int trConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  (void)argc; (void)pzErr;
  return day_connect(db, pAux, TR_SCHEMA,
                     strcmp(argv[0], "vpcflow_records")==0 ? TR_ALL : 0, ppVtab);
}


static int trBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  TrVtab *pTab = (TrVtab*)pVtab;
  char zPlan[24*3+1];
  int i, nTerm = 0, nArg = 0;
  double nRow = pTab->d.pSlot->pDay ? (double)(pTab->eKind==TR_ALL
                 ? pTab->d.pSlot->pDay->nRec : pTab->d.pSlot->pDay->nTraffic) : 1e6;
  for(i=0; i<pInfo->nConstraint && nTerm<24; i++){
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    const char *zColl;
    char op;
    if( !c->usable || c->iColumn<0 || c->iColumn>=TR_NCOL ) continue;
    switch( c->op ){
      case SQLITE_INDEX_CONSTRAINT_EQ: case SQLITE_INDEX_CONSTRAINT_IS: op = '='; break;
      case SQLITE_INDEX_CONSTRAINT_LT: op = '<'; break;
      case SQLITE_INDEX_CONSTRAINT_LE: op = '{'; break;
      case SQLITE_INDEX_CONSTRAINT_GT: op = '>'; break;
      case SQLITE_INDEX_CONSTRAINT_GE: op = '}'; break;
      case SQLITE_INDEX_CONSTRAINT_ISNULL: op = 'n'; break;
      case SQLITE_INDEX_CONSTRAINT_ISNOTNULL: op = 'N'; break;
      default: continue;
    }
    if( tr_is_text(c->iColumn) && op!='=' && op!='n' && op!='N' ) continue;
    zColl = sqlite3_vtab_collation(pInfo, i);
    if( op!='n' && op!='N' && zColl && sqlite3_stricmp(zColl, "BINARY")!=0 ) continue;
    if( op=='=' && c->op==SQLITE_INDEX_CONSTRAINT_EQ && sqlite3_vtab_in(pInfo, i, -1) ){
      sqlite3_vtab_in(pInfo, i, 1);
      op = 'I';
    }else if( op!='n' && op!='N' ){
      /* Only a constant: a value from another table, or one element of
      ** an IN list SQLite would loop over (a row-value IN), would make
      ** each value one more walk of every record. */
      sqlite3_value *pRhs = 0;
      if( sqlite3_vtab_rhs_value(pInfo, i, &pRhs)!=SQLITE_OK ) continue;
    }
    zPlan[nTerm*3] = (char)('a' + c->iColumn);
    zPlan[nTerm*3+1] = op;
    if( op=='n' || op=='N' ){
      zPlan[nTerm*3+2] = '0';
    }else{
      pInfo->aConstraintUsage[i].argvIndex = ++nArg;
      zPlan[nTerm*3+2] = (char)('0' + nArg);
    }
    pInfo->aConstraintUsage[i].omit = 0;
    nTerm++;
  }
  zPlan[nTerm*3] = 0;
  pInfo->idxStr = sqlite3_mprintf("%s", zPlan);
  if( pInfo->idxStr==0 ) return SQLITE_NOMEM;
  pInfo->needToFreeIdxStr = 1;
  pInfo->estimatedCost = 10.0 + nRow;
  pInfo->estimatedRows = (sqlite3_int64)nRow + 1;
  return SQLITE_OK;
}

static int trOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  TrCursor *p = sqlite3_malloc(sizeof(*p));
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->bAll = ((TrVtab*)pVtab)->eKind==TR_ALL;
  *ppCur = &p->base;
  return SQLITE_OK;
}

static void tr_terms_free(TrCursor *p){
  int k;
  for(k=0; k<p->nTerm; k++){
    sqlite3_free(p->aTerm[k].aIn);
    sqlite3_free(p->aTerm[k].aMark);
  }
  p->nTerm = 0;
}

static int trClose(sqlite3_vtab_cursor *pCur){
  TrCursor *p = (TrCursor*)pCur;
  tr_terms_free(p);
  vf_day_unref(p->pDay);
  sqlite3_free(p);
  return SQLITE_OK;
}


/* vpcflow_traffic walks the traffic records, vpcflow_records all. */
static i64 tr_count(const TrCursor *p){
  return p->bAll ? p->pDay->nRec : p->pDay->nTraffic;
}
static u32 tr_rec(const TrCursor *p, i64 iPos){
  return p->bAll ? (u32)iPos : p->pDay->aTraffic[iPos];
}

static int trNext(sqlite3_vtab_cursor *pCur){
  TrCursor *p = (TrCursor*)pCur;
  i64 n = tr_count(p);
  p->iPos++;
  if( p->nTerm ){
    while( p->iPos<n && !tr_passes(p, tr_rec(p, p->iPos)) ) p->iPos++;
  }
  return SQLITE_OK;
}

/* The bytes of one IN value (an offset into the values' buffer). */
typedef struct TrText TrText;
struct TrText { const char *z; int n; };

static int tr_text_cmp(const void *a, const void *b){
  const TrText *x = a, *y = b;
  int c = memcmp(x->z, y->z, (size_t)(x->n<y->n ? x->n : y->n));
  return c ? c : (x->n<y->n ? -1 : x->n>y->n);
}

/*
** `text column IN (values)`, all at once: t->aMark[id] = 1 for every
** interned value whose bytes are one of the values (BINARY comparison;
** the day shows every id but a blob's as text, so a number's id matches
** its rendering, as TEXT affinity makes it; a blob never equals a text).
** *pbUse = 1 if the term is to be tested in C; 0 when a value is not a
** text (its comparison depends on affinities: left to SQLite alone).
** Costs one pass over the day's distinct values (never more than the walk
** of the records that follows), and a search by halves of the values.
*/
static int tr_text_in(const VfDay *d, sqlite3_value *v, TrTerm *t, int *pbUse){
  sqlite3_value *pIn;
  char *aByte = 0;
  TrText *aV = 0;
  i64 nByte = 0, nAlloc = 0;
  int nV = 0, nVAlloc = 0, rc, bText = 1, i;
  u32 id;
  *pbUse = 0;
  for(rc = sqlite3_vtab_in_first(v, &pIn); rc==SQLITE_OK && pIn;
      rc = sqlite3_vtab_in_next(v, &pIn)){
    const char *z;
    int n;
    if( sqlite3_value_type(pIn)==SQLITE_NULL ) continue;   /* never equal */
    if( sqlite3_value_type(pIn)!=SQLITE_TEXT ){ bText = 0; break; }
    z = (const char*)sqlite3_value_text(pIn);
    n = sqlite3_value_bytes(pIn);
    if( z==0 ){ rc = SQLITE_NOMEM; break; }
    if( nByte+n>nAlloc ){
      i64 nNew = (nAlloc ? nAlloc*2 : 1024) + n;
      char *a = sqlite3_realloc64(aByte, (u64)nNew);
      if( a==0 ){ rc = SQLITE_NOMEM; break; }
      aByte = a; nAlloc = nNew;
    }
    if( nV>=nVAlloc ){
      int nNew = nVAlloc ? nVAlloc*2 : 64;
      TrText *a = sqlite3_realloc64(aV, sizeof(TrText)*(u64)nNew);
      if( a==0 ){ rc = SQLITE_NOMEM; break; }
      aV = a; nVAlloc = nNew;
    }
    memcpy(aByte+nByte, z, (size_t)n);
    aV[nV].z = (const char*)(intptr_t)nByte;  /* an offset until aByte is final */
    aV[nV].n = n;
    nV++;
    nByte += n;
  }
  if( rc==SQLITE_DONE ) rc = SQLITE_OK;
  if( rc==SQLITE_OK && bText ){
    for(i=0; i<nV; i++) aV[i].z = aByte + (intptr_t)aV[i].z;
    if( nV>1 ) qsort(aV, (size_t)nV, sizeof(TrText), tr_text_cmp);
    t->aMark = sqlite3_malloc64(d->nStr ? d->nStr : 1);
    if( t->aMark==0 ){
      rc = SQLITE_NOMEM;
    }else{
      memset(t->aMark, 0, d->nStr ? d->nStr : 1);
      for(id=1; id<d->nStr && nV>0; id++){
        const NormStr *e = &d->aStr[id];
        TrText k;
        int lo = 0, hi = nV;
        if( e->tag=='b' ) continue;
        k.z = d->aBuf + e->iOff;
        k.n = (int)e->nLen;
        while( lo<hi ){
          int mid = (lo+hi)/2;
          if( tr_text_cmp(&aV[mid], &k)<0 ) lo = mid+1; else hi = mid;
        }
        if( lo<nV && tr_text_cmp(&aV[lo], &k)==0 ) t->aMark[id] = 1;
      }
      *pbUse = 1;
    }
  }
  sqlite3_free(aByte);
  sqlite3_free(aV);
  return rc;
}

static int trFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  TrCursor *p = (TrCursor*)pCur;
  int rc, k, n = idxStr ? (int)strlen(idxStr)/3 : 0;
  (void)idxNum;
  tr_terms_free(p);
  p->bNone = 0;
  rc = vf_day_hold(pCur->pVtab, p->bAll ? "vpcflow_records" : "vpcflow_traffic",
                   &p->pDay);
  if( rc ) return rc;
  for(k=0; k<n; k++){
    TrTerm *t = &p->aTerm[p->nTerm];
    int iArg = idxStr[k*3+2] - '0';
    sqlite3_value *v = iArg>0 && iArg<=argc ? argv[iArg-1] : 0;
    memset(t, 0, sizeof(*t));
    t->iCol = idxStr[k*3] - 'a';
    t->op = idxStr[k*3+1];
    if( t->op=='n' || t->op=='N' ){ p->nTerm++; continue; }
    if( v==0 ) continue;
    if( t->op=='I' && tr_is_text(t->iCol) ){
      int bUse = 0;
      rc = tr_text_in(p->pDay, v, t, &bUse);
      if( rc ) return rc;
      if( bUse ) p->nTerm++;
      continue;
    }
    if( t->op=='I' ){
      sqlite3_value *pIn;
      int rc, bAll = 1;
      for(rc = sqlite3_vtab_in_first(v, &pIn); rc==SQLITE_OK && pIn;
          rc = sqlite3_vtab_in_next(v, &pIn)){
        i64 x;
        if( sqlite3_value_type(pIn)==SQLITE_NULL ) continue;   /* never equal */
        if( !tr_value_int(pIn, &x) ){ bAll = 0; break; }
        if( (t->nIn & 7)==0 ){
          i64 *a = sqlite3_realloc64(t->aIn, sizeof(i64)*(t->nIn+8));
          if( a==0 ){ sqlite3_free(t->aIn); t->aIn = 0; return SQLITE_NOMEM; }
          t->aIn = a;
        }
        t->aIn[t->nIn++] = x;
      }
      if( rc!=SQLITE_OK && rc!=SQLITE_DONE ){ sqlite3_free(t->aIn); t->aIn = 0; return rc; }
      if( !bAll ){ sqlite3_free(t->aIn); t->aIn = 0; continue; }
      if( t->nIn>1 ) qsort(t->aIn, (size_t)t->nIn, sizeof(i64), tr_cmp_i64);
      p->nTerm++;
      continue;
    }
    if( sqlite3_value_type(v)==SQLITE_NULL ){
      if( t->op=='=' && idxStr[k*3+1]=='=' ){
        /* col = NULL is never true; col IS NULL is: leave both to SQLite */
      }
      continue;
    }
    if( tr_is_text(t->iCol) ){
      if( sqlite3_value_type(v)!=SQLITE_TEXT ) continue;
      t->z = (const char*)sqlite3_value_text(v);
      t->n = sqlite3_value_bytes(v);
      if( t->z==0 ) return SQLITE_NOMEM;
      p->nTerm++;
    }else if( tr_value_int(v, &t->iVal) ){
      p->nTerm++;
    }
  }
  p->iPos = -1;
  return trNext(pCur);
}

static int trEof(sqlite3_vtab_cursor *pCur){
  TrCursor *p = (TrCursor*)pCur;
  return p->pDay==0 || p->iPos>=tr_count(p);
}

/* A text value of the day: TEXT affinity made numbers text; blobs stay. */
void vf_day_result_id(sqlite3_context *ctx, const VfDay *d, uint32_t id){
  const NormStr *e;
  if( id==0 ) return;
  e = &d->aStr[id];
  if( e->tag=='b' ){
    sqlite3_result_blob(ctx, d->aBuf+e->iOff, (int)e->nLen, SQLITE_TRANSIENT);
  }else{
    sqlite3_result_text(ctx, d->aBuf+e->iOff, (int)e->nLen, SQLITE_TRANSIENT);
  }
}

static int trColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  TrCursor *p = (TrCursor*)pCur;
  const VfDay *d = p->pDay;
  u32 i = tr_rec(p, p->iPos);
  if( tr_is_text(iCol) ){
    vf_day_result_id(ctx, d, tr_text_id(d, i, iCol));
  }else{
    i64 v;
    if( tr_int(d, i, iCol, &v) ) sqlite3_result_int64(ctx, v);
  }
  return SQLITE_OK;
}

static int trRowid(sqlite3_vtab_cursor *pCur, sqlite3_int64 *pRowid){
  TrCursor *p = (TrCursor*)pCur;
  *pRowid = (sqlite3_int64)tr_rec(p, p->iPos) + 1;
  return SQLITE_OK;
}

static const sqlite3_module trModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = trConnect,
  .xBestIndex  = trBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = trOpen,
  .xClose      = trClose,
  .xFilter     = trFilter,
  .xNext       = trNext,
  .xEof        = trEof,
  .xColumn     = trColumn,
  .xRowid      = trRowid,
};

/* ------------------------------------------------------ vpcflow_coverage */

#define CV_SCHEMA "CREATE TABLE x(interface_id TEXT, m INTEGER, skip_n INTEGER," \
  " nodata_n INTEGER, ok_n INTEGER, start INTEGER, e INTEGER, s0 INTEGER," \
  " s1 INTEGER, odd INTEGER)"

typedef struct CvRow CvRow;
struct CvRow {
  u32 eni;
  int bM;                  /* m is not NULL */
  i64 m;
  i64 skip_n, nodata_n, ok_n, odd;
  i64 start, e, s0, s1;    /* VF_DAY_NULL64 = NULL */
};

typedef struct CvCursor CvCursor;
struct CvCursor {
  VfDayRows r;             /* the day, nRow, iRow (day.h) */
  CvRow *aRow;
};

static int cvConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  (void)argc; (void)argv; (void)pzErr;
  return day_connect(db, pAux, CV_SCHEMA, 0, ppVtab);
}

static int cvBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  (void)pVtab;
  pInfo->estimatedCost = 1e6;
  pInfo->estimatedRows = 100000;
  return SQLITE_OK;
}

static int cvOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  (void)pVtab;
  return vf_day_cursor_open(sizeof(CvCursor), ppCur);
}

static void cv_reset(CvCursor *p){
  vf_store_free(p->aRow);
  p->aRow = 0;
  p->r.nRow = p->r.iRow = 0;
  vf_day_unref(p->r.pDay);
  p->r.pDay = 0;
}

static int cvClose(sqlite3_vtab_cursor *pCur){
  cv_reset((CvCursor*)pCur);
  sqlite3_free(pCur);
  return SQLITE_OK;
}

/*
** Sort aKey[0..n-1] ascending, carrying aIdx along: an LSD radix sort,
** so stable (equal keys keep their order), over 8-bit digits of the bits
** that differ between the keys only (an index's key of id << 32 | start
** has ~36 of them: 5 passes; a 64-bit hash, 8). Narrow digits keep the
** 256 places a pass writes to in cache: with 16-bit digits each move
** went to one of 65536 places far apart, a cache and TLB miss at 10 M
** keys (a pass cost 2-3x more per key at 10 M than at 1 M). The counts
** of every digit come from one read of the keys; the passes move the
** keys between aKey and a scratch copy (no copy back but after an odd
** number of moves). Scratch: n more of each, from the day's store
** (day_store.c: SQLite refuses one allocation over 2 GiB, and a big sort
** spills with the day). Return SQLITE_NOMEM (vf_store_error() says why)
** or OK.
*/
#define VF_SORT_BITS 8
#define VF_SORT_RADIX (1<<VF_SORT_BITS)
int vf_day_sort(u64 *aKey, u32 *aIdx, u64 n){
  u64 *aK2, *aCnt, *pK, *pK2, diff = 0, i;
  u32 *aI2, *pI, *pI2;
  int iLo, nPass, k;
  if( n<2 ) return SQLITE_OK;
  for(i=1; i<n; i++) diff |= aKey[i] ^ aKey[0];
  if( diff==0 ) return SQLITE_OK;
  iLo = __builtin_ctzll(diff);
  nPass = (64 - __builtin_clzll(diff) - iLo + VF_SORT_BITS - 1)/VF_SORT_BITS;
  aK2 = vf_store_alloc(sizeof(u64)*n);
  aI2 = vf_store_alloc(sizeof(u32)*n);
  aCnt = calloc((size_t)nPass*VF_SORT_RADIX, sizeof(u64));
  if( aK2==0 || aI2==0 || aCnt==0 ){
    vf_store_free(aK2); vf_store_free(aI2); free(aCnt); return SQLITE_NOMEM;
  }
  for(i=0; i<n; i++){
    u64 x = aKey[i]>>iLo;
    for(k=0; k<nPass; k++){
      aCnt[k*VF_SORT_RADIX + (x & (VF_SORT_RADIX-1))]++;
      x >>= VF_SORT_BITS;
    }
  }
  pK = aKey; pI = aIdx; pK2 = aK2; pI2 = aI2;
  for(k=0; k<nPass; k++){
    u64 *aC = &aCnt[k*VF_SORT_RADIX], sum = 0;
    int iShift = iLo + k*VF_SORT_BITS;
    if( aC[(pK[0]>>iShift) & (VF_SORT_RADIX-1)]==n ) continue;   /* one value */
    for(i=0; i<VF_SORT_RADIX; i++){ u64 c = aC[i]; aC[i] = sum; sum += c; }
    for(i=0; i<n; i++){
      u64 j = aC[(pK[i]>>iShift) & (VF_SORT_RADIX-1)]++;
      pK2[j] = pK[i];
      pI2[j] = pI[i];
    }
    { u64 *t = pK; pK = pK2; pK2 = t; }
    { u32 *t = pI; pI = pI2; pI2 = t; }
  }
  if( pK!=aKey ){
    memcpy(aKey, pK, sizeof(u64)*n);
    memcpy(aIdx, pI, sizeof(u32)*n);
  }
  vf_store_free(aK2); vf_store_free(aI2); free(aCnt);
  return SQLITE_OK;
}

/* min/max into a VF_DAY_NULL64-means-NULL accumulator */
static void cv_min(i64 *pAcc, i64 v){ if( *pAcc==VF_DAY_NULL64 || v<*pAcc ) *pAcc = v; }
static void cv_max(i64 *pAcc, i64 v){ if( *pAcc==VF_DAY_NULL64 || v>*pAcc ) *pAcc = v; }

/* Fold the day's records into rows per (interface, minute). */
static int cv_build(CvCursor *p){
  const VfDay *d = p->r.pDay;
  u64 n = 0, i, k;
  u64 *aKey;
  u32 *aIdx;
  i64 mMin = 0;
  int bMin = 0, rc;
  for(i=0; i<(u64)d->nRec; i++){
    const NormRec *r = &d->aRec[i];
    if( r->eni==0 ) continue;
    n++;
    if( !(r->in & NR_START_NULL) ){
      i64 m = ((i64)r->start + d->iBase) / 60;
      if( !bMin || m<mMin ){ mMin = m; bMin = 1; }
    }
  }
  aKey = vf_store_alloc(sizeof(u64)*(n ? n : 1));
  aIdx = vf_store_alloc(sizeof(u32)*(n ? n : 1));
  /* one row per record at most, from the day's store: under its budget
  ** with the day (cut to the rows made below) */
  p->aRow = vf_store_alloc(sizeof(CvRow)*(n ? n : 1));
  if( aKey==0 || aIdx==0 || p->aRow==0 ){
    vf_store_free(aKey); vf_store_free(aIdx); return SQLITE_NOMEM;
  }
  for(i=0, k=0; i<(u64)d->nRec; i++){
    const NormRec *r = &d->aRec[i];
    u64 mk = 0;      /* 0: start is NULL (its own group, as GROUP BY does) */
    if( r->eni==0 ) continue;
    if( !(r->in & NR_START_NULL) ) mk = (u64)(((i64)r->start + d->iBase) / 60 - mMin) + 1;
    aKey[k] = ((u64)r->eni<<32) | (mk & 0xffffffffu);
    aIdx[k] = (u32)i;
    k++;
  }
  rc = vf_day_sort(aKey, aIdx, n);
  if( rc ){ vf_store_free(aKey); vf_store_free(aIdx); return rc; }
  for(i=0; i<n; i++){
    const NormRec *r = &d->aRec[aIdx[i]];
    const VfDayRec *x = &d->aExt[aIdx[i]];
    CvRow *o;
    i64 s = (r->in & NR_START_NULL) ? VF_DAY_NULL64 : (i64)r->start + d->iBase;
    i64 e = x->end==VF_DAY_NULL32 ? VF_DAY_NULL64 : (i64)x->end + d->iBase;
    if( i==0 || aKey[i]!=aKey[i-1] ){
      o = &p->aRow[p->r.nRow++];
      memset(o, 0, sizeof(*o));
      o->eni = r->eni;
      o->bM = s!=VF_DAY_NULL64;
      o->m = o->bM ? s/60 : 0;
      o->start = o->e = o->s0 = o->s1 = VF_DAY_NULL64;
    }
    o = &p->aRow[p->r.nRow-1];
    if( x->status==VF_DAY_SKIPDATA ){
      o->skip_n++;
      if( s!=VF_DAY_NULL64 ) cv_min(&o->s0, s);
      if( e!=VF_DAY_NULL64 ) cv_max(&o->s1, e);
    }else if( x->status==VF_DAY_NODATA ){
      o->nodata_n++;
    }else if( x->status==VF_DAY_OK ){
      o->ok_n++;
    }
    if( s!=VF_DAY_NULL64 ) cv_min(&o->start, s);
    if( e!=VF_DAY_NULL64 ) cv_max(&o->e, e);
    if( s!=VF_DAY_NULL64 && (e==VF_DAY_NULL64 || e<s) ) o->odd++;
  }
  vf_store_free(aKey); vf_store_free(aIdx);
  if( p->r.nRow>0 ){
    CvRow *aCut = vf_store_realloc(p->aRow, sizeof(CvRow)*(size_t)p->r.nRow);
    if( aCut ) p->aRow = aCut;     /* else the longer block stays */
  }
  return SQLITE_OK;
}

static int cvFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  CvCursor *p = (CvCursor*)pCur;
  (void)idxNum; (void)idxStr; (void)argc; (void)argv;
  cv_reset(p);
  if( vf_day_hold(pCur->pVtab, "vpcflow_coverage", &p->r.pDay) ) return SQLITE_ERROR;
  return cv_build(p);
}



static void cv_result(sqlite3_context *ctx, i64 v){
  if( v!=VF_DAY_NULL64 ) sqlite3_result_int64(ctx, v);
}

static int cvColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  CvCursor *p = (CvCursor*)pCur;
  const CvRow *o = &p->aRow[p->r.iRow];
  switch( iCol ){
    case 0: vf_day_result_id(ctx, p->r.pDay, o->eni); break;
    case 1: if( o->bM ) sqlite3_result_int64(ctx, o->m); break;
    case 2: sqlite3_result_int64(ctx, o->skip_n); break;
    case 3: sqlite3_result_int64(ctx, o->nodata_n); break;
    case 4: sqlite3_result_int64(ctx, o->ok_n); break;
    case 5: cv_result(ctx, o->start); break;
    case 6: cv_result(ctx, o->e); break;
    case 7: cv_result(ctx, o->s0); break;
    case 8: cv_result(ctx, o->s1); break;
    default: sqlite3_result_int64(ctx, o->odd); break;
  }
  return SQLITE_OK;
}


static const sqlite3_module cvModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = cvConnect,
  .xBestIndex  = cvBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = cvOpen,
  .xClose      = cvClose,
  .xFilter     = cvFilter,
  .xNext       = vfDayRowsNext,
  .xEof        = vfDayRowsEof,
  .xColumn     = cvColumn,
  .xRowid      = vfDayRowsRowid,
};


int vf_day_register(sqlite3 *db, VfDaySlot *pSlot, char **pzErr){
  int rc = sqlite3_create_module_v2(db, "vpcflow_traffic", &trModule, pSlot, 0);
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_module_v2(db, "vpcflow_records", &trModule, pSlot, 0);
  }
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_module_v2(db, "vpcflow_coverage", &cvModule, pSlot, 0);
  }
  if( rc==SQLITE_OK ) rc = vf_day_coverage_register(db, pSlot);
  if( rc==SQLITE_OK ) rc = vf_day_served_register(db, pSlot);
  if( rc==SQLITE_OK ) rc = vf_day_senders_register(db, pSlot);
  if( rc==SQLITE_OK ) rc = vf_day_addrs_register(db, pSlot);
  if( rc==SQLITE_OK ) rc = vf_day_first_register(db, pSlot);
  if( rc==SQLITE_OK ) rc = vf_day_summary_register(db, pSlot);
  if( rc==SQLITE_OK ) rc = vf_day_attkeys_register(db, pSlot);
  if( rc==SQLITE_OK ) rc = vf_day_newdest_register(db, pSlot);
  if( rc ){
    *pzErr = sqlite3_mprintf("vpcflow: cannot register the day tables: %s",
                             sqlite3_errstr(rc));
  }
  return rc;
}
