/*
** test_day_senders.c - vpcflow_senders (ext/day_senders.c) on a small
** hand-written day: one row per source address of the traffic (log
** status OK, copies set aside), its record count and first and last
** start, NULL starts left out of both, sources that are no address left
** out; worked out by hand from its header.
*/
#include "day_test.h"

static void test_senders(void **state){
  sqlite3 *db = *state;
  day_check_no_day(db, "vpcflow_senders", "");
  day_load(db, 0,
    "INSERT INTO d VALUES"
    " ('e','10.0.0.1','8.8.8.8',40000,443,6,2,100,1000,1060,'ACCEPT','OK',2,'egress'),"
    " ('e','10.0.0.1','8.8.4.4',40001,443,6,2,100,900,960,'ACCEPT','OK',2,'egress'),"
    " ('e','10.0.0.1','8.8.4.4',40002,443,6,2,100,NULL,NULL,'ACCEPT','OK',2,'egress'),"
    " ('e','8.8.8.8','10.0.0.1',443,40000,6,4,5000,1000,1060,'ACCEPT','OK',18,'ingress'),"
    /* no start at all: counted, t0 and t1 NULL */
    " ('e','10.0.0.2','10.0.0.1',40003,22,6,1,40,NULL,NULL,'REJECT','OK',NULL,'ingress'),"
    /* NODATA and SKIPDATA are no traffic */
    " ('e','10.0.0.3','10.0.0.1',40004,22,6,1,40,1100,1160,'ACCEPT','NODATA',NULL,'ingress'),"
    /* not an address: src_private NULL, not listed */
    " ('e','nonsense','10.0.0.1',40005,22,6,1,40,1200,1260,'ACCEPT','OK',NULL,'ingress');");
  expect(db, "SELECT src, n, coalesce(t0, '-'), coalesce(t1, '-'), src_private"
             " FROM vpcflow_senders ORDER BY src",
         "10.0.0.1|3|900|1000|1\n10.0.0.2|1|-|-|1\n8.8.8.8|1|1000|1000|0");
  expect(db, "SELECT typeof(src), typeof(n), typeof(t0), typeof(src_private)"
             " FROM vpcflow_senders WHERE src = '8.8.8.8'",
         "text|integer|integer|integer");
}

static void test_senders_directonly(void **state){
  day_check_directonly(*state, "vpcflow_senders", "");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_senders, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_senders_directonly, setup_db, teardown_db),
  };
  return cmocka_run_group_tests_name("day_senders", tests, 0, 0);
}
