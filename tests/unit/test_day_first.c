/*
** test_day_first.c - vpcflow_first_record (ext/day_first.c) on small
** hand-written days: every expectation worked out by hand from the rule
** in the file's header (and sql/hunt.sql's drill-down comment). The
** scenario days are compared with a SQL reference of the same rule by
** tests/shell/hunt_first_scenario*.sql; test_random compares it with that
** SQL over random days and findings.
*/
#include "test.h"

static void expect(sqlite3 *db, const char *zSql, const char *zWant){
  char *zGot = run_sql(db, zSql);
  assert_string_equal(zGot ? zGot : "", zWant);   /* no row: NULL */
  sqlite3_free(zGot);
}

/* A day from temp table d (the columns vpcflow_prepare reads), iBase 1000. */
static void make_day(sqlite3 *db, const char *zRows){
  char *zSql = sqlite3_mprintf(
    "DROP TABLE IF EXISTS temp.d;"
    "CREATE TEMP TABLE d(log_file, log_line, interface_id, srcaddr, dstaddr,"
    " srcport, dstport, protocol INT, start INT, \"end\" INT, action TEXT,"
    " log_status TEXT, account_id TEXT, vpc_id TEXT);"
    "INSERT INTO d VALUES %s;", zRows);
  exec_ok(db, zSql);
  sqlite3_free(zSql);
  sqlite3_free(run_sql(db, "SELECT * FROM vpcflow_prepare('d', 3)"));
}

#define FR "SELECT log_file, log_line, rule FROM vpcflow_first_record"

