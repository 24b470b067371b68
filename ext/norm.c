/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** norm.c - the flow normaliser behind sql/prepare.sql: direction, NAT
** copies, both-ENI duplicates, replies, answered, connection starts,
** computed in C in one streaming pass with hash tables and radix sorts,
** instead of UPDATEs with correlated self-joins.
**
** Usage (sql/prepare.sql does this; the table is any table or view with
** vpcflow's column names, usually the vpcflow virtual table temp.flows):
**
**   CREATE TEMP TABLE vpcflow_day AS
**     SELECT * FROM vpcflow_prepare('flows', 3);
**   CREATE TEMP VIEW flows_n AS
**     SELECT * FROM vpcflow_normalize('flows', 3);
**   CREATE TEMP TABLE vpcflow_translator AS
**     SELECT * FROM vpcflow_translators('flows', 3);
**   CREATE TEMP TABLE vpcflow_eni AS
**     SELECT * FROM vpcflow_eni_addresses('flows', 3);
**
**   vpcflow_normalize(TABLE [, NAT_MIN_MATCHES])  one row per row of TABLE
**       with the 36 columns of flows_n (see sql/prepare.sql's header):
**       the input columns (missing ones NULL), src/dst, dir, src_private,
**       dst_private, skip, resp, answered, conn_start. NAT_MIN_MATCHES is
**       the tunable nat_min_matches (default 3; NULL or text: no address
**       is a translator, as `count(*) >= NULL` is never true in SQL).
**   vpcflow_translators(TABLE [, NAT_MIN_MATCHES])  (addr, matches): the
**       NAT translator addresses found, as vpcflow_translator held them.
**   vpcflow_eni_addresses(TABLE [, NAT_MIN_MATCHES])  (interface_id, addr,
**       n): each ENI's own address as inferred for records without
**       flow-direction (the reference's vpcflow_eni).
**   vpcflow_prepare(TABLE [, NAT_MIN_MATCHES])  pass 1 and the flags,
**       keeping the day in memory for the connection (day.h; the tables
**       of day.c serve it to the detections); one row of counts: records,
**       traffic, ok, nodata, skipdata, nat, dup, files, t0, t1.
**   The two list functions reuse the lists of the last analysis over the
**   same TABLE and NAT_MIN_MATCHES on the connection, and
**   vpcflow_normalize() the flags of the prepared day made from them;
**   otherwise they run the first pass themselves.
**
** TABLE is a table name (not schema-qualified), quoted as an identifier,
** read on the same connection. The functions are DIRECT-ONLY: they read
** tables named by their argument (and vpcflow reads files), so a view or
** trigger in an untrusted database file must not be able to call them.
**
** THE REFERENCE. The meaning of every flag is defined by the SQL this
** replaced, kept as tests/hunt/prepare_reference.sql; tests/hunt/diff.sh
** compares the two row for row and column for column over the scenario
** (v5, v2), random-address data and dense random records
** (tests/hunt/randflows.py), and compares the hunt's findings. Inputs
** the reference would read differently are refused with an error naming
** the row: a port outside 0..65535, a protocol outside 0..255, a start
** that is not an integer within 63 years of the first one.
**
** HOW IT WORKS
**
** Pass 1 (in xFilter) reads TABLE once: a vpcflow table in place, through
** its hidden column vpcflow_row (rowref.h: the fields where the parser
** left them, no SQL value per field), any other table through a SELECT of
** the key columns (and, for vpcflow_prepare(), the day's):
**     interface_id, srcaddr, dstaddr, src, dst, srcport, dstport,
**     protocol, start, log_status = 'OK', lower(flow_direction), tcp_flags
** Every text value is interned (one hash table; id 0 is NULL) so that a
** record is 32 bytes of ids and small integers (NormRec). While reading,
** the address counts per ENI of the records without flow-direction are
** kept in a second hash table (key ENI id << 32 | address id).
** Then, in memory, in the order of the reference's UPDATEs:
**   (a) dir: each ENI's own address is its most frequent one (ties: the
**       smallest, as SQLite's max() over the sorted GROUP BY keeps the
**       first); records without flow-direction get egress/ingress.
**   (b) NAT translators: candidates are "a" records (log-status OK,
**       private dstaddr) and "b" records (public dstaddr) whose key
**       (srcaddr, srcport, dstport, protocol) the other side also has
**       (two 2^22-bit filters drop the rest before sorting). They are
**       radix-sorted by (hash of the key, start); each a counts the b of
**       its run with |start difference| <= 5 and another interface; an
**       address with count >= NAT_MIN_MATCHES is a translator and every
**       record naming it gets skip = 1.
**   (c) the remaining records with src, dst and start are radix-sorted
**       by (hash of the UNORDERED 5-tuple, start): a record and its
**       replies share a run, ordered by time. A forward scan of each
**       run's +-60 s window finds egress copies of ingress records
**       (skip = 2); then resp follows from tcp-flags and ports; then a
**       +-120 s window gives answered (a reverse record) and, without
**       tcp-flags, conn_start (no same-direction record in the previous
**       120 s). Every window test compares the exact tuple, so a hash
**       collision costs time, never a wrong flag.
** Pass 2 (vpcflow_normalize's xNext) reads every column of TABLE in the
** same order and emits it with its flags. Each row's start is checked
** against pass 1's: a table that changed between the passes is an error,
** not wrong flags. vpcflow_prepare() has no pass 2: the day keeps what
** the detections read of each record (day.h).
**
** MEMORY: pass 1 holds 32 bytes per record (NormRec), 48 more for a day
** (VfDayRec), 12 bytes per sorted record (key and index, twice while
** sorting), the interned strings (~30 bytes each plus their text) and the
** ENI count table. The day keeps NormRec, VfDayRec and the strings: about
** 85 bytes per record (measured: 1.14 GB peak RSS for the whole hunt at
** 10 M records). vpcflow_normalize's pass 2 holds 5 bytes per record.
** The records and the sort arrays come from the day's store
** (day_store.c): malloc below VPCFLOW_DAY_MEMORY_MB, a temporary file
** mapped past it, so that a 100 M-record day fits a few GB.
**
** TIME (CPU seconds, measured on a 2-core machine shared with other
** jobs): vpcflow_prepare() over the realistic day of make bench-hunt,
** reading the gzip files included, 3.1 s at 4 M records, 9.7 s at 10 M
** (before the in-place reading, pass 1 alone took 22 s at 10 M: ~100 ns
** per field through SQL values). The hash lookups miss the cache once the
** tables outgrow it (perf: ~90% of the lookup time is the load of the
** slot; the slots hold short values inline for that reason, and the
** interface and action go through a one-value cache). The reference SQL
** took ~15 µs per record.
**
** COST: one scan of TABLE (two for vpcflow_normalize without a prepared
** day), O(n) hashing and
** radix sorting, window scans bounded by the records of one conversation
** within 120 s (like the reference's index range scans; a flood of
** identical 5-tuples at the same second is quadratic in both).
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "func.h"
#include "ipaddr.h"
#include "norm.h"
#include "day.h"
#include "day_store.h"
#include "rowref.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t i64;

/* ------------------------------------------------------------ hashing */

static u64 norm_mix(u64 x){
  x ^= x>>33; x *= 0xff51afd7ed558ccdULL;
  x ^= x>>33; x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x>>33;
  return x;
}

/* Hash of n bytes (tag byte included by the caller). */
static u64 norm_hash_bytes(u8 tag, const u8 *z, int n){
  u64 h = 0x9e3779b97f4a7c15ULL ^ ((u64)n<<8) ^ tag;
  while( n>=8 ){
    u64 w; memcpy(&w, z, 8);
    h = norm_mix(h ^ w);
    z += 8; n -= 8;
  }
  if( n>0 ){
    u64 w = 0; memcpy(&w, z, (size_t)n);
    h = norm_mix(h ^ w ^ 0x5555);
  }
  return h;
}

/* ---------------------------------------------------- string interning */

/*
** Interned values: id 0 is NULL, ids 1..nStr-1 are distinct (tag, bytes).
** The tag keeps SQL's distinctions: 't' text, 'b' blob, 'i' integer,
** 'r' real (the text of a number with tag 'i' or 'r' is its rendering).
*/
typedef struct NormStrs NormStrs;
typedef struct NormSlot NormSlot;

/*
** One slot of the hash table: 32 bytes, the hash and, for values up to
** NORM_INLINE bytes (every IPv4 address, every interface id), the bytes
** themselves, so that a lookup at 10 M records costs one cache miss
** instead of three (slot, entry, bytes) - measured, that was 90% of the
** lookup time.
*/
#define NORM_INLINE 22
struct NormSlot {
  u32 h;               /* low 32 bits of the hash */
  u32 id;              /* the value's id, 0 = empty slot */
  u8 nLen;             /* length if <= NORM_INLINE, else 255 */
  u8 tag;              /* 't', 'b', 'i' or 'r' */
  char aInl[NORM_INLINE];  /* the bytes, if nLen <= NORM_INLINE */
};
struct NormStrs {
  char *aBuf;          /* all bytes, back to back */
  u64 nBuf, nBufAlloc; /* used and allocated bytes of aBuf */
  NormStr *aStr;       /* aStr[id]: where id's bytes are (one cache line) */
  u32 nStr, nAlloc;    /* ids in use (id 0 included), allocated */
  NormSlot *aSlot;     /* open addressing; id 0 = empty */
  u32 mSlot;           /* slot count - 1 (a power of 2 minus 1) */
};

/*
** Memory for a table whose reads land anywhere in it, in 2 MiB pages
** where the kernel gives them (THP "madvise" mode; madvise is a hint):
** the interning hash's slots (at random 10 M records ~300 k values, a
** 32 MiB table: each lookup of a new address was a TLB miss as well as
** a cache miss with 4 KiB pages) and the day's strings (aStr, aBuf: every
** text value a detection reads from the day). Below 2 MiB, plain malloc.
** Freed with free().
*/
#define NORM_HUGE (2u<<20)
static void *norm_huge_alloc(u64 nByte){
  void *p = 0;
  if( nByte>=NORM_HUGE ){
    nByte = (nByte + NORM_HUGE - 1) & ~(u64)(NORM_HUGE - 1);
    if( posix_memalign(&p, NORM_HUGE, (size_t)nByte) ) return 0;
#ifdef MADV_HUGEPAGE
    madvise(p, (size_t)nByte, MADV_HUGEPAGE);
#endif
    return p;
  }
  return malloc((size_t)(nByte ? nByte : 1));
}
static NormSlot *norm_slots_alloc(u64 nByte){
  NormSlot *a = norm_huge_alloc(nByte);
  if( a ) memset(a, 0, (size_t)nByte);
  return a;
}
static void norm_slots_free(NormSlot *a){ free(a); }

static void norm_strs_free(NormStrs *p){
  sqlite3_free(p->aBuf); sqlite3_free(p->aStr); norm_slots_free(p->aSlot);
  memset(p, 0, sizeof(*p));
}

static int norm_strs_init(NormStrs *p){
  memset(p, 0, sizeof(*p));
  p->mSlot = 1023;
  p->aSlot = norm_slots_alloc(sizeof(NormSlot)*(p->mSlot+1));
  if( p->aSlot==0 ) return SQLITE_NOMEM;
  p->nStr = 1;   /* id 0 = NULL; its entry is allocated on first add */
  return SQLITE_OK;
}

/* Double the slot table (load factor stays below 1/2). */
static int norm_strs_rehash(NormStrs *p){
  u32 mNew = p->mSlot*2+1, i;
  NormSlot *aNew = norm_slots_alloc(sizeof(NormSlot)*((u64)mNew+1));
  if( aNew==0 ) return SQLITE_NOMEM;
  for(i=0; i<=p->mSlot; i++){
    if( p->aSlot[i].id ){
      u32 h = p->aSlot[i].h & mNew;
      while( aNew[h].id ) h = (h+1) & mNew;
      aNew[h] = p->aSlot[i];
    }
  }
  norm_slots_free(p->aSlot);
  p->aSlot = aNew;
  p->mSlot = mNew;
  return SQLITE_OK;
}

/* Grow aStr to hold at least one more id. */
static int norm_strs_grow(NormStrs *p){
  u32 nNew = p->nAlloc ? p->nAlloc*2 : 1024;
  NormStr *a;
  if( nNew<p->nAlloc ) return SQLITE_NOMEM;
  a = sqlite3_realloc64(p->aStr, sizeof(NormStr)*(u64)nNew);
  if( a==0 ) return SQLITE_NOMEM;
  p->aStr = a;
  p->nAlloc = nNew;
  return SQLITE_OK;
}

/*
** The id of (tag, z[0..n-1]), added if new. Return 0 on out-of-memory
** with *pRc set (0 is also NULL's id, but the caller checks *pRc).
*/
static u32 norm_intern_hashed(NormStrs *p, u8 tag, const u8 *z, int n,
                              u32 h, int *pRc){
  u32 i = h & p->mSlot, id;
  NormSlot *pS;
  while( (pS = &p->aSlot[i])->id!=0 ){
    if( pS->h==h && pS->tag==tag ){
      if( n<=NORM_INLINE ){
        if( pS->nLen==(u8)n && memcmp(pS->aInl, z, (size_t)n)==0 ) return pS->id;
      }else if( pS->nLen==255 ){
        const NormStr *e = &p->aStr[pS->id];
        if( e->nLen==(u32)n && memcmp(p->aBuf+e->iOff, z, (size_t)n)==0 ){
          return pS->id;
        }
      }
    }
    i = (i+1) & p->mSlot;
  }
  if( p->nStr>=p->nAlloc && norm_strs_grow(p) ){ *pRc = SQLITE_NOMEM; return 0; }
  if( p->nBuf+(u64)n > p->nBufAlloc ){
    u64 nNew = p->nBufAlloc ? p->nBufAlloc*2 : 65536;
    char *aNew;
    while( nNew<p->nBuf+(u64)n ) nNew *= 2;
    aNew = sqlite3_realloc64(p->aBuf, nNew);
    if( aNew==0 ){ *pRc = SQLITE_NOMEM; return 0; }
    p->aBuf = aNew;
    p->nBufAlloc = nNew;
  }
  id = p->nStr++;
  if( n>0 ) memcpy(p->aBuf+p->nBuf, z, (size_t)n);
  p->aStr[id].iOff = p->nBuf;
  p->aStr[id].nLen = (u32)n;
  p->aStr[id].tag = tag;
  p->nBuf += (u64)n;
  pS->h = h;
  pS->id = id;
  pS->tag = tag;
  if( n<=NORM_INLINE ){
    pS->nLen = (u8)n;
    if( n>0 ) memcpy(pS->aInl, z, (size_t)n);
  }else{
    pS->nLen = 255;
  }
  if( (u64)p->nStr*2 > (u64)p->mSlot && norm_strs_rehash(p) ){
    *pRc = SQLITE_NOMEM;
  }
  return id;
}

static u32 norm_intern(NormStrs *p, u8 tag, const u8 *z, int n, int *pRc){
  return norm_intern_hashed(p, tag, z, n, (u32)norm_hash_bytes(tag, z, n), pRc);
}

/*
** Hash a text value and start loading its slot. The two addresses of a
** record are looked up in a table that, with many distinct addresses,
** is far larger than the caches: nearly every probe waits for memory.
** Hashing both first and prefetching both slots lets the two waits
** overlap (norm_read); the probe itself is norm_intern_hashed().
*/
static u32 norm_hash_prefetch(const NormStrs *p, const u8 *z, int n){
  u32 h = (u32)norm_hash_bytes('t', z, n);
  __builtin_prefetch(&p->aSlot[h & p->mSlot]);
  return h;
}

/*
** Intern value v. bText: the column has TEXT affinity in flows_n
** (interface_id, srcaddr, dstaddr), so numbers become their text as
** SQLite stores them; otherwise the value keeps its type. Values are read
** through sqlite3_value_* (no connection mutex per call, unlike
** sqlite3_column_*) and text with vf_value_chars(), which does not make
** SQLite reallocate the register to add a NUL.
*/
static u32 norm_intern_value(NormStrs *p, sqlite3_value *v, int bText, int *pRc){
  int t = sqlite3_value_type(v);
  const u8 *z;
  int n = 0;
  u8 tag;
  if( t==SQLITE_NULL ) return 0;
  if( t==SQLITE_TEXT ){
    tag = 't';
    z = (const u8*)vf_value_chars(v, &n);
  }else if( t==SQLITE_BLOB ){
    tag = 'b';
    z = sqlite3_value_blob(v);
    n = sqlite3_value_bytes(v);
  }else{
    tag = bText ? 't' : (t==SQLITE_INTEGER ? 'i' : 'r');
    z = sqlite3_value_text(v);
    n = sqlite3_value_bytes(v);
  }
  if( z==0 && n>0 ){
    *pRc = SQLITE_NOMEM;
    return 0;
  }
  return norm_intern(p, tag, z ? z : (const u8*)"", n, pRc);
}

/* Is value v the same (tag, bytes) as interned id? (src vs srcaddr) */
static int norm_is_same(NormStrs *p, sqlite3_value *v, u32 id){
  int n = 0;
  const char *z;
  if( id==0 || sqlite3_value_type(v)!=SQLITE_TEXT || p->aStr[id].tag!='t' ) return 0;
  z = vf_value_chars(v, &n);
  return z && (u32)n==p->aStr[id].nLen && memcmp(z, p->aBuf+p->aStr[id].iOff, (size_t)n)==0;
}

/* ---------------------------------------------- a u64 -> u32 counter */

typedef struct NormCount NormCount;
struct NormCount {
  u64 *aKey;           /* keys; 0 = empty slot (real keys are never 0) */
  u32 *aVal;           /* counts */
  u64 nUsed, mSlot;    /* keys in use, slot count - 1 */
};

static void norm_count_free(NormCount *p){
  sqlite3_free(p->aKey); sqlite3_free(p->aVal);
  memset(p, 0, sizeof(*p));
}

/* Add one to key's count (key != 0). */
static int norm_count_add(NormCount *p, u64 key){
  u64 i;
  if( (p->nUsed+1)*2 > p->mSlot ){
    u64 mOld = p->mSlot, mNew = p->mSlot ? p->mSlot*2+1 : 1023, j;
    u64 *aKey = sqlite3_malloc64(sizeof(u64)*(mNew+1));
    u32 *aVal = sqlite3_malloc64(sizeof(u32)*(mNew+1));
    if( aKey==0 || aVal==0 ){
      sqlite3_free(aKey); sqlite3_free(aVal);
      return SQLITE_NOMEM;
    }
    memset(aKey, 0, sizeof(u64)*(mNew+1));
    for(j=0; p->aKey && j<=mOld; j++){
      if( p->aKey[j] ){
        u64 k = norm_mix(p->aKey[j]) & mNew;
        while( aKey[k] ) k = (k+1) & mNew;
        aKey[k] = p->aKey[j];
        aVal[k] = p->aVal[j];
      }
    }
    sqlite3_free(p->aKey); sqlite3_free(p->aVal);
    p->aKey = aKey; p->aVal = aVal; p->mSlot = mNew;
  }
  i = norm_mix(key) & p->mSlot;
  while( p->aKey[i] && p->aKey[i]!=key ) i = (i+1) & p->mSlot;
  if( p->aKey[i]==0 ){
    p->aKey[i] = key;
    p->aVal[i] = 0;
    p->nUsed++;
  }
  p->aVal[i]++;
  return SQLITE_OK;
}

/* Sort key: high 32 bits a hash, low 32 bits the start, order-preserving. */
static u64 norm_key(u64 h, int32_t start){
  return (h & 0xffffffff00000000ULL) | (u64)(u32)((u32)start ^ 0x80000000u);
}

/*
** The walks over a sorted key (aKey/aIdx) read aRec in the key's order,
** which is random in memory: one cache miss per record, the largest cost
** of pass 2 at 10 M records (perf). Asking for the record NORM_AHEAD
** places ahead lets those misses overlap.
*/
#define NORM_AHEAD 16
#define NORM_PREFETCH(aRec, aIdx, i, n) \
  do{ if( (i)+NORM_AHEAD<(n) ) __builtin_prefetch(&(aRec)[(aIdx)[(i)+NORM_AHEAD]]); }while(0)

/*
** Those walks also set bits of the records' out byte, and a write in
** key order lands anywhere in aRec. Past the memory budget aRec is a
** shared mapping of the day's file (day_store.c), where a write to a
** page the store has trimmed, or the kernel has written back, faults
** it in through the file system's write path: at 10 M records held to
** 300 MB that was a quarter of the hunt's time (perf: ext4_page_mkwrite,
** __block_write_begin_int under the walks). So the walks set their bits
** in aSet, one byte per record in anonymous memory, and
** norm_merge_set() ORs them into aRec in record order, writing each
** page once.
*/
static void norm_merge_set(NormRec *aRec, u8 *aSet, u64 nRec){
  u64 i;
  for(i=0; i<nRec; i++){
    if( aSet[i] ){ aRec[i].out |= aSet[i]; aSet[i] = 0; }
  }
}

/* ------------------------------------------------------- the analysis */

/* What the analysis hands to pass 2 and to vpcflow_translators. */
typedef struct NormResult NormResult;
struct NormResult {
  i64 nRec;            /* records of pass 1 */
  u8 *aOut;            /* aOut[i]: NormRec.out of record i, NO_DIRINPUT */
  int32_t *aStart;     /* aStart[i]: start - iBase, or INT32_MIN if NULL */
  i64 iBase;           /* start of the first record with one */
  int nTr;             /* translator addresses */
  char **azTr;         /* their text */
  i64 *aTrN;           /* their match counts */
  int nEni;            /* ENIs whose own address was inferred */
  char **azEni;        /* interface_id */
  char **azEniAddr;    /* its own address */
  i64 *aEniN;          /* records naming it */
};

static void norm_result_clear(NormResult *p){
  int i;
  sqlite3_free(p->aOut);
  sqlite3_free(p->aStart);
  for(i=0; i<p->nTr; i++) sqlite3_free(p->azTr[i]);
  sqlite3_free(p->azTr);
  sqlite3_free(p->aTrN);
  for(i=0; i<p->nEni; i++){ sqlite3_free(p->azEni[i]); sqlite3_free(p->azEniAddr[i]); }
  sqlite3_free(p->azEni); sqlite3_free(p->azEniAddr); sqlite3_free(p->aEniN);
  memset(p, 0, sizeof(*p));
}

/* Column names of vpcflow that the normaliser reads, and its SQL names. */
static const char *const azField[] = {
  "log_file", "dt", "version", "account_id", "interface_id", "vpc_id",
  "subnet_id", "instance_id", "region", "az_id", "resource_id",
  "log_status", "action", "reject_reason", "srcaddr", "dstaddr",
  "pkt_srcaddr", "pkt_dstaddr", "srcport", "dstport", "protocol",
  "packets", "bytes", "start", "end", "tcp_flags", "traffic_path",
  "pkt_src_aws_service", "pkt_dst_aws_service", "flow_direction",
  "log_line", "vpcflow_row"
};
#define NORM_NFIELD ((int)(sizeof(azField)/sizeof(azField[0])))

/*
** Fill azExpr[i] with `f."name"` or `NULL` for every azField[i], from
** the columns (hidden ones included) of table zTab. Error if zTab has no
** columns (no such table).
*/
static int norm_columns(sqlite3 *db, const char *zTab, char **azExpr,
                        char **pzErr){
  sqlite3_stmt *pStmt = 0;
  int rc, i, nCol = 0;
  for(i=0; i<NORM_NFIELD; i++) azExpr[i] = 0;
  rc = sqlite3_prepare_v2(db,
      "SELECT name FROM pragma_table_xinfo(?1)", -1, &pStmt, 0);
  if( rc ){
    *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    return rc;
  }
  sqlite3_bind_text(pStmt, 1, zTab, -1, SQLITE_STATIC);
  while( (rc = sqlite3_step(pStmt))==SQLITE_ROW ){
    const char *zName = (const char*)sqlite3_column_text(pStmt, 0);
    nCol++;
    for(i=0; zName && i<NORM_NFIELD; i++){
      if( azExpr[i]==0 && sqlite3_stricmp(zName, azField[i])==0 ){
        azExpr[i] = sqlite3_mprintf("f.\"%w\"", zName);
        if( azExpr[i]==0 ){ sqlite3_finalize(pStmt); return SQLITE_NOMEM; }
      }
    }
  }
  sqlite3_finalize(pStmt);
  if( rc!=SQLITE_DONE ){
    *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    return SQLITE_ERROR;
  }
  if( nCol==0 ){
    *pzErr = sqlite3_mprintf("no such table: %s", zTab);
    return SQLITE_ERROR;
  }
  for(i=0; i<NORM_NFIELD; i++){
    if( azExpr[i]==0 ){
      azExpr[i] = sqlite3_mprintf("NULL");
      if( azExpr[i]==0 ) return SQLITE_NOMEM;
    }
  }
  return SQLITE_OK;
}

static void norm_columns_free(char **azExpr){
  int i;
  for(i=0; i<NORM_NFIELD; i++){ sqlite3_free(azExpr[i]); azExpr[i] = 0; }
}

/* Index of a field in azField[] (compile-time names, so never -1). */
static int norm_f(const char *zName){
  int i;
  for(i=0; i<NORM_NFIELD; i++) if( strcmp(azField[i], zName)==0 ) return i;
  return 0;
}

/*
** Read integer value v as flows_n stores it (INTEGER affinity): NULL
** (return 1), an integer (return 0, *pV set), or an error (return 2) for
** anything that stays text, blob or a non-integral real.
*/
static int norm_int_col(sqlite3_value *v, i64 *pV){
  switch( sqlite3_value_type(v) ){
    case SQLITE_NULL: return 1;
    case SQLITE_INTEGER: *pV = sqlite3_value_int64(v); return 0;
    case SQLITE_FLOAT: {
      double r = sqlite3_value_double(v);
      if( r>=-9.2e18 && r<=9.2e18 && (double)(i64)r==r ){ *pV = (i64)r; return 0; }
      return 2;
    }
    case SQLITE_TEXT: {
      const char *z = (const char*)sqlite3_value_text(v);
      char *zEnd = 0;
      long long x;
      if( z==0 ) return 2;
      while( *z==' ' || *z=='\t' ) z++;
      if( *z==0 ) return 2;
      x = strtoll(z, &zEnd, 10);
      while( zEnd && (*zEnd==' ' || *zEnd=='\t') ) zEnd++;
      if( zEnd==0 || *zEnd!=0 ) return 2;
      *pV = x;
      return 0;
    }
    default: return 2;
  }
}

/* Same 5-tuple, same direction (IS for ports and protocol). */
static int norm_same(const NormRec *a, const NormRec *b){
  return a->src==b->src && a->dst==b->dst && a->proto==b->proto
      && a->sport==b->sport && a->dport==b->dport
      && ((a->in ^ b->in) & (NR_SPORT_NULL|NR_DPORT_NULL|NR_PROTO_NULL))==0;
}

/* b is the reverse of a: b.src = a.dst, b.srcport IS a.dstport, ... */
static int norm_reverse(const NormRec *a, const NormRec *b){
  int sa = (a->in & NR_SPORT_NULL)!=0, da = (a->in & NR_DPORT_NULL)!=0;
  int sb = (b->in & NR_SPORT_NULL)!=0, db = (b->in & NR_DPORT_NULL)!=0;
  return a->src==b->dst && a->dst==b->src
      && sa==db && da==sb && (sa || a->sport==b->dport)
      && (da || a->dport==b->sport)
      && ((a->in ^ b->in) & NR_PROTO_NULL)==0
      && ((a->in & NR_PROTO_NULL) || a->proto==b->proto);
}

static int norm_eq_ports(const NormRec *a, const NormRec *b){
  return a->sport==b->sport && a->dport==b->dport && a->proto==b->proto
      && a->saddr==b->saddr;
}

/* Port as a 17-bit key: NULL is 0x10000, so IS-equality is key equality. */
#define NORM_PK(r,bit,v) (((r)->in & (bit)) ? 0x10000u : (u32)(v))

/* Hash of the unordered 5-tuple of r: r and its reverse hash the same. */
static u64 norm_tuple_hash(const NormRec *r){
  u64 e1 = ((u64)r->src<<17) | NORM_PK(r, NR_SPORT_NULL, r->sport);
  u64 e2 = ((u64)r->dst<<17) | NORM_PK(r, NR_DPORT_NULL, r->dport);
  u64 p = (r->in & NR_PROTO_NULL) ? 0x100 : r->proto;
  if( e1>e2 ){ u64 t = e1; e1 = e2; e2 = t; }
  return norm_mix(norm_mix(e1*0x9e3779b97f4a7c15ULL ^ p) + e2);
}

/* Compare interned ids a and b as SQLite's BINARY collation would. */
static int norm_strcmp(const NormStrs *s, u32 a, u32 b){
  u32 na = s->aStr[a].nLen, nb = s->aStr[b].nLen;
  int c = memcmp(s->aBuf+s->aStr[a].iOff, s->aBuf+s->aStr[b].iOff, na<nb ? na : nb);
  return c ? c : (na<nb ? -1 : na>nb);
}

/* Is count n >= the tunable nat_min_matches (SQL comparison rules)? */
static int norm_nat_ok(sqlite3_value *pNat, u64 n){
  if( pNat==0 ) return n>=3;
  switch( sqlite3_value_type(pNat) ){
    case SQLITE_INTEGER: return (i64)n>=sqlite3_value_int64(pNat);
    case SQLITE_FLOAT:   return (double)n>=sqlite3_value_double(pNat);
    default:             return 0;  /* NULL, or text/blob: above any number */
  }
}

/* ------------------------------------------------ pass 1: the reading */

/*
** Pass 1 reads each record either through SQL values (any table) or, when
** the table is a vpcflow table, in place through its hidden column
** vpcflow_row (rowref.h): the same fields, with the same SQL meaning,
** without one SQL value per field (~100 ns each through the virtual
** table). NormReader holds what either way needs.
*/
#define NRF_ENI 0          /* the fields, in the generic SELECT's order */
#define NRF_SADDR 1
#define NRF_DADDR 2
#define NRF_SRC 3          /* coalesce(pkt_srcaddr, srcaddr) */
#define NRF_DST 4
#define NRF_SPORT 5
#define NRF_DPORT 6
#define NRF_PROTO 7
#define NRF_START 8
#define NRF_LSOK 9         /* upper(coalesce(log_status, 'OK')) = 'OK' */
#define NRF_DIR 10         /* lower(flow_direction) */
#define NRF_TCPF 11
#define NRF_ACTION 12      /* upper(action); these: the day only */
#define NRF_PACKETS 13
#define NRF_BYTES 14
#define NRF_END 15
#define NRF_SSVC 16
#define NRF_DSVC 17
#define NRF_FILE 18
#define NRF_LINE 19
#define NRF_STATUS 20      /* upper(coalesce(log_status, 'OK')) */
#define NRF_ACCOUNT 21
#define NRF_VPC 22

/*
** The last value read of one field and its id: records come in runs of
** one interface and a few actions, and a byte compare with the previous
** value is cheaper than a hash lookup that misses the cache.
*/
typedef struct NormLast NormLast;
struct NormLast {
  char z[48];
  int n;
  u32 id;                  /* 0: nothing kept */
};

typedef struct NormReader NormReader;
struct NormReader {
  sqlite3_stmt *pStmt;     /* SELECT over the table */
  int bRef;                /* pStmt reads vpcflow_row (else the NRF_ list) */
  int bDay;                /* read the day's fields too */
  int bSlots;              /* the slots below are known */
  /* in place: the slot of each field, -1 = the file format lacks it */
  int iEni, iSaddr, iDaddr, iPsrc, iPdst, iSport, iDport, iProto, iStart;
  int iStatus, iDir, iTcpf, iAction, iPackets, iBytes, iEnd, iSsvc, iDsvc;
  int iAccount, iVpc;
  const char *zLastFile;   /* log_file of the previous record ... */
  u32 idLastFile;          /* ... and its id */
  NormLast lastEni, lastAction, lastAccount, lastVpc;  /* previous values */
};

/* The slots of a vpcflow table's fields; 1 if one has an unexpected type
** (then the generic reading is used). */
static int norm_ref_slots(NormReader *r, const void *pRef){
  static const struct { const char *zName; int bInt; size_t iOff; } a[] = {
    { "interface_id", 0, offsetof(NormReader, iEni) },
    { "srcaddr", 0, offsetof(NormReader, iSaddr) },
    { "dstaddr", 0, offsetof(NormReader, iDaddr) },
    { "pkt_srcaddr", 0, offsetof(NormReader, iPsrc) },
    { "pkt_dstaddr", 0, offsetof(NormReader, iPdst) },
    { "srcport", 1, offsetof(NormReader, iSport) },
    { "dstport", 1, offsetof(NormReader, iDport) },
    { "protocol", 1, offsetof(NormReader, iProto) },
    { "start", 1, offsetof(NormReader, iStart) },
    { "log_status", 0, offsetof(NormReader, iStatus) },
    { "flow_direction", 0, offsetof(NormReader, iDir) },
    { "tcp_flags", 1, offsetof(NormReader, iTcpf) },
    { "action", 0, offsetof(NormReader, iAction) },
    { "packets", 1, offsetof(NormReader, iPackets) },
    { "bytes", 1, offsetof(NormReader, iBytes) },
    { "end", 1, offsetof(NormReader, iEnd) },
    { "pkt_src_aws_service", 0, offsetof(NormReader, iSsvc) },
    { "pkt_dst_aws_service", 0, offsetof(NormReader, iDsvc) },
    { "account_id", 0, offsetof(NormReader, iAccount) },
    { "vpc_id", 0, offsetof(NormReader, iVpc) },
  };
  size_t k;
  for(k=0; k<sizeof(a)/sizeof(a[0]); k++){
    int iSlot = vf_rowref_slot(pRef, a[k].zName);
    *(int*)((char*)r + a[k].iOff) = iSlot;
    if( iSlot>=0 && vf_rowref_is_int(pRef, iSlot)!=a[k].bInt ) return 1;
  }
  return 0;
}

/* Prepare the reading of zTab (in place if bRef). */
static int norm_reader_open(NormReader *r, sqlite3 *db, const char *zTab,
                            char **azExpr, int bRef, int bDay, char **pzErr){
  char *zSql;
  int rc;
  memset(r, 0, sizeof(*r));
  r->bRef = bRef;
  r->bDay = bDay;
#define E(n) azExpr[norm_f(n)]
  if( bRef ){
    zSql = sqlite3_mprintf("SELECT vpcflow_row FROM \"%w\"", zTab);
  }else{
    zSql = sqlite3_mprintf(
      "SELECT %s, %s, %s, coalesce(%s, %s), coalesce(%s, %s), %s, %s, %s, %s,"
      " upper(coalesce(%s, 'OK')) = 'OK', lower(%s), %s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s"
      " FROM \"%w\" AS f",
      E("interface_id"), E("srcaddr"), E("dstaddr"),
      E("pkt_srcaddr"), E("srcaddr"), E("pkt_dstaddr"), E("dstaddr"),
      E("srcport"), E("dstport"), E("protocol"), E("start"),
      E("log_status"), E("flow_direction"), E("tcp_flags"),
      bDay ? ", upper(" : "", bDay ? E("action") : "",
      bDay ? "), " : "", bDay ? E("packets") : "",
      bDay ? ", " : "", bDay ? E("bytes") : "",
      bDay ? ", " : "", bDay ? E("end") : "",
      bDay ? ", " : "", bDay ? E("pkt_src_aws_service") : "",
      bDay ? ", " : "", bDay ? E("pkt_dst_aws_service") : "",
      bDay ? ", " : "", bDay ? E("log_file") : "",
      bDay ? ", " : "", bDay ? E("log_line") : "",
      bDay ? ", upper(coalesce(" : "", bDay ? E("log_status") : "",
      bDay ? ", 'OK'))" : "",
      bDay ? ", " : "", bDay ? E("account_id") : "",
      bDay ? ", " : "", bDay ? E("vpc_id") : "",
      zTab);
  }
#undef E
  if( zSql==0 ) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db, zSql, -1, &r->pStmt, 0);
  sqlite3_free(zSql);
  if( rc ) *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  return rc;
}

/* Intern field iSlot of the record in place as text; 0 if NULL/absent. */
static u32 norm_ref_text(NormStrs *p, const void *pRef, int iSlot, int *pRc){
  VfValue v;
  if( iSlot<0 ) return 0;
  vf_rowref_value(pRef, iSlot, &v);
  if( v.bNull ) return 0;
  return norm_intern(p, 't', (const u8*)v.z, v.n, pRc);
}

/* Intern upper(z[0..n-1]) (ASCII, as SQLite's upper()). */
static u32 norm_intern_upper(NormStrs *p, const char *z, int n, int *pRc){
  u8 aBuf[64] = {0}, *zU = n<=(int)sizeof(aBuf) ? aBuf : sqlite3_malloc(n);
  int i;
  u32 id;
  if( zU==0 ){ *pRc = SQLITE_NOMEM; return 0; }
  for(i=0; i<n; i++){
    u8 c = (u8)z[i];
    zU[i] = (c>='a' && c<='z') ? (u8)(c-32) : c;
  }
  id = norm_intern(p, 't', zU, n, pRc);
  if( zU!=aBuf ) sqlite3_free(zU);
  return id;
}

/* Intern v (text) through the one-value cache pL (NormLast). bUpper:
** intern upper(v) instead, as norm_intern_upper(). */
static u32 norm_intern_last(NormStrs *p, const VfValue *v, NormLast *pL,
                            int bUpper, int *pRc){
  u32 id;
  if( pL->id && v->n==pL->n && memcmp(v->z, pL->z, (size_t)v->n)==0 ) return pL->id;
  id = bUpper ? norm_intern_upper(p, v->z, v->n, pRc)
              : norm_intern(p, 't', (const u8*)v->z, v->n, pRc);
  if( v->n<=(int)sizeof(pL->z) && *pRc==SQLITE_OK ){
    memcpy(pL->z, v->z, (size_t)v->n);
    pL->n = v->n;
    pL->id = id;
  }
  return id;
}

/* Integer field iSlot in place: 1 if NULL (or absent), else 0 and *pV. */
static int norm_ref_int(const void *pRef, int iSlot, i64 *pV){
  VfValue v;
  if( iSlot<0 ) return 1;
  vf_rowref_value(pRef, iSlot, &v);
  if( v.bNull ) return 1;
  *pV = v.i;
  return 0;
}

/* DIR_* of flow-direction field iSlot, as lower(flow_direction) reads it
** (ASCII case ignored); DIR_NULL if NULL or absent. One look per record. */
static int norm_ref_dir(const void *pRef, int iSlot){
  VfValue v;
  if( iSlot<0 ) return DIR_NULL;
  vf_rowref_value(pRef, iSlot, &v);
  if( v.bNull ) return DIR_NULL;
  if( v.n==6 && sqlite3_strnicmp(v.z, "egress", 6)==0 ) return DIR_EGRESS;
  if( v.n==7 && sqlite3_strnicmp(v.z, "ingress", 7)==0 ) return DIR_INGRESS;
  return DIR_OTHER;
}

/* upper(log_status) as VF_DAY_*, from its bytes (NULL is 'OK'). */
static u8 norm_status_of(const char *z, int n){
  if( z==0 ) return VF_DAY_OK;
  if( n==2 && sqlite3_strnicmp(z, "OK", 2)==0 ) return VF_DAY_OK;
  if( n==6 && sqlite3_strnicmp(z, "NODATA", 6)==0 ) return VF_DAY_NODATA;
  if( n==8 && sqlite3_strnicmp(z, "SKIPDATA", 8)==0 ) return VF_DAY_SKIPDATA;
  return VF_DAY_OTHER;
}

/* An integer field read for the day: NULL or value, else *pzCol = name. */
static i64 norm_day_int(sqlite3_value *v, const char **pzCol, const char *zName){
  i64 x = 0;
  int e = norm_int_col(v, &x);
  if( e==1 ) return VF_DAY_NULL64;
  if( e==2 || x==VF_DAY_NULL64 ){ *pzCol = zName; return 0; }
  return x;
}

/*
** Read the current record into *r (the key fields) and, for a day, *x.
** Return SQLITE_OK, an error code, or SQLITE_ERROR with *pzCol naming a
** field whose value the reference would read differently.
*/
static int norm_read(NormReader *rd, NormStrs *strs, NormRec *r, VfDayRec *x,
                     i64 *piBase, int *pbBase, const char **pzCol){
  sqlite3_stmt *pStmt = rd->pStmt;
  int rc = SQLITE_OK, e, sN, dN, pN;
  i64 vs = 0, vd = 0, vp = 0, vStart = 0, vEnd = VF_DAY_NULL64;
  int bStartNull;
  int bLsOk, iDir, bTcpf;
  i64 tcpf = 0;
  memset(r, 0, sizeof(*r));
  if( rd->bRef ){
    const void *pRef = sqlite3_value_pointer(sqlite3_column_value(pStmt, 0),
                                             VF_ROWREF_TYPE);
    VfValue vv;
    if( pRef==0 ){ *pzCol = "vpcflow_row"; return SQLITE_ERROR; }
    if( !rd->bSlots ){
      if( norm_ref_slots(rd, pRef) ) return SQLITE_MISMATCH;
      rd->bSlots = 1;
    }
    {
      VfValue vE, vS, vD, vP;
      u32 hS = 0, hD = 0;
      vE.bNull = vS.bNull = vD.bNull = 1;
      if( rd->iEni>=0 ) vf_rowref_value(pRef, rd->iEni, &vE);
      if( rd->iSaddr>=0 ) vf_rowref_value(pRef, rd->iSaddr, &vS);
      if( rd->iDaddr>=0 ) vf_rowref_value(pRef, rd->iDaddr, &vD);
      if( !vS.bNull ) hS = norm_hash_prefetch(strs, (const u8*)vS.z, vS.n);
      if( !vD.bNull ) hD = norm_hash_prefetch(strs, (const u8*)vD.z, vD.n);
      r->eni = vE.bNull ? 0 : norm_intern_last(strs, &vE, &rd->lastEni, 0, &rc);
      r->saddr = vS.bNull ? 0
               : norm_intern_hashed(strs, 't', (const u8*)vS.z, vS.n, hS, &rc);
      r->daddr = vD.bNull ? 0
               : norm_intern_hashed(strs, 't', (const u8*)vD.z, vD.n, hD, &rc);
      /* coalesce(pkt_srcaddr, srcaddr); most pkt-* equal the address */
      r->src = r->saddr;
      if( rd->iPsrc>=0 && (vf_rowref_value(pRef, rd->iPsrc, &vP), !vP.bNull)
       && (vS.bNull || vP.n!=vS.n || memcmp(vP.z, vS.z, (size_t)vP.n)!=0) ){
        r->src = norm_intern(strs, 't', (const u8*)vP.z, vP.n, &rc);
      }
      r->dst = r->daddr;
      if( rd->iPdst>=0 && (vf_rowref_value(pRef, rd->iPdst, &vP), !vP.bNull)
       && (vD.bNull || vP.n!=vD.n || memcmp(vP.z, vD.z, (size_t)vP.n)!=0) ){
        r->dst = norm_intern(strs, 't', (const u8*)vP.z, vP.n, &rc);
      }
    }
    if( rc ) return rc;
    sN = norm_ref_int(pRef, rd->iSport, &vs);
    dN = norm_ref_int(pRef, rd->iDport, &vd);
    pN = norm_ref_int(pRef, rd->iProto, &vp);
    bStartNull = norm_ref_int(pRef, rd->iStart, &vStart);
    e = rd->iStatus>=0 ? (vf_rowref_value(pRef, rd->iStatus, &vv), vv.bNull ? -1 : 1) : -1;
    {
      u8 st = e<0 ? VF_DAY_OK : norm_status_of(vv.z, vv.n);
      bLsOk = st==VF_DAY_OK;
      if( x ) x->status = st;
    }
    iDir = norm_ref_dir(pRef, rd->iDir);
    bTcpf = !norm_ref_int(pRef, rd->iTcpf, &tcpf);
    if( x ){
      i64 t;
      x->action = 0;
      if( rd->iAction>=0 ){
        vf_rowref_value(pRef, rd->iAction, &vv);
        if( !vv.bNull ) x->action = norm_intern_last(strs, &vv, &rd->lastAction, 1, &rc);
      }
      x->packets = norm_ref_int(pRef, rd->iPackets, &t) ? VF_DAY_NULL64 : t;
      x->bytes = norm_ref_int(pRef, rd->iBytes, &t) ? VF_DAY_NULL64 : t;
      vEnd = norm_ref_int(pRef, rd->iEnd, &t) ? VF_DAY_NULL64 : t;
      x->tcpf = VF_DAY_NULL32;
      if( bTcpf ){
        if( tcpf<=INT32_MIN || tcpf>INT32_MAX ){ *pzCol = "tcp_flags"; return SQLITE_ERROR; }
        x->tcpf = (int32_t)tcpf;
      }
      x->ssvc = norm_ref_text(strs, pRef, rd->iSsvc, &rc);
      x->dsvc = norm_ref_text(strs, pRef, rd->iDsvc, &rc);
      x->account = 0;
      if( rd->iAccount>=0 && (vf_rowref_value(pRef, rd->iAccount, &vv), !vv.bNull) ){
        x->account = norm_intern_last(strs, &vv, &rd->lastAccount, 0, &rc);
      }
      x->vpc = 0;
      if( rd->iVpc>=0 && (vf_rowref_value(pRef, rd->iVpc, &vv), !vv.bNull) ){
        x->vpc = norm_intern_last(strs, &vv, &rd->lastVpc, 0, &rc);
      }
      {
        const char *zFile = vf_rowref_file(pRef);
        if( zFile==0 ) return SQLITE_NOMEM;
        if( zFile!=rd->zLastFile ){
          rd->idLastFile = norm_intern(strs, 't', (const u8*)zFile, (int)strlen(zFile), &rc);
          rd->zLastFile = zFile;
        }
        x->file = rd->idLastFile;
      }
      t = vf_rowref_line(pRef);
      x->line = t>0 && t<=(i64)0xffffffffLL ? (u32)t : 0;
      if( rc ) return rc;
    }
  }else{
    sqlite3_value *vCol;
    r->eni = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_ENI), 1, &rc);
    r->saddr = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_SADDR), 1, &rc);
    r->daddr = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_DADDR), 1, &rc);
    {
      sqlite3_value *vSrc = sqlite3_column_value(pStmt, NRF_SRC);
      sqlite3_value *vDst = sqlite3_column_value(pStmt, NRF_DST);
      r->src = norm_is_same(strs, vSrc, r->saddr) ? r->saddr
             : norm_intern_value(strs, vSrc, 0, &rc);
      r->dst = norm_is_same(strs, vDst, r->daddr) ? r->daddr
             : norm_intern_value(strs, vDst, 0, &rc);
    }
    if( rc ) return rc;
    sN = norm_int_col(sqlite3_column_value(pStmt, NRF_SPORT), &vs);
    dN = norm_int_col(sqlite3_column_value(pStmt, NRF_DPORT), &vd);
    pN = norm_int_col(sqlite3_column_value(pStmt, NRF_PROTO), &vp);
    bStartNull = norm_int_col(sqlite3_column_value(pStmt, NRF_START), &vStart);
    if( sN==2 ){ *pzCol = "srcport"; return SQLITE_ERROR; }
    if( dN==2 ){ *pzCol = "dstport"; return SQLITE_ERROR; }
    if( pN==2 ){ *pzCol = "protocol"; return SQLITE_ERROR; }
    if( bStartNull==2 ){ *pzCol = "start"; return SQLITE_ERROR; }
    bLsOk = sqlite3_value_int(sqlite3_column_value(pStmt, NRF_LSOK));
    vCol = sqlite3_column_value(pStmt, NRF_DIR);
    iDir = DIR_NULL;
    if( sqlite3_value_type(vCol)!=SQLITE_NULL ){
      int nDir = 0;
      const char *z = sqlite3_value_type(vCol)==SQLITE_TEXT ? vf_value_chars(vCol, &nDir) : 0;
      if( z && nDir==6 && memcmp(z, "egress", 6)==0 ) iDir = DIR_EGRESS;
      else if( z && nDir==7 && memcmp(z, "ingress", 7)==0 ) iDir = DIR_INGRESS;
      else iDir = DIR_OTHER;
    }
    vCol = sqlite3_column_value(pStmt, NRF_TCPF);
    bTcpf = sqlite3_value_type(vCol)!=SQLITE_NULL;
    /* tcp_flags & 18 converts like SQL's & (text prefix, real trunc) */
    if( bTcpf ) tcpf = sqlite3_value_int64(vCol);
    if( x ){
      i64 t;
      int nSt = 0;
      const char *zSt;
      x->action = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_ACTION), 1, &rc);
      x->packets = norm_day_int(sqlite3_column_value(pStmt, NRF_PACKETS), pzCol, "packets");
      x->bytes = norm_day_int(sqlite3_column_value(pStmt, NRF_BYTES), pzCol, "bytes");
      vEnd = norm_day_int(sqlite3_column_value(pStmt, NRF_END), pzCol, "end");
      t = norm_day_int(sqlite3_column_value(pStmt, NRF_TCPF), pzCol, "tcp_flags");
      x->tcpf = VF_DAY_NULL32;
      if( t!=VF_DAY_NULL64 ){
        if( t<=INT32_MIN || t>INT32_MAX ) *pzCol = "tcp_flags";
        else x->tcpf = (int32_t)t;
      }
      x->ssvc = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_SSVC), 1, &rc);
      x->dsvc = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_DSVC), 1, &rc);
      x->file = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_FILE), 1, &rc);
      x->account = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_ACCOUNT), 1, &rc);
      x->vpc = norm_intern_value(strs, sqlite3_column_value(pStmt, NRF_VPC), 1, &rc);
      t = norm_day_int(sqlite3_column_value(pStmt, NRF_LINE), pzCol, "log_line");
      x->line = t>0 && t<=(i64)0xffffffffLL ? (u32)t : 0;
      zSt = vf_value_chars(sqlite3_column_value(pStmt, NRF_STATUS), &nSt);
      x->status = zSt==0 ? VF_DAY_OTHER
                : nSt==2 && memcmp(zSt, "OK", 2)==0 ? VF_DAY_OK
                : nSt==6 && memcmp(zSt, "NODATA", 6)==0 ? VF_DAY_NODATA
                : nSt==8 && memcmp(zSt, "SKIPDATA", 8)==0 ? VF_DAY_SKIPDATA
                : VF_DAY_OTHER;
      if( rc ) return rc;
      if( *pzCol ) return SQLITE_ERROR;
    }
  }
  if( sN ) r->in |= NR_SPORT_NULL;
  else if( vs>=0 && vs<=65535 ) r->sport = (u16)vs;
  else { *pzCol = "srcport"; return SQLITE_ERROR; }
  if( dN ) r->in |= NR_DPORT_NULL;
  else if( vd>=0 && vd<=65535 ) r->dport = (u16)vd;
  else { *pzCol = "dstport"; return SQLITE_ERROR; }
  if( pN ) r->in |= NR_PROTO_NULL;
  else if( vp>=0 && vp<=255 ) r->proto = (u8)vp;
  else { *pzCol = "protocol"; return SQLITE_ERROR; }
  if( bStartNull ){
    r->in |= NR_START_NULL;
  }else{
    if( !*pbBase ){ *piBase = vStart; *pbBase = 1; }
    if( vStart-*piBase<=-2000000000LL || vStart-*piBase>=2000000000LL ){
      *pzCol = "start"; return SQLITE_ERROR;
    }
    r->start = (int32_t)(vStart-*piBase);
  }
  if( x ){
    x->end = VF_DAY_NULL32;
    if( vEnd!=VF_DAY_NULL64 ){
      if( !*pbBase ){ *piBase = vEnd; *pbBase = 1; }
      if( vEnd-*piBase<=-2000000000LL || vEnd-*piBase>=2000000000LL ){
        *pzCol = "end"; return SQLITE_ERROR;
      }
      x->end = (int32_t)(vEnd-*piBase);
    }
  }
  if( bLsOk ) r->in |= NR_LSOK;
  r->dir0 = (u8)iDir;
  if( bTcpf ){
    r->in |= NR_TCPF;
    if( (tcpf & 18)==18 ) r->in |= NR_SYNACK;
    if( (tcpf & 18)==2 ) r->in |= NR_SYNONLY;
  }
  r->out = r->dir0;
  return SQLITE_OK;
}

