/*
** test_parse.c - table-driven tests of the line parser (ext/parse.c).
** Every expectation is written out by hand from the input beside it.
*/
#include "test.h"
#include "parse.h"

#define S(x) x, (sizeof(x)-1)

/* vf_split: token counts and the exact tokens. */
static void test_split(void **state){
  static const struct { const char *z; const char *azTok[6]; int n; } a[] = {
    { "a b c",            { "a", "b", "c" }, 3 },
    { "  a   b\t\tc  ",   { "a", "b", "c" }, 3 },
    { "",                 { 0 }, 0 },
    { "   \t ",           { 0 }, 0 },
    { "one",              { "one" }, 1 },
    { "43638  10.0.0.62", { "43638", "10.0.0.62" }, 2 },   /* AWS double space */
    { "x\ty",             { "x", "y" }, 2 },
  };
  size_t i;
  (void)state;
  for(i=0; i<sizeof(a)/sizeof(a[0]); i++){
    VfSpan aSpan[8];
    int k, n = vf_split(a[i].z, strlen(a[i].z), aSpan, 8);
    assert_int_equal(n, a[i].n);
    for(k=0; k<n; k++){
      assert_int_equal(aSpan[k].nLen, strlen(a[i].azTok[k]));
      assert_memory_equal(a[i].z+aSpan[k].iOff, a[i].azTok[k], aSpan[k].nLen);
    }
  }
}

/* More tokens than room: the true count comes back, only nMax stored. */
static void test_split_overflow(void **state){
  VfSpan aSpan[2];
  (void)state;
  aSpan[1].iOff = 0;
  assert_int_equal(vf_split(S("a b c d e"), aSpan, 2), 5);
  assert_int_equal(aSpan[1].iOff, 2);
}

static void test_parse_int(void **state){
  static const struct { const char *z; int64_t iMax; int e; int64_t v; } a[] = {
    { "0",          65535, VF_INT_OK,    0 },
    { "65535",      65535, VF_INT_OK,    65535 },
    { "65536",      65535, VF_INT_RANGE, 0 },
    { "007",        255,   VF_INT_OK,    7 },
    { "-",          255,   VF_INT_DASH,  0 },
    { "-1",         255,   VF_INT_BAD,   0 },
    { "+1",         255,   VF_INT_BAD,   0 },
    { "1a",         255,   VF_INT_BAD,   0 },
    { "abc",        255,   VF_INT_BAD,   0 },
    { "1.5",        255,   VF_INT_BAD,   0 },
    { "",           255,   VF_INT_BAD,   0 },
    { "9223372036854775807", INT64_MAX, VF_INT_OK, INT64_MAX },
    { "9223372036854775808", INT64_MAX, VF_INT_RANGE, 0 },
    { "99999999999999999999999", INT64_MAX, VF_INT_RANGE, 0 },
    /* found by fuzzing: 20 digits that wrapped past 2^64 to a small value */
    { "19233720368547580292", INT64_MAX, VF_INT_RANGE, 0 },
    { "18446744073709551617", INT64_MAX, VF_INT_RANGE, 0 },
    /* a huge number that is also not a number: "not an integer" wins */
    { "99999999999999999999999x", INT64_MAX, VF_INT_BAD, 0 },
  };
  size_t i;
  (void)state;
  for(i=0; i<sizeof(a)/sizeof(a[0]); i++){
    int64_t v = -42;
    int e = vf_parse_int(a[i].z, strlen(a[i].z), a[i].iMax, &v);
    assert_int_equal(e, a[i].e);
    if( e==VF_INT_OK ) assert_true(v==a[i].v);
  }
}

static void test_epoch(void **state){
  (void)state;
  assert_true(vf_epoch_seconds(1418530010)==1418530010);
  /* flowlogs-reader's millisecond sample: 2017-12-06 12:40:58 UTC */
  assert_true(vf_epoch_seconds(1512564058000LL)==1512564058);
  assert_true(vf_epoch_seconds(1512564058999LL)==1512564058);
  assert_true(vf_epoch_seconds(99999999999LL)==99999999999LL);
  assert_true(vf_epoch_seconds(100000000000LL)==100000000LL);
  assert_true(vf_epoch_seconds(0)==0);
}

