/*
** test_ahead.c - the parse-ahead ring (ext/ahead.c) driven directly.
**
** vf_ahead_parse(): which lines get a ready record and which are left to
** the slow path, and what a record holds, against hand-written lines.
** The ring: blocks come back in the order queued, each parsed under the
** layout of its generation, with and without the worker thread; reset
** drops what was queued. Also run under ThreadSanitizer (make tsan).
*/
#include "test.h"
#include "ahead.h"
#include "reader.h"

/* The v2 layout: 14 tokens; integers version, srcport, dstport, protocol,
** packets, bytes, start, end (account-id is text). The records keep the
** spans of srcaddr (3), bytes (9) and start (10), and the values of
** bytes and start. */
static void v2_layout(VfAheadLayout *pL){
  static const int aInt[] = {0, 5, 6, 7, 8, 9, 10, 11};
  static const uint64_t aMax[] = {255, 65535, 65535, 255,
                                  INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX};
  int k;
  memset(pL, 0, sizeof(*pL));
  pL->nTok = 14;
  pL->nInt = 8;
  for(k=0; k<8; k++){
    pL->aIntTok[k] = aInt[k];
    pL->aIntMax[k] = aMax[k];
    pL->aIntEpoch[k] = aInt[k]==10 || aInt[k]==11;
  }
  pL->nKeepTok = 3;
  pL->aKeepTok[0] = 3;
  pL->aKeepTok[1] = 9;
  pL->aKeepTok[2] = 10;
  pL->nKeepInt = 2;
  pL->aKeepInt[0] = 5;                  /* bytes */
  pL->aKeepInt[1] = 6;                  /* start */
}

/* Record k of a parsed area */
static const VfAheadRec *rec_at(const unsigned char *aRec,
                                const VfAheadLayout *pL, int k){
  return (const VfAheadRec*)(aRec + VF_AHEAD_RECSIZE(pL)*(size_t)k);
}

/* The text of kept span j of record pRec of block z */
static void kept_span(const char *z, const VfAheadRec *pRec, int j,
                      char *zOut, size_t nOut){
  const VfSpan *a = (const VfSpan*)&pRec[1];
  snprintf(zOut, nOut, "%.*s", (int)a[j].nLen, z + pRec->iOff + a[j].iOff);
}

/* Kept value j of record pRec under pL */
static int64_t kept_val(const VfAheadLayout *pL, const VfAheadRec *pRec,
                        int j){
  const VfSpan *a = (const VfSpan*)&pRec[1];
  const int64_t *aVal = (const int64_t*)&a[pL->nKeepTok];
  return aVal[j];
}

#define GOOD "2 123 eni-a 10.0.0.1 10.0.0.2 443 80 6 1 100 1600000000 1600000060 ACCEPT OK"

