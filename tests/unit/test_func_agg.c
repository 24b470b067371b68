/*
** test_func_agg.c - the aggregates of ext/func_breadth.c (port_breadth,
** addr_breadth, reject_ratio; aggregate and window, sliding frames) and
** ext/func_beacon.c (beacon_score, beacon_period) on hand-made series.
**
** Every expectation was worked out by hand from the listed input; the
** comments show the arithmetic.
*/
#include "test.h"

/* Rows x = 0 .. N-1, as a CTE (the system libsqlite3 lacks
** generate_series). */
#define SERIES(N) "WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x+1" \
                  " FROM s WHERE x<" #N "-1) "

/* ---- port_breadth ---- */

static void test_port_basic(void **state){
  sqlite3 *db = *state;
  /* distinct {80, 443, 22}; NULL and '-' skipped */
  CHECK("WITH t(p) AS (VALUES(80),(443),(80),(22),(NULL),('-'))"
        " SELECT port_breadth(p) FROM t", "3");
  /* like count(): no rows, or only NULLs, give 0 */
  CHECK("SELECT port_breadth(1) FROM (SELECT 1) WHERE 0", "0");
  CHECK("WITH t(p) AS (VALUES(NULL),(NULL)) SELECT port_breadth(p) FROM t",
        "0");
  /* 0 and 65535 are ordinary ports */
  CHECK("WITH t(p) AS (VALUES(0),(65535),(0)) SELECT port_breadth(p) FROM t",
        "2");
  /* '80', 80.0 and 80 are one port */
  CHECK("WITH t(p) AS (VALUES('80'),(80.0),(80)) SELECT port_breadth(p) FROM t",
        "1");
  CHECK("WITH t(s,p) AS (VALUES('a',1),('a',2),('b',3),('a',1),('b',NULL),"
        " ('c',NULL)) SELECT s, port_breadth(p) FROM t GROUP BY s ORDER BY s",
        "a|2\nb|1\nc|0");
  /* FILTER works on user aggregates: "sensitive" ports {22, 3389} */
  CHECK("WITH t(p) AS (VALUES(22),(80),(3389),(22),(443))"
        " SELECT port_breadth(p) FILTER (WHERE p IN (22,3389)) FROM t", "2");
}

static void test_port_errors(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT port_breadth(65536)",
        "ERROR: port_breadth(): 65536 is not a port number (0-65535)");
  CHECK("SELECT port_breadth(-1)",
        "ERROR: port_breadth(): -1 is not a port number (0-65535)");
  CHECK("SELECT port_breadth(80.5)",
        "ERROR: port_breadth(): 80.5 is not a port number (0-65535)");
  CHECK("SELECT port_breadth('http')",
        "ERROR: port_breadth(): 'http' is not a port number (0-65535)");
  CHECK("SELECT port_breadth(x'0050')",
        "ERROR: port_breadth(): a BLOB is not a port number (0-65535)");
  /* an error in a later row of a group that already went dense */
  CHECK(SERIES(100) "SELECT port_breadth(CASE WHEN x<99 THEN x ELSE 70000 END)"
        " FROM s", "ERROR: port_breadth(): 70000 is not a port number (0-65535)");
  CHECK("WITH t(p) AS (VALUES(1),(2),('x')) SELECT port_breadth(p) OVER ()"
        " FROM t", "ERROR: port_breadth(): 'x' is not a port number (0-65535)");
}

/* More distinct ports than the inline list holds: the dense counters. */
static void test_port_dense(void **state){
  sqlite3 *db = *state;
  /* x%100 over 0..999: residues 0..99 */
  CHECK(SERIES(1000) "SELECT port_breadth(x%100) FROM s", "100");
  /* every port once, then every port again */
  CHECK(SERIES(131072) "SELECT port_breadth(x%65536) FROM s", "65536");
  /* 17 ports: one past the inline list */
  CHECK(SERIES(17) "SELECT port_breadth(x*1000) FROM s", "17");
  CHECK(SERIES(16) "SELECT port_breadth(x*1000) FROM s", "16");
}

