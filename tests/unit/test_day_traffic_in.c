/*
** test_day_traffic_in.c - `src IN (...)` / `dst IN (...)` on
** vpcflow_traffic (ext/day.c), tested in C over the day's interned values
** (threat_list_match's walks): on a small hand-written day, the rows a
** text IN keeps are the ones worked out by hand below, and the same rows
** as SQLite's own IN gives when the constraint is hidden from the table
** (`+src IN (...)`). The plan shows the C test in use ("jI1": column src,
** IN, argument 1) where it applies, and not for a list with a blob (left
** to SQLite: its comparison depends on affinities).
**
** The day: rowid (record number) and src, dst:
**   1  10.0.0.1 -> 8.8.8.8     (text)
**   2  8.8.8.8  -> 10.0.0.1    (text)
**   3  12345    -> 10.0.0.1    (an integer in an untyped column: interned
**                               as a number, shown as the text '12345')
**   4  X'0A000001' -> 10.0.0.1 (a blob: never equal to a text)
**   5  203.0.113.5 -> 8.8.8.8
**   6  10.0.0.1 -> 8.8.8.8     NODATA: not traffic, never a row
**   7  (NULL)   -> 8.8.8.8     no source
*/
#include "test.h"

static void expect(sqlite3 *db, const char *zSql, const char *zWant){
  char *zGot = run_sql(db, zSql);
  assert_string_equal(zGot, zWant);
  sqlite3_free(zGot);
}

/* zWhere's rowids, with the constraint seen by the table and hidden from
** it (a leading + on the column), must both be zWant. */
static void expect_both(sqlite3 *db, const char *zCol, const char *zIn,
                        const char *zWant){
  char *z1 = sqlite3_mprintf("SELECT coalesce(group_concat(rowid, ','), '') FROM "
      "(SELECT rowid FROM vpcflow_traffic WHERE %s IN %s ORDER BY rowid)", zCol, zIn);
  char *z2 = sqlite3_mprintf("SELECT coalesce(group_concat(rowid, ','), '') FROM "
      "(SELECT rowid FROM vpcflow_traffic WHERE +%s IN %s ORDER BY rowid)", zCol, zIn);
  expect(db, z1, zWant);
  expect(db, z2, zWant);
  sqlite3_free(z1);
  sqlite3_free(z2);
}

static void setup_day(sqlite3 *db){
  assert_int_equal(sqlite3_exec(db,
    "CREATE TEMP TABLE d(interface_id TEXT, srcaddr, dstaddr TEXT, srcport INT,"
    " dstport INT, protocol INT, packets INT, bytes INT, start INT, \"end\" INT,"
    " action TEXT, log_status TEXT, tcp_flags INT, flow_direction TEXT);"
    "INSERT INTO d VALUES"
    " ('e','10.0.0.1','8.8.8.8',40000,443,6,2,100,1000,1060,'ACCEPT','OK',2,'egress'),"
    " ('e','8.8.8.8','10.0.0.1',443,40001,6,2,100,1001,1061,'ACCEPT','OK',18,'ingress'),"
    " ('e',12345,'10.0.0.1',40002,22,6,1,40,1002,1062,'REJECT','OK',NULL,'ingress'),"
    " ('e',X'0A000001','10.0.0.1',40003,22,6,1,40,1003,1063,'REJECT','OK',NULL,'ingress'),"
    " ('e','203.0.113.5','8.8.8.8',40004,53,17,1,80,1004,1064,'ACCEPT','OK',NULL,'egress'),"
    " ('e','10.0.0.1','8.8.8.8',40005,443,6,1,40,1005,1065,'ACCEPT','NODATA',NULL,'egress'),"
    " ('e',NULL,'8.8.8.8',40006,443,6,1,40,1006,1066,'ACCEPT','OK',NULL,'egress');"
    "CREATE TEMP TABLE lst(a);"
    "INSERT INTO lst VALUES ('8.8.8.8'), ('203.0.113.5'), ('8.8.8.8'), (NULL);",
    0, 0, 0), SQLITE_OK);
  expect(db, "SELECT count(*) FROM vpcflow_prepare('d', 3)", "1");
}

static void test_text_in(void **state){
  sqlite3 *db = *state;
  setup_day(db);
  expect(db, "SELECT group_concat(rowid || ':' || CASE typeof(src) WHEN 'blob'"
             " THEN 'x' || hex(src) ELSE coalesce(src, '-') END, ' ') FROM vpcflow_traffic",
         "1:10.0.0.1 2:8.8.8.8 3:12345 4:x0A000001 5:203.0.113.5 7:-");
  /* constants: values absent from the day, a duplicate and NULL change nothing */
  expect_both(db, "src", "('8.8.8.8', 'nope', '8.8.8.8', NULL)", "2");
  expect_both(db, "src", "('10.0.0.1', '203.0.113.5')", "1,5");
  expect_both(db, "dst", "('8.8.8.8')", "1,5,7");
  expect_both(db, "dst", "('10.0.0.1', '9.9.9.9')", "2,3,4");
  /* a number's id matches its rendering as text */
  expect_both(db, "src", "('12345')", "3");
  /* bytes, not case or spaces */
  expect_both(db, "src", "('8.8.8.8 ', '10.0.0.1'||'')", "1");
  /* nothing, and NULL only */
  expect_both(db, "src", "('none')", "");
  expect_both(db, "src", "(NULL)", "");
  /* a subquery's list (threat_list_match's form) */
  expect_both(db, "src", "(SELECT a FROM lst)", "2,5");
  expect_both(db, "dst", "(SELECT a FROM lst)", "1,5,7");
  /* a blob in the list: left to SQLite, which matches the blob row */
  expect_both(db, "src", "(X'0A000001', '8.8.8.8')", "2,4");
  /* an integer in the list: left to SQLite, whose TEXT affinity makes
  ** 12345 = '12345' (a hidden `+src` has no affinity: no row there) */
  expect(db, "SELECT group_concat(rowid) FROM vpcflow_traffic WHERE src IN (12345)", "3");
}

/* The C test is used for a text list, not for one with a blob or a
** number (the plan's idxStr: 'j' src, 'I' IN, '1' its argument). */
static void test_text_in_plan(void **state){
  sqlite3 *db = *state;
  char *z;
  setup_day(db);
  z = run_sql(db, "EXPLAIN QUERY PLAN SELECT rowid FROM vpcflow_traffic"
                  " WHERE src IN (SELECT a FROM lst)");
  assert_non_null(strstr(z, "INDEX 0:jI1"));
  sqlite3_free(z);
  z = run_sql(db, "EXPLAIN QUERY PLAN SELECT rowid FROM vpcflow_traffic"
                  " WHERE dst IN ('8.8.8.8', '10.0.0.1')");
  assert_non_null(strstr(z, "INDEX 0:kI1"));
  sqlite3_free(z);
  /* NOCASE: never in C */
  z = run_sql(db, "EXPLAIN QUERY PLAN SELECT rowid FROM vpcflow_traffic"
                  " WHERE src COLLATE NOCASE IN ('x')");
  assert_null(strstr(z, "jI"));
  sqlite3_free(z);
  expect_both(db, "src COLLATE NOCASE", "('8.8.8.8')", "2");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_text_in, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_text_in_plan, setup_db, teardown_db),
  };
  return cmocka_run_group_tests_name("day_traffic_in", tests, 0, 0);
}
