/*
** group.c - gather rows by key and hand them back group by group, in key
** order (see group.h).
**
** KEYS. Each key is written in an order-preserving byte form, so that
** memcmp() orders keys as SQLite orders the GROUP BY columns: per column
** a tag (0x00 NULL, 0x01 value), then an integer as 8 big-endian bytes
** with the sign bit flipped, or text as its bytes and a 0x00 terminator
** (the scan never lets a NUL byte into text, so the form is prefix-free
** and BINARY collation is plain byte order). A DESC column has all its
** bytes inverted, which reverses its order and puts NULL last, as SQLite
** does.
**
** TWO THREADS. The caller's thread (the query's) parses lines; for each
** row vf_group_add() only writes the key and the payload into a batch of
** 256 KiB. Full batches go to a worker thread through a ring of
** GROUP_NBATCH batches; the caller waits only when all are full. The
** worker appends each row to the key range (partition) its key falls in,
** a chain of 64 KiB blocks. When the scan ends the worker takes the ranges
** one after the other, lowest keys first: it groups the range's rows with
** a hash table, sorts the distinct keys and writes the rows out in group
** order; the caller hands over the rows of a finished range while the
** worker does the next. So the caller's thread does the parsing and
** SQLite's aggregation and little else, and the worker's work overlaps
** them.
**
** RANGES. The range bounds are chosen from a sample of the first batch:
** the first 16 bytes of sampled keys, sorted, taken at equal steps. A row
** goes to the first range whose bound is above its key's first 16 bytes,
** so equal keys always meet in one range and the ranges are in key order
** whatever the sample was; a poor sample only makes ranges uneven. Rows
** are only appended during the scan: one hash table over millions of
** groups missed the cache on nearly every row, while a range's table
** (about 64 K rows each) stays in it.
**
** SORTING a range: an LSD radix sort on 8 key bytes at a time (skipping
** bytes that are the same in every key), then the keys that tie on those
** bytes again on the next 8, and so on (vf_group_sort_keys). Every group
** gets its output place, the keys are copied in that order (so handing
** them over reads memory in order), and a counting sort moves the rows
** into group order: rows themselves are never compared.
**
** MEMORY. The worker allocates (sqlite3_malloc is thread-safe whenever
** SQLite has threads; without them there is no worker), the caller frees
** a range once it has handed it over. Every allocation is counted against
** the budget, atomically, on whichever thread makes it. Fresh memory is
** slow to touch (on a virtual machine very slow), so big things live in
** blocks of one size that the allocator hands out again: a range's packed
** rows, freed as soon as it is grouped, become the next ranges' keys and
** rows; the hash table and the sort's scratch are reused range to range.
**
** THREAD RULES. The worker calls nothing of SQLite's but sqlite3_malloc64,
** sqlite3_realloc64 and sqlite3_free. The fields marked (mutex) are read
** and written under the mutex. A range is the worker's until it is
** published by nReady (under the mutex), then the caller's; a batch is the
** caller's until posted (nPosted), then the worker's until nTaken says
** it is done.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include "group.h"

/* A text value over 7 bytes in a range's arena: its place (see
** GROUP_AT) << 20 | its length (lines are at most 64 KiB). */
#define GROUP_TEXT(off, len)  (((uint64_t)(off)<<20) | (uint64_t)(len))
#define GROUP_TEXT_OFF(v)     ((uint64_t)(v)>>20)
#define GROUP_TEXT_LEN(v)     ((int)((v) & 0xFFFFF))

/* A place in a chain of blocks: block number << 24 | offset in it. */
#define GROUP_AT(iBlk, off)   (((uint64_t)(iBlk)<<24) | (uint64_t)(off))

/* Most payload values per row (group.h). */
#define GROUP_MAX_VAL VF_GROUP_MAX_VAL

/* Batches: size and how many may be in flight. */
#define GROUP_BATCH  (256*1024)
#define GROUP_NBATCH 4

/* Blocks of a chain, bytes (a longer item gets a block of its own). */
#define GROUP_BLOCK  (64*1024)

/* Keys sampled from the first batch to choose the range bounds. */
#define GROUP_SAMPLE 4096

/* A range's hash table starts this big (slots, a power of two). */
#define GROUP_HASH0 1024

/*
** A chain of blocks: memory that grows without ever being copied, and
** whose blocks, all of one size, the allocator hands out again as soon
** as a range is done with them (fresh memory is slow to touch, on a
** virtual machine very slow).
*/
typedef struct GroupChain GroupChain;
struct GroupChain {
  char **ap;                 /* the blocks */
  int64_t *an;               /* bytes used in each */
  int64_t *anSize;           /* bytes allocated for each */
  int nBlk, nBlkAlloc;
  int bHold;                 /* each block starts with a GroupHold */
};

/*
** The head of a block of keys handed to SQLite by reference (see
** vf_group_hold): how many of its texts SQLite holds, and whether the
** store has let go of it. The last of the two to let go frees it, so a
** key SQLite still holds stays valid after its range, or the whole store,
** is gone. Only the query's thread touches it once the range is handed
** over.
*/
typedef struct GroupHold GroupHold;
struct GroupHold {
  int64_t nRef;              /* texts of this block SQLite holds */
  int64_t bOrphan;           /* 1 once the store has let go */
};

typedef struct GroupKey GroupKey;
struct GroupKey {
  uint64_t iAt;              /* the key bytes in the arena (GROUP_AT) */
  uint32_t nByte;            /* their length */
  uint32_t nRow;             /* rows in the group */
};

/*
** One key range. During the scan its rows are packed in rec. The worker
** then groups them (aGroup, keys and long text in arena), sorts the keys
** and writes the rows in group order into rows, nRowBlk rows a block.
*/
typedef struct GroupPart GroupPart;
struct GroupPart {
  GroupChain rec;            /* packed rows, during the scan */
  int64_t nRow;              /* rows */
  GroupChain arena;          /* key bytes and long text values */
  GroupKey *aGroup;          /* the distinct keys, sorted */
  int64_t nGroup, nGroupAlloc;
  GroupChain rows;           /* the rows in group order */
};

/* A batch of packed rows (see "Packing rows" below). */
typedef struct GroupBatch GroupBatch;
struct GroupBatch {
  char *a;
  int64_t n, nAlloc;         /* bytes used and allocated */
  int64_t nRec;              /* rows in it */
};

struct VfGroupStore {
  int nVal;                  /* payload values per row */
  unsigned char aText[GROUP_MAX_VAL];  /* 1 if payload value k is text */
  int nKey;                  /* key columns */
  int aKey[GROUP_MAX_VAL];   /* payload index of key column j */
  unsigned char aDesc[GROUP_MAX_VAL];  /* 1 if key column j is DESC */
  int aKeyOf[GROUP_MAX_VAL]; /* for payload k: its key column, or -1 */
  int nStore;                /* non-key values stored per row */
  int aStore[GROUP_MAX_VAL]; /* payload index of stored value s */
  int aStoreOf[GROUP_MAX_VAL];/* for payload k: its stored index, or -1 */
  int nWord;                 /* words per stored row: 0, or 1+nStore */
  int iRowShift;             /* rows per block of rows: 1<<iRowShift */
  int64_t nBudget;           /* most bytes to use */
  int64_t nBytes;            /* bytes in use (atomic) */
  int64_t nAdded;            /* rows added (caller) */

  int nPart;                 /* key ranges */
  int bSplit;                /* range bounds chosen (worker) */
  uint64_t *aBound;          /* nPart-1 bounds, two words each */
  GroupPart *aPart;
  int64_t nKeysDone;         /* keys of the ranges sorted (atomic) */

  /* the worker's scratch, reused from range to range */
  uint64_t *aSlot;           /* hash table: hash<<32 | (group+1) */
  int64_t nSlot, nSlotAlloc;
  uint32_t *aGid;            /* group of each row of the range */
  int64_t nGidAlloc;
  void *aSortMem;            /* the sort's scratch */
  int64_t nSortAlloc;        /* bytes */

  GroupBatch aBatch[GROUP_NBATCH];
  int nBatch;                /* batches in the ring: 1 without a worker */
  int64_t nBatchSize;        /* bytes per batch */

  /* the worker */
  int bThread;               /* 1 if it runs */
  pthread_t tid;
  pthread_mutex_t mutex;
  pthread_cond_t condWork;   /* to the worker: a batch, the end, stop */
  pthread_cond_t condMain;   /* to the caller: a batch free, a range, error */
  int64_t nPosted;           /* (mutex) batches handed to the worker */
  int64_t nWaited;           /* posts after which the caller had to wait */
  int64_t nTaken;            /* (mutex) batches the worker is done with */
  int bEnd;                  /* (mutex) no more batches */
  int bStop;                 /* (mutex) the store is being freed */
  int nReady;                /* (mutex) ranges sorted, in order */
  int rcWork;                /* (mutex) the worker's error */

