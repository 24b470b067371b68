/*
** test_settings.c - the VPCFLOW_* switches (settings.c) against the table
** of ext/README.md, "Switches": defaults, accepted values, and values that
** fall back to the default.
*/
#include "test.h"
#include <stdlib.h>
#include "settings.h"

static const char *azSwitch[] = {
  "VPCFLOW_PARSE_AHEAD", "VPCFLOW_PARSE_THREADS", "VPCFLOW_PARSE_BLOCK",
  "VPCFLOW_GROUP", "VPCFLOW_GROUP_MB", "VPCFLOW_GROUP_PARTS",
  "VPCFLOW_GROUP_THREADS", "VPCFLOW_GROUP_TRACE", "VPCFLOW_PROGRESS",
  "VPCFLOW_PROGRESS_AFTER", "VPCFLOW_DAY_MEMORY_MB", "VPCFLOW_DAY_TRACE",
};

static int clear_env(void **state){
  size_t i;
  (void)state;
  for(i=0; i<sizeof(azSwitch)/sizeof(azSwitch[0]); i++) unsetenv(azSwitch[i]);
  return 0;
}

/* Nothing set: the defaults of the table. */
static void test_defaults(void **state){
  VfSettings s;
  (void)state;
  vf_settings_read(&s);
  assert_int_equal(s.bParseAhead, 1);
  assert_int_equal(s.bParseThread, 1);
  assert_int_equal(s.nParseBlock, 131072);
  assert_int_equal(s.bGroup, 1);
  assert_true(s.nGroupBudget==(int64_t)2048*1024*1024);
  assert_int_equal(s.nGroupParts, 0);           /* by the data's size */
  assert_int_equal(s.bGroupThread, 1);
  assert_int_equal(s.bGroupTrace, 0);
  assert_int_equal(s.bProgress, 1);
  assert_true(s.msProgressAfter==2000);
  assert_true(s.nDayMemory==(int64_t)2048*1024*1024);
  assert_int_equal(s.bDayTrace, 0);
}

/* Each switch set to a value the table gives an effect. */
static void test_values(void **state){
  VfSettings s;
  (void)state;
  setenv("VPCFLOW_PARSE_AHEAD", "off", 1);
  setenv("VPCFLOW_PARSE_THREADS", "0", 1);
  setenv("VPCFLOW_PARSE_BLOCK", "97", 1);
  setenv("VPCFLOW_GROUP", "off", 1);
  setenv("VPCFLOW_GROUP_MB", "3", 1);
  setenv("VPCFLOW_GROUP_PARTS", "7", 1);
  setenv("VPCFLOW_GROUP_THREADS", "0", 1);
  setenv("VPCFLOW_GROUP_TRACE", "", 1);         /* set, to anything */
  setenv("VPCFLOW_PROGRESS", "0", 1);
  setenv("VPCFLOW_PROGRESS_AFTER", "0", 1);
  setenv("VPCFLOW_DAY_MEMORY_MB", "300", 1);
  setenv("VPCFLOW_DAY_TRACE", "", 1);           /* set, to anything */
  vf_settings_read(&s);
  assert_int_equal(s.bParseAhead, 0);
  assert_int_equal(s.bParseThread, 0);
  assert_int_equal(s.nParseBlock, 97);
  assert_int_equal(s.bGroup, 0);
  assert_true(s.nGroupBudget==3*1024*1024);
  assert_int_equal(s.nGroupParts, 7);
  assert_int_equal(s.bGroupThread, 0);
  assert_int_equal(s.bGroupTrace, 1);
  assert_int_equal(s.bProgress, 0);
  assert_true(s.msProgressAfter==0);
  assert_true(s.nDayMemory==(int64_t)300*1024*1024);
  assert_int_equal(s.bDayTrace, 1);
  setenv("VPCFLOW_DAY_MEMORY_MB", "0", 1);      /* 0: all in the file */
  vf_settings_read(&s);
  assert_true(s.nDayMemory==0);
  /* a changed environment is seen by the next read */
  unsetenv("VPCFLOW_GROUP_MB");
  unsetenv("VPCFLOW_PARSE_AHEAD");
  vf_settings_read(&s);
  assert_true(s.nGroupBudget==(int64_t)2048*1024*1024);
  assert_int_equal(s.bParseAhead, 1);
  clear_env(0);
}

/* Out of range or unrecognised: the default, or the nearest bound. */
static void test_validation(void **state){
  VfSettings s;
  (void)state;
  setenv("VPCFLOW_PARSE_AHEAD", "OFF", 1);      /* only "off" turns it off */
  setenv("VPCFLOW_PARSE_BLOCK", "0", 1);
  setenv("VPCFLOW_GROUP", "no", 1);             /* only "off" */
  setenv("VPCFLOW_GROUP_MB", "0", 1);           /* 0: grouped delivery off */
  setenv("VPCFLOW_GROUP_PARTS", "1000", 1);     /* at most 256 */
  setenv("VPCFLOW_GROUP_THREADS", "1", 1);
  setenv("VPCFLOW_PROGRESS", "off", 1);         /* only "0" turns it off */
  vf_settings_read(&s);
  assert_int_equal(s.bParseAhead, 1);
  assert_int_equal(s.nParseBlock, 131072);
  assert_int_equal(s.bGroup, 1);
  assert_true(s.nGroupBudget==0);
  assert_int_equal(s.nGroupParts, 256);
  assert_int_equal(s.bGroupThread, 1);
  assert_int_equal(s.bProgress, 1);
  setenv("VPCFLOW_PARSE_BLOCK", "262145", 1);   /* above 256 KiB */
  setenv("VPCFLOW_GROUP_MB", "-5", 1);
  setenv("VPCFLOW_GROUP_PARTS", "0", 1);        /* at least 1 */
  setenv("VPCFLOW_PARSE_THREADS", "none", 1);   /* atoi() reads 0 */
  vf_settings_read(&s);
  assert_int_equal(s.nParseBlock, 131072);
  assert_true(s.nGroupBudget==0);
  assert_int_equal(s.nGroupParts, 1);
  assert_int_equal(s.bParseThread, 0);
  setenv("VPCFLOW_PARSE_BLOCK", "262144", 1);   /* the largest */
  setenv("VPCFLOW_GROUP_MB", "99999999999999999", 1);  /* no overflow */
  setenv("VPCFLOW_DAY_MEMORY_MB", "99999999999999999", 1);
  vf_settings_read(&s);
  assert_int_equal(s.nParseBlock, 262144);
  assert_true(s.nGroupBudget>0);
  assert_true(s.nDayMemory>0);
  setenv("VPCFLOW_DAY_MEMORY_MB", "-5", 1);     /* not a digit: default */
  vf_settings_read(&s);
  assert_true(s.nDayMemory==(int64_t)2048*1024*1024);
  setenv("VPCFLOW_DAY_MEMORY_MB", "lots", 1);
  vf_settings_read(&s);
  assert_true(s.nDayMemory==(int64_t)2048*1024*1024);
  clear_env(0);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(test_defaults, clear_env),
    cmocka_unit_test_setup(test_values, clear_env),
    cmocka_unit_test_setup(test_validation, clear_env),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
