/*
** test_func_hunt.c - vpcflow_severity(), vpcflow_severity_floor() and
** vpcflow_tunable() of ext/func_hunt.c.
**
** Expected values come from the rules in func_hunt.c's header and
** sql/README.md ("Severity"): the band edges 85 / 65 / 40, and for each
** tunable kind what it accepts; every error message names the tunable.
*/
#include "test.h"

static void test_severity_bands(void **state){
  sqlite3 *db = *state;
  /* each edge belongs to the band above it */
  CHECK("SELECT vpcflow_severity(100), vpcflow_severity(85), vpcflow_severity(84.99)",
        "critical|critical|high");
  CHECK("SELECT vpcflow_severity(65), vpcflow_severity(64.999), vpcflow_severity(40)",
        "high|medium|medium");
  CHECK("SELECT vpcflow_severity(39.99), vpcflow_severity(0), vpcflow_severity(-7)",
        "low|low|low");
  /* above 100 (an unclamped score) is still critical; numeric text */
  CHECK("SELECT vpcflow_severity(250), vpcflow_severity('70')", "critical|high");
  CHECK("SELECT vpcflow_severity(NULL)", "NULL");
  CHECK("SELECT vpcflow_severity('high')",
        "ERROR: vpcflow_severity(): 'high' is not a score");
}

static void test_severity_floor(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT vpcflow_severity_floor('critical'), vpcflow_severity_floor('high'),"
        " vpcflow_severity_floor('medium'), vpcflow_severity_floor('low')",
        "85.0|65.0|40.0|0.0");
  CHECK("SELECT vpcflow_severity_floor('HIGH'), vpcflow_severity_floor(NULL)", "65.0|NULL");
  /* the floor of a score's severity is at most the score: the two agree */
  CHECK("SELECT vpcflow_severity_floor(vpcflow_severity(64.9)),"
        " vpcflow_severity_floor(vpcflow_severity(65))", "40.0|65.0");
  CHECK("SELECT vpcflow_severity_floor('crit')",
        "ERROR: vpcflow_severity_floor(): 'crit' is not a severity "
        "(low, medium, high, critical)");
  CHECK("SELECT vpcflow_severity_floor(3)",
        "ERROR: vpcflow_severity_floor(): 3 is not a severity "
        "(low, medium, high, critical)");
}

static void test_tunable_numbers(void **state){
  sqlite3 *db = *state;
  /* integer: INTEGER, integral REAL, numeric text; bounds inclusive */
  CHECK("SELECT vpcflow_tunable('a.n', 2, 'integer', 2, 10, ''),"
        " vpcflow_tunable('a.n', 10.0, 'integer', 2, 10, ''),"
        " typeof(vpcflow_tunable('a.n', ' 7', 'integer', 2, 10, ''))",
        "2|10|integer");
  CHECK("SELECT vpcflow_tunable('a.n', 11, 'integer', 2, 10, '')",
        "ERROR: tunables: a.n = 11 is not an integer in 2..10");
  CHECK("SELECT vpcflow_tunable('a.n', 2.5, 'integer', 2, 10, '')",
        "ERROR: tunables: a.n = 2.5 is not an integer in 2..10");
  CHECK("SELECT vpcflow_tunable('a.n', 'ten', 'integer', NULL, NULL, '')",
        "ERROR: tunables: a.n = 'ten' is not an integer");
  CHECK("SELECT vpcflow_tunable('a.n', -1, 'integer', 0, NULL, '')",
        "ERROR: tunables: a.n = -1 is not an integer >= 0");
  CHECK("SELECT vpcflow_tunable('a.n', x'00', 'integer', NULL, 5, '')",
        "ERROR: tunables: a.n = a BLOB is not an integer <= 5");
  /* number: REAL out, any finite value in bounds */
  CHECK("SELECT vpcflow_tunable('a.r', 1, 'number', -1, 1, ''),"
        " typeof(vpcflow_tunable('a.r', 1, 'number', -1, 1, '')),"
        " vpcflow_tunable('a.r', '0.25', 'number', 0, 1, '')",
        "1.0|real|0.25");
  CHECK("SELECT vpcflow_tunable('a.r', -1.5, 'number', -1, 1, '')",
        "ERROR: tunables: a.r = -1.5 is not a number in -1..1");
  CHECK("SELECT vpcflow_tunable('a.r', NULL, 'number', 0, 1, '')",
        "ERROR: tunables: a.r = NULL is not a number in 0..1");
}

