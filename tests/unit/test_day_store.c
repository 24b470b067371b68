/*
** test_day_store.c - the day's big-array allocator (ext/day_store.c):
** blocks keep their bytes across growth and prefaulting, the move from memory to the
** temporary file, trims and the watcher thread; the budget decides the
** kind; a directory that cannot hold the file, or a file that cannot
** grow, is an error naming the directory (never a crash), and the old
** block is intact after it.
**
** Every block is filled with pattern_byte(i), a function of the offset
** alone, and checked against it: the expectation is never what the
** allocator returned earlier.
*/
#include "test.h"
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include "day_store.h"

/* The byte at offset i of every test block. */
static unsigned char pattern_byte(size_t i){
  return (unsigned char)((i*2654435761u) >> 13);
}

static void fill(unsigned char *a, size_t iFrom, size_t iTo){
  size_t i;
  for(i=iFrom; i<iTo; i++) a[i] = pattern_byte(i);
}

/* Number of bytes of a[0..n-1] that differ from the pattern. */
static size_t check(const unsigned char *a, size_t n){
  size_t i, nBad = 0;
  for(i=0; i<n; i++) nBad += a[i]!=pattern_byte(i);
  return nBad;
}

static int reset(void **state){
  (void)state;
  unsetenv("VPCFLOW_DAY_MEMORY_MB");
  unsetenv("VPCFLOW_DAY_TRACE");
  vf_store_set_dir(0);
  vf_store_watcher_pause(0);           /* test_poll pauses it; none other */
  return 0;
}

/* Resident bytes of file mappings, from /proc/self/statm. */
static long long resident_shared(void){
  long long a = 0, b = 0, c = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if( f ){
    if( fscanf(f, "%lld %lld %lld", &a, &b, &c)!=3 ) c = 0;
    fclose(f);
  }
  return c * sysconf(_SC_PAGESIZE);
}

/* Below the budget: memory blocks, grown with their bytes; nothing in a
** file, no thread; the counters go back to where they were. */
static void test_memory(void **state){
  VfStoreStats s0, s;
  unsigned char *a;
  (void)state;
  setenv("VPCFLOW_DAY_MEMORY_MB", "64", 1);
  vf_store_stats(&s0);
  a = vf_store_alloc(1<<20);
  assert_non_null(a);
  assert_false(vf_store_is_file(a));
  fill(a, 0, 1<<20);
  a = vf_store_realloc(a, 8<<20);
  assert_non_null(a);
  assert_false(vf_store_is_file(a));
  assert_int_equal(check(a, 1<<20), 0);
  vf_store_stats(&s);
  assert_true(s.nMem - s0.nMem >= (8<<20));
  assert_int_equal(s.nFile, 0);
  assert_int_equal(s.bThread, 0);
  vf_store_trim(a, 0, 8<<20);          /* a no-op on memory */
  assert_int_equal(check(a, 1<<20), 0);
  vf_store_free(a);
  vf_store_free(0);
  vf_store_stats(&s);
  assert_true(s.nMem==s0.nMem);
}

/* A memory block that grows past the budget moves to the file with its
** bytes; growing the file block (mremap) and trimming keep them; the
** watcher runs while a file block exists and stops with the last. */
static void test_grow_into_file(void **state){
  VfStoreStats s;
  unsigned char *a;
  size_t n1 = 3<<20, n2 = 16<<20, n3 = 80<<20;
  (void)state;
  setenv("VPCFLOW_DAY_MEMORY_MB", "4", 1);
  a = vf_store_alloc(n1);
  assert_non_null(a);
  assert_false(vf_store_is_file(a));
  fill(a, 0, n1);
  a = vf_store_realloc(a, n2);
  assert_non_null(a);
  assert_true(vf_store_is_file(a));
  assert_int_equal(check(a, n1), 0);
  fill(a, n1, n2);
  vf_store_stats(&s);
  assert_int_equal(s.nFile, 1);
  assert_int_equal(s.bThread, 1);
  a = vf_store_realloc(a, n3);
  assert_non_null(a);
  assert_int_equal(check(a, n2), 0);
  fill(a, n2, n3);
  vf_store_trim(a, 0, n3);
  assert_int_equal(check(a, n3), 0);
  vf_store_trim(a, 12345, 7<<20);      /* partial pages: whole ones only */
  vf_store_trim_all();
  assert_int_equal(check(a, n3), 0);
  a = vf_store_realloc(a, n1);         /* shrinking keeps the start */
  assert_non_null(a);
  assert_int_equal(check(a, n1), 0);
  vf_store_free(a);
  vf_store_stats(&s);
  assert_int_equal(s.nFile, 0);
  assert_int_equal(s.bThread, 0);
}