/* ------------------------------------------------------- the analysis */

/* A failed allocation of the day's store: its message in *pzErr (out of
** memory, or the temporary file's directory and errno) and its code:
** NOMEM, FULL (no room for the file) or IOERR. */
static int norm_store_error(char **pzErr){
  int e = vf_store_errno();
  if( *pzErr==0 ) *pzErr = sqlite3_mprintf("%s", vf_store_error());
  return e==0 ? SQLITE_NOMEM
       : e==ENOSPC || e==EFBIG || e==EDQUOT ? SQLITE_FULL : SQLITE_IOERR;
}

/*
** Hand the records, their strings and what the detections need of them to
** pDay (day.h): is_private() of every interned value, the list of traffic
** records (log status OK, skip 0) and the counts of the hunt's summary.
** Takes aRec, aExt and strs's bytes on success.
*/
static int norm_day_fill(VfDay *pDay, NormStrs *strs, NormRec *aRec,
                         VfDayRec *aExt, u64 nRec, i64 iBase, char **pzErr){
  u64 i, nT = 0;
  u8 *aSeen;
  pDay->aPriv = sqlite3_malloc64(strs->nStr ? strs->nStr : 1);
  aSeen = sqlite3_malloc64(strs->nStr ? strs->nStr : 1);
  if( pDay->aPriv==0 || aSeen==0 ){ sqlite3_free(aSeen); return SQLITE_NOMEM; }
  memset(aSeen, 0, strs->nStr ? strs->nStr : 1);
  pDay->aPriv[0] = 2;
  for(i=1; i<strs->nStr; i++){
    const NormStr *e = &strs->aStr[i];
    int p = e->tag=='t' ? vf_addr_is_private(strs->aBuf+e->iOff, (int)e->nLen) : -1;
    pDay->aPriv[i] = p<0 ? 2 : (u8)p;
  }
  for(i=0; i<nRec; i++){
    const NormRec *r = &aRec[i];
    const VfDayRec *x = &aExt[i];
    int sk = NO_SKIP(r->out);
    if( x->status==VF_DAY_OK ){
      pDay->nOk++;
      if( sk==0 ) nT++;
      if( !(r->in & NR_START_NULL) && (!pDay->bT0 || r->start<pDay->t0) ){
        pDay->t0 = r->start; pDay->bT0 = 1;
      }
      if( x->end!=VF_DAY_NULL32 && (!pDay->bT1 || x->end>pDay->t1) ){
        pDay->t1 = x->end; pDay->bT1 = 1;
      }
    }else if( x->status==VF_DAY_NODATA ){
      pDay->nNodata++;
    }else if( x->status==VF_DAY_SKIPDATA ){
      pDay->nSkipdata++;
    }
    if( sk==1 ) pDay->nNat++;
    if( sk==2 ) pDay->nDup++;
    if( x->file && !aSeen[x->file] ){ aSeen[x->file] = 1; pDay->nFiles++; }
  }
  sqlite3_free(aSeen);
  pDay->t0 += iBase; pDay->t1 += iBase;
  pDay->aTraffic = vf_store_alloc(sizeof(u32)*(nT ? nT : 1));
  if( pDay->aTraffic==0 ) return norm_store_error(pzErr);
  for(i=0; i<nRec; i++){
    if( aExt[i].status==VF_DAY_OK && NO_SKIP(aRec[i].out)==0 ){
      pDay->aTraffic[pDay->nTraffic++] = (u32)i;
    }
  }
  pDay->nRec = (i64)nRec;
  pDay->iBase = iBase;
  pDay->aRec = aRec;
  pDay->aExt = aExt;
  /* the strings, copied into memory of their own (norm_huge_alloc;
  ** vf_day_unref frees them with free()) */
  {
    u64 nS = sizeof(NormStr)*(u64)strs->nStr;
    char *aB = norm_huge_alloc(strs->nBuf);
    NormStr *aS = norm_huge_alloc(nS);
    if( aB==0 || aS==0 ){ free(aB); free(aS); return SQLITE_NOMEM; }
    if( strs->nBuf ) memcpy(aB, strs->aBuf, (size_t)strs->nBuf);
    if( strs->aStr ) memcpy(aS, strs->aStr, (size_t)nS);
    else memset(aS, 0, (size_t)nS);       /* no value yet: id 0 only */
    pDay->aBuf = aB;
    pDay->aStr = aS;
  }
  pDay->nStr = strs->nStr;
  sqlite3_free(strs->aBuf); sqlite3_free(strs->aStr);
  strs->aBuf = 0; strs->aStr = 0; strs->nStr = 0;
  return SQLITE_OK;
}

