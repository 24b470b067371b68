/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day_first.c - vpcflow_first_record: the first traffic record behind a
** finding, looked up in the prepared day (day.h) for the drill-down of
** sql/hunt.sql (protocol, interface_id, account_id, vpc_id, first_record).
**
** Usage (after sql/prepare.sql made the day):
**
**   SELECT * FROM vpcflow_first_record('10.0.1.15', NULL, 22, 1700000000);
**   UPDATE findings SET (protocol, first_record, ...) =
**     (SELECT r.protocol, r.log_file || ':' || r.log_line, ...
**        FROM (SELECT 1) LEFT JOIN vpcflow_first_record(findings.src,
**             findings.dst, findings.port, t0, t1) AS r);   -- sql/hunt.sql
**
** Arguments (hidden columns, in this order):
**   src   the finding's source address, or its ENI ('eni-...'), or NULL
**   dst   its destination address, or NULL
**   port  its port, or NULL
**   t0    its first_seen in Unix seconds (required; NULL = no row)
**   t1    optional: its last_seen in Unix seconds (NULL: no span)
**   mode  optional: NULL or 'auto' (the rule below), or 'src', 'dst',
**         'eni', 'any' to apply one step of it alone (tests, investigation)
**
** Result: no row, or one row: log_file, log_line, protocol, interface_id,
** account_id, vpc_id and start of the chosen record, as vpcflow_traffic
** shows them, and `rule` ('src', 'dst', 'eni' or 'any': the step that
** found it).
**
** THE RULE (sql/hunt.sql's drill-down comment). A finding's minute is
** [t0, t0+59] (a detection that floors first_seen to its minute still
** finds its first record); its span is [t0, t1]. "First" is ORDER BY
** start, log_file, log_line (NULL first; log_file compared as BINARY
** bytes; a full tie goes to the earlier record of the day), among the
** traffic records (the rows of vpcflow_traffic) unless said otherwise:
**   1. src given and not LIKE 'eni-%': the first record whose src is src,
**      and whose dst is dst when dst is given, and whose dstport or srcport
**      is port when port is given;
**   2. none (or no src: dos names none; or src is not an address of the
**      day, e.g. exposed_service's list of scanners) and dst given: the
**      first record whose dst is dst and, when port is given, dstport is
**      port;
**   3. src LIKE 'eni-%' (log_coverage): the first traffic record of that
**      interface in the minute [t0, t0+59] (steps 1 and 2 do not apply);
**   4. none: the interface's first record of ANY log status (a row of
**      vpcflow_records: NODATA, SKIPDATA, the copies set aside) with
**      start >= t0, however late (an idle interface writes only NODATA;
**      a silence or SKIPDATA need not start one).
** Steps 1 and 2 are tried in the minute, then, if neither finds a record
** and t1 is later, in the span (reject_spike floors first_seen to the
** hour: its source's first record may come minutes into it); so a later
** record of the source never beats one to the destination in the minute.
** Text arguments match the day's text by bytes (numbers by their text, as
** SQL's TEXT affinity would make them); a blob only a blob; a text the
** day never holds matches nothing. port takes numeric affinity ('22' is
** 22); anything not an integer matches nothing.
**
** WHY A FUNCTION PER FINDING (and not one table over all findings): a
** lookup is a binary search plus a walk over one address's records in
** its window, so N findings cost N small lookups, whatever the spread of
** their windows over the day; the SQL that used to do this had to copy
** every record in the union of all windows (the whole day when findings
** are many) into a temporary table and index it three times. Per finding,
** the rule stays in one place and composes with UPDATE or LEFT JOIN.
**
** HOW IT WORKS
**
** The first call on a day builds, once, what it needs and keeps it with
** the day (VfDay.pFirst, freed by vf_day_unref through
** vf_day_first_free()):
**   - a hash of the day's interned strings by bytes (open addressing:
**     a u32 id per slot, slots a power of two >= 2 per string, so 8 to 16
**     bytes per string), text -> id(s);
**   - per address kind, a permutation of the records with a start, sorted
**     by (id of src / dst / interface_id, start): vf_day_sort's radix sort
**     over a 64-bit key (id << 32 | start with its sign bit flipped), which
**     is stable, so equal keys keep the day's record order. src and dst
**     hold the traffic records, interface_id every record (step 3 skips
**     what is not traffic as it walks). 4 bytes per record per index used
**     (12 for all three); the keys and the sort's scratch (8 + 12 bytes
**     per record) are freed as soon as the index is sorted, but for every
**     FR_SAMPLE-th key (below).
** Every FR_SAMPLE-th key of each sorted index is kept in a small array
** (aSamp: 0.5 byte per record), also freed with the day; a lookup finds
** by halves the first sample >= (id, t0) in it, then by halves among the
** FR_SAMPLE entries before that sample (keys read from the records: a
** cache miss each at 10 M records, so 4 instead of ~24), which gives the
** first entry >= (id, t0); then it walks while the id
** is the same and start is in the window, and keeps the best record that
** passes the step's tests; once one is found only records of its same
** second can still beat it (by log_file, log_line), so the walk stops at
** the next second. A finding whose address has many records in its
** window that fail the tests (another dst or port) costs a walk over
** them: never more than the records of that address in the window.
** A text that several ids hold (the same bytes as text and as a number)
** is looked up under each and the best kept.
**
** The table is eponymous and DIRECT-ONLY: it shows what files held.
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
typedef uint8_t u8;

