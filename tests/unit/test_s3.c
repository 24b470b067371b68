/*
** test_s3.c - cmocka tests of ext/s3.c's pure parts: the ListObjectsV2
** page reader, the glob matcher and the one-object-per-flow-log rule of
** column discovery. (Requests, retries and streaming are tested against a
** real S3-compatible server by tests/s3/check.py, `make s3-check`.)
**
** The page reader's expectations are written out by hand. The glob
** matcher is checked against source.c's glob over a real directory tree:
** the same patterns must select the same paths, since s3.h promises the
** local rules.
*/
#define _GNU_SOURCE
#include "test.h"
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include "s3.h"
#include "source.h"
#include "plan.h"

/* ---- the listing page ------------------------------------------------ */

typedef struct Keys Keys;
struct Keys {
  int n;                     /* keys seen */
  char az[8][128];           /* their text */
  int64_t aSize[8];          /* their <Size>, -1 none */
  int nStop;                 /* return 1 at this key (1-based), 0: never */
};

static int key_cb(void *pArg, const char *zKey, int64_t nSize){
  Keys *p = (Keys*)pArg;
  if( p->n<8 ) p->aSize[p->n] = nSize;
  if( p->n<8 ) snprintf(p->az[p->n], sizeof(p->az[0]), "%s", zKey);
  p->n++;
  return p->nStop && p->n==p->nStop ? 7 : 0;
}

/* Run vf_s3_parse_page() on a copy of zXml. */
static int parse(const char *zXml, Keys *pK, int *pbTrunc, char *zTok,
                 size_t nTok){
  size_t n = strlen(zXml);
  char *a = malloc(n+1);
  int rc;
  assert_non_null(a);
  memcpy(a, zXml, n+1);
  rc = vf_s3_parse_page(a, n, key_cb, pK, pbTrunc, zTok, nTok);
  free(a);
  return rc;
}

static void test_page(void **state){
  Keys k;
  int bTrunc = -1;
  char zTok[64];
  (void)state;

  /* a truncated page: keys in order, entities decoded, the token too */
  memset(&k, 0, sizeof(k));
  assert_int_equal(parse(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>b</Name><Prefix>p/</Prefix><KeyCount>4</KeyCount>"
      "<MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
      "<Contents><Key>p/a&amp;b.log</Key><Size>10</Size></Contents>"
      "<Contents><Key>p/&lt;x&gt; &quot;q&quot; &apos;s&apos;.log</Key></Contents>"
      "<Contents><Key>p/caf&#233;&#x1F600;.log</Key></Contents>"
      "<Contents><Key>p/&foo; &#0; &#x110000; &amp</Key></Contents>"
      "<NextContinuationToken>1/tok&amp;+=</NextContinuationToken>"
      "</ListBucketResult>", &k, &bTrunc, zTok, sizeof(zTok)), 0);
  assert_int_equal(k.n, 4);
  assert_string_equal(k.az[0], "p/a&b.log");
  assert_string_equal(k.az[1], "p/<x> \"q\" 's'.log");
  assert_string_equal(k.az[2], "p/caf\xC3\xA9\xF0\x9F\x98\x80.log");
  /* unknown, zero, out-of-range and unterminated entities stay as they are */
  assert_string_equal(k.az[3], "p/&foo; &#0; &#x110000; &amp");
  /* the first has a <Size>; the others none of their own (a later
  ** element's is not taken) */
  assert_int_equal(k.aSize[0], 10);
  assert_int_equal(k.aSize[1], -1);
  assert_int_equal(k.aSize[2], -1);
  assert_int_equal(k.aSize[3], -1);
  assert_int_equal(bTrunc, 1);
  assert_string_equal(zTok, "1/tok&+=");

  /* sizes as AWS writes them (after LastModified and ETag), a size
  ** beyond 32 bits, an empty and a non-decimal one (-1: unknown), and a
  ** key without one before a key with one */
  memset(&k, 0, sizeof(k));
  assert_int_equal(parse("<ListBucketResult><IsTruncated>false</IsTruncated>"
      "<Contents><Key>a.log.gz</Key><LastModified>2026-12-06T00:00:00.000Z"
      "</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;"
      "</ETag><Size>5368709120</Size><StorageClass>STANDARD</StorageClass>"
      "</Contents>"
      "<Contents><Key>b.log</Key><Size></Size></Contents>"
      "<Contents><Key>c.log</Key><Size>12x</Size></Contents>"
      "<Contents><Key>d.log</Key></Contents>"
      "<Contents><Key>e.log</Key><Size>0</Size></Contents>"
      "</ListBucketResult>", &k, &bTrunc, zTok, sizeof(zTok)), 0);
  assert_int_equal(k.n, 5);
  assert_true(k.aSize[0]==(int64_t)5368709120LL);
  assert_int_equal(k.aSize[1], -1);
  assert_int_equal(k.aSize[2], -1);
  assert_int_equal(k.aSize[3], -1);
  assert_int_equal(k.aSize[4], 0);

  /* the last page: not truncated, no token */
  memset(&k, 0, sizeof(k));
  assert_int_equal(parse("<ListBucketResult><IsTruncated>false</IsTruncated>"
      "<Contents><Key>k.log</Key></Contents></ListBucketResult>",
      &k, &bTrunc, zTok, sizeof(zTok)), 0);
  assert_int_equal(k.n, 1);
  assert_string_equal(k.az[0], "k.log");
  assert_int_equal(bTrunc, 0);
  assert_string_equal(zTok, "");

  /* broken elements give no key: unterminated, a nested tag, the wrong
  ** closing tag; a good one after them still counts */
  memset(&k, 0, sizeof(k));
  assert_int_equal(parse("<Key>a<b>c</b></Key><Key>x</Kex><Key>ok</Key>"
      "<Key>never closed", &k, &bTrunc, zTok, sizeof(zTok)), 0);
  assert_int_equal(k.n, 1);
  assert_string_equal(k.az[0], "ok");
  assert_int_equal(bTrunc, 0);

  /* "<IsTruncated>TRUE" is not "true"; an empty page has no key */
  memset(&k, 0, sizeof(k));
  assert_int_equal(parse("<IsTruncated>TRUE</IsTruncated>", &k, &bTrunc,
                         zTok, sizeof(zTok)), 0);
  assert_int_equal(k.n, 0);
  assert_int_equal(bTrunc, 0);
  assert_int_equal(parse("", &k, &bTrunc, zTok, sizeof(zTok)), 0);

  /* a token longer than the buffer is cut, never overrun */
  assert_int_equal(parse("<IsTruncated>true</IsTruncated><NextContinuationToken>"
      "0123456789</NextContinuationToken>", &k, &bTrunc, zTok, 5), 0);
  assert_string_equal(zTok, "0123");

  /* the callback's nonzero code stops the walk and is returned */
  memset(&k, 0, sizeof(k));
  k.nStop = 2;
  assert_int_equal(parse("<Key>1</Key><Key>2</Key><Key>3</Key>", &k, &bTrunc,
                         zTok, sizeof(zTok)), 7);
  assert_int_equal(k.n, 2);
}

