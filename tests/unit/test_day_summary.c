/*
** test_day_summary.c - vpcflow_att_port and vpcflow_pair
** (ext/day_summary.c): on a generated day, equal row for row and in
** order (GROUP BY's order, numbered by row_number()) to the SQL the
** header gives, over vpcflow_traffic; once with the sort key packed into
** one word, as every measured day is, and once with the two-word sort
** forced (vf_day_summary_key_bits_for_test(0)), which a day only takes
** when its key fields need more than 64 bits; once built ahead of use on
** a second thread (the default; the check of its thread is make tsan),
** once with VPCFLOW_DAY_THREADS=0 (on the query's thread); and days
** replaced or closed while their build runs. The day has NULL protocols,
** ports, addresses and services, and service names that sort after the
** addresses, so every field of both keys is exercised; and groups fold
** several records.
*/
#include <stdlib.h>
#include <unistd.h>
#include "day_test.h"
#include "day.h"

/* The header's SQL, numbered in its GROUP BY order. */
#define AP_REF \
  "SELECT row_number() OVER (ORDER BY src, dst, protocol, dstport, dst_service) AS k," \
  " src, dst, protocol, dstport, dst_service," \
  " count(*), count(action), sum(action = 'REJECT'), sum(action = 'ACCEPT')," \
  " count(action = 'REJECT' OR answered = 0), sum(action = 'REJECT' OR answered = 0)," \
  " sum(answered), max(answered), sum(action = 'ACCEPT' AND answered = 1)," \
  " sum(conn_start), min(start), max(start), src_private, dst_private" \
  " FROM vpcflow_traffic WHERE resp = 0" \
  " GROUP BY src, dst, protocol, dstport, dst_service"
#define AP_TABLE \
  "SELECT row_number() OVER () AS k, src, dst, protocol, dstport, dst_service," \
  " n, n_action, rejected, accepted, n_failed, failed, answered, answered_max," \
  " acc_answered, conns, t0, t1, src_private, dst_private FROM vpcflow_att_port"
#define PR_REF \
  "SELECT row_number() OVER (ORDER BY src, dst, src_service, dst_service) AS k," \
  " src, dst, src_service, dst_service, count(*), sum(bytes), sum(packets)," \
  " min(start), max(\"end\"), src_private, dst_private" \
  " FROM vpcflow_traffic WHERE NOT (src_private AND dst_private)" \
  " GROUP BY src, dst, src_service, dst_service"
#define PR_TABLE \
  "SELECT row_number() OVER () AS k, src, dst, src_service, dst_service, n, bytes," \
  " packets, t0, t1, src_private, dst_private FROM vpcflow_pair"

/* A day of 8000 records whose key fields cycle with coprime periods, so
** that every combination comes up and a group has several records: seven
** sources (10.x, public, NULL), eleven destinations, five ports (NULL
** among them), six protocols (NULL among them), three destination and
** three source services; every sixth record a reply (source port 443).
** A key that left a field out, or ordered one wrongly, merges or reorders
** groups. */
static void load_generated_day(sqlite3 *db){
  day_load(db, "pkt_src_aws_service TEXT, pkt_dst_aws_service TEXT",
    "WITH RECURSIVE x(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM x WHERE i < 7999)"
    " INSERT INTO d SELECT 'eni-' || (i % 3),"
    " CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN '54.1.0.7' WHEN 2 THEN '9.9.9.9'"
    "      ELSE '10.0.' || (i % 7) || '.1' END,"
    " CASE i % 11 WHEN 0 THEN NULL WHEN 1 THEN '8.8.8.8' WHEN 2 THEN '52.95.0.1'"
    "      WHEN 3 THEN '100.64.0.1' ELSE '10.0.' || (i % 11) || '.5' END,"
    " CASE WHEN i % 6 = 0 THEN 443 ELSE 30000 + i % 5000 END,"
    " CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN 22 WHEN 2 THEN 443 WHEN 3 THEN 53"
    "      ELSE 40000 + i % 3 END,"
    " CASE i % 13 WHEN 0 THEN 17 WHEN 1 THEN 1 WHEN 2 THEN NULL WHEN 3 THEN 47"
    "      WHEN 4 THEN 17 ELSE 6 END,"
    " 1 + i % 9, 40 + i, 1000 + (i * 7919) % 86000, 1060 + (i * 7919) % 86000,"
    " CASE WHEN i % 5 = 0 THEN 'REJECT' ELSE 'ACCEPT' END, 'OK',"
    " CASE WHEN i % 13 > 4 THEN (CASE WHEN i % 6 = 0 THEN 18 ELSE 2 END) END,"
    " CASE WHEN i % 3 = 0 THEN 'ingress' ELSE 'egress' END,"
    " CASE i % 4 WHEN 1 THEN 'AMAZON' WHEN 2 THEN 'EC2' END,"
    " CASE i % 3 WHEN 1 THEN 'S3' WHEN 2 THEN 'EC2' END FROM x;");
}