#define FR_SRC 0                 /* the steps, and the index of each */
#define FR_DST 1
#define FR_ENI 2
#define FR_ANY 3                 /* step 4: over FR_ENI's index */
#define FR_AUTO 4                /* mode NULL / 'auto': the whole rule */

#define FR_WINDOW 59             /* seconds after t0 still in the window */
#define FR_MAXIDS 4              /* ids one text can have: 't','i','r' */
#define FR_SAMPLE 16             /* entries of an index per sampled key */

/* Columns: the result, then the hidden arguments in argument order. */
#define FR_LOG_FILE 0
#define FR_LOG_LINE 1
#define FR_PROTOCOL 2
#define FR_INTERFACE_ID 3
#define FR_ACCOUNT_ID 4
#define FR_VPC_ID 5
#define FR_START 6
#define FR_RULE 7
#define FR_ARG0 8                /* src, dst, port, t0, t1, mode */
#define FR_NARG 6

#define FR_SCHEMA "CREATE TABLE x(log_file TEXT, log_line INTEGER," \
  " protocol INTEGER, interface_id TEXT, account_id TEXT, vpc_id TEXT," \
  " start INTEGER, rule TEXT, src HIDDEN, dst HIDDEN, port HIDDEN," \
  " t0 HIDDEN, t1 HIDDEN, mode HIDDEN)"

/* What a day keeps for this table (VfDay.pFirst). */
typedef struct FrDay FrDay;
struct FrDay {
  u32 *aHash;              /* ids by bytes; 0 = empty slot */
  u64 mHash;               /* slot count - 1 (a power of two - 1) */
  u32 *aBy[3];             /* FR_SRC/DST/ENI: sorted record indexes */
  u64 nBy[3];              /* entries of each */
  u64 *aSamp[3];           /* key of every FR_SAMPLE-th entry of aBy[k] */
  int bBy[3];              /* aBy[k] is built */
};

/* Free what day_first.c kept with a day (vf_day_unref calls it). */
void vf_day_first_free(VfDay *d){
  FrDay *f = d ? (FrDay*)d->pFirst : 0;
  int k;
  if( f==0 ) return;
  free(f->aHash);
  for(k=0; k<3; k++){ vf_store_free(f->aBy[k]); free(f->aSamp[k]); }
  sqlite3_free(f);
  d->pFirst = 0;
}

/* ------------------------------------------------------- text -> ids */

/* FNV-1a over the bytes. */
static u64 fr_hash(const u8 *z, u32 n){
  u64 h = 0xcbf29ce484222325ULL;
  u32 i;
  for(i=0; i<n; i++){ h ^= z[i]; h *= 0x100000001b3ULL; }
  return h ^ (h>>29);
}

/* Build the hash of every interned string. Return SQLITE_OK or NOMEM. */
static int fr_hash_build(const VfDay *d, FrDay *f){
  u64 nSlot = 16;
  u32 id;
  while( nSlot < (u64)d->nStr*2 ) nSlot <<= 1;
  f->aHash = calloc(nSlot, sizeof(u32));
  if( f->aHash==0 ) return SQLITE_NOMEM;
  f->mHash = nSlot-1;
  for(id=1; id<d->nStr; id++){
    const NormStr *e = &d->aStr[id];
    u64 h = fr_hash((const u8*)d->aBuf+e->iOff, e->nLen) & f->mHash;
    while( f->aHash[h] ) h = (h+1) & f->mHash;
    f->aHash[h] = id;
  }
  return SQLITE_OK;
}

