/*
** test_parquet.c - cmocka tests of ext/parquet.c over fixtures/parquet/.
**
** Run from the repository root (as make does): fixture paths are relative.
**
** Where the expectations come from:
**   - the v2 rows are the six rows typed into fixtures/parquet/make.mjs,
**     written out below by hand as the lines they must become;
**   - the v5 files hold the rows of fixtures/v5/service.log, so the test
**     reads that text file and wants its data lines back, byte for byte;
**   - "many" and "required" rows follow the formulas in make.mjs, which
**     row_many() and row_required() restate;
**   - flows.parquet is the flowlogs-reader sample, whose content is
**     described in shared/conformance/README.md (3 records: one ACCEPT OK,
**     two NODATA; account_id stored as int64, ports and counts as text,
**     "None" where pandas had no value).
** Corrupt files come from make.mjs too; each test names the defect.
*/
#define _XOPEN_SOURCE 700
#include "test.h"
#include <sys/stat.h>
#include <unistd.h>
#include "parquet.h"

#define FX(x) "fixtures/parquet/" x

static const char *zV2Header =
  "version account_id interface_id srcaddr dstaddr srcport dstport protocol "
  "packets bytes start end action log_status";

static const char *azV2Rows[] = {
  "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 "
  "6 20 4249 1418530010 1418530070 ACCEPT OK",
  "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 "
  "6 20 4249 1418530010 1418530070 REJECT OK",
  "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 "
  "- NODATA",
  "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 "
  "- SKIPDATA",
  "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105"
  " 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 "
  "1477913735 ACCEPT OK",
  "2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 "
  "336 1432917027 1432917142 ACCEPT OK",
};

/* Open zPath, failing the test with the message if it does not open. */
static VfParquet *open_ok(const char *zPath){
  char zErr[512];
  VfParquet *p = 0;
  if( vf_parquet_open(zPath, &p, zErr, sizeof(zErr)) ){
    fail_msg("cannot open %s: %s", zPath, zErr);
  }
  assert_non_null(p);
  return p;
}

/* Assert that the next row is VF_LINE_OK and equals zWant. */
static void want_row(VfParquet *p, const char *zWant){
  const char *z;
  size_t n;
  int rc = vf_parquet_next_row(p, &z, &n);
  if( rc!=VF_LINE_OK ){
    fail_msg("rc %d (%s), wanted row '%s'", rc, vf_parquet_errmsg(p), zWant);
  }
  if( n!=strlen(zWant) || memcmp(z, zWant, n)!=0 ){
    fail_msg("got  '%.*s'\nwant '%s'", (int)n, z, zWant);
  }
}

/* Assert that the rows are over: EOF now and on every later call. */
static void want_eof(VfParquet *p){
  const char *z;
  size_t n;
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_EOF);
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_EOF);
  assert_string_equal(vf_parquet_errmsg(p), "");
  assert_int_equal(vf_parquet_offset(p), vf_parquet_size(p));
}

/* Assert the header line. */
static void want_header(VfParquet *p, const char *zWant){
  const char *z;
  size_t n;
  vf_parquet_header(p, &z, &n);
  assert_int_equal(n, strlen(zWant));
  assert_memory_equal(z, zWant, n);
}

/* Assert that opening zPath fails with "'zPath': zWant". */
static void want_open_error(const char *zPath, const char *zWant){
  char zErr[512], zFull[600];
  VfParquet *p = (VfParquet*)&zErr;          /* must be reset to 0 */
  assert_int_not_equal(vf_parquet_open(zPath, &p, zErr, sizeof(zErr)), 0);
  assert_null(p);
  snprintf(zFull, sizeof(zFull), "'%s': %s", zPath, zWant);
  assert_string_equal(zErr, zFull);
}