static void test_port_window(void **state){
  sqlite3 *db = *state;
  /*
  ** RANGE 20 PRECEDING at t: the rows with start in [t-20, t].
  **   t=0   {22}              1
  **   t=10  {22,80}           2
  **   t=20  {22,80,22}        2
  **   t=30  {80,22,443}       3
  **   t=40  {22,443,80}       3
  **   t=100 {8080}            1
  */
  exec_ok(db, "CREATE TABLE f(t, p, src);"
              "INSERT INTO f VALUES(0,22,'a'),(10,80,'a'),(20,22,'a'),"
              " (30,443,'a'),(40,80,'a'),(100,8080,'a'),"
              " (0,1,'b'),(5,1,'b'),(25,2,'b');");
  CHECK("SELECT t, port_breadth(p) OVER (ORDER BY t RANGE BETWEEN 20"
        " PRECEDING AND CURRENT ROW) FROM f WHERE src='a' ORDER BY t",
        "0|1\n10|2\n20|2\n30|3\n40|3\n100|1");
  /*
  ** Partition b, same frame: t=0 {1} 1; t=5 {1,1} 1; t=25 [5,25] {1,2} 2.
  */
  CHECK("SELECT src, t, port_breadth(p) OVER (PARTITION BY src ORDER BY t"
        " RANGE BETWEEN 20 PRECEDING AND CURRENT ROW) FROM f"
        " WHERE src='b' ORDER BY t", "b|0|1\nb|5|1\nb|25|2");
  /* the whole partition: a has {22,80,443,8080} */
  CHECK("SELECT DISTINCT port_breadth(p) OVER (PARTITION BY src) FROM f"
        " WHERE src='a'", "4");
  /*
  ** Sparse, sliding: x%5 over 4 rows (3 PRECEDING) is 4 distinct residues
  ** once the frame is full, x+1 before.
  */
  CHECK(SERIES(50) "SELECT sum(c = min(x+1, 4)) FROM (SELECT x,"
        " port_breadth(x%5) OVER (ORDER BY x ROWS 3 PRECEDING) c FROM s)",
        "50");
  /*
  ** Dense, sliding: x%25 over 30 rows: min(rows, 25) distinct residues,
  ** rows = min(x+1, 30).
  */
  CHECK(SERIES(100) "SELECT sum(c = min(x+1, 30, 25)) FROM (SELECT x,"
        " port_breadth(x%25) OVER (ORDER BY x ROWS 29 PRECEDING) c FROM s)",
        "100");
  /* Dense, all distinct: 20-row frame over 0..39 */
  CHECK(SERIES(40) "SELECT sum(c = min(x+1, 20)) FROM (SELECT x,"
        " port_breadth(x) OVER (ORDER BY x ROWS 19 PRECEDING) c FROM s)",
        "40");
  /* NULLs in a window are skipped in and out: frame of 2 rows over
  ** (1),(NULL),(1),(2): 1, 1, 1, 2 */
  CHECK("WITH t(i,p) AS (VALUES(1,1),(2,NULL),(3,1),(4,2))"
        " SELECT group_concat(c) FROM (SELECT port_breadth(p) OVER"
        " (ORDER BY i ROWS 1 PRECEDING) c FROM t ORDER BY i)", "1,1,1,2");
}

/* ---- addr_breadth ---- */

static void test_addr_basic(void **state){
  sqlite3 *db = *state;
  /* {10.0.0.1, 10.0.0.2, 2001:db8::1}: the IPv6 spellings and the
  ** IPv4-mapped form are the same addresses */
  CHECK("WITH t(a) AS (VALUES('10.0.0.1'),('10.0.0.1'),('10.0.0.2'),"
        " ('2001:db8::1'),('2001:DB8:0:0::1'),('2001:0db8::0001'),"
        " ('::ffff:10.0.0.1'),(NULL),('-')) SELECT addr_breadth(a) FROM t",
        "3");
  CHECK("SELECT addr_breadth('1.2.3.4') FROM (SELECT 1) WHERE 0", "0");
  CHECK("WITH t(a) AS (VALUES(NULL),('-')) SELECT addr_breadth(a) FROM t",
        "0");
  CHECK("SELECT addr_breadth('not-an-ip')",
        "ERROR: addr_breadth(): 'not-an-ip' is not an IP address");
  CHECK("SELECT addr_breadth(167772161)",
        "ERROR: addr_breadth(): 167772161 is not an IP address");
  /* 10000 distinct addresses 10.0.(y/256).(y%256), y = x%10000, each twice */
  CHECK(SERIES(20000) "SELECT addr_breadth('10.0.' || (x%10000/256) || '.'"
        " || (x%10000%256)) FROM s", "10000");
  /* the same number of IPv6 addresses */
  CHECK(SERIES(10000) "SELECT addr_breadth('2001:db8::' || printf('%x', x))"
        " FROM s", "10000");
}

