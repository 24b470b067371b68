/*
** test_reader.c - cmocka tests of ext/reader.c.
**
** Every test writes its own input into a fresh mkdtemp() directory, so
** each expectation follows from bytes built right here: literal strings,
** or lines made by gen_line() from their number alone. Gzip input is made
** with zlib's deflate in gzip mode, then cut, corrupted or padded.
**
** A gzip file is inflated on a second thread (reader.c), which may fall
** behind for a moment on a busy machine: vf_reader_next() then says
** VF_LINE_AGAIN, and next_line() waits that out. The tests at the end
** check the thread itself: lines across its chunks, closing mid-file,
** a stalled FIFO, and errors arriving through a slow pipe.
*/
/* nftw() is an XSI function: ask for it before any header. */
#define _XOPEN_SOURCE 700
#include "test.h"
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include "reader.h"

static char gDir[64];         /* the temporary directory of this run */

/* nftw() callback that removes everything below the temporary directory */
static int rm_entry(const char *zPath, const struct stat *pSt, int eType,
                    struct FTW *pFtw){
  (void)pSt; (void)eType; (void)pFtw;
  return remove(zPath);
}

static int group_setup(void **state){
  (void)state;
  strcpy(gDir, "/tmp/vf_reader_XXXXXX");
  return mkdtemp(gDir) ? 0 : -1;
}

static int group_teardown(void **state){
  (void)state;
  return nftw(gDir, rm_entry, 16, FTW_DEPTH|FTW_PHYS);
}

/* Return the path of zName in the temporary directory (static buffer). */
static const char *tmp_path(const char *zName){
  static char zPath[256];
  snprintf(zPath, sizeof(zPath), "%s/%s", gDir, zName);
  return zPath;
}

/* Write n bytes to file zName in the temporary directory; return its path. */
static const char *write_file(const char *zName, const void *a, size_t n){
  const char *zPath = tmp_path(zName);
  FILE *f = fopen(zPath, "wb");
  assert_non_null(f);
  if( n ) assert_int_equal(fwrite(a, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
  return zPath;
}

/* Gzip-compress a[0..n-1] into a malloc()ed buffer, one gzip member. */
static unsigned char *gz_make(const void *a, size_t n, size_t *pnOut){
  z_stream z;
  unsigned char *aOut;
  size_t nMax;
  memset(&z, 0, sizeof(z));
  assert_int_equal(deflateInit2(&z, 1, Z_DEFLATED, 16+15, 8,
                                Z_DEFAULT_STRATEGY), Z_OK);
  nMax = deflateBound(&z, (uLong)n);
  aOut = malloc(nMax);
  assert_non_null(aOut);
  z.next_in = (Bytef*)a;
  z.avail_in = (uInt)n;
  z.next_out = aOut;
  z.avail_out = (uInt)nMax;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  *pnOut = nMax - z.avail_out;
  deflateEnd(&z);
  return aOut;
}

/* Open zPath, which must succeed. */
static VfReader *open_ok(const char *zPath){
  VfReader *p = 0;
  char zErr[300];
  int rc = vf_reader_open(zPath, &p, zErr, sizeof(zErr));
  if( rc ) fail_msg("open %s: %s", zPath, zErr);
  assert_non_null(p);
  return p;
}

/*
** vf_reader_next(), waiting out VF_LINE_AGAIN (the producer thread is
** behind, or a long line is being skipped). Two minutes of it is a hang.
*/
static int next_line(VfReader *p, const char **pz, size_t *pn){
  int rc, i = 0;
  while( (rc = vf_reader_next(p, pz, pn))==VF_LINE_AGAIN ){
    assert_int_equal(*pn, 0);
    if( ++i>2400 ) fail_msg("VF_LINE_AGAIN for two minutes");
  }
  return rc;
}

/*
** A call that must not block: it returns within this many seconds. This
** is a hang detector, not a speed test (timing never decides a unit
** test): each call it guards would otherwise wait for a writer that is
** stalled until the test lets it go on, i.e. forever. How prompt the
** return really is (VF_POLL_MS, ~50 ms) is not asserted, because a
** loaded machine (CI beside other jobs, the sanitizers, valgrind) can
** stretch it to seconds; the old bounds of 0.1-0.5 s failed that way.
*/
#define PROMPT_SEC 20.0

/* Seconds on CLOCK_MONOTONIC, to time waits. */
static double now_sec(void){
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec/1e9;
}

/* Expect the next line to have result eWant and content zWant. */
static void expect_line(VfReader *p, int eWant, const char *zWant){
  const char *z = 0;
  size_t n = 99;
  int rc = next_line(p, &z, &n);
  assert_int_equal(rc, eWant);
  assert_int_equal(n, strlen(zWant));
  assert_memory_equal(z, zWant, n);
}

/* Expect the end: eWant (EOF or ERROR), twice, the second time sticky. */
static void expect_end(VfReader *p, int eWant){
  const char *z;
  size_t n;
  assert_int_equal(next_line(p, &z, &n), eWant);
  assert_int_equal(n, 0);
  assert_int_equal(vf_reader_next(p, &z, &n), eWant);
  if( eWant==VF_LINE_EOF ) assert_string_equal(vf_reader_errmsg(p), "");
}

/*
** Line i of the generated data sets: its bytes into a[] (room for 70000),
** the length returned, and whether it ends in "\r\n" into *pbCrlf.
** Lengths vary from 0 to a few hundred, with an occasional long line of
** 20 to 60 KB and every 4099th line exactly VF_READER_MAX_LINE long, so
** that lines straddle the reader's internal buffers in every way.
*/
static size_t gen_line(unsigned i, char *a, int *pbCrlf){
  size_t n, j;
  if( i%4099==4098 ){
    n = VF_READER_MAX_LINE;
  }else if( i%997==5 ){
    n = 20000 + (i*7919u)%40000;
  }else{
    n = ((i*2654435761u)>>9)%700;
  }
  /* printable bytes from a hash of (i, j): barely compressible, so that
  ** a cut in a gzip file lands inside some line */
  for(j=0; j<n; j++){
    uint32_t h = ((uint32_t)i*2654435761u ^ (uint32_t)j*40503u)*2246822519u;
    a[j] = (char)(' ' + h%95u);
  }
  *pbCrlf = (i%3==0);
  return n;
}

/* Build nLine generated lines into a malloc()ed buffer. */
static char *gen_data(unsigned nLine, size_t *pn){
  size_t nAlloc = 1<<20, n = 0;
  char *a = malloc(nAlloc);
  char *aLine = malloc(70000);
  unsigned i;
  assert_non_null(a);
  assert_non_null(aLine);
  for(i=0; i<nLine; i++){
    int bCrlf;
    size_t nL = gen_line(i, aLine, &bCrlf);
    if( n + nL + 2 > nAlloc ){
      nAlloc = nAlloc*2 + nL;
      a = realloc(a, nAlloc);
      assert_non_null(a);
    }
    memcpy(a+n, aLine, nL);
    n += nL;
    if( bCrlf ) a[n++] = '\r';
    a[n++] = '\n';
  }
  free(aLine);
  *pn = n;
  return a;
}

/* Read generated lines 0..nLine-1 from p and check each and its number. */
static void check_generated(VfReader *p, unsigned nLine){
  char *aLine = malloc(70000);
  unsigned i;
  assert_non_null(aLine);
  for(i=0; i<nLine; i++){
    int bCrlf;
    size_t nL = gen_line(i, aLine, &bCrlf);
    const char *z;
    size_t n;
    int rc = next_line(p, &z, &n);
    if( rc!=VF_LINE_OK || n!=nL || memcmp(z, aLine, n)!=0 ){
      fail_msg("line %u: rc=%d n=%zu, want %zu bytes", i+1, rc, n, nL);
    }
    assert_int_equal(vf_reader_lineno(p), (int64_t)i+1);
  }
  free(aLine);
}

/*
** The format interface (format.h) through the reader: each file is read
** by the format its first bytes name, whatever its name; a text file
** cannot select or prune; a Parquet file's line 0 is its header, and a
** prune through vf_reader_prune() skips row groups. groups.parquet has
** five row groups of three rows, start 1600003600.. in the second
** (fixtures/parquet/make.mjs), so a prune on that second gives rows 4-6.
*/
static void test_format_table(void **state){
  static const char zText[] = "a b\n";
  const char *azSel[] = { "start" };
  unsigned char *aGz;
  size_t nGz;
  VfReader *p;
  VfPrune x;
  const char *z;
  size_t n;
  int nRow = 0, rc;
  (void)state;

  p = open_ok(write_file("fmt-text.gz", zText, 4));   /* plain, by content */
  assert_string_equal(vf_reader_format(p), "plain");
  assert_int_equal(vf_reader_select(p, azSel, 1), -1);
  memset(&x, 0, sizeof(x));
  x.eKind = VF_PRUNE_INT;
  x.zCol = "start";
  x.lo = x.hi = 1;
  assert_int_equal(vf_reader_prune(p, &x), 0);
  assert_int_equal(vf_reader_rows(p), 0);
  assert_int_equal(vf_reader_next(p, &z, &n), VF_LINE_OK);
  vf_reader_close(p);

  aGz = gz_make(zText, 4, &nGz);
  p = open_ok(write_file("fmt-gzip.log", aGz, nGz));   /* gzip, by content */
  free(aGz);
  assert_string_equal(vf_reader_format(p), "gzip");
  assert_int_equal(vf_reader_is_gzip(p), 1);
  assert_int_equal(vf_reader_can_block(p), 0);
  do{ rc = vf_reader_next(p, &z, &n); }while( rc==VF_LINE_AGAIN );
  assert_int_equal(rc, VF_LINE_OK);
  assert_int_equal(n, 3);
  assert_memory_equal(z, "a b", 3);
  vf_reader_close(p);

  p = open_ok("fixtures/parquet/groups.parquet");
  assert_string_equal(vf_reader_format(p), "parquet");
  assert_int_equal(vf_reader_can_block(p), 0);
  assert_int_equal(vf_reader_select(p, azSel, 1), 1);
  x.lo = 1600003600;
  x.hi = 1600003601;
  assert_int_equal(vf_reader_prune(p, &x), 1);
  assert_int_equal(vf_reader_next(p, &z, &n), VF_LINE_OK);
  assert_int_equal(vf_reader_lineno(p), 0);
  assert_int_equal(vf_reader_rows(p), 1);
  assert_true(n>5 && memcmp(z, "version", 7)==0);     /* the column names */
  while( (rc = vf_reader_next(p, &z, &n))==VF_LINE_OK ){
    nRow++;
    assert_int_equal(vf_reader_lineno(p), 3+nRow);
  }
  assert_int_equal(rc, VF_LINE_EOF);
  assert_int_equal(nRow, 3);
  assert_string_equal(vf_reader_errmsg(p), "");
  assert_int_equal(vf_reader_offset(p), vf_reader_size(p));
  vf_reader_close(p);
}

/* ---- plain files ------------------------------------------------------ */

static void test_plain_final_newline(void **state){
  VfReader *p;
  (void)state;
  p = open_ok(write_file("nl.log", "alpha\nbeta\ngamma\n", 17));
  assert_int_equal(vf_reader_is_gzip(p), 0);
  assert_int_equal(vf_reader_size(p), 17);
  assert_int_equal(vf_reader_lineno(p), 0);
  expect_line(p, VF_LINE_OK, "alpha");
  assert_int_equal(vf_reader_lineno(p), 1);
  expect_line(p, VF_LINE_OK, "beta");
  expect_line(p, VF_LINE_OK, "gamma");
  assert_int_equal(vf_reader_lineno(p), 3);
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_lineno(p), 3);
  assert_int_equal(vf_reader_offset(p), 17);
  vf_reader_close(p);
}

static void test_plain_no_final_newline(void **state){
  VfReader *p;
  (void)state;
  p = open_ok(write_file("nonl.log", "alpha\nbeta", 10));
  expect_line(p, VF_LINE_OK, "alpha");
  expect_line(p, VF_LINE_OK, "beta");
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_lineno(p), 2);
  vf_reader_close(p);
}

