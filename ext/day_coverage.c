/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day_coverage.c - vpcflow_coverage_eni: log_coverage.sql's per-interface
** work over the prepared day (day.h), from memory, in one pass over the
** records and one walk of each interface's minutes.
**
** Usage (sql/detections/log_coverage.sql does this):
**
**   SELECT * FROM vpcflow_prepare('flows', 3);      -- norm.c: makes the day
**   SELECT * FROM vpcflow_coverage_eni(3600);       -- gap threshold, s
**
** One row per interface_id over every record with one (all log statuses,
** the copies set aside included), in SQLite's order of the values (text
** in BINARY order, then blobs), with the values of
**
**   SELECT interface_id, sum(log_status = 'SKIPDATA') AS skip_n,
**          sum(log_status = 'NODATA') AS nodata_n,
**          sum(log_status = 'OK') AS ok_n,
**          min(start) AS t0, max("end") AS t1,
**          min(start) FILTER (WHERE log_status = 'SKIPDATA') AS s0,
**          max("end") FILTER (WHERE log_status = 'SKIPDATA') AS s1,
**          sum(start IS NOT NULL AND ("end" IS NULL OR "end" < start)) AS odd
**     FROM flows_n WHERE interface_id IS NOT NULL GROUP BY interface_id
**
** and the silences of at least `threshold` seconds (the hidden argument)
** between a record's start and the latest end of the interface's records
** that came before it in start order:
**
**   gap      the longest silence (start - prev_end), NULL if none
**   n_gaps   how many there are
**   g0       the latest prev_end among them (where the last one began)
**
** i.e. what log_coverage.sql's reference computes over the records with
**   max("end") OVER (PARTITION BY interface_id ORDER BY start
**                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
** and then max(start - prev_end), count(*), max(prev_end) over the rows
** with start - prev_end >= threshold. Those are found per minute (below),
** which is exact only for a threshold of 60 s or more on an interface
** without `odd` records; elsewhere (and without a threshold, or a NULL
** one) n_gaps, gap and g0 are NULL: "not searched", never a wrong count.
** log_coverage.sql then reads the records in SQL instead. A threshold
** that is not a number is an error, and so is a read before
** sql/prepare.sql made a day. Eponymous and DIRECT-ONLY (it shows what
** the files held), like the tables of day.c.
**
** HOW IT WORKS
**
** One pass over the day's records in their order: each interface (its
** interned id) gets a slot on first sight, which adds up the counts and
** extremes above and counts its records with a start. A second pass
** (only when silences are searched) copies the (start, end) of those
** records into one array, each interface's in a slice of its own, in
** record order (8 bytes a record; records without a start only raise
** the "end before any start" that the first minute sees). No sort of
** the day: the slices are its only copy. The array and the id -> slot
** map are the day's store (day_store.h: past its memory budget they
** live in its file, held to the budget with the day), one block each
** instead of a growing array per interface.
**
** The silences come per minute (m = floor(start / 60)): a silence of
** 60 s or more can only end at the first record of a minute, since a
** later record of the same minute follows one that started less than
** 60 s before it and (not odd) ended no earlier than it started; and the
** latest end before that first record is the latest end of the earlier
** minutes (plus the records without a start, which ORDER BY start puts
** first). So each interface needs, per
** minute, min(start) and max(end), walked in minute order with a running
** maximum of the ends. They go in a dense array over the interface's
** minutes when that is at most twice its records plus CV_DENSE_SLACK
** minutes long (one walk, no sort; the usual case, a day of records), and
** otherwise its records are sorted by start (qsort) and folded run by
** run: bounded memory either way.
**
** The rows are made in xFilter (there are few: one per interface) and the
** records' arrays freed before the first row is returned.
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
typedef uint32_t u32;

/* A dense minute array may be this many minutes longer than 2 x records. */
#define CV_DENSE_SLACK 4096

/* The silences are only searched (exactly, per minute) from this many s. */
#define CV_MIN_THRESHOLD 60

/* Column numbers of CVE_SCHEMA */
#define CVE_INTERFACE_ID 0
#define CVE_SKIP_N 1
#define CVE_NODATA_N 2
#define CVE_OK_N 3
#define CVE_T0 4
#define CVE_T1 5
#define CVE_S0 6
#define CVE_S1 7
#define CVE_ODD 8
#define CVE_GAP 9
#define CVE_N_GAPS 10
#define CVE_G0 11
#define CVE_THRESHOLD 12