static void test_check_text(void **state){
  static const struct { const char *z; size_t n; size_t iBad; int bUtf8; } a[] = {
    { S("plain ascii 123"), 0, 0 },
    { S("tab\tok"), 0, 0 },
    { S("subnet-\xd0\xb1"), 0, 0 },               /* Cyrillic be, valid */
    { S("\xe2\x96\x81"), 0, 0 },                  /* U+2581 */
    { S("\xf0\x9f\x98\x80"), 0, 0 },              /* U+1F600 */
    { "ab\0cd", 5, 3, 0 },                        /* NUL at byte 3 */
    { S("x\x01"), 2, 0 },
    { S("del\x7f"), 4, 0 },
    { S("cr\r"), 3, 0 },
    { S("bad\xff"), 4, 1 },
    { S("\xc0\x80"), 1, 1 },                      /* overlong NUL */
    { S("\xed\xa0\x80"), 1, 1 },                  /* surrogate */
    { S("\xf4\x90\x80\x80"), 1, 1 },              /* above U+10FFFF */
    { S("ok\xe2\x96"), 3, 1 },                    /* cut short */
    { S("\x80"), 1, 1 },                          /* lone continuation */
  };
  size_t i;
  (void)state;
  for(i=0; i<sizeof(a)/sizeof(a[0]); i++){
    int bUtf8 = -1;
    size_t iBad = vf_check_text(a[i].z, a[i].n, &bUtf8);
    assert_int_equal(iBad, a[i].iBad);
    if( iBad ) assert_int_equal(bUtf8, a[i].bUtf8);
  }
}

static void test_is_name(void **state){
  (void)state;
  assert_true(vf_is_name(S("log-status")));
  assert_true(vf_is_name(S("log_status")));
  assert_true(vf_is_name(S("instance-tag-2")));
  assert_false(vf_is_name(S("2")));
  assert_false(vf_is_name(S("ACCEPT")));
  assert_false(vf_is_name(S("eni-1.2")));
  assert_false(vf_is_name(S("")));
  assert_false(vf_is_name(S("-x")));
}

/* Format strings: ${} and plain lists give the bare names. */
static void test_format(void **state){
  static const struct { const char *z; int n; const char *azName[4]; } a[] = {
    { "${version} ${srcaddr}",       2, { "version", "srcaddr" } },
    { "version srcaddr  dstaddr",    3, { "version", "srcaddr", "dstaddr" } },
    { " ${log-status}\t${pkt_srcaddr} ", 2, { "log-status", "pkt_srcaddr" } },
    { "${version} srcaddr",          2, { "version", "srcaddr" } },
  };
  size_t i;
  (void)state;
  for(i=0; i<sizeof(a)/sizeof(a[0]); i++){
    VfSpan aSpan[8];
    char zErr[100];
    int k, n = vf_parse_format(a[i].z, strlen(a[i].z), aSpan, 8, zErr,
                               sizeof(zErr));
    assert_int_equal(n, a[i].n);
    for(k=0; k<n; k++){
      assert_int_equal(aSpan[k].nLen, strlen(a[i].azName[k]));
      assert_memory_equal(a[i].z+aSpan[k].iOff, a[i].azName[k], aSpan[k].nLen);
    }
  }
}