static void test_crlf_and_empty_lines(void **state){
  static const char z[] = "a\r\nb\r\n\r\n\nx\ry\n\rz\r\nlast\r";
  VfReader *p;
  (void)state;
  p = open_ok(write_file("crlf.log", z, sizeof(z)-1));
  expect_line(p, VF_LINE_OK, "a");
  expect_line(p, VF_LINE_OK, "b");
  expect_line(p, VF_LINE_OK, "");       /* "\r\n" alone */
  expect_line(p, VF_LINE_OK, "");       /* "\n" alone */
  expect_line(p, VF_LINE_OK, "x\ry");   /* an inner '\r' stays */
  expect_line(p, VF_LINE_OK, "\rz");
  expect_line(p, VF_LINE_OK, "last");   /* a final '\r' is a line end too */
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_lineno(p), 7);
  vf_reader_close(p);
}

static void test_empty_file(void **state){
  VfReader *p;
  (void)state;
  p = open_ok(write_file("empty.log", "", 0));
  assert_int_equal(vf_reader_is_gzip(p), 0);
  assert_int_equal(vf_reader_size(p), 0);
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_lineno(p), 0);
  vf_reader_close(p);
}

/* One or two bytes that begin like gzip but are not are plain text. */
static void test_short_not_gzip(void **state){
  VfReader *p;
  (void)state;
  p = open_ok(write_file("one.log", "\x1f", 1));
  assert_int_equal(vf_reader_is_gzip(p), 0);
  expect_line(p, VF_LINE_OK, "\x1f");
  expect_end(p, VF_LINE_EOF);
  vf_reader_close(p);
  p = open_ok(write_file("two.log", "\x1f\n\x8b", 3));
  assert_int_equal(vf_reader_is_gzip(p), 0);
  expect_line(p, VF_LINE_OK, "\x1f");
  expect_line(p, VF_LINE_OK, "\x8b");
  expect_end(p, VF_LINE_EOF);
  vf_reader_close(p);
}

