/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** day_store.c - the allocator of the prepared day's big arrays: plain
** malloc while they fit a memory budget, an unlinked temporary file
** mapped MAP_SHARED once they would not, so that a 100 M-record day
** (~9 GB of records) runs in a few GB of memory (issue #12).
**
** Usage (norm.c, day.c and the tables over the day, day_*.c):
**
**   NormRec *aRec = vf_store_realloc(aRec, sizeof(NormRec)*nNew);
**   if( aRec==0 ) ... vf_store_error() says why ...
**   ... aRec[i] is an ordinary array ...
**   vf_store_free(aRec);
**
**   VPCFLOW_DAY_MEMORY_MB=1024 sqlite3 ...   the budget (settings.c;
**       default 2048 MiB; 0: every array in the file, for the tests)
**
** What goes through it: the records (NormRec aRec[], VfDayRec aExt[]),
** the traffic list, the radix sorts' keys, indexes and scratch (norm.c,
** vf_day_sort, the coverage table) and day_first.c's sorted lists, and
** the big arrays of the tables the detections read over the day
** (day_summary.c's kept rows of att_port and pair, day_served.c's groups
** and hash slots, day_coverage.c's spans, day_newdest.c, day_senders.c,
** day_attkeys.c, and the per-value rank arrays of their sorts): what
** grows with the records. One budget then bounds all of them (before,
** the tables' ~1.4 GB of malloc'd memory at 100 M records came on top
** of it). The interned strings stay on SQLite's heap (they grow with
** distinct values), and so do small or fixed-size buffers.
**
** HOW IT WORKS
**
** A block is a plain pointer with a 64-byte header before it (its kind,
** size and file slot), so that readers index it as any array and
** vf_store_free() needs nothing else. Two kinds:
**
**   memory  malloc(64 + n), realloc() to grow: what the day used before
**           this file, unchanged while the malloc'd blocks total at most
**           the budget (the realistic 10 M-record day: ~1.2 GB).
**   file    a temporary file (SQLite's choice of directory:
**           SQLITE_TMPDIR, TMPDIR, /var/tmp, /usr/tmp, /tmp, ".", the
**           first writable one), unlinked at once so that it goes away
**           with the process whatever happens, its blocks reserved with
**           posix_fallocate() (a full disk is an error naming the
**           directory and errno now, not a SIGBUS on some later store),
**           mapped MAP_SHARED; the header sits at the end of a first
**           page, the data from the second. Growing is posix_fallocate()
**           + mremap(MREMAP_MAYMOVE): no copy.
**
** A block goes to the file when the malloc'd blocks would pass the
** budget with it, and every later block of 1 MiB or more too while any
** file block exists: once the day is that big, its arrays are better
** all reclaimable (page cache) than part pinned (anonymous memory that
** cannot go anywhere without swap). A memory block that grows past the
** budget is copied into a file block, 64 MiB at a time, trimming behind.
**
** Why it bounds memory: a MAP_SHARED file mapping's pages belong to the
** file. Dropping this process's page-table entries (MADV_DONTNEED) loses
** nothing: a dirty page stays dirty in the page cache and a later access
** faults it back (a minor fault while the page cache holds it, a read of
** the file once the kernel has reclaimed it). So, once the day is in
** the file, the process's resident memory is held to the budget by a
** watcher thread, started with the first file block and joined with the
** last: every 2 ms it reads /proc/self/statm ("resident", and "shared":
** the resident pages of file mappings, i.e. the file blocks and a few MB
** of libraries, as the extension maps no other file), and when the file
** blocks' share passes what the rest of the process leaves of the budget
** (resident - shared; at least a quarter of the budget, so that a
** process whose other memory passes the budget does not trim without
** end) it drops every file block's mapping. The budget is the
** process's, not the day's alone: the day gets what the rest (the
** interned strings, SQLite) leaves.
**
** Random readers. A loop that reads the day in random order (the window
** scans, the walks in key order of day_summary.c and day_first.c, the
** tables' hash lookups) faults pages back as fast as it reads them, and
** the kernel (6.x) maps a whole large folio of the page cache per fault:
** ~122 pages (488 KB) measured per random 1-byte read of a file written
** through its mapping. A watcher thread cannot hold such a reader by
** itself: dropping 1 GB of mapped pages takes ~20-65 ms, and a reader
** maps pages back at about that rate (a sequential refault of 1 GB took
** 20-40 ms with large folios), so the bound is the refault rate times
** the watcher's latency, which a loaded machine (a thread waiting for a
** core, a trim that takes longer under writeback) stretches at will.
** So the watcher ticks every 2 ms (reading statm costs ~4 us: 0.2 % of a
** core), and the loops that fault hardest, day_summary.c's walks in key
** order, check the budget themselves every 256 records with
** vf_store_poll(): while the reader trims, it does not fault. Tried and
** dropped: MADV_RANDOM before the block's first page (the page cache
** then keeps the file in single pages, a random read maps the 16-page
** fault-around window, a write one page; realistic 10 M under a 200 MiB
** budget peaked at 328 MiB instead of 604-712 MiB, without any poll), but
** a trim of single pages is 3x slower and a sequential refault 4-10x
** slower in faults, and the realistic 100 M hunt with it, a 2 ms tick and
** no poll peaked at 4,952 MiB (a file share of 4.9 GB for about a
** second, late in the hunt): worse than large folios with the poll.
**
** Writing the pages to the file is left to the
** kernel: with memory to spare they stay in the page cache and are never
** written at all (the file is deleted unwritten); under a memory limit
** the kernel writes back and reclaims them. (A first version started
** the writeback at each trim with sync_file_range(): the watcher then
** waited for the disk's queue for seconds, the mapped share grew past
** the budget meanwhile, and 67 GB were written in 8 minutes of a 100 M
** day, pages dirtied again and again.) The watcher's madvise and the
** owner's mremap/munmap take one mutex: a block never moves under the
** watcher's call. Reads and writes of the
** arrays take no lock: MADV_DONTNEED on a shared file mapping is safe
** against concurrent access (a write lands either in the page before it
** is unmapped, which the kernel then keeps dirty, or after it faults
** back). The loops need no change, and the long phases (pass 1's
** append, the sorts, the window scans, the tables' scans) are covered
** without a trim call in each; vf_store_trim_all() at phase boundaries
** (norm.c) gives back memory at once.
**
** Why not a per-table spill (SQLite's temp files, or write/read of runs):
** the day's readers index the arrays at random (the window scans, the
** first-record lookups); a mapping keeps them plain arrays and lets the
** kernel's page cache do the caching, with no change to any reader.
**
** Prefaulting. A new memory block of 1 MiB or more is written whole by
** its caller (a sort's keys and scratch, a table's rows), so its pages
** are mapped at once with MADV_POPULATE_WRITE (vf_store_prefault), and
** the arrays that grow by realloc (pass 1's records, the summaries'
** rows) map theirs a step ahead of their writer: one call per 2 MiB
** instead of a fault per 4 KiB page, which on the virtual machines
** measured costs ~10 us (tests/bench/README.md, "Page faults").
** COST: nothing below the budget but the 64-byte header. Above it, the
** minor faults after each trim (~0.2-0.5 us per 4 KiB page touched again)
** and, under a memory limit smaller than the day, reads of the file.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "day_store.h"
#include "settings.h"

#define STORE_HDR       64                   /* header bytes before a block */
#define STORE_MAGIC_MEM  0x6d656d2d79616456ULL   /* "Vday-mem" */
#define STORE_MAGIC_FILE 0x656c692d79616456ULL   /* "Vday-ile" */
#define STORE_MAX_FILE  256                  /* file blocks at once */
#define STORE_STICKY    ((size_t)1<<20)      /* to the file once spilled */
#define STORE_CHUNK     ((size_t)64<<20)     /* copy step, memory -> file */
#define STORE_TICK_US   2000                 /* the watcher's period */
#define STORE_POPULATE  ((size_t)1<<20)      /* new blocks prefaulted */
#ifdef MADV_POPULATE_WRITE
# define STORE_MADV_POPULATE_WRITE MADV_POPULATE_WRITE
#else
# define STORE_MADV_POPULATE_WRITE 23        /* Linux's value, for old headers */
#endif

/* Before every block. */
typedef struct StoreHdr StoreHdr;
struct StoreHdr {
  uint64_t magic;          /* STORE_MAGIC_MEM or STORE_MAGIC_FILE */
  size_t nByte;            /* usable bytes */
  int iSlot;               /* file: index in aFile */
  char aPad[STORE_HDR - 8 - sizeof(size_t) - sizeof(int)];
};

/* A file block. */
typedef struct StoreFile StoreFile;
struct StoreFile {
  char *pBase;             /* the mapping; 0 = slot free */
  size_t nMap;             /* mapped (= file) bytes */
  int fd;                  /* the unlinked file */
  char zDir[240];          /* its directory, for messages */
};

/* Everything below is guarded by mutex. */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static StoreFile aFile[STORE_MAX_FILE];
static int nFile;                 /* slots in use */
static int64_t nMem;              /* bytes of memory blocks (headers too) */
static int64_t nFileBytes;        /* mapped bytes of file blocks */
static int64_t nBudget;           /* the last budget read */
static int bTrace;                /* VPCFLOW_DAY_TRACE, as last read */
static int64_t nTrim;             /* trims: watcher and vf_store_poll() */
static int bThread;               /* watcher running */
static unsigned iGen;             /* bumped to stop the watcher */
static int bPaused;               /* vf_store_watcher_pause(): no trims */
static pthread_t thread;
static char zForceDir[240];       /* vf_store_set_dir(), or "" */

/* Why the last call of this thread failed. */
static __thread char zStoreErr[400];
static __thread int iStoreErrno;

/* zStoreErr: what failed on the file in zDir, with errno e; nByte 0:
** creating it, else making it nByte long. */
static void store_set_error(const char *zDir, int e, unsigned long long nByte){
  iStoreErrno = e;
  if( nByte==0 ){
    snprintf(zStoreErr, sizeof(zStoreErr),
             "cannot create a temporary file in %s: %s", zDir, strerror(e));
  }else{
    snprintf(zStoreErr, sizeof(zStoreErr), "cannot make the temporary file"
             " in %s %llu bytes long: %s", zDir, nByte, strerror(e));
  }
}

const char *vf_store_error(void){
  return zStoreErr[0] ? zStoreErr : "out of memory";
}

int vf_store_errno(void){
  return zStoreErr[0] ? iStoreErrno : 0;
}

static size_t store_page(void){
  long n = sysconf(_SC_PAGESIZE);
  return n>0 ? (size_t)n : 4096;
}

static size_t store_round(size_t n){
  size_t pg = store_page();
  return (n + pg - 1) / pg * pg;
}

static StoreHdr *store_hdr(const void *p){
  return (StoreHdr*)((char*)p - STORE_HDR);
}

/*
** The directory for a temporary file, in zOut: SQLite's order (os_unix.c
** unixTempFileDir) of SQLITE_TMPDIR, TMPDIR, /var/tmp, /usr/tmp, /tmp,
** "."; the first that is a directory this process may write. Return 0,
** or 1 when none is.
*/
static int store_dir(char *zOut, size_t nOut){
  const char *az[6];
  struct stat st;
  int i;
  if( zForceDir[0] ){
    snprintf(zOut, nOut, "%s", zForceDir);
    return 0;
  }
  az[0] = getenv("SQLITE_TMPDIR"); az[1] = getenv("TMPDIR");
  az[2] = "/var/tmp"; az[3] = "/usr/tmp"; az[4] = "/tmp"; az[5] = ".";
  for(i=0; i<6; i++){
    if( az[i]==0 || az[i][0]==0 ) continue;
    if( stat(az[i], &st) || !S_ISDIR(st.st_mode) ) continue;
    if( access(az[i], W_OK|X_OK) ) continue;
    snprintf(zOut, nOut, "%s", az[i]);
    return 0;
  }
  return 1;
}

/* ---------------------------------------------------------- the watcher */

/* This process's resident bytes, and those of file mappings (statm's
** "resident" and "shared"). Return 0, or 1 if statm cannot be read. */
static int store_resident(int64_t *pRes, int64_t *pShared){
  char zBuf[256];
  long long a, b, c;
  ssize_t n;
  int fd = open("/proc/self/statm", O_RDONLY|O_CLOEXEC);
  if( fd<0 ) return 1;
  n = read(fd, zBuf, sizeof(zBuf)-1);
  close(fd);
  if( n<=0 ) return 1;
  zBuf[n] = 0;
  if( sscanf(zBuf, "%lld %lld %lld", &a, &b, &c)!=3 ) return 1;
  *pRes = (int64_t)b * (int64_t)store_page();
  *pShared = (int64_t)c * (int64_t)store_page();
  return 0;
}

/* Drop every file block's mapping. Mutex held. */
static void store_trim_locked(void){
  int i;
  for(i=0; i<STORE_MAX_FILE; i++){
    StoreFile *f = &aFile[i];
    if( f->pBase ) madvise(f->pBase, f->nMap, MADV_DONTNEED);
  }
}

/* Trim when the file blocks' resident share passes what the rest of the
** process leaves of the budget (see HOW IT WORKS). Mutex held. */
static void store_check_locked(void){
  int64_t nRes, nShared, nLimit;
  if( nFile==0 || store_resident(&nRes, &nShared) ) return;
  nLimit = nBudget - (nRes - nShared);   /* what the rest leaves */
  if( nLimit < nBudget/4 ) nLimit = nBudget/4;
  if( nShared>nLimit ){
    store_trim_locked();
    nTrim++;
  }
}

/* The watcher (see HOW IT WORKS). */
static void *store_watch(void *pArg){
  /* its generation, as store_watch_start() saw it: read here, it could
  ** be one that store_watch_stop() has already ended */
  unsigned g = (unsigned)(uintptr_t)pArg;
  pthread_mutex_lock(&mutex);
  while( iGen==g ){
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += STORE_TICK_US*1000L;
    if( ts.tv_nsec>=1000000000L ){ ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
    pthread_cond_timedwait(&cond, &mutex, &ts);
    if( iGen!=g || bPaused ) continue;
    store_check_locked();
  }
  pthread_mutex_unlock(&mutex);
  return 0;
}

/* Start the watcher if it does not run. Mutex held. Without it the
** blocks still work, only unbounded: no error. */
static void store_watch_start(void){
  if( bThread ) return;
  if( pthread_create(&thread, 0, store_watch, (void*)(uintptr_t)iGen)==0 ){
    bThread = 1;
  }
}

/* Stop the watcher once no file block is left. Mutex held on entry and
** on return (released while joining). */
static void store_watch_stop(void){
  pthread_t t;
  if( !bThread || nFile>0 ) return;
  iGen++;
  t = thread;
  bThread = 0;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&mutex);
  pthread_join(t, 0);
  pthread_mutex_lock(&mutex);
}

void vf_store_poll(void){
  pthread_mutex_lock(&mutex);
  store_check_locked();
  pthread_mutex_unlock(&mutex);
}

/* For the tests (day_store.h). The watcher checks bPaused and trims in
** one hold of the mutex, so once this returns with bPause set no trim
** of the watcher is under way or can start until it is called with 0. */
void vf_store_watcher_pause(int bPause){
  pthread_mutex_lock(&mutex);
  bPaused = bPause!=0;
  pthread_mutex_unlock(&mutex);
}

/* ---------------------------------------------------------- file blocks */

/*
** A new file block of nByte usable bytes (zeroed: a fresh file reads as
** zeros). Mutex held. Return it, or NULL with zStoreErr set.
*/
static void *store_file_new(size_t nByte){
  char zDir[240], zPath[300];
  size_t pg = store_page(), nMap;
  StoreFile *f = 0;
  StoreHdr *h;
  char *pBase;
  int i, fd, e;
  for(i=0; i<STORE_MAX_FILE && aFile[i].pBase; i++){}
  if( i==STORE_MAX_FILE ){
    snprintf(zStoreErr, sizeof(zStoreErr),
             "more than %d temporary blocks of the prepared day", STORE_MAX_FILE);
    return 0;
  }
  f = &aFile[i];
  if( store_dir(zDir, sizeof(zDir)) ){
    snprintf(zStoreErr, sizeof(zStoreErr), "no writable temporary directory "
             "for the prepared day (SQLITE_TMPDIR, TMPDIR, /var/tmp, /usr/tmp,"
             " /tmp, .)");
    return 0;
  }
  nMap = pg + store_round(nByte ? nByte : 1);
  snprintf(zPath, sizeof(zPath), "%s/vpcflow_day_XXXXXX", zDir);
  fd = mkostemp(zPath, O_CLOEXEC);
  if( fd<0 ){
    store_set_error(zDir, errno, 0);
    return 0;
  }
  unlink(zPath);
  e = posix_fallocate(fd, 0, (off_t)nMap);
  if( e ){
    close(fd);
    store_set_error(zDir, e, (unsigned long long)nMap);
    return 0;
  }
  pBase = mmap(0, nMap, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0);
  if( pBase==MAP_FAILED ){
    e = errno;
    close(fd);
    store_set_error(zDir, e, (unsigned long long)nMap);
    return 0;
  }
  f->pBase = pBase;
  f->nMap = nMap;
  f->fd = fd;
  snprintf(f->zDir, sizeof(f->zDir), "%s", zDir);
  if( bTrace && nFile==0 ){
    fprintf(stderr, "vpcflow: the prepared day spills to a temporary file"
            " in %s (VPCFLOW_DAY_MEMORY_MB=%lld)\n", zDir,
            (long long)(nBudget>>20));
  }
  nFile++;
  nFileBytes += (int64_t)nMap;
  h = (StoreHdr*)(pBase + pg - STORE_HDR);
  h->magic = STORE_MAGIC_FILE;
  h->nByte = nByte;
  h->iSlot = i;
  store_watch_start();
  return pBase + pg;
}

/* Grow file block p to nByte. Mutex held. Return the block (moved, maybe)
** or NULL with zStoreErr set and p as it was. */
static void *store_file_grow(void *p, size_t nByte){
  StoreHdr *h = store_hdr(p);
  StoreFile *f = &aFile[h->iSlot];
  size_t pg = store_page(), nMap = pg + store_round(nByte ? nByte : 1);
  char *pNew;
  int e;
  if( nMap==f->nMap ){ h->nByte = nByte; return p; }
  if( nMap<f->nMap ){
    /* shrink: give the tail's pages and disk blocks back (a block built
    ** at its largest possible size and cut to what it used) */
    pNew = mremap(f->pBase, f->nMap, nMap, 0);      /* in place */
    if( pNew!=MAP_FAILED ){
      /* a file that stays longer than its mapping costs disk, not memory */
      if( ftruncate(f->fd, (off_t)nMap) ){}
      nFileBytes -= (int64_t)(f->nMap - nMap);
      f->nMap = nMap;
    }
    h->nByte = nByte;
    return p;
  }
  e = posix_fallocate(f->fd, (off_t)f->nMap, (off_t)(nMap - f->nMap));
  if( e ){
    store_set_error(f->zDir, e, (unsigned long long)nMap);
    return 0;
  }
  pNew = mremap(f->pBase, f->nMap, nMap, MREMAP_MAYMOVE);
  if( pNew==MAP_FAILED ){
    store_set_error(f->zDir, errno, (unsigned long long)nMap);
    return 0;
  }
  nFileBytes += (int64_t)(nMap - f->nMap);
  f->pBase = pNew;
  f->nMap = nMap;
  h = (StoreHdr*)(pNew + pg - STORE_HDR);
  h->nByte = nByte;
  return pNew + pg;
}

/* Free file block p. Mutex held. */
static void store_file_free(void *p){
  StoreFile *f = &aFile[store_hdr(p)->iSlot];
  munmap(f->pBase, f->nMap);
  close(f->fd);
  nFileBytes -= (int64_t)f->nMap;
  memset(f, 0, sizeof(*f));
  nFile--;
  store_watch_stop();
}

/* ------------------------------------------------------------- the API */

/* Should a block of nNew bytes, replacing nOld bytes of memory, go to the
** file? Mutex held. */
static int store_to_file(size_t nOld, size_t nNew){
  if( nBudget<=0 ) return 1;                    /* budget 0: always */
  if( nFile>0 && nNew>=STORE_STICKY ) return 1; /* spilled already */
  return nMem - (int64_t)nOld + (int64_t)nNew + STORE_HDR > nBudget;
}

static void store_read_budget(void){
  VfSettings s;
  vf_settings_read(&s);
  nBudget = s.nDayMemory;
  bTrace = s.bDayTrace;
}

void *vf_store_realloc(void *p, size_t nByte){
  StoreHdr *h = p ? store_hdr(p) : 0;
  void *pNew = 0;
  zStoreErr[0] = 0;
  iStoreErrno = 0;
  if( nByte > SIZE_MAX/2 ) return 0;
  if( h && h->magic==STORE_MAGIC_FILE ){
    pthread_mutex_lock(&mutex);
    pNew = store_file_grow(p, nByte);
    pthread_mutex_unlock(&mutex);
    return pNew;
  }
  pthread_mutex_lock(&mutex);
  store_read_budget();
  if( (h && nByte<=h->nByte) || !store_to_file(h ? h->nByte : 0, nByte) ){
    /* (a memory block that shrinks stays one) */
    int64_t nOld = h ? (int64_t)h->nByte + STORE_HDR : 0;
    StoreHdr *hNew = realloc(h, STORE_HDR + nByte);
    if( hNew ){
      nMem += (int64_t)nByte + STORE_HDR - nOld;
      hNew->magic = STORE_MAGIC_MEM;
      hNew->nByte = nByte;
      hNew->iSlot = -1;
      pNew = (char*)hNew + STORE_HDR;
    }
    pthread_mutex_unlock(&mutex);
    /* a new block is written whole by its caller (sort keys, scratch,
    ** a table's rows): map its pages in one call, not a fault a page */
    if( pNew && h==0 && nByte>=STORE_POPULATE ) vf_store_prefault(pNew, 0, nByte);
    return pNew;
  }
  pNew = store_file_new(nByte);
  pthread_mutex_unlock(&mutex);
  if( pNew && h ){
    /* a memory block moves to the file: copy by chunks, trimming behind */
    size_t n = h->nByte < nByte ? h->nByte : nByte, i;
    for(i=0; i<n; i+=STORE_CHUNK){
      size_t k = n-i < STORE_CHUNK ? n-i : STORE_CHUNK;
      memcpy((char*)pNew + i, (char*)p + i, k);
      vf_store_trim(pNew, i, i+k);
    }
    vf_store_free(p);
  }
  return pNew;
}

/*
** Map the pages of bytes [iFrom, iTo) of memory block p now, zeroed, in
** one call (MADV_POPULATE_WRITE, Linux 5.14): what the first write of
** each page would do by a page fault each. A fault is an exception and a
** return per 4 KiB page; on the virtual machines measured here each one
** cost ~10 us (1 GiB touched page by page: 2.8 s; populated in 256 KiB
** to 2 MiB steps: 1.4-1.7 s; tests/bench/README.md). A no-op for a file
** block (its pages are the page cache's), on an older kernel (EINVAL),
** or for less than a page. Never an error: a page it could not map is
** faulted in when written, as before.
*/
void vf_store_prefault(void *p, size_t iFrom, size_t iTo){
  size_t pg;
  uintptr_t a, b;
  if( p==0 || iTo<=iFrom || store_hdr(p)->magic!=STORE_MAGIC_MEM ) return;
  if( iTo>store_hdr(p)->nByte ) iTo = store_hdr(p)->nByte;
  pg = store_page();
  a = ((uintptr_t)p + iFrom + pg - 1) & ~(uintptr_t)(pg-1);
  b = ((uintptr_t)p + iTo) & ~(uintptr_t)(pg-1);
  if( b>a ) (void)madvise((void*)a, b-a, STORE_MADV_POPULATE_WRITE);
}

void *vf_store_alloc(size_t nByte){
  return vf_store_realloc(0, nByte);
}

void *vf_store_calloc(size_t nElem, size_t szElem){
  void *p;
  if( szElem && nElem > SIZE_MAX/2/szElem ) return 0;
  p = vf_store_alloc(nElem*szElem);
  /* a new file block reads as zeros already (a fresh file): writing
  ** them would only dirty its pages */
  if( p && !vf_store_is_file(p) ) memset(p, 0, nElem*szElem);
  return p;
}

void vf_store_free(void *p){
  StoreHdr *h;
  if( p==0 ) return;
  h = store_hdr(p);
  pthread_mutex_lock(&mutex);
  if( h->magic==STORE_MAGIC_FILE ){
    store_file_free(p);
  }else{
    nMem -= (int64_t)h->nByte + STORE_HDR;
    h->magic = 0;
    free(h);
  }
  pthread_mutex_unlock(&mutex);
}

void vf_store_trim(void *p, size_t iFrom, size_t iTo){
  StoreHdr *h;
  size_t pg = store_page(), a, b;
  if( p==0 ) return;
  h = store_hdr(p);
  if( h->magic!=STORE_MAGIC_FILE ) return;
  if( iTo>h->nByte ) iTo = h->nByte;
  a = (iFrom + pg - 1) / pg * pg;        /* whole pages inside the range */
  b = iTo / pg * pg;
  if( b>a ) madvise((char*)p + a, b - a, MADV_DONTNEED);
}

void vf_store_trim_all(void){
  pthread_mutex_lock(&mutex);
  store_trim_locked();
  pthread_mutex_unlock(&mutex);
}

int vf_store_is_file(const void *p){
  return p && store_hdr(p)->magic==STORE_MAGIC_FILE;
}

void vf_store_stats(VfStoreStats *p){
  pthread_mutex_lock(&mutex);
  p->nMem = nMem;
  p->nFileBytes = nFileBytes;
  p->nFile = nFile;
  p->nTrim = nTrim;
  p->bThread = bThread;
  pthread_mutex_unlock(&mutex);
}

void vf_store_set_dir(const char *zDir){
  pthread_mutex_lock(&mutex);
  snprintf(zForceDir, sizeof(zForceDir), "%s", zDir ? zDir : "");
  pthread_mutex_unlock(&mutex);
}