#define CVE_SCHEMA "CREATE TABLE x(interface_id TEXT, skip_n INTEGER," \
  " nodata_n INTEGER, ok_n INTEGER, t0 INTEGER, t1 INTEGER, s0 INTEGER," \
  " s1 INTEGER, odd INTEGER, gap INTEGER, n_gaps INTEGER, g0 INTEGER," \
  " threshold HIDDEN)"

/* One record's times, relative to the day's iBase (as the day keeps them). */
typedef struct CveSpan CveSpan;
struct CveSpan {
  int32_t s, e;            /* start; end or VF_DAY_NULL32 */
};

/* One interface: its output row and, while xFilter runs, its records. */
typedef struct CveRow CveRow;
struct CveRow {
  u32 eni;                 /* interned interface_id */
  i64 skip_n, nodata_n, ok_n, odd;
  i64 t0, t1, s0, s1;      /* VF_DAY_NULL64 = NULL */
  i64 eNoStart;            /* max(end) of records without a start, or NULL */
  i64 n_gaps;              /* -1: not searched (NULL) */
  i64 gap, g0;             /* VF_DAY_NULL64 = NULL */
  CveSpan *aSpan;          /* its slice of the records with a start */
  i64 nSpan;               /* records with a start (the slice's length) */
  i64 nFill;               /* slice entries filled (second pass) */
};

typedef VfDayVtab CveVtab;         /* day.h: the slot it reads */

typedef struct CveCursor CveCursor;
struct CveCursor {
  VfDayRows r;               /* the day, nRow, iRow (day.h) */
  CveRow *aRow;            /* one per interface, in output order */
  sqlite3_value *pThreshold; /* the argument as given, or NULL */
};

/* The threshold, decoded: how start - prev_end is compared with it. */
typedef struct CveThreshold CveThreshold;
struct CveThreshold {
  int eType;               /* SQLITE_INTEGER or SQLITE_FLOAT */
  i64 i;                   /* the value if an integer */
  double r;                /* the value if a real */
};

/* start - prev_end >= threshold, as SQL compares an integer with it.
** The difference of two day times fits a double exactly (< 2^33). */
static int cve_at_least(i64 d, const CveThreshold *t){
  if( t->eType==SQLITE_INTEGER ) return d>=t->i;
  return (double)d>=t->r;
}

/* min/max into a VF_DAY_NULL64-means-NULL accumulator */
static void cve_min(i64 *pAcc, i64 v){ if( *pAcc==VF_DAY_NULL64 || v<*pAcc ) *pAcc = v; }
static void cve_max(i64 *pAcc, i64 v){ if( *pAcc==VF_DAY_NULL64 || v>*pAcc ) *pAcc = v; }

/* The minute of start s: floor(s / 60). Not C's (or SQL's) s/60, which
** truncates toward zero and so makes minute 0 two minutes wide (-59..59):
** the per-minute search needs minutes of 60 s, before 1970 too. */
static i64 cve_minute(i64 s){ return s/60 - (s%60<0); }

/*
** One minute of an interface, reached in minute order: the first start
** of the minute (mStart) against the latest end before it (*pPrev), then
** the minute's latest end (mEnd, or NULL) joins *pPrev.
*/
static void cve_minute_step(CveRow *o, const CveThreshold *t, i64 *pPrev,
                            i64 mStart, i64 mEnd){
  if( *pPrev!=VF_DAY_NULL64 && cve_at_least(mStart - *pPrev, t) ){
    o->n_gaps++;
    cve_max(&o->gap, mStart - *pPrev);
    cve_max(&o->g0, *pPrev);
  }
  if( mEnd!=VF_DAY_NULL64 ) cve_max(pPrev, mEnd);
}

static int cve_cmp_span(const void *a, const void *b){
  int32_t x = ((const CveSpan*)a)->s, y = ((const CveSpan*)b)->s;
  return x<y ? -1 : x>y;
}

