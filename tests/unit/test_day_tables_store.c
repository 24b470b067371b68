/*
** test_day_tables_store.c - the tables over the prepared day (day_*.c)
** take their big arrays from the day store (ext/day_store.c), so that
** past a memory budget they live in its temporary file with the day:
**
**   - with the default budget (2048 MiB) a small day and every table
**     over it stay in memory: no file block at any point;
**   - with budget 0 (every block in the file) each table, while a scan
**     of it is open, holds file blocks beyond the day's own (its groups,
**     rows, hash table or record list), and gives back every one of them
**     when the scan is closed (the first scan of att_port builds both
**     summaries, att_port's and pair's rows, kept with the day);
**   - the rows, in the table's own order, every column, are the same
**     text under both budgets: the expectation is the in-memory build
**     (malloc, as before the store existed), not the file build's own
**     output. The coverage table's spans live only inside xFilter, so
**     for it only the rows are compared.
**
** The day: 40,000 generated records (attempts from the internet and to
** it, their replies, REJECTs, UDP, NODATA, five interfaces over a day),
** enough that every table has rows and the arrays pass a page.
*/
#include "test.h"
#include "day_store.h"

#define D_COLS "CREATE TEMP TABLE d(interface_id TEXT, srcaddr TEXT, dstaddr TEXT," \
  " srcport INT, dstport INT, protocol INT, packets INT, bytes INT, start INT," \
  " \"end\" INT, action TEXT, log_status TEXT, tcp_flags INT, flow_direction TEXT);"

/* i in [0, 20000): attempt i, and for even i its reply (ports and
** addresses swapped, SYN-ACK), 80 s later at most; every 97th record a
** NODATA of the interface. */
#define D_FILL \
  "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i<19999)," \
  " a AS (SELECT i, 'eni-' || (i%5) AS eni," \
  "   CASE i%3 WHEN 0 THEN '198.51.100.' || (i%97) ELSE '10.0.' || (i%5) || '.' || (i%11) END AS s," \
  "   CASE i%3 WHEN 0 THEN '10.0.' || (i%5) || '.' || (i%11) ELSE '203.0.113.' || (i%89) END AS t," \
  "   40000 + i%1000 AS sp," \
  "   CASE i%4 WHEN 0 THEN 22 WHEN 1 THEN 443 WHEN 2 THEN 53 ELSE 3389 + i%7 END AS dp," \
  "   CASE i%4 WHEN 2 THEN 17 ELSE 6 END AS pr," \
  "   1000 + i*4 + (i%7)*300 AS st FROM n)" \
  " INSERT INTO d" \
  " SELECT eni, s, t, sp, dp, pr, 1 + i%5, 60*(1 + i%50), st, st + i%60," \
  "   CASE i%9 WHEN 0 THEN 'REJECT' ELSE 'ACCEPT' END," \
  "   CASE i%97 WHEN 0 THEN 'NODATA' ELSE 'OK' END," \
  "   CASE WHEN pr = 6 THEN 2 END, CASE i%3 WHEN 0 THEN 'ingress' ELSE 'egress' END FROM a" \
  " UNION ALL" \
  " SELECT eni, t, s, dp, sp, pr, 1, 60, st + i%80, st + i%80 + 1, 'ACCEPT', 'OK'," \
  "   CASE WHEN pr = 6 THEN 18 END, CASE i%3 WHEN 0 THEN 'egress' ELSE 'ingress' END" \
  " FROM a WHERE i%2 = 0;"

/* The scans compared, in the table's own order. */
static const char *azScan[] = {
  "SELECT * FROM vpcflow_att_port",
  "SELECT * FROM vpcflow_pair",
  "SELECT * FROM vpcflow_served",
  "SELECT * FROM vpcflow_new_dest WHERE cut = 40000",
  "SELECT * FROM vpcflow_senders",
  "SELECT * FROM vpcflow_att_keys_port WHERE n >= 2",
  "SELECT * FROM vpcflow_att_keys_pair WHERE n >= 2",
  "SELECT * FROM vpcflow_coverage_eni(60)",
  "SELECT * FROM vpcflow_coverage",          /* per-minute rows, ext/day.c */
};
#define N_SCAN (int)(sizeof(azScan)/sizeof(azScan[0]))
#define I_COVERAGE 7   /* its arrays live inside xFilter only */