/* Records whose pages pass 1 maps ahead at a time (2 MiB of NormRec). */
#define NORM_PREFAULT 65536

/* Grow the record arrays to hold one more. The day's store (day_store.c),
** not sqlite3_realloc64(): SQLite refuses any one allocation over 2 GiB
** (SQLITE_MAX_ALLOCATION_SIZE), which the arrays pass at ~67 M records,
** and past its budget the store keeps them in a temporary file. Doubling
** up to 4 M records, then a quarter more each time: realloc() and the
** file's mremap() move no bytes to grow a big block, and the unused tail
** (at most a fifth) is what the budget counts beyond the records. */
static int norm_grow(NormRec **paRec, VfDayRec **paExt, u64 nRec,
                     u64 *pnAlloc, char **pzErr){
  u64 nNew = *pnAlloc==0 ? 4096
           : *pnAlloc<((u64)1<<22) ? *pnAlloc*2 : *pnAlloc + *pnAlloc/4;
  NormRec *aNew;
  if( nNew>0xfffffffeULL ) nNew = 0xfffffffeULL;
  if( nRec>=nNew ){
    *pzErr = sqlite3_mprintf("more than 4294967294 rows");
    return SQLITE_TOOBIG;
  }
  aNew = vf_store_realloc(*paRec, sizeof(NormRec)*nNew);
  if( aNew==0 ) return norm_store_error(pzErr);
  *paRec = aNew;
  if( paExt ){
    VfDayRec *aExt = vf_store_realloc(*paExt, sizeof(VfDayRec)*nNew);
    if( aExt==0 ) return norm_store_error(pzErr);
    *paExt = aExt;
  }
  *pnAlloc = nNew;
  return SQLITE_OK;
}