/* Budget 0: every block in the file, from the first byte; a new file
** block reads as zeros. Once a file block exists, later blocks of 1 MiB
** or more go to the file whatever the budget; smaller ones stay. */
static void test_budget_zero_and_sticky(void **state){
  unsigned char *a, *b, *c;
  size_t i, nNonZero = 0;
  (void)state;
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  a = vf_store_alloc(100);
  assert_non_null(a);
  assert_true(vf_store_is_file(a));
  for(i=0; i<100; i++) nNonZero += a[i]!=0;
  assert_int_equal(nNonZero, 0);
  setenv("VPCFLOW_DAY_MEMORY_MB", "64", 1);
  b = vf_store_alloc(2<<20);
  c = vf_store_alloc(1000);
  assert_non_null(b);
  assert_non_null(c);
  assert_true(vf_store_is_file(b));
  assert_false(vf_store_is_file(c));
  vf_store_free(a); vf_store_free(b); vf_store_free(c);
  b = vf_store_alloc(2<<20);           /* no file block left: memory */
  assert_non_null(b);
  assert_false(vf_store_is_file(b));
  vf_store_free(b);
}

/* A file block of n bytes (made under budget 0), then the budget set to
** 4 MiB and read again, so that the block is far over it. */
static unsigned char *file_block_over_budget(size_t n){
  unsigned char *a;
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  a = vf_store_alloc(n);
  assert_non_null(a);
  setenv("VPCFLOW_DAY_MEMORY_MB", "4", 1);
  vf_store_free(vf_store_alloc(10));   /* the budget read again: 4 MiB */
  return a;
}

/* The watcher: with a 4 MiB budget and 96 MiB of file block touched, it
** drops the mapping (trims counted, the resident share falls back) and
** the bytes are all there afterwards. Nothing here polls and reset()
** leaves the watcher unpaused, so the trims counted are the watcher's.
** Waits up to 10 s for a trim that comes within 2 ms of the budget being
** passed: never decided by time on a working machine. */
static void test_watcher(void **state){
  VfStoreStats s0, s;
  unsigned char *a;
  size_t n = 96<<20;
  int k;
  (void)state;
  a = file_block_over_budget(n);
  vf_store_stats(&s0);
  fill(a, 0, n);
  for(k=0; k<1000; k++){
    vf_store_stats(&s);
    if( s.nTrim>s0.nTrim && resident_shared() < (long long)n/2 ) break;
    usleep(10000);
  }
  assert_true(s.nTrim>s0.nTrim);
  assert_true(resident_shared() < (long long)n/2);
  assert_int_equal(check(a, n), 0);
  vf_store_free(a);
}

