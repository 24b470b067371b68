/*
** test_day_newdest.c - vpcflow_new_dest (ext/day_newdest.c). On a small
** hand-written day, cut 2000: the records of (private host, public peer)
** pairs first seen at or after the cut, from hosts seen before it (a
** record without a start belongs to its pair but does not make one new or
** a host active; AWS-service peers, private peers, public sources left
** out), worked out by hand from its header, for integer, real, NULL and
** text cuts and without one. On a generated day: equal, row for row and
** in order, to the SQL its header gives, for several cuts.
*/
#include "day_test.h"

static void test_newdest_small(void **state){
  sqlite3 *db = *state;
  day_check_no_day(db, "vpcflow_new_dest", " WHERE cut = 1");
  day_load(db, "pkt_dst_aws_service TEXT",
    "INSERT INTO d VALUES"
    /* 10.0.0.1 active (1000); its pair with 8.8.8.8 is old */
    " ('e','10.0.0.1','8.8.8.8',40000,443,6,2,100,1000,1060,'ACCEPT','OK',2,'egress',NULL),"
    " ('e','10.0.0.1','8.8.8.8',40001,443,6,2,100,2500,2560,'ACCEPT','OK',2,'egress',NULL),"
    /* a new pair: both records, and the one without a start */
    " ('e','10.0.0.1','1.1.1.1',40002,853,6,3,300,2100,2160,'ACCEPT','OK',2,'egress',NULL),"
    " ('e','10.0.0.1','1.1.1.1',40003,53,17,1,70,2200,NULL,'REJECT','OK',NULL,'egress',NULL),"
    " ('e','10.0.0.1','1.1.1.1',40004,853,6,1,40,NULL,NULL,'ACCEPT','OK',2,'egress',NULL),"
    /* only records without a start: the pair has no first start */
    " ('e','10.0.0.1','9.9.9.9',40005,443,6,1,40,NULL,NULL,'ACCEPT','OK',2,'egress',NULL),"
    /* an AWS service peer */
    " ('e','10.0.0.1','52.95.0.1',40006,443,6,5,900,2300,2360,'ACCEPT','OK',2,'egress','S3'),"
    /* a private peer, a public source */
    " ('e','10.0.0.1','10.0.0.3',40007,22,6,1,40,2500,2560,'ACCEPT','OK',2,'egress',NULL),"
    " ('e','8.8.4.4','10.0.0.1',40008,22,6,1,40,2600,2660,'REJECT','OK',2,'ingress',NULL),"
    /* 10.0.0.2 first seen after the cut: not active */
    " ('e','10.0.0.2','1.1.1.1',40009,853,6,1,40,2400,2460,'ACCEPT','OK',2,'egress',NULL),"
    /* NODATA is no traffic (it would make 10.0.0.2 active) */
    " ('e','10.0.0.2','1.1.1.1',40010,853,6,1,40,500,560,'ACCEPT','NODATA',NULL,'egress',NULL);");
  expect(db, "SELECT src, dst, protocol, dstport, bytes, coalesce(start, '-'), coalesce(\"end\", '-'),"
             " resp FROM vpcflow_new_dest WHERE cut = 2000",
         "10.0.0.1|1.1.1.1|6|853|300|2100|2160|0\n"
         "10.0.0.1|1.1.1.1|17|53|70|2200|-|0\n"
         "10.0.0.1|1.1.1.1|6|853|40|-|-|0");
  expect(db, "SELECT typeof(src), typeof(protocol), typeof(bytes), typeof(start), typeof(answered),"
             " typeof(conn_start), typeof(resp) FROM vpcflow_new_dest WHERE cut = 2000 LIMIT 1",
         "text|integer|integer|integer|integer|integer|integer");
  expect(db, "SELECT count(*) FROM vpcflow_new_dest WHERE cut = 2000.0", "3");
  expect(db, "SELECT count(*) FROM vpcflow_new_dest WHERE cut = 2100", "3");
  /* 2100.5: 1.1.1.1's first start (2100) is before it */
  expect(db, "SELECT count(*) FROM vpcflow_new_dest WHERE cut = 2100.5", "0");
  /* 1000: nobody was active before it; 1001: 10.0.0.1 was, and every pair
  ** but 8.8.8.8's is new (52.95.0.1 is an AWS service, 9.9.9.9 has no start) */
  expect(db, "SELECT count(*) FROM vpcflow_new_dest WHERE cut = 1000", "0");
  expect(db, "SELECT group_concat(DISTINCT dst) FROM vpcflow_new_dest WHERE cut = 1001", "1.1.1.1");
  expect(db, "SELECT count(*) FROM vpcflow_new_dest WHERE cut = NULL", "0");
  expect(db, "SELECT count(*) FROM vpcflow_new_dest WHERE cut = '2000'", "0");
  expect(db, "SELECT count(*) FROM vpcflow_new_dest WHERE cut = (SELECT 2000)", "3");
  expect(db, "SELECT count(*) FROM vpcflow_new_dest", "ERROR: no query solution");
}

