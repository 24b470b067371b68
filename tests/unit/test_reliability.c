/*
** test_reliability.c - faults on the way to a file and while reading it
** (issue 18): folders and files that cannot be read, run as a non-root
** user; each gives an error row naming the path and the OS reason, or in
** strict mode a statement error, never a silently smaller result.
**
** Expected counts come from the fixture: fixtures/v2/basic.log holds a
** header and 8 records (fixtures/README.md).
*/
#include "test.h"
#include <sys/stat.h>
#include <unistd.h>

#define BASIC_ROWS "8"

/* "zDir/zRel" into a static buffer. */
static const char *dpath(const char *zRel){
  static char z[256];
  snprintf(z, sizeof(z), "%s/%s", zDir, zRel);
  return z;
}

static void copy_basic(const char *zRel){
  char zCmd[600];
  snprintf(zCmd, sizeof(zCmd), "cp fixtures/v2/basic.log '%s'", dpath(zRel));
  assert_int_equal(system(zCmd), 0);
}

static void make_dir(const char *zRel){
  assert_int_equal(mkdir(dpath(zRel), 0755), 0);
}

/*
** vf_test_as_nobody() callback: run the ';'-free statements in the
** NULL-terminated array pArg on a fresh connection; the result of each
** (run_sql(): rows or "ERROR: ...") on its own line, zDir shown as "D".
** malloc'd.
*/
static char *run_sqls_cb(void *pArg){
  const char **azSql = (const char**)pArg;
  sqlite3 *db = 0;
  char *zErr = 0;
  sqlite3_str *pOut = sqlite3_str_new(0);
  char *zRes, *zCopy;
  size_t nDir = strlen(zDir);
  int i;
  if( sqlite3_open(":memory:", &db)
   || sqlite3_vpcflow_init(db, &zErr, 0) ) return 0;
  for(i=0; azSql[i]; i++){
    char *z = run_sql(db, azSql[i]);
    char *p = z;
    /* replace each occurrence of the scratch directory with "D" */
    while( p && *p ){
      char *q = strstr(p, zDir);
      if( q==0 ){
        sqlite3_str_appendall(pOut, p);
        break;
      }
      sqlite3_str_append(pOut, p, (int)(q-p));
      sqlite3_str_appendall(pOut, "D");
      p = q + nDir;
    }
    sqlite3_str_appendall(pOut, "\n");
    sqlite3_free(z);
  }
  sqlite3_close(db);
  zRes = sqlite3_str_finish(pOut);
  zCopy = zRes ? strdup(zRes) : 0;
  sqlite3_free(zRes);
  return zCopy;
}

/* Run the statements as nobody and compare the output with zWant. */
static void expect_sqls_as_nobody(const char **azSql, const char *zWant){
  char *zGot = vf_test_as_nobody(run_sqls_cb, (void*)azSql);
  if( zGot==0 ) fail_msg("could not run as nobody");
  if( strcmp(zGot, zWant)!=0 ){
    fail_msg("as nobody:\n--- got\n%s--- want\n%s", zGot, zWant);
  }
  free(zGot);
}