static void test_format_errors(void **state){
  static const struct { const char *z; const char *zErr; } a[] = {
    { "",              "empty log format" },
    { "   ",           "empty log format" },
    { "${version",     "malformed field in log format: '${version'" },
    { "${}",           "malformed field in log format: '${}'" },
    { "${Version}",    "not a field name in log format: 'Version'" },
    { "version 2",     "not a field name in log format: '2'" },
    { "a b c",         "log format has 3 fields, more than 2" },
  };
  size_t i;
  (void)state;
  for(i=0; i<sizeof(a)/sizeof(a[0]); i++){
    VfSpan aSpan[2];
    char zErr[100];
    zErr[0] = 0;
    assert_int_equal(vf_parse_format(a[i].z, strlen(a[i].z), aSpan, 2, zErr,
                                     sizeof(zErr)), -1);
    assert_string_equal(zErr, a[i].zErr);
  }
}

static void test_cw_timestamp(void **state){
  (void)state;
  assert_true(vf_is_cw_timestamp(S("2025-02-25T12:25:04.000Z")));
  assert_true(vf_is_cw_timestamp(S("2025-02-25T12:25:04Z")));
  assert_true(vf_is_cw_timestamp(S("2025-02-25T12:25:04.123456Z")));
  assert_false(vf_is_cw_timestamp(S("2025-02-25T12:25:04.Z")));
  assert_false(vf_is_cw_timestamp(S("2025-02-25 12:25:04Z")));
  assert_false(vf_is_cw_timestamp(S("2025-02-25T12:25:04")));
  assert_false(vf_is_cw_timestamp(S("1418530010")));
  assert_false(vf_is_cw_timestamp(S("2")));
}

static void test_unwrap(void **state){
  static const struct { const char *zIn; int r; const char *zOut; } a[] = {
    { "{\"message\":\"2 123 eni-1 - - - - - - - 1 2 - NODATA\"}", 1,
      "2 123 eni-1 - - - - - - - 1 2 - NODATA" },
    { " { \"message\" : \"a b\" } ", 1, "a b" },
    { "{\"message\":\"q\\\"uote\\\\ \\u0041\\u00e9\"}", 1, "q\"uote\\ A\xc3\xa9" },
    { "2 123 eni-1", 0, 0 },
    { "{\"msg\":\"x\"}", -1, 0 },
    { "{\"message\":\"x\"", -1, 0 },
    { "{\"message\":\"x}", -1, 0 },
    { "{\"message\":\"x\"} junk", -1, 0 },
    { "{\"message\":\"\\ud800\"}", -1, 0 },
    { "{\"message\":\"\\x\"}", -1, 0 },
    { "{\"message\":\"\\u12\"}", -1, 0 },
  };
  size_t i;
  (void)state;
  for(i=0; i<sizeof(a)/sizeof(a[0]); i++){
    char zOut[100];
    size_t nOut = 0;
    int r = vf_unwrap_message(a[i].zIn, strlen(a[i].zIn), zOut, sizeof(zOut),
                              &nOut);
    assert_int_equal(r, a[i].r);
    if( r==1 ){
      assert_int_equal(nOut, strlen(a[i].zOut));
      assert_memory_equal(zOut, a[i].zOut, nOut);
    }
  }
}

/* An unwrapped record that does not fit the output buffer is refused. */
static void test_unwrap_overflow(void **state){
  char zOut[4];
  size_t nOut;
  (void)state;
  assert_int_equal(vf_unwrap_message(S("{\"message\":\"abcd\"}"), zOut, 4,
                                     &nOut), 1);
  assert_int_equal(vf_unwrap_message(S("{\"message\":\"abcde\"}"), zOut, 4,
                                     &nOut), -1);
  assert_int_equal(vf_unwrap_message(S("{\"message\":\"abc\\u00e9\"}"), zOut, 4,
                                     &nOut), -1);
}