/* Assert that reading zPath fails after nGood rows with "'zPath': zWant". */
static void want_read_error(const char *zPath, int nGood, const char *zWant){
  VfParquet *p = open_ok(zPath);
  const char *z;
  size_t n;
  char zFull[600];
  int i;
  for(i=0; i<nGood; i++){
    assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_OK);
  }
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_ERROR);
  snprintf(zFull, sizeof(zFull), "'%s': %s", zPath, zWant);
  assert_string_equal(vf_parquet_errmsg(p), zFull);
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_ERROR);
  vf_parquet_close(p);
}

/* The six v2 rows in every codec, page version and encoding */
static void test_v2_every_encoding(void **state){
  static const char *azFile[] = {
    FX("v2-plain.parquet"), FX("v2-plain-gzip.parquet"),
    FX("v2-plain-snappy.parquet"), FX("v2-dict.parquet"),
    FX("v2-dict-gzip.parquet"), FX("v2-dict-snappy.parquet"),
    FX("v2-pagev2.parquet"), FX("v2-pagev2-gzip.parquet"),
    FX("v2-pagev2-snappy.parquet"), FX("v2-pagev2-delta.parquet"),
#if __has_include(<zstd.h>)
    FX("v2-zstd.parquet"),         /* ZSTD pages: read through libzstd */
#endif
  };
  size_t f, i;
  (void)state;
  for(f=0; f<sizeof(azFile)/sizeof(azFile[0]); f++){
    VfParquet *p = open_ok(azFile[f]);
    want_header(p, zV2Header);
    assert_int_equal(vf_parquet_column_count(p), 14);
    assert_string_equal(vf_parquet_column_name(p, 13), "log_status");
    assert_null(vf_parquet_column_name(p, 14));
    assert_int_equal(vf_parquet_row_count(p), 6);
    assert_int_equal(vf_parquet_rowno(p), 0);
    for(i=0; i<6; i++){
      want_row(p, azV2Rows[i]);
      assert_int_equal(vf_parquet_rowno(p), (int64_t)i+1);
    }
    want_eof(p);
    assert_int_equal(vf_parquet_rowno(p), 6);
    vf_parquet_close(p);
  }
}

/* v5 Parquet files give exactly the data lines of fixtures/v5/service.log */
static void test_v5_matches_text_fixture(void **state){
  static const char *azFile[] = {
    FX("v5-gzip.parquet"), FX("v5-pagev2-gzip.parquet")
  };
  char aLine[3][1024];
  FILE *in = fopen("fixtures/v5/service.log", "r");
  size_t f;
  int i, k;
  (void)state;
  assert_non_null(in);
  for(i=0; i<3; i++){
    assert_non_null(fgets(aLine[i], sizeof(aLine[i]), in));
    aLine[i][strcspn(aLine[i], "\n")] = 0;
  }
  fclose(in);
  /* The text header spells names with '-'; Parquet columns use '_'. */
  for(k=0; aLine[0][k]; k++) if( aLine[0][k]=='-' ) aLine[0][k] = '_';
  for(f=0; f<2; f++){
    VfParquet *p = open_ok(azFile[f]);
    want_header(p, aLine[0]);
    want_row(p, aLine[1]);
    want_row(p, aLine[2]);
    want_eof(p);
    vf_parquet_close(p);
  }
}

/* Row i of required.parquet, as make.mjs builds it */
static void row_required(int i, char *z, size_t n){
  char zPort[16];
  if( i%4==3 ){
    strcpy(zPort, "-");
  }else{
    snprintf(zPort, sizeof(zPort), "%d", 1000+i);
  }
  snprintf(z, n, "2 %d acct-%d %s %s", 1600000000 + 10*i, 100+i, zPort,
           i==7 ? "-" : (i%2 ? "REJECT" : "ACCEPT"));
}