/* Run zSql: every row as text, "|" between columns, "\n" after each;
** *pnFileOpen gets the store's file blocks after the first step (the
** table built, the scan open); *pnRow the rows. */
static char *scan(sqlite3 *db, const char *zSql, int *pnFileOpen, int *pnRow){
  sqlite3_stmt *pStmt = 0;
  sqlite3_str *pOut = sqlite3_str_new(0);
  VfStoreStats s;
  int rc, nRow = 0;
  assert_int_equal(sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0), SQLITE_OK);
  while( (rc = sqlite3_step(pStmt))==SQLITE_ROW ){
    int i;
    if( nRow==0 ){
      vf_store_stats(&s);
      *pnFileOpen = s.nFile;
    }
    for(i=0; i<sqlite3_column_count(pStmt); i++){
      const unsigned char *z = sqlite3_column_text(pStmt, i);
      sqlite3_str_appendf(pOut, "%s%s", i ? "|" : "", z ? (const char*)z : "NULL");
    }
    sqlite3_str_appendchar(pOut, 1, '\n');
    nRow++;
  }
  assert_int_equal(rc, SQLITE_DONE);
  sqlite3_finalize(pStmt);
  *pnRow = nRow;
  return sqlite3_str_finish(pOut);
}

static void test_tables_in_store(void **state){
  sqlite3 *db = *state;
  char *azMem[N_SCAN];
  VfStoreStats s, sDay, sAfter;
  int k, nOpen, nRow;
  unsetenv("VPCFLOW_DAY_MEMORY_MB");
  assert_int_equal(sqlite3_exec(db, D_COLS D_FILL, 0, 0, 0), SQLITE_OK);
  assert_int_equal(query_int(db, "SELECT count(*) FROM d"), 30000);
  /* the default budget: all in memory, the reference rows */
  assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow_prepare('d', 3)"), 1);
  for(k=0; k<N_SCAN; k++){
    nOpen = -1;
    azMem[k] = scan(db, azScan[k], &nOpen, &nRow);
    assert_true(nRow>0);              /* every table has rows here */
    assert_int_equal(nOpen, 0);
  }
  vf_store_stats(&s);
  assert_int_equal(s.nFile, 0);
  /* budget 0: the day again, every block in the file */
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow_prepare('d', 3)"), 1);
  vf_store_stats(&sDay);
  assert_true(sDay.nFile>0);
  for(k=0; k<N_SCAN; k++){
    char *z;
    vf_store_stats(&s);
    z = scan(db, azScan[k], &nOpen, &nRow);
    assert_string_equal(z, azMem[k]);
    vf_store_stats(&sAfter);
    if( k==0 ){
      /* the first scan of a summary builds both, kept with the day */
      assert_true(nOpen > s.nFile);
      assert_int_equal(sAfter.nFile, s.nFile + 2);
    }else if( k==1 ){
      assert_int_equal(sAfter.nFile, s.nFile);   /* built with att_port */
    }else{
      if( k!=I_COVERAGE ) assert_true(nOpen > s.nFile);
      assert_int_equal(sAfter.nFile, s.nFile);   /* all given back */
    }
    sqlite3_free(z);
  }
  for(k=0; k<N_SCAN; k++) sqlite3_free(azMem[k]);
  /* the day and its summaries go with the connection (teardown_db);
  ** a day made again under the default budget is in memory */
  unsetenv("VPCFLOW_DAY_MEMORY_MB");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_tables_in_store, setup_db, teardown_db),
  };
  return cmocka_run_group_tests_name("day_tables_store", tests, 0, 0);
}