/*
** vf_scan_line gives exactly vf_split's tokens, at every length around the
** 16-byte blocks, and flags a line exactly when it holds a byte outside
** printable ASCII, space and tab. Random lines from a fixed seed; the
** expectation for the flag is computed here byte by byte.
*/
static void test_scan_line(void **state){
  static const char aAlpha[] = "a1- \t\t  .:Z";
  uint64_t x = 88172645463325252ULL;
  int iter;
  (void)state;
  for(iter=0; iter<20000; iter++){
    char z[200];
    size_t n, i;
    VfSpan a1[8], a2[8];
    int n1, n2, k, bSuspect = -1, bWant = 0;
    x ^= x<<13; x ^= x>>7; x ^= x<<17;
    n = (size_t)(x % 70);
    for(i=0; i<n; i++){
      x ^= x<<13; x ^= x>>7; x ^= x<<17;
      z[i] = aAlpha[x % (sizeof(aAlpha)-1)];
      if( (x>>20)%97==0 ) z[i] = (char)(x>>32);   /* now and then any byte */
      if( ((unsigned char)z[i]<0x20 && z[i]!='\t') || (unsigned char)z[i]>=0x7F ){
        bWant = 1;
      }
    }
    n2 = vf_scan_line(z, n, a2, 8, &bSuspect);
    assert_int_equal(bSuspect, bWant);
    if( bWant ) continue;    /* separators then differ only in what a line
                             ** with control bytes would never reach */
    n1 = vf_split(z, n, a1, 8);
    assert_int_equal(n1, n2);
    for(k=0; k<n1 && k<8; k++){
      assert_int_equal(a1[k].iOff, a2[k].iOff);
      assert_int_equal(a1[k].nLen, a2[k].nLen);
    }
  }
}

/*
** The contract of vf_scan_line, written out slowly: a token is a run of
** bytes other than space and tab; the line is suspect if any byte is
** below 0x20 but tab, or 0x7F or above. Stores the first nMax tokens and
** returns how many there are.
*/
static int ref_scan(const char *zIn, size_t n, VfSpan *a, int nMax,
                    int *pbSuspect){
  const unsigned char *z = (const unsigned char*)zIn;
  size_t i;
  int nTok = 0;
  *pbSuspect = 0;
  for(i=0; i<n; i++){
    if( (z[i]<0x20 && z[i]!='\t') || z[i]>=0x7F ) *pbSuspect = 1;
  }
  i = 0;
  while( 1 ){
    size_t iStart;
    while( i<n && (z[i]==' ' || z[i]=='\t') ) i++;
    if( i>=n ) break;
    iStart = i;
    while( i<n && z[i]!=' ' && z[i]!='\t' ) i++;
    if( nTok<nMax ){
      a[nTok].iOff = (uint32_t)iStart;
      a[nTok].nLen = (uint32_t)(i - iStart);
    }
    nTok++;
  }
  return nTok;
}

/* xorshift64: the next pseudo-random number of the sequence in *pX */
static uint64_t next_rand(uint64_t *pX){
  uint64_t x = *pX;
  x ^= x<<13; x ^= x>>7; x ^= x<<17;
  return *pX = x;
}

/*
** Fill z[0..n-1] with a random line in one of four styles: flow-log
** like (tokens of digits, letters and '-', mostly one space apart, now
** and then two, a tab or a blank at either end); a mix of blanks, digits,
** letters, control bytes, DEL and high bytes; any bytes at all; or as
** many tokens as fit, one byte each, one blank apart (a transition at
** nearly every byte).
*/
static void random_line(char *z, size_t n, uint64_t *pX){
  static const char aTok[] = "0123456789abcdefghijklmnopqrstuvwxyzACCEPT-.:";
  static const char aMix[] = " \t\t  019azAZ-.\x01\r\x0b\x1f\x7f\x80\xc3\xa9\xff";
  int eStyle = (int)(next_rand(pX) % 4);
  size_t i = 0;
  if( eStyle==3 ){
    size_t iShift = (size_t)(next_rand(pX) % 2);
    for(i=0; i<n; i++){
      uint64_t r = next_rand(pX);
      z[i] = ((i + iShift) & 1) ? ' ' : 'x';
      if( r%50==0 ) z[i] = '\t';           /* now and then a longer run */
    }
  }else if( eStyle==0 ){
    /* half the lines single-spaced throughout, the others not */
    int bRuns = next_rand(pX)%2;
    while( i<n ){
      uint64_t r = next_rand(pX);
      size_t nTokLen = 1 + (size_t)(r % 12), k;
      for(k=0; k<nTokLen && i<n; k++){
        z[i++] = aTok[(r>>8)%(sizeof(aTok)-1) ^ (k & 1)];
      }
      if( i<n ) z[i++] = ' ';
      if( bRuns && i<n && (r>>32)%10==0 ) z[i++] = (r>>40)&1 ? ' ' : '\t';
    }
    if( n>1 && z[n-1]==' ' ) z[n-1] = 'Z';
    if( bRuns && n>0 && next_rand(pX)%4==0 ) z[0] = ' ';
    if( bRuns && n>0 && next_rand(pX)%4==0 ) z[n-1] = '\t';
  }else if( eStyle==1 ){
    for(i=0; i<n; i++) z[i] = aMix[next_rand(pX) % (sizeof(aMix)-1)];
  }else{
    for(i=0; i<n; i++) z[i] = (char)(next_rand(pX)>>24);
  }
}