/*
** Search the silences of interface o (records o->aSpan, none odd) per
** minute. aMin/aMax is scratch of *pnScratch minutes, grown here as
** needed. Return SQLITE_OK or SQLITE_NOMEM.
*/
static int cve_search(CveRow *o, i64 iBase, const CveThreshold *t,
                      i64 **paMin, i64 **paMax, i64 *pnScratch){
  i64 prev = o->eNoStart;
  i64 mLo, mHi, nMin, i;
  o->n_gaps = 0;
  if( o->nSpan==0 ) return SQLITE_OK;
  mLo = mHi = cve_minute(o->aSpan[0].s + iBase);
  for(i=1; i<o->nSpan; i++){
    i64 m = cve_minute(o->aSpan[i].s + iBase);
    if( m<mLo ) mLo = m;
    if( m>mHi ) mHi = m;
  }
  nMin = mHi - mLo + 1;
  if( nMin<=2*o->nSpan + CV_DENSE_SLACK ){
    /* Dense: min(start), max(end) per minute, one walk in minute order. */
    i64 *aMin, *aMax;
    if( nMin>*pnScratch ){
      i64 *a1 = realloc(*paMin, sizeof(i64)*(size_t)nMin), *a2 = 0;
      if( a1 ){
        *paMin = a1;
        a2 = realloc(*paMax, sizeof(i64)*(size_t)nMin);
        if( a2 ) *paMax = a2;
      }
      if( a2==0 ) return SQLITE_NOMEM;
      *pnScratch = nMin;
    }
    aMin = *paMin; aMax = *paMax;
    for(i=0; i<nMin; i++){ aMin[i] = INT64_MAX; aMax[i] = VF_DAY_NULL64; }
    for(i=0; i<o->nSpan; i++){
      i64 s = o->aSpan[i].s + iBase;
      i64 k = cve_minute(s) - mLo;
      if( s<aMin[k] ) aMin[k] = s;
      /* not odd: every end is there (the caller checked) */
      cve_max(&aMax[k], o->aSpan[i].e + iBase);
    }
    for(i=0; i<nMin; i++){
      if( aMin[i]!=INT64_MAX ) cve_minute_step(o, t, &prev, aMin[i], aMax[i]);
    }
  }else{
    /* Sparse (minutes far apart): sort by start, fold each minute's run
    ** (the minute never decreases as start grows, so a minute is a run). */
    i64 j;
    qsort(o->aSpan, (size_t)o->nSpan, sizeof(CveSpan), cve_cmp_span);
    for(i=0; i<o->nSpan; i=j){
      i64 m = cve_minute(o->aSpan[i].s + iBase), mEnd = VF_DAY_NULL64;
      for(j=i; j<o->nSpan && cve_minute(o->aSpan[j].s + iBase)==m; j++){
        cve_max(&mEnd, o->aSpan[j].e + iBase);
      }
      cve_minute_step(o, t, &prev, o->aSpan[i].s + iBase, mEnd);
    }
  }
  return SQLITE_OK;
}

/* SQLite's order of two rows' interface values: text (BINARY), then blob. */
static int cve_cmp_rows(const void *a, const void *b, void *pArg){
  const VfDay *d = (const VfDay*)pArg;
  const NormStr *x = &d->aStr[((const CveRow*)a)->eni];
  const NormStr *y = &d->aStr[((const CveRow*)b)->eni];
  int bx = x->tag=='b', by = y->tag=='b', c;
  u32 n = x->nLen<y->nLen ? x->nLen : y->nLen;
  if( bx!=by ) return bx - by;
  c = memcmp(d->aBuf+x->iOff, d->aBuf+y->iOff, n);
  if( c ) return c;
  return x->nLen<y->nLen ? -1 : x->nLen>y->nLen;
}

static void cve_free_rows(CveCursor *p){
  free(p->aRow);
  p->aRow = 0;
  p->r.nRow = p->r.iRow = 0;
}