/* ---- the glob matcher against source.c's glob --------------------------- */

static const char *azTree[] = {
  "a.log", "b.log.gz", ".h.log", "c.txt", "x[1].log", "x1.log",
  "d/x.log", "d/.e/y.log", "d/f/z.log.gz", "d/f/g/w.log", "d/f/g/.v.log",
  "e/f/g/h/i.log", "e/x.log.gz",
};

static char gDir[64];

static int rm_entry(const char *zPath, const struct stat *pSt, int eType,
                    struct FTW *pFtw){
  (void)pSt; (void)eType; (void)pFtw;
  return remove(zPath);
}

static int glob_setup(void **state){
  size_t i;
  (void)state;
  strcpy(gDir, "/tmp/vf_s3_XXXXXX");
  if( mkdtemp(gDir)==0 ) return -1;
  for(i=0; i<sizeof(azTree)/sizeof(azTree[0]); i++){
    char zPath[256], *z;
    FILE *f;
    snprintf(zPath, sizeof(zPath), "%s/%s", gDir, azTree[i]);
    for(z=zPath+strlen(gDir)+1; (z = strchr(z, '/'))!=0; z++){
      *z = 0;
      mkdir(zPath, 0755);
      *z = '/';
    }
    f = fopen(zPath, "w");
    if( f==0 ) return -1;
    fputs("x\n", f);
    fclose(f);
  }
  return 0;
}

static int glob_teardown(void **state){
  (void)state;
  return nftw(gDir, rm_entry, 16, FTW_DEPTH|FTW_PHYS);
}

static int str_cmp(const void *a, const void *b){
  return strcmp(*(char*const*)a, *(char*const*)b);
}