  /* VPCFLOW_GROUP_TRACE: seconds spent, reported by vf_group_free() */
  int bTrace;
  double tNew;               /* when the store was made */
  double tFinish;            /* when the scan ended */
  double tWaitBatch;         /* caller waiting for a free batch */
  double tWaitPart;          /* caller waiting for a sorted range */
  double tWorkScan;          /* worker busy during the scan (cpu) */
  double tWorkSort;          /* worker busy sorting ranges (cpu) */
  double tSortEnd;           /* when the worker sorted the last range */

  /* handing over (caller) */
  int iPart;                 /* current range, -1 before the first */
  GroupPart *pCur;           /* that range once ready */
  int64_t iGroup;            /* current group in it */
  int64_t iRow;              /* current row in it */
  const int64_t *pRow;       /* its words */
  int64_t nLeft;             /* rows of the group after the current */
  int mKeyDone;              /* 1 once aKeyVal holds the group's key */
  VfValue aKeyVal[GROUP_MAX_VAL];  /* the current group's key values */
  int64_t nOut;              /* groups handed over (begun) so far */

  /* THE SPILL (vf_group_spill): a private on-disk database sorts */
  int bSpill;                /* 1 once spilled */
  sqlite3 *dbSpill;          /* that database */
  sqlite3_stmt *pIns;        /* INSERT of a row, while rows are added */
  sqlite3_stmt *pSel;        /* the rows in key order, when handed over */
  int64_t nSkip;             /* groups handed over before the spill */
  sqlite3_value *apPrev[GROUP_MAX_VAL];  /* while skipping: last key */
};