/*
** Make the rows: one pass over the records (counts, spans), then the
** silences of each interface if pT is not NULL. Return SQLITE_OK or
** SQLITE_NOMEM.
*/
static int cve_build(CveCursor *p, const CveThreshold *pT){
  const VfDay *d = p->r.pDay;
  u32 *aSlot;              /* interned id -> 1 + index in aRow, 0 unseen */
  i64 nAlloc = 0, i, nScratch = 0;
  i64 *aMin = 0, *aMax = 0;
  CveSpan *aAll = 0;       /* every interface's slice of spans */
  i64 nAll = 0;
  int rc = SQLITE_OK;
  aSlot = vf_store_calloc(d->nStr ? d->nStr : 1, sizeof(u32));
  if( aSlot==0 ) return SQLITE_NOMEM;
  for(i=0; i<d->nRec && rc==SQLITE_OK; i++){
    const NormRec *r = &d->aRec[i];
    const VfDayRec *x = &d->aExt[i];
    CveRow *o;
    i64 s, e;
    if( r->eni==0 ) continue;
    if( aSlot[r->eni]==0 ){
      if( p->r.nRow==nAlloc ){
        i64 nNew = nAlloc ? 2*nAlloc : 64;
        CveRow *aNew = realloc(p->aRow, sizeof(CveRow)*(size_t)nNew);
        if( aNew==0 ){ rc = SQLITE_NOMEM; break; }
        p->aRow = aNew;
        nAlloc = nNew;
      }
      o = &p->aRow[p->r.nRow++];
      memset(o, 0, sizeof(*o));
      o->eni = r->eni;
      o->t0 = o->t1 = o->s0 = o->s1 = o->eNoStart = VF_DAY_NULL64;
      o->gap = o->g0 = VF_DAY_NULL64;
      o->n_gaps = -1;
      aSlot[r->eni] = (u32)p->r.nRow;
    }
    o = &p->aRow[aSlot[r->eni]-1];
    s = (r->in & NR_START_NULL) ? VF_DAY_NULL64 : (i64)r->start + d->iBase;
    e = x->end==VF_DAY_NULL32 ? VF_DAY_NULL64 : (i64)x->end + d->iBase;
    if( x->status==VF_DAY_SKIPDATA ){
      o->skip_n++;
      if( s!=VF_DAY_NULL64 ) cve_min(&o->s0, s);
      if( e!=VF_DAY_NULL64 ) cve_max(&o->s1, e);
    }else if( x->status==VF_DAY_NODATA ){
      o->nodata_n++;
    }else if( x->status==VF_DAY_OK ){
      o->ok_n++;
    }
    if( s!=VF_DAY_NULL64 ) cve_min(&o->t0, s);
    if( e!=VF_DAY_NULL64 ) cve_max(&o->t1, e);
    if( s==VF_DAY_NULL64 ){
      if( e!=VF_DAY_NULL64 ) cve_max(&o->eNoStart, e);
    }else{
      if( e==VF_DAY_NULL64 || e<s ) o->odd++;
      o->nSpan++;
    }
  }
  /* the spans, for the silences: one slice per interface, filled in a
  ** second pass in record order */
  if( rc==SQLITE_OK && pT ){
    for(i=0; i<p->r.nRow; i++) nAll += p->aRow[i].nSpan;
    aAll = vf_store_alloc(sizeof(CveSpan)*(size_t)(nAll ? nAll : 1));
    if( aAll==0 ) rc = SQLITE_NOMEM;
  }
  if( aAll ){
    i64 iOff = 0;
    for(i=0; i<p->r.nRow; i++){
      p->aRow[i].aSpan = aAll + iOff;
      iOff += p->aRow[i].nSpan;
    }
    for(i=0; i<d->nRec; i++){
      const NormRec *r = &d->aRec[i];
      CveRow *o;
      if( r->eni==0 || (r->in & NR_START_NULL) ) continue;
      o = &p->aRow[aSlot[r->eni]-1];
      o->aSpan[o->nFill].s = r->start;
      o->aSpan[o->nFill].e = d->aExt[i].end;
      o->nFill++;
    }
  }
  vf_store_free(aSlot);
  for(i=0; i<p->r.nRow && rc==SQLITE_OK; i++){
    CveRow *o = &p->aRow[i];
    if( pT && o->odd==0 ) rc = cve_search(o, d->iBase, pT, &aMin, &aMax, &nScratch);
  }
  for(i=0; i<p->r.nRow; i++){
    p->aRow[i].aSpan = 0;
    p->aRow[i].nSpan = p->aRow[i].nFill = 0;
  }
  vf_store_free(aAll);
  free(aMin); free(aMax);
  if( rc==SQLITE_OK && p->r.nRow>1 ){
    qsort_r(p->aRow, (size_t)p->r.nRow, sizeof(CveRow), cve_cmp_rows, (void*)d);
  }
  return rc;
}

static int cveConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  (void)argc; (void)argv; (void)pzErr;
  return vf_day_vtab_connect(db, pAux, CVE_SCHEMA, sizeof(CveVtab), ppVtab);
}

static int cveOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  (void)pVtab;
  return vf_day_cursor_open(sizeof(CveCursor), ppCur);
}

static void cve_reset(CveCursor *p){
  cve_free_rows(p);
  sqlite3_value_free(p->pThreshold);
  p->pThreshold = 0;
  vf_day_unref(p->r.pDay);
  p->r.pDay = 0;
}

static int cveClose(sqlite3_vtab_cursor *pCur){
  cve_reset((CveCursor*)pCur);
  sqlite3_free(pCur);
  return SQLITE_OK;
}

/* An error message on the table; returns SQLITE_ERROR. */
static int cve_error(sqlite3_vtab *pVtab, const char *zMsg){
  sqlite3_free(pVtab->zErrMsg);
  pVtab->zErrMsg = sqlite3_mprintf("%s", zMsg);
  return SQLITE_ERROR;
}

