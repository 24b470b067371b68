/*
** test_norm.c - vpcflow_normalize() and its lists (ext/norm.c) on small
** hand-written tables, each expectation worked out by hand from the rules
** in sql/prepare.sql's header (the reference SQL is compared separately,
** row for row, by tests/hunt/diff.sh).
*/
#include "test.h"

/* A TEMP table `t` with the columns the normaliser reads, plus rows. */
static void make_table(sqlite3 *db, const char *zRows){
  char *zSql = sqlite3_mprintf(
    "DROP TABLE IF EXISTS temp.t;"
    "CREATE TEMP TABLE t(log_file, dt, interface_id TEXT, srcaddr TEXT, dstaddr TEXT,"
    " srcport INT, dstport INT, protocol INT, start INT, \"end\" INT, log_status TEXT,"
    " tcp_flags INT, flow_direction TEXT, pkt_srcaddr TEXT, pkt_dstaddr TEXT);"
    "INSERT INTO t VALUES %s;", zRows);
  char *zErr = 0;
  int rc = sqlite3_exec(db, zSql, 0, 0, &zErr);
  if( rc ) fprintf(stderr, "%s\n", zErr);
  assert_int_equal(rc, SQLITE_OK);
  sqlite3_free(zSql);
}

static void expect(sqlite3 *db, const char *zSql, const char *zWant){
  char *zGot = run_sql(db, zSql);
  assert_string_equal(zGot, zWant);
  sqlite3_free(zGot);
}

#define FLAGS "SELECT coalesce(dir,'-'), skip, resp, answered, conn_start FROM vpcflow_normalize('t')"

/* Direction from the ENI's most frequent address; a 2-2 tie goes to the
** smaller address ('10.0.0.2' < '10.0.0.9'); an address that is neither
** leaves dir NULL; flow-direction, when given, is kept as is. */
static void test_dir(void **state){
  sqlite3 *db = *state;
  make_table(db,
    "(1,1,'eni-a','10.0.0.9','10.0.0.2',1001,53,17,100,160,'OK',NULL,NULL,NULL,NULL),"
    "(1,1,'eni-a','10.0.0.2','10.0.0.9',1002,53,17,300,360,'OK',NULL,NULL,NULL,NULL),"
    "(1,1,'eni-a','10.0.0.9','10.0.0.30',1003,53,17,500,560,'OK',NULL,NULL,NULL,NULL),"
    "(1,1,'eni-a','10.0.0.30','10.0.0.2',1004,53,17,700,760,'OK',NULL,NULL,NULL,NULL),"
    "(1,1,'eni-b','10.0.0.9','10.0.0.2',1005,53,17,900,960,'OK',NULL,'Ingress',NULL,NULL)");
  /* eni-a: 10.0.0.2 x3, 10.0.0.9 x3, 10.0.0.30 x2 -> 10.0.0.2 */
  expect(db, "SELECT coalesce(dir,'-') FROM vpcflow_normalize('t')",
         "ingress\negress\n-\ningress\ningress");
  expect(db, "SELECT * FROM vpcflow_eni_addresses('t')", "eni-a|10.0.0.2|3");
}

/* Both-ENI copies: the egress copy is skip 2 when another ENI logged the
** same 5-tuple as ingress within 60 s; at 61 s it stays. */
static void test_skip2(void **state){
  sqlite3 *db = *state;
  make_table(db,
    "(1,1,'eni-a','10.0.0.1','10.0.0.2',40000,5432,6,1000,1060,'OK',NULL,'egress',NULL,NULL),"
    "(1,1,'eni-b','10.0.0.1','10.0.0.2',40000,5432,6,1060,1120,'OK',NULL,'ingress',NULL,NULL),"
    "(1,1,'eni-a','10.0.0.1','10.0.0.2',40001,5432,6,1000,1060,'OK',NULL,'egress',NULL,NULL),"
    "(1,1,'eni-b','10.0.0.1','10.0.0.2',40001,5432,6,1061,1120,'OK',NULL,'ingress',NULL,NULL),"
    "(1,1,'eni-a','10.0.0.1','10.0.0.2',40002,5432,6,1000,1060,'OK',NULL,'egress',NULL,NULL),"
    "(1,1,'eni-a','10.0.0.1','10.0.0.2',40002,5432,6,1000,1060,'OK',NULL,'ingress',NULL,NULL)");
  /* same ENI on both sides (40002): not a copy of another ENI's record */
  expect(db, "SELECT skip FROM vpcflow_normalize('t')", "2\n0\n0\n0\n0\n0");
}