/* The rule's steps and order, the window's edges, the tie-break. */
static void test_rule(void **state){
  sqlite3 *db = *state;
  make_day(db,
    /* 1: 10.0.0.1 -> 10.0.0.2:22 at 1000 */
    "('f/b',1,'eni-a','10.0.0.1','10.0.0.2',40000,22,6,1000,1001,'ACCEPT','OK','111','vpc-1'),"
    /* 2,3: the same second, file 'f/a' sorts before 'f/b'; line 7 < 9 */
    "('f/a',9,'eni-a','10.0.0.1','10.0.0.3',40001,80,6,1000,1001,'ACCEPT','OK','111','vpc-1'),"
    "('f/a',7,'eni-b','10.0.0.1','10.0.0.3',40002,80,17,1000,1001,'ACCEPT','OK','222','vpc-2'),"
    /* 4: 59 s after 1000 (in the minute), 5: 60 s after (out of it) */
    "('f/c',1,'eni-a','10.0.0.9','10.0.0.2',40003,22,6,1059,1060,'ACCEPT','OK',NULL,NULL),"
    "('f/c',2,'eni-a','10.0.0.8','10.0.0.2',40004,22,6,1060,1061,'ACCEPT','OK',NULL,NULL),"
    /* 6: a reply from port 22 (the port as srcport counts for step 1) */
    "('f/c',3,'eni-a','10.0.0.2','10.0.0.7',22,40005,6,1500,1501,'ACCEPT','OK',NULL,NULL),"
    /* 7: NODATA (not traffic), 8: NULL start (never in a window) */
    "('f/d',1,'eni-c',NULL,NULL,NULL,NULL,NULL,2000,2060,NULL,'NODATA',NULL,NULL),"
    "('f/d',2,'eni-c','10.0.0.5','10.0.0.6',1,2,6,NULL,NULL,'ACCEPT','OK',NULL,NULL),"
    /* 9: eni-c's traffic at 2100 (100 s after the NODATA record) */
    "('f/d',3,'eni-c','10.0.0.5','10.0.0.6',1,2,6,2100,2101,'ACCEPT','OK',NULL,NULL)");
  /* step 1 by source alone: the first of 1,2,3 at 1000 is f/a:7 */
  expect(db, FR "('10.0.0.1', NULL, NULL, 1000)", "f/a|7|src");
  expect(db, "SELECT protocol, interface_id, account_id, vpc_id, start"
             " FROM vpcflow_first_record('10.0.0.1', NULL, NULL, 1000)", "17|eni-b|222|vpc-2|1000");
  /* with dst and port: only record 1 */
  expect(db, FR "('10.0.0.1', '10.0.0.2', 22, 1000)", "f/b|1|src");
  /* port as srcport or dstport: record 6 has srcport 22 */
  expect(db, FR "('10.0.0.2', NULL, 22, 1500)", "f/c|3|src");
  /* t0 = 1001: records at 1000 are before the window; 10.0.0.1 has no
  ** other -> step 2 needs a dst: none -> no row */
  expect(db, FR "('10.0.0.1', NULL, NULL, 1001)", "");
  /* step 2: a source that is not an address of the day (a list) */
  expect(db, FR "('10.0.0.50,10.0.0.51', '10.0.0.2', 22, 1001)", "f/c|1|dst");
  /* step 2 needs port as dstport: record 6 (srcport 22) never */
  expect(db, FR "(NULL, '10.0.0.7', 22, 1500)", "");
  expect(db, FR "(NULL, '10.0.0.7', 40005, 1500)", "f/c|3|dst");
  /* the minute's edge: 1059 is in [1000, 1059], 1060 is not */
  expect(db, FR "('10.0.0.9', NULL, NULL, 1000)", "f/c|1|src");
  expect(db, FR "('10.0.0.8', NULL, NULL, 1000)", "");
  /* ... unless t1 (last_seen) reaches it */
  expect(db, FR "('10.0.0.8', NULL, NULL, 1000, 1060)", "f/c|2|src");
  expect(db, FR "('10.0.0.8', NULL, NULL, 1000, 1059)", "");
  /* step 2 in the minute comes before step 1 in [t0, t1]: 10.0.0.8's
  ** record 5 (1060) loses to record 1 (1000, to the same dst and port) */
  expect(db, FR "('10.0.0.8', '10.0.0.2', 22, 1000, 2000)", "f/b|1|dst");
  /* (with t0 = 1001, 1060 is in the minute: step 1 finds record 5) */
  expect(db, FR "('10.0.0.8', '10.0.0.2', 22, 1001, 2000)", "f/c|2|src");
  /* an ENI finding: the interface's traffic in the minute only */
  expect(db, FR "('eni-a', NULL, NULL, 1000)", "f/a|9|eni");
  expect(db, FR "('ENI-a', NULL, NULL, 1000)", "");          /* LIKE, but bytes differ */
  /* no traffic in the minute: the first record of any status from t0 on
  ** (step 4): the NODATA record 7 at 2000; from 2001 on, record 9 (its
  ** traffic at 2100, 100 s later); t1 plays no part; after 2100, none */
  expect(db, FR "('eni-c', NULL, NULL, 2000)", "f/d|1|any");
  expect(db, "SELECT protocol, interface_id FROM vpcflow_first_record('eni-c', NULL, NULL, 2000)",
         "NULL|eni-c");
  expect(db, FR "('eni-c', NULL, NULL, 2000, NULL, 'eni')", "");
  expect(db, FR "('eni-c', NULL, NULL, 2001)", "f/d|3|any");
  expect(db, FR "('eni-c', NULL, NULL, 2000, 2000)", "f/d|1|any");
  expect(db, FR "('eni-c', NULL, NULL, 2101)", "");
  expect(db, FR "('eni-c', NULL, NULL, 2050)", "f/d|3|eni");
  /* an ENI finding never takes steps 1-2 (even with a dst) */
  expect(db, FR "('eni-z', '10.0.0.2', 22, 1000)", "");
  /* a mode runs one step alone */
  expect(db, FR "('10.0.0.50', '10.0.0.2', 22, 1001, NULL, 'src')", "");
  expect(db, FR "('10.0.0.1', '10.0.0.2', 22, 1000, NULL, 'dst')", "f/b|1|dst");
  expect(db, FR "('eni-a', NULL, NULL, 1000, NULL, 'ENI')", "f/a|9|eni");
}