/* Both tables equal their SQL, in order, and have rows. */
static void check_both(sqlite3 *db){
  assert_true(day_same_rows(db, AP_TABLE, AP_REF) > 100);
  assert_true(day_same_rows(db, PR_TABLE, PR_REF) > 100);
  /* groups that fold several records, and groups that differ only in
  ** the key's last field (the service): a key without it would merge them */
  check_sql(db, "SELECT max(n) > 1 FROM vpcflow_att_port", "1", __LINE__);
  check_sql(db, "SELECT max(n) > 1 FROM vpcflow_pair", "1", __LINE__);
  check_sql(db, "SELECT count(*) > 10 FROM (SELECT 1 FROM vpcflow_att_port"
                " GROUP BY src, dst, protocol, dstport HAVING count(*) > 1)", "1", __LINE__);
  check_sql(db, "SELECT count(*) > 10 FROM (SELECT 1 FROM vpcflow_pair"
                " GROUP BY src, dst, src_service HAVING count(*) > 1)", "1", __LINE__);
}

static void test_summary_one_word(void **state){
  sqlite3 *db = *state;
  vf_day_summary_key_bits_for_test(64);
  load_generated_day(db);
  check_both(db);
}

static void test_summary_two_words(void **state){
  sqlite3 *db = *state;
  vf_day_summary_key_bits_for_test(0);
  load_generated_day(db);
  check_both(db);
  vf_day_summary_key_bits_for_test(64);
}

/* src_private = ? and dst_private = ?, which the scan checks itself, give
** the rows (rowids, in order) SQLite gives when it checks them alone (a
** unary + keeps a constraint from the table), for every kind of value. */
static void test_summary_private_filter(void **state){
  sqlite3 *db = *state;
  static const char *azTable[] = { "vpcflow_att_port", "vpcflow_pair" };
  static const struct { const char *zWhere, *zRef; int bRows; } aCase[] = {
    { "src_private = 1", "+src_private = 1", 1 },
    { "src_private = 0", "+src_private = 0", 1 },
    { "dst_private = 1", "+dst_private = 1", 1 },
    { "dst_private = 0", "+dst_private = 0", 1 },
    { "src_private = 1 AND dst_private = 0", "+src_private = 1 AND +dst_private = 0", 1 },
    { "src_private = 0 AND dst_private = 1", "+src_private = 0 AND +dst_private = 1", 1 },
    { "dst_private = 1 AND src_private = 1", "+dst_private = 1 AND +src_private = 1", 2 },
    { "src_private = 1 AND n > 1", "+src_private = 1 AND n > 1", 1 },
    { "src_private = (SELECT 1)", "+src_private = (SELECT 1)", 1 },
    { "src_private = '1'", "+src_private = 1", 1 },   /* affinity: '1' is 1 */
    { "dst_private = 1.0", "+dst_private = 1.0", 1 },
    { "src_private = 2", "+src_private = 2", 0 },
    { "src_private = -1", "+src_private = -1", 0 },
    { "src_private = NULL", "+src_private = NULL", 0 },
    { "src_private = 1 AND src_private = 0", "+src_private = 1 AND +src_private = 0", 0 },
  };
  int i, j;
  load_generated_day(db);
  /* the plan gives the table both (idxNum 3), one, or neither */
  check_sql(db, "EXPLAIN QUERY PLAN SELECT * FROM vpcflow_att_port"
                " WHERE dst_private = 0 AND src_private = 1",
            "2|0|0|SCAN vpcflow_att_port VIRTUAL TABLE INDEX 3:", __LINE__);
  check_sql(db, "EXPLAIN QUERY PLAN SELECT * FROM vpcflow_pair WHERE dst_private = 1",
            "2|0|0|SCAN vpcflow_pair VIRTUAL TABLE INDEX 2:", __LINE__);
  check_sql(db, "EXPLAIN QUERY PLAN SELECT * FROM vpcflow_pair WHERE src_private > 0",
            "2|0|0|SCAN vpcflow_pair VIRTUAL TABLE INDEX 0:", __LINE__);
  for(i=0; i<2; i++){
    for(j=0; j<(int)(sizeof(aCase)/sizeof(aCase[0])); j++){
      char *zSql = sqlite3_mprintf(
        "SELECT (SELECT group_concat(rowid) FROM %s WHERE %s)"
        "    IS (SELECT group_concat(rowid) FROM %s WHERE %s),"
        " (SELECT count(*) FROM %s WHERE %s) > 0",
        azTable[i], aCase[j].zWhere, azTable[i], aCase[j].zRef,
        azTable[i], aCase[j].zRef);
      /* bRows: the reference has rows (2: att_port's only, as pair keeps
      ** no private-to-private records), so that no case passes vacuously */
      check_sql(db, zSql, aCase[j].bRows==1 || (aCase[j].bRows==2 && i==0) ? "1|1" : "1|0",
                __LINE__);
      sqlite3_free(zSql);
    }
  }
}