static void test_dev_null(void **state){
  VfReader *p;
  (void)state;
  p = open_ok("/dev/null");
  assert_int_equal(vf_reader_size(p), 0);
  expect_end(p, VF_LINE_EOF);
  vf_reader_close(p);
}

static void test_open_errors(void **state){
  VfReader *p = (VfReader*)&p;
  char zErr[300];
  char zWant[400];
  (void)state;
  /* a directory */
  assert_int_not_equal(vf_reader_open(gDir, &p, zErr, sizeof(zErr)), 0);
  assert_null(p);
  snprintf(zWant, sizeof(zWant), "cannot open '%s': Is a directory", gDir);
  assert_string_equal(zErr, zWant);
  /* a file that does not exist */
  p = (VfReader*)&p;
  assert_int_not_equal(vf_reader_open(tmp_path("nope.log"), &p, zErr,
                                      sizeof(zErr)), 0);
  assert_null(p);
  snprintf(zWant, sizeof(zWant),
           "cannot open '%s/nope.log': No such file or directory", gDir);
  assert_string_equal(zErr, zWant);
  /* a short message buffer is truncated, not overrun */
  assert_int_not_equal(vf_reader_open(tmp_path("nope.log"), &p, zErr, 8), 0);
  assert_string_equal(zErr, "cannot ");
  vf_reader_close(0);
}

/* ---- long lines -------------------------------------------------------- */

/* A line of n bytes 'A'+j%26, then zEnd (a NUL-terminated line end). */
static char *make_long(size_t n, const char *zEnd, size_t *pnTotal){
  size_t nEnd = strlen(zEnd), j;
  char *a = malloc(n + nEnd + 16);
  assert_non_null(a);
  for(j=0; j<n; j++) a[j] = (char)('A' + j%26);
  memcpy(a+n, zEnd, nEnd);
  *pnTotal = n + nEnd;
  return a;
}

/* Expect a line of n generated bytes back as VF_LINE_OK. */
static void expect_long_ok(VfReader *p, size_t nWant){
  const char *z;
  size_t n, j;
  assert_int_equal(next_line(p, &z, &n), VF_LINE_OK);
  assert_int_equal(n, nWant);
  for(j=0; j<n; j++){
    if( z[j]!=(char)('A' + j%26) ) fail_msg("byte %zu differs", j);
  }
}

/* Expect a too-long line: its first 200 generated bytes. */
static void expect_toolong(VfReader *p){
  const char *z;
  size_t n, j;
  assert_int_equal(next_line(p, &z, &n), VF_LINE_TOOLONG);
  assert_int_equal(n, 200);
  for(j=0; j<n; j++) assert_int_equal(z[j], 'A' + j%26);
}

static void test_max_line(void **state){
  static const struct { size_t n; const char *zEnd; int bOk; } aCase[] = {
    { VF_READER_MAX_LINE,   "\nafter\n",   1 },
    { VF_READER_MAX_LINE,   "\r\nafter\n", 1 },
    { VF_READER_MAX_LINE,   "",            1 },  /* at end of file */
    { VF_READER_MAX_LINE,   "\r",          1 },
    { VF_READER_MAX_LINE+1, "\nafter\n",   0 },
    { VF_READER_MAX_LINE+1, "\r\nafter\n", 0 },
    { VF_READER_MAX_LINE+1, "",            0 },
    { VF_READER_MAX_LINE+2, "",            0 },
    { 100000,               "\nafter\n",   0 },
    { 300000,               "\nafter\n",   0 },  /* beyond the window */
  };
  size_t i;
  (void)state;
  for(i=0; i<sizeof(aCase)/sizeof(aCase[0]); i++){
    size_t nTotal;
    char *a = make_long(aCase[i].n, aCase[i].zEnd, &nTotal);
    char *aGz;
    size_t nGz;
    int bGz;
    aGz = (char*)gz_make(a, nTotal, &nGz);
    for(bGz=0; bGz<2; bGz++){
      VfReader *p = open_ok(bGz ? write_file("long.gz", aGz, nGz)
                                : write_file("long.log", a, nTotal));
      if( aCase[i].bOk ){
        expect_long_ok(p, aCase[i].n);
      }else{
        expect_toolong(p);
      }
      assert_int_equal(vf_reader_lineno(p), 1);
      if( strstr(aCase[i].zEnd, "after") ){
        expect_line(p, VF_LINE_OK, "after");
      }
      expect_end(p, VF_LINE_EOF);
      vf_reader_close(p);
    }
    free(aGz);
    free(a);
  }
}

/*
** A 10 MB line without a newline, then one with a newline and a short
** line after it: TOOLONG each time, and the reader's memory stays well
** under 1 MiB, far below the line's size.
*/
static void test_huge_line_bounded(void **state){
  size_t n = 10*1000*1000, nTotal;
  char *a;
  VfReader *p;
  (void)state;
  a = make_long(n, "", &nTotal);
  write_file("huge.log", a, nTotal);
  free(a);
  sqlite3_memory_highwater(1);
  p = open_ok(tmp_path("huge.log"));
  expect_toolong(p);
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_lineno(p), 1);
  vf_reader_close(p);
  assert_true(sqlite3_memory_highwater(0) > 256*1024);
  assert_true(sqlite3_memory_highwater(0) < 1024*1024);

  a = make_long(n, "\nshort\n", &nTotal);
  p = open_ok(write_file("huge2.log", a, nTotal));
  free(a);
  expect_toolong(p);
  expect_line(p, VF_LINE_OK, "short");
  expect_end(p, VF_LINE_EOF);
  vf_reader_close(p);
}

/*
** A gzip bomb: 64 MB of one byte ('a': zeros would be refused at once as
** binary data), about 64 KB compressed, is one huge line and must not be
** held in memory.
*/
static void test_gzip_bomb(void **state){
  static unsigned char aZero[1<<16];
  static unsigned char aOut[1<<16];
  const char *zPath = tmp_path("bomb.gz");
  FILE *f = fopen(zPath, "wb");
  z_stream z;
  int i;
  VfReader *p;
  const char *zLine;
  size_t n;
  int rc;
  (void)state;
  assert_non_null(f);
  memset(aZero, 'a', sizeof(aZero));
  memset(&z, 0, sizeof(z));
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16+15, 9,
                                Z_DEFAULT_STRATEGY), Z_OK);
  for(i=0; i<1024; i++){
    z.next_in = aZero;
    z.avail_in = sizeof(aZero);
    do{
      z.next_out = aOut;
      z.avail_out = sizeof(aOut);
      assert_int_not_equal(deflate(&z, i==1023 ? Z_FINISH : Z_NO_FLUSH),
                           Z_STREAM_ERROR);
      fwrite(aOut, 1, sizeof(aOut)-z.avail_out, f);
    }while( z.avail_out==0 );
  }
  deflateEnd(&z);
  fclose(f);

  sqlite3_memory_highwater(1);
  p = open_ok(zPath);
  assert_int_equal(vf_reader_is_gzip(p), 1);
  /* 64 MiB of zeros is one endless line: the reader pauses every 16 MiB
  ** (VF_LINE_AGAIN, so a caller can check for an interrupt), then says
  ** TOOLONG once at the end: at least 3 pauses */
  i = 0;
  while( (rc = vf_reader_next(p, &zLine, &n))==VF_LINE_AGAIN ) i++;
  assert_true(i>=3);
  assert_int_equal(rc, VF_LINE_TOOLONG);
  assert_int_equal(n, 200);
  for(i=0; i<200; i++) assert_int_equal(zLine[i], 'a');
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_offset(p), vf_reader_size(p));
  vf_reader_close(p);
  /* more than a window proves SQLite counted the reader's memory; a gzip
  ** reader keeps about 1.5 MiB (its ring of chunks, see reader.c) */
  assert_true(sqlite3_memory_highwater(0) > 256*1024);
  assert_true(sqlite3_memory_highwater(0) < 2*1024*1024);
}

