/*
** test_day_addrs.c - vpcflow_addresses (ext/day_addrs.c): every address
** that is the source or the destination of a traffic record (log status
** OK, copies set aside), once, with is_private(); values that are no
** address left out. On a small hand-written day, worked out by hand from
** its header, and on a generated day against the SQL the header gives.
*/
#include "day_test.h"

static void test_addresses(void **state){
  sqlite3 *db = *state;
  day_check_no_day(db, "vpcflow_addresses", "");
  day_load(db, 0,
    "INSERT INTO d VALUES"
    " ('e','10.0.0.1','8.8.8.8',40000,443,6,2,100,1000,1060,'ACCEPT','OK',2,'egress'),"
    " ('e','8.8.8.8','10.0.0.1',443,40000,6,4,5000,1000,1060,'ACCEPT','OK',18,'ingress'),"
    /* a destination that never sends: listed */
    " ('e','10.0.0.2','10.0.0.9',40003,22,6,1,40,1010,1020,'REJECT','OK',NULL,'ingress'),"
    /* NODATA is no traffic: 10.0.0.3 and 1.2.3.4 are not listed */
    " ('e','10.0.0.3','1.2.3.4',40004,22,6,1,40,1100,1160,'ACCEPT','NODATA',NULL,'ingress'),"
    /* not an address: not listed, its peer is */
    " ('e','nonsense','100.64.0.1',40005,22,6,1,40,1200,1260,'ACCEPT','OK',NULL,'ingress');");
  expect(db, "SELECT addr, private FROM vpcflow_addresses ORDER BY addr",
         "10.0.0.1|1\n10.0.0.2|1\n10.0.0.9|1\n100.64.0.1|1\n8.8.8.8|0");
  expect(db, "SELECT typeof(addr), typeof(private) FROM vpcflow_addresses"
             " WHERE addr = '8.8.8.8'", "text|integer");
}

/* A generated day: many addresses, repeats, both directions, other log
** statuses; the table is its header's SQL, row for row. */
static void test_addresses_reference(void **state){
  sqlite3 *db = *state;
  sqlite3_int64 n;
  day_load(db, 0,
    "WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 3000)"
    " INSERT INTO d SELECT 'eni-' || (k % 7),"
    "  CASE WHEN k % 3 = 0 THEN '10.1.' || (k % 50) || '.' || (k % 13)"
    "       ELSE '52.' || (k % 89) || '.0.' || (k % 5) END,"
    "  CASE WHEN k % 4 = 0 THEN '192.168.0.' || (k % 61) ELSE '10.1.' || (k % 17) || '.1' END,"
    "  40000 + k % 100, 443, 6, 1, 60, 1000 + k, 1060 + k, 'ACCEPT',"
    "  CASE WHEN k % 11 = 0 THEN 'NODATA' ELSE 'OK' END, NULL, NULL FROM i;");
  n = day_same_rows(db, "SELECT addr, private FROM vpcflow_addresses",
        "SELECT src, src_private FROM vpcflow_traffic WHERE src_private IS NOT NULL"
        " UNION SELECT dst, dst_private FROM vpcflow_traffic WHERE dst_private IS NOT NULL");
  assert_true(n > 100);
}

static void test_addresses_directonly(void **state){
  day_check_directonly(*state, "vpcflow_addresses", "");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_addresses, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_addresses_reference, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_addresses_directonly, setup_db, teardown_db),
  };
  return cmocka_run_group_tests_name("day_addrs", tests, 0, 0);
}