/* Line lengths to try: all of 0..300 is most, and 64-byte edges. */
static size_t random_length(uint64_t *pX){
  uint64_t r = next_rand(pX);
  if( r%4==0 ){
    static const size_t aEdge[] = { 1, 15, 16, 17, 31, 32, 33, 63, 64, 65,
                                    127, 128, 129, 191, 192, 193, 255, 256 };
    return aEdge[(r>>8) % (sizeof(aEdge)/sizeof(aEdge[0]))];
  }
  return (size_t)((r>>8) % 301);
}

/*
** Check one implementation against ref_scan() on z[0..n-1] with room for
** nMax spans. The line and the spans are heap blocks of exactly their
** size, so the sanitizers see any access past either.
*/
static void check_scan(const char *zLine, size_t n, int nMax){
  char *z = malloc(n ? n : 1);
  VfSpan *a = malloc(sizeof(VfSpan)*(nMax ? (size_t)nMax : 1));
  VfSpan *aRef = malloc(sizeof(VfSpan)*(nMax ? (size_t)nMax : 1));
  int nTok, nRef, k, bSuspect = -1, bRef = -1;
  assert_non_null(z);
  assert_non_null(a);
  assert_non_null(aRef);
  memcpy(z, zLine, n);
  memset(a, 0xA5, sizeof(VfSpan)*(nMax ? (size_t)nMax : 1));
  nTok = vf_scan_line(z, n, a, nMax, &bSuspect);
  nRef = ref_scan(z, n, aRef, nMax, &bRef);
  assert_int_equal(nTok, nRef);
  assert_int_equal(bSuspect, bRef);
  for(k=0; k<nTok && k<nMax; k++){
    assert_int_equal(a[k].iOff, aRef[k].iOff);
    assert_int_equal(a[k].nLen, aRef[k].nLen);
  }
  free(z);
  free(a);
  free(aRef);
}