/* ---- many lines across buffer boundaries ------------------------------ */

static void test_generated_plain(void **state){
  unsigned nLine = 30000;
  size_t n;
  char *a = gen_data(nLine, &n);
  VfReader *p;
  (void)state;
  assert_true(n > 8*1000*1000);   /* several MB: many window refills */
  p = open_ok(write_file("gen.log", a, n));
  free(a);
  check_generated(p, nLine);
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_offset(p), n);
  vf_reader_close(p);
}

static void test_generated_gzip(void **state){
  unsigned nLine = 30000;
  size_t n, nGz;
  char *a = gen_data(nLine, &n);
  unsigned char *aGz = gz_make(a, n, &nGz);
  VfReader *p;
  (void)state;
  p = open_ok(write_file("gen.log.gz", aGz, nGz));
  free(a);
  free(aGz);
  assert_int_equal(vf_reader_is_gzip(p), 1);
  assert_int_equal(vf_reader_size(p), nGz);
  check_generated(p, nLine);
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_offset(p), nGz);
  vf_reader_close(p);
}

/* ---- gzip --------------------------------------------------------------- */

static void test_gzip_simple(void **state){
  static const char z[] = "version srcaddr\r\n2 10.0.0.1\n2 10.0.0.2";
  size_t nGz;
  unsigned char *aGz = gz_make(z, sizeof(z)-1, &nGz);
  VfReader *p;
  (void)state;
  /* the name says nothing: detection is by content */
  p = open_ok(write_file("plain-looking.txt", aGz, nGz));
  assert_int_equal(vf_reader_is_gzip(p), 1);
  expect_line(p, VF_LINE_OK, "version srcaddr");
  expect_line(p, VF_LINE_OK, "2 10.0.0.1");
  expect_line(p, VF_LINE_OK, "2 10.0.0.2");
  expect_end(p, VF_LINE_EOF);
  vf_reader_close(p);
  free(aGz);
}

static void test_gzip_empty(void **state){
  size_t nGz;
  unsigned char *aGz = gz_make("", 0, &nGz);
  VfReader *p;
  (void)state;
  p = open_ok(write_file("empty.gz", aGz, nGz));
  assert_int_equal(vf_reader_is_gzip(p), 1);
  expect_end(p, VF_LINE_EOF);
  vf_reader_close(p);
  free(aGz);
}

/* Members are one byte stream: "a\nb" + "c\nd\n" gives a, bc, d. */
static void test_gzip_multi_member(void **state){
  size_t n1, n2, n3;
  unsigned char *a1 = gz_make("a\nb", 3, &n1);
  unsigned char *a2 = gz_make("c\nd\n", 4, &n2);
  unsigned char *a3 = gz_make("", 0, &n3);
  unsigned char *a = malloc(n1+n2+n3+n1);
  VfReader *p;
  (void)state;
  memcpy(a, a1, n1);
  memcpy(a+n1, a3, n3);          /* an empty member in between */
  memcpy(a+n1+n3, a2, n2);
  memcpy(a+n1+n3+n2, a1, n1);
  p = open_ok(write_file("multi.gz", a, n1+n3+n2+n1));
  expect_line(p, VF_LINE_OK, "a");
  expect_line(p, VF_LINE_OK, "bc");
  expect_line(p, VF_LINE_OK, "d");
  expect_line(p, VF_LINE_OK, "a");
  expect_line(p, VF_LINE_OK, "b");
  expect_end(p, VF_LINE_EOF);
  vf_reader_close(p);
  free(a); free(a1); free(a2); free(a3);
}

/*
** Cut a gzip file of generated lines in the middle: every line before the
** cut comes back exactly, then the start of the cut line as PARTIAL, then
** an ERROR naming the file.
*/
static void test_gzip_truncated(void **state){
  unsigned nLine = 3000;
  size_t n, nGz;
  char *a = gen_data(nLine, &n);
  unsigned char *aGz = gz_make(a, n, &nGz);
  const char *zPath = write_file("cut.gz", aGz, nGz/2);
  char *aLine = malloc(70000);
  VfReader *p;
  unsigned i;
  int rc;
  const char *z;
  size_t nz;
  char zWant[400];
  (void)state;
  p = open_ok(zPath);
  for(i=0; ; i++){
    int bCrlf;
    size_t nL = gen_line(i, aLine, &bCrlf);
    assert_true(i < nLine);
    rc = next_line(p, &z, &nz);
    if( rc!=VF_LINE_OK ) break;
    assert_int_equal(nz, nL);
    assert_memory_equal(z, aLine, nL);
  }
  /* well into the file, and the cut line's start is what arrived */
  assert_true(i > 100);
  assert_int_equal(rc, VF_LINE_PARTIAL);
  assert_int_equal(vf_reader_lineno(p), (int64_t)i+1);
  {
    int bCrlf;
    size_t nL = gen_line(i, aLine, &bCrlf);
    assert_true(nz <= nL + 1);
    assert_memory_equal(z, aLine, nz <= nL ? nz : nL);
  }
  expect_end(p, VF_LINE_ERROR);
  snprintf(zWant, sizeof(zWant),
           "'%s': truncated gzip stream (unexpected end of file)", zPath);
  assert_string_equal(vf_reader_errmsg(p), zWant);
  vf_reader_close(p);
  free(aLine); free(a); free(aGz);
}

/* Cut right after complete lines: no PARTIAL, straight to the error. */
static void test_gzip_truncated_header(void **state){
  size_t nGz;
  unsigned char *aGz = gz_make("a\nb\n", 4, &nGz);
  VfReader *p;
  (void)state;
  p = open_ok(write_file("cut2.gz", aGz, 5));   /* inside the header */
  assert_int_equal(vf_reader_is_gzip(p), 1);
  expect_end(p, VF_LINE_ERROR);
  assert_non_null(strstr(vf_reader_errmsg(p), "truncated gzip stream"));
  assert_non_null(strstr(vf_reader_errmsg(p), "cut2.gz"));
  vf_reader_close(p);
  /* the whole member but for its 8-byte trailer: lines all decoded */
  p = open_ok(write_file("cut3.gz", aGz, nGz-8));
  expect_line(p, VF_LINE_OK, "a");
  expect_line(p, VF_LINE_OK, "b");
  expect_end(p, VF_LINE_ERROR);
  assert_non_null(strstr(vf_reader_errmsg(p), "truncated gzip stream"));
  vf_reader_close(p);
  free(aGz);
}

