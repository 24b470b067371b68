/*
** test_day_served.c - vpcflow_served (ext/day_served.c) on a small
** hand-written day: which inbound attempts count as accepted AND answered
** (the reply a SYN-ACK within 120 s, any reply for UDP or without
** tcp-flags), the fold per (dst, dstport, protocol, src) and the order
** of the rows, each worked out by hand from the rules in its header. The
** same table is compared with the SQL it replaced by
** tests/hunt/det_current.sh (through exposed_service) on larger data.
*/
#include "day_test.h"

static void test_served(void **state){
  sqlite3 *db = *state;
  day_check_no_day(db, "vpcflow_served", "");
  day_load(db, 0,
    "INSERT INTO d VALUES"
    /* a: SYN, SYN-ACK back 120 s later (the window's edge) -> counted */
    " ('e','203.0.113.9','10.0.0.5',50000,22,6,1,60,1000,1001,'ACCEPT','OK',2,'ingress'),"
    " ('e','10.0.0.5','203.0.113.9',22,50000,6,1,60,1120,1121,'ACCEPT','OK',18,'egress'),"
    /* b: answered by an RST only -> answered = 1, but not a SYN-ACK: no */
    " ('e','198.51.100.7','10.0.0.5',50001,22,6,1,60,1000,1001,'ACCEPT','OK',2,'ingress'),"
    " ('e','10.0.0.5','198.51.100.7',22,50001,6,1,40,1000,1001,'ACCEPT','OK',4,'egress'),"
    /* c: the SYN-ACK 121 s later -> not answered: no */
    " ('e','198.51.100.8','10.0.0.5',50002,22,6,1,60,1000,1001,'ACCEPT','OK',2,'ingress'),"
    " ('e','10.0.0.5','198.51.100.8',22,50002,6,1,60,1121,1122,'ACCEPT','OK',18,'egress'),"
    /* d: UDP, any reply (10 s later) -> counted */
    " ('e','198.51.100.9','10.0.0.6',40000,53,17,1,60,1000,1001,'ACCEPT','OK',NULL,'ingress'),"
    " ('e','10.0.0.6','198.51.100.9',53,40000,17,1,90,1010,1011,'ACCEPT','OK',NULL,'egress'),"
    /* e: TCP without tcp-flags on either side (a v2 file) -> counted */
    " ('e','198.51.100.40','10.0.0.7',50003,22,6,3,180,1000,1060,'ACCEPT','OK',NULL,'ingress'),"
    " ('e','10.0.0.7','198.51.100.40',22,50003,6,3,180,1000,1060,'ACCEPT','OK',NULL,'egress'),"
    /* f: REJECT (whatever came back) -> no */
    " ('e','198.51.100.41','10.0.0.7',50004,22,6,1,60,1000,1001,'REJECT','OK',2,'ingress'),"
    " ('e','10.0.0.7','198.51.100.41',22,50004,6,1,60,1000,1001,'ACCEPT','OK',18,'egress'),"
    /* g: a later service on 10.0.0.10 (BINARY: before '10.0.0.5') */
    " ('e','198.51.100.30','10.0.0.10',50005,443,6,1,60,1500,1501,'ACCEPT','OK',2,'ingress'),"
    " ('e','10.0.0.10','198.51.100.30',443,50005,6,1,60,1500,1501,'ACCEPT','OK',18,'egress'),"
    /* h: a second source on 10.0.0.5:22 that sorts before 203.0.113.9
    ** but came later: listed after it */
    " ('e','198.51.100.20','10.0.0.5',50006,22,6,1,60,1600,1601,'ACCEPT','OK',2,'ingress'),"
    " ('e','10.0.0.5','198.51.100.20',22,50006,6,1,60,1600,1601,'ACCEPT','OK',18,'egress'),"
    /* i: source a again, the SYN-ACK 10 s BEFORE the SYN -> counted: n 2 */
    " ('e','203.0.113.9','10.0.0.5',50010,22,6,1,60,2000,2001,'ACCEPT','OK',2,'ingress'),"
    " ('e','10.0.0.5','203.0.113.9',22,50010,6,1,60,1990,1991,'ACCEPT','OK',18,'egress'),"
    /* j: no source port: the SQL's srcport = ... is never true -> no */
    " ('e','198.51.100.50','10.0.0.8',NULL,22,6,1,60,1000,1001,'ACCEPT','OK',2,'ingress'),"
    " ('e','10.0.0.8','198.51.100.50',22,NULL,6,1,60,1000,1001,'ACCEPT','OK',18,'egress'),"
    /* k: the reply is from another address -> no */
    " ('e','198.51.100.51','10.0.0.8',50011,22,6,1,60,1000,1001,'ACCEPT','OK',2,'ingress'),"
    " ('e','10.0.0.9','198.51.100.51',22,50011,6,1,60,1000,1001,'ACCEPT','OK',18,'egress');");
  /* the prepared flags these cases rest on, a to k: b (RST), f (REJECT)
  ** and j (NULL ports match as IS) are answered; c (121 s) and k not */
  expect(db, "SELECT group_concat(answered, '') FROM vpcflow_traffic"
             " WHERE resp = 0 AND src_private = 0",
         "11011111110");
  expect(db, "SELECT dst, dstport, protocol, src, n, t0, t1 FROM vpcflow_served",
         "10.0.0.10|443|6|198.51.100.30|1|1500|1500\n"
         "10.0.0.5|22|6|203.0.113.9|2|1000|2000\n"
         "10.0.0.5|22|6|198.51.100.20|1|1600|1600\n"
         "10.0.0.6|53|17|198.51.100.9|1|1000|1000\n"
         "10.0.0.7|22|6|198.51.100.40|1|1000|1000");
  /* typed as declared; a second scan gives the same rows */
  expect(db, "SELECT typeof(dst), typeof(dstport), typeof(n), typeof(t0) FROM vpcflow_served LIMIT 1",
         "text|integer|integer|integer");
  expect(db, "SELECT count(*), sum(n) FROM vpcflow_served", "5|6");
}

/* A day without one answered attempt: no rows, no error. */
static void test_served_empty(void **state){
  sqlite3 *db = *state;
  day_load(db, 0,
    "INSERT INTO d VALUES"
    " ('e','10.0.0.1','8.8.8.8',40000,443,6,2,100,1000,1060,'ACCEPT','OK',2,'egress'),"
    " ('e','8.8.8.8','10.0.0.1',443,40000,6,4,5000,1000,1060,'ACCEPT','OK',18,'ingress');");
  expect(db, "SELECT count(*) FROM vpcflow_served", "0");
}

/* Direct-only, as the day's other tables. */
static void test_served_directonly(void **state){
  day_check_directonly(*state, "vpcflow_served", "");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_served, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_served_empty, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_served_directonly, setup_db, teardown_db),
  };
  return cmocka_run_group_tests_name("day_served", tests, 0, 0);
}
