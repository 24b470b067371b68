/*
** test_func_chart.c - bar() and sparkline() of ext/func_chart.c.
**
** Expected pictures were drawn by hand from the rules in func_chart.c's
** header: eighths of a character for bar(), levels
** ceil(8*(v-lo)/(hi-lo))-1 for sparkline().
*/
#include "test.h"

#define SERIES(N) "WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x+1" \
                  " FROM s WHERE x<" #N "-1) "

/* ---- bar ---- */

static void test_bar_shapes(void **state){
  sqlite3 *db = *state;
  /* half of 10 characters: 5 full blocks, padded to 10 */
  CHECK("SELECT '[' || bar(5, 0, 10, 10) || ']'", "[█████     ]");
  CHECK("SELECT '[' || bar(10, 0, 10, 4) || ']', '[' || bar(0, 0, 10, 4) || ']'",
        "[████]|[    ]");
  /* clamped to [min, max] */
  CHECK("SELECT '[' || bar(-5, 0, 10, 4) || ']', '[' || bar(50, 0, 10, 4) || ']'",
        "[    ]|[████]");
  /* k/8 of one character, k = 1..7 */
  CHECK("SELECT bar(1,0,8,1) || bar(2,0,8,1) || bar(3,0,8,1) || bar(4,0,8,1)"
        " || bar(5,0,8,1) || bar(6,0,8,1) || bar(7,0,8,1)", "▏▎▍▌▋▊▉");
  /* 3/16 of 2 characters = 3 eighths, then one space */
  CHECK("SELECT '[' || bar(3, 0, 16, 2) || ']'", "[▍ ]");
  /* 1.5 of 4 characters past the minimum 10: 12 eighths = 1 full + 4/8 */
  CHECK("SELECT '[' || bar(13, 10, 18, 4) || ']'", "[█▌  ]");
  /* nearest eighth: 8/3 = 2.67 -> 3 eighths; 8/17 = 0.47 -> none */
  CHECK("SELECT bar(1, 0, 3, 1), '[' || bar(1, 0, 17, 1) || ']'", "▍|[ ]");
  /* default width 80: half is 40 blocks and 40 spaces */
  CHECK("SELECT length(bar(1, 0, 2)), length(replace(bar(1, 0, 2), ' ', '')),"
        " substr(bar(1, 0, 2), 40, 2)", "80|40|█ ");
  /* numeric text; REAL bounds */
  CHECK("SELECT bar('5', '0', '10', 2), bar(0.25, 0.0, 1.0, 1)", "█ |▎");
  CHECK("SELECT length(bar(1, 0, 1, 1000))", "1000");
}

static void test_bar_null_errors(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT bar(NULL, 0, 1), bar(1, NULL, 2), bar(1, 0, NULL),"
        " bar(1, 0, 2, NULL)", "NULL|NULL|NULL|NULL");
  CHECK("SELECT bar(1, 2, 2)", "ERROR: bar(): the maximum (2.0) must be "
        "greater than the minimum (2.0)");
  CHECK("SELECT bar(1, 3, 2)", "ERROR: bar(): the maximum (2.0) must be "
        "greater than the minimum (3.0)");
  CHECK("SELECT bar(1, 0, 2, 0)",
        "ERROR: bar(): 0 is not a bar width (1-1000)");
  CHECK("SELECT bar(1, 0, 2, 1001)",
        "ERROR: bar(): 1001 is not a bar width (1-1000)");
  CHECK("SELECT bar(1, 0, 2, 2.5)",
        "ERROR: bar(): 2.5 is not a bar width (1-1000)");
  CHECK("SELECT bar('x', 0, 1)", "ERROR: bar(): 'x' is not a number");
  /* a bad argument is reported even when another one is NULL */
  CHECK("SELECT bar(NULL, 'lo', 1)", "ERROR: bar(): 'lo' is not a number");
  /* a range wider than the largest double is still a range (issue 18:
  ** it said the maximum must be greater than the minimum, which it is):
  ** 1e308 is the top, 0 the middle, -1e308 the bottom */
  CHECK("SELECT bar(1e308, -1e308, 1e308, 4) || '|', "
        "bar(0, -1e308, 1e308, 4) || '|', bar(-1e308, -1e308, 1e308, 4) "
        "|| '|', bar(-1e308, -1.7e308, 1.7e308, 20) || '|'",
        /* each value ends in '|', then the column separator '|' */
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88||"
        "\xe2\x96\x88\xe2\x96\x88  ||"
        "    ||"
        /* 0.7/3.4 of 20 cells = 32.9 eighths: 4 full, one 1/8 */
        "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
        "\xe2\x96\x8f               |");
}

/* ---- sparkline ---- */