static void test_gzip_corrupt(void **state){
  unsigned nLine = 3000;
  size_t n, nGz, i;
  char *a = gen_data(nLine, &n);
  unsigned char *aGz = gz_make(a, n, &nGz);
  VfReader *p;
  const char *zPath, *z;
  size_t nz;
  int rc;
  int nLines = 0;
  (void)state;

  /* A wrong compression method in byte 2 of the header: no line at all,
  ** and the error points at the header (within the first 10 bytes). */
  aGz[2] = 7;
  zPath = write_file("badhdr.gz", aGz, nGz);
  p = open_ok(zPath);
  expect_end(p, VF_LINE_ERROR);
  {
    char zWant[400];
    const char *zMsg = vf_reader_errmsg(p);
    size_t nWant;
    long iByte;
    snprintf(zWant, sizeof(zWant), "'%s': gzip data error: "
             "unknown compression method near compressed byte ", zPath);
    nWant = strlen(zWant);
    assert_int_equal(strncmp(zMsg, zWant, nWant), 0);
    iByte = strtol(zMsg+nWant, 0, 10);
    assert_true(iByte>=2 && iByte<=10);
  }
  vf_reader_close(p);
  aGz[2] = 8;

  /* Bytes smashed mid-stream: some lines, then an error that says where */
  for(i=nGz/2; i<nGz/2+64; i++) aGz[i] ^= 0x5a;
  zPath = write_file("bad.gz", aGz, nGz);
  p = open_ok(zPath);
  while( (rc = next_line(p, &z, &nz))==VF_LINE_OK
      || rc==VF_LINE_TOOLONG ){
    nLines++;
  }
  if( rc==VF_LINE_PARTIAL ) rc = next_line(p, &z, &nz);
  assert_int_equal(rc, VF_LINE_ERROR);
  /* (garbage decoded before the error is detected may hold any number
  ** of lines, so their count proves nothing) */
  assert_true(strncmp(vf_reader_errmsg(p), "'", 1)==0);
  assert_non_null(strstr(vf_reader_errmsg(p), zPath));
  assert_non_null(strstr(vf_reader_errmsg(p), "gzip data error: "));
  assert_non_null(strstr(vf_reader_errmsg(p), " near compressed byte "));
  vf_reader_close(p);
  free(a); free(aGz);
}

/* Zero padding after a member: the lines stay, then an error. */
static void test_gzip_trailing_garbage(void **state){
  static const char *azBody[] = { "a\nb\n", "a\nb" };
  size_t k;
  (void)state;
  for(k=0; k<2; k++){
    size_t nGz;
    unsigned char *aGz = gz_make(azBody[k], strlen(azBody[k]), &nGz);
    unsigned char *a = calloc(1, nGz+16);
    char zWant[400];
    const char *zPath;
    VfReader *p;
    memcpy(a, aGz, nGz);
    /* not zeros: zero padding is accepted (test_gzip_trailer_and_padding) */
    memset(a+nGz, 0x55, 16);
    zPath = write_file("pad.gz", a, nGz+16);
    p = open_ok(zPath);
    expect_line(p, VF_LINE_OK, "a");
    expect_line(p, VF_LINE_OK, "b");
    expect_end(p, VF_LINE_ERROR);
    snprintf(zWant, sizeof(zWant),
             "'%s': trailing garbage after gzip member at byte %zu",
             zPath, nGz);
    assert_string_equal(vf_reader_errmsg(p), zWant);
    vf_reader_close(p);
    free(a); free(aGz);
  }
}

/* One stray 1f byte after a member looks like a member that got cut. */
static void test_gzip_lone_magic_byte(void **state){
  size_t nGz;
  unsigned char *aGz = gz_make("a\n", 2, &nGz);
  unsigned char *a = malloc(nGz+1);
  VfReader *p;
  (void)state;
  memcpy(a, aGz, nGz);
  a[nGz] = 0x1f;
  p = open_ok(write_file("lone.gz", a, nGz+1));
  expect_line(p, VF_LINE_OK, "a");
  expect_end(p, VF_LINE_ERROR);
  assert_non_null(strstr(vf_reader_errmsg(p), "truncated gzip stream"));
  vf_reader_close(p);
  free(a); free(aGz);
}

/*
** A FIFO fed a few bytes at a time by a child process: the reader must
** cope with short reads everywhere, the gzip magic included.
*/
static void test_fifo_gzip(void **state){
  unsigned nLine = 2000;
  size_t n, nGz;
  char *a = gen_data(nLine, &n);
  unsigned char *aGz = gz_make(a, n, &nGz);
  const char *zPath = tmp_path("fifo");
  char zFifo[256];
  pid_t pid;
  int status;
  VfReader *p;
  (void)state;
  snprintf(zFifo, sizeof(zFifo), "%s", zPath);
  assert_int_equal(mkfifo(zFifo, 0600), 0);
  pid = fork();
  assert_true(pid>=0);
  if( pid==0 ){
    FILE *f = fopen(zFifo, "wb");
    size_t i;
    if( f==0 ) _exit(1);
    setvbuf(f, 0, _IONBF, 0);
    int rc = 0;
    free(a);
    for(i=0; i<nGz && rc==0; i+=3){
      size_t k = nGz-i < 3 ? nGz-i : 3;
      if( fwrite(aGz+i, 1, k, f)!=k ) rc = 1;
    }
    free(aGz);
    if( fclose(f) ) rc = 1;
    _exit(rc);
  }
  p = open_ok(zFifo);
  assert_int_equal(vf_reader_size(p), 0);
  check_generated(p, nLine);
  /* a pipe is known to be gzip once its first bytes came (reader.h) */
  assert_int_equal(vf_reader_is_gzip(p), 1);
  expect_end(p, VF_LINE_EOF);
  vf_reader_close(p);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status)==0);
  unlink(zFifo);
  free(a); free(aGz);
}

/* ---- the producer thread ----------------------------------------------- */