/* The SQL of the header over a generated day, for several cuts. */
static void test_newdest_generated(void **state){
  sqlite3 *db = *state;
  static const char *azCut[] = { "1500", "3000", "4500", "6500", "3000.5" };
  int i;
  day_load(db, "pkt_dst_aws_service TEXT",
    "WITH RECURSIVE x(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM x WHERE i < 5999)"
    " INSERT INTO d SELECT 'e',"
    " CASE WHEN i % 9 = 0 THEN '7.7.' || (i % 11) || '.1' ELSE '10.0.' || (i % 17) || '.1' END,"
    " CASE WHEN i % 10 = 0 THEN '10.1.0.' || (i % 3) ELSE '8.8.' || (i % 13) || '.' || (i % 7) END,"
    " 30000 + i, 1 + (i * 7) % 23, CASE i % 5 WHEN 0 THEN 17 WHEN 1 THEN 1 ELSE 6 END,"
    " 1, 60 + i, CASE WHEN i % 31 = 0 THEN NULL ELSE 1000 + (i * 7919) % 6000 END, NULL,"
    " 'ACCEPT', 'OK', NULL, 'egress', CASE WHEN i % 23 = 0 THEN 'S3' END FROM x;");
  for(i=0; i<(int)(sizeof(azCut)/sizeof(azCut[0])); i++){
    char *zTable = sqlite3_mprintf(
      "SELECT row_number() OVER () AS k, src, dst, protocol, dstport, bytes, start, \"end\","
      " answered, conn_start, resp FROM vpcflow_new_dest WHERE cut = %s", azCut[i]);
    char *zRef = sqlite3_mprintf(
      "SELECT row_number() OVER () AS k, src, dst, protocol, dstport, bytes, start, \"end\","
      "       answered, conn_start, resp FROM vpcflow_traffic"
      " WHERE src_private = 1 AND dst_private = 0 AND dst_service IS NULL"
      "   AND (src, dst) IN (SELECT src, dst FROM vpcflow_traffic"
      "                       WHERE src_private = 1 AND dst_private = 0 AND dst_service IS NULL"
      "                       GROUP BY src, dst HAVING min(start) >= %s)"
      "   AND src IN (SELECT src FROM vpcflow_traffic WHERE src_private = 1"
      "                GROUP BY src HAVING min(start) < %s)",
      azCut[i], azCut[i]);
    /* identical, and not vacuously: every cut leaves records */
    assert_true(day_same_rows(db, zTable, zRef) > 0);
    sqlite3_free(zTable);
    sqlite3_free(zRef);
  }
}

static void test_newdest_directonly(void **state){
  day_check_directonly(*state, "vpcflow_new_dest", " WHERE cut = 1");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_newdest_small, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_newdest_generated, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_newdest_directonly, setup_db, teardown_db),
  };
  return cmocka_run_group_tests_name("day_newdest", tests, 0, 0);
}