/*
** idxNum 1: argv[0] is the threshold (threshold = ?, the table-valued
** function's argument); 0: no threshold, the silences are not searched.
*/
static int cveFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                     const char *idxStr, int argc, sqlite3_value **argv){
  CveCursor *p = (CveCursor*)pCur;
  CveVtab *pTab = (CveVtab*)pCur->pVtab;
  CveThreshold t, *pT = 0;
  (void)idxStr;
  cve_reset(p);
  if( vf_day_hold(&pTab->base, "vpcflow_coverage_eni", &p->r.pDay) ) return SQLITE_ERROR;
  if( idxNum==1 && argc>=1 ){
    int eType = sqlite3_value_type(argv[0]);
    if( eType==SQLITE_TEXT || eType==SQLITE_BLOB ){
      return cve_error(pCur->pVtab, "vpcflow_coverage_eni: the threshold"
          " (seconds) must be a number");
    }
    p->pThreshold = sqlite3_value_dup(argv[0]);
    if( p->pThreshold==0 ) return SQLITE_NOMEM;
    t.eType = eType;
    t.i = sqlite3_value_int64(argv[0]);
    t.r = sqlite3_value_double(argv[0]);
    /* Exact per minute only from 60 s (a NaN is no threshold either). */
    if( eType==SQLITE_INTEGER ? t.i>=CV_MIN_THRESHOLD
     : eType==SQLITE_FLOAT && t.r>=CV_MIN_THRESHOLD ) pT = &t;
  }
  return cve_build(p, pT);
}

/*
** An equality on the hidden threshold column becomes argv[0] (idxNum 1).
** One that is not usable in this plan makes the plan impossible
** (SQLITE_CONSTRAINT), so SQLite puts the table after whatever gives it.
*/
static int cveBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  int i, iEq = -1, bUnusable = 0;
  (void)pVtab;
  for(i=0; i<pInfo->nConstraint; i++){
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    if( c->iColumn!=CVE_THRESHOLD || c->op!=SQLITE_INDEX_CONSTRAINT_EQ ) continue;
    if( !c->usable ){ bUnusable = 1; continue; }
    if( iEq<0 ) iEq = i;
  }
  if( iEq<0 && bUnusable ) return SQLITE_CONSTRAINT;
  if( iEq>=0 ){
    pInfo->aConstraintUsage[iEq].argvIndex = 1;
    pInfo->aConstraintUsage[iEq].omit = 1;
    pInfo->idxNum = 1;
  }
  pInfo->estimatedCost = 1e6;
  pInfo->estimatedRows = 1000;
  return SQLITE_OK;
}



static void cve_result(sqlite3_context *ctx, i64 v){
  if( v!=VF_DAY_NULL64 ) sqlite3_result_int64(ctx, v);
}

static int cveColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  CveCursor *p = (CveCursor*)pCur;
  const CveRow *o = &p->aRow[p->r.iRow];
  switch( iCol ){
    case CVE_INTERFACE_ID: vf_day_result_id(ctx, p->r.pDay, o->eni); break;
    case CVE_SKIP_N: sqlite3_result_int64(ctx, o->skip_n); break;
    case CVE_NODATA_N: sqlite3_result_int64(ctx, o->nodata_n); break;
    case CVE_OK_N: sqlite3_result_int64(ctx, o->ok_n); break;
    case CVE_T0: cve_result(ctx, o->t0); break;
    case CVE_T1: cve_result(ctx, o->t1); break;
    case CVE_S0: cve_result(ctx, o->s0); break;
    case CVE_S1: cve_result(ctx, o->s1); break;
    case CVE_ODD: sqlite3_result_int64(ctx, o->odd); break;
    case CVE_GAP: cve_result(ctx, o->gap); break;
    case CVE_N_GAPS: if( o->n_gaps>=0 ) sqlite3_result_int64(ctx, o->n_gaps); break;
    case CVE_G0: cve_result(ctx, o->g0); break;
    default: if( p->pThreshold ) sqlite3_result_value(ctx, p->pThreshold); break;
  }
  return SQLITE_OK;
}


static const sqlite3_module cveModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = cveConnect,
  .xBestIndex  = cveBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = cveOpen,
  .xClose      = cveClose,
  .xFilter     = cveFilter,
  .xNext       = vfDayRowsNext,
  .xEof        = vfDayRowsEof,
  .xColumn     = cveColumn,
  .xRowid      = vfDayRowsRowid,
};

/* Register vpcflow_coverage_eni over pSlot (day.c's vf_day_register). */
int vf_day_coverage_register(sqlite3 *db, VfDaySlot *pSlot){
  return sqlite3_create_module_v2(db, "vpcflow_coverage_eni", &cveModule, pSlot, 0);
}