/*
** The analysis: pass 1 over zTab and every flag (see HOW IT WORKS).
** On success pRes holds the per-record results and the translators, and
** pDay (if not NULL) the prepared day (day.h).
*/
static int norm_analyse(sqlite3 *db, const char *zTab, sqlite3_value *pNat,
                        NormResult *pRes, VfDay *pDay, char **pzErr){
  char *azExpr[NORM_NFIELD];
  NormReader rd;
  NormStrs strs;
  NormCount eni;
  NormRec *aRec = 0;
  VfDayRec *aExt = 0;
  u64 nRec = 0, nRecAlloc = 0, nRecMapped = 0, i;
  u64 *aKey = 0;
  u32 *aIdx = 0, *aCnt = 0, *aEniAddr = 0;
  u8 *aPriv = 0, *aTr = 0, *aSet = 0;
  u64 *aBits = 0;
  int rc, rcStep = SQLITE_DONE, bBase = 0, bRef;
  i64 iBase = 0;

  memset(pRes, 0, sizeof(*pRes));
  memset(&eni, 0, sizeof(eni));
  memset(&rd, 0, sizeof(rd));
  rc = norm_strs_init(&strs);
  if( rc ) return rc;
  rc = norm_columns(db, zTab, azExpr, pzErr);
  if( rc ) goto done;
  bRef = strcmp(azExpr[norm_f("vpcflow_row")], "NULL")!=0;

  /* ---- pass 1 */
  rc = norm_reader_open(&rd, db, zTab, azExpr, bRef, pDay!=0, pzErr);
  if( rc ) goto done;
  while( (rcStep = sqlite3_step(rd.pStmt))==SQLITE_ROW ){
    NormRec *r;
    const char *zCol = 0;
    if( nRec>=nRecAlloc ){
      rc = norm_grow(&aRec, pDay ? &aExt : 0, nRec, &nRecAlloc, pzErr);
      if( rc ) goto done;
    }
    if( nRec>=nRecMapped ){
      /* map the next NORM_PREFAULT records' pages in one call each
      ** (vf_store_prefault: a fault per 4 KiB page costs more) */
      u64 nTo = nRec + NORM_PREFAULT < nRecAlloc ? nRec + NORM_PREFAULT : nRecAlloc;
      vf_store_prefault(aRec, sizeof(NormRec)*nRec, sizeof(NormRec)*nTo);
      if( pDay ) vf_store_prefault(aExt, sizeof(VfDayRec)*nRec, sizeof(VfDayRec)*nTo);
      nRecMapped = nTo;
    }
    r = &aRec[nRec];
    rc = norm_read(&rd, &strs, r, pDay ? &aExt[nRec] : 0, &iBase, &bBase, &zCol);
    if( rc==SQLITE_MISMATCH && nRec==0 && rd.bRef ){
      /* a field of an unexpected type: read through SQL values instead */
      sqlite3_finalize(rd.pStmt);
      rc = norm_reader_open(&rd, db, zTab, azExpr, 0, pDay!=0, pzErr);
      if( rc ) goto done;
      continue;
    }
    if( rc==SQLITE_ERROR && zCol ){
      *pzErr = sqlite3_mprintf("row %llu of %s: %s is not %s",
          (unsigned long long)nRec+1, zTab, zCol,
          zCol[0]=='v' ? "readable (vpcflow_row is NULL)"
          : (zCol[0]=='s' && zCol[1]=='t') || zCol[0]=='e' ? "an integer within 63 years of the first start"
          : zCol[0]=='p' && zCol[1]=='r' ? "an integer in 0..255"
          : zCol[0]=='s' || zCol[0]=='d' ? "an integer in 0..65535"
          : "an integer");
      goto done;
    }
    if( rc ) goto done;
    /* (a) ENI addresses: records without flow-direction, log-status OK */
    if( r->dir0==DIR_NULL && (r->in & NR_LSOK) && r->eni ){
      if( r->saddr ) rc = norm_count_add(&eni, ((u64)r->eni<<32) | r->saddr);
      if( rc==SQLITE_OK && r->daddr ){
        rc = norm_count_add(&eni, ((u64)r->eni<<32) | r->daddr);
      }
      if( rc ) goto done;
    }
    nRec++;
  }
  if( rcStep!=SQLITE_DONE ){
    rc = rcStep;
    *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    goto done;
  }
  rc = SQLITE_OK;
  sqlite3_finalize(rd.pStmt);
  rd.pStmt = 0;
  vf_store_trim_all();   /* pass 1's pages: back when the steps need them */

  /* ---- (a) dir from each ENI's most frequent address */
  if( eni.nUsed ){
    u32 *aBest = 0;
    aEniAddr = sqlite3_malloc64(sizeof(u32)*strs.nStr);
    aBest = sqlite3_malloc64(sizeof(u32)*strs.nStr);
    if( aEniAddr==0 || aBest==0 ){ sqlite3_free(aBest); rc = SQLITE_NOMEM; goto done; }
    memset(aEniAddr, 0, sizeof(u32)*strs.nStr);
    memset(aBest, 0, sizeof(u32)*strs.nStr);
    for(i=0; i<=eni.mSlot; i++){
      u64 k = eni.aKey[i];
      u32 e, a, n;
      if( k==0 ) continue;
      e = (u32)(k>>32); a = (u32)k; n = eni.aVal[i];
      if( n>aBest[e] || (n==aBest[e] && norm_strcmp(&strs, a, aEniAddr[e])<0) ){
        aBest[e] = n;
        aEniAddr[e] = a;
      }
    }
    for(i=1; i<strs.nStr; i++) if( aEniAddr[i] ) pRes->nEni++;
    pRes->azEni = sqlite3_malloc64(sizeof(char*)*(pRes->nEni+1));
    pRes->azEniAddr = sqlite3_malloc64(sizeof(char*)*(pRes->nEni+1));
    pRes->aEniN = sqlite3_malloc64(sizeof(i64)*(pRes->nEni+1));
    if( pRes->azEni==0 || pRes->azEniAddr==0 || pRes->aEniN==0 ){
      pRes->nEni = 0; sqlite3_free(aBest); rc = SQLITE_NOMEM; goto done;
    }
    {
      int k = 0;
      for(i=1; i<strs.nStr; i++){
        u32 a = aEniAddr[i];
        if( a==0 ) continue;
        pRes->azEni[k] = sqlite3_mprintf("%.*s", (int)strs.aStr[i].nLen, strs.aBuf+strs.aStr[i].iOff);
        pRes->azEniAddr[k] = sqlite3_mprintf("%.*s", (int)strs.aStr[a].nLen, strs.aBuf+strs.aStr[a].iOff);
        pRes->aEniN[k] = aBest[i];
        k++;
        if( pRes->azEni[k-1]==0 || pRes->azEniAddr[k-1]==0 ){
          pRes->nEni = k; sqlite3_free(aBest); rc = SQLITE_NOMEM; goto done;
        }
      }
      pRes->nEni = k;
    }
    sqlite3_free(aBest);
    for(i=0; i<nRec; i++){
      NormRec *r = &aRec[i];
      u32 a;
      if( r->dir0!=DIR_NULL || r->eni==0 || (a = aEniAddr[r->eni])==0 ) continue;
      if( r->saddr==a ) r->out = DIR_EGRESS;
      else if( r->daddr==a ) r->out = DIR_INGRESS;
    }
    sqlite3_free(aEniAddr); aEniAddr = 0;
  }
  norm_count_free(&eni);

  /* ---- (b) NAT translators */
  aPriv = sqlite3_malloc64(strs.nStr);   /* 0 public, 1 private, 2 other, 3 ? */
  if( aPriv==0 ){ rc = SQLITE_NOMEM; goto done; }
  memset(aPriv, 3, strs.nStr);
  aPriv[0] = 2;
  for(i=0; i<nRec; i++){
    u32 d = aRec[i].daddr;
    if( aPriv[d]==3 ){
      if( strs.aStr[d].tag!='t' ){
        aPriv[d] = 2;   /* is_private() is NULL: not a or b ('-' fails below) */
      }else{
        int p = vf_addr_is_private(strs.aBuf+strs.aStr[d].iOff, (int)strs.aStr[d].nLen);
        aPriv[d] = p<0 ? 2 : (u8)p;
      }
    }
  }
  {
    const u64 nBit = (u64)1<<22;
    u64 nCand = 0, j;
    aBits = sqlite3_malloc64(2*nBit/8);
    if( aBits==0 ){ rc = SQLITE_NOMEM; goto done; }
    memset(aBits, 0, 2*nBit/8);
    /* aBits[0..]: keys of "a" records, aBits[nBit/64..]: keys of "b" */
#define NAT_FIELDS_OK(r) ((r)->saddr && !((r)->in & (NR_SPORT_NULL|NR_DPORT_NULL|NR_PROTO_NULL|NR_START_NULL)))
#define NAT_IS_A(r) (NAT_FIELDS_OK(r) && ((r)->in & NR_LSOK) && aPriv[(r)->daddr]==1)
#define NAT_IS_B(r) (NAT_FIELDS_OK(r) && aPriv[(r)->daddr]==0)
#define NAT_HASH(r) norm_mix(((u64)(r)->saddr<<32) ^ ((u64)(r)->sport<<16) ^ (r)->dport ^ ((u64)(r)->proto<<48))
    for(i=0; i<nRec; i++){
      NormRec *r = &aRec[i];
      if( NAT_IS_A(r) ){
        u64 b = NAT_HASH(r) & (nBit-1);
        aBits[b>>6] |= (u64)1<<(b&63);
      }else if( NAT_IS_B(r) ){
        u64 b = NAT_HASH(r) & (nBit-1);
        aBits[nBit/64 + (b>>6)] |= (u64)1<<(b&63);
      }
    }
    for(i=0; i<nRec; i++){
      NormRec *r = &aRec[i];
      if( NAT_IS_A(r) || NAT_IS_B(r) ){
        u64 b = NAT_HASH(r) & (nBit-1);
        u64 o = NAT_IS_A(r) ? nBit/64 : 0;   /* the other side's filter */
        if( aBits[o + (b>>6)] & ((u64)1<<(b&63)) ) nCand++;
      }
    }
    if( nCand ){
      aKey = vf_store_alloc(sizeof(u64)*nCand);
      aIdx = vf_store_alloc(sizeof(u32)*nCand);
      aCnt = sqlite3_malloc64(sizeof(u32)*strs.nStr);
      if( aKey==0 || aIdx==0 ){ rc = norm_store_error(pzErr); goto done; }
      if( aCnt==0 ){ rc = SQLITE_NOMEM; goto done; }
      memset(aCnt, 0, sizeof(u32)*strs.nStr);
      j = 0;
      for(i=0; i<nRec; i++){
        NormRec *r = &aRec[i];
        if( NAT_IS_A(r) || NAT_IS_B(r) ){
          u64 h = NAT_HASH(r), b = h & (nBit-1);
          u64 o = NAT_IS_A(r) ? nBit/64 : 0;
          if( aBits[o + (b>>6)] & ((u64)1<<(b&63)) ){
            aKey[j] = norm_key(h<<32 | (h>>32), r->start);
            aIdx[j] = (u32)i;
            j++;
          }
        }
      }
      rc = vf_day_sort(aKey, aIdx, nCand);
      if( rc ){ rc = norm_store_error(pzErr); goto done; }
      /* each a counts the b records of its run within 5 s */
      for(i=0; i<nCand; i++){
        NormRec *a = &aRec[aIdx[i]];
        NORM_PREFETCH(aRec, aIdx, i, nCand);
        u64 hi = aKey[i]>>32;
        i64 s = a->start;
        if( !NAT_IS_A(a) ) continue;
        for(j=i; j>0 && (aKey[j-1]>>32)==hi; j--){
          NormRec *b = &aRec[aIdx[j-1]];
          if( (i64)b->start < s-5 ) break;
          if( NAT_IS_B(b) && norm_eq_ports(a, b) && b->eni!=a->eni ) aCnt[a->daddr]++;
        }
        for(j=i+1; j<nCand && (aKey[j]>>32)==hi; j++){
          NormRec *b = &aRec[aIdx[j]];
          if( (i64)b->start > s+5 ) break;
          if( NAT_IS_B(b) && norm_eq_ports(a, b) && b->eni!=a->eni ) aCnt[a->daddr]++;
        }
      }
      vf_store_free(aKey); aKey = 0;
      vf_store_free(aIdx); aIdx = 0;
      /* translators, in id order (first seen first) */
      for(i=1; i<strs.nStr; i++){
        if( aCnt[i] && norm_nat_ok(pNat, aCnt[i]) ) pRes->nTr++;
      }
      if( pRes->nTr ){
        int k = 0;
        aTr = sqlite3_malloc64(strs.nStr);
        pRes->azTr = sqlite3_malloc64(sizeof(char*)*pRes->nTr);
        pRes->aTrN = sqlite3_malloc64(sizeof(i64)*pRes->nTr);
        if( aTr==0 || pRes->azTr==0 || pRes->aTrN==0 ){
          pRes->nTr = 0; rc = SQLITE_NOMEM; goto done;
        }
        memset(aTr, 0, strs.nStr);
        memset(pRes->azTr, 0, sizeof(char*)*pRes->nTr);
        for(i=1; i<strs.nStr; i++){
          if( aCnt[i] && norm_nat_ok(pNat, aCnt[i]) ){
            aTr[i] = 1;
            pRes->azTr[k] = sqlite3_mprintf("%.*s", (int)strs.aStr[i].nLen,
                                            strs.aBuf+strs.aStr[i].iOff);
            pRes->aTrN[k] = aCnt[i];
            if( pRes->azTr[k]==0 ){ rc = SQLITE_NOMEM; goto done; }
            k++;
          }
        }
        for(i=0; i<nRec; i++){
          NormRec *r = &aRec[i];
          if( aTr[r->saddr] || aTr[r->daddr] ) r->out |= 1<<2;   /* skip 1 */
        }
      }
      sqlite3_free(aCnt); aCnt = 0;
    }
    sqlite3_free(aBits); aBits = 0;
#undef NAT_FIELDS_OK
#undef NAT_IS_A
#undef NAT_IS_B
#undef NAT_HASH
  }
  sqlite3_free(aPriv); aPriv = 0;

  /* ---- (c) windows over conversations */
  {
    u64 nItem = 0, j;
    for(i=0; i<nRec; i++){
      NormRec *r = &aRec[i];
      if( NO_SKIP(r->out)==0 && r->src && r->dst && !(r->in & NR_START_NULL) ) nItem++;
    }
    if( nItem ){
      aKey = vf_store_alloc(sizeof(u64)*nItem);
      aIdx = vf_store_alloc(sizeof(u32)*nItem);
      if( aKey==0 || aIdx==0 ){ rc = norm_store_error(pzErr); goto done; }
      j = 0;
      for(i=0; i<nRec; i++){
        NormRec *r = &aRec[i];
        if( NO_SKIP(r->out)==0 && r->src && r->dst && !(r->in & NR_START_NULL) ){
          aKey[j] = norm_key(norm_tuple_hash(r), r->start);
          aIdx[j] = (u32)i;
          j++;
        }
      }
      rc = vf_day_sort(aKey, aIdx, nItem);
      if( rc ){ rc = norm_store_error(pzErr); goto done; }
      aSet = sqlite3_malloc64(nRec);     /* the walks' bits (norm_merge_set) */
      if( aSet==0 ){ rc = SQLITE_NOMEM; goto done; }
      memset(aSet, 0, nRec);
    }
    /* skip 2: an egress copy of a flow that another ENI logged as ingress
    ** within 60 s (ingress copies are never skip 2, so the order of this
    ** loop does not matter) */
    for(i=0; i<nItem; i++){
      NormRec *e = &aRec[aIdx[i]];
      NORM_PREFETCH(aRec, aIdx, i, nItem);
      u64 hi = aKey[i]>>32;
      int bFound = 0;
      if( NO_DIR(e->out)!=DIR_EGRESS || !(e->in & NR_LSOK) ) continue;
      for(j=i; !bFound && j>0 && (aKey[j-1]>>32)==hi; j--){
        NormRec *c = &aRec[aIdx[j-1]];
        if( (i64)c->start < (i64)e->start-60 ) break;
        bFound = NO_DIR(c->out)==DIR_INGRESS && c->eni!=e->eni && norm_same(c, e);
      }
      for(j=i+1; !bFound && j<nItem && (aKey[j]>>32)==hi; j++){
        NormRec *c = &aRec[aIdx[j]];
        if( (i64)c->start > (i64)e->start+60 ) break;
        bFound = NO_DIR(c->out)==DIR_INGRESS && c->eni!=e->eni && norm_same(c, e);
      }
      if( bFound ) aSet[aIdx[i]] |= 2<<2;
    }
    if( aSet ) norm_merge_set(aRec, aSet, nRec);
    /* resp, for every record with log-status OK and skip 0 */
    for(i=0; i<nRec; i++){
      NormRec *r = &aRec[i];
      int bResp = 0, bDone = 0;
      if( !(r->in & NR_LSOK) || NO_SKIP(r->out) ) continue;
      if( !(r->in & NR_PROTO_NULL) && r->proto==6 && (r->in & NR_TCPF) ){
        if( r->in & NR_SYNACK ){ bResp = 1; bDone = 1; }
        else if( r->in & NR_SYNONLY ){ bDone = 1; }
      }
      if( !bDone && !(r->in & (NR_SPORT_NULL|NR_DPORT_NULL)) ){
        bResp = (r->sport<1024 && r->dport>=1024)
             || (r->sport<32768 && r->dport>=32768);
      }
      if( bResp ) r->out |= NO_RESP;
    }
    /* conn_start for initiators without a window search, answered = 0 */
    for(i=0; i<nRec; i++){
      NormRec *r = &aRec[i];
      if( !(r->in & NR_LSOK) || NO_SKIP(r->out) || (r->out & NO_RESP) ) continue;
      if( !(r->in & NR_PROTO_NULL) && r->proto==6 && (r->in & NR_TCPF) ){
        if( r->in & NR_SYNONLY ) r->out |= NO_CONNSTART;
      }else if( !(r->src && r->dst && !(r->in & NR_START_NULL)) ){
        r->out |= NO_CONNSTART;   /* NOT EXISTS over no candidates */
      }
    }
    /* answered and conn_start from the +-120 s window */
#define CAND_OK(c) (NO_SKIP((c)->out)==0 && ((c)->in & NR_LSOK))
    for(i=0; i<nItem; i++){
      NormRec *o = &aRec[aIdx[i]];
      NORM_PREFETCH(aRec, aIdx, i, nItem);
      u64 hi = aKey[i]>>32;
      int bAns = 0, bPrev = 0;
      int bNeedPrev;
      if( !(o->in & NR_LSOK) || NO_SKIP(o->out) || (o->out & NO_RESP) ) continue;
      bNeedPrev = !(!(o->in & NR_PROTO_NULL) && o->proto==6 && (o->in & NR_TCPF));
      /* this record itself can be its own reverse (src = dst, ports equal) */
      for(j=i+1; j>0 && (aKey[j-1]>>32)==hi && (!bAns || (bNeedPrev && !bPrev)); j--){
        NormRec *c = &aRec[aIdx[j-1]];
        i64 d = (i64)c->start - (i64)o->start;
        if( d < -120 ) break;
        if( !CAND_OK(c) ) continue;
        if( !bAns && norm_reverse(o, c) ) bAns = 1;
        if( bNeedPrev && !bPrev && d<=-1 && norm_same(o, c) ) bPrev = 1;
      }
      for(j=i+1; !bAns && j<nItem && (aKey[j]>>32)==hi; j++){
        NormRec *c = &aRec[aIdx[j]];
        if( (i64)c->start > (i64)o->start+120 ) break;
        if( CAND_OK(c) && norm_reverse(o, c) ) bAns = 1;
      }
      if( bAns ) aSet[aIdx[i]] |= NO_ANSWERED;
      if( bNeedPrev && !bPrev ) aSet[aIdx[i]] |= NO_CONNSTART;
    }
#undef CAND_OK
    if( aSet ) norm_merge_set(aRec, aSet, nRec);
    sqlite3_free(aSet); aSet = 0;
    vf_store_free(aKey); aKey = 0;
    vf_store_free(aIdx); aIdx = 0;
  }
  vf_store_trim_all();
  /* ---- the results pass 2 needs: 5 bytes per record */
  pRes->nRec = (i64)nRec;
  pRes->iBase = iBase;
  pRes->aOut = sqlite3_malloc64(nRec ? nRec : 1);
  pRes->aStart = sqlite3_malloc64(sizeof(int32_t)*(nRec ? nRec : 1));
  if( pRes->aOut==0 || pRes->aStart==0 ){ rc = SQLITE_NOMEM; goto done; }
  for(i=0; i<nRec; i++){
    NormRec *r = &aRec[i];
    pRes->aOut[i] = r->out | (r->dir0!=DIR_NULL ? NO_DIRINPUT : 0);
    pRes->aStart[i] = (r->in & NR_START_NULL) ? INT32_MIN : r->start;
  }
  if( pDay ){
    rc = norm_day_fill(pDay, &strs, aRec, aExt, nRec, iBase, pzErr);
    if( rc==SQLITE_OK ){ aRec = 0; aExt = 0; }
  }

done:
  sqlite3_finalize(rd.pStmt);
  norm_columns_free(azExpr);
  norm_strs_free(&strs);
  norm_count_free(&eni);
  vf_store_free(aRec);
  vf_store_free(aExt);
  vf_store_free(aKey); vf_store_free(aIdx); sqlite3_free(aCnt);
  sqlite3_free(aEniAddr); sqlite3_free(aPriv); sqlite3_free(aTr);
  sqlite3_free(aBits); sqlite3_free(aSet);
  if( rc ) norm_result_clear(pRes);
  if( rc==SQLITE_NOMEM && *pzErr==0 ) *pzErr = sqlite3_mprintf("out of memory");
  return rc;
}