/*
** A longest line whose end falls on and around the first chunk boundary
** (256 KiB of decoded bytes), ended by "\r\n" or "\n": the unfinished
** tail carried into the next chunk is then as long as it can be. And one
** byte more, too long, straddling the same way.
*/
static void test_thread_edges(void **state){
  static const struct { size_t n; const char *zEnd; int bOk; } aCase[] = {
    { VF_READER_MAX_LINE,   "\r\n", 1 },
    { VF_READER_MAX_LINE,   "\n",   1 },
    { VF_READER_MAX_LINE+1, "\n",   0 },
  };
  size_t k;
  int d;
  (void)state;
  for(k=0; k<sizeof(aCase)/sizeof(aCase[0]); k++){
    for(d=-3; d<=3; d++){
      size_t nEnd = strlen(aCase[k].zEnd);
      /* the long line starts at iStart and its '\n' is at 256 KiB + d */
      size_t iStart = 256*1024 + d - aCase[k].n - (nEnd-1);
      size_t nTotal = iStart + aCase[k].n + nEnd + 6, i, j, nGz;
      char *a = malloc(nTotal);
      unsigned char *aGz;
      VfReader *p;
      size_t nFill = 0;
      assert_non_null(a);
      /* filler: lines of 999 bytes 'f', the last one shorter */
      for(i=0; i<iStart; ){
        size_t nL = iStart-i-1 < 999 ? iStart-i-1 : 999;
        memset(a+i, 'f', nL);
        a[i+nL] = '\n';
        i += nL+1;
        nFill++;
      }
      for(j=0; j<aCase[k].n; j++) a[iStart+j] = (char)('A' + j%26);
      memcpy(a+iStart+aCase[k].n, aCase[k].zEnd, nEnd);
      memcpy(a+nTotal-6, "after\n", 6);
      aGz = gz_make(a, nTotal, &nGz);
      p = open_ok(write_file("edge.gz", aGz, nGz));
      for(i=0; i<nFill; i++){
        const char *z;
        size_t n;
        assert_int_equal(next_line(p, &z, &n), VF_LINE_OK);
        assert_true(n==999 || i==nFill-1);
        if( n ) assert_int_equal(z[n-1], 'f');
      }
      if( aCase[k].bOk ){
        expect_long_ok(p, aCase[k].n);
      }else{
        expect_toolong(p);
      }
      expect_line(p, VF_LINE_OK, "after");
      expect_end(p, VF_LINE_EOF);
      vf_reader_close(p);
      free(aGz);
      free(a);
    }
  }
}

/*
** Append gzip members of a[0..n-1], cut every 1 to 700 KB (a cut may fall
** inside a line), to a malloc()ed buffer; return it, its size in *pnOut.
*/
static unsigned char *gz_members(const char *a, size_t n, size_t *pnOut){
  unsigned char *aOut = 0;
  size_t nOut = 0, i = 0;
  unsigned k = 0;
  while( i<n ){
    size_t nPart = 1 + ((k++)*2654435761u)%700000, nGz;
    unsigned char *aGz;
    if( nPart>n-i ) nPart = n-i;
    aGz = gz_make(a+i, nPart, &nGz);
    aOut = realloc(aOut, nOut+nGz);
    assert_non_null(aOut);
    memcpy(aOut+nOut, aGz, nGz);
    nOut += nGz;
    free(aGz);
    i += nPart;
  }
  *pnOut = nOut;
  return aOut;
}

/*
** Several MB of generated lines in gzip members of varied sizes: every
** line crosses chunk and member boundaries in some way, and each must
** come back exactly as the formula in gen_line() says. The offset only
** grows and ends at the file's size.
*/
static void test_thread_straddle(void **state){
  unsigned nLine = 20000, i;
  size_t n, nGz;
  char *a = gen_data(nLine, &n);
  unsigned char *aGz = gz_members(a, n, &nGz);
  char *aLine = malloc(70000);
  uint64_t iPrev = 0;
  VfReader *p;
  (void)state;
  assert_non_null(aLine);
  assert_true(n > 5*1000*1000);
  p = open_ok(write_file("members.gz", aGz, nGz));
  for(i=0; i<nLine; i++){
    int bCrlf;
    size_t nL = gen_line(i, aLine, &bCrlf), nz;
    const char *z;
    int rc = next_line(p, &z, &nz);
    if( rc!=VF_LINE_OK || nz!=nL || memcmp(z, aLine, nL)!=0 ){
      fail_msg("line %u: rc=%d n=%zu, want %zu bytes", i+1, rc, nz, nL);
    }
    assert_true(vf_reader_offset(p)>=iPrev);
    assert_true(vf_reader_offset(p)<=nGz);
    iPrev = vf_reader_offset(p);
  }
  expect_end(p, VF_LINE_EOF);
  assert_int_equal(vf_reader_offset(p), nGz);
  vf_reader_close(p);
  free(aLine); free(a); free(aGz);
}

/*
** Close while the producer is busy, waiting for a free slot, or before
** a line was read: it returns at once and leaves no memory behind.
*/
static void test_thread_close_midfile(void **state){
  size_t n, nGz;
  char *a = gen_data(30000, &n);
  unsigned char *aGz = gz_make(a, n, &nGz);
  const char *zPath = write_file("close.gz", aGz, nGz);
  sqlite3_int64 nBefore = sqlite3_memory_used();
  int k;
  (void)state;
  free(a);
  free(aGz);
  for(k=0; k<3; k++){
    VfReader *p = open_ok(zPath);
    double t0;
    if( k==1 ) check_generated(p, 100);
    if( k==2 ){
      /* long enough for the producer to fill the ring and wait */
      struct timespec t = { 0, 200*1000*1000 };
      nanosleep(&t, 0);
      check_generated(p, 5);
    }
    assert_true(sqlite3_memory_used() > nBefore);
    t0 = now_sec();
    vf_reader_close(p);
    assert_true(now_sec() - t0 < PROMPT_SEC);
    assert_int_equal(sqlite3_memory_used(), nBefore);
  }
}

/*
** A FIFO writer on a thread: it writes a[0..n-1] nPiece bytes at a time.
** With nStall>0 it stops after nStall bytes until feed_go() says go on
** (FEED_GO) or give up (FEED_QUIT).
*/
#define FEED_GO   1
#define FEED_QUIT 2
typedef struct Feed Feed;
struct Feed {
  char zPath[256];           /* the FIFO */
  const unsigned char *a;    /* bytes to write */
  size_t n;                  /* count of a[] */
  size_t nPiece;             /* bytes per write() */
  size_t nStall;             /* stop after this many bytes, if not 0 */
  int eGo;                   /* 0, FEED_GO or FEED_QUIT */
  int rc;                    /* 0 if every byte was written */
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  pthread_t tid;
};

static void *feed_main(void *pArg){
  Feed *f = (Feed*)pArg;
  size_t i = 0;
  int fd = open(f->zPath, O_WRONLY);
  if( fd<0 ){
    f->rc = 1;
    return 0;
  }
  while( i<f->n ){
    size_t k = f->n - i;
    ssize_t got;
    if( f->nStall>0 && i==f->nStall ){
      int eGo;
      pthread_mutex_lock(&f->mutex);
      while( f->eGo==0 ) pthread_cond_wait(&f->cond, &f->mutex);
      eGo = f->eGo;
      pthread_mutex_unlock(&f->mutex);
      if( eGo==FEED_QUIT ){
        f->rc = 1;
        break;
      }
    }
    if( k>f->nPiece ) k = f->nPiece;
    if( f->nStall>i && k>f->nStall-i ) k = f->nStall-i;
    got = write(fd, f->a+i, k);
    if( got<=0 ){
      f->rc = 1;   /* EPIPE: the reader closed early */
      break;
    }
    i += (size_t)got;
  }
  close(fd);
  return 0;
}

/* Make FIFO zName and start writing a[0..n-1] into it. */
static void feed_start(Feed *f, const char *zName, const void *a, size_t n,
                       size_t nPiece, size_t nStall){
  memset(f, 0, sizeof(*f));
  snprintf(f->zPath, sizeof(f->zPath), "%s", tmp_path(zName));
  f->a = a;
  f->n = n;
  f->nPiece = nPiece;
  f->nStall = nStall;
  assert_int_equal(mkfifo(f->zPath, 0600), 0);
  assert_int_equal(pthread_mutex_init(&f->mutex, 0), 0);
  assert_int_equal(pthread_cond_init(&f->cond, 0), 0);
  assert_int_equal(pthread_create(&f->tid, 0, feed_main, f), 0);
}