static void test_glob_like_local(void **state){
  static const char *azPat[] = {
    "*.log", "*", "**", "**/*.log", "d/**", "d/*/*.gz", "?.log", "[ab].log*",
    "d/f/**/w.log", "**/**/*.log", "e/**/i.log", "x[[]1].log", "*/x.log*",
    "d/**/g/*", "**/f/**", "[!a]*", "d/.e/*", "d/*/y.log", "nothing/*",
  };
  size_t i, j;
  (void)state;
  for(i=0; i<sizeof(azPat)/sizeof(azPat[0]); i++){
    VfFileList list;
    char zPat[256], *zErr = 0;
    const char *azWant[32];
    int nWant = 0, rc, k;
    memset(&list, 0, sizeof(list));
    snprintf(zPat, sizeof(zPat), "%s/%s", gDir, azPat[i]);
    rc = vf_source_expand(zPat, &list, &zErr);
    sqlite3_free(zErr);
    for(j=0; j<sizeof(azTree)/sizeof(azTree[0]); j++){
      if( vf_s3_glob_match(azPat[i], azTree[j]) ) azWant[nWant++] = azTree[j];
    }
    qsort(azWant, (size_t)nWant, sizeof(char*), str_cmp);
    if( rc!=SQLITE_OK ){
      /* the local glob matched nothing: neither may the S3 matcher */
      if( nWant!=0 ) fail_msg("%s: local none, s3 %d (%s...)", azPat[i], nWant, azWant[0]);
      continue;
    }
    if( list.nFile!=nWant ){
      fail_msg("%s: local %d files, s3 %d", azPat[i], list.nFile, nWant);
    }
    for(k=0; k<nWant; k++){
      assert_string_equal(list.azFile[k] + strlen(gDir) + 1, azWant[k]);
    }
    vf_source_free(&list);
  }
  /* empty segments never match; a final "**" is "** / *" */
  assert_int_equal(vf_s3_glob_match("a/*", "a//b"), 0);
  assert_int_equal(vf_s3_glob_match("a/**", "a/b/c"), 1);
  assert_int_equal(vf_s3_glob_match("a/**", "a"), 0);
  assert_int_equal(vf_s3_glob_match("**/b", "b"), 1);
  {
    /* many "**" against a deep key: decided pair by pair (a search that
    ** backtracks would take 200^8 steps here and never finish) */
    char zKey[1024], *z = zKey;
    int i;
    for(i=0; i<200; i++){ memcpy(z, "a/", 2); z += 2; }
    memcpy(z, "c", 2);
    assert_int_equal(vf_s3_glob_match(
        "**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/b", zKey), 0);
    assert_int_equal(vf_s3_glob_match(
        "**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/c", zKey), 1);
  }
}

/* ---- one object per flow log for the columns ---------------------------- */

static void test_schema_skip(void **state){
  VfS3Seen seen;
  (void)state;
  memset(&seen, 0, sizeof(seen));
  /* the first object of each flow log is read, the next ones not */
  assert_int_equal(vf_s3_schema_skip(&seen, "s3://b/AWSLogs/1/vpcflowlogs/"
      "us-east-1/2026/12/01/1_vpcflowlogs_us-east-1_fl-0a_20261201T0000Z_ab.log.gz"), 0);
  assert_int_equal(vf_s3_schema_skip(&seen, "s3://b/AWSLogs/1/vpcflowlogs/"
      "us-east-1/2026/12/02/1_vpcflowlogs_us-east-1_fl-0a_20261202T0005Z_cd.log.gz"), 1);
  assert_int_equal(vf_s3_schema_skip(&seen, "s3://b/AWSLogs/1/vpcflowlogs/"
      "us-east-1/2026/12/01/1_vpcflowlogs_us-east-1_fl-0b_20261201T0000Z_ab.log.gz"), 0);
  assert_int_equal(vf_s3_schema_skip(&seen, "s3://b/AWSLogs/1/vpcflowlogs/"
      "eu-west-1/2026/12/01/1_vpcflowlogs_eu-west-1_fl-0a_20261201T0000Z_ab.log.gz"), 0);
  /* other names, and local files, are always read */
  assert_int_equal(vf_s3_schema_skip(&seen, "s3://b/x/flows.log"), 0);
  assert_int_equal(vf_s3_schema_skip(&seen, "s3://b/x/flows.log"), 0);
  assert_int_equal(vf_s3_schema_skip(&seen, "s3://b/1_vpcflowlogs_r_fl-0a_nottime_x.log"), 0);
  assert_int_equal(vf_s3_schema_skip(&seen, "AWSLogs/1_vpcflowlogs_us-east-1_"
      "fl-0a_20261201T0000Z_ab.log.gz"), 0);
  assert_int_equal(seen.n, 3);
  vf_s3_seen_free(&seen);
  assert_int_equal(seen.n, 0);
}

/* Planning sizes s3:// objects from their listing, never by fetching
** them (plan.c vf_files_bytes): a fetch there downloaded each object twice
** when the scan then grouped it. Names with no server behind them: a
** request would fail, and the sizes would read 0. */
static void test_plan_sizes_from_listing(void **state){
  char *az[3];
  int64_t aSize[3] = { 1000, 300, -1 };
  VfFileList L;
  (void)state;
  az[0] = "s3://nowhere-bucket/a.log";
  az[1] = "s3://nowhere-bucket/b.log.gz";   /* gzip: 8 x its size */
  az[2] = "s3://nowhere-bucket/c.log";      /* no <Size>: unknown, 0 */
  memset(&L, 0, sizeof(L));
  L.nFile = 3;
  L.azFile = az;
  L.aSize = aSize;
  assert_true(vf_files_bytes(&L, 0, 0, 0)==1000 + 300*8);
  L.aSize = 0;                               /* no listing sizes: 0 each */
  assert_true(vf_files_bytes(&L, 0, 0, 0)==0);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_page),
    cmocka_unit_test(test_plan_sizes_from_listing),
    cmocka_unit_test(test_glob_like_local),
    cmocka_unit_test(test_schema_skip),
  };
  return cmocka_run_group_tests_name("s3", tests, glob_setup, glob_teardown);
}
