/*
** test.h - includes every cmocka test needs, in the order cmocka wants,
** and the helpers the SQL-level tests share.
*/
#ifndef VPCFLOW_TEST_H
#define VPCFLOW_TEST_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sqlite3.h>

/* The extension's entry point, linked statically (SQLITE_CORE). */
int sqlite3_vpcflow_init(sqlite3*, char**, const sqlite3_api_routines*);

/* ---- helpers shared by the SQL-level tests ----
** Static and marked unused: each test binary is one .c file and uses
** some of them. */
#define VF_TEST_UNUSED __attribute__((unused))

/* Open :memory: with the extension, as the loadable .so would be. */
VF_TEST_UNUSED static int setup_db(void **state){
  sqlite3 *db = 0;
  char *zErr = 0;
  assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
  assert_int_equal(sqlite3_vpcflow_init(db, &zErr, 0), SQLITE_OK);
  assert_null(zErr);
  *state = db;
  return 0;
}

/* Closing must succeed: an unfinalized statement would make it fail. */
VF_TEST_UNUSED static int teardown_db(void **state){
  assert_int_equal(sqlite3_close((sqlite3*)*state), SQLITE_OK);
  return 0;
}

/*
** Run one statement and return its rows as text: columns joined by '|',
** rows by '\n', NULL as "NULL"; or "ERROR: message". Free with
** sqlite3_free().
*/
VF_TEST_UNUSED static char *run_sql(sqlite3 *db, const char *zSql){
  sqlite3_stmt *pStmt = 0;
  sqlite3_str *pOut = sqlite3_str_new(db);
  int rc = sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0);
  int nRow = 0;
  if( rc==SQLITE_OK ){
    while( (rc = sqlite3_step(pStmt))==SQLITE_ROW ){
      int i, n = sqlite3_column_count(pStmt);
      if( nRow++ ) sqlite3_str_appendchar(pOut, 1, '\n');
      for(i=0; i<n; i++){
        if( i ) sqlite3_str_appendchar(pOut, 1, '|');
        if( sqlite3_column_type(pStmt, i)==SQLITE_NULL ){
          sqlite3_str_appendall(pOut, "NULL");
        }else{
          sqlite3_str_appendall(pOut, (const char*)sqlite3_column_text(pStmt, i));
        }
      }
    }
  }
  if( rc!=SQLITE_DONE ){
    sqlite3_str_reset(pOut);
    sqlite3_str_appendf(pOut, "ERROR: %s", sqlite3_errmsg(db));
  }
  sqlite3_finalize(pStmt);
  return sqlite3_str_finish(pOut);
}

/* Fail, showing the statement, unless it yields exactly zExpect. */
VF_TEST_UNUSED static void check_sql(sqlite3 *db, const char *zSql, const char *zExpect,
                      int iLine){
  char *zGot = run_sql(db, zSql);
  if( zGot==0 || strcmp(zGot, zExpect)!=0 ){
    print_error("line %d: %s\n  expected: %s\n  got:      %s\n",
                iLine, zSql, zExpect, zGot ? zGot : "(out of memory)");
    sqlite3_free(zGot);
    fail();
  }
  sqlite3_free(zGot);
}
#define CHECK(SQL, EXPECT) check_sql(db, SQL, EXPECT, __LINE__)

/* Run statements that return nothing (setup). */
VF_TEST_UNUSED static void exec_ok(sqlite3 *db, const char *zSql){
  char *zErr = 0;
  int rc = sqlite3_exec(db, zSql, 0, 0, &zErr);
  if( rc!=SQLITE_OK ) print_error("%s: %s\n", zSql, zErr ? zErr : "?");
  sqlite3_free(zErr);
  assert_int_equal(rc, SQLITE_OK);
}

/* A :memory: connection with the extension; the caller closes it. */
VF_TEST_UNUSED static sqlite3 *open_db(void){
  sqlite3 *db = 0;
  char *zErr = 0;
  assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
  assert_int_equal(sqlite3_vpcflow_init(db, &zErr, 0), SQLITE_OK);
  return db;
}