static void test_addr_window(void **state){
  sqlite3 *db = *state;
  /*
  ** A = 2001:db8::1 in three spellings, B = 10.0.0.1 in two, C = 10.0.0.2.
  ** RANGE 10 PRECEDING:
  **   t=0  {A}        1     t=5  {A,A}     1     t=10 {A,A,B}  2
  **   t=15 {A,B,B}    2     t=20 {B,B,C}   2     t=40 {A}      1
  */
  exec_ok(db, "CREATE TABLE g(t, a);"
              "INSERT INTO g VALUES(0,'2001:db8::1'),(5,'2001:DB8::1'),"
              " (10,'10.0.0.1'),(15,'::ffff:10.0.0.1'),(20,'10.0.0.2'),"
              " (40,'2001:db8:0::1');");
  CHECK("SELECT t, addr_breadth(a) OVER (ORDER BY t RANGE BETWEEN 10"
        " PRECEDING AND CURRENT ROW) FROM g ORDER BY t",
        "0|1\n5|1\n10|2\n15|2\n20|2\n40|1");
  /*
  ** Many removals from the hash table: 150 addresses in turn, frame of
  ** 100 rows, so min(x+1, 100) distinct; then a 200-row frame: at most
  ** 150 distinct.
  */
  CHECK(SERIES(2000) "SELECT sum(c = min(x+1, 100)) FROM (SELECT x,"
        " addr_breadth('192.168.' || (x%150) || '.1') OVER (ORDER BY x ROWS"
        " 99 PRECEDING) c FROM s)", "2000");
  CHECK(SERIES(2000) "SELECT sum(c = min(x+1, 150)) FROM (SELECT x,"
        " addr_breadth('fd00::' || (x%150)) OVER (ORDER BY x ROWS"
        " 199 PRECEDING) c FROM s)", "2000");
}

/* ---- reject_ratio ---- */

static void test_reject_ratio(void **state){
  sqlite3 *db = *state;
  /* 2 REJECT of 4 actions */
  CHECK("WITH t(a) AS (VALUES('ACCEPT'),('REJECT'),('reject'),('Accept'),"
        " (NULL),('-')) SELECT reject_ratio(a) FROM t", "0.5");
  CHECK("WITH t(a) AS (VALUES(NULL),('-')) SELECT reject_ratio(a) FROM t",
        "NULL");
  CHECK("SELECT reject_ratio('REJECT') FROM (SELECT 1) WHERE 0", "NULL");
  /* 1 of 4 */
  CHECK("WITH t(a) AS (VALUES('REJECT'),('ACCEPT'),('ACCEPT'),('ACCEPT'))"
        " SELECT reject_ratio(a) FROM t", "0.25");
  CHECK("SELECT reject_ratio('DROP')",
        "ERROR: reject_ratio(): 'DROP' is not an action (ACCEPT or REJECT)");
  CHECK("SELECT reject_ratio(1)",
        "ERROR: reject_ratio(): 1 is not an action (ACCEPT or REJECT)");
  /*
  ** Two-row frame over R A R R A: R=1/1, RA=1/2, AR=1/2, RR=2/2, RA=1/2.
  */
  CHECK("WITH t(i,a) AS (VALUES(1,'REJECT'),(2,'ACCEPT'),(3,'REJECT'),"
        " (4,'REJECT'),(5,'ACCEPT')) SELECT group_concat(r, ' ') FROM"
        " (SELECT reject_ratio(a) OVER (ORDER BY i ROWS 1 PRECEDING) r"
        " FROM t ORDER BY i)", "1.0 0.5 0.5 1.0 0.5");
  /*
  ** RANGE 60 PRECEDING; times 0 R, 30 A, 120 A, 150 NULL:
  ** t=0 {R} 1.0; t=30 {R,A} 0.5; t=120 {A} 0.0; t=150 {A} 0.0.
  */
  CHECK("WITH t(s,a) AS (VALUES(0,'REJECT'),(30,'ACCEPT'),(120,'ACCEPT'),"
        " (150,NULL)) SELECT group_concat(r, ' ') FROM (SELECT reject_ratio(a)"
        " OVER (ORDER BY s RANGE 60 PRECEDING) r FROM t ORDER BY s)",
        "1.0 0.5 0.0 0.0");
  /* a frame that loses its last action gives NULL again:
  ** ROWS 0 PRECEDING over R, NULL: 1.0, NULL */
  CHECK("WITH t(i,a) AS (VALUES(1,'REJECT'),(2,NULL)) SELECT"
        " group_concat(coalesce(r,'NULL'), ' ') FROM (SELECT reject_ratio(a)"
        " OVER (ORDER BY i ROWS 0 PRECEDING) r FROM t ORDER BY i)",
        "1.0 NULL");
}

