/*
** test_threads.c - two connections in two threads scanning the same files
** at once give the same, correct answers. Built and run also under
** ThreadSanitizer (make tsan): the extension keeps no global mutable
** state, each connection has its own error log, each cursor its own
** reader.
*/
#include "test.h"
#include <pthread.h>
#include <unistd.h>

#define NROW 20000


typedef struct Job Job;
struct Job {
  const char *zSql;          /* query returning one integer */
  int nRep;                  /* times to run it */
  sqlite3_int64 iResult;     /* the last result, -1 on error */
  char zErr[200];            /* the error, if any */
};

/* Open a connection of our own, run the job's query nRep times. */
static void *run_job(void *pArg){
  Job *p = (Job*)pArg;
  sqlite3 *db = 0;
  char *zErr = 0;
  int i;
  p->iResult = -1;
  if( sqlite3_open(":memory:", &db)!=SQLITE_OK
   || sqlite3_vpcflow_init(db, &zErr, 0)!=SQLITE_OK ){
    snprintf(p->zErr, sizeof(p->zErr), "open: %s", zErr ? zErr : "?");
    sqlite3_free(zErr);
    sqlite3_close(db);
    return 0;
  }
  for(i=0; i<p->nRep; i++){
    sqlite3_stmt *pStmt = 0;
    if( sqlite3_prepare_v2(db, p->zSql, -1, &pStmt, 0)!=SQLITE_OK
     || sqlite3_step(pStmt)!=SQLITE_ROW ){
      snprintf(p->zErr, sizeof(p->zErr), "%s", sqlite3_errmsg(db));
      sqlite3_finalize(pStmt);
      p->iResult = -1;
      break;
    }
    p->iResult = sqlite3_column_int64(pStmt, 0);
    sqlite3_finalize(pStmt);
  }
  sqlite3_close(db);
  return 0;
}

static void test_two_threads(void **state){
  char zPlain[128], zSql1[256], zSql2[256], zCmd[300];
  FILE *f;
  Job a, b;
  pthread_t t1, t2;
  sqlite3_int64 iSum = 0;
  int i;
  (void)state;
  /* one plain and one gzip file with the same NROW records, one bad line */
  snprintf(zPlain, sizeof(zPlain), "%s/a.log", zDir);
  f = fopen(zPlain, "wb");
  assert_non_null(f);
  fputs("version account-id interface-id srcaddr dstaddr srcport dstport "
        "protocol packets bytes start end action log-status\n", f);
  for(i=0; i<NROW; i++){
    fprintf(f, "2 1 eni-a 10.0.%d.%d 10.1.0.1 %d 443 6 2 %d 1700000000 "
               "1700000060 %s OK\n", i/256%256, i%256, 1024+i%5000, i,
               i%10==0 ? "REJECT" : "ACCEPT");
    iSum += i;
  }
  fputs("2 1 eni-a bad line\n", f);
  fclose(f);
  snprintf(zCmd, sizeof(zCmd), "gzip -c '%s' > '%s/b.log.gz'", zPlain, zDir);
  assert_int_equal(system(zCmd), 0);

  snprintf(zSql1, sizeof(zSql1),
           "SELECT sum(bytes) FROM vpcflow('%s') WHERE action IN ('ACCEPT','REJECT')", zDir);
  snprintf(zSql2, sizeof(zSql2),
           "SELECT count(*) + (SELECT count(*) FROM vpcflow_errors)*1000000 "
           "FROM vpcflow('%s/*.gz') WHERE action='REJECT'", zDir);
  memset(&a, 0, sizeof(a));
  memset(&b, 0, sizeof(b));
  a.zSql = zSql1; a.nRep = 5;
  b.zSql = zSql2; b.nRep = 5;
  assert_int_equal(pthread_create(&t1, 0, run_job, &a), 0);
  assert_int_equal(pthread_create(&t2, 0, run_job, &b), 0);
  pthread_join(t1, 0);
  pthread_join(t2, 0);
  if( a.iResult<0 ) fail_msg("thread 1: %s", a.zErr);
  if( b.iResult<0 ) fail_msg("thread 2: %s", b.zErr);
  /* both files, every record: twice the sum of 0..NROW-1 */
  assert_true(a.iResult==2*iSum);
  /* every 10th record rejected; one bad line in this connection's log */
  assert_true(b.iResult==NROW/10 + 1000000);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_two_threads),
  };
  return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