/* vf_store_poll() trims at once, from the caller's thread, what the
** watcher would only trim at its next tick. The watcher is held still
** (vf_store_watcher_pause) so that the poll alone is measured: read
** every page back (a walk in key order does that to the whole day) and
** wait ~10 of the watcher's ticks; the block is then still resident (at
** least 3/4 of it) and no trim was counted, so a trim is needed; one
** poll makes exactly one trim and the resident share falls under half
** of the block. A poll that does nothing fails here. */
static void test_poll(void **state){
  VfStoreStats s0, s1, s2;
  unsigned char *a;
  size_t n = 96<<20, i, nBad;
  long long nBefore, nAfter;
  volatile unsigned char c;
  (void)state;
  vf_store_watcher_pause(1);
  a = file_block_over_budget(n);
  vf_store_stats(&s0);
  fill(a, 0, n);
  for(i=0; i<n; i+=4096) c = a[i];     /* every page resident again */
  (void)c;
  usleep(20000);                       /* ~10 ticks: none may trim */
  vf_store_stats(&s1);
  nBefore = resident_shared();
  vf_store_poll();
  vf_store_stats(&s2);
  nAfter = resident_shared();
  vf_store_watcher_pause(0);
  nBad = check(a, n);
  /* freed before asserting: a file block left behind by a failure here
  ** would send the later tests' blocks to the file (the sticky rule) */
  vf_store_free(a);
  assert_int_equal(s0.bThread, 1);     /* the watcher ran, paused */
  assert_true(s1.nTrim==s0.nTrim);
  assert_true(nBefore > (long long)n/4*3);
  assert_true(nAfter < (long long)n/2);
  assert_true(s2.nTrim==s1.nTrim+1);
  assert_int_equal(nBad, 0);
}

/* vf_store_calloc: zeroed in memory (over a freed block that held the
** pattern) and in the file; an element count that overflows is NULL. */
static void test_store_calloc(void **state){
  unsigned char *a;
  size_t i, nNonZero = 0;
  (void)state;
  setenv("VPCFLOW_DAY_MEMORY_MB", "64", 1);
  a = vf_store_alloc(1<<20);
  assert_non_null(a);
  fill(a, 0, 1<<20);
  vf_store_free(a);
  a = vf_store_calloc(1<<18, 4);
  assert_non_null(a);
  assert_false(vf_store_is_file(a));
  for(i=0; i<(1<<20); i++) nNonZero += a[i]!=0;
  assert_int_equal(nNonZero, 0);
  vf_store_free(a);
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  a = vf_store_calloc(3, (1<<20) + 7);
  assert_non_null(a);
  assert_true(vf_store_is_file(a));
  for(i=0; i<3*((1<<20) + 7); i++) nNonZero += a[i]!=0;
  assert_int_equal(nNonZero, 0);
  vf_store_free(a);
  assert_null(vf_store_calloc(SIZE_MAX/8, 16));
}

/* Shrinking gives the file block's tail back: the mapped bytes counted
** fall, the kept start is intact, and grown again the tail reads as
** zeros (the file was cut, not just the mapping: the old pattern would
** still be there otherwise). A memory block that shrinks stays in
** memory even while file blocks exist. */
static void test_shrink(void **state){
  VfStoreStats s0, s1;
  unsigned char *a, *b;
  size_t n = 32<<20, k = 1<<20, i, nNonZero = 0;
  (void)state;
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  a = vf_store_alloc(n);
  assert_non_null(a);
  fill(a, 0, n);
  vf_store_stats(&s0);
  a = vf_store_realloc(a, k);
  assert_non_null(a);
  vf_store_stats(&s1);
  assert_true(s0.nFileBytes - s1.nFileBytes >= (long long)(n - k - 4096));
  assert_int_equal(check(a, k), 0);
  a = vf_store_realloc(a, 8<<20);
  assert_non_null(a);
  assert_int_equal(check(a, k), 0);
  for(i=k; i<(8<<20); i++) nNonZero += a[i]!=0;
  assert_int_equal(nNonZero, 0);
  /* a memory block shrinking while a file block exists */
  setenv("VPCFLOW_DAY_MEMORY_MB", "64", 1);
  b = vf_store_alloc(512<<10);         /* under 1 MiB: memory */
  assert_non_null(b);
  assert_false(vf_store_is_file(b));
  fill(b, 0, 512<<10);
  b = vf_store_realloc(b, 4<<20);      /* grows past 1 MiB: to the file */
  assert_true(vf_store_is_file(b));
  vf_store_free(b);
  b = vf_store_alloc(900<<10);
  fill(b, 0, 900<<10);
  b = vf_store_realloc(b, 300<<10);
  assert_non_null(b);
  assert_false(vf_store_is_file(b));
  assert_int_equal(check(b, 300<<10), 0);
  vf_store_free(b);
  vf_store_free(a);
}