/* resp from tcp-flags, else ports; answered within +-120 s (a reverse
** record); conn_start: SYN alone, else no same 5-tuple in the previous
** 120 s. ICMP (NULL ports) matches NULL ports. */
static void test_windows(void **state){
  sqlite3 *db = *state;
  make_table(db,
    /* 1: UDP request, reply 120 s later -> answered; nothing before -> start */
    "(1,1,'e','10.0.0.1','10.0.0.2',40000,53,17,1000,1001,'OK',NULL,'egress',NULL,NULL),"
    /* 2: its reply (src port 53 < 1024, dst >= 1024) -> resp 1 */
    "(1,1,'e','10.0.0.2','10.0.0.1',53,40000,17,1120,1121,'OK',NULL,'ingress',NULL,NULL),"
    /* 3: request repeated 120 s after 1 -> not a start; the reply (2) is
    ** at the same second -> answered */
    "(1,1,'e','10.0.0.1','10.0.0.2',40000,53,17,1120,1121,'OK',NULL,'egress',NULL,NULL),"
    /* 4: 121 s after 3 -> a start; the reply at 1120 is 121 s away -> 0 */
    "(1,1,'e','10.0.0.1','10.0.0.2',40000,53,17,1241,1242,'OK',NULL,'egress',NULL,NULL),"
    /* 5: TCP SYN-ACK -> resp 1 whatever the ports */
    "(1,1,'e','10.0.0.3','10.0.0.4',50000,50001,6,2000,2001,'OK',18,'egress',NULL,NULL),"
    /* 6: TCP SYN only -> conn_start 1, resp 0 even with ports 80 -> 40000;
    ** no record 10.0.0.3:40000 -> 10.0.0.4:80 -> not answered */
    "(1,1,'e','10.0.0.4','10.0.0.3',80,40000,6,2000,2001,'OK',2,'egress',NULL,NULL),"
    /* 7: TCP ACK only -> conn_start 0 by flags; ports 80 -> 40000 resp 1 */
    "(1,1,'e','10.0.0.4','10.0.0.3',80,40001,6,2000,2001,'OK',16,'egress',NULL,NULL),"
    /* 8, 9: ICMP both ways 30 s apart: NULL ports match NULL ports; no
    ** port rule makes 9 a reply, so it is an initiator too: answered by 8,
    ** and a start (8 is the reverse tuple, not the same one) */
    "(1,1,'e','10.0.0.5','10.0.0.6',NULL,NULL,1,3000,3001,'OK',NULL,'egress',NULL,NULL),"
    "(1,1,'e','10.0.0.6','10.0.0.5',NULL,NULL,1,3030,3031,'OK',NULL,'ingress',NULL,NULL),"
    /* 10: NODATA: every flag 0 */
    "(1,1,'e',NULL,NULL,NULL,NULL,NULL,3000,3060,'NODATA',NULL,NULL,NULL,NULL)");
  expect(db, FLAGS,
    "egress|0|0|1|1\n"
    "ingress|0|1|0|0\n"
    "egress|0|0|1|0\n"
    "egress|0|0|0|1\n"
    "egress|0|1|0|0\n"
    "egress|0|0|0|1\n"
    "egress|0|1|0|0\n"
    "egress|0|0|1|1\n"
    "ingress|0|0|1|1\n"
    "-|0|0|0|0");
}

/* NAT: the NAT ENI logs srcaddr -> NAT address with the instance's ports
** within 5 s of the instance's record to the internet: 3 matches make
** 10.0.9.9 a translator (nat_min_matches 3) and its records skip 1; with
** nat_min_matches 4 (or NULL) there is none. pkt-srcaddr gives src. */
static void test_nat(void **state){
  sqlite3 *db = *state;
  make_table(db,
    "(1,1,'i','10.0.0.1','8.8.8.8',40000,443,6,1000,1001,'OK',NULL,'egress',NULL,NULL),"
    "(1,1,'n','10.0.0.1','10.0.9.9',40000,443,6,1005,1006,'OK',NULL,'ingress',NULL,NULL),"
    "(1,1,'i','10.0.0.1','8.8.8.8',40001,443,6,2000,2001,'OK',NULL,'egress',NULL,NULL),"
    "(1,1,'n','10.0.0.1','10.0.9.9',40001,443,6,1995,1996,'OK',NULL,'ingress',NULL,NULL),"
    "(1,1,'i','10.0.0.1','8.8.8.8',40002,443,6,3000,3001,'OK',NULL,'egress',NULL,NULL),"
    "(1,1,'n','10.0.0.1','10.0.9.9',40002,443,6,3000,3001,'OK',NULL,'ingress',NULL,NULL),"
    /* 6 s apart: not a match */
    "(1,1,'i','10.0.0.1','8.8.8.8',40003,443,6,4000,4001,'OK',NULL,'egress',NULL,NULL),"
    "(1,1,'n','10.0.0.1','10.0.9.9',40003,443,6,4006,4007,'OK',NULL,'ingress',NULL,NULL),"
    "(1,1,'n','10.0.9.9','8.8.8.8',1024,443,6,4006,4007,'OK',NULL,'egress','10.0.0.1',NULL)");
  expect(db, "SELECT * FROM vpcflow_translators('t', 3)", "10.0.9.9|3");
  /* the last record names the translator as srcaddr: skip 1 too */
  expect(db, "SELECT group_concat(skip, '') FROM vpcflow_normalize('t', 3)", "010101011");
  expect(db, "SELECT src FROM vpcflow_normalize('t', 3) WHERE rowid = 9", "10.0.0.1");
  expect(db, "SELECT count(*) FROM vpcflow_translators('t', 4)", "0");
  expect(db, "SELECT count(*) FROM vpcflow_translators('t', NULL)", "0");
  expect(db, "SELECT sum(skip) FROM vpcflow_normalize('t', 4)", "0");
}