/*
** Every implementation of vf_scan_line that runs on this CPU gives
** exactly what the contract says, on many random lines (the same lines
** for each): every token, the true count past nMax, and the screen. Some
** lines are about 70 KB, longer than the reader's longest line. On a
** line without control bytes ref_scan() is vf_split(), checked too.
*/
static void test_scan_variants(void **state){
  static const int aMax[] = { 0, 1, 2, 3, 7, 14, 15, 16, 33, VF_MAX_FIELDS };
  static const char *azName[] = { "", "scalar", "sse2", "avx2" };
  char *zLine = malloc(70000);
  int e;
  (void)state;
  assert_non_null(zLine);
  for(e=VF_SCAN_SCALAR; e<=VF_SCAN_AVX2; e++){
    uint64_t x = 0x2545F4914F6CDD1DULL;
    int iter;
    if( vf_scan_force(e) ){
      printf("test_scan_variants: %s does not run here, skipped\n", azName[e]);
      continue;
    }
    for(iter=0; iter<40000; iter++){
      size_t n = iter%5000==4999 ? 65536 + (size_t)(next_rand(&x)%4465)
                                 : random_length(&x);
      uint64_t r = next_rand(&x);
      int nMax = r%2 ? (int)((r>>8)%41)
                     : aMax[(r>>8) % (sizeof(aMax)/sizeof(aMax[0]))];
      random_line(zLine, n, &x);
      check_scan(zLine, n, nMax);
      if( iter%16==0 ) check_scan(zLine, n, VF_MAX_FIELDS);
    }
    /* the reference itself is vf_split() on lines without control bytes */
    if( e==VF_SCAN_SCALAR ){
      for(iter=0; iter<5000; iter++){
        VfSpan a1[VF_MAX_FIELDS], a2[VF_MAX_FIELDS];
        size_t n = random_length(&x), i;
        int n1, n2, k, bSuspect, bCtl = 0;
        random_line(zLine, n, &x);
        for(i=0; i<n; i++){
          if( (unsigned char)zLine[i]<0x20 && zLine[i]!='\t' ) bCtl = 1;
        }
        if( bCtl ) continue;
        n1 = vf_split(zLine, n, a1, VF_MAX_FIELDS);
        n2 = ref_scan(zLine, n, a2, VF_MAX_FIELDS, &bSuspect);
        assert_int_equal(n1, n2);
        for(k=0; k<n1 && k<VF_MAX_FIELDS; k++){
          assert_int_equal(a1[k].iOff, a2[k].iOff);
          assert_int_equal(a1[k].nLen, a2[k].nLen);
        }
      }
    }
  }
  /* lines written out: a control byte is part of a token, not a blank */
  for(e=VF_SCAN_SCALAR; e<=VF_SCAN_AVX2; e++){
    VfSpan a[4];
    int bSuspect = -1;
    if( vf_scan_force(e) ) continue;
    assert_int_equal(vf_scan_line(S("\x01"), a, 4, &bSuspect), 1);
    assert_int_equal(bSuspect, 1);
    assert_int_equal(vf_scan_line(S(" a\rb\t c "), a, 4, &bSuspect), 2);
    assert_int_equal(bSuspect, 1);
    assert_int_equal(a[0].iOff, 1);
    assert_int_equal(a[0].nLen, 3);
    assert_int_equal(vf_scan_line(S("43638  10.0.0.62\t"), a, 4, &bSuspect), 2);
    assert_int_equal(bSuspect, 0);
    assert_int_equal(a[1].iOff, 7);
    assert_int_equal(a[1].nLen, 9);
  }
  assert_int_equal(vf_scan_force(VF_SCAN_AUTO), 0);
  free(zLine);
}

/*
** What vf_parse_ints() must give for the token z[0..n-1]: its value if
** it is 1 to 16 ASCII digits, else VF_INTS_NONE. Written out slowly.
*/
static uint64_t ref_int16(const char *z, size_t n){
  uint64_t v = 0;
  size_t i;
  if( n<1 || n>16 ) return VF_INTS_NONE;
  for(i=0; i<n; i++){
    if( z[i]<'0' || z[i]>'9' ) return VF_INTS_NONE;
    v = v*10 + (uint64_t)(z[i]-'0');
  }
  return v;
}