/* Directories that cannot hold the file: an error naming the directory
** and errno; the memory block being grown is left as it was. */
static void test_bad_dir(void **state){
  unsigned char *a, *b;
  (void)state;
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  vf_store_set_dir("/nonexistent/vpcflow-dir");
  a = vf_store_alloc(4096);
  assert_null(a);
  assert_string_equal(vf_store_error(), "cannot create a temporary file in "
                      "/nonexistent/vpcflow-dir: No such file or directory");
  assert_int_equal(vf_store_errno(), ENOENT);
  vf_store_set_dir("/etc/hostname");   /* a file, not a directory */
  assert_null(vf_store_alloc(4096));
  assert_non_null(strstr(vf_store_error(), "in /etc/hostname: Not a directory"));
  /* a memory block that cannot move to the file stays as it was */
  setenv("VPCFLOW_DAY_MEMORY_MB", "4", 1);
  a = vf_store_alloc(3<<20);
  assert_non_null(a);
  fill(a, 0, 3<<20);
  b = vf_store_realloc(a, 16<<20);
  assert_null(b);
  assert_false(vf_store_is_file(a));
  assert_int_equal(check(a, 3<<20), 0);
  vf_store_free(a);
}

/* A file that cannot grow (RLIMIT_FSIZE: the error path of a full
** disk): the allocation fails with the directory and errno, the block
** keeps its bytes and its size, and can be freed. */
static void test_file_cannot_grow(void **state){
  struct rlimit old, lim;
  unsigned char *a, *b;
  void (*xOld)(int);
  (void)state;
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  vf_store_set_dir("/tmp");
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  xOld = signal(SIGXFSZ, SIG_IGN);
  lim = old;
  lim.rlim_cur = 4<<20;
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
  a = vf_store_alloc(2<<20);
  assert_non_null(a);
  fill(a, 0, 2<<20);
  b = vf_store_realloc(a, 8<<20);
  assert_null(b);
  assert_non_null(strstr(vf_store_error(), "cannot make the temporary file in /tmp "));
  assert_non_null(strstr(vf_store_error(), "File too large"));
  assert_int_equal(vf_store_errno(), EFBIG);
  assert_null(vf_store_alloc(16<<20)); /* a new one: the same */
  assert_int_equal(check(a, 2<<20), 0);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, xOld);
  b = vf_store_realloc(a, 8<<20);      /* and grows once it can */
  assert_non_null(b);
  assert_int_equal(check(b, 2<<20), 0);
  vf_store_free(b);
}

#ifdef MADV_POPULATE_WRITE
# define TEST_MADV_POPULATE_WRITE MADV_POPULATE_WRITE
#else
# define TEST_MADV_POPULATE_WRITE 23          /* Linux's value, for old headers */
#endif

/* Pages of [p, p+n) that are mapped (mincore), p page-aligned. */
static size_t resident_pages(const void *p, size_t n){
  size_t pg = (size_t)sysconf(_SC_PAGESIZE), nPg = (n + pg - 1)/pg, i, nIn = 0;
  unsigned char *v = malloc(nPg);
  assert_non_null(v);
  assert_int_equal(mincore((void*)p, n, v), 0);
  for(i=0; i<nPg; i++) nIn += v[i] & 1;
  free(v);
  return nIn;
}