/* Seconds on a clock: CLOCK_MONOTONIC, or the thread's CPU time. */
static double group_clock(int bCpu){
  struct timespec t;
  clock_gettime(bCpu ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec*1e-9;
}

/* ---------------------------------------------------------------------
** Memory, counted against the budget
*/

static int64_t group_count(VfGroupStore *p, int64_t nDelta){
  return __atomic_add_fetch(&p->nBytes, nDelta, __ATOMIC_RELAXED);
}

int64_t vf_group_bytes(const VfGroupStore *p){
  return __atomic_load_n(&p->nBytes, __ATOMIC_RELAXED);
}

/*
** Resize *pa from nOld to nNew units of sz bytes (nOld 0: allocate),
** within the budget. SQLITE_OK, SQLITE_FULL or SQLITE_NOMEM.
*/
static int group_resize(VfGroupStore *p, void **pa, int64_t nOld,
                        int64_t nNew, size_t sz){
  int64_t nDelta = (nNew - nOld)*(int64_t)sz;
  void *aNew;
  if( nDelta>0 ){
    /* claim the bytes only if they fit: the count never passes the budget,
    ** whichever thread looks */
    int64_t nCur = vf_group_bytes(p);
    do{
      if( nCur + nDelta > p->nBudget ) return SQLITE_FULL;
    }while( !__atomic_compare_exchange_n(&p->nBytes, &nCur, nCur + nDelta, 0,
                                         __ATOMIC_RELAXED, __ATOMIC_RELAXED) );
  }else{
    group_count(p, nDelta);
  }
  aNew = sqlite3_realloc64(*pa, (sqlite3_uint64)(nNew ? nNew : 1)*sz);
  if( aNew==0 ){
    group_count(p, -nDelta);
    return SQLITE_NOMEM;
  }
  *pa = aNew;
  return SQLITE_OK;
}

/* Free *pa of n units of sz bytes, and forget it. */
static void group_release(VfGroupStore *p, void **pa, int64_t n, size_t sz){
  if( *pa ){
    sqlite3_free(*pa);
    group_count(p, -n*(int64_t)sz);
    *pa = 0;
  }
}

/* Room for nMore more units in a growing array, doubling. */
static int group_grow(VfGroupStore *p, void **pa, int64_t *pnAlloc,
                      int64_t nUsed, int64_t nMore, size_t sz){
  int64_t nNew;
  int rc;
  if( nUsed+nMore<=*pnAlloc ) return SQLITE_OK;
  nNew = *pnAlloc ? *pnAlloc*2 : 256;
  while( nNew<nUsed+nMore ) nNew *= 2;
  rc = group_resize(p, pa, *pnAlloc, nNew, sz);
  if( rc==SQLITE_OK ) *pnAlloc = nNew;
  return rc;
}

/*
** Room for n contiguous bytes at the end of chain pC: *pz gets them and
** *piAt their place (GROUP_AT). A new block is GROUP_BLOCK bytes, or
** nMin if nMin is not 0, or n if that is more.
*/
static int group_chain_add(VfGroupStore *p, GroupChain *pC, int64_t n,
                           int64_t nMin, char **pz, uint64_t *piAt){
  int i = pC->nBlk-1;
  if( i<0 || pC->an[i]+n > pC->anSize[i] ){
    int64_t nHead = pC->bHold ? (int64_t)sizeof(GroupHold) : 0;
    int64_t nSize = nMin ? nMin : GROUP_BLOCK;
    char *a = 0;
    int rc;
    if( n+nHead>nSize ) nSize = n+nHead;
    if( pC->nBlk>=pC->nBlkAlloc ){
      int nNew = pC->nBlkAlloc ? pC->nBlkAlloc*2 : 16;
      rc = group_resize(p, (void**)&pC->ap, pC->nBlkAlloc, nNew, sizeof(char*));
      if( rc==SQLITE_OK ){
        rc = group_resize(p, (void**)&pC->an, pC->nBlkAlloc, nNew, 8);
      }
      if( rc==SQLITE_OK ){
        rc = group_resize(p, (void**)&pC->anSize, pC->nBlkAlloc, nNew, 8);
      }
      if( rc ) return rc;  /* the arrays that grew are counted: fine */
      pC->nBlkAlloc = nNew;
    }
    rc = group_resize(p, (void**)&a, 0, nSize, 1);
    if( rc ) return rc;
    i = pC->nBlk++;
    pC->ap[i] = a;
    pC->an[i] = nHead;
    pC->anSize[i] = nSize;
    if( nHead ) memset(a, 0, (size_t)nHead);
  }
  *pz = pC->ap[i] + pC->an[i];
  if( piAt ) *piAt = GROUP_AT(i, pC->an[i]);
  pC->an[i] += n;
  return SQLITE_OK;
}

/* The bytes at place iAt of chain pC. */
static char *group_chain_at(const GroupChain *pC, uint64_t iAt){
  return pC->ap[iAt>>24] + (iAt & 0xFFFFFF);
}

/* Free a chain. */
static void group_chain_clear(VfGroupStore *p, GroupChain *pC){
  int i;
  for(i=0; i<pC->nBlk; i++){
    GroupHold *pH = (GroupHold*)(void*)pC->ap[i];
    if( pC->bHold && pH && pH->nRef>0 ){
      pH->bOrphan = 1;                    /* SQLite frees it (vf_group_unhold) */
      group_count(p, -pC->anSize[i]);
      pC->ap[i] = 0;
      continue;
    }
    group_release(p, (void**)&pC->ap[i], pC->anSize[i], 1);
  }
  group_release(p, (void**)&pC->ap, pC->nBlkAlloc, sizeof(char*));
  group_release(p, (void**)&pC->an, pC->nBlkAlloc, 8);
  group_release(p, (void**)&pC->anSize, pC->nBlkAlloc, 8);
  memset(pC, 0, sizeof(*pC));
}

/* Free everything of a range. */
static void group_part_clear(VfGroupStore *p, GroupPart *pP){
  group_chain_clear(p, &pP->rec);
  group_chain_clear(p, &pP->arena);
  group_chain_clear(p, &pP->rows);
  group_release(p, (void**)&pP->aGroup, pP->nGroupAlloc, sizeof(GroupKey));
  memset(pP, 0, sizeof(*pP));
}

/* ---------------------------------------------------------------------
** Small helpers on key bytes
*/

/* Big-endian word of up to 8 bytes of z[0..n-1], zero-padded. */
static uint64_t group_be64(const unsigned char *z, int64_t n){
  uint64_t u = 0;
  if( n>=8 ){
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__==__ORDER_LITTLE_ENDIAN__
    memcpy(&u, z, 8);
    return __builtin_bswap64(u);
#else
    n = 8;
#endif
  }
  {
    int i;
    for(i=0; i<8; i++) u = (u<<8) | (i<n ? z[i] : 0);
  }
  return u;
}

/* Hash of n key bytes: 8 bytes per multiply. */
static uint32_t group_hash(const unsigned char *z, int64_t n){
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
  while( n>=8 ){
    uint64_t w;
    memcpy(&w, z, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h>>31;
    z += 8;
    n -= 8;
  }
  if( n>0 ){
    uint64_t w = 0;
    memcpy(&w, z, (size_t)n);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
  }
  h ^= h>>33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h>>33;
  return (uint32_t)h;
}

/* ---------------------------------------------------------------------
** The sort (vf_group_sort_keys)
*/

typedef struct GroupSortEnt GroupSortEnt;
struct GroupSortEnt {
  uint64_t k;                /* 8 key bytes at the current depth */
  uint32_t i;                /* the key */
  uint32_t pad;
};

typedef struct GroupSorter GroupSorter;
struct GroupSorter {
  const unsigned char *const *az;
  const uint32_t *an;
};

/* memcmp order of keys i and j (distinct keys never tie: prefix-free). */
static int group_key_lt(const GroupSorter *s, uint32_t i, uint32_t j){
  uint32_t ni = s->an[i], nj = s->an[j];
  int c = memcmp(s->az[i], s->az[j], ni<nj ? ni : nj);
  return c<0 || (c==0 && ni<nj);
}

/*
** Sort a[0..n-1] by key from byte iDepth on (the bytes before are equal
** in all of them); t is scratch of n entries. Radix passes on 8 bytes,
** then ties again 8 bytes deeper. The prefix-free form guarantees that
** two keys equal on the zero-padded 8 bytes both go on past them.
*/
static void group_sort_range(const GroupSorter *s, GroupSortEnt *a,
                             GroupSortEnt *t, int64_t n, uint32_t iDepth){
  while( n>24 ){
    int64_t i, j, iBig = 0, nBig = 0;
    uint64_t mOr = 0, mAnd = ~(uint64_t)0, mDiff;
    int b, bInT = 0;
    for(i=0; i<n; i++){
      uint32_t nk = s->an[a[i].i];
      uint64_t k = nk>iDepth ? group_be64(s->az[a[i].i]+iDepth, nk-iDepth) : 0;
      a[i].k = k;
      mOr |= k;
      mAnd &= k;
    }
    mDiff = mOr ^ mAnd;
    for(b=0; b<8; b++){
      int64_t aCnt[256];
      GroupSortEnt *pFrom = bInT ? t : a, *pTo = bInT ? a : t;
      int sh = 8*b;
      int64_t iSum = 0;
      if( ((mDiff>>sh) & 0xFF)==0 ) continue;
      memset(aCnt, 0, sizeof(aCnt));
      for(i=0; i<n; i++) aCnt[(pFrom[i].k>>sh) & 0xFF]++;
      for(i=0; i<256; i++){
        int64_t c = aCnt[i];
        aCnt[i] = iSum;
        iSum += c;
      }
      for(i=0; i<n; i++) pTo[aCnt[(pFrom[i].k>>sh) & 0xFF]++] = pFrom[i];
      bInT = !bInT;
    }
    if( bInT ) memcpy(a, t, (size_t)n*sizeof(*a));
    /* Runs that tie on these 8 bytes go on 8 bytes deeper: the smaller
    ** ones by recursion, the largest by this loop, so that the stack
    ** stays shallow (log n) however long a shared prefix is. */
    for(i=0; i<n; i=j){
      for(j=i+1; j<n && a[j].k==a[i].k; j++){}
      if( j-i>nBig ){
        iBig = i;
        nBig = j-i;
      }
    }
    for(i=0; i<n; i=j){
      for(j=i+1; j<n && a[j].k==a[i].k; j++){}
      if( j-i>1 && i!=iBig ) group_sort_range(s, a+i, t+i, j-i, iDepth+8);
    }
    a += iBig;
    t += iBig;
    n = nBig;
    iDepth += 8;
  }
  {
    int64_t i, j;
    for(i=1; i<n; i++){
      GroupSortEnt e = a[i];
      for(j=i; j>0 && group_key_lt(s, e.i, a[j-1].i); j--) a[j] = a[j-1];
      a[j] = e;
    }
  }
}

int vf_group_sort_keys(const unsigned char *const *azKey,
                       const uint32_t *anKey, uint32_t nKey,
                       uint32_t *aOrder){
  GroupSortEnt *a;
  GroupSorter s;
  uint32_t i;
  a = sqlite3_malloc64((sqlite3_uint64)(nKey ? nKey : 1)*2*sizeof(*a));
  if( a==0 ) return SQLITE_NOMEM;
  for(i=0; i<nKey; i++){
    a[i].i = i;
    a[i].pad = 0;
  }
  s.az = azKey;
  s.an = anKey;
  group_sort_range(&s, a, a+nKey, nKey, 0);
  for(i=0; i<nKey; i++) aOrder[i] = a[i].i;
  sqlite3_free(a);
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------
** Packing rows into batches (the caller's thread)
**
** A packed row, 8-byte aligned: a word with the key length (low 32 bits)
** and the long-text length (high 32), the mask word (bit s: stored value
** s is NULL; bit 32+s: it is text of at most 7 bytes, held in its word),
** nStore value words (an integer, short text, or a long text's offset
** from the start of the text bytes << 20 | length), the key bytes, the
** long text bytes.
*/

#define GROUP_ALIGN8(n)  (((n)+7) & ~(int64_t)7)

/* Bytes the key of aVal takes. */
static int64_t group_key_size(const VfGroupStore *p, const VfValue *aVal){
  int64_t n = 0;
  int j;
  for(j=0; j<p->nKey; j++){
    const VfValue *v = &aVal[p->aKey[j]];
    n += v->bNull ? 1 : (p->aText[p->aKey[j]] ? 2 + v->n : 9);
  }
  return n;
}

/* Write the key of aVal to z in its order-preserving form. */
static void group_key_write(const VfGroupStore *p, const VfValue *aVal,
                            unsigned char *z){
  int j;
  for(j=0; j<p->nKey; j++){
    const VfValue *v = &aVal[p->aKey[j]];
    unsigned char *zStart = z;
    if( v->bNull ){
      *z++ = 0x00;
    }else if( p->aText[p->aKey[j]] ){
      *z++ = 0x01;
      memcpy(z, v->z, (size_t)v->n);
      z += v->n;
      *z++ = 0x00;
    }else{
      uint64_t u = (uint64_t)v->i ^ 0x8000000000000000ULL;
      int b;
      *z++ = 0x01;
      for(b=7; b>=0; b--) *z++ = (unsigned char)(u >> (8*b));
    }
    if( p->aDesc[j] ){
      for(; zStart<z; zStart++) *zStart = (unsigned char)~*zStart;
    }
  }
}

/* ---------------------------------------------------------------------
** Grouping a batch (the worker, or the caller without one)
*/

/* The first 16 bytes of a key as two big-endian words. */
static void group_prefix2(const unsigned char *z, int64_t n, uint64_t *pA,
                          uint64_t *pB){
  *pA = group_be64(z, n);
  *pB = n>8 ? group_be64(z+8, n-8) : 0;
}

static int group_cmp2(const void *pA, const void *pB){
  const uint64_t *a = (const uint64_t*)pA, *b = (const uint64_t*)pB;
  if( a[0]!=b[0] ) return a[0]<b[0] ? -1 : 1;
  if( a[1]!=b[1] ) return a[1]<b[1] ? -1 : 1;
  return 0;
}

/* Walk to the packed row after the one at z. */
static const char *group_next_rec(const VfGroupStore *p, const char *z){
  uint64_t h;
  memcpy(&h, z, 8);
  return z + 16 + 8*p->nStore + GROUP_ALIGN8((int64_t)(uint32_t)h)
           + GROUP_ALIGN8((int64_t)(h>>32));
}

/* Choose the range bounds from a sample of the batch's keys. */
static int group_split(VfGroupStore *p, const GroupBatch *pB){
  int64_t nSample = pB->nRec<GROUP_SAMPLE ? pB->nRec : GROUP_SAMPLE;
  int64_t nStep = nSample ? pB->nRec/nSample : 1, i, iRec;
  uint64_t *aS;
  const char *z = pB->a;
  int rc, k;
  p->bSplit = 1;
  if( p->nPart<=1 || nSample==0 ) return SQLITE_OK;
  aS = sqlite3_malloc64((sqlite3_uint64)nSample*16);
  if( aS==0 ) return SQLITE_NOMEM;
  for(i=iRec=0; i<nSample && iRec<pB->nRec; iRec++){
    if( iRec % nStep==0 ){
      uint64_t h;
      memcpy(&h, z, 8);
      group_prefix2((const unsigned char*)z + 16 + 8*p->nStore,
                    (uint32_t)h, &aS[2*i], &aS[2*i+1]);
      i++;
    }
    z = group_next_rec(p, z);
  }
  nSample = i;
  qsort(aS, (size_t)nSample, 16, group_cmp2);
  rc = group_resize(p, (void**)&p->aBound, 0, 2*(p->nPart-1), 8);
  if( rc==SQLITE_OK ){
    for(k=1; k<p->nPart; k++){
      int64_t iS = (int64_t)k*nSample/p->nPart;
      p->aBound[2*(k-1)] = aS[2*iS];
      p->aBound[2*(k-1)+1] = aS[2*iS+1];
    }
  }
  sqlite3_free(aS);
  return rc;
}

/* The range of a key: the first whose bound is above its 16 bytes. */
static int group_part_of(const VfGroupStore *p, const unsigned char *z,
                         int64_t n){
  uint64_t a, b;
  int lo = 0, hi = p->nPart-1;        /* answer in [lo, hi] */
  if( hi==0 || p->aBound==0 ) return 0;
  group_prefix2(z, n, &a, &b);
  while( lo<hi ){
    int mid = (lo+hi)/2;
    const uint64_t *pBd = &p->aBound[2*mid];
    if( a<pBd[0] || (a==pBd[0] && b<pBd[1]) ){
      hi = mid;
    }else{
      lo = mid+1;
    }
  }
  return lo;
}

/* Move every row of a batch to the end of its range's packed rows. */
static int group_work_batch(VfGroupStore *p, GroupBatch *pB){
  const char *z = pB->a;
  int64_t i;
  int rc = SQLITE_OK;
  if( !p->bSplit ) rc = group_split(p, pB);
  for(i=0; rc==SQLITE_OK && i<pB->nRec; i++){
    const char *zNext = group_next_rec(p, z);
    int64_t n = zNext - z;
    uint64_t h;
    GroupPart *pP;
    char *zTo;
    memcpy(&h, z, 8);
    pP = &p->aPart[group_part_of(p, (const unsigned char*)z+16+8*p->nStore,
                                 (uint32_t)h)];
    rc = group_chain_add(p, &pP->rec, n, 0, &zTo, 0);
    if( rc==SQLITE_OK ){
      memcpy(zTo, z, (size_t)n);
      pP->nRow++;
    }
    z = zNext;
  }
  pB->n = 0;
  pB->nRec = 0;
  return rc;
}

/* Size the scratch hash table to nSlot slots, all empty. */
static int group_slots(VfGroupStore *p, int64_t nSlot){
  if( nSlot>p->nSlotAlloc ){
    int rc = group_resize(p, (void**)&p->aSlot, p->nSlotAlloc, nSlot, 8);
    if( rc ) return rc;
    p->nSlotAlloc = nSlot;
  }
  memset(p->aSlot, 0, (size_t)nSlot*8);
  p->nSlot = nSlot;
  return SQLITE_OK;
}

/* Double the hash table, re-inserting range pP's groups. */
static int group_rehash(VfGroupStore *p){
  int64_t nOld = p->nSlot, nNew = nOld*2, i;
  int rc;
  if( nNew>p->nSlotAlloc ){
    rc = group_resize(p, (void**)&p->aSlot, p->nSlotAlloc, nNew, 8);
    if( rc ) return rc;
    p->nSlotAlloc = nNew;
  }
  /* a slot's home in the larger table is i or i+nOld: walk the old
  ** table, moving the entries whose home changed or that wrapped */
  memset(p->aSlot + nOld, 0, (size_t)nOld*8);
  p->nSlot = nNew;
  {
    uint64_t *aOld = 0;
    rc = group_resize(p, (void**)&aOld, 0, nOld, 8);
    if( rc ) return rc;
    memcpy(aOld, p->aSlot, (size_t)nOld*8);
    memset(p->aSlot, 0, (size_t)nOld*8);
    for(i=0; i<nOld; i++){
      uint64_t v = aOld[i];
      if( v ){
        int64_t h = (int64_t)(v>>32) & (nNew-1);
        while( p->aSlot[h] ) h = (h+1) & (nNew-1);
        p->aSlot[h] = v;
      }
    }
    group_release(p, (void**)&aOld, nOld, 8);
  }
  return SQLITE_OK;
}

/*
** Gather range pP's packed rows into groups (aGroup, key bytes in its
** arena, each row's group in p->aGid): a hash table over one range stays
** in the CPU's cache.
*/
static int group_build_part(VfGroupStore *p, GroupPart *pP){
  int64_t iRow = 0, nSlot = GROUP_HASH0;
  int rc = SQLITE_OK, b;
  if( pP->nRow>p->nGidAlloc ){
    rc = group_resize(p, (void**)&p->aGid, p->nGidAlloc, pP->nRow, 4);
    if( rc ) return rc;
    p->nGidAlloc = pP->nRow;
  }
  while( nSlot<2*pP->nRow && nSlot<2*GROUP_HASH0*16 ) nSlot *= 2;
  rc = group_slots(p, nSlot);
  for(b=0; rc==SQLITE_OK && b<pP->rec.nBlk; b++){
    const char *z = pP->rec.ap[b], *zEnd = z + pP->rec.an[b];
    while( z<zEnd ){
      uint64_t h;
      const unsigned char *zKey = (const unsigned char*)z + 16 + 8*p->nStore;
      int64_t nKey, iSlot;
      uint32_t hash, iGroup;
      memcpy(&h, z, 8);
      nKey = (uint32_t)h;
      if( (pP->nGroup+1)*2 > p->nSlot ){
        rc = group_rehash(p);
        if( rc ) return rc;
      }
      hash = group_hash(zKey, nKey);
      iSlot = (int64_t)hash & (p->nSlot-1);
      for(;;){
        uint64_t v = p->aSlot[iSlot];
        if( v==0 ){
          GroupKey *pK;
          uint64_t iAt;
          char *zTo;
          rc = group_grow(p, (void**)&pP->aGroup, &pP->nGroupAlloc, pP->nGroup,
                          1, sizeof(GroupKey));
          if( rc==SQLITE_OK ){
            rc = group_chain_add(p, &pP->arena, nKey, 0, &zTo, &iAt);
          }
          if( rc ) return rc;
          memcpy(zTo, zKey, (size_t)nKey);
          iGroup = (uint32_t)pP->nGroup++;
          pK = &pP->aGroup[iGroup];
          pK->iAt = iAt;
          pK->nByte = (uint32_t)nKey;
          pK->nRow = 0;
          p->aSlot[iSlot] = ((uint64_t)hash<<32) | (iGroup+1);
          break;
        }
        if( (uint32_t)(v>>32)==hash ){
          const GroupKey *pK = &pP->aGroup[(uint32_t)v - 1];
          if( pK->nByte==(uint32_t)nKey
           && memcmp(group_chain_at(&pP->arena, pK->iAt), zKey,
                     (size_t)nKey)==0 ){
            iGroup = (uint32_t)v - 1;
            break;
          }
        }
        iSlot = (iSlot+1) & (p->nSlot-1);
      }
      pP->aGroup[iGroup].nRow++;
      p->aGid[iRow++] = iGroup;
      z = group_next_rec(p, z);
    }
  }
  return rc;
}

/*
** THE KEY AS HANDED OVER. Once a range is sorted its keys are rewritten in
** the form vf_group_value() reads without work: per key column a byte 0
** (NULL), or 1 and an 8-byte integer, or 2, a 4-byte length, the address
** of its block's GroupHold (8 bytes, see vf_group_unhold) and the text,
** DESC text inverted back.
*/

/* Most bytes the hand-over form of an n-byte key takes: a text column
** grows by 11 bytes, others stay as long. */
static int64_t group_out_max(const VfGroupStore *p, int64_t n){
  return n + 11*(int64_t)p->nKey;
}

/* Write the hand-over form of key z[0..n-1] to zOut; pBlk is the start of
** zOut's block. Return the bytes written. */
static int64_t group_out_write(const VfGroupStore *p, const unsigned char *z,
                               int64_t n, char *zOut, char *pBlk){
  const unsigned char *zEnd = z + n;
  char *zStart = zOut;
  int j;
  for(j=0; j<p->nKey; j++){
    unsigned char inv = p->aDesc[j] ? 0xFF : 0x00;
    if( (z[0]^inv)==0x00 ){
      *zOut++ = 0;
      z += 1;
    }else if( p->aText[p->aKey[j]] ){
      const unsigned char *zT = memchr(z+1, inv, (size_t)(zEnd - z - 1));
      uint32_t nT = (uint32_t)(zT - z - 1), i;
      *zOut++ = 2;
      memcpy(zOut, &nT, 4);
      memcpy(zOut+4, &pBlk, sizeof(pBlk));
      zOut += 4 + 8;
      if( inv ){
        for(i=0; i<nT; i++) zOut[i] = (char)~z[1+i];
      }else{
        memcpy(zOut, z+1, nT);
      }
      zOut += nT;
      z = zT+1;
    }else{
      uint64_t u = 0;
      int64_t v;
      int b;
      for(b=1; b<=8; b++) u = (u<<8) | (unsigned char)(z[b]^inv);
      v = (int64_t)(u ^ 0x8000000000000000ULL);
      *zOut++ = 1;
      memcpy(zOut, &v, 8);
      zOut += 8;
      z += 9;
    }
  }
  return zOut - zStart;
}

/*
** Range pP, once the scan is over: group its rows, sort the keys, and
** write the rows in group order (a counting sort on each group's place)
** into pP->rows; its packed rows are freed.
*/
static int group_sort_part(VfGroupStore *p, GroupPart *pP){
  int64_t n, i, nNeed;
  GroupSortEnt *aEnt;
  const unsigned char **az;
  uint32_t *an;
  GroupKey *aSorted = 0;
  GroupSorter s;
  int rc = group_build_part(p, pP);
  if( rc ) return rc;
  n = pP->nGroup;
  if( n==0 ){
    group_chain_clear(p, &pP->rec);
    return SQLITE_OK;
  }
  /* the sort's scratch: 2n entries, n key pointers, n lengths */
  nNeed = n*(2*(int64_t)sizeof(GroupSortEnt) + 8 + 4);
  if( nNeed>p->nSortAlloc ){
    rc = group_resize(p, &p->aSortMem, p->nSortAlloc, nNeed, 1);
    if( rc ) return rc;
    p->nSortAlloc = nNeed;
  }
  aEnt = (GroupSortEnt*)p->aSortMem;
  az = (const unsigned char**)(aEnt + 2*n);
  an = (uint32_t*)(az + n);
  for(i=0; i<n; i++){
    az[i] = (const unsigned char*)group_chain_at(&pP->arena, pP->aGroup[i].iAt);
    an[i] = pP->aGroup[i].nByte;
    aEnt[i].i = (uint32_t)i;
    aEnt[i].pad = 0;
  }
  s.az = az;
  s.an = an;
  group_sort_range(&s, aEnt, aEnt+n, n, 0);
  rc = group_resize(p, (void**)&aSorted, 0, n, sizeof(GroupKey));
  if( rc ) return rc;
  {
    /* an[] becomes each group's next output row. The keys move to a new
    ** arena in output order, so that handing them over reads memory in
    ** order and not a cache miss per group; the old arena's blocks are
    ** freed at once, for the next range to reuse. */
    int64_t iPos = 0;
    GroupChain arena;
    memset(&arena, 0, sizeof(arena));
    arena.bHold = 1;
    for(i=0; i<n; i++){
      GroupKey *pK = &pP->aGroup[aEnt[i].i];
      const unsigned char *zKey =
          (const unsigned char*)group_chain_at(&pP->arena, pK->iAt);
      int64_t nMax = group_out_max(p, pK->nByte), nOut;
      char *zTo;
      aSorted[i] = *pK;
      rc = group_chain_add(p, &arena, nMax, 0, &zTo, &aSorted[i].iAt);
      if( rc ){
        group_chain_clear(p, &arena);
        group_release(p, (void**)&aSorted, n, sizeof(GroupKey));
        return rc;
      }
      nOut = group_out_write(p, zKey, pK->nByte, zTo,
                             arena.ap[aSorted[i].iAt>>24]);
      arena.an[arena.nBlk-1] -= nMax - nOut;   /* give back what was unused */
      aSorted[i].nByte = (uint32_t)nOut;
      an[aEnt[i].i] = (uint32_t)iPos;
      iPos += pK->nRow;
    }
    group_chain_clear(p, &pP->arena);
    pP->arena = arena;
  }
  group_release(p, (void**)&pP->aGroup, pP->nGroupAlloc, sizeof(GroupKey));
  pP->aGroup = aSorted;
  pP->nGroupAlloc = n;
  if( p->nWord ){
    int nWord = p->nWord, sh = p->iRowShift, b;
    int64_t nRowBytes = (int64_t)nWord*8, nBlk, iRow = 0;
    int64_t nPer = (int64_t)1<<sh;
    /* the blocks of rows, all full but the last */
    nBlk = (pP->nRow + nPer - 1) >> sh;
    for(i=0; i<nBlk; i++){
      int64_t nThis = i<nBlk-1 ? nPer : pP->nRow - i*nPer;
      char *zTo;
      rc = group_chain_add(p, &pP->rows, nThis*nRowBytes, nPer*nRowBytes,
                           &zTo, 0);
      if( rc ) return rc;
      if( pP->rows.nBlk!=i+1 ) return SQLITE_INTERNAL;
    }
    for(b=0; b<pP->rec.nBlk; b++){
      const char *z = pP->rec.ap[b], *zEnd = z + pP->rec.an[b];
      while( z<zEnd ){
        uint32_t iPos = an[p->aGid[iRow++]]++;
        int64_t *pTo = (int64_t*)(void*)(pP->rows.ap[iPos>>sh]
                                   + (int64_t)(iPos & (nPer-1))*nRowBytes);
        uint64_t mMask;
        int sIdx;
        memcpy(pTo, z+8, (size_t)nRowBytes);
        memcpy(&mMask, z+8, 8);
        for(sIdx=0; sIdx<p->nStore; sIdx++){
          if( p->aText[p->aStore[sIdx]]
           && (mMask & (((uint64_t)1<<sIdx) | ((uint64_t)1<<(32+sIdx))))==0 ){
            uint64_t h, v = (uint64_t)pTo[1+sIdx], iAt;
            const char *zLong;
            char *zT;
            memcpy(&h, z, 8);
            zLong = z + 16 + 8*p->nStore + GROUP_ALIGN8((int64_t)(uint32_t)h);
            rc = group_chain_add(p, &pP->arena, GROUP_TEXT_LEN(v), 0, &zT, &iAt);
            if( rc ) return rc;
            memcpy(zT, zLong + GROUP_TEXT_OFF(v), (size_t)GROUP_TEXT_LEN(v));
            pTo[1+sIdx] = (int64_t)GROUP_TEXT(iAt, GROUP_TEXT_LEN(v));
          }
        }
        z = group_next_rec(p, z);
      }
    }
  }
  group_chain_clear(p, &pP->rec);
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------
** The worker
*/

static void *group_worker(void *pArg){
  VfGroupStore *p = (VfGroupStore*)pArg;
  int rc = SQLITE_OK, i;
  pthread_mutex_lock(&p->mutex);
  while( 1 ){
    while( p->nTaken==p->nPosted && !p->bEnd && !p->bStop ){
      pthread_cond_wait(&p->condWork, &p->mutex);
    }
    if( p->bStop ) break;
    if( p->nTaken<p->nPosted ){
      GroupBatch *pB = &p->aBatch[p->nTaken % p->nBatch];
      double t0 = p->bTrace ? group_clock(1) : 0;
      pthread_mutex_unlock(&p->mutex);
      rc = group_work_batch(p, pB);
      pthread_mutex_lock(&p->mutex);
      if( p->bTrace ) p->tWorkScan += group_clock(1) - t0;
      p->nTaken++;
      pthread_cond_signal(&p->condMain);
      if( rc ) break;
      continue;
    }
    /* the end: sort the ranges in order, publishing each */
    for(i=0; i<p->nPart && rc==SQLITE_OK && !p->bStop; i++){
      double t0 = p->bTrace ? group_clock(1) : 0;
      pthread_mutex_unlock(&p->mutex);
      rc = group_sort_part(p, &p->aPart[i]);
      pthread_mutex_lock(&p->mutex);
      if( p->bTrace ){
        p->tWorkSort += group_clock(1) - t0;
        p->tSortEnd = group_clock(0);
      }
      if( rc==SQLITE_OK ){
        __atomic_add_fetch(&p->nKeysDone, p->aPart[i].nGroup, __ATOMIC_RELAXED);
        p->nReady = i+1;
        pthread_cond_signal(&p->condMain);
      }
    }
    break;
  }
  if( rc ){
    p->rcWork = rc;
    pthread_cond_signal(&p->condMain);
  }
  pthread_mutex_unlock(&p->mutex);
  return 0;
}

/* ---------------------------------------------------------------------
** The store
*/

int vf_group_new(VfGroupStore **pp, int nVal, const unsigned char *aText,
                 int nKey, const int *aKey, const unsigned char *aDesc,
                 int64_t nBudget, int nPart, int mFlags){
  VfGroupStore *p;
  int k, j, rc;
  *pp = 0;
  if( nVal>GROUP_MAX_VAL || nKey>nVal || nKey<1 ) return SQLITE_MISUSE;
  if( nPart<1 ) nPart = 1;
  if( nPart>VF_GROUP_MAX_PART ) nPart = VF_GROUP_MAX_PART;
  p = sqlite3_malloc64(sizeof(*p));
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->nVal = nVal;
  memcpy(p->aText, aText, (size_t)nVal);
  p->nKey = nKey;
  for(k=0; k<nVal; k++) p->aKeyOf[k] = -1;
  for(j=0; j<nKey; j++){
    p->aKey[j] = aKey[j];
    p->aDesc[j] = aDesc[j] ? 1 : 0;
    p->aKeyOf[aKey[j]] = j;
  }
  for(k=0; k<nVal; k++){
    p->aStoreOf[k] = -1;
    if( p->aKeyOf[k]<0 ){
      p->aStoreOf[k] = p->nStore;
      p->aStore[p->nStore++] = k;
    }
  }
  p->nWord = p->nStore ? 1+p->nStore : 0;
  p->bTrace = (mFlags & VF_GROUP_TRACE)!=0;
  if( p->bTrace ) p->tNew = group_clock(0);
  p->iRowShift = 0;
  while( p->nWord && ((int64_t)2<<p->iRowShift)*p->nWord*8<=GROUP_BLOCK ){
    p->iRowShift++;
  }
  p->nBudget = nBudget;
  p->nPart = nPart;
  p->iPart = -1;
  p->bThread = (mFlags & VF_GROUP_THREAD) && sqlite3_threadsafe()!=0;
  p->nBatch = p->bThread ? GROUP_NBATCH : 1;
  /* a small budget gets small batches: the ring is at most 1/4 of it */
  p->nBatchSize = GROUP_BATCH;
  while( p->nBatchSize>4096 && p->nBatchSize*16>nBudget ) p->nBatchSize /= 2;
  rc = group_resize(p, (void**)&p->aPart, 0, nPart, sizeof(GroupPart));
  if( rc ){
    sqlite3_free(p);
    return rc==SQLITE_FULL ? SQLITE_FULL : SQLITE_NOMEM;
  }
  memset(p->aPart, 0, sizeof(GroupPart)*(size_t)nPart);
  if( p->bThread ){
    if( pthread_mutex_init(&p->mutex, 0) ){
      p->bThread = 0;
    }else if( pthread_cond_init(&p->condWork, 0) ){
      pthread_mutex_destroy(&p->mutex);
      p->bThread = 0;
    }else if( pthread_cond_init(&p->condMain, 0) ){
      pthread_cond_destroy(&p->condWork);
      pthread_mutex_destroy(&p->mutex);
      p->bThread = 0;
    }else if( pthread_create(&p->tid, 0, group_worker, p) ){
      pthread_cond_destroy(&p->condMain);
      pthread_cond_destroy(&p->condWork);
      pthread_mutex_destroy(&p->mutex);
      p->bThread = 0;
    }
    if( !p->bThread ) p->nBatch = 1;  /* no thread: group on this one */
  }
  *pp = p;
  return SQLITE_OK;
}

int vf_group_threaded(const VfGroupStore *p){ return p->bThread; }

/*
** Stop the worker and free every range, batch and table of the store:
** all its memory but the struct itself. Keys SQLite still holds stay
** valid (GroupHold). Used by vf_group_free() and vf_group_spill().
*/
static void group_drop_all(VfGroupStore *p){
  int i;
  if( p->bThread ){
    pthread_mutex_lock(&p->mutex);
    p->bStop = 1;
    pthread_cond_signal(&p->condWork);
    pthread_mutex_unlock(&p->mutex);
    pthread_join(p->tid, 0);
    pthread_cond_destroy(&p->condMain);
    pthread_cond_destroy(&p->condWork);
    pthread_mutex_destroy(&p->mutex);
    p->bThread = 0;
  }
  for(i=0; i<p->nPart; i++) group_part_clear(p, &p->aPart[i]);
  sqlite3_free(p->aSlot);
  sqlite3_free(p->aGid);
  sqlite3_free(p->aSortMem);
  for(i=0; i<GROUP_NBATCH; i++){
    sqlite3_free(p->aBatch[i].a);
  }
  sqlite3_free(p->aBound);
  sqlite3_free(p->aPart);
  p->aPart = 0;
  p->aSlot = 0; p->aGid = 0; p->aSortMem = 0; p->aBound = 0;
  p->nSlotAlloc = p->nGidAlloc = p->nSortAlloc = 0;
  for(i=0; i<GROUP_NBATCH; i++) memset(&p->aBatch[i], 0, sizeof(GroupBatch));
  p->nPart = 0;
  p->pCur = 0;
}

static void group_spill_close(VfGroupStore *p);

void vf_group_free(VfGroupStore *p){
  if( p==0 ) return;
  if( p->bTrace ){
    /* a store freed before its scan finished (an error, a spill) has no
    ** tFinish: its scan ran until now, and nothing was handed over */
    double tNow = group_clock(0), tEnd = p->tFinish ? p->tFinish : tNow;
    fprintf(stderr, "vpcflow group: %lld rows, %lld keys, %d ranges, %s; "
            "scan %.3f s (waiting for a batch %.3f s), worker cpu %.3f s; "
            "sorting cpu %.3f s, done %.3f s after the scan; handing over "
            "%.3f s (waiting %.3f s); %lld MiB still held\n",
            (long long)p->nAdded, (long long)vf_group_keys(p), p->nPart,
            p->bThread ? "2 threads" : "1 thread",
            tEnd - p->tNew, p->tWaitBatch, p->tWorkScan, p->tWorkSort,
            p->tSortEnd ? p->tSortEnd - tEnd : 0,
            tNow - tEnd, p->tWaitPart,
            (long long)(vf_group_bytes(p)>>20));
  }
  group_drop_all(p);
  group_spill_close(p);
  sqlite3_free(p);
}

/* ---------------------------------------------------------------------
** THE SPILL. When the store cannot go on (its budget is spent, or malloc
** fails under the process's memory limit), vf_group_spill() frees all
** its memory and the rows, added again from the start of the scan, go
** into a private database on a temporary file (SQLite's "" file name):
** one table of the payload values, read back ORDER BY the key columns.
** SQLite's own sorter then merges runs on disk with about its cache size
** in memory, and gives the rows in the very order the store would have
** (BINARY text, integers, NULL first for ASC and last for DESC), which is
** the order xBestIndex promised. The groups handed over before the spill
** (nSkip) are skipped: a store fails only between key ranges, so those
** groups were handed over whole.
*/

static void group_spill_close(VfGroupStore *p){
  int k;
  sqlite3_finalize(p->pIns);
  sqlite3_finalize(p->pSel);
  p->pIns = p->pSel = 0;
  if( p->dbSpill ) sqlite3_close(p->dbSpill);
  p->dbSpill = 0;
  for(k=0; k<GROUP_MAX_VAL; k++){
    sqlite3_value_free(p->apPrev[k]);
    p->apPrev[k] = 0;
  }
}

int vf_group_spill(VfGroupStore *p, int (*xStop)(void*), void *pArg){
  sqlite3_str *pCreate, *pIns, *pSel;
  char *zCreate, *zIns, *zSel;
  int k, j, rc;
  if( p->bSpill ) return SQLITE_MISUSE;
  group_drop_all(p);
  p->bSpill = 1;
  p->nSkip = p->nOut;
  p->nOut = 0;                /* counts the groups skipped, from now */
  p->nAdded = 0;
  p->nLeft = 0;
  __atomic_store_n(&p->nBytes, 0, __ATOMIC_RELAXED);
  rc = sqlite3_open_v2("", &p->dbSpill, SQLITE_OPEN_READWRITE
                       | SQLITE_OPEN_CREATE | SQLITE_OPEN_PRIVATECACHE, 0);
  if( rc ) return rc;
  if( xStop ) sqlite3_progress_handler(p->dbSpill, 4096, xStop, pArg);
  pCreate = sqlite3_str_new(0);
  pIns = sqlite3_str_new(0);
  pSel = sqlite3_str_new(0);
  sqlite3_str_appendall(pCreate, "PRAGMA journal_mode=OFF;"
                        "PRAGMA synchronous=OFF;PRAGMA temp_store=FILE;"
                        "PRAGMA cache_size=-2048;CREATE TABLE t(");
  sqlite3_str_appendall(pIns, "INSERT INTO t VALUES(");
  sqlite3_str_appendall(pSel, "SELECT ");
  for(k=0; k<p->nVal; k++){
    sqlite3_str_appendf(pCreate, "%sc%d", k ? "," : "", k);
    sqlite3_str_appendf(pIns, "%s?", k ? "," : "");
    sqlite3_str_appendf(pSel, "%sc%d", k ? "," : "", k);
  }
  sqlite3_str_appendall(pCreate, ");BEGIN;");
  sqlite3_str_appendall(pIns, ")");
  sqlite3_str_appendall(pSel, " FROM t ORDER BY ");
  for(j=0; j<p->nKey; j++){
    sqlite3_str_appendf(pSel, "%sc%d%s", j ? "," : "", p->aKey[j],
                        p->aDesc[j] ? " DESC" : "");
  }
  zCreate = sqlite3_str_finish(pCreate);
  zIns = sqlite3_str_finish(pIns);
  zSel = sqlite3_str_finish(pSel);
  if( zCreate==0 || zIns==0 || zSel==0 ){
    rc = SQLITE_NOMEM;
  }else{
    rc = sqlite3_exec(p->dbSpill, zCreate, 0, 0, 0);
    if( rc==SQLITE_OK ){
      rc = sqlite3_prepare_v2(p->dbSpill, zIns, -1, &p->pIns, 0);
    }
    if( rc==SQLITE_OK ){
      /* prepared now so that finishing needs no new memory */
      rc = sqlite3_prepare_v3(p->dbSpill, zSel, -1,
                              SQLITE_PREPARE_PERSISTENT, &p->pSel, 0);
    }
  }
  sqlite3_free(zCreate);
  sqlite3_free(zIns);
  sqlite3_free(zSel);
  return rc;
}

int vf_group_spilled(const VfGroupStore *p){ return p->bSpill; }

const char *vf_group_errmsg(VfGroupStore *p, int rc){
  /* the temporary database's own error, when it has one; else rc's words
  ** (an allocation of the store itself, say: "out of memory") */
  if( p->dbSpill && sqlite3_errcode(p->dbSpill)!=SQLITE_OK ){
    return sqlite3_errmsg(p->dbSpill);
  }
  return sqlite3_errstr(rc);
}

static int group_spill_add(VfGroupStore *p, const VfValue *aVal){
  int k, rc = SQLITE_OK;
  if( p->pIns==0 ) return SQLITE_MISUSE;
  for(k=0; k<p->nVal && rc==SQLITE_OK; k++){
    const VfValue *v = &aVal[k];
    if( v->bNull ){
      rc = sqlite3_bind_null(p->pIns, k+1);
    }else if( p->aText[k] ){
      rc = sqlite3_bind_text(p->pIns, k+1, v->z, v->n, SQLITE_STATIC);
    }else{
      rc = sqlite3_bind_int64(p->pIns, k+1, v->i);
    }
  }
  if( rc ) return rc;
  rc = sqlite3_step(p->pIns);
  sqlite3_reset(p->pIns);
  if( rc!=SQLITE_DONE ) return rc;
  p->nAdded++;
  return SQLITE_OK;
}

static int group_spill_finish(VfGroupStore *p){
  int rc;
  if( p->pSel==0 ) return SQLITE_MISUSE;
  sqlite3_finalize(p->pIns);
  p->pIns = 0;
  rc = sqlite3_exec(p->dbSpill, "COMMIT", 0, 0, 0);
  return rc;
}

/* 1 if the current row's key equals the one kept in apPrev[]. */
static int group_spill_same(VfGroupStore *p){
  int j;
  for(j=0; j<p->nKey; j++){
    sqlite3_value *a = sqlite3_column_value(p->pSel, p->aKey[j]);
    sqlite3_value *b = p->apPrev[j];
    int e = sqlite3_value_type(a);
    if( e!=sqlite3_value_type(b) ) return 0;
    if( e==SQLITE_INTEGER ){
      if( sqlite3_value_int64(a)!=sqlite3_value_int64(b) ) return 0;
    }else if( e!=SQLITE_NULL ){
      const unsigned char *za = sqlite3_value_text(a);
      const unsigned char *zb = sqlite3_value_text(b);
      int na = sqlite3_value_bytes(a);
      if( za==0 || zb==0 || na!=sqlite3_value_bytes(b)
       || memcmp(za, zb, (size_t)na)!=0 ){
        return 0;
      }
    }
  }
  return 1;
}

static int group_spill_step(VfGroupStore *p){
  while( 1 ){
    int rc = sqlite3_step(p->pSel), j;
    if( rc==SQLITE_DONE ) return SQLITE_DONE;
    if( rc!=SQLITE_ROW ){
      sqlite3_reset(p->pSel);
      return rc;
    }
    if( p->nSkip==0 ) return SQLITE_ROW;
    if( p->apPrev[0] && group_spill_same(p) ) continue;
    /* the first row of a group */
    if( p->nOut==p->nSkip ){
      p->nSkip = 0;
      return SQLITE_ROW;
    }
    p->nOut++;
    for(j=0; j<p->nKey; j++){
      sqlite3_value_free(p->apPrev[j]);
      p->apPrev[j] = sqlite3_value_dup(sqlite3_column_value(p->pSel,
                                                            p->aKey[j]));
      if( p->apPrev[j]==0 ) return SQLITE_NOMEM;
    }
  }
}

static int group_spill_value(VfGroupStore *p, int k, VfValue *pOut){
  int e = sqlite3_column_type(p->pSel, k);
  memset(pOut, 0, sizeof(*pOut));
  if( e==SQLITE_NULL ){
    pOut->bNull = 1;
  }else if( p->aText[k] ){
    pOut->z = (const char*)sqlite3_column_text(p->pSel, k);
    if( pOut->z==0 ) return SQLITE_NOMEM;
    pOut->n = sqlite3_column_bytes(p->pSel, k);
  }else{
    pOut->i = sqlite3_column_int64(p->pSel, k);
  }
  return SQLITE_OK;
}

/*
** Hand the caller's batch over: to the worker (then wait for a free one
** unless one is already free), or group it here. SQLITE_OK or the error
** of the grouping so far.
*/
static int group_post(VfGroupStore *p){
  int rc;
  if( !p->bThread ) return group_work_batch(p, &p->aBatch[0]);
  pthread_mutex_lock(&p->mutex);
  p->nPosted++;
  pthread_cond_signal(&p->condWork);
  if( p->nPosted - p->nTaken >= p->nBatch ) p->nWaited++;
  if( p->nPosted - p->nTaken >= p->nBatch && p->bTrace ){
    double t0 = group_clock(0);
    while( p->nPosted - p->nTaken >= p->nBatch && p->rcWork==SQLITE_OK ){
      pthread_cond_wait(&p->condMain, &p->mutex);
    }
    p->tWaitBatch += group_clock(0) - t0;
  }
  while( p->nPosted - p->nTaken >= p->nBatch && p->rcWork==SQLITE_OK ){
    pthread_cond_wait(&p->condMain, &p->mutex);
  }
  rc = p->rcWork;
  pthread_mutex_unlock(&p->mutex);
  return rc;
}

/* The batch the caller fills now. */
static GroupBatch *group_fill_batch(VfGroupStore *p){
  return &p->aBatch[p->bThread ? p->nPosted % p->nBatch : 0];
}

int vf_group_add(VfGroupStore *p, const VfValue *aVal){
  int64_t nKey, nLong = 0, nNeed, nAt;
  GroupBatch *pB;
  char *z;
  uint64_t mMask = 0;
  int s;
  if( p->bSpill ) return group_spill_add(p, aVal);
  nKey = group_key_size(p, aVal);
  for(s=0; s<p->nStore; s++){
    const VfValue *v = &aVal[p->aStore[s]];
    if( !v->bNull && p->aText[p->aStore[s]] && v->n>7 ) nLong += v->n;
  }
  nNeed = 16 + 8*p->nStore + GROUP_ALIGN8(nKey) + GROUP_ALIGN8(nLong);
  pB = group_fill_batch(p);
  if( pB->n + nNeed > pB->nAlloc ){
    int rc;
    if( pB->nRec>0 ){
      rc = group_post(p);
      if( rc ) return rc;
      pB = group_fill_batch(p);
    }
    if( nNeed > pB->nAlloc ){
      int64_t nNew = nNeed>p->nBatchSize ? nNeed : p->nBatchSize;
      rc = group_resize(p, (void**)&pB->a, pB->nAlloc, nNew, 1);
      if( rc ) return rc;
      pB->nAlloc = nNew;
    }
  }
  z = pB->a + pB->n;
  nAt = 0;
  {
    uint64_t h = (uint64_t)(uint32_t)nKey | ((uint64_t)nLong<<32);
    int64_t *aW = (int64_t*)(void*)(z+16);
    unsigned char *zKey = (unsigned char*)z + 16 + 8*p->nStore;
    char *zLong = (char*)zKey + GROUP_ALIGN8(nKey);
    memcpy(z, &h, 8);
    for(s=0; s<p->nStore; s++){
      const VfValue *v = &aVal[p->aStore[s]];
      if( v->bNull ){
        mMask |= (uint64_t)1<<s;
        aW[s] = 0;
      }else if( p->aText[p->aStore[s]] ){
        if( v->n<=7 ){
          mMask |= (uint64_t)1<<(32+s);
          aW[s] = 0;
          memcpy(&aW[s], v->z, (size_t)v->n);
          ((unsigned char*)&aW[s])[7] = (unsigned char)v->n;
        }else{
          memcpy(zLong + nAt, v->z, (size_t)v->n);
          aW[s] = (int64_t)GROUP_TEXT(nAt, v->n);
          nAt += v->n;
        }
      }else{
        aW[s] = v->i;
      }
    }
    memcpy(z+8, &mMask, 8);
    group_key_write(p, aVal, zKey);
  }
  pB->n += nNeed;
  pB->nRec++;
  p->nAdded++;
  return SQLITE_OK;
}

/* See group.h. Only the caller's thread changes these counts. */
int vf_group_behind(VfGroupStore *p){
  return p->bThread && p->nPosted>=8 && p->nWaited*4>p->nPosted;
}

int vf_group_finish(VfGroupStore *p){
  int rc = SQLITE_OK;
  GroupBatch *pB;
  if( p->bSpill ) return group_spill_finish(p);
  pB = group_fill_batch(p);
  if( p->bTrace ) p->tFinish = group_clock(0);
  if( !p->bThread ){
    return pB->nRec>0 ? group_work_batch(p, pB) : SQLITE_OK;
  }
  pthread_mutex_lock(&p->mutex);
  if( pB->nRec>0 ) p->nPosted++;
  p->bEnd = 1;
  pthread_cond_signal(&p->condWork);
  rc = p->rcWork;
  pthread_mutex_unlock(&p->mutex);
  return rc;
}

/* Wait until range i is sorted (or sort it here). */
static int group_wait_part(VfGroupStore *p, int i){
  int rc;
  if( !p->bThread ){
    rc = group_sort_part(p, &p->aPart[i]);
    if( rc==SQLITE_OK ){
      __atomic_add_fetch(&p->nKeysDone, p->aPart[i].nGroup, __ATOMIC_RELAXED);
    }
    return rc;
  }
  pthread_mutex_lock(&p->mutex);
  if( p->nReady<=i && p->bTrace ){
    double t0 = group_clock(0);
    while( p->nReady<=i && p->rcWork==SQLITE_OK ){
      pthread_cond_wait(&p->condMain, &p->mutex);
    }
    p->tWaitPart += group_clock(0) - t0;
  }
  while( p->nReady<=i && p->rcWork==SQLITE_OK ){
    pthread_cond_wait(&p->condMain, &p->mutex);
  }
  rc = p->nReady>i ? SQLITE_OK : p->rcWork;
  pthread_mutex_unlock(&p->mutex);
  return rc;
}

/* Point p->pRow at the words of the current row. */
static void group_row_words(VfGroupStore *p){
  if( p->nWord ){
    int64_t m = ((int64_t)1<<p->iRowShift) - 1;
    p->pRow = (const int64_t*)(void*)(p->pCur->rows.ap[p->iRow>>p->iRowShift])
              + (p->iRow & m)*p->nWord;
  }
}

int vf_group_step(VfGroupStore *p){
  if( p->nLeft>0 ){
    p->nLeft--;
    p->iRow++;
    if( p->nWord ){
      if( (p->iRow & (((int64_t)1<<p->iRowShift)-1))==0 ){
        group_row_words(p);
      }else{
        p->pRow += p->nWord;
      }
    }
    return SQLITE_ROW;
  }
  if( p->bSpill ) return group_spill_step(p);
  while( 1 ){
    GroupPart *pP = p->pCur;
    if( pP && p->iGroup+1<pP->nGroup ){
      p->iGroup++;
      p->iRow++;
      p->nOut++;
      p->nLeft = (int64_t)pP->aGroup[p->iGroup].nRow - 1;
      p->mKeyDone = 0;
      group_row_words(p);
      return SQLITE_ROW;
    }
    if( pP ){
      group_part_clear(p, pP);      /* handed over: free it now */
      p->pCur = 0;
    }
    if( p->iPart+1>=p->nPart ) return SQLITE_DONE;
    p->iPart++;
    {
      int rc = group_wait_part(p, p->iPart);
      if( rc ) return rc;
    }
    p->pCur = &p->aPart[p->iPart];
    p->iGroup = -1;
    p->iRow = -1;
  }
}

int64_t vf_group_rows(const VfGroupStore *p){ return p->nAdded; }

int64_t vf_group_out(const VfGroupStore *p){ return p->nOut; }

int64_t vf_group_keys(const VfGroupStore *p){
  return __atomic_load_n(&p->nKeysDone, __ATOMIC_RELAXED);
}

/*
** Decode every key column of the current group into p->aKeyVal[], from
** the hand-over form (see group_out_write). Text is left where it is and
** marked bHold: the caller may hand it to SQLite by reference.
*/
static void group_key_decode(VfGroupStore *p){
  const GroupKey *pK = &p->pCur->aGroup[p->iGroup];
  const char *z = group_chain_at(&p->pCur->arena, pK->iAt);
  int j;
  for(j=0; j<p->nKey; j++){
    VfValue *pOut = &p->aKeyVal[j];
    memset(pOut, 0, sizeof(*pOut));
    switch( *z++ ){
      case 0:
        pOut->bNull = 1;
        break;
      case 1:
        memcpy(&pOut->i, z, 8);
        z += 8;
        break;
      default: {
        uint32_t nT;
        memcpy(&nT, z, 4);
        pOut->n = (int)nT;
        pOut->z = z + 12;
        pOut->bHold = 1;
        z += 12 + nT;
        break;
      }
    }
  }
  p->mKeyDone = 1;
}

/* The GroupHold of a key text handed over (see group_out_write). */
static GroupHold *group_hold_of(const char *z){
  GroupHold *pH;
  memcpy(&pH, z-8, sizeof(pH));
  return pH;
}

void vf_group_hold(const char *z){
  group_hold_of(z)->nRef++;
}

void vf_group_unhold(void *z){
  GroupHold *pH = group_hold_of((const char*)z);
  if( --pH->nRef==0 && pH->bOrphan ) sqlite3_free(pH);
}

int vf_group_value(VfGroupStore *p, int k, VfValue *pOut){
  int j = p->aKeyOf[k];
  if( p->bSpill ) return group_spill_value(p, k, pOut);
  if( j>=0 ){
    if( !p->mKeyDone ) group_key_decode(p);
    *pOut = p->aKeyVal[j];
    return SQLITE_OK;
  }
  {
    const int64_t *pRow = p->pRow;
    uint64_t mMask = (uint64_t)pRow[0];
    int s = p->aStoreOf[k];
    memset(pOut, 0, sizeof(*pOut));
    if( mMask & ((uint64_t)1<<s) ){
      pOut->bNull = 1;
    }else if( p->aText[k] ){
      if( mMask & ((uint64_t)1<<(32+s)) ){
        pOut->z = (const char*)&pRow[1+s];
        pOut->n = ((const unsigned char*)&pRow[1+s])[7];
      }else{
        uint64_t v = (uint64_t)pRow[1+s];
        pOut->z = group_chain_at(&p->pCur->arena, GROUP_TEXT_OFF(v));
        pOut->n = GROUP_TEXT_LEN(v);
      }
    }else{
      pOut->i = pRow[1+s];
    }
  }
  return SQLITE_OK;
}