/*
** Every implementation of vf_parse_ints() agrees with ref_int16() on
** random lines of numbers of 0 to 20 digits with now and then a "-", a
** sign, a byte just outside '0'..'9' or a high byte, on short lines and
** on tokens at either end of the line (where 8 bytes from the token's
** start are not there to read), for random choices of tokens (repeats,
** any order, 0 to 40 of them). The line, the spans and the results are
** heap blocks of exactly their size.
*/
static void test_parse_ints_variants(void **state){
  static const char aOdd[] = "-+/:\x80 a";
  static const char *azName[] = { "", "scalar", "sse2", "avx2" };
  int e;
  (void)state;
  for(e=VF_SCAN_SCALAR; e<=VF_SCAN_AVX2; e++){
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    int iter;
    if( vf_scan_force(e) ){
      printf("test_parse_ints_variants: %s does not run here, skipped\n",
             azName[e]);
      continue;
    }
    for(iter=0; iter<20000; iter++){
      char zBuf[400];
      VfSpan aTok[64];
      int aIdx[40];
      size_t n = 0;
      int nTok = 0, nIdx, k;
      int nWant = 1 + (int)(next_rand(&x) % 12);
      char *z;
      VfSpan *aT;
      int *aI;
      uint64_t *aNum;
      /* the line: tokens one blank apart, now and then two */
      if( next_rand(&x)%8==0 ) zBuf[n++] = ' ';
      while( nTok<nWant ){
        uint64_t r = next_rand(&x);
        size_t nLen = (size_t)(r % 21), i;
        if( nLen==0 ) nLen = 1;
        if( r%3==0 ) nLen = 1 + (size_t)((r>>8) % 4);    /* many short ones */
        aTok[nTok].iOff = (uint32_t)n;
        aTok[nTok].nLen = (uint32_t)nLen;
        for(i=0; i<nLen; i++){
          uint64_t q = next_rand(&x);
          zBuf[n++] = q%23==0 ? aOdd[(q>>8) % (sizeof(aOdd)-1)]
                              : (char)('0' + (q>>16)%10);
        }
        if( (r>>40)%17==0 ){                    /* a dash alone */
          zBuf[aTok[nTok].iOff] = '-';
          aTok[nTok].nLen = 1;
          n = aTok[nTok].iOff + 1;
        }
        nTok++;
        if( nTok<nWant ){
          zBuf[n++] = ' ';
          if( (r>>48)%9==0 ) zBuf[n++] = '\t';
        }
      }
      if( next_rand(&x)%8==0 ) zBuf[n++] = ' ';
      nIdx = (int)(next_rand(&x) % 41);
      for(k=0; k<nIdx; k++) aIdx[k] = (int)(next_rand(&x) % (uint64_t)nTok);
      z = malloc(n);
      aT = malloc(sizeof(VfSpan)*(size_t)nTok);
      aI = malloc(sizeof(int)*(size_t)(nIdx ? nIdx : 1));
      aNum = malloc(sizeof(uint64_t)*(size_t)(nIdx ? VF_INTS_ROOM(nIdx) : 1));
      assert_non_null(z);
      assert_non_null(aT);
      assert_non_null(aI);
      assert_non_null(aNum);
      memcpy(z, zBuf, n);
      memcpy(aT, aTok, sizeof(VfSpan)*(size_t)nTok);
      memcpy(aI, aIdx, sizeof(int)*(size_t)nIdx);
      vf_parse_ints(z, n, aT, aI, nIdx, aNum);
      for(k=0; k<nIdx; k++){
        const VfSpan *p = &aTok[aIdx[k]];
        uint64_t want = ref_int16(zBuf+p->iOff, p->nLen);
        if( aNum[k]!=want ){
          printf("token '%.*s' (line of %zu bytes, at %u): got %llu, want %llu\n",
                 (int)p->nLen, zBuf+p->iOff, n, p->iOff,
                 (unsigned long long)aNum[k], (unsigned long long)want);
        }
        assert_true(aNum[k]==want);
      }
      free(z);
      free(aT);
      free(aI);
      free(aNum);
    }
  }
  assert_int_equal(vf_scan_force(VF_SCAN_AUTO), 0);
}