/* vf_store_prefault: the pages of the range are mapped after it and the
** bytes are unchanged (those written before it keep their values, a
** range never written reads as zeros); a new block of 1 MiB or more is mapped whole by
** vf_store_alloc; a range past the block is cut to it; a file block, NULL
** and an empty range are no-ops. Residency needs MADV_POPULATE_WRITE
** (Linux 5.14): on an older kernel only the bytes are checked. */
static void test_prefault(void **state){
  size_t pg = (size_t)sysconf(_SC_PAGESIZE), n = 8<<20, i, nZero = 0;
  size_t lo, hi;
  unsigned char *a, *b;
  int bPopulate;
  (void)state;
  setenv("VPCFLOW_DAY_MEMORY_MB", "64", 1);
  {
    /* does this kernel populate? (a private probe mapping) */
    char *q = mmap(0, pg*4, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
    assert_true(q!=MAP_FAILED);
    bPopulate = madvise(q, pg*4, TEST_MADV_POPULATE_WRITE)==0 && resident_pages(q, pg*4)==4;
    munmap(q, pg*4);
  }
  /* a block grown by realloc: its new tail's pages are not written */
  a = vf_store_alloc(pg);
  assert_non_null(a);
  fill(a, 0, pg);
  a = vf_store_realloc(a, n);
  assert_non_null(a);
  assert_false(vf_store_is_file(a));
  lo = ((size_t)a + 2*pg + pg - 1)/pg*pg - (size_t)a;   /* page-aligned offsets */
  hi = lo + 64*pg;
  /* (glibc may have served the tail from pages it had used before: drop
  ** them, so that the range starts unmapped; it holds zeros either way) */
  assert_int_equal(madvise(a + lo, hi - lo, MADV_DONTNEED), 0);
  if( bPopulate ) assert_int_equal(resident_pages(a + lo, hi - lo), 0);
  vf_store_prefault(a, lo, hi);
  if( bPopulate ) assert_int_equal(resident_pages(a + lo, hi - lo), 64);
  assert_int_equal(check(a, pg), 0);
  for(i=lo; i<hi; i++) nZero += a[i]==0;
  assert_int_equal(nZero, hi - lo);
  vf_store_prefault(a, n - pg, n + (64<<20));        /* cut to the block */
  vf_store_prefault(a, 5, 5);
  vf_store_prefault(0, 0, n);
  fill(a, 0, n);
  assert_int_equal(check(a, n), 0);
  vf_store_free(a);

  /* a new block of 1 MiB or more is mapped by vf_store_alloc (this can
  ** pass without it when glibc serves the block from pages it had used
  ** before; the realloc case above is the check that cannot) */
  b = vf_store_alloc(n);
  assert_non_null(b);
  lo = ((size_t)b + pg - 1)/pg*pg - (size_t)b;
  if( bPopulate ) assert_int_equal(resident_pages(b + lo, 256*pg), 256);
  vf_store_free(b);

  /* a file block: nothing happens to its bytes */
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  b = vf_store_alloc(n);
  assert_non_null(b);
  assert_true(vf_store_is_file(b));
  fill(b, 0, n);
  vf_store_prefault(b, 0, n);
  assert_int_equal(check(b, n), 0);
  vf_store_free(b);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_memory, reset, reset),
    cmocka_unit_test_setup_teardown(test_grow_into_file, reset, reset),
    cmocka_unit_test_setup_teardown(test_budget_zero_and_sticky, reset, reset),
    cmocka_unit_test_setup_teardown(test_watcher, reset, reset),
    cmocka_unit_test_setup_teardown(test_poll, reset, reset),
    cmocka_unit_test_setup_teardown(test_store_calloc, reset, reset),
    cmocka_unit_test_setup_teardown(test_shrink, reset, reset),
    cmocka_unit_test_setup_teardown(test_bad_dir, reset, reset),
    cmocka_unit_test_setup_teardown(test_file_cannot_grow, reset, reset),
    cmocka_unit_test_setup_teardown(test_prefault, reset, reset),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
