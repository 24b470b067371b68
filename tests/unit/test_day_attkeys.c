/*
** test_day_attkeys.c - vpcflow_att_keys_port and vpcflow_att_keys_pair
** (ext/day_attkeys.c). On a small hand-written day: the attempt records
** (response records, NODATA and records without a dstport left out) per
** (src, protocol, dstport) and, TCP/UDP only, per (src, dst), worked out
** by hand from the header; a NULL protocol is a group of its own; the
** constraint n >= / > X taken in C gives the groups SQL would keep (X an
** integer, a real, text, NULL). On a generated day of 6,000 records:
** equal, group for group, to the GROUP BY over vpcflow_traffic that the
** header gives, with and without a threshold (the hashed first walk).
*/
#include "day_test.h"

static void test_attkeys_small(void **state){
  sqlite3 *db = *state;
  day_check_no_day(db, "vpcflow_att_keys_port", "");
  day_load(db, 0,
    "INSERT INTO d VALUES"
    " ('e','10.0.0.1','8.8.8.8',40000,443,6,2,100,1000,1060,'ACCEPT','OK',2,'egress'),"
    " ('e','10.0.0.1','8.8.4.4',40001,443,6,2,100,1001,1060,'ACCEPT','OK',2,'egress'),"
    " ('e','10.0.0.1','8.8.8.8',40002,80,6,2,100,1002,1060,'ACCEPT','OK',2,'egress'),"
    " ('e','10.0.0.1','8.8.8.8',40003,53,17,1,60,1003,1060,'ACCEPT','OK',NULL,'egress'),"
    /* the SYN-ACK back to the first: a response, no attempt */
    " ('e','8.8.8.8','10.0.0.1',443,40000,6,2,100,1000,1060,'ACCEPT','OK',18,'ingress'),"
    /* ICMP: in the port table (protocol 1), not in the pair table */
    " ('e','10.0.0.1','8.8.8.8',0,0,1,1,84,1004,1060,'ACCEPT','OK',NULL,'egress'),"
    /* no protocol: a group of its own in the port table, not a pair */
    " ('e','10.0.0.2','10.0.0.1',40004,22,NULL,1,40,1005,1060,'REJECT','OK',NULL,'ingress'),"
    /* no dstport: in neither */
    " ('e','10.0.0.3','10.0.0.1',40005,NULL,6,1,40,1006,1060,'REJECT','OK',NULL,'ingress'),"
    /* NODATA is no traffic */
    " ('e','10.0.0.4','10.0.0.1',40006,22,6,1,40,1007,1060,'ACCEPT','NODATA',NULL,'ingress');");
  expect(db, "SELECT src, coalesce(protocol, '-'), dstport, n FROM vpcflow_att_keys_port"
             " ORDER BY src, protocol, dstport",
         "10.0.0.1|1|0|1\n10.0.0.1|6|80|1\n10.0.0.1|6|443|2\n10.0.0.1|17|53|1\n"
         "10.0.0.2|-|22|1");
  expect(db, "SELECT src, dst, n FROM vpcflow_att_keys_pair ORDER BY src, dst",
         "10.0.0.1|8.8.4.4|1\n10.0.0.1|8.8.8.8|3");
  expect(db, "SELECT typeof(src), typeof(protocol), typeof(dstport), typeof(n)"
             " FROM vpcflow_att_keys_port WHERE dstport = 443",
         "text|integer|integer|integer");
  /* thresholds, taken in C: the rows SQL's comparison keeps */
  expect(db, "SELECT src, protocol, dstport, n FROM vpcflow_att_keys_port WHERE n >= 2",
         "10.0.0.1|6|443|2");
  expect(db, "SELECT src, dst, n FROM vpcflow_att_keys_pair WHERE n >= 2", "10.0.0.1|8.8.8.8|3");
  expect(db, "SELECT src, dst, n FROM vpcflow_att_keys_pair WHERE n > 2", "10.0.0.1|8.8.8.8|3");
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n > 3", "0");
  expect(db, "SELECT src, dst, n FROM vpcflow_att_keys_pair WHERE n >= 2.5", "10.0.0.1|8.8.8.8|3");
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n > 2.5", "1");
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n >= -7", "2");
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n >= 9223372036854775807", "0");
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n > 9223372036854775807", "0");
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n >= 1e300", "0");
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n >= NULL", "0");
  /* text: the column's INTEGER affinity makes '3' the number 3 ... */
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n >= '3'", "1");
  /* ... and 'x' stays text, which every integer is less than */
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_pair WHERE n >= 'x'", "0");
  expect(db, "SELECT count(*) FROM vpcflow_att_keys_port WHERE n >= (SELECT 2)", "1");
}