static void test_tunable_ports_severity(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT vpcflow_tunable('p', ' 22 , 3389,5985 ', 'ports', NULL, NULL, ''),"
        " '[' || vpcflow_tunable('p', '', 'ports', NULL, NULL, '') || ']',"
        " vpcflow_tunable('p', 443, 'ports', NULL, NULL, ''),"
        " vpcflow_tunable('p', '0,65535', 'ports', NULL, NULL, '')",
        "22,3389,5985|[]|443|0,65535");
  /* an empty item, a trailing comma, a port too large, a letter */
  CHECK("SELECT vpcflow_tunable('p', '80,,443', 'ports', NULL, NULL, '')",
        "ERROR: tunables: p = '80,,443' is not a comma list of ports 0-65535, e.g. '80,443'");
  CHECK("SELECT vpcflow_tunable('p', '80,', 'ports', NULL, NULL, '')",
        "ERROR: tunables: p = '80,' is not a comma list of ports 0-65535, e.g. '80,443'");
  CHECK("SELECT vpcflow_tunable('p', '65536', 'ports', NULL, NULL, '')",
        "ERROR: tunables: p = '65536' is not a comma list of ports 0-65535, e.g. '80,443'");
  CHECK("SELECT vpcflow_tunable('p', '0000080', 'ports', NULL, NULL, '')",
        "ERROR: tunables: p = '0000080' is not a comma list of ports 0-65535, e.g. '80,443'");
  CHECK("SELECT vpcflow_tunable('p', 'http', 'ports', NULL, NULL, '')",
        "ERROR: tunables: p = 'http' is not a comma list of ports 0-65535, e.g. '80,443'");
  CHECK("SELECT vpcflow_tunable('p', -1, 'ports', NULL, NULL, '')",
        "ERROR: tunables: p = -1 is not a comma list of ports 0-65535, e.g. '80,443'");
  CHECK("SELECT vpcflow_tunable('s', 'High', 'severity', NULL, NULL, ''),"
        " vpcflow_tunable('s', 'low', 'severity', NULL, NULL, '')", "high|low");
  CHECK("SELECT vpcflow_tunable('alert.min_severity', 'crit', 'severity', NULL, NULL, '')",
        "ERROR: tunables: alert.min_severity = 'crit' is not a severity: "
        "low, medium, high or critical");
}

static void test_tunable_names(void **state){
  sqlite3 *db = *state;
  CHECK("SELECT vpcflow_tunable('port_scan.minports', 50, NULL, NULL, NULL,"
        " 'port_scan.min_ports, port_scan.window')",
        "ERROR: tunables: no tunable is named 'port_scan.minports'; "
        "the valid names are: port_scan.min_ports, port_scan.window");
  CHECK("SELECT vpcflow_tunable(NULL, 50, 'integer', NULL, NULL, '')",
        "ERROR: tunables: a row has no name (NULL)");
  CHECK("SELECT vpcflow_tunable('x', 5, 'colour', NULL, NULL, '')",
        "ERROR: vpcflow_tunable(): unknown kind 'colour' for x "
        "(integer, number, ports, severity)");
  /* a quote in the name is shown as written */
  CHECK("SELECT vpcflow_tunable('it''s', 1, NULL, NULL, NULL, 'a')",
        "ERROR: tunables: no tunable is named 'it''s'; the valid names are: a");
}

/* Their names, kinds and flags: test_func_net.c's test_registration
** checks every function the extension adds. */

int main(void){
  const struct CMUnitTest aTest[] = {
    cmocka_unit_test_setup_teardown(test_severity_bands, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_severity_floor, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_tunable_numbers, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_tunable_ports_severity, setup_db, teardown_db),
    cmocka_unit_test_setup_teardown(test_tunable_names, setup_db, teardown_db),
  };
  return cmocka_run_group_tests(aTest, 0, 0);
}
