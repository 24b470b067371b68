/*
** test_hostile.c - hostile input: files that change under the scan, odd
** path names, lines of very many fields, random bytes, and every kind of
** argument value. Each case gives a clear error or a documented result,
** never a crash, a hang or unbounded memory.
*/
#include "test.h"
#include <unistd.h>
#include <sys/stat.h>


#define V2_HEADER "version account-id interface-id srcaddr dstaddr srcport " \
  "dstport protocol packets bytes start end action log-status\n"
#define V2_LINE "2 1 eni-a 10.0.0.1 10.0.0.2 443 80 6 1 100 1 2 ACCEPT OK\n"

/* Write n copies of zLine after an optional header into zPath. */
static void write_lines(const char *zPath, int bHeader, const char *zLine,
                        int n){
  FILE *f = fopen(zPath, "wb");
  int i;
  assert_non_null(f);
  if( bHeader ) fputs(V2_HEADER, f);
  for(i=0; i<n; i++) fputs(zLine, f);
  fclose(f);
}

/*
** A file truncated in the middle of a scan: the rows read before stay,
** the scan ends where the change was seen, with an error entry (see
** test_reliability.c for the exact accounting). A file appended to during
** a scan: read to the size it had when opened.
*/
static void test_file_changes_under_scan(void **state){
  sqlite3 *db = open_db();
  sqlite3_stmt *pStmt;
  char zPath[128], *zSql;
  int n = 0, i;
  FILE *f;
  (void)state;
  snprintf(zPath, sizeof(zPath), "%s/shrink.log", zDir);
  write_lines(zPath, 1, V2_LINE, 100000);
  zSql = sqlite3_mprintf("SELECT srcport FROM vpcflow(%Q)", zPath);
  assert_int_equal(sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0), SQLITE_OK);
  for(i=0; i<10; i++){
    assert_int_equal(sqlite3_step(pStmt), SQLITE_ROW);
    n++;
  }
  assert_int_equal(truncate(zPath, 0), 0);
  while( sqlite3_step(pStmt)==SQLITE_ROW ) n++;
  assert_int_equal(sqlite3_finalize(pStmt), SQLITE_OK);
  /* what the reader had buffered before the cut is still read: at least
  ** the 10 rows, at most the whole file, and never a crash */
  assert_true(n>=10 && n<=100000);
  sqlite3_free(zSql);

  snprintf(zPath, sizeof(zPath), "%s/grow.log", zDir);
  write_lines(zPath, 1, V2_LINE, 3);
  zSql = sqlite3_mprintf("SELECT srcport FROM vpcflow(%Q)", zPath);
  assert_int_equal(sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0), SQLITE_OK);
  assert_int_equal(sqlite3_step(pStmt), SQLITE_ROW);
  f = fopen(zPath, "ab");
  for(i=0; i<5; i++) fputs(V2_LINE, f);
  fclose(f);
  n = 1;
  while( sqlite3_step(pStmt)==SQLITE_ROW ) n++;
  assert_int_equal(sqlite3_finalize(pStmt), SQLITE_OK);
  /* a plain file is read to the size it had when the scan opened it
  ** (README, "Files that change under a scan") */
  assert_int_equal(n, 3);
  sqlite3_free(zSql);
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Paths with quotes, brackets, stars, spaces and a newline: each file is
** read as itself, since it exists. */
static void test_odd_path_names(void **state){
  static const char *azName[] = { "it's.log", "a\"b.log", "[x].log",
    "star*.log", "sp ace.log", "new\nline.log", "q?.log" };
  sqlite3 *db = open_db();
  size_t i;
  (void)state;
  for(i=0; i<sizeof(azName)/sizeof(azName[0]); i++){
    char zPath[128];
    snprintf(zPath, sizeof(zPath), "%s/%s", zDir, azName[i]);
    write_lines(zPath, 1, V2_LINE, (int)i+1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow(%Q)", zPath),
                     (sqlite3_int64)i+1);
    assert_int_equal(query_int(db,
      "SELECT count(*) FROM vpcflow(%Q) WHERE log_file=%Q", zPath, zPath),
      (sqlite3_int64)i+1);
  }
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* A line of 30,000 fields is a field-count error; a line of a million
** fields is over the length limit. Neither is held whole in memory. */
static void test_many_fields(void **state){
  sqlite3 *db = open_db();
  char zPath[128];
  FILE *f;
  int i;
  (void)state;
  snprintf(zPath, sizeof(zPath), "%s/fields.log", zDir);
  f = fopen(zPath, "wb");
  fputs(V2_HEADER, f);
  for(i=0; i<30000; i++) fputs("1 ", f);
  fputs("\n", f);
  for(i=0; i<1000000; i++) fputs("1 ", f);
  fputs("\n" V2_LINE, f);
  fclose(f);
  assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow(%Q)", zPath), 1);
  assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow_errors "
    "WHERE line=2 AND reason='wrong field count: expected 14, found 30000'"), 1);
  assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow_errors "
    "WHERE line=3 AND reason='line too long (over 65536 bytes)'"), 1);
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/*
** 1 MB from /dev/urandom (copied to a file: the device itself never
** ends). Random bytes are not a flow log: its first block is binary, so
** the file is one error, not an entry per "line" (issue 18, item 6).
*/
static void test_random_bytes(void **state){
  sqlite3 *db = open_db();
  char zPath[128], zCmd[256];
  sqlite3_int64 iPeak;
  (void)state;
  snprintf(zPath, sizeof(zPath), "%s/random.log", zDir);
  snprintf(zCmd, sizeof(zCmd), "head -c 1000000 /dev/urandom > '%s'", zPath);
  assert_int_equal(system(zCmd), 0);
  sqlite3_memory_highwater(1);
  /* no line is a record: the scan fails, naming the file and why */
  {
    char *zSql = sqlite3_mprintf("SELECT count(*) FROM vpcflow(%Q)", zPath);
    char *zWant = sqlite3_mprintf("vpcflow: no line could be read: %s: "
                                  "not a flow log (binary data at byte ",
                                  zPath);
    const char *zGot = query_error(db, zSql);
    if( strncmp(zGot, zWant, strlen(zWant))!=0 ){
      fail_msg("'%s', want '%s...'", zGot, zWant);
    }
    sqlite3_free(zSql);
    sqlite3_free(zWant);
  }
  iPeak = sqlite3_memory_highwater(0);
  assert_true(query_int(db, "SELECT count(*) FROM vpcflow_errors")>0);
  /* the log keeps at most 1000 bytes of each of at most 10000 lines */
  assert_true(iPeak < 16*1024*1024);
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Every kind of value as the table's arguments. */
static void test_argument_types(void **state){
  static const struct { const char *zSql; const char *zErr; } a[] = {
    { "SELECT * FROM vpcflow(NULL)", "vpcflow: the path argument is NULL" },
    /* a number or a blob is a misplaced argument, not a file name */
    { "SELECT * FROM vpcflow(12345)",
      "vpcflow: the path argument must be text, not an integer (12345)" },
    { "SELECT * FROM vpcflow(1.5)",
      "vpcflow: the path argument must be text, not a real (1.5)" },
    { "SELECT * FROM vpcflow(x'6e6f7065')",
      "vpcflow: the path argument must be text, not a blob" },
    { "SELECT * FROM vpcflow('')", "vpcflow: empty path" },
    { "SELECT * FROM vpcflow('/tmp', 42)",
      "vpcflow: the format argument must be text, not an integer (42)" },
    { "SELECT * FROM vpcflow('/tmp', x'00')",
      "vpcflow: the format argument must be text, not a blob" },
    /* strict: SQLite's boolean spellings only, the value named */
    { "SELECT * FROM vpcflow('/tmp', NULL, 0.0)", "vpcflow: strict must be "
      "a boolean (1/0, yes/no, on/off, true/false), not '0.0'" },
    { "SELECT * FROM vpcflow('/tmp', NULL, 2)", "vpcflow: strict must be "
      "a boolean (1/0, yes/no, on/off, true/false), not '2'" },
    { "SELECT * FROM vpcflow('/tmp', NULL, 'maybe')", "vpcflow: strict must "
      "be a boolean (1/0, yes/no, on/off, true/false), not 'maybe'" },
    { "SELECT * FROM vpcflow('/tmp', NULL, x'01')", "vpcflow: strict must "
      "be a boolean (1/0, yes/no, on/off, true/false), not a blob" },
    /* a 4th argument would have filtered on log_file: refused */
    { "SELECT * FROM vpcflow('/tmp', NULL, 0, '/tmp/x.log')",
      "vpcflow: too many arguments: vpcflow(path, format, strict) takes at "
      "most 3" },
    { "SELECT * FROM vpcflow('/tmp', NULL, 0, 1, 2, 3)",
      "vpcflow: too many arguments: vpcflow(path, format, strict) takes at "
      "most 3" },
    /* CREATE form: one path, each option once, strict a boolean */
    { "CREATE VIRTUAL TABLE temp.c1 USING vpcflow('/tmp', '/var')",
      "vpcflow: unexpected argument '/var': the path is given once; the "
      "others are format=... and strict=..." },
    { "CREATE VIRTUAL TABLE temp.c2 USING vpcflow('/tmp', strict=sometimes)",
      "vpcflow: strict must be a boolean (1/0, yes/no, on/off, true/false), "
      "not 'sometimes'" },
    { "CREATE VIRTUAL TABLE temp.c3 USING vpcflow('/tmp', strict=1, "
      "strict=0)", "vpcflow: more than one strict given" },
    { "CREATE VIRTUAL TABLE temp.c4 USING vpcflow('/tmp', format='${srcaddr}',"
      " format='${dstaddr}')", "vpcflow: more than one format given" },
    { "CREATE VIRTUAL TABLE temp.c5 USING vpcflow('/tmp', colour=red)",
      "vpcflow: unknown argument 'colour' (expected path, format or strict)" },
  };
  sqlite3 *db = open_db();
  size_t i;
  (void)state;
  for(i=0; i<sizeof(a)/sizeof(a[0]); i++){
    sqlite3_stmt *pStmt = 0;
    int rc = sqlite3_prepare_v2(db, a[i].zSql, -1, &pStmt, 0);
    if( rc==SQLITE_OK ) rc = sqlite3_step(pStmt);
    assert_int_equal(rc, SQLITE_ERROR);
    assert_string_equal(sqlite3_errmsg(db), a[i].zErr);
    sqlite3_finalize(pStmt);
  }
  /* strict's spellings, any case: true ones fail on the bad line 2,
  ** false ones and NULL (as if absent) give the good line 1 */
  {
    static const char *azTrue[] = { "1", "'1'", "'yes'", "'ON'", "'True'",
                                    "'YES'" };
    static const char *azFalse[] = { "0", "'0'", "'no'", "'off'", "'FALSE'",
                                     "'No'", "NULL" };
    char zPath[128], zWant[300];
    size_t k;
    snprintf(zPath, sizeof(zPath), "%s/strictarg.log", zDir);
    write_lines(zPath, 0, "2 123456789010 eni-a 10.0.0.1 10.0.0.2 1 2 6 1 40 "
                "1600000000 1600000060 ACCEPT OK\nbad\n", 1);
    snprintf(zWant, sizeof(zWant), "vpcflow: %s:2: wrong field count: "
             "expected 14, found 1", zPath);
    for(k=0; k<sizeof(azTrue)/sizeof(azTrue[0]); k++){
      char *zSql = sqlite3_mprintf("SELECT count(*) FROM vpcflow(%Q, NULL, %s)",
                                   zPath, azTrue[k]);
      assert_string_equal(query_error(db, zSql), zWant);
      sqlite3_free(zSql);
    }
    for(k=0; k<sizeof(azFalse)/sizeof(azFalse[0]); k++){
      assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow(%Q, NULL, "
                                 "%s)", zPath, azFalse[k]), 1);
    }
  }
  /* a created table takes no arguments: t('x') would filter on log_file */
  {
    char zSql[300];
    snprintf(zSql, sizeof(zSql), "CREATE VIRTUAL TABLE temp.t1 USING "
             "vpcflow('%s/strictarg.log', strict=Yes)", zDir);
    assert_int_equal(sqlite3_exec(db, zSql, 0, 0, 0), SQLITE_OK);
    assert_string_equal(query_error(db, "SELECT count(*) FROM t1('x')"),
                        "vpcflow: a table created with CREATE VIRTUAL TABLE "
                        "takes no arguments: its path, format and strict were "
                        "given when it was created");
    /* strict=Yes took: line 2 fails the scan */
    assert_true(strstr(query_error(db, "SELECT count(*) FROM t1"),
                       "strictarg.log:2: wrong field count")!=0);
  }
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_file_changes_under_scan),
    cmocka_unit_test(test_odd_path_names),
    cmocka_unit_test(test_many_fields),
    cmocka_unit_test(test_random_bytes),
    cmocka_unit_test(test_argument_types),
  };
  return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