/*
** The ids whose bytes are z[0..n-1]: the blob id if bBlob, else those of
** every other tag. Write at most FR_MAXIDS into aId; return the count.
*/
static int fr_ids(const VfDay *d, const FrDay *f, const char *z, u32 n,
                  int bBlob, u32 *aId){
  u64 h = fr_hash((const u8*)z, n) & f->mHash;
  int nId = 0;
  u32 id;
  while( (id = f->aHash[h])!=0 ){
    const NormStr *e = &d->aStr[id];
    if( e->nLen==n && (e->tag=='b')==(bBlob!=0)
     && memcmp(d->aBuf+e->iOff, z, n)==0 && nId<FR_MAXIDS ){
      aId[nId++] = id;
    }
    h = (h+1) & f->mHash;
  }
  return nId;
}

/* ------------------------------------------------- the sorted indexes */

/* The id record r is sorted under in index k. */
static u32 fr_key_id(const NormRec *r, int k){
  return k==FR_SRC ? r->src : k==FR_DST ? r->dst : r->eni;
}

/* The 64-bit sort key of (id, start): start's sign bit flipped so that
** unsigned order is signed order. */
static u64 fr_key(u32 id, int32_t start){
  return ((u64)id<<32) | (u64)((u32)start ^ 0x80000000u);
}

/* Is record i a traffic record (a row of vpcflow_traffic; norm.c)? */
static int fr_is_traffic(const VfDay *d, u32 i){
  return d->aExt[i].status==VF_DAY_OK && NO_SKIP(d->aRec[i].out)==0;
}

/* Every FR_SAMPLE-th key of the sorted aKey[0..n-1], in an array of
** its own (malloc: aKey is a day-store block, freed by the caller), or
** NULL when out of memory. */
static u64 *fr_samples(const u64 *aKey, u64 n){
  u64 j, nSamp = (n + FR_SAMPLE - 1)/FR_SAMPLE;
  u64 *p = malloc(sizeof(u64)*(size_t)(nSamp ? nSamp : 1));
  if( p==0 ) return 0;
  for(j=0; j<nSamp; j++) p[j] = aKey[j*FR_SAMPLE];
  return p;
}

/* Build index k: the records with that id and a start, by key: the
** traffic records for src and dst, every record for the ENI (step 4
** reads all log statuses; step 3 skips what is not traffic). */
static int fr_index_build(const VfDay *d, FrDay *f, int k){
  u64 n = 0, t;
  u64 nIn = k==FR_ENI ? (u64)d->nRec : (u64)d->nTraffic;
  u64 *aKey = vf_store_alloc(sizeof(u64)*(size_t)(nIn ? nIn : 1));
  u32 *aIdx = vf_store_alloc(sizeof(u32)*(size_t)(nIn ? nIn : 1));
  int rc;
  if( aKey==0 || aIdx==0 ){ vf_store_free(aKey); vf_store_free(aIdx); return SQLITE_NOMEM; }
  for(t=0; t<nIn; t++){
    u32 i = k==FR_ENI ? (u32)t : d->aTraffic[t];
    const NormRec *r = &d->aRec[i];
    u32 id = fr_key_id(r, k);
    if( id==0 || (r->in & NR_START_NULL) ) continue;   /* never matches */
    aKey[n] = fr_key(id, r->start);
    aIdx[n] = i;
    n++;
  }
  rc = vf_day_sort(aKey, aIdx, n);
  if( rc==SQLITE_OK ){
    f->aSamp[k] = fr_samples(aKey, n);
    if( f->aSamp[k]==0 ) rc = SQLITE_NOMEM;
  }
  vf_store_free(aKey);
  if( rc ){ vf_store_free(aIdx); return rc; }
  f->aBy[k] = aIdx;
  f->nBy[k] = n;
  f->bBy[k] = 1;
  return SQLITE_OK;
}