/* REQUIRED columns, several pages per chunk, v1 and v2 pages mixed,
** DELTA_BYTE_ARRAY, bit-packed levels and indices (hand-built file) */
static void test_required_and_mixed_pages(void **state){
  VfParquet *p = open_ok(FX("required.parquet"));
  char zWant[128];
  int i;
  (void)state;
  want_header(p, "version start account_id srcport action");
  for(i=0; i<10; i++){
    row_required(i, zWant, sizeof(zWant));
    want_row(p, zWant);
  }
  want_eof(p);
  assert_int_equal(vf_parquet_pages_read(p), 9);
  vf_parquet_close(p);
}

/* Row i of the many-*.parquet files, as make.mjs builds it */
static void row_many(int i, char *z, size_t n){
  char zPort[16];
  if( i%11==0 ){
    strcpy(zPort, "-");
  }else{
    snprintf(zPort, sizeof(zPort), "%d", (i*7)%65536);
  }
  snprintf(z, n, "2 eni-%d %s %d %d %d %s", i%13, zPort, i%3==0 ? 443 : 80,
           i*100, 1600000000+i, i%10==9 ? "REJECT" : "ACCEPT");
}

/* 6000 rows: runs, several row groups (gzip v1) or delta pages (v2) */
static void test_many_rows(void **state){
  static const char *azFile[] = {
    FX("many-gzip.parquet"), FX("many-pagev2-snappy.parquet")
  };
  char zWant[128];
  size_t f;
  int i;
  (void)state;
  for(f=0; f<2; f++){
    VfParquet *p = open_ok(azFile[f]);
    want_header(p, "version interface_id srcport dstport bytes start action");
    for(i=0; i<6000; i++){
      row_many(i, zWant, sizeof(zWant));
      want_row(p, zWant);
    }
    want_eof(p);
    vf_parquet_close(p);
  }
}

/* Unselected columns read as "-" and are not decoded */
static void test_select(void **state){
  static const char *azSel[] = { "start", "log-status", "no_such_column" };
  VfParquet *p = open_ok(FX("v2-dict-gzip.parquet"));
  const char *z;
  size_t n;
  int64_t nSel, nAll;
  (void)state;
  assert_int_equal(vf_parquet_select(p, azSel, 3), 2);
  want_row(p, "- - - - - - - - - - 1418530010 - - OK");
  want_row(p, "- - - - - - - - - - 1418530010 - - OK");
  want_row(p, "- - - - - - - - - - 1431280876 - - NODATA");
  assert_int_equal(vf_parquet_select(p, 0, 0), -1);   /* too late */
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_OK);
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_OK);
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_OK);
  want_eof(p);
  nSel = vf_parquet_pages_read(p);
  vf_parquet_close(p);
  /* Two columns: at least a page each, and far fewer than all 14 need. */
  p = open_ok(FX("v2-dict-gzip.parquet"));
  while( vf_parquet_next_row(p, &z, &n)==VF_LINE_OK ){}
  nAll = vf_parquet_pages_read(p);
  vf_parquet_close(p);
  assert_true(nSel>=2 && nSel<=4);
  assert_true(nAll>=14);

  /* A column of an unsupported type is fine when the query skips it. */
  p = open_ok(FX("decimal.parquet"));
  assert_int_equal(vf_parquet_select(p, azSel, 1), 0);
  azSel[0] = "VERSION";
  assert_int_equal(vf_parquet_select(p, azSel, 1), 1);
  want_row(p, "1 -");
  want_eof(p);
  vf_parquet_close(p);
  azSel[0] = "start";

  /* Selecting nothing reads no page at all. */
  p = open_ok(FX("many-gzip.parquet"));
  assert_int_equal(vf_parquet_select(p, azSel, 0), 0);
  want_row(p, "- - - - - - -");
  vf_parquet_close(p);
}

/* Count the rows left in p; check row numbers against aWant[0..nWant-1] */
static void want_rownos(VfParquet *p, const int64_t *aWant, int nWant){
  const char *z;
  size_t n;
  int i;
  for(i=0; i<nWant; i++){
    assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_OK);
    assert_int_equal(vf_parquet_rowno(p), aWant[i]);
  }
  want_eof(p);
}