/* ---- beacon_score, beacon_period ---- */

/*
** Starts 0,60,120,180,240 given out of order and with 120 twice:
** intervals 60,60,60,60. Q1=Q2=Q3=60: skew 0, score 1. MAD 0: score 1.
** Connection score 4*60/240 = 1. Mean 1.0; period 60.
*/
static void test_beacon_perfect(void **state){
  sqlite3 *db = *state;
  exec_ok(db, "CREATE TABLE b(t);"
              "INSERT INTO b VALUES(240),(0),(120),(60),(180),(120);");
  CHECK("SELECT beacon_score(t), beacon_period(t) FROM b", "1.0|60.0");
  /* 1000 connections 30 s apart, newest first */
  CHECK(SERIES(1000) "SELECT beacon_score(100000-30*x), beacon_period(100000-30*x)"
        " FROM s", "1.0|30.0");
}

/*
** Starts 0,10,30,60,100: intervals 10,20,30,40.
**   Q1 = median(10,20) = 15, Q2 = 25, Q3 = median(30,40) = 35
**   skew = (15+35-50)/20 = 0 -> 1
**   |d-25| = 15,5,5,15 -> MAD 10 -> (25-10)/25 = 0.6
**   connections: 4*25/100 = 1
**   score = (1+0.6+1)/3 = 2.6/3; period 25
*/
static void test_beacon_dispersed(void **state){
  sqlite3 *db = *state;
  CHECK("WITH t(s) AS (VALUES(100),(30),(0),(60),(10))"
        " SELECT abs(beacon_score(s) - 2.6/3) < 1e-12, beacon_period(s) FROM t",
        "1|25.0");
}

/*
** Starts 0,10,30,60,130,260: intervals 10,20,30,70,130 (odd count).
**   Q1 = median(10,20) = 15, Q2 = 30, Q3 = median(70,130) = 100
**   IQR 85 >= 10, Q2 differs from both: skew = (15+100-60)/85 = 55/85
**   skew score 1-55/85 = 30/85
**   |d-30| = 20,10,0,40,100 -> sorted 0,10,20,40,100 -> MAD 20
**   MAD score (30-20)/30 = 1/3
**   connections 5*30/260 = 15/26
**   score = (30/85 + 1/3 + 15/26)/3; period 30
*/
static void test_beacon_skewed(void **state){
  sqlite3 *db = *state;
  CHECK("WITH t(s) AS (VALUES(0),(10),(30),(60),(130),(260))"
        " SELECT abs(beacon_score(s) - (30.0/85 + 1.0/3 + 15.0/26)/3) < 1e-12,"
        " beacon_period(s) FROM t", "1|30.0");
}

/*
** Jitter below RITA's IQR guard: starts 0,60,121,186,252 give intervals
** 60,61,65,66: Q1 = 60.5, Q3 = 65.5, IQR 5 < 10 so skew 0 -> 1.
**   Q2 = 63; |d-63| = 3,2,2,3 -> MAD 2.5 -> (63-2.5)/63 = 60.5/63
**   connections 4*63/252 = 1
**   score = (1 + 60.5/63 + 1)/3; period 63
*/
static void test_beacon_jitter(void **state){
  sqlite3 *db = *state;
  CHECK("WITH t(s) AS (VALUES(0),(60),(121),(186),(252))"
        " SELECT abs(beacon_score(s) - (2 + 60.5/63)/3) < 1e-12,"
        " beacon_period(s) FROM t", "1|63.0");
}