/* Argument types: SQL's affinities, and what matches nothing. */
static void test_types(void **state){
  sqlite3 *db = *state;
  make_day(db,
    "('f',1,'eni-a','10.0.0.1','10.0.0.2',40000,22,6,1000,1001,'ACCEPT','OK',NULL,NULL),"
    /* a number as the source: text '7' once vpcflow_traffic shows it */
    "('f',2,'eni-a',7,'10.0.0.2',40000,22,6,1000,1001,'ACCEPT','OK',NULL,NULL),"
    "('f',3,'eni-a',x'0a000001','10.0.0.2',40000,22,6,1000,1001,'ACCEPT','OK',NULL,NULL)");
  expect(db, "SELECT typeof(src), src FROM vpcflow_traffic WHERE log_line = 2", "text|7");
  expect(db, FR "(7, NULL, NULL, 1000)", "f|2|src");
  expect(db, FR "('7', NULL, NULL, 1000)", "f|2|src");
  expect(db, FR "(x'0a000001', NULL, NULL, 1000)", "f|3|src");
  expect(db, FR "('10.0.0.1', NULL, '22', 1000)", "f|1|src");    /* numeric affinity */
  expect(db, FR "('10.0.0.1', NULL, 22.0, 1000)", "f|1|src");
  expect(db, FR "('10.0.0.1', NULL, 'x', 1000)", "");
  expect(db, FR "('10.0.0.1', NULL, 22.5, 1000)", "");
  expect(db, FR "('10.0.0.1', NULL, 65558, 1000)", "");           /* 22 + 65536 */
  expect(db, FR "('10.0.0.1', NULL, -1, 1000)", "");
  expect(db, FR "('10.0.0.1', NULL, NULL, '1000')", "f|1|src");
  /* a real t0: the whole seconds of [t0, t0+59] */
  expect(db, FR "('10.0.0.1', NULL, NULL, 999.5)", "f|1|src");
  expect(db, FR "('10.0.0.1', NULL, NULL, 1000.5)", "");
  expect(db, FR "('10.0.0.1', NULL, NULL, 940.5)", "");
  expect(db, FR "('10.0.0.1', NULL, NULL, 940.5, 1000.0)", "f|1|src");
  expect(db, FR "('10.0.0.1', NULL, NULL, 941.0)", "f|1|src");
  expect(db, FR "('10.0.0.1', NULL, NULL, NULL)", "");
  expect(db, FR "('10.0.0.1', NULL, NULL, 'soon')", "");
  /* t0 far outside the day, either side, and int64's ends */
  expect(db, FR "('10.0.0.1', NULL, NULL, 9223372036854775807)", "");
  expect(db, FR "('10.0.0.1', NULL, NULL, -9223372036854775808)", "");
  expect(db, FR "('10.0.0.1', NULL, NULL, -9223372036854775808, 9223372036854775807)", "f|1|src");
  expect(db, FR "('10.0.0.1', NULL, NULL, 1000, -5)", "f|1|src");
  expect(db, FR "('', '', NULL, 1000)", "");
  expect(db, FR "(NULL, NULL, NULL, 1000)", "");
}

/* Errors: no day, no t0, an unknown mode; DIRECT-ONLY. */
static void test_errors(void **state){
  sqlite3 *db = *state;
  expect(db, FR "('a', NULL, NULL, 1)",
         "ERROR: vpcflow_first_record: no prepared flows on this connection: "
         "read sql/prepare.sql first (it runs vpcflow_prepare())");
  make_day(db, "('f',1,'eni-a','10.0.0.1','10.0.0.2',1,2,6,1000,1001,'ACCEPT','OK',NULL,NULL)");
  expect(db, FR "('10.0.0.1')",
         "ERROR: vpcflow_first_record: t0 (the 4th argument, first_seen in "
         "Unix seconds) is required");
  expect(db, FR "('10.0.0.1', NULL, NULL, 1000, NULL, 'first')",
         "ERROR: vpcflow_first_record: mode (the 6th argument) is one of "
         "'auto', 'src', 'dst', 'eni', 'any'");
  exec_ok(db, "CREATE VIEW main.v AS SELECT * FROM vpcflow_first_record('10.0.0.1', NULL, NULL, 1000)");
  expect(db, "SELECT count(*) FROM main.v",
         "ERROR: unsafe use of virtual table \"vpcflow_first_record\"");
  /* arguments from a table: a join, and a LEFT JOIN that keeps misses */
  exec_ok(db, "CREATE TEMP TABLE h(s, t); INSERT INTO h VALUES ('10.0.0.1', 1000), ('10.0.0.9', 1000)");
  expect(db, "SELECT h.s, r.log_line FROM h LEFT JOIN vpcflow_first_record(h.s, NULL, NULL, h.t) AS r",
         "10.0.0.1|1\n10.0.0.9|NULL");
  /* a new day replaces the lookups built on the old one */
  make_day(db, "('g',5,'eni-a','10.0.0.1','10.0.0.2',1,2,6,1000,1001,'ACCEPT','OK',NULL,NULL)");
  expect(db, FR "('10.0.0.1', NULL, NULL, 1000)", "g|5|src");
}