/* The SQL of the header, over a day with many groups, against the tables.
** Record i: src 10.0.(i%7).1, dst 8.8.(i%13).(i%5), dstport 1+7i%23,
** protocol 17 when i%5 = 0, ICMP when 1, else TCP: per (src, protocol,
** dstport) 483 groups of 7 to 24 records (146 of 8, 24 of 21, 64 of 22,
** 64 of 23, 9 of 24, the rest 7); 364 TCP/UDP pairs (68 of 14 records,
** 296 of 13), so each threshold below leaves a known number. */
static void test_attkeys_generated(void **state){
  sqlite3 *db = *state;
  /* the groups of each table a threshold leaves */
  static const struct { const char *zWhere; int nPort, nPair; } aCase[] = {
    { "",               483, 364 },
    { " WHERE n >= 1",  483, 364 },
    { " WHERE n >= 2",  483, 364 },
    { " WHERE n >= 8",  307, 364 },
    { " WHERE n > 13",  161, 68 },
    { " WHERE n >= 23", 73,  0 },
  };
  int i;
  day_load(db, 0,
    "WITH RECURSIVE x(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM x WHERE i < 5999)"
    " INSERT INTO d SELECT 'e', '10.0.' || (i % 7) || '.1', '8.8.' || (i % 13) || '.' || (i % 5),"
    " 30000 + i, 1 + (i * 7) % 23, CASE i % 5 WHEN 0 THEN 17 WHEN 1 THEN 1 ELSE 6 END,"
    " 1, 60, 1000 + i, 1060 + i, 'ACCEPT', 'OK', NULL, 'egress' FROM x;");
  for(i=0; i<(int)(sizeof(aCase)/sizeof(aCase[0])); i++){
    const char *zWhere = aCase[i].zWhere;
    char *zPort = sqlite3_mprintf("SELECT * FROM vpcflow_att_keys_port%s", zWhere);
    char *zPortRef = sqlite3_mprintf(
      "SELECT * FROM (SELECT src, protocol, dstport, count(*) AS n FROM vpcflow_traffic"
      " WHERE resp = 0 AND dstport IS NOT NULL GROUP BY 1, 2, 3)%s", zWhere);
    char *zPair = sqlite3_mprintf("SELECT * FROM vpcflow_att_keys_pair%s", zWhere);
    char *zPairRef = sqlite3_mprintf(
      "SELECT * FROM (SELECT src, dst, count(*) AS n FROM vpcflow_traffic"
      " WHERE resp = 0 AND protocol IN (6, 17) AND dstport IS NOT NULL GROUP BY 1, 2)%s",
      zWhere);
    assert_int_equal(day_same_rows(db, zPort, zPortRef), aCase[i].nPort);
    assert_int_equal(day_same_rows(db, zPair, zPairRef), aCase[i].nPair);
    sqlite3_free(zPort);
    sqlite3_free(zPortRef);
    sqlite3_free(zPair);
    sqlite3_free(zPairRef);
  }
}

static void test_attkeys_directonly(void **state){
  day_check_directonly(*state, "vpcflow_att_keys_pair", "");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_attkeys_small, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_attkeys_generated, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_attkeys_directonly, setup_db, teardown_db),
  };
  return cmocka_run_group_tests_name("day_attkeys", tests, 0, 0);
}