/* ------------------------------------------- the three table functions */

/*
** Per-connection state shared by the functions: the lists (translators,
** ENI addresses) of the last normalisation, so that the list functions
** called after vpcflow_normalize() over the same table do not read it
** again. Keyed by the table name and the nat_min_matches argument.
*/
typedef struct NormShared NormShared;
struct NormShared {
  char *zTab;          /* table of the saved result, or NULL */
  int eNat;            /* SQLite type of nat_min_matches, 0 = absent */
  double rNat;         /* its numeric value */
  NormResult lists;    /* nTr.., nEni.. (never aOut/aStart) */
  VfDaySlot slot;      /* the day vpcflow_prepare() made last (day.h) */
};

static void norm_shared_clear(NormShared *p){
  sqlite3_free(p->zTab);
  norm_result_clear(&p->lists);
  p->zTab = 0; p->eNat = 0; p->rNat = 0.0;
}

static void norm_shared_destroy(void *p){
  if( p ){
    vf_day_unref(((NormShared*)p)->slot.pDay);
    norm_shared_clear((NormShared*)p);
    sqlite3_free(p);
  }
}

static int norm_shared_match(NormShared *p, const char *zTab, sqlite3_value *pNat){
  int e = pNat ? sqlite3_value_type(pNat) : 0;
  if( p->zTab==0 || strcmp(p->zTab, zTab)!=0 || p->eNat!=e ) return 0;
  if( e==SQLITE_INTEGER || e==SQLITE_FLOAT ){
    return p->rNat==sqlite3_value_double(pNat);
  }
  return 1;   /* absent, NULL, text, blob: same outcome as last time */
}