static void test_sparkline_levels(void **state){
  sqlite3 *db = *state;
  /* buckets 0..7 with sums 1..8, rows shuffled: lo 0, hi 8, level v-1 */
  CHECK("WITH t(b,v) AS (VALUES(5,6),(0,1),(7,8),(2,3),(1,2),(6,7),(3,4),(4,5))"
        " SELECT sparkline(b, v) FROM t", "▁▂▃▄▅▆▇█");
  /* sums per bucket: 0 -> 1+1 = 2, 1 -> 1, 2 -> none, 3 -> 4; hi 4:
  ** 2 -> ceil(4)-1 = 3, 1 -> ceil(2)-1 = 1, 4 -> 7 */
  CHECK("WITH t(b,v) AS (VALUES(0,1),(0,1),(1,1),(3,4))"
        " SELECT sparkline(b, v) FROM t", "▄▂ █");
  /* all zero: every level is the lowest */
  CHECK("WITH t(b,v) AS (VALUES(5,0),(6,0)) SELECT sparkline(b, v) FROM t",
        "▁▁");
  /* negative sums: lo -4, hi 4: -4 -> 0, 0 -> ceil(4)-1 = 3, 4 -> 7 */
  CHECK("WITH t(b,v) AS (VALUES(0,-4),(1,0),(2,4)) SELECT sparkline(b, v)"
        " FROM t", "▁▄█");
  /* equal positive sums are all full height (lo is 0) */
  CHECK("WITH t(b,v) AS (VALUES(0,3),(1,3)) SELECT sparkline(b, v) FROM t",
        "██");
  /* negative buckets and a gap at 0: -2 -> 1 of 2 -> level 3 */
  CHECK("WITH t(b,v) AS (VALUES(-2,1),(-1,2),(1,2)) SELECT sparkline(b, v)"
        " FROM t", "▄█ █");
  /* numeric text and integral REAL buckets */
  CHECK("WITH t(b,v) AS (VALUES('1',1),(2.0,2)) SELECT sparkline(b, v) FROM t",
        "▄█");
  /* the largest int64 buckets: ...806 has 2, ...807 has 1 */
  CHECK("WITH t(b,v) AS (VALUES(9223372036854775807,1),"
        " (9223372036854775806,2)) SELECT sparkline(b, v) FROM t", "█▄");
}

/* The picture must not depend on the order rows arrive in. */
static void test_sparkline_order(void **state){
  sqlite3 *db = *state;
  exec_ok(db, "CREATE TABLE r(k, b, v);");
  exec_ok(db, SERIES(300) "INSERT INTO r SELECT x, x%30, (x*37)%11 FROM s");
  CHECK("SELECT (SELECT sparkline(b, v) FROM (SELECT * FROM r ORDER BY k))"
        " = (SELECT sparkline(b, v) FROM (SELECT * FROM r ORDER BY k DESC))"
        " AND (SELECT sparkline(b, v) FROM (SELECT * FROM r ORDER BY k))"
        " = (SELECT sparkline(b, v) FROM (SELECT * FROM r ORDER BY v, k))",
        "1");
  CHECK("SELECT length(sparkline(b, v)) FROM r", "30");
}

static void test_sparkline_null_errors(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT sparkline(1, 1) FROM (SELECT 1) WHERE 0", "NULL");
  CHECK("WITH t(b,v) AS (VALUES(NULL,1),(1,NULL),('-',2))"
        " SELECT sparkline(b, v) FROM t", "NULL");
  /* a NULL value is skipped, the bucket stays empty: 0 and 2 have 1 */
  CHECK("WITH t(b,v) AS (VALUES(0,1),(1,NULL),(2,1))"
        " SELECT sparkline(b, v) FROM t", "█ █");
  /* 1000 buckets fit; 1001 do not */
  CHECK("WITH t(b,v) AS (VALUES(0,1),(999,1))"
        " SELECT length(sparkline(b, v)) FROM t", "1000");
  CHECK("WITH t(b,v) AS (VALUES(0,1),(1000,1))"
        " SELECT sparkline(b, v) FROM t",
        "ERROR: sparkline(): buckets 0 to 1000 span more than 1000 values");
  CHECK("WITH t(b,v) AS (VALUES(9223372036854775807,1),"
        " (-9223372036854775808,1)) SELECT sparkline(b, v) FROM t",
        "ERROR: sparkline(): buckets -9223372036854775808 to "
        "9223372036854775807 span more than 1000 values");
  CHECK("WITH t(b,v) AS (VALUES(0,1e308),(0,1e308)) SELECT sparkline(b, v)"
        " FROM t", "ERROR: sparkline(): the sum of bucket 0 overflows");
  /* the widest range of sums still scales: -1e308 -> 0, 1e308 -> 7 */
  CHECK("WITH t(b,v) AS (VALUES(0,1e308),(1,-1e308)) SELECT sparkline(b, v)"
        " FROM t", "█▁");
  CHECK("SELECT sparkline(1.5, 1)",
        "ERROR: sparkline(): 1.5 is not an integer bucket");
  CHECK("SELECT sparkline(1, 'x')", "ERROR: sparkline(): 'x' is not a number");
  CHECK("SELECT sparkline(1e300, 1)",
        "ERROR: sparkline(): 1.0e+300 is not an integer bucket");
}

/* The README's charts: requests per minute and rejects per hour. */
static void test_chart_examples(void **state){
  sqlite3 *db = *state;
  /* minute 0: 4 rows, minute 1: 2, minute 2: none, minute 3: 1 */
  exec_ok(db, "CREATE TABLE f(start, action);"
              "INSERT INTO f VALUES(0,'ACCEPT'),(10,'REJECT'),(20,'ACCEPT'),"
              " (59,'REJECT'),(60,'ACCEPT'),(119,'ACCEPT'),(185,'REJECT');");
  CHECK("SELECT start/60 AS minute, count(*) AS n,"
        " bar(count(*), 0, max(count(*)) OVER (), 8) AS chart"
        " FROM f GROUP BY 1 ORDER BY 1",
        "0|4|████████\n1|2|████    \n3|1|██      ");
  CHECK("SELECT sparkline(start/60, 1) FROM f", "█▄ ▂");
  /* rejects per minute: 2, 0, -, 1 -> hi 2: 2 -> 7, 0 -> 0, 1 -> 3 */
  CHECK("SELECT sparkline(start/60, action='REJECT') FROM f", "█▁ ▄");
}

int main(void){
  const struct CMUnitTest aTest[] = {
    cmocka_unit_test_setup_teardown(test_bar_shapes, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_bar_null_errors, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_sparkline_levels, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_sparkline_order, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_sparkline_null_errors, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_chart_examples, setup_db, teardown_db),
  };
  return cmocka_run_group_tests(aTest, 0, 0);
}