/* Run SQL returning one integer (printf-style SQL). */
VF_TEST_UNUSED static sqlite3_int64 query_int(sqlite3 *db, const char *zFmt, ...){
  va_list ap;
  char *zSql;
  sqlite3_stmt *pStmt = 0;
  sqlite3_int64 v;
  va_start(ap, zFmt);
  zSql = sqlite3_vmprintf(zFmt, ap);
  va_end(ap);
  if( sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0)!=SQLITE_OK ){
    fail_msg("prepare %s: %s", zSql, sqlite3_errmsg(db));
  }
  if( sqlite3_step(pStmt)!=SQLITE_ROW ){
    fail_msg("step %s: %s", zSql, sqlite3_errmsg(db));
  }
  v = sqlite3_column_int64(pStmt, 0);
  sqlite3_finalize(pStmt);
  sqlite3_free(zSql);
  return v;
}

/* Run SQL expecting an error; return the message (static copy). */
VF_TEST_UNUSED static const char *query_error(sqlite3 *db, const char *zSql){
  static char zMsg[512];
  sqlite3_stmt *pStmt = 0;
  int rc = sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0);
  if( rc==SQLITE_OK ){
    while( (rc = sqlite3_step(pStmt))==SQLITE_ROW ){}
  }
  assert_true(rc!=SQLITE_OK && rc!=SQLITE_DONE);
  snprintf(zMsg, sizeof(zMsg), "%s", sqlite3_errmsg(db));
  sqlite3_finalize(pStmt);
  return zMsg;
}

/*
** Run xRun(pArg) in a forked child as user "nobody" (uid/gid 65534) and
** return the text it returns, read back through a pipe (malloc'd; the
** caller frees it). Permission tests need this: root reads any folder,
** and the tests run as root in CI. Already non-root: the child keeps its
** user. The child leaves with _exit(), so no leak check runs in it (the
** sanitizers cannot stop the world of a process that changed its user);
** the tests check leaks through paths that fail for root too. Returns
** NULL, after printing why, if the user cannot be changed.
*/
#include <sys/wait.h>
#include <unistd.h>
VF_TEST_UNUSED static char *vf_test_as_nobody(char *(*xRun)(void*),
                                              void *pArg){
  int aPipe[2], st = 0;
  pid_t pid;
  char *zOut = 0;
  size_t nOut = 0, nAlloc = 0;
  if( pipe(aPipe) ) return 0;
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if( pid<0 ) return 0;
  if( pid==0 ){
    /* declared here: <grp.h> hides it from tests that ask for a strict
    ** _XOPEN_SOURCE */
    extern int setgroups(size_t, const gid_t*);
    char *z;
    size_t n, i = 0;
    close(aPipe[0]);
    if( geteuid()==0 && (setgroups(0, 0) || setgid(65534) || setuid(65534)) ){
      _exit(3);
    }
    z = xRun(pArg);
    n = z ? strlen(z) : 0;
    while( i<n ){
      ssize_t k = write(aPipe[1], z+i, n-i);
      if( k<=0 ) _exit(4);
      i += (size_t)k;
    }
    _exit(z ? 0 : 5);
  }
  close(aPipe[1]);
  for(;;){
    ssize_t k;
    if( nOut+4096+1>nAlloc ){
      nAlloc = nAlloc*2 + 8192;
      zOut = realloc(zOut, nAlloc);
      if( zOut==0 ) break;
    }
    k = read(aPipe[0], zOut+nOut, 4096);
    if( k<=0 ) break;
    nOut += (size_t)k;
  }
  close(aPipe[0]);
  waitpid(pid, &st, 0);
  if( zOut==0 ) return 0;
  zOut[nOut] = 0;
  if( !WIFEXITED(st) || WEXITSTATUS(st)!=0 ){
    print_message("cannot run as nobody (child status %d)\n", st);
    free(zOut);
    return 0;
  }
  return zOut;
}

/* The scratch directory of a test binary, made before its tests and
** removed after them (cmocka group setup and teardown). */
VF_TEST_UNUSED static char zDir[64];

VF_TEST_UNUSED static int tmpdir_setup(void **state){
  (void)state;
  strcpy(zDir, "/tmp/vpcflow-test-XXXXXX");
  return mkdtemp(zDir) ? 0 : -1;
}

VF_TEST_UNUSED static int tmpdir_teardown(void **state){
  char zCmd[128];
  (void)state;
  snprintf(zCmd, sizeof(zCmd), "rm -rf '%s'", zDir);
  return system(zCmd);
}

#endif