/*
** With bytes. Times perfect (three scores of 1). Bytes 100..500:
**   Q1 = median(100,200) = 150, Q2 = 300, Q3 = median(400,500) = 450
**   skew (150+450-600)/300 = 0 -> 1
**   |b-300| = 200,100,0,100,200 -> MAD 100 -> (300-100)/300 = 2/3
**   score = (1+1+1+1+2/3)/5 = 14/15
** Equal bytes score 1. All-zero bytes: median < 1, so the MAD score is
** RITA's default 0 for sizes: (1+1+1+1+0)/5 = 0.8.
*/
static void test_beacon_bytes(void **state){
  sqlite3 *db = *state;
  CHECK("WITH t(s,b) AS (VALUES(0,300),(60,100),(120,500),(180,200),(240,400))"
        " SELECT abs(beacon_score(s, b) - 14.0/15) < 1e-12 FROM t", "1");
  CHECK("WITH t(s,b) AS (VALUES(0,100),(60,100),(120,100),(180,100),(240,100))"
        " SELECT beacon_score(s, b) FROM t", "1.0");
  CHECK("WITH t(s,b) AS (VALUES(0,0),(60,0),(120,0),(180,0),(240,0))"
        " SELECT beacon_score(s, b) FROM t", "0.8");
  /* A row with NULL bytes is skipped whole: were its start (1000) used,
  ** the intervals would no longer be regular. */
  CHECK("WITH t(s,b) AS (VALUES(0,300),(60,100),(120,500),(180,200),"
        " (240,400),(1000,NULL))"
        " SELECT abs(beacon_score(s, b) - 14.0/15) < 1e-12 FROM t", "1");
  /* Bytes of duplicate starts are all kept: starts 0,0,60,120,180,240
  ** with bytes 100 x5 and 700: sorted 100,100,100,100,100,700:
  ** Q1 = 100, Q2 = 100, Q3 = median(100,100,700) = 100: skew 0 -> 1;
  ** |b-100| = 0 x5, 600 -> MAD 0 -> 1. Score 1. */
  CHECK("WITH t(s,b) AS (VALUES(0,100),(0,700),(60,100),(120,100),(180,100),"
        " (240,100)) SELECT beacon_score(s, b) FROM t", "1.0");
}

static void test_beacon_edges(void **state){
  sqlite3 *db = *state;
  /* 3 distinct starts (0, 60, 120): no score; period from 60, 60 */
  CHECK("WITH t(s) AS (VALUES(0),(60),(60),(120))"
        " SELECT beacon_score(s), beacon_period(s) FROM t", "NULL|60.0");
  /* one distinct start: neither */
  CHECK("WITH t(s) AS (VALUES(7),(7),(7),(7),(7))"
        " SELECT beacon_score(s), beacon_period(s) FROM t", "NULL|NULL");
  CHECK("SELECT beacon_score(1), beacon_period(1), beacon_score(1, 2)"
        " FROM (SELECT 1) WHERE 0", "NULL|NULL|NULL");
  CHECK("WITH t(s) AS (VALUES(NULL),('-')) SELECT beacon_score(s),"
        " beacon_period(s) FROM t", "NULL|NULL");
  /* two starts 90 apart: period 90; median of 30,90 is 60 */
  CHECK("WITH t(s) AS (VALUES(10),(100)) SELECT beacon_period(s) FROM t",
        "90.0");
  CHECK("WITH t(s) AS (VALUES(0),(30),(120)) SELECT beacon_period(s) FROM t",
        "60.0");
  /* fractional seconds: intervals of 0.5; the median is below 1, so the
  ** MAD score takes its default 1; skew 0; connections 4*0.5/2 = 1 */
  CHECK("WITH t(s) AS (VALUES(0.5),(1.0),(1.5),(2.0),(2.5))"
        " SELECT beacon_score(s), beacon_period(s) FROM t", "1.0|0.5");
  /* text that is a number is a number */
  CHECK("WITH t(s) AS (VALUES('0'),('60'),('120'),('180'))"
        " SELECT beacon_score(s), beacon_period(s) FROM t", "1.0|60.0");
  /* groups */
  CHECK("WITH t(k,s) AS (VALUES('a',0),('a',60),('a',120),('a',180),"
        " ('b',0),('b',5)) SELECT k, beacon_score(s), beacon_period(s)"
        " FROM t GROUP BY k ORDER BY k", "a|1.0|60.0\nb|NULL|5.0");
  CHECK("SELECT beacon_score('noon')",
        "ERROR: beacon_score(): 'noon' is not a time in seconds");
  CHECK("SELECT beacon_score(1, 'big')",
        "ERROR: beacon_score(): 'big' is not a byte count");
  CHECK("SELECT beacon_score(1e300)",
        "ERROR: beacon_score(): 1.0e+300 is not a time in seconds");
  CHECK("SELECT beacon_score(1, -5)",
        "ERROR: beacon_score(): -5 is not a byte count");
  CHECK("SELECT beacon_period(x'00')",
        "ERROR: beacon_period(): a BLOB is not a time in seconds");
}