/*
** The reproduction: p/a.log and p/hidden/sub/c.log with p/hidden
** mode 744 (listable, not enterable by others). Before, vpcflow('p', NULL,
** 1) returned a.log's rows and no error. Now the subtree is an error row
** (and in strict mode the statement fails naming it); a mode 000 folder
** and an unreadable named file behave the same way.
*/
static void test_unreadable_subtree(void **state){
  char zQ[8][700];
  const char *azSql[9];
  char zWant[4000];
  (void)state;
  make_dir("p");
  make_dir("p/hidden");
  make_dir("p/hidden/sub");
  copy_basic("p/a.log");
  copy_basic("p/hidden/sub/c.log");
  assert_int_equal(chmod(dpath("p/hidden"), 0744), 0);
  snprintf(zQ[0], 700, "SELECT count(*) FROM vpcflow('%s')", dpath("p"));
  snprintf(zQ[1], 700, "SELECT file, line IS NULL, reason FROM vpcflow_errors");
  snprintf(zQ[2], 700, "SELECT count(*) FROM vpcflow('%s', NULL, 1)",
           dpath("p"));
  snprintf(zQ[3], 700, "SELECT count(*) FROM vpcflow('%s')",
           dpath("p/**/*.log"));
  snprintf(zQ[4], 700, "SELECT count(*) FROM vpcflow('%s', NULL, 1)",
           dpath("p/hidden"));
  azSql[0] = zQ[0]; azSql[1] = zQ[1]; azSql[2] = zQ[2]; azSql[3] = zQ[3];
  azSql[4] = zQ[1]; azSql[5] = zQ[4]; azSql[6] = 0;
  snprintf(zWant, sizeof(zWant),
    BASIC_ROWS "\n"
    "D/p/hidden/sub|1|cannot read: Permission denied\n"
    "ERROR: vpcflow: D/p/hidden/sub: cannot read: Permission denied\n"
    BASIC_ROWS "\n"
    "D/p/hidden/sub|1|cannot read: Permission denied\n"
    "ERROR: vpcflow: D/p/hidden/sub: cannot read: Permission denied\n");
  expect_sqls_as_nobody(azSql, zWant);

  /* mode 000: the folder cannot be listed; the same three outcomes */
  assert_int_equal(chmod(dpath("p/hidden"), 0), 0);
  snprintf(zWant, sizeof(zWant),
    BASIC_ROWS "\n"
    "D/p/hidden|1|cannot read directory: Permission denied\n"
    "ERROR: vpcflow: D/p/hidden: cannot read directory: Permission denied\n"
    BASIC_ROWS "\n"
    "D/p/hidden|1|cannot read directory: Permission denied\n"
    "ERROR: vpcflow: D/p/hidden: cannot read directory: Permission denied\n");
  expect_sqls_as_nobody(azSql, zWant);
  assert_int_equal(chmod(dpath("p/hidden"), 0755), 0);

  /* an unreadable file, named or met on the walk: an error row; a scan
  ** with nothing else fails with that reason; strict fails at once */
  assert_int_equal(chmod(dpath("p/hidden/sub/c.log"), 0), 0);
  snprintf(zQ[5], 700, "SELECT count(*) FROM vpcflow('%s')",
           dpath("p/hidden/sub/c.log"));
  azSql[0] = zQ[0]; azSql[1] = zQ[1]; azSql[2] = zQ[2]; azSql[3] = zQ[5];
  azSql[4] = 0;
  snprintf(zWant, sizeof(zWant),
    BASIC_ROWS "\n"
    "D/p/hidden/sub/c.log|1|cannot open 'D/p/hidden/sub/c.log': "
    "Permission denied\n"
    "ERROR: vpcflow: D/p/hidden/sub/c.log: cannot open "
    "'D/p/hidden/sub/c.log': Permission denied\n"
    "ERROR: vpcflow: no line could be read: D/p/hidden/sub/c.log: "
    "cannot open 'D/p/hidden/sub/c.log': Permission denied\n");
  expect_sqls_as_nobody(azSql, zWant);
  assert_int_equal(chmod(dpath("p/hidden/sub/c.log"), 0644), 0);
}

/*
** Faults that hit root too run in this process (leaks show under ASan):
** a symlink loop inside the folder (ELOOP) and a dangling link with a
** log's name are error rows; the other files are read.
*/
static void test_loop_rows(void **state){
  sqlite3 *db = open_db();
  char *zSql;
  (void)state;
  make_dir("q");
  copy_basic("q/a.log");
  assert_int_equal(symlink("self", dpath("q/self")), 0);
  assert_int_equal(symlink("gone.log", dpath("q/b.log")), 0);
  zSql = sqlite3_mprintf("SELECT count(*) FROM vpcflow('%q')", dpath("q"));
  CHECK(zSql, BASIC_ROWS);
  sqlite3_free(zSql);
  zSql = sqlite3_mprintf("SELECT substr(file, %d), line IS NULL, reason "
                         "FROM vpcflow_errors", (int)strlen(zDir)+2);
  CHECK(zSql, "q/b.log|1|dangling symbolic link: No such file or directory\n"
              "q/self|1|cannot read: Too many levels of symbolic links");
  sqlite3_free(zSql);
  zSql = sqlite3_mprintf("SELECT count(*) FROM vpcflow('%q', NULL, 1)",
                         dpath("q"));
  {
    char zWant[600];
    snprintf(zWant, sizeof(zWant), "ERROR: vpcflow: %s/q/b.log: dangling "
             "symbolic link: No such file or directory", zDir);
    CHECK(zSql, zWant);
  }
  sqlite3_free(zSql);
  sqlite3_close(db);
}

static int setup(void **state){
  if( tmpdir_setup(state) ) return -1;
  return chmod(zDir, 0755);              /* nobody must reach the files */
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_unreadable_subtree),
    cmocka_unit_test(test_loop_rows),
  };
  return cmocka_run_group_tests_name("reliability", tests, setup,
                                     tmpdir_teardown);
}