/* Tell a stalled writer to go on or to give up. */
static void feed_go(Feed *f, int eGo){
  pthread_mutex_lock(&f->mutex);
  f->eGo = eGo;
  pthread_cond_signal(&f->cond);
  pthread_mutex_unlock(&f->mutex);
}

/* Wait for the writer (close the reader first); return its rc. */
static int feed_finish(Feed *f){
  assert_int_equal(pthread_join(f->tid, 0), 0);
  pthread_cond_destroy(&f->cond);
  pthread_mutex_destroy(&f->mutex);
  unlink(f->zPath);
  return f->rc;
}

/* Without the producer thread (VPCFLOW_NO_THREAD) read() on a stalled
** FIFO blocks, as it always did: the stall test has nothing to check. */
#ifdef VPCFLOW_NO_THREAD
# define VF_TEST_THREAD 0
#else
# define VF_TEST_THREAD 1
#endif

/*
** The writer sends the 10-byte gzip header and pauses: the reader must
** say VF_LINE_AGAIN after about 50 ms instead of blocking, again and
** again, then read everything once the writer goes on. A second time the
** reader is closed during the pause, which must not wait for the writer.
*/
static void test_thread_stalled_fifo(void **state){
  unsigned nLine = 2000;
  size_t n, nGz;
  char *a = gen_data(nLine, &n);
  unsigned char *aGz = gz_make(a, n, &nGz);
  int k;
  (void)state;
  free(a);
  for(k=0; k<2 && VF_TEST_THREAD; k++){
    Feed f;
    VfReader *p;
    int i;
    feed_start(&f, "stall", aGz, nGz, 4096, 10);
    p = open_ok(f.zPath);
    for(i=0; i<3; i++){
      const char *z = 0;
      size_t nz = 99;
      double t0 = now_sec(), dt;
      assert_int_equal(vf_reader_next(p, &z, &nz), VF_LINE_AGAIN);
      dt = now_sec() - t0;
      assert_int_equal(nz, 0);
      assert_true(dt >= 0.02);     /* it did wait, not spin */
      assert_true(dt < PROMPT_SEC);   /* ...and did not block */
    }
    assert_int_equal(vf_reader_lineno(p), 0);
    assert_int_equal(vf_reader_is_gzip(p), 1);   /* the header came */
    if( k==0 ){
      feed_go(&f, FEED_GO);
      check_generated(p, nLine);
      expect_end(p, VF_LINE_EOF);
      vf_reader_close(p);
      assert_int_equal(feed_finish(&f), 0);
    }else{
      double t0 = now_sec();
      vf_reader_close(p);
      assert_true(now_sec() - t0 < PROMPT_SEC);
      feed_go(&f, FEED_QUIT);
      feed_finish(&f);
    }
  }
  free(aGz);
}

/*
** Gzip trailers and padding (issue 18, item 7). Made from "a b\nc d\n"
** with zlib: a wrong ISIZE says "incorrect length check" (ISA-L gives one
** code for both checks; it said "incorrect data check"), a wrong CRC
** "incorrect data check", both after the two lines. Zero bytes after the
** member are accepted to the end, as gzip -d accepts them; anything
** after the zeros, another member included, is trailing garbage (gzip -d
** ignores it with a warning).
*/
static void test_gzip_trailer_and_padding(void **state){
  static const char zData[] = "a b\nc d\n";
  size_t nGz, i;
  unsigned char *aGz = gz_make(zData, 8, &nGz), *a;
  struct { const char *zName; int eEnd; const char *zWhy; } aCase[] = {
    { "isize.gz", VF_LINE_ERROR, "gzip data error: incorrect length check" },
    { "crc.gz",   VF_LINE_ERROR, "gzip data error: incorrect data check" },
    { "pad.gz",   VF_LINE_EOF,   0 },
    { "padg.gz",  VF_LINE_ERROR, "trailing garbage after gzip member and "
                                 "zero padding at byte " },
    { "pad2.gz",  VF_LINE_ERROR, "trailing garbage after gzip member and "
                                 "zero padding at byte " },
  };
  (void)state;
  a = malloc(nGz*2 + 300000);
  assert_non_null(a);
  for(i=0; i<sizeof(aCase)/sizeof(aCase[0]); i++){
    size_t n = nGz;
    VfReader *p;
    const char *z;
    size_t nz;
    memcpy(a, aGz, nGz);
    switch( i ){
      case 0: a[nGz-4] ^= 1; break;                  /* ISIZE 8 -> 9 */
      case 1: a[nGz-8] ^= 1; break;                  /* CRC-32 */
      case 2: memset(a+n, 0, 300000); n += 300000; break; /* > VF_INBUF */
      case 3: memset(a+n, 0, 10); memcpy(a+n+10, "xyz", 3); n += 13; break;
      case 4: memset(a+n, 0, 3); memcpy(a+n+3, aGz, nGz); n += 3+nGz; break;
    }
    p = open_ok(write_file(aCase[i].zName, a, n));
    assert_int_equal(next_line(p, &z, &nz), VF_LINE_OK);
    assert_memory_equal(z, "a b", 3);
    assert_int_equal(next_line(p, &z, &nz), VF_LINE_OK);
    assert_memory_equal(z, "c d", 3);
    assert_int_equal(next_line(p, &z, &nz), aCase[i].eEnd);
    if( aCase[i].zWhy && strstr(vf_reader_errmsg(p), aCase[i].zWhy)==0 ){
      fail_msg("%s: '%s'", aCase[i].zName, vf_reader_errmsg(p));
    }
    vf_reader_close(p);
  }
  free(a);
  free(aGz);
}

/*
** A FIFO nobody writes to: open() returns at once (it used to block until
** a writer came), and vf_reader_next() says VF_LINE_AGAIN within about
** VF_POLL_MS, again and again, so a caller can stop. Closing does not
** wait for a writer (PROMPT_SEC).
** A writer that then comes and goes is read to a clean end.
*/
static void test_fifo_no_writer(void **state){
  char zFifo[128];
  VfReader *p;
  int i, fd;
  (void)state;
  if( !VF_TEST_THREAD ) skip();   /* without the thread, reads block */
  snprintf(zFifo, sizeof(zFifo), "%s/nowriter", gDir);
  assert_int_equal(mkfifo(zFifo, 0600), 0);
  p = open_ok(zFifo);
  for(i=0; i<5; i++){
    const char *z = 0;
    size_t nz = 99;
    double t0 = now_sec(), dt;
    assert_int_equal(vf_reader_next(p, &z, &nz), VF_LINE_AGAIN);
    dt = now_sec() - t0;
    assert_int_equal(nz, 0);
    assert_true(dt < PROMPT_SEC);
  }
  /* a writer sends one line and leaves: the line, then the end */
  fd = open(zFifo, O_WRONLY|O_NONBLOCK);
  assert_true(fd>=0);
  assert_int_equal(write(fd, "a b\n", 4), 4);
  close(fd);
  {
    const char *z;
    size_t nz;
    assert_int_equal(next_line(p, &z, &nz), VF_LINE_OK);
    assert_int_equal(nz, 3);
    assert_memory_equal(z, "a b", 3);
    assert_int_equal(next_line(p, &z, &nz), VF_LINE_EOF);
  }
  assert_int_equal(vf_reader_is_gzip(p), 0);
  vf_reader_close(p);
  /* and closed while still waiting for the first byte */
  p = open_ok(zFifo);
  {
    const char *z;
    size_t nz;
    double t0;
    assert_int_equal(vf_reader_next(p, &z, &nz), VF_LINE_AGAIN);
    t0 = now_sec();
    vf_reader_close(p);
    assert_true(now_sec() - t0 < PROMPT_SEC);
  }
  unlink(zFifo);
}