/* Copy the lists of pFrom into pTo (empty). SQLITE_NOMEM or OK. */
static int norm_lists_copy(NormResult *pTo, const NormResult *pFrom){
  int i;
  pTo->azTr = sqlite3_malloc64(sizeof(char*)*(pFrom->nTr+1));
  pTo->aTrN = sqlite3_malloc64(sizeof(i64)*(pFrom->nTr+1));
  pTo->azEni = sqlite3_malloc64(sizeof(char*)*(pFrom->nEni+1));
  pTo->azEniAddr = sqlite3_malloc64(sizeof(char*)*(pFrom->nEni+1));
  pTo->aEniN = sqlite3_malloc64(sizeof(i64)*(pFrom->nEni+1));
  if( !pTo->azTr || !pTo->aTrN || !pTo->azEni || !pTo->azEniAddr || !pTo->aEniN ){
    return SQLITE_NOMEM;
  }
  for(i=0; i<pFrom->nTr; i++){
    pTo->azTr[i] = sqlite3_mprintf("%s", pFrom->azTr[i]);
    pTo->aTrN[i] = pFrom->aTrN[i];
    pTo->nTr = i+1;
    if( pTo->azTr[i]==0 ) return SQLITE_NOMEM;
  }
  for(i=0; i<pFrom->nEni; i++){
    pTo->azEni[i] = sqlite3_mprintf("%s", pFrom->azEni[i]);
    pTo->azEniAddr[i] = sqlite3_mprintf("%s", pFrom->azEniAddr[i]);
    pTo->aEniN[i] = pFrom->aEniN[i];
    pTo->nEni = i+1;
    if( pTo->azEni[i]==0 || pTo->azEniAddr[i]==0 ) return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

/* Save a copy of pRes's lists as the cache for (zTab, pNat). */
static void norm_shared_save(NormShared *p, const char *zTab,
                             sqlite3_value *pNat, const NormResult *pRes){
  norm_shared_clear(p);
  p->zTab = sqlite3_mprintf("%s", zTab);
  if( p->zTab==0 || norm_lists_copy(&p->lists, pRes) ){
    norm_shared_clear(p);   /* no cache: only a second pass is lost */
    return;
  }
  p->eNat = pNat ? sqlite3_value_type(pNat) : 0;
  p->rNat = pNat ? sqlite3_value_double(pNat) : 0.0;
}

/* Output columns of vpcflow_normalize(), in flows_n's order and types. */
#define NORM_SCHEMA \
  "CREATE TABLE x(log_file TEXT, dt TEXT, version INT, account_id TEXT," \
  " interface_id TEXT, vpc_id TEXT, subnet_id TEXT, instance_id TEXT," \
  " region TEXT, az_id TEXT, resource_id TEXT, log_status, \"action\"," \
  " reject_reason TEXT, srcaddr TEXT, dstaddr TEXT, src, dst," \
  " srcport INT, dstport INT, protocol INT, packets INT, bytes INT," \
  " start INT, \"end\" INT, tcp_flags INT, traffic_path INT," \
  " src_service TEXT, dst_service TEXT, dir, src_private, dst_private," \
  " skip, resp, answered, conn_start," \
  " tbl HIDDEN, nat_min_matches HIDDEN)"
#define NORM_COL_DIR       29
#define NORM_COL_SKIP      32
#define NORM_COL_RESP      33
#define NORM_COL_ANSWERED  34
#define NORM_COL_CONN      35
#define NORM_COL_TBL       36
#define NORM_COL_NAT       37

/* vpcflow_translators(): as the reference's vpcflow_translator table */
#define TR_SCHEMA "CREATE TABLE x(addr, matches, tbl HIDDEN, nat_min_matches HIDDEN)"
/* vpcflow_eni_addresses(): as the reference's vpcflow_eni table */
#define ENI_SCHEMA "CREATE TABLE x(interface_id, addr, n, tbl HIDDEN, nat_min_matches HIDDEN)"
/* vpcflow_prepare(): one row, the counts of the day it prepared */
#define DAY_SCHEMA "CREATE TABLE x(records, traffic, ok, nodata, skipdata," \
  " nat, dup, files, t0, t1, tbl HIDDEN, nat_min_matches HIDDEN)"

/* The three functions share the module; eKind tells them apart. */
#define NORM_ROWS 0            /* vpcflow_normalize */
#define NORM_TR   1            /* vpcflow_translators */
#define NORM_ENI  2            /* vpcflow_eni_addresses */
#define NORM_DAY  3            /* vpcflow_prepare */
static const char *const azKindName[] = {
  "vpcflow_normalize", "vpcflow_translators", "vpcflow_eni_addresses",
  "vpcflow_prepare"
};
static const int aKindColTbl[] = { NORM_COL_TBL, 2, 3, 10 };

typedef struct NormVtab NormVtab;
struct NormVtab {
  sqlite3_vtab base;   /* Base class - must be first */
  sqlite3 *db;         /* connection the table is read on */
  NormShared *pShared; /* per-connection cache (module aux data) */
  int eKind;           /* NORM_ROWS, NORM_TR or NORM_ENI */
};

typedef struct NormCursor NormCursor;
struct NormCursor {
  sqlite3_vtab_cursor base;  /* Base class - must be first */
  sqlite3_stmt *pStmt;       /* pass 2 (vpcflow_normalize) */
  NormResult res;            /* flags of pass 1 */
  VfDay *pDay;               /* vpcflow_prepare: the day made (a reference) */
  i64 iRow;                  /* current row, 0-based */
  int bEof;                  /* no current row */
};

static int normConnect(sqlite3 *db, void *pAux, int argc,
                       const char *const *argv, sqlite3_vtab **ppVtab,
                       char **pzErr){
  NormVtab *p;
  int eKind = strcmp(argv[0], azKindName[NORM_TR])==0 ? NORM_TR
            : strcmp(argv[0], azKindName[NORM_ENI])==0 ? NORM_ENI
            : strcmp(argv[0], azKindName[NORM_DAY])==0 ? NORM_DAY : NORM_ROWS;
  int rc = sqlite3_declare_vtab(db, eKind==NORM_TR ? TR_SCHEMA
                                  : eKind==NORM_ENI ? ENI_SCHEMA
                                  : eKind==NORM_DAY ? DAY_SCHEMA : NORM_SCHEMA);
  (void)argc; (void)pzErr;
  if( rc ) return rc;
  /* Rationale for DIRECTONLY: it reads the table its argument names. */
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  p = sqlite3_malloc(sizeof(*p));
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->db = db;
  p->pShared = (NormShared*)pAux;
  p->eKind = eKind;
  *ppVtab = &p->base;
  return SQLITE_OK;
}

static int normDisconnect(sqlite3_vtab *pVtab){
  sqlite3_free(pVtab);
  return SQLITE_OK;
}

/*
** idxNum bit 1: the table name is argv[0] (required); bit 2: the
** nat_min_matches argument follows it. Any other constraint is left to
** SQLite.
*/
static int normBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  NormVtab *pTab = (NormVtab*)pVtab;
  int iColTbl = aKindColTbl[pTab->eKind];
  int iColNat = iColTbl+1;
  int i, iTbl = -1, iNat = -1, bUnusable = 0;
  for(i=0; i<pInfo->nConstraint; i++){
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    if( c->iColumn!=iColTbl && c->iColumn!=iColNat ) continue;
    if( c->op!=SQLITE_INDEX_CONSTRAINT_EQ ) continue;
    if( !c->usable ){ bUnusable = 1; continue; }
    if( c->iColumn==iColTbl ) iTbl = i; else iNat = i;
  }
  if( iTbl<0 ){
    /* Unusable here, or absent from a call that has other constraints
    ** (SQLite plans each branch of an OR with that branch's terms only):
    ** this plan cannot be used; SQLite finds the one with the argument. */
    if( bUnusable || pInfo->nConstraint>0 ) return SQLITE_CONSTRAINT;
    sqlite3_free(pVtab->zErrMsg);
    pVtab->zErrMsg = sqlite3_mprintf("%s(): the first argument, a table "
        "name, is required", azKindName[pTab->eKind]);
    return SQLITE_ERROR;
  }
  pInfo->aConstraintUsage[iTbl].argvIndex = 1;
  pInfo->aConstraintUsage[iTbl].omit = 1;
  pInfo->idxNum = 1;
  if( iNat>=0 ){
    pInfo->aConstraintUsage[iNat].argvIndex = 2;
    pInfo->aConstraintUsage[iNat].omit = 1;
    pInfo->idxNum |= 2;
  }
  pInfo->estimatedCost = 1e6;
  pInfo->estimatedRows = 1000000;
  return SQLITE_OK;
}

static int normOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  NormCursor *p = sqlite3_malloc(sizeof(*p));
  (void)pVtab;
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->bEof = 1;
  *ppCur = &p->base;
  return SQLITE_OK;
}