/*
** groups.parquet has five row groups of three rows (see make.mjs):
** start 1600000000.., 1600003600.., 1600007200.., 1600010800000..
** (milliseconds), 1600014400..; dstport 443, 22, 3389, 53, NULL;
** action ACCEPT, ACCEPT, REJECT, ACCEPT, NULL.
*/
static void test_prune(void **state){
  static const int64_t aG1[] = { 4, 5, 6 };
  static const int64_t aG13[] = { 4, 5, 6, 10, 11, 12 };
  static const int64_t aG2[] = { 7, 8, 9 };
  static const int64_t aG3[] = { 10, 11, 12 };
  static const int64_t aAll[] = { 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 };
  VfParquet *p;
  const char *z;
  size_t n;
  (void)state;

  p = open_ok(FX("groups.parquet"));
  assert_int_equal(vf_parquet_group_count(p), 5);
  assert_int_equal(vf_parquet_prune(p, "start", 1600003600, 1600003601), 1);
  want_rownos(p, aG1, 3);
  assert_int_equal(vf_parquet_groups_skipped(p), 4);
  vf_parquet_close(p);

  /* Seconds in the range also match a group stored in milliseconds. */
  p = open_ok(FX("groups.parquet"));
  assert_int_equal(vf_parquet_prune_epoch(p, "start", 1600010800, 1600010801),
                   1);
  want_rownos(p, aG3, 3);
  vf_parquet_close(p);
  p = open_ok(FX("groups.parquet"));
  assert_int_equal(vf_parquet_prune(p, "start", 1600010800, 1600010801), 1);
  want_rownos(p, 0, 0);
  assert_int_equal(vf_parquet_groups_skipped(p), 5);
  vf_parquet_close(p);

  /* Ports: a group whose values are all NULL is skipped too. */
  p = open_ok(FX("groups.parquet"));
  assert_int_equal(vf_parquet_prune(p, "dstport", 0, 100), 1);
  want_rownos(p, aG13, 6);
  assert_int_equal(vf_parquet_groups_skipped(p), 3);
  vf_parquet_close(p);

  /* Two constraints must both hold. */
  p = open_ok(FX("groups.parquet"));
  assert_int_equal(vf_parquet_prune(p, "dstport", 0, 100), 1);
  assert_int_equal(vf_parquet_prune_epoch(p, "end", 0, 1600003700), 1);
  want_rownos(p, aG1, 3);
  vf_parquet_close(p);

  /* Text: action = 'REJECT' */
  p = open_ok(FX("groups.parquet"));
  assert_int_equal(vf_parquet_prune_text(p, "action", "REJECT", "REJECT"), 1);
  want_rownos(p, aG2, 3);
  vf_parquet_close(p);

  /* Unusable constraints change nothing. */
  p = open_ok(FX("groups.parquet"));
  assert_int_equal(vf_parquet_prune(p, "nosuch", 0, 1), 0);
  assert_int_equal(vf_parquet_prune(p, "action", 0, 1), 0);
  assert_int_equal(vf_parquet_prune_text(p, "start", "a", "b"), 0);
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_LINE_OK);
  assert_int_equal(vf_parquet_prune(p, "start", 0, 1), 0);   /* too late */
  want_rownos(p, aAll+1, 14);
  assert_int_equal(vf_parquet_groups_skipped(p), 0);
  vf_parquet_close(p);

  /* Ports stored as text (flows.parquet) cannot be pruned as integers. */
  p = open_ok("fixtures/parquet/flows.parquet");
  assert_int_equal(vf_parquet_prune(p, "srcport", 0, 1), 0);
  assert_int_equal(vf_parquet_prune(p, "start", 0, 1), 1);
  want_rownos(p, 0, 0);
  vf_parquet_close(p);
}