/* Clear errors for what the normaliser cannot read. */
static void test_errors(void **state){
  sqlite3 *db = *state;
  expect(db, "SELECT * FROM vpcflow_normalize('nope')",
         "ERROR: vpcflow_normalize(): no such table: nope");
  expect(db, "SELECT * FROM vpcflow_normalize()",
         "ERROR: vpcflow_normalize(): the first argument, a table name, is required");
  make_table(db, "(1,1,'e','10.0.0.1','10.0.0.2','http',80,6,1000,1001,'OK',NULL,NULL,NULL,NULL)");
  expect(db, "SELECT * FROM vpcflow_normalize('t')",
         "ERROR: vpcflow_normalize(): row 1 of t: srcport is not an integer in 0..65535");
  /* a name that needs quoting is quoted, not spliced into the SQL */
  expect(db, "SELECT * FROM vpcflow_normalize('t\"; DROP TABLE t; --')",
         "ERROR: vpcflow_normalize(): no such table: t\"; DROP TABLE t; --");
  expect(db, "SELECT count(*) FROM t", "1");
  /* an empty table: no rows, no error */
  assert_int_equal(sqlite3_exec(db, "DELETE FROM t", 0, 0, 0), SQLITE_OK);
  expect(db, "SELECT count(*) FROM vpcflow_normalize('t')", "0");
}