static void norm_cursor_reset(NormCursor *p){
  sqlite3_finalize(p->pStmt);
  p->pStmt = 0;
  norm_result_clear(&p->res);
  vf_day_unref(p->pDay);
  p->pDay = 0;
  p->iRow = 0;
  p->bEof = 1;
}

static int normClose(sqlite3_vtab_cursor *pCur){
  norm_cursor_reset((NormCursor*)pCur);
  sqlite3_free(pCur);
  return SQLITE_OK;
}

/* Set the vtab error "FUNC(): MSG" and return rc. */
static int norm_error(sqlite3_vtab *pVtab, int rc, const char *zMsg){
  NormVtab *pTab = (NormVtab*)pVtab;
  sqlite3_free(pVtab->zErrMsg);
  pVtab->zErrMsg = sqlite3_mprintf("%s(): %s",
      azKindName[pTab->eKind],
      zMsg ? zMsg : sqlite3_errstr(rc));
  return rc ? rc : SQLITE_ERROR;
}

/* Check pass 2's current row against pass 1's record iRow. */
static int norm_check_row(NormCursor *p){
  sqlite3_vtab *pVtab = p->base.pVtab;
  int32_t s = INT32_MIN;
  if( p->iRow>=p->res.nRec ){
    return norm_error(pVtab, SQLITE_ERROR,
        "the table has more rows than in the first pass (it changed while read)");
  }
  if( sqlite3_column_type(p->pStmt, 23)!=SQLITE_NULL ){
    i64 v = 0;
    if( norm_int_col(sqlite3_column_value(p->pStmt, 23), &v)==0 ) s = (int32_t)(v - p->res.iBase);
  }
  if( s!=p->res.aStart[p->iRow] ){
    return norm_error(pVtab, SQLITE_ERROR,
        "a row differs from the first pass (the table changed while read)");
  }
  return SQLITE_OK;
}