/* The flowlogs-reader sample (pyarrow/pandas-made) */
static void test_flows_parquet(void **state){
  VfParquet *p = open_ok(FX("flows.parquet"));
  (void)state;
  want_header(p, zV2Header);
  want_row(p, "2 123456789010 eni-102010ab 198.51.100.1 192.0.2.1 443 49152 6 "
              "10 840 1439387263 1439387264 ACCEPT OK");
  want_row(p, "2 123456789010 eni-202010ab - - None None None None None "
              "1439387263 1439387264 - NODATA");
  want_row(p, "2 123456789010 eni-202010ab 198.51.100.7 192.0.2.156 80 100 "
              "8080 None None 1439387263 1439387264 - NODATA");
  want_eof(p);
  vf_parquet_close(p);
}

/* Values that cannot be one token are reported, and reading goes on */
static void test_bad_rows(void **state){
  static const char *zSpace =
    "Parquet column 'account_id': value contains a space";
  VfParquet *p = open_ok(FX("badrow.parquet"));
  const char *z;
  size_t n;
  (void)state;
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_PARQUET_BADROW);
  assert_int_equal(n, strlen(zSpace));
  assert_memory_equal(z, zSpace, n);
  assert_int_equal(vf_parquet_rowno(p), 1);
  assert_int_equal(vf_parquet_next_row(p, &z, &n), VF_PARQUET_BADROW);
  assert_memory_equal(z, "Parquet column 'account_id': empty string", n);
  want_row(p, "3 ok");
  assert_int_equal(vf_parquet_rowno(p), 3);
  want_eof(p);
  vf_parquet_close(p);
}

/* Other physical and logical types as text */
static void test_types(void **state){
  VfParquet *p = open_ok(FX("types.parquet"));
  (void)state;
  want_header(p, "b f d u32 u64 i32");
  want_row(p, "1 1.5 0.25 4294967295 18446744073709551615 -7");
  want_eof(p);
  vf_parquet_close(p);
}

/* Features outside the supported set: clear errors naming them */
static void test_unsupported(void **state){
  (void)state;
  /* A codec is refused when the file is opened, so that count(*), which
  ** decodes no column, cannot count rows SELECT * cannot read. */
#if !__has_include(<zstd.h>)
  want_open_error(FX("v2-zstd.parquet"), "unsupported Parquet feature: "
      "column 'version' uses codec ZSTD, which vpcflow does not read (this "
      "build has no libzstd: install libzstd-dev and build again)");
#endif
  want_open_error(FX("v2-lz4.parquet"), "unsupported Parquet feature: "
      "column 'version' uses codec LZ4_RAW, which vpcflow does not read");
  want_read_error(FX("decimal.parquet"), 0, "unsupported Parquet feature: "
      "DECIMAL values (column 'bytes')");
  want_open_error(FX("nested-struct.parquet"),
                  "unsupported Parquet feature: nested columns");
  want_open_error(FX("nested-list.parquet"),
                  "unsupported Parquet feature: nested columns");
  want_open_error(FX("encrypted.parquet"),
                  "unsupported Parquet feature: encrypted files");
}

/* Corrupt files: errors, never wrong rows */
static void test_corrupt(void **state){
  (void)state;
  want_open_error(FX("bad-magic.parquet"),
                  "not a Parquet file: no PAR1 magic at the start");
  want_open_error(FX("truncated-tail.parquet"),
                  "corrupt Parquet file: no PAR1 magic at the end "
                  "(truncated?)");
  want_open_error(FX("truncated-footer.parquet"),
                  "corrupt Parquet file: the footer is truncated");
  want_open_error(FX("footer-past-end.parquet"),
                  "corrupt Parquet file: footer length 2981 is past the start "
                  "of the file (2881 bytes)");
  want_read_error(FX("page-size-past-chunk.parquet"), 0,
                  "corrupt Parquet file: row group 0, column 'version': "
                  "page size is past the end of its column chunk");
  want_read_error(FX("page-size-wrong-gzip.parquet"), 0,
                  "corrupt Parquet file: row group 0, column 'version': "
                  "bad gzip data or wrong page size");
  want_open_error("fixtures/parquet/no-such-file.parquet",
                  "cannot open: No such file or directory");
  want_open_error("fixtures/parquet",
                  "not a regular file (Parquet needs random access)");
  want_open_error("fixtures/parquet/make.mjs",
                  "not a Parquet file: no PAR1 magic at the start");
}