/* The day's FrDay with the hash and index k built (k<0: hash only). */
static int fr_day_ready(VfDay *d, int k, FrDay **ppF){
  FrDay *f = (FrDay*)d->pFirst;
  int rc = SQLITE_OK;
  if( f==0 ){
    f = sqlite3_malloc(sizeof(*f));
    if( f==0 ) return SQLITE_NOMEM;
    memset(f, 0, sizeof(*f));
    rc = fr_hash_build(d, f);
    if( rc ){ sqlite3_free(f); return rc; }
    d->pFirst = f;
  }
  if( k>=0 && !f->bBy[k] ) rc = fr_index_build(d, f, k);
  *ppF = f;
  return rc;
}

/* ------------------------------------------------------------ lookups */

/* What one lookup tests besides the id. */
typedef struct FrWant FrWant;
struct FrWant {
  int k;                   /* FR_SRC, FR_DST or FR_ENI: the index */
  const u32 *aDst; int nDst;   /* FR_SRC: dst must be one of these (nDst<0: any) */
  int bPort; i64 iPort;    /* port wanted (FR_SRC: src or dst port; FR_DST: dst) */
  int bNoPort;             /* a port was given that no record can have */
  int bTraffic;            /* FR_ENI: traffic records only (step 3) */
  i64 s0, s1;              /* the window, relative to iBase */
};

static int fr_passes(const VfDay *d, u32 i, const FrWant *w){
  const NormRec *r = &d->aRec[i];
  if( w->bTraffic && !fr_is_traffic(d, i) ) return 0;
  if( w->k==FR_SRC && w->nDst>=0 ){
    int j;
    for(j=0; j<w->nDst && r->dst!=w->aDst[j]; j++){}
    if( j==w->nDst ) return 0;
  }
  if( w->bNoPort ) return 0;
  if( w->bPort ){
    int bD = !(r->in & NR_DPORT_NULL) && r->dport==w->iPort;
    int bS = w->k==FR_SRC && !(r->in & NR_SPORT_NULL) && r->sport==w->iPort;
    if( !bD && !bS ) return 0;
  }
  return 1;
}

/* Compare two interned log_file ids as ORDER BY log_file would (NULL
** first, then bytes as BINARY; text before blob). */
static int fr_cmp_file(const VfDay *d, u32 a, u32 b){
  const NormStr *ea, *eb;
  u32 n;
  int c;
  if( a==b ) return 0;
  if( a==0 ) return -1;
  if( b==0 ) return 1;
  ea = &d->aStr[a]; eb = &d->aStr[b];
  if( (ea->tag=='b')!=(eb->tag=='b') ) return ea->tag=='b' ? 1 : -1;
  n = ea->nLen<eb->nLen ? ea->nLen : eb->nLen;
  c = memcmp(d->aBuf+ea->iOff, d->aBuf+eb->iOff, n);
  if( c ) return c;
  return ea->nLen<eb->nLen ? -1 : ea->nLen>eb->nLen;
}

/* Is record a before record b in ORDER BY start, log_file, log_line?
** (Equal: the earlier record of the day, as the stable sort left them.) */
static int fr_before(const VfDay *d, u32 a, u32 b){
  const NormRec *ra = &d->aRec[a], *rb = &d->aRec[b];
  const VfDayRec *xa = &d->aExt[a], *xb = &d->aExt[b];
  int c;
  if( ra->start!=rb->start ) return ra->start<rb->start;
  c = fr_cmp_file(d, xa->file, xb->file);
  if( c ) return c<0;
  if( xa->line!=xb->line ) return xa->line<xb->line;   /* 0 = NULL: first */
  return a<b;
}