static int normNext(sqlite3_vtab_cursor *pCur){
  NormCursor *p = (NormCursor*)pCur;
  NormVtab *pTab = (NormVtab*)pCur->pVtab;
  int rc;
  p->iRow++;
  if( pTab->eKind!=NORM_ROWS ){
    p->bEof = p->iRow>=(pTab->eKind==NORM_TR ? p->res.nTr
                        : pTab->eKind==NORM_ENI ? p->res.nEni : 1);
    return SQLITE_OK;
  }
  rc = sqlite3_step(p->pStmt);
  if( rc==SQLITE_ROW ) return norm_check_row(p);
  p->bEof = 1;
  if( rc!=SQLITE_DONE ){
    return norm_error(pCur->pVtab, rc, sqlite3_errmsg(pTab->db));
  }
  if( p->iRow!=p->res.nRec ){
    return norm_error(pCur->pVtab, SQLITE_ERROR,
        "the table has fewer rows than in the first pass (it changed while read)");
  }
  return SQLITE_OK;
}

/* Was pDay made from zTab with this nat_min_matches (as norm_shared_match)? */
static int norm_day_match(const VfDay *pDay, const char *zTab, sqlite3_value *pNat){
  int e = pNat ? sqlite3_value_type(pNat) : 0;
  if( pDay==0 || pDay->zTab==0 || strcmp(pDay->zTab, zTab)!=0 || pDay->eNat!=e ) return 0;
  if( e==SQLITE_INTEGER || e==SQLITE_FLOAT ) return pDay->rNat==sqlite3_value_double(pNat);
  return 1;
}

/* What pass 2 needs (aOut, aStart), from a prepared day's records. */
static int norm_result_from_day(NormResult *pRes, const VfDay *pDay){
  i64 i, n = pDay->nRec;
  pRes->nRec = n;
  pRes->iBase = pDay->iBase;
  pRes->aOut = sqlite3_malloc64(n ? n : 1);
  pRes->aStart = sqlite3_malloc64(sizeof(int32_t)*(n ? n : 1));
  if( pRes->aOut==0 || pRes->aStart==0 ) return SQLITE_NOMEM;
  for(i=0; i<n; i++){
    const NormRec *r = &pDay->aRec[i];
    pRes->aOut[i] = r->out | (r->dir0!=DIR_NULL ? NO_DIRINPUT : 0);
    pRes->aStart[i] = (r->in & NR_START_NULL) ? INT32_MIN : r->start;
  }
  return SQLITE_OK;
}

static int normFilter(sqlite3_vtab_cursor *pCur, int idxNum,
                      const char *idxStr, int argc, sqlite3_value **argv){
  NormCursor *p = (NormCursor*)pCur;
  NormVtab *pTab = (NormVtab*)pCur->pVtab;
  sqlite3_value *pNat = (idxNum & 2) && argc>1 ? argv[1] : 0;
  const char *zTab;
  char *zErr = 0;
  int rc;
  (void)idxStr;
  norm_cursor_reset(p);
  if( argc<1 || sqlite3_value_type(argv[0])!=SQLITE_TEXT ){
    return norm_error(pCur->pVtab, SQLITE_ERROR,
                      "the first argument must be a table name (text)");
  }
  zTab = (const char*)sqlite3_value_text(argv[0]);
  if( zTab==0 ) return SQLITE_NOMEM;
  if( (pTab->eKind==NORM_TR || pTab->eKind==NORM_ENI)
   && norm_shared_match(pTab->pShared, zTab, pNat) ){
    rc = norm_lists_copy(&p->res, &pTab->pShared->lists);
    if( rc ) return rc;
  }else if( pTab->eKind==NORM_ROWS && norm_day_match(pTab->pShared->slot.pDay, zTab, pNat) ){
    /* the flags of the prepared day: pass 2 only */
    rc = norm_result_from_day(&p->res, pTab->pShared->slot.pDay);
    if( rc ) return rc;
  }else{
    VfDay *pDay = 0;
    if( pTab->eKind==NORM_DAY ){
      pDay = sqlite3_malloc(sizeof(*pDay));
      if( pDay==0 ) return SQLITE_NOMEM;
      memset(pDay, 0, sizeof(*pDay));
      pDay->nRef = 1;
    }
    rc = norm_analyse(pTab->db, zTab, pNat, &p->res, pDay, &zErr);
    if( rc ){
      vf_day_unref(pDay);
      rc = norm_error(pCur->pVtab, rc, zErr);
      sqlite3_free(zErr);
      return rc;
    }
    norm_shared_save(pTab->pShared, zTab, pNat, &p->res);
    if( pDay ){
      /* the connection's day is now this one; the cursor shows its counts */
      pDay->zTab = sqlite3_mprintf("%s", zTab);
      if( pDay->zTab==0 ){ vf_day_unref(pDay); return SQLITE_NOMEM; }
      pDay->eNat = pNat ? sqlite3_value_type(pNat) : 0;
      pDay->rNat = pNat ? sqlite3_value_double(pNat) : 0.0;
      vf_day_unref(pTab->pShared->slot.pDay);
      pTab->pShared->slot.pDay = pDay;
      pDay->nRef++;
      p->pDay = pDay;
      /* nine detections read att_port or pair: build them on the other
      ** core while prepare.sql and the first detections go on */
      vf_day_summary_ahead(pDay);
    }
  }
  if( pTab->eKind!=NORM_ROWS ){
    p->iRow = 0;
    p->bEof = (pTab->eKind==NORM_TR ? p->res.nTr
               : pTab->eKind==NORM_ENI ? p->res.nEni : 1)==0;
    return SQLITE_OK;
  }
  /* pass 2: every column, computed as the reference SQL computes them */
  {
    char *azExpr[NORM_NFIELD];
    char *zSql;
    rc = norm_columns(pTab->db, zTab, azExpr, &zErr);
    if( rc ){
      rc = norm_error(pCur->pVtab, rc, zErr);
      sqlite3_free(zErr);
      return rc;
    }
#define E(n) azExpr[norm_f(n)]
    zSql = sqlite3_mprintf(
      "SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
      " upper(coalesce(%s, 'OK')), upper(%s), %s, %s, %s,"
      " coalesce(%s, %s), coalesce(%s, %s), %s, %s, %s, %s, %s, %s, %s, %s, %s,"
      " %s, %s, lower(%s),"
      " is_private(coalesce(%s, %s)), is_private(coalesce(%s, %s))"
      " FROM \"%w\" AS f",
      E("log_file"), E("dt"), E("version"), E("account_id"), E("interface_id"),
      E("vpc_id"), E("subnet_id"), E("instance_id"), E("region"), E("az_id"),
      E("resource_id"), E("log_status"), E("action"), E("reject_reason"),
      E("srcaddr"), E("dstaddr"),
      E("pkt_srcaddr"), E("srcaddr"), E("pkt_dstaddr"), E("dstaddr"),
      E("srcport"), E("dstport"), E("protocol"), E("packets"), E("bytes"),
      E("start"), E("end"), E("tcp_flags"), E("traffic_path"),
      E("pkt_src_aws_service"), E("pkt_dst_aws_service"), E("flow_direction"),
      E("pkt_srcaddr"), E("srcaddr"), E("pkt_dstaddr"), E("dstaddr"), zTab);
#undef E
    norm_columns_free(azExpr);
    if( zSql==0 ) return SQLITE_NOMEM;
    rc = sqlite3_prepare_v2(pTab->db, zSql, -1, &p->pStmt, 0);
    sqlite3_free(zSql);
    if( rc ) return norm_error(pCur->pVtab, rc, sqlite3_errmsg(pTab->db));
  }
  p->iRow = -1;
  p->bEof = 0;
  return normNext(pCur);
}

static int normEof(sqlite3_vtab_cursor *pCur){
  return ((NormCursor*)pCur)->bEof;
}

static int normColumn(sqlite3_vtab_cursor *pCur, sqlite3_context *ctx, int i){
  NormCursor *p = (NormCursor*)pCur;
  NormVtab *pTab = (NormVtab*)pCur->pVtab;
  u8 o;
  if( pTab->eKind==NORM_TR ){
    if( i==0 ) sqlite3_result_text(ctx, p->res.azTr[p->iRow], -1, SQLITE_TRANSIENT);
    else if( i==1 ) sqlite3_result_int64(ctx, p->res.aTrN[p->iRow]);
    return SQLITE_OK;
  }
  if( pTab->eKind==NORM_DAY ){
    const VfDay *d = p->pDay;
    switch( i ){
      case 0: sqlite3_result_int64(ctx, d->nRec); break;
      case 1: sqlite3_result_int64(ctx, d->nTraffic); break;
      case 2: sqlite3_result_int64(ctx, d->nOk); break;
      case 3: sqlite3_result_int64(ctx, d->nNodata); break;
      case 4: sqlite3_result_int64(ctx, d->nSkipdata); break;
      case 5: sqlite3_result_int64(ctx, d->nNat); break;
      case 6: sqlite3_result_int64(ctx, d->nDup); break;
      case 7: sqlite3_result_int64(ctx, d->nFiles); break;
      case 8: if( d->bT0 ) sqlite3_result_int64(ctx, d->t0); break;
      case 9: if( d->bT1 ) sqlite3_result_int64(ctx, d->t1); break;
      default: break;
    }
    return SQLITE_OK;
  }
  if( pTab->eKind==NORM_ENI ){
    if( i==0 ) sqlite3_result_text(ctx, p->res.azEni[p->iRow], -1, SQLITE_TRANSIENT);
    else if( i==1 ) sqlite3_result_text(ctx, p->res.azEniAddr[p->iRow], -1, SQLITE_TRANSIENT);
    else if( i==2 ) sqlite3_result_int64(ctx, p->res.aEniN[p->iRow]);
    return SQLITE_OK;
  }
  if( i<NORM_COL_DIR || (i>NORM_COL_DIR && i<NORM_COL_SKIP) ){
    sqlite3_result_value(ctx, sqlite3_column_value(p->pStmt, i));
    return SQLITE_OK;
  }
  o = p->res.aOut[p->iRow];
  switch( i ){
    case NORM_COL_DIR:
      if( o & NO_DIRINPUT ){
        sqlite3_result_value(ctx, sqlite3_column_value(p->pStmt, i));
      }else if( NO_DIR(o)==DIR_EGRESS ){
        sqlite3_result_text(ctx, "egress", 6, SQLITE_STATIC);
      }else if( NO_DIR(o)==DIR_INGRESS ){
        sqlite3_result_text(ctx, "ingress", 7, SQLITE_STATIC);
      }
      break;
    case NORM_COL_SKIP:     sqlite3_result_int(ctx, NO_SKIP(o)); break;
    case NORM_COL_RESP:     sqlite3_result_int(ctx, (o & NO_RESP)!=0); break;
    case NORM_COL_ANSWERED: sqlite3_result_int(ctx, (o & NO_ANSWERED)!=0); break;
    case NORM_COL_CONN:     sqlite3_result_int(ctx, (o & NO_CONNSTART)!=0); break;
    default: break;   /* hidden arguments read back as NULL */
  }
  return SQLITE_OK;
}

static int normRowid(sqlite3_vtab_cursor *pCur, sqlite3_int64 *pRowid){
  *pRowid = ((NormCursor*)pCur)->iRow + 1;
  return SQLITE_OK;
}

static sqlite3_module normModule = {
  .iVersion    = 0,
  .xCreate     = 0,               /* eponymous-only: a table function */
  .xConnect    = normConnect,
  .xBestIndex  = normBestIndex,
  .xDisconnect = normDisconnect,
  .xDestroy    = 0,
  .xOpen       = normOpen,
  .xClose      = normClose,
  .xFilter     = normFilter,
  .xNext       = normNext,
  .xEof        = normEof,
  .xColumn     = normColumn,
  .xRowid      = normRowid,
};

/*
** Register the three table functions on db. They share one NormShared,
** owned (and freed) by the vpcflow_normalize module.
*/
int vf_norm_register(sqlite3 *db, char **pzErr){
  NormShared *p = sqlite3_malloc(sizeof(*p));
  int rc;
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  rc = sqlite3_create_module_v2(db, azKindName[NORM_ROWS], &normModule, p,
                                norm_shared_destroy);
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_module_v2(db, azKindName[NORM_TR], &normModule, p, 0);
  }
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_module_v2(db, azKindName[NORM_ENI], &normModule, p, 0);
  }
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_module_v2(db, azKindName[NORM_DAY], &normModule, p, 0);
  }
  if( rc==SQLITE_OK ){
    rc = vf_day_register(db, &p->slot, pzErr);
    if( rc ) return rc;
  }
  if( rc ){
    *pzErr = sqlite3_mprintf("vpcflow: cannot register vpcflow_normalize: %s",
                             sqlite3_errstr(rc));
  }
  return rc;
}