/*
** Damage a good file byte by byte (deterministically) and read it all:
** every result must be rows, then EOF or a clean error; under ASan this
** also proves no out-of-bounds access. Not a replacement for the fuzzer,
** a quick sweep over every byte of small files.
*/
static void test_damage_sweep(void **state){
  static const char *azFile[] = {
    FX("v2-dict-gzip.parquet"), FX("v2-pagev2-snappy.parquet"),
    FX("required.parquet"), FX("v2-pagev2-delta.parquet"),
  };
  char zTmp[] = "/tmp/vf_parquet_XXXXXX";
  int fd = mkstemp(zTmp);
  size_t f;
  (void)state;
  assert_true(fd>=0);
  for(f=0; f<sizeof(azFile)/sizeof(azFile[0]); f++){
    FILE *in = fopen(azFile[f], "rb");
    unsigned char a[8192], *b = malloc(sizeof(a));
    size_t n, i;
    assert_non_null(in);
    assert_non_null(b);
    n = fread(a, 1, sizeof(a), in);
    fclose(in);
    /* One file, rewritten in place: same size every time. */
    assert_int_equal(ftruncate(fd, (off_t)n), 0);
    for(i=0; i<n; i++){
      static const unsigned char aXor[] = { 0x01, 0x80, 0xff, 0x40 };
      VfParquet *p;
      char zErr[512];
      const char *z;
      size_t nz;
      int rc, nRow = 0;
      memcpy(b, a, n);
      b[i] ^= aXor[i%4];
      assert_int_equal(pwrite(fd, b, n, 0), (ssize_t)n);
      if( vf_parquet_open(zTmp, &p, zErr, sizeof(zErr)) ){
        assert_true(strncmp(zErr, "'/tmp/vf_parquet_", 17)==0);
        continue;
      }
      while( (rc = vf_parquet_next_row(p, &z, &nz))==VF_LINE_OK
          || rc==VF_PARQUET_BADROW ){
        assert_true(nz<=VF_READER_MAX_LINE);
        nRow++;
      }
      assert_true(rc==VF_LINE_EOF || rc==VF_LINE_ERROR);
      assert_true((rc==VF_LINE_ERROR)==(vf_parquet_errmsg(p)[0]!=0));
      assert_true(nRow<=vf_parquet_row_count(p));
      vf_parquet_close(p);
    }
    free(b);
  }
  close(fd);
  unlink(zTmp);
}

static void test_magic(void **state){
  (void)state;
  assert_true(vf_parquet_magic("PAR1xyz", 7));
  assert_true(vf_parquet_magic("PARE", 4));
  assert_false(vf_parquet_magic("PAR", 3));
  assert_false(vf_parquet_magic("\x1f\x8b\x08\x00", 4));
  vf_parquet_close(0);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_v2_every_encoding),
    cmocka_unit_test(test_v5_matches_text_fixture),
    cmocka_unit_test(test_required_and_mixed_pages),
    cmocka_unit_test(test_many_rows),
    cmocka_unit_test(test_select),
    cmocka_unit_test(test_prune),
    cmocka_unit_test(test_flows_parquet),
    cmocka_unit_test(test_bad_rows),
    cmocka_unit_test(test_types),
    cmocka_unit_test(test_unsupported),
    cmocka_unit_test(test_corrupt),
    cmocka_unit_test(test_damage_sweep),
    cmocka_unit_test(test_magic),
  };
  return cmocka_run_group_tests_name("parquet", tests, NULL, NULL);
}