/*
** The first record of index w->k under id that passes w, or -1.
*/
static i64 fr_find(const VfDay *d, const FrDay *f, u32 id, const FrWant *w){
  const u32 *a = f->aBy[w->k];
  const u64 *aS = f->aSamp[w->k];
  u64 n = f->nBy[w->k], lo = 0, hi = (n + FR_SAMPLE - 1)/FR_SAMPLE;
  u64 kLo = fr_key(id, (int32_t)w->s0);
  i64 iBest = -1;
  if( w->s0>w->s1 ) return -1;
  /* The first entry whose key is >= kLo: first the first sample that is
  ** (a small array, mostly in cache), then by halves among the FR_SAMPLE
  ** entries before it, whose keys come from the records. */
  while( lo<hi ){
    u64 mid = lo + (hi-lo)/2;
    if( aS[mid]<kLo ) lo = mid+1; else hi = mid;
  }
  if( lo==0 ){
    hi = 0;
  }else{
    hi = lo*FR_SAMPLE<n ? lo*FR_SAMPLE : n;
    lo = (lo-1)*FR_SAMPLE + 1;
  }
  while( lo<hi ){
    u64 mid = lo + (hi-lo)/2;
    const NormRec *r = &d->aRec[a[mid]];
    if( fr_key(fr_key_id(r, w->k), r->start)<kLo ) lo = mid+1; else hi = mid;
  }
  for(; lo<n; lo++){
    const NormRec *r = &d->aRec[a[lo]];
    if( fr_key_id(r, w->k)!=id || r->start>w->s1 ) break;
    if( iBest>=0 && r->start!=d->aRec[iBest].start ) break;   /* a later second */
    if( !fr_passes(d, a[lo], w) ) continue;
    if( iBest<0 || fr_before(d, a[lo], (u32)iBest) ) iBest = a[lo];
  }
  return iBest;
}

/* Best of the lookups under each of aId[0..nId-1]. */
static i64 fr_find_any(const VfDay *d, const FrDay *f, const u32 *aId,
                       int nId, const FrWant *w){
  i64 iBest = -1;
  int j;
  for(j=0; j<nId; j++){
    i64 i = fr_find(d, f, aId[j], w);
    if( i>=0 && (iBest<0 || fr_before(d, (u32)i, (u32)iBest)) ) iBest = i;
  }
  return iBest;
}

/*
** Set w's window to [t0, t1] relative to the day's iBase, clamped to
** start's int32 range (a difference that overflows int64 is far outside
** it, on its side). Return 0 if no start can be in it.
*/
static int fr_window(const VfDay *d, i64 t0, i64 t1, FrWant *w){
  i64 s0, s1;
  if( __builtin_sub_overflow(t0, d->iBase, &s0) ) s0 = t0<0 ? INT64_MIN : INT64_MAX;
  if( __builtin_sub_overflow(t1, d->iBase, &s1) ) s1 = t1<0 ? INT64_MIN : INT64_MAX;
  if( s1<s0 || s1<INT32_MIN || s0>INT32_MAX ) return 0;
  w->s0 = s0<INT32_MIN ? INT32_MIN : s0;
  w->s1 = s1>INT32_MAX ? INT32_MAX : s1;
  return 1;
}

/* ------------------------------------------------------------ the table */

typedef VfDayVtab FrVtab;         /* day.h: the slot it reads */

typedef struct FrCursor FrCursor;
struct FrCursor {
  sqlite3_vtab_cursor base;    /* Base class - must be first */
  VfDay *pDay;             /* held while the cursor is open */
  i64 iRec;                /* the record found, -1 = none */
  int eRule;               /* the step that found it */
  int bEof;
};

static int frConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  (void)argc; (void)argv; (void)pzErr;
  return vf_day_vtab_connect(db, pAux, FR_SCHEMA, sizeof(FrVtab), ppVtab);
}

/*
** idxNum: bit j set = argument j (src, dst, port, t0, t1, mode) is given;
** argv holds the given ones in that order. An argument SQLite cannot
** supply yet (its table is inner) makes the plan unusable
** (SQLITE_CONSTRAINT), so the planner puts the arguments' table first.
*/
static int frBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  int aIdx[FR_NARG];
  int i, j, nArg = 0, mask = 0, bUnusable = 0;
  (void)pVtab;
  for(j=0; j<FR_NARG; j++) aIdx[j] = -1;
  for(i=0; i<pInfo->nConstraint; i++){
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    if( c->iColumn<FR_ARG0 ) continue;
    if( c->op!=SQLITE_INDEX_CONSTRAINT_EQ ) continue;
    if( !c->usable ){ bUnusable = 1; continue; }
    aIdx[c->iColumn-FR_ARG0] = i;
  }
  for(j=0; j<FR_NARG; j++){
    if( aIdx[j]<0 ) continue;
    mask |= 1<<j;
    pInfo->aConstraintUsage[aIdx[j]].argvIndex = ++nArg;
    pInfo->aConstraintUsage[aIdx[j]].omit = 1;
  }
  if( bUnusable ) return SQLITE_CONSTRAINT;
  pInfo->idxNum = mask;
  pInfo->estimatedCost = 20;
  pInfo->estimatedRows = 1;
  pInfo->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
  return SQLITE_OK;
}