/* Each kind of line, and whether it gets a ready record. */
static void test_parse_lines(void **state){
  static const struct { const char *z; int bFast; } aLine[] = {
    { GOOD "\n", 1 },
    { GOOD "\r\n", 1 },                           /* CRLF */
    { "2 123 eni-a 10.0.0.9 10.0.0.2 443 80 6 1 - 1600000000123 1 ACCEPT OK\n",
      1 },                                        /* '-' bytes, ms start */
    { "2\t123  eni-a 10.0.0.1 10.0.0.2 443 80 6 1 7 1 2 ACCEPT OK\n", 1 },
    { "\n", 0 },                                  /* blank */
    { "version account-id interface-id srcaddr dstaddr srcport dstport "
      "protocol packets bytes start end action log-status\n", 0 },
    { "2 123 eni-a 10.0.0.1\n", 0 },              /* field count */
    { "2 123 eni-a 10.0.0.1 10.0.0.2 x 80 6 1 100 1 2 ACCEPT OK\n", 0 },
    { "2 123 eni-a 10.0.0.1 10.0.0.2 443 70000 6 1 100 1 2 ACCEPT OK\n", 0 },
    { "2 123 eni-a 10.0.0.1 10.0.0.2 443 80 6 1 12345678901234567 1 2 "
      "ACCEPT OK\n", 0 },                         /* 17 digits */
    { "2 123 eni-\x01 10.0.0.1 10.0.0.2 443 80 6 1 100 1 2 ACCEPT OK\n", 0 },
    { "2024-01-01T00:00:00.000Z " GOOD "\n", 0 },  /* CloudWatch */
    { "{\"message\":\"" GOOD "\"}\n", 0 },         /* Firehose */
  };
  int nLine = (int)(sizeof(aLine)/sizeof(aLine[0]));
  VfAheadLayout L;
  char zBlock[4096], zTok[64];
  unsigned char aRec[16384];
  size_t n = 0, iRest = 0;
  int k, nRec;
  (void)state;
  v2_layout(&L);
  for(k=0; k<nLine; k++){
    memcpy(zBlock+n, aLine[k].z, strlen(aLine[k].z));
    n += strlen(aLine[k].z);
  }
  nRec = vf_ahead_parse(&L, zBlock, n, aRec, sizeof(aRec), &iRest);
  assert_int_equal(nRec, nLine);
  assert_int_equal(iRest, n);
  for(k=0; k<nLine; k++){
    const VfAheadRec *pRec = rec_at(aRec, &L, k);
    size_t nText = strlen(aLine[k].z) - 1;          /* without '\n' */
    if( k==1 ) nText--;                             /* and '\r' */
    assert_int_equal((pRec->nLen & VF_AHEAD_SLOW)==0, aLine[k].bFast);
    assert_int_equal(pRec->nLen & ~VF_AHEAD_SLOW, nText);
    assert_memory_equal(zBlock + pRec->iOff, aLine[k].z, nText);
  }
  /* the values and spans of the fast ones */
  kept_span(zBlock, rec_at(aRec, &L, 0), 0, zTok, sizeof(zTok));
  assert_string_equal(zTok, "10.0.0.1");
  assert_int_equal(kept_val(&L, rec_at(aRec, &L, 0), 0), 100);
  assert_int_equal(kept_val(&L, rec_at(aRec, &L, 0), 1), 1600000000);
  kept_span(zBlock, rec_at(aRec, &L, 2), 0, zTok, sizeof(zTok));
  assert_string_equal(zTok, "10.0.0.9");
  kept_span(zBlock, rec_at(aRec, &L, 2), 1, zTok, sizeof(zTok));
  assert_string_equal(zTok, "-");                   /* NULL by its span */
  assert_int_equal(kept_val(&L, rec_at(aRec, &L, 2), 1), 1600000000);
  assert_int_equal(kept_val(&L, rec_at(aRec, &L, 3), 0), 7);
  kept_span(zBlock, rec_at(aRec, &L, 3), 2, zTok, sizeof(zTok));
  assert_string_equal(zTok, "1");
}

/* A line over VF_READER_MAX_LINE is slow; so is everything past a full
** record area (iRest says where that starts). */
static void test_parse_limits(void **state){
  VfAheadLayout L;
  size_t nLong = VF_READER_MAX_LINE + 10, n = 0, iRest = 0, szRec;
  char *zBlock = malloc(nLong + 1000);
  unsigned char aRec[4096];
  int k, nRec;
  (void)state;
  v2_layout(&L);
  szRec = VF_AHEAD_RECSIZE(&L);
  memset(zBlock, 'a', nLong);
  zBlock[nLong] = '\n';
  n = nLong + 1;
  for(k=0; k<4; k++){
    memcpy(zBlock+n, GOOD "\n", strlen(GOOD)+1);
    n += strlen(GOOD)+1;
  }
  nRec = vf_ahead_parse(&L, zBlock, n, aRec, sizeof(aRec), &iRest);
  assert_int_equal(nRec, 5);
  assert_int_equal(rec_at(aRec, &L, 0)->nLen, VF_AHEAD_SLOW | nLong);
  assert_int_equal(rec_at(aRec, &L, 1)->nLen, strlen(GOOD));
  /* room for three records: the last two lines are the rest */
  nRec = vf_ahead_parse(&L, zBlock, n, aRec, 3*szRec + szRec/2, &iRest);
  assert_int_equal(nRec, 3);
  assert_int_equal(iRest, nLong + 1 + 2*(strlen(GOOD)+1));
  free(zBlock);
}