/*
** Random days and findings against the rule written in SQL (the
** reference): the same first record, or none, for every finding. Few
** addresses, ports and seconds so that ties and near misses are common.
*/
static void test_random(void **state){
  sqlite3 *db = *state;
  char *zGot;
  exec_ok(db,
    "DROP TABLE IF EXISTS temp.d;"
    "CREATE TEMP TABLE d(log_file, log_line, interface_id, srcaddr, dstaddr,"
    " srcport, dstport, protocol INT, start INT, \"end\" INT, action TEXT,"
    " log_status TEXT, account_id TEXT, vpc_id TEXT);"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<3000)"
    "INSERT INTO d SELECT 'f' || (abs(random())%4), abs(random())%50 + 1,"
    " CASE WHEN abs(random())%20 THEN 'eni-' || (abs(random())%5) END,"
    " CASE WHEN abs(random())%30 THEN '10.0.0.' || (abs(random())%12) END,"
    " '10.0.0.' || (abs(random())%12), abs(random())%6, abs(random())%6, 6,"
    " CASE WHEN abs(random())%40 THEN 1000 + abs(random())%400 END, 2000, 'ACCEPT',"
    " CASE WHEN abs(random())%10 THEN 'OK' ELSE 'NODATA' END, 'a', 'v' FROM n;"
    "CREATE TEMP TABLE q(src, dst, port, t0, t1);"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<1500)"
    "INSERT INTO q SELECT"
    " CASE abs(random())%5 WHEN 0 THEN NULL WHEN 1 THEN 'eni-' || (abs(random())%6)"
    "   ELSE '10.0.0.' || (abs(random())%14) END,"
    " CASE WHEN abs(random())%3 THEN '10.0.0.' || (abs(random())%14) END,"
    " CASE WHEN abs(random())%2 THEN abs(random())%7 END,"
    " 980 + abs(random())%440, CASE WHEN abs(random())%2 THEN 1000 + abs(random())%500 END FROM n;");
  sqlite3_free(run_sql(db, "SELECT * FROM vpcflow_prepare('d', 3)"));
  exec_ok(db,
    "CREATE TEMP TABLE c AS SELECT rowid AS k, * FROM vpcflow_traffic;"
    "CREATE TEMP TABLE a AS SELECT rowid AS k, * FROM vpcflow_records;"
    "CREATE TEMP VIEW ref AS SELECT q.rowid AS qid, CASE WHEN q.src LIKE 'eni-%' THEN coalesce("
    "  (SELECT k FROM c WHERE c.interface_id = q.src AND c.start BETWEEN q.t0 AND q.t0 + 59"
    "    ORDER BY start, log_file, log_line, k LIMIT 1),"
    "  (SELECT k FROM a WHERE a.interface_id = q.src AND a.start >= q.t0"
    "    ORDER BY start, log_file, log_line, k LIMIT 1))"
    " ELSE coalesce("
    "  (SELECT k FROM c WHERE c.src = q.src AND c.start BETWEEN q.t0 AND q.t0 + 59"
    "    AND (q.dst IS NULL OR c.dst = q.dst)"
    "    AND (q.port IS NULL OR c.dstport = q.port OR c.srcport = q.port)"
    "    ORDER BY start, log_file, log_line, k LIMIT 1),"
    "  (SELECT k FROM c WHERE c.dst = q.dst AND c.start BETWEEN q.t0 AND q.t0 + 59"
    "    AND (q.port IS NULL OR c.dstport = q.port)"
    "    ORDER BY start, log_file, log_line, k LIMIT 1),"
    "  (SELECT k FROM c WHERE c.src = q.src AND c.start BETWEEN q.t0 AND max(q.t0 + 59, coalesce(q.t1, q.t0))"
    "    AND (q.dst IS NULL OR c.dst = q.dst)"
    "    AND (q.port IS NULL OR c.dstport = q.port OR c.srcport = q.port)"
    "    ORDER BY start, log_file, log_line, k LIMIT 1),"
    "  (SELECT k FROM c WHERE c.dst = q.dst AND c.start BETWEEN q.t0 AND max(q.t0 + 59, coalesce(q.t1, q.t0))"
    "    AND (q.port IS NULL OR c.dstport = q.port)"
    "    ORDER BY start, log_file, log_line, k LIMIT 1)) END AS k FROM q;");
  /* enough of each case for the comparison to mean something */
  zGot = run_sql(db, "SELECT count(*) >= 1500, sum(k IS NOT NULL) > 300, sum(k IS NULL) > 100 FROM ref");
  assert_string_equal(zGot, "1|1|1");
  sqlite3_free(zGot);
  expect(db, "SELECT count(*) FROM ref JOIN q ON q.rowid = ref.qid"
             " LEFT JOIN vpcflow_first_record(q.src, q.dst, q.port, q.t0, q.t1) AS r"
             " WHERE r.rowid IS NOT ref.k", "0");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_rule, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_types, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_errors, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_random, setup_db, teardown_db),
  };
  if( getenv("FIRST_TEST") ) cmocka_set_test_filter(getenv("FIRST_TEST"));
  return cmocka_run_group_tests(tests, 0, 0);
}