/* The prepared day (ext/day.c): vpcflow_prepare()'s counts, and the
** tables read from memory, on five hand-written records: (1) an outbound
** SYN answered by (2) its SYN-ACK reply, (3) an internal REJECT without
** tcp-flags, (4) NODATA, (5) SKIPDATA. Every expectation by hand. */
static void test_day(void **state){
  sqlite3 *db = *state;
  expect(db, "SELECT count(*) FROM vpcflow_traffic",
         "ERROR: vpcflow_traffic: no prepared flows on this connection: "
         "read sql/prepare.sql first (it runs vpcflow_prepare())");
  expect(db, "SELECT count(*) FROM vpcflow_records",
         "ERROR: vpcflow_records: no prepared flows on this connection: "
         "read sql/prepare.sql first (it runs vpcflow_prepare())");
  assert_int_equal(sqlite3_exec(db,
    "CREATE TEMP TABLE d(interface_id TEXT, srcaddr TEXT, dstaddr TEXT, srcport INT,"
    " dstport INT, protocol INT, packets INT, bytes INT, start INT, \"end\" INT,"
    " action TEXT, log_status TEXT, tcp_flags INT, flow_direction TEXT);"
    "INSERT INTO d VALUES"
    " ('eni-a','10.0.0.1','8.8.8.8',40000,443,6,2,100,1000,1060,'ACCEPT','OK',2,'egress'),"
    " ('eni-a','8.8.8.8','10.0.0.1',443,40000,6,4,5000,1000,1060,'accept','OK',18,'ingress'),"
    " ('eni-a','10.0.0.1','10.0.0.2',40001,22,6,1,40,1100,1160,'REJECT','OK',NULL,'egress'),"
    " ('eni-b',NULL,NULL,NULL,NULL,NULL,NULL,NULL,1200,1260,NULL,'NODATA',NULL,NULL),"
    " ('eni-b',NULL,NULL,NULL,NULL,NULL,NULL,NULL,1300,1360,NULL,'SKIPDATA',NULL,NULL);",
    0, 0, 0), SQLITE_OK);
  expect(db, "SELECT * FROM vpcflow_prepare('d', 3)", "5|3|3|1|1|0|0|0|1000|1160");
  expect(db, "SELECT resp, answered, conn_start, src_private, dst_private, action"
             " FROM vpcflow_traffic", "0|1|1|1|0|ACCEPT\n1|0|0|0|1|ACCEPT\n0|0|1|1|1|REJECT");
  /* constraints tested in C, and the ones left to SQLite, give SQL's answer */
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE resp = 0", "2");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE protocol = '6'", "3");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE action = 'accept' COLLATE NOCASE", "2");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE action = 'accept'", "0");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE dstport IN (22, NULL, 'x')", "1");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE dstport IN (22, 443)", "2");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE dstport IN (443, 9, 40000, 22, 8)", "3");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE start < 1100", "2");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE start <= 1100.0", "3");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE tcp_flags IS NULL", "1");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE dst_private IS NOT NULL AND bytes > 99", "2");
  expect(db, "SELECT count(*) FROM vpcflow_traffic WHERE dst = NULL", "0");
  expect(db, "SELECT src, dst, bytes FROM vpcflow_traffic WHERE src_private = 1 AND dst_private = 0",
         "10.0.0.1|8.8.8.8|100");
  /* the summaries: attempts (resp = 0) by (src, dst, protocol, port) in
  ** GROUP BY order; records with a public side by (src, dst) */
  expect(db, "SELECT src, dst, protocol, dstport, n, rejected, accepted, failed, answered, conns"
             " FROM vpcflow_att_port",
         "10.0.0.1|10.0.0.2|6|22|1|1|0|1|0|1\n10.0.0.1|8.8.8.8|6|443|1|0|1|0|1|1");
  expect(db, "SELECT src, dst, n, bytes, packets, t0, t1 FROM vpcflow_pair",
         "10.0.0.1|8.8.8.8|1|100|2|1000|1060\n8.8.8.8|10.0.0.1|1|5000|4|1000|1060");
  /* per (interface, minute): 1000/60 = 16, 1100/60 = 18, 20, 21 */
  expect(db, "SELECT interface_id, m, skip_n, nodata_n, ok_n, start, e, coalesce(s0, '-'), coalesce(s1, '-'), odd"
             " FROM vpcflow_coverage ORDER BY 1, 2",
         "eni-a|16|0|0|2|1000|1060|-|-|0\neni-a|18|0|0|1|1100|1160|-|-|0\n"
         "eni-b|20|0|1|0|1200|1260|-|-|0\neni-b|21|1|0|0|1300|1360|1300|1360|0");
  /* vpcflow_records: every record, the idle interface's NODATA included */
  expect(db, "SELECT count(*), sum(interface_id = 'eni-b'), sum(resp) FROM vpcflow_records", "5|2|1");
  expect(db, "SELECT start FROM vpcflow_records WHERE interface_id = 'eni-b' AND start >= 1250", "1300");
  /* flows_n's reads take the day's flags: same as a fresh analysis */
  expect(db, "SELECT group_concat(resp || answered || conn_start || skip, ' ') FROM vpcflow_normalize('d', 3)",
         "0110 1000 0010 0000 0000");
}

/* Direct-only: a TEMP view may call it, a view in the database file not. */
static void test_directonly(void **state){
  sqlite3 *db = *state;
  make_table(db, "(1,1,'e','10.0.0.1','10.0.0.2',1,2,17,1000,1001,'OK',NULL,NULL,NULL,NULL)");
  assert_int_equal(sqlite3_exec(db,
      "CREATE VIEW main.v AS SELECT * FROM vpcflow_normalize('t')", 0, 0, 0), SQLITE_OK);
  expect(db, "SELECT count(*) FROM main.v",
         "ERROR: unsafe use of virtual table \"vpcflow_normalize\"");
  assert_int_equal(sqlite3_exec(db,
      "CREATE VIEW main.v2 AS SELECT * FROM vpcflow_traffic", 0, 0, 0), SQLITE_OK);
  expect(db, "SELECT count(*) FROM main.v2",
         "ERROR: unsafe use of virtual table \"vpcflow_traffic\"");
  expect(db, "SELECT count(*) FROM (SELECT vpcflow_progress(NULL))", "1");
  assert_int_equal(sqlite3_exec(db,
      "CREATE VIEW main.w AS SELECT vpcflow_progress('x') AS p", 0, 0, 0), SQLITE_OK);
  expect(db, "SELECT p FROM main.w", "ERROR: unsafe use of vpcflow_progress()");
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_dir, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_skip2, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_windows, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_nat, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_errors, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_directonly, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_day, setup_db, teardown_db),
  };
  if( getenv("NORM_TEST") ) cmocka_set_test_filter(getenv("NORM_TEST"));
  return cmocka_run_group_tests(tests, 0, 0);
}
