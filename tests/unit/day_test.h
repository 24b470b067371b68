/*
** day_test.h - what the unit tests of the tables over the prepared day
** share (test_day_attkeys.c, test_day_newdest.c, test_day_served.c,
** test_day_senders.c):
**
**   expect(db, SQL, WANT)          SQL's rows, as run_sql() writes them, are WANT
**   day_load(db, MORE, FILL)       temp table d, filled by FILL, prepared as
**                                  the connection's day
**   day_check_no_day(db, T, W)     reading T before any day is prepared is
**                                  the error every table over the day gives
**   day_check_directonly(db, T, W) T is DIRECT-ONLY (not through a view)
**   day_same_rows(db, C, REF)      a table's rows are its SQL reference's
**
** HOW IT WORKS: as test.h, header only. Every helper is static and marked
** unused, since each test binary is one .c file (the Makefile builds every
** tests/unit/test_*.c alone, linked with ext/'s objects of its kind), so
** nothing here needs a Makefile rule: -MMD records the include.
** The helpers only run SQL and compare text; what a test expects stays in
** the test, written out by hand or as the SQL reference its table's header
** gives.
*/
#ifndef VPCFLOW_DAY_TEST_H
#define VPCFLOW_DAY_TEST_H
#include "test.h"

/* Fail unless SQL gives exactly WANT: the rows as run_sql() joins them,
** or "ERROR: message" (test.h's check_sql(), which shows the statement and
** the line of the call). */
#define expect(DB, SQL, WANT) check_sql((DB), (SQL), (WANT), __LINE__)

/* The columns of the fixture days' table d that vpcflow_prepare() reads
** from a table with vpcflow's column names (ext/norm.c). */
#define DAY_COLS \
  "interface_id TEXT, srcaddr TEXT, dstaddr TEXT, srcport INT," \
  " dstport INT, protocol INT, packets INT, bytes INT, start INT, \"end\" INT," \
  " action TEXT, log_status TEXT, tcp_flags INT, flow_direction TEXT"

/*
** Make temp table d (DAY_COLS, then the column definitions zMore when it
** is not NULL), run zFill (the INSERT INTO d, hand-written VALUES or a
** generated SELECT), and prepare d as the connection's day: one row from
** vpcflow_prepare('d', 3).
*/
VF_TEST_UNUSED static void day_load(sqlite3 *db, const char *zMore,
                                    const char *zFill){
  char *zErr = 0;
  char *zSql = sqlite3_mprintf("CREATE TEMP TABLE d(" DAY_COLS "%s%s); %s",
                               zMore ? ", " : "", zMore ? zMore : "", zFill);
  int rc;
  assert_non_null(zSql);
  rc = sqlite3_exec(db, zSql, 0, 0, &zErr);
  if( rc!=SQLITE_OK ) print_error("%s: %s\n", zSql, zErr ? zErr : "?");
  sqlite3_free(zErr);
  sqlite3_free(zSql);
  assert_int_equal(rc, SQLITE_OK);
  expect(db, "SELECT count(*) FROM vpcflow_prepare('d', 3)", "1");
}

/* Before vpcflow_prepare() has run on the connection, reading zTable
** (followed by zWhere: its required constraints, or "") is an error that
** names the table and says what to do. */
VF_TEST_UNUSED static void day_check_no_day(sqlite3 *db, const char *zTable,
                                            const char *zWhere){
  char *zSql = sqlite3_mprintf("SELECT count(*) FROM %s%s", zTable, zWhere);
  char *zWant = sqlite3_mprintf(
      "ERROR: %s: no prepared flows on this connection: "
      "read sql/prepare.sql first (it runs vpcflow_prepare())", zTable);
  assert_non_null(zSql);
  assert_non_null(zWant);
  expect(db, zSql, zWant);
  sqlite3_free(zSql);
  sqlite3_free(zWant);
}

/* zTable (with zWhere) is DIRECT-ONLY: a view of it in main can be made,
** but reading the view fails. */
VF_TEST_UNUSED static void day_check_directonly(sqlite3 *db,
                                                const char *zTable,
                                                const char *zWhere){
  char *zView = sqlite3_mprintf("CREATE VIEW main.v AS SELECT * FROM %s%s",
                                zTable, zWhere);
  char *zWant = sqlite3_mprintf("ERROR: unsafe use of virtual table \"%s\"",
                                zTable);
  int rc;
  assert_non_null(zView);
  assert_non_null(zWant);
  rc = sqlite3_exec(db, zView, 0, 0, 0);
  sqlite3_free(zView);
  assert_int_equal(rc, SQLITE_OK);
  expect(db, "SELECT count(*) FROM main.v", zWant);
  sqlite3_free(zWant);
}

/*
** A table over the day against its SQL reference: zTable and zRef are two
** SELECTs of the same columns (numbered with row_number() OVER () where
** the order counts). Fails, showing both, unless they give as many rows
** and no row of zTable's is missing from zRef's (EXCEPT: values compared
** as SQL does, NULL equal to NULL). Returns the number of rows, for the
** caller to check that the comparison was not vacuous.
*/
VF_TEST_UNUSED static sqlite3_int64 day_same_rows(sqlite3 *db,
                                                  const char *zTable,
                                                  const char *zRef){
  char *zSql = sqlite3_mprintf(
      "WITH c AS (%s), r AS (%s)"
      " SELECT (SELECT count(*) FROM c) = (SELECT count(*) FROM r)"
      "    AND NOT EXISTS (SELECT * FROM c EXCEPT SELECT * FROM r),"
      " (SELECT count(*) FROM c), (SELECT count(*) FROM r)", zTable, zRef);
  sqlite3_stmt *pStmt = 0;
  sqlite3_int64 nTable, nRef;
  int bSame;
  assert_non_null(zSql);
  if( sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0)!=SQLITE_OK
   || sqlite3_step(pStmt)!=SQLITE_ROW ){
    print_error("%s\n  %s\n", zSql, sqlite3_errmsg(db));
    sqlite3_finalize(pStmt);
    sqlite3_free(zSql);
    fail();
  }
  bSame = sqlite3_column_int(pStmt, 0);
  nTable = sqlite3_column_int64(pStmt, 1);
  nRef = sqlite3_column_int64(pStmt, 2);
  sqlite3_finalize(pStmt);
  if( !bSame ){
    print_error("the table's rows (%lld) are not the reference's (%lld):\n"
                "  table:     %s\n  reference: %s\n",
                nTable, nRef, zTable, zRef);
  }
  sqlite3_free(zSql);
  assert_true(bSame);
  return nRef;
}

#endif