/*
** vf_parse_int_fast (8 digits at a time) agrees with vf_parse_int on
** every token: lengths 0 to 20, digits mixed with the bytes just outside
** '0'..'9' ('/' and ':'), '-', high bytes, and the iMax edges. The
** token sits at the start of a 32-byte buffer so 8 bytes are readable.
*/
static void test_parse_int_fast(void **state){
  static const char aCh[] = "0123456789/:-\x80 9";
  static const int64_t aMax[] = { 255, 65535, INT64_MAX };
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  int iter;
  (void)state;
  for(iter=0; iter<200000; iter++){
    char z[32];
    size_t n, i;
    int k;
    x ^= x<<13; x ^= x>>7; x ^= x<<17;
    n = (size_t)(x % 21);
    for(i=0; i<sizeof(z); i++){
      x ^= x<<13; x ^= x>>7; x ^= x<<17;
      /* mostly digits, so that many tokens are numbers */
      z[i] = (x>>8)%4 ? (char)('0' + (x>>16)%10) : aCh[(x>>24)%(sizeof(aCh)-1)];
    }
    if( iter%50==0 ){ z[0] = '-'; n = 1; }
    for(k=0; k<3; k++){
      int64_t v1 = -1, v2 = -2;
      int e1 = vf_parse_int(z, n, aMax[k], &v1);
      int e2 = vf_parse_int_fast(z, n, sizeof(z), aMax[k], &v2);
      assert_int_equal(e1, e2);
      if( e1==VF_INT_OK ) assert_true(v1==v2);
      /* and with no bytes readable past the token */
      e2 = vf_parse_int_fast(z, n, n, aMax[k], &v2);
      assert_int_equal(e1, e2);
      if( e1==VF_INT_OK ) assert_true(v1==v2);
    }
  }
  /* edges written out */
  {
    int64_t v;
    char z[32] = "1234567890123456 ";
    assert_int_equal(vf_parse_int_fast(z, 16, 32, INT64_MAX, &v), VF_INT_OK);
    assert_true(v==1234567890123456LL);
    assert_int_equal(vf_parse_int_fast("00000000", 8, 8, 255, &v), VF_INT_OK);
    assert_true(v==0);
    assert_int_equal(vf_parse_int_fast("99999999", 8, 8, INT64_MAX, &v), VF_INT_OK);
    assert_true(v==99999999);
    assert_int_equal(vf_parse_int_fast("65536   ", 5, 8, 65535, &v), VF_INT_RANGE);
    assert_int_equal(vf_parse_int_fast("1700000060", 10, 10, INT64_MAX, &v), VF_INT_OK);
    assert_true(v==1700000060);
  }
}

/* vf_utf8_prefix never cuts a character: "\xc3\xa9" is one character. */
static void test_utf8_prefix(void **state){
  (void)state;
  assert_int_equal(vf_utf8_prefix("abc", 3, 10), 3);
  assert_int_equal(vf_utf8_prefix("abcdef", 6, 4), 4);
  assert_int_equal(vf_utf8_prefix("ab\xc3\xa9", 4, 3), 2);
  assert_int_equal(vf_utf8_prefix("ab\xc3\xa9x", 5, 4), 4);
  assert_int_equal(vf_utf8_prefix("a\xe2\x96\x81", 4, 3), 1);
  assert_int_equal(vf_utf8_prefix("\xf0\x9f\x98\x80z", 5, 4), 4);
  assert_int_equal(vf_utf8_prefix("\xf0\x9f\x98\x80z", 5, 3), 0);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_split),
    cmocka_unit_test(test_split_overflow),
    cmocka_unit_test(test_scan_line),
    cmocka_unit_test(test_scan_variants),
    cmocka_unit_test(test_parse_int),
    cmocka_unit_test(test_parse_int_fast),
    cmocka_unit_test(test_parse_ints_variants),
    cmocka_unit_test(test_utf8_prefix),
    cmocka_unit_test(test_epoch),
    cmocka_unit_test(test_check_text),
    cmocka_unit_test(test_is_name),
    cmocka_unit_test(test_format),
    cmocka_unit_test(test_format_errors),
    cmocka_unit_test(test_cw_timestamp),
    cmocka_unit_test(test_unwrap),
    cmocka_unit_test(test_unwrap_overflow),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