static int frOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  FrCursor *p = sqlite3_malloc(sizeof(*p));
  (void)pVtab;
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->bEof = 1;
  *ppCur = &p->base;
  return SQLITE_OK;
}

static int frClose(sqlite3_vtab_cursor *pCur){
  FrCursor *p = (FrCursor*)pCur;
  vf_day_unref(p->pDay);
  sqlite3_free(p);
  return SQLITE_OK;
}

/* A real number of seconds as a whole second: rounded up if bUp, else
** down; clamped to int64's range. */
static i64 fr_sec(double r, int bUp){
  i64 v;
  if( r>=9.2e18 ) return INT64_MAX;
  if( r<=-9.2e18 ) return INT64_MIN;
  v = (i64)r;                       /* toward zero */
  if( bUp && (double)v<r ) v++;
  if( !bUp && (double)v>r ) v--;
  return v;
}

/* Set the vtab's error message; return SQLITE_ERROR. */
static int fr_error(sqlite3_vtab_cursor *pCur, const char *zMsg){
  sqlite3_free(pCur->pVtab->zErrMsg);
  pCur->pVtab->zErrMsg = sqlite3_mprintf("vpcflow_first_record: %s", zMsg);
  return SQLITE_ERROR;
}

/* A text-ish argument's ids (0 if NULL or unknown to the day). */
static int fr_arg_ids(const VfDay *d, const FrDay *f, sqlite3_value *v,
                      u32 *aId, int *pRc){
  int eType = v ? sqlite3_value_type(v) : SQLITE_NULL;
  const char *z;
  int n;
  if( eType==SQLITE_NULL ) return 0;
  if( eType==SQLITE_BLOB ){
    z = (const char*)sqlite3_value_blob(v);
  }else{
    z = (const char*)sqlite3_value_text(v);
  }
  n = sqlite3_value_bytes(v);
  if( z==0 && n>0 ){ *pRc = SQLITE_NOMEM; return 0; }
  return fr_ids(d, f, z ? z : "", (u32)n, eType==SQLITE_BLOB, aId);
}

/* Does text v begin with 'eni-' (LIKE 'eni-%': ASCII case folded)?
** (Only a text can: and sqlite3_value_text() would make a blob text.) */
static int fr_is_eni(sqlite3_value *v){
  const unsigned char *z;
  int eType = v ? sqlite3_value_type(v) : SQLITE_NULL;
  if( eType!=SQLITE_TEXT ) return 0;
  z = sqlite3_value_text(v);
  if( z==0 || sqlite3_value_bytes(v)<4 ) return 0;
  return (z[0]|0x20)=='e' && (z[1]|0x20)=='n' && (z[2]|0x20)=='i' && z[3]=='-';
}