/* Whatever the input, the score stays in [0,1]. */
static void test_beacon_range(void **state){
  sqlite3 *db = *state;
  CHECK(SERIES(500) "SELECT count(*), sum(sc BETWEEN 0 AND 1) FROM (SELECT"
        " x%10 k, beacon_score((x*x*7919) % 100003, (x*31) % 977) sc FROM s"
        " GROUP BY k)", "10|10");
  CHECK(SERIES(200) "SELECT beacon_score(CASE WHEN x<100 THEN x ELSE"
        " 100000+x*1000 END) BETWEEN 0 AND 1 FROM s", "1");
}

/*
** Out of memory: with the heap capped a little above what is in use,
** each query must either give its right answer or fail cleanly with
** "out of memory" (no crash, no leak: ASan checks the latter). The cap
** rises until the query succeeds, so every allocation point of the
** aggregate is hit on the way.
*/
static void test_oom(void **state){
  sqlite3 *db = *state;
  static const char *az[][2] = {
    { SERIES(100) "SELECT port_breadth(x*100) FROM s", "100" },
    { SERIES(3000) "SELECT addr_breadth('10.1.' || (x/256) || '.' || (x%256))"
      " FROM s", "3000" },
    /* frame of 10 over 20 addresses in turn: 1+2+...+10 + 40*10 = 455 */
    { SERIES(50) "SELECT sum(c) FROM (SELECT addr_breadth('fd00::' || (x%20))"
      " OVER (ORDER BY x ROWS 9 PRECEDING) c FROM s)", "455" },
    { SERIES(3000) "SELECT beacon_score(x*60, 100), beacon_period(x*60)"
      " FROM s", "1.0|60.0" },
    { SERIES(500) "SELECT sparkline(x%10, 1) FROM s", "██████████" },
    { "SELECT bar(1, 0, 1, 1000) = replace(printf('%1000s', ''), ' ', '█')",
      "1" },
  };
  size_t i;
  for(i=0; i<sizeof(az)/sizeof(az[0]); i++){
    sqlite3_int64 iBase = sqlite3_memory_used(), iExtra;
    int nOom = 0, bOk = 0;
    for(iExtra=0; iExtra<(4<<20) && !bOk; iExtra+=(iExtra<65536 ? 1024 : 32768)){
      char *zGot;
      sqlite3_hard_heap_limit64(iBase + iExtra);
      zGot = run_sql(db, az[i][0]);
      sqlite3_hard_heap_limit64(0);
      if( zGot && strcmp(zGot, az[i][1])==0 ){
        bOk = 1;
      }else if( zGot==0 || strcmp(zGot, "ERROR: out of memory")==0 ){
        nOom++;
      }else{
        print_error("%s\n  with %lld bytes: %s\n", az[i][0], iExtra, zGot);
        sqlite3_free(zGot);
        fail();
      }
      sqlite3_free(zGot);
    }
    if( !bOk || nOom==0 ) print_error("%s: ok=%d oom=%d\n", az[i][0], bOk, nOom);
    assert_true(bOk);
    assert_true(nOom>0);
  }
}

int main(void){
  const struct CMUnitTest aTest[] = {
    cmocka_unit_test_setup_teardown(test_port_basic, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_port_errors, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_port_dense, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_port_window, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_addr_basic, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_addr_window, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_reject_ratio, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_beacon_perfect, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_beacon_dispersed, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_beacon_skewed, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_beacon_jitter, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_beacon_bytes, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_beacon_edges, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_beacon_range, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_oom, setup_db, teardown_db),
  };
  return cmocka_run_group_tests(aTest, 0, 0);
}