/*
** The ring with nBlock blocks queued in turn, each of nLine lines whose
** bytes are the block number: every block comes back once, in order,
** with its own lines. bReset: halfway, reset with blocks still queued,
** and check that only the blocks queued after it come back. bSolo: the
** worker is told to take nothing (vf_ahead_solo) a third of the way in,
** and to take blocks again at two thirds.
*/
static void ring_round(int bThread, int bReset, int bSolo){
  VfAheadLayout L;
  VfAhead *p = 0;
  int iNext = 0, iWant = 0, nBlock = 300, nLine = 20;
  unsigned iGen;
  v2_layout(&L);
  assert_int_equal(vf_ahead_open(&p, 4, 4096, bThread), 0);
  iGen = vf_ahead_layout(p, &L);
  while( iWant<nBlock ){
    const VfAheadBlock *pB;
    char *z;
    size_t nCap;
    int k;
    while( iNext<nBlock && (z = vf_ahead_space(p, &nCap))!=0 ){
      size_t n = 0;
      for(k=0; k<nLine; k++){
        n += (size_t)snprintf(z+n, nCap-n, "2 1 eni-a 10.0.0.1 10.0.0.2 "
                              "1 2 6 1 %d 1 2 ACCEPT OK\n", iNext);
      }
      vf_ahead_queue(p, n);
      iNext++;
    }
    if( bSolo && iWant==nBlock/3 ) vf_ahead_solo(p, 1);
    if( bSolo && iWant==2*nBlock/3 ) vf_ahead_solo(p, 0);
    if( bReset && iWant==nBlock/2 ){
      vf_ahead_reset(p);
      iWant = iNext;              /* what was queued is gone */
      bReset = 0;
      continue;
    }
    pB = vf_ahead_take(p);
    assert_non_null(pB);
    assert_int_equal(pB->nRec, nLine);
    assert_int_equal(pB->iGen, iGen);
    for(k=0; k<nLine; k++){
      const VfAheadRec *pRec = (const VfAheadRec*)(pB->aRec + pB->szRec*k);
      assert_int_equal(pRec->nLen & VF_AHEAD_SLOW, 0);
      assert_int_equal(kept_val(&L, pRec, 0), iWant);
    }
    vf_ahead_release(p);
    iWant++;
  }
  assert_null(vf_ahead_take(p));
  vf_ahead_close(p);
}

static void test_ring_order(void **state){
  (void)state;
  ring_round(1, 0, 0);
  ring_round(0, 0, 0);
  ring_round(1, 0, 1);
}

static void test_ring_reset(void **state){
  (void)state;
  ring_round(1, 1, 0);
  ring_round(0, 1, 0);
  ring_round(1, 1, 1);
}

/*
** A new layout: blocks queued after it are parsed under it (a new
** generation). Lines of 3 tokens are slow under the v2 layout and fast
** under a 3-token one.
*/
static void test_ring_layout(void **state){
  VfAheadLayout L, L3;
  VfAhead *p = 0;
  const VfAheadBlock *pB;
  const char *zLine = "7 eni-b 9\n";
  unsigned iGen1, iGen2;
  char *z;
  size_t nCap;
  (void)state;
  v2_layout(&L);
  memset(&L3, 0, sizeof(L3));
  L3.nTok = 3;
  L3.nInt = 2;
  L3.aIntTok[0] = 0;
  L3.aIntTok[1] = 2;
  L3.aIntMax[0] = L3.aIntMax[1] = 100;
  L3.nKeepInt = 1;
  L3.aKeepInt[0] = 1;
  assert_int_equal(vf_ahead_open(&p, 2, 256, 1), 0);
  iGen1 = vf_ahead_layout(p, &L);
  z = vf_ahead_space(p, &nCap);
  memcpy(z, zLine, strlen(zLine));
  vf_ahead_queue(p, strlen(zLine));
  pB = vf_ahead_take(p);
  assert_int_equal(pB->iGen, iGen1);
  assert_true(((const VfAheadRec*)pB->aRec)->nLen & VF_AHEAD_SLOW);
  vf_ahead_release(p);
  iGen2 = vf_ahead_layout(p, &L3);
  assert_true(iGen2!=iGen1);
  z = vf_ahead_space(p, &nCap);
  memcpy(z, zLine, strlen(zLine));
  vf_ahead_queue(p, strlen(zLine));
  pB = vf_ahead_take(p);
  assert_int_equal(pB->iGen, iGen2);
  assert_int_equal(((const VfAheadRec*)pB->aRec)->nLen, strlen(zLine)-1);
  assert_int_equal(kept_val(&L3, (const VfAheadRec*)pB->aRec, 0), 9);
  vf_ahead_release(p);
  vf_ahead_close(p);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_parse_lines),
    cmocka_unit_test(test_parse_limits),
    cmocka_unit_test(test_ring_order),
    cmocka_unit_test(test_ring_reset),
    cmocka_unit_test(test_ring_layout),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