static int frFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  FrCursor *p = (FrCursor*)pCur;
  FrVtab *pTab = (FrVtab*)pCur->pVtab;
  sqlite3_value *aArg[FR_NARG];
  VfDay *d;
  FrDay *f = 0;
  FrWant w;
  i64 t0, t1, tMin;
  int j, n = 0, eMode = FR_AUTO, rc = SQLITE_OK;
  (void)idxStr;
  for(j=0; j<FR_NARG; j++){
    aArg[j] = ((idxNum>>j)&1) && n<argc ? argv[n++] : 0;
  }
  p->bEof = 1;
  p->iRec = -1;
  if( vf_day_hold(&pTab->base, "vpcflow_first_record", &p->pDay) ) return SQLITE_ERROR;
  if( aArg[3]==0 ){
    return fr_error(pCur, "t0 (the 4th argument, first_seen in Unix "
                    "seconds) is required");
  }
  if( aArg[5] && sqlite3_value_type(aArg[5])!=SQLITE_NULL ){
    const char *z = (const char*)sqlite3_value_text(aArg[5]);
    if( z==0 ) return SQLITE_NOMEM;
    if( sqlite3_stricmp(z, "auto")==0 ) eMode = FR_AUTO;
    else if( sqlite3_stricmp(z, "src")==0 ) eMode = FR_SRC;
    else if( sqlite3_stricmp(z, "dst")==0 ) eMode = FR_DST;
    else if( sqlite3_stricmp(z, "eni")==0 ) eMode = FR_ENI;
    else if( sqlite3_stricmp(z, "any")==0 ) eMode = FR_ANY;
    else return fr_error(pCur, "mode (the 6th argument) is one of "
                         "'auto', 'src', 'dst', 'eni', 'any'");
  }
  d = p->pDay;

  /* t0 (numeric affinity): the window is the whole seconds in
  ** [t0, t0+59]; not a number, no row */
  {
    int eType = sqlite3_value_numeric_type(aArg[3]);
    if( eType==SQLITE_INTEGER ){
      t0 = sqlite3_value_int64(aArg[3]);
      tMin = t0>INT64_MAX-FR_WINDOW ? INT64_MAX : t0 + FR_WINDOW;
    }else if( eType==SQLITE_FLOAT ){
      double r = sqlite3_value_double(aArg[3]);
      if( r!=r ) return SQLITE_OK;                       /* NaN */
      t0 = fr_sec(r, 1);
      tMin = fr_sec(r + FR_WINDOW, 0);
    }else{
      return SQLITE_OK;
    }
  }
  /* t1 (the finding's last_seen), numeric: the end of the second window
  ** when later than the minute; anything else, no second window */
  t1 = tMin;
  if( aArg[4] ){
    int eType = sqlite3_value_numeric_type(aArg[4]);
    if( eType==SQLITE_INTEGER ) t1 = sqlite3_value_int64(aArg[4]);
    if( eType==SQLITE_FLOAT && sqlite3_value_double(aArg[4])==sqlite3_value_double(aArg[4]) ){
      t1 = fr_sec(sqlite3_value_double(aArg[4]), 0);
    }
  }

  /* port: numeric affinity, an integer in 0..65535 or nothing matches */
  memset(&w, 0, sizeof(w));
  if( aArg[2] && sqlite3_value_type(aArg[2])!=SQLITE_NULL ){
    int eType = sqlite3_value_numeric_type(aArg[2]);
    w.bPort = 1;
    if( eType==SQLITE_INTEGER ){
      w.iPort = sqlite3_value_int64(aArg[2]);
    }else if( eType==SQLITE_FLOAT ){
      double r = sqlite3_value_double(aArg[2]);
      if( r>=0 && r<=65535 && (double)(i64)r==r ) w.iPort = (i64)r;
      else w.bNoPort = 1;
    }else{
      w.bNoPort = 1;
    }
    if( w.iPort<0 || w.iPort>65535 ) w.bNoPort = 1;
  }

  {
    u32 aSrc[FR_MAXIDS], aDst[FR_MAXIDS];
    int nSrc, nDst, iPass, bEni = fr_is_eni(aArg[0]);
    int bSrc = aArg[0] && sqlite3_value_type(aArg[0])!=SQLITE_NULL;
    int bDst = aArg[1] && sqlite3_value_type(aArg[1])!=SQLITE_NULL;
    rc = fr_day_ready(d, -1, &f);
    if( rc ) return rc;
    nSrc = fr_arg_ids(d, f, aArg[0], aSrc, &rc);
    if( rc ) return rc;
    nDst = fr_arg_ids(d, f, aArg[1], aDst, &rc);
    if( rc ) return rc;

    /* Steps 1 and 2 in the minute from t0, then (nothing found, and a t1
    ** after it) in [t0, t1]: a later record of the source never beats
    ** one to the destination in the first minute. */
    for(iPass=0; iPass<2 && p->iRec<0 && !(bEni && eMode==FR_AUTO); iPass++){
      if( iPass==1 && t1<=tMin ) break;
      if( !fr_window(d, t0, iPass ? t1 : tMin, &w) ) continue;
      /* 1. by source (and destination and port) */
      if( (eMode==FR_AUTO && bSrc) || eMode==FR_SRC ){
        if( nSrc>0 && (!bDst || nDst>0) ){
          rc = fr_day_ready(d, FR_SRC, &f);
          if( rc ) return rc;
          w.k = FR_SRC;
          w.aDst = aDst;
          w.nDst = bDst ? nDst : -1;
          p->iRec = fr_find_any(d, f, aSrc, nSrc, &w);
          p->eRule = FR_SRC;
        }
      }
      /* 2. else by destination and port (as dstport) */
      if( p->iRec<0 && (eMode==FR_AUTO || eMode==FR_DST) && nDst>0 ){
        rc = fr_day_ready(d, FR_DST, &f);
        if( rc ) return rc;
        w.k = FR_DST;
        w.nDst = -1;
        p->iRec = fr_find_any(d, f, aDst, nDst, &w);
        p->eRule = FR_DST;
      }
    }
    /* 3. an ENI finding: the interface's first traffic record in the
    ** minute; 4. else its first record of any log status from t0 on */
    if( ((eMode==FR_AUTO && bEni) || eMode==FR_ENI) && nSrc>0
     && fr_window(d, t0, tMin, &w) ){
      rc = fr_day_ready(d, FR_ENI, &f);
      if( rc ) return rc;
      w.k = FR_ENI;
      w.nDst = -1;
      w.bPort = w.bNoPort = 0;
      w.bTraffic = 1;
      p->iRec = fr_find_any(d, f, aSrc, nSrc, &w);
      p->eRule = FR_ENI;
    }
    if( p->iRec<0 && ((eMode==FR_AUTO && bEni) || eMode==FR_ANY) && nSrc>0
     && fr_window(d, t0, INT64_MAX, &w) ){
      rc = fr_day_ready(d, FR_ENI, &f);
      if( rc ) return rc;
      w.k = FR_ENI;
      w.nDst = -1;
      w.bPort = w.bNoPort = 0;
      w.bTraffic = 0;
      p->iRec = fr_find_any(d, f, aSrc, nSrc, &w);
      p->eRule = FR_ANY;
    }
  }
  p->bEof = p->iRec<0;
  return SQLITE_OK;
}

