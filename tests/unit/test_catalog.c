/*
** test_catalog.c - the field catalog against AWS's published field lists.
*/
#include "test.h"
#include "catalog.h"

/* Field counts per version, from the AWS tables: v2 14, v3 +7, v4 +4,
** v5 +4, v7 +10, v8 +1, v9 +1, v10 +1, v11 +12; Transit Gateway adds 18
** fields of its own (36 in its default format, 18 shared with VPC). */
static void test_counts(void **state){
  int aCount[12] = {0};
  int i;
  (void)state;
  for(i=0; i<vf_catalog_count(); i++){
    const VfField *p = vf_catalog_field(i);
    assert_non_null(p);
    assert_true(p->iVersion>=2 && p->iVersion<=11);
    aCount[p->iVersion]++;
  }
  assert_int_equal(aCount[2], 14);
  assert_int_equal(aCount[3], 7);
  assert_int_equal(aCount[4], 4);
  assert_int_equal(aCount[5], 4);
  assert_int_equal(aCount[6], 18);
  assert_int_equal(aCount[7], 10);
  assert_int_equal(aCount[8], 1);
  assert_int_equal(aCount[9], 1);
  assert_int_equal(aCount[10], 1);
  assert_int_equal(aCount[11], 12);
  assert_int_equal(vf_catalog_count(), 72);
  assert_null(vf_catalog_field(-1));
  assert_null(vf_catalog_field(72));
}

/* The default format, in order. */
static void test_default_order(void **state){
  static const char *azV2[] = { "version", "account-id", "interface-id",
    "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
    "bytes", "start", "end", "action", "log-status" };
  int i;
  (void)state;
  for(i=0; i<VF_DEFAULT_NFIELD; i++){
    assert_string_equal(vf_catalog_field(i)->zName, azV2[i]);
    assert_true(vf_catalog_field(i)->mFlags & VF_FLAG_DEFAULT);
  }
  assert_false(vf_catalog_field(VF_DEFAULT_NFIELD)->mFlags & VF_FLAG_DEFAULT);
}

/* Types and ranges of the numeric fields; everything else is text. */
static void test_types(void **state){
  static const struct { const char *z; int64_t iMax; } aInt[] = {
    { "version", 255 }, { "srcport", 65535 }, { "dstport", 65535 },
    { "protocol", 255 }, { "packets", INT64_MAX }, { "bytes", INT64_MAX },
    { "start", INT64_MAX }, { "end", INT64_MAX }, { "tcp-flags", 65535 },
    { "traffic-path", 255 }, { "encryption-status", 255 },
    { "packets-lost-no-route", INT64_MAX },
    { "packets-lost-blackhole", INT64_MAX },
    { "packets-lost-mtu-exceeded", INT64_MAX },
    { "packets-lost-ttl-expired", INT64_MAX },
  };
  size_t i;
  int nInt = 0, k;
  (void)state;
  for(i=0; i<sizeof(aInt)/sizeof(aInt[0]); i++){
    int iCat = vf_catalog_find(aInt[i].z, strlen(aInt[i].z));
    assert_true(iCat>=0);
    assert_int_equal(vf_catalog_field(iCat)->eType, VF_INT);
    assert_true(vf_catalog_field(iCat)->iMax==aInt[i].iMax);
  }
  for(k=0; k<vf_catalog_count(); k++){
    if( vf_catalog_field(k)->eType==VF_INT ) nInt++;
  }
  assert_int_equal(nInt, (int)(sizeof(aInt)/sizeof(aInt[0])));
  /* account ids keep leading zeros: text */
  k = vf_catalog_find("account-id", 10);
  assert_int_equal(vf_catalog_field(k)->eType, VF_TEXT);
  k = vf_catalog_find("start", 5);
  assert_true(vf_catalog_field(k)->mFlags & VF_FLAG_EPOCH);
}

/* Lookup by hyphen or underscore name; column names use underscores. */
static void test_find(void **state){
  int i, k;
  (void)state;
  k = vf_catalog_find("log-status", 10);
  assert_int_equal(k, 13);
  assert_int_equal(vf_catalog_find("log_status", 10), 13);
  assert_string_equal(vf_catalog_field(k)->zColumn, "log_status");
  assert_int_equal(vf_catalog_find("log-statu", 9), -1);
  assert_int_equal(vf_catalog_find("log-statuss", 11), -1);
  assert_int_equal(vf_catalog_find("Version", 7), -1);
  assert_int_equal(vf_catalog_find("", 0), -1);
  assert_true(vf_catalog_find("next-hop-interface-type", 23)>=0);
  assert_true(vf_catalog_find("tgw-pair-attachment-id", 22)>=0);
  for(i=0; i<vf_catalog_count(); i++){
    const VfField *p = vf_catalog_field(i);
    const char *a = p->zName, *b = p->zColumn;
    assert_int_equal(vf_catalog_find(a, strlen(a)), i);
    assert_int_equal(vf_catalog_find(b, strlen(b)), i);
    assert_int_equal(strlen(a), strlen(b));
    for(; *a; a++, b++) assert_true(*b==(*a=='-' ? '_' : *a));
  }
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_counts),
    cmocka_unit_test(test_default_order),
    cmocka_unit_test(test_types),
    cmocka_unit_test(test_find),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