/* With two CPUs and the default settings, preparing the day starts the
** summaries' build, and the first scan takes its result (not a build of
** its own); the rows are the SQL's. */
static void test_summary_ahead(void **state){
  sqlite3 *db = *state;
  int nStart0, nUsed0, nStart, nUsed;
  if( sysconf(_SC_NPROCESSORS_ONLN)<2 ) skip();
  unsetenv("VPCFLOW_DAY_THREADS");
  vf_day_summary_ahead_counts_for_test(&nStart0, &nUsed0);
  load_generated_day(db);
  vf_day_summary_ahead_counts_for_test(&nStart, &nUsed);
  assert_int_equal(nStart, nStart0 + 1);
  assert_int_equal(nUsed, nUsed0);
  check_both(db);
  vf_day_summary_ahead_counts_for_test(&nStart, &nUsed);
  assert_int_equal(nStart, nStart0 + 1);
  assert_int_equal(nUsed, nUsed0 + 1);
}

/* VPCFLOW_DAY_THREADS=0, or a day already in its temporary file
** (VPCFLOW_DAY_MEMORY_MB=0): no build ahead; the first scan builds, and
** the rows are the SQL's. */
static void test_summary_ahead_off(void **state){
  sqlite3 *db = *state;
  int nStart0, nUsed0, nStart, nUsed;
  setenv("VPCFLOW_DAY_THREADS", "0", 1);
  vf_day_summary_ahead_counts_for_test(&nStart0, &nUsed0);
  load_generated_day(db);
  check_both(db);
  vf_day_summary_ahead_counts_for_test(&nStart, &nUsed);
  unsetenv("VPCFLOW_DAY_THREADS");
  assert_int_equal(nStart, nStart0);
  assert_int_equal(nUsed, nUsed0);

  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);
  expect(db, "SELECT count(*) FROM vpcflow_prepare('d', 3)", "1");
  check_both(db);
  vf_day_summary_ahead_counts_for_test(&nStart, &nUsed);
  unsetenv("VPCFLOW_DAY_MEMORY_MB");
  assert_int_equal(nStart, nStart0);
  assert_int_equal(nUsed, nUsed0);
}

/* A day prepared again, or closed, while its build runs: the build is
** waited for and freed with its day (ASan: nothing leaks or is read after
** it is freed; TSan: no race), and the new day's tables are its own. */
static void test_summary_ahead_replaced(void **state){
  sqlite3 *db = *state;
  unsetenv("VPCFLOW_DAY_THREADS");
  load_generated_day(db);
  expect(db, "SELECT count(*) FROM vpcflow_prepare('d', 3)", "1");
  exec_ok(db, "DELETE FROM d WHERE rowid % 2 = 0");
  expect(db, "SELECT count(*) FROM vpcflow_prepare('d', 3)", "1");
  expect(db, "SELECT count(*) FROM d", "4000");
  check_both(db);
  expect(db, "SELECT count(*) FROM vpcflow_prepare('d', 3)", "1");
  /* teardown closes the connection with this last build running */
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_summary_one_word, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_summary_two_words, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_summary_private_filter, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_summary_ahead, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_summary_ahead_off, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_summary_ahead_replaced, setup_db, teardown_db),
  };
  return cmocka_run_group_tests_name("day_summary", tests, 0, 0);
}