/* A digest of everything a reader returns: results, lines, final message
** without the path. */
typedef struct Digest Digest;
struct Digest {
  uint64_t h;                /* FNV-1a over results and line bytes */
  unsigned nLine;            /* lines returned */
  int eEnd;                  /* VF_LINE_EOF or VF_LINE_ERROR */
  char zMsg[300];            /* message after the quoted path */
};

static void digest_read(const char *zPath, Digest *pD){
  VfReader *p = open_ok(zPath);
  const char *z, *zMsg;
  size_t n, i;
  int rc;
  memset(pD, 0, sizeof(*pD));
  pD->h = 14695981039346656037ull;
  while( (rc = next_line(p, &z, &n))!=VF_LINE_EOF && rc!=VF_LINE_ERROR ){
    pD->nLine++;
    pD->h = (pD->h ^ (uint64_t)rc)*1099511628211ull;
    for(i=0; i<n; i++) pD->h = (pD->h ^ (unsigned char)z[i])*1099511628211ull;
  }
  pD->eEnd = rc;
  zMsg = vf_reader_errmsg(p);
  assert_int_equal(strncmp(zMsg, "'", 1)==0, rc==VF_LINE_ERROR);
  if( rc==VF_LINE_ERROR ){
    assert_int_equal(strncmp(zMsg+1, zPath, strlen(zPath)), 0);
    snprintf(pD->zMsg, sizeof(pD->zMsg), "%s", zMsg+1+strlen(zPath));
  }
  vf_reader_close(p);
}

/*
** Through a FIFO, written 4099 bytes at a time, the producer hands over
** many small chunks and lines are carried across several of them. Intact,
** multi-member, truncated, smashed, padded and bad-header gzip must give
** the same lines, the same end and the same message as from a file.
*/
static void test_thread_fifo_pieces(void **state){
  unsigned nLine = 3000;
  size_t n, nGz, nMulti, i;
  char *a = gen_data(nLine, &n);
  unsigned char *aGz = gz_make(a, n, &nGz);
  unsigned char *aMulti = gz_members(a, n, &nMulti);
  unsigned char *aBad = malloc(nGz+16);
  int k;
  (void)state;
  assert_non_null(aBad);
  for(k=0; k<7; k++){
    const unsigned char *aIn = aBad;
    size_t nIn = nGz;
    const char *zFile;
    Digest dFile, dFifo;
    Feed f;
    memcpy(aBad, aGz, nGz);
    memset(aBad+nGz, 0, 16);
    switch( k ){
      case 0: aIn = aGz; break;                          /* intact */
      case 1: aIn = aMulti; nIn = nMulti; break;         /* members */
      case 2: nIn = nGz/2; break;                        /* truncated */
      case 3: for(i=nGz/2; i<nGz/2+64; i++) aBad[i] ^= 0x5a; break;
      case 4: memset(aBad+nGz, 0x55, 16); nIn = nGz+16; break; /* garbage */
      case 5: aBad[2] = 7; break;                        /* bad header */
      case 6: nIn = nGz+16; break;       /* zero padding: fine, as gzip -d */
    }
    zFile = write_file("piece.gz", aIn, nIn);
    digest_read(zFile, &dFile);
    feed_start(&f, "piece", aIn, nIn, 4099, 0);
    digest_read(f.zPath, &dFifo);
    feed_finish(&f);
    if( dFile.h!=dFifo.h || dFile.nLine!=dFifo.nLine
     || dFile.eEnd!=dFifo.eEnd || strcmp(dFile.zMsg, dFifo.zMsg)!=0 ){
      fail_msg("case %d: file %u lines %d '%s', fifo %u lines %d '%s'", k,
               dFile.nLine, dFile.eEnd, dFile.zMsg,
               dFifo.nLine, dFifo.eEnd, dFifo.zMsg);
    }
    assert_int_equal(dFile.eEnd, k<2 || k==6 ? VF_LINE_EOF : VF_LINE_ERROR);
    if( k<2 || k==6 ) assert_int_equal(dFile.nLine, nLine);
    if( k==2 ){
      assert_string_equal(dFile.zMsg,
                          "': truncated gzip stream (unexpected end of file)");
    }
    if( k==4 ){
      char zWant[100];
      snprintf(zWant, sizeof(zWant),
               "': trailing garbage after gzip member at byte %zu", nGz);
      assert_string_equal(dFile.zMsg, zWant);
    }
  }
  free(a); free(aGz); free(aMulti); free(aBad);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_plain_final_newline),
    cmocka_unit_test(test_plain_no_final_newline),
    cmocka_unit_test(test_crlf_and_empty_lines),
    cmocka_unit_test(test_empty_file),
    cmocka_unit_test(test_short_not_gzip),
    cmocka_unit_test(test_dev_null),
    cmocka_unit_test(test_open_errors),
    cmocka_unit_test(test_max_line),
    cmocka_unit_test(test_huge_line_bounded),
    cmocka_unit_test(test_gzip_bomb),
    cmocka_unit_test(test_generated_plain),
    cmocka_unit_test(test_generated_gzip),
    cmocka_unit_test(test_gzip_simple),
    cmocka_unit_test(test_gzip_empty),
    cmocka_unit_test(test_gzip_multi_member),
    cmocka_unit_test(test_gzip_truncated),
    cmocka_unit_test(test_gzip_truncated_header),
    cmocka_unit_test(test_gzip_corrupt),
    cmocka_unit_test(test_gzip_trailing_garbage),
    cmocka_unit_test(test_gzip_lone_magic_byte),
    cmocka_unit_test(test_fifo_gzip),
    cmocka_unit_test(test_thread_edges),
    cmocka_unit_test(test_thread_straddle),
    cmocka_unit_test(test_thread_close_midfile),
    cmocka_unit_test(test_thread_stalled_fifo),
    cmocka_unit_test(test_fifo_no_writer),
    cmocka_unit_test(test_gzip_trailer_and_padding),
    cmocka_unit_test(test_thread_fifo_pieces),
    cmocka_unit_test(test_format_table),
  };
  /* a FIFO writer whose reader closed early gets EPIPE, not a signal */
  signal(SIGPIPE, SIG_IGN);
  return cmocka_run_group_tests_name("reader", tests, group_setup,
                                     group_teardown);
}