static int frNext(sqlite3_vtab_cursor *pCur){
  ((FrCursor*)pCur)->bEof = 1;     /* one row at most */
  return SQLITE_OK;
}

static int frEof(sqlite3_vtab_cursor *pCur){
  return ((FrCursor*)pCur)->bEof;
}

/* A text value of the day, as vpcflow_traffic shows it (blobs stay). */
static int frColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int iCol){
  FrCursor *p = (FrCursor*)pCur;
  const VfDay *d = p->pDay;
  const NormRec *r = &d->aRec[p->iRec];
  const VfDayRec *x = &d->aExt[p->iRec];
  switch( iCol ){
    case FR_LOG_FILE: vf_day_result_id(ctx, d, x->file); break;
    case FR_LOG_LINE: if( x->line ) sqlite3_result_int64(ctx, x->line); break;
    case FR_PROTOCOL:
      if( !(r->in & NR_PROTO_NULL) ) sqlite3_result_int(ctx, r->proto);
      break;
    case FR_INTERFACE_ID: vf_day_result_id(ctx, d, r->eni); break;
    case FR_ACCOUNT_ID: vf_day_result_id(ctx, d, x->account); break;
    case FR_VPC_ID: vf_day_result_id(ctx, d, x->vpc); break;
    case FR_START: sqlite3_result_int64(ctx, (i64)r->start + d->iBase); break;
    case FR_RULE:
      sqlite3_result_text(ctx, p->eRule==FR_SRC ? "src" : p->eRule==FR_DST
                          ? "dst" : p->eRule==FR_ENI ? "eni" : "any", -1, SQLITE_STATIC);
      break;
    default: break;           /* the hidden arguments: not kept */
  }
  return SQLITE_OK;
}

static int frRowid(sqlite3_vtab_cursor *pCur, sqlite3_int64 *pRowid){
  *pRowid = ((FrCursor*)pCur)->iRec + 1;
  return SQLITE_OK;
}

static const sqlite3_module frModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only */
  .xConnect    = frConnect,
  .xBestIndex  = frBestIndex,
  .xDisconnect = vfDayDisconnect,
  .xDestroy    = vfDayDisconnect,
  .xOpen       = frOpen,
  .xClose      = frClose,
  .xFilter     = frFilter,
  .xNext       = frNext,
  .xEof        = frEof,
  .xColumn     = frColumn,
  .xRowid      = frRowid,
};

/* Register vpcflow_first_record over pSlot (day.c's vf_day_register). */
int vf_day_first_register(sqlite3 *db, VfDaySlot *pSlot){
  return sqlite3_create_module_v2(db, "vpcflow_first_record", &frModule, pSlot, 0);
}
