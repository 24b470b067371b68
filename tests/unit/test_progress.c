/*
** test_progress.c - the text of the scan's progress line (ext/progress.c,
** vf_progress_format), for sizes known and unknown. The bytes written to
** a terminal are checked by tests/progress_pty.py; this checks the
** arithmetic, which a pseudo-terminal run cannot pin down (its timing
** varies). Expected lines worked out by hand from progress.h's rules.
*/
#include "test.h"
#include "progress.h"

static void check_line(int iFile, int nFile, uint64_t nDone, uint64_t nTotal,
                       int bKnown, int64_t nRec, int64_t msRun,
                       const char *zWant){
  char z[200];
  vf_progress_format(z, sizeof(z), iFile, nFile, nDone, nTotal, bKnown,
                     nRec, msRun);
  assert_string_equal(z, zWant);
}

static void test_known_size(void **state){
  (void)state;
  /* 812 of 4310 MB after 5 s: f = 18.84% -> "19%", ETA 5*(1-f)/f =
  ** 21.54 s -> "22 s"; 25.5 M records in 5 s -> 5.1 M/s */
  check_line(2, 120, 812000000, 4310000000u, 1, 25500000, 5000,
             "vpcflow: file 3/120, 812 of 4310 MB (19%), 5.1 M records/s, ETA 22 s");
  /* under 10 MB: one decimal, so a small gzip file is not "0 of 0 MB" */
  check_line(0, 1, 2500000, 7300000, 1, 70000, 1000,
             "vpcflow: file 1/1, 2.5 of 7.3 MB (34%), 70 k records/s, ETA 2 s");
  /* nothing read yet: no ETA */
  check_line(0, 2, 0, 20000000, 1, 0, 0,
             "vpcflow: file 1/2, 0.0 of 20 MB (0%), 0 records/s, ETA ?");
  /* more done than the total (a file that grew): 100%, ETA 0 */
  check_line(0, 1, 30000000, 20000000, 1, 9000, 3000,
             "vpcflow: file 1/1, 20 of 20 MB (100%), 3000 records/s, ETA 0 s");
}

static void test_unknown_size(void **state){
  (void)state;
  /* a pipe: records instead of megabytes, never "of 0 MB" */
  check_line(0, 1, 123456, 0, 0, 12300000, 2400,
             "vpcflow: file 1/1, 12.3 M records, 5.1 M records/s (size unknown)");
  /* a total of 0 counts as unknown even when flagged known */
  check_line(1, 3, 0, 0, 1, 65536, 500,
             "vpcflow: file 2/3, 66 k records, 131 k records/s (size unknown)");
}

int main(void){
  const struct CMUnitTest aTest[] = {
    cmocka_unit_test(test_known_size),
    cmocka_unit_test(test_unknown_size),
  };
  return cmocka_run_group_tests(aTest, 0, 0);
}
