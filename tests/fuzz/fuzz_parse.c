/*
** fuzz_parse.c - libFuzzer harness for the line parser (ext/parse.c).
**
** Usage:
**
**   make fuzz                      (builds build/fuzz/fuzz_parse)
**   build/fuzz/fuzz_parse -dict=tests/fuzz/vpcflow.dict CORPUS_DIR
**
** Each input is one line of a flow log file. The parser gets a heap copy
** of exactly the input's bytes, with no NUL after them, so ASan reports
** any read past the end. The harness does what vtab.c does per line:
** split and screen it (vf_scan_line), unwrap a Firehose {"message":...}
** wrapper, check the text, test for a header, look at the first token as
** a CloudWatch timestamp and parse every token as an integer against
** several field maxima.
**
** HOW IT CHECKS. Beyond memory errors and undefined behaviour, every
** result is compared with a slow reference written here from the contract
** in parse.h (not from parse.c): the token count and spans of vf_split,
** and of vf_scan_line (split on spaces and tabs only; the same as
** vf_split on any line without control bytes) and its screen, the
** verdict and offset of vf_check_text (a code-point-decoding UTF-8
** validator), the outcome and value of vf_parse_int (128-bit arithmetic),
** of vf_parse_int_fast (the scan's 8-digits-at-a-time version) and of
** vf_parse_ints (all integer tokens of a line at once), and the shape
** rules of vf_is_name and vf_is_cw_timestamp. vf_scan_line and
** vf_parse_ints are checked in every implementation this CPU runs (plain
** C, SSE2, AVX2: vf_scan_force), so they are also checked against each
** other. The whole input is also parsed as a block of lines under two
** layouts (vf_ahead_parse, ext/ahead.c): a line given a ready record must
** be one the one-line path accepts, with the same spans and values, and a
** line left to the slow path must fail one of its tests. A mismatch aborts, which libFuzzer reports as a crash with the
** input saved.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "catalog.h"
#include "ahead.h"
#include "reader.h"

/* Abort with a message if a property does not hold. */
#define CHECK(x) do{ if( !(x) ){ \
  fprintf(stderr, "fuzz_parse: %s:%d: check failed: %s\n", \
          __FILE__, __LINE__, #x); abort(); } }while(0)

/* Field maxima vf_parse_int is called with: those of the catalog (ports,
** protocol, 32-bit counters, Unix times, 64-bit counters) and edges. */
static const int64_t aMax[] = {
  0, 1, 9, 10, 255, 65535, 4294967295LL, 99999999999LL,
  922337203685477580LL, INT64_MAX
};

/* 1 if c separates tokens for vf_split(): any byte 0x20 or below. */
static int is_sep(char c){
  return (unsigned char)c<=0x20;
}

/* 1 if c is a space or a tab, the only separators of an accepted line. */
static int is_blank(char c){
  return c==' ' || c=='\t';
}

/* 1 if c is a control byte other than tab: such a line is rejected. */
static int is_ctl(char c){
  return (unsigned char)c<0x20 && c!='\t';
}

/*
** Reference UTF-8 check: decode each sequence to its code point and
** reject by value (overlong, surrogate, above U+10FFFF) rather than by
** byte ranges as parse.c does. Same contract as vf_check_text().
*/
static size_t ref_check_text(const unsigned char *z, size_t n, int *pbUtf8){
  size_t i = 0;
  while( i<n ){
    unsigned c = z[i], cp, k, len;
    if( c=='\t' || (c>=0x20 && c<0x7f) ){ i++; continue; }
    if( c<0x80 ){ *pbUtf8 = 0; return i+1; }
    if( (c & 0xE0)==0xC0 ){ len = 2; cp = c & 0x1F; }
    else if( (c & 0xF0)==0xE0 ){ len = 3; cp = c & 0x0F; }
    else if( (c & 0xF8)==0xF0 ){ len = 4; cp = c & 0x07; }
    else { *pbUtf8 = 1; return i+1; }
    if( i+len>n ){ *pbUtf8 = 1; return i+1; }
    for(k=1; k<len; k++){
      if( (z[i+k] & 0xC0)!=0x80 ){ *pbUtf8 = 1; return i+1; }
      cp = (cp<<6) | (z[i+k] & 0x3F);
    }
    if( (len==2 && cp<0x80) || (len==3 && cp<0x800) || (len==4 && cp<0x10000)
     || (cp>=0xD800 && cp<=0xDFFF) || cp>0x10FFFF ){
      *pbUtf8 = 1;
      return i+1;
    }
    i += len;
  }
  return 0;
}

/* Reference integer parse: same contract as vf_parse_int(). */
static int ref_parse_int(const char *z, size_t n, int64_t iMax, int64_t *pVal){
  unsigned __int128 v = 0;
  size_t i;
  if( n==1 && z[0]=='-' ) return VF_INT_DASH;
  if( n==0 ) return VF_INT_BAD;
  for(i=0; i<n; i++){
    if( z[i]<'0' || z[i]>'9' ) return VF_INT_BAD;
  }
  for(i=0; i<n; i++){
    v = v*10 + (unsigned)(z[i]-'0');
    if( v>(unsigned __int128)iMax ) return VF_INT_RANGE;
  }
  *pVal = (int64_t)v;
  return VF_INT_OK;
}

/* Reference field-name shape: [a-z][a-z0-9_-]* */
static int ref_is_name(const char *z, size_t n){
  size_t i;
  if( n==0 ) return 0;
  for(i=0; i<n; i++){
    char c = z[i];
    int bLower = c>='a' && c<='z';
    int bOther = (c>='0' && c<='9') || c=='-' || c=='_';
    if( !bLower && (i==0 || !bOther) ) return 0;
  }
  return 1;
}

/* Reference CloudWatch timestamp: YYYY-MM-DDTHH:MM:SS[.d+]Z, 20..40 bytes. */
static int ref_is_cw_timestamp(const char *z, size_t n){
  static const char zPat[] = "dddd-dd-ddTdd:dd:dd";
  size_t i;
  if( n<20 || n>40 || z[n-1]!='Z' ) return 0;
  for(i=0; i<19; i++){
    if( zPat[i]=='d' ? (z[i]<'0' || z[i]>'9') : z[i]!=zPat[i] ) return 0;
  }
  if( n==20 ) return 1;
  if( z[19]!='.' || n<22 ) return 0;
  for(i=20; i<n-1; i++){
    if( z[i]<'0' || z[i]>'9' ) return 0;
  }
  return 1;
}

/* The implementations vf_scan_force() knows, in the order tried. */
static const int aImpl[] = { VF_SCAN_SCALAR, VF_SCAN_SSE2, VF_SCAN_AVX2 };

/*
** Check vf_scan_line on z[0..n-1] with room for nMax spans, in a heap
** array of exactly that size, in every implementation that runs here:
** the tokens are the runs of bytes other than space and tab, all counted,
** the first nMax stored, and the line is suspect exactly when it holds a
** control byte other than tab, DEL or a high byte.
*/
static void check_scan(const char *z, size_t n, int nMax){
  size_t nRoom = (size_t)(nMax>0 ? nMax : 1);
  VfSpan *a = malloc(sizeof(VfSpan)*nRoom);
  int nRef = 0, i, k, bRef = 0;
  size_t j;
  CHECK( a!=0 );
  for(j=0; j<n; j++){
    if( !is_blank(z[j]) && (j==0 || is_blank(z[j-1])) ) nRef++;
    if( is_ctl(z[j]) || (unsigned char)z[j]>=0x7f ) bRef = 1;
  }
  for(k=0; k<(int)(sizeof(aImpl)/sizeof(aImpl[0])); k++){
    int nTok, bSuspect = -1;
    if( vf_scan_force(aImpl[k]) ) continue;
    memset(a, 0xA5, sizeof(VfSpan)*nRoom);
    nTok = vf_scan_line(z, n, a, nMax, &bSuspect);
    CHECK( nTok==nRef );
    CHECK( bSuspect==bRef );
    for(i=0; i<nTok && i<nMax; i++){
      size_t iOff = a[i].iOff, nLen = a[i].nLen;
      CHECK( nLen>0 && iOff+nLen<=n );
      CHECK( i==0 || iOff>(size_t)a[i-1].iOff+a[i-1].nLen );
      CHECK( iOff==0 || is_blank(z[iOff-1]) );
      CHECK( iOff+nLen==n || is_blank(z[iOff+nLen]) );
      for(j=iOff; j<iOff+nLen; j++) CHECK( !is_blank(z[j]) );
    }
  }
  CHECK( vf_scan_force(VF_SCAN_AUTO)==0 );
  free(a);
}

/*
** Check vf_split on z[0..n-1] with room for nMax spans, in a heap array
** of exactly that size so a write past it is caught, and vf_scan_line
** with the same room. Return vf_split's count.
*/
static int check_split(const char *z, size_t n, int nMax){
  size_t nRoom = (size_t)(nMax>0 ? nMax : 1);
  VfSpan *a = malloc(sizeof(VfSpan)*nRoom);
  int nTok, nRef = 0, i;
  size_t j;
  CHECK( a!=0 );
  nTok = vf_split(z, n, a, nMax);
  for(j=0; j<n; j++){
    if( !is_sep(z[j]) && (j==0 || is_sep(z[j-1])) ) nRef++;
  }
  CHECK( nTok==nRef );
  for(i=0; i<nTok && i<nMax; i++){
    size_t iOff = a[i].iOff, nLen = a[i].nLen;
    CHECK( nLen>0 && iOff+nLen<=n );
    CHECK( i==0 || iOff>(size_t)a[i-1].iOff+a[i-1].nLen );
    CHECK( iOff==0 || is_sep(z[iOff-1]) );
    CHECK( iOff+nLen==n || is_sep(z[iOff+nLen]) );
    for(j=iOff; j<iOff+nLen; j++) CHECK( !is_sep(z[j]) );
  }
  free(a);
  check_scan(z, n, nMax);
  return nTok;
}

/*
** Check vf_parse_ints on the tokens of z[0..n-1] (as vf_split gives them,
** nTok of them), in every implementation that runs here: each token, and
** then a choice of them in an order taken from the bytes of the line,
** must give its value if it is 1 to 16 digits, else VF_INTS_NONE.
*/
static void check_ints(const char *z, size_t n, const VfSpan *aTok,
                       int nTok){
  int aIdx[2*VF_MAX_FIELDS], nIdx = 0, i, k;
  uint64_t aNum[VF_INTS_ROOM(2*VF_MAX_FIELDS)];
  uint64_t aRef[2*VF_MAX_FIELDS];
  for(i=0; i<nTok; i++) aIdx[nIdx++] = i;
  for(i=0; i<nTok && nIdx<2*VF_MAX_FIELDS; i++){
    aIdx[nIdx++] = (int)((unsigned char)z[aTok[i].iOff] % (unsigned)nTok);
  }
  for(i=0; i<nIdx; i++){
    const char *zTok = z + aTok[aIdx[i]].iOff;
    size_t nLen = aTok[aIdx[i]].nLen, j;
    int64_t v = 0;
    int bDigits = nLen>=1 && nLen<=16;
    for(j=0; j<nLen && bDigits; j++){
      if( zTok[j]<'0' || zTok[j]>'9' ) bDigits = 0;
    }
    aRef[i] = bDigits && ref_parse_int(zTok, nLen, INT64_MAX, &v)==VF_INT_OK ?
              (uint64_t)v : VF_INTS_NONE;
  }
  for(k=0; k<(int)(sizeof(aImpl)/sizeof(aImpl[0])); k++){
    if( vf_scan_force(aImpl[k]) ) continue;
    memset(aNum, 0x5A, sizeof(aNum));
    vf_parse_ints(z, n, aTok, aIdx, nIdx, aNum);
    for(i=0; i<nIdx; i++) CHECK( aNum[i]==aRef[i] );
  }
  CHECK( vf_scan_force(VF_SCAN_AUTO)==0 );
}

/*
** Do to z[0..n-1] what the virtual table does to a line once it is
** unwrapped, checking each result against its reference.
*/
static void check_line(const char *z, size_t n){
  VfSpan aTok[VF_MAX_FIELDS];
  size_t iBad, iRef;
  int bUtf8 = -1, bRef = -1, nTok, i, k;

  iBad = vf_check_text(z, n, &bUtf8);
  iRef = ref_check_text((const unsigned char*)z, n, &bRef);
  CHECK( iBad==iRef );
  if( iBad ) CHECK( bUtf8==bRef );

  check_split(z, n, (int)(n % 7));
  nTok = check_split(z, n, VF_MAX_FIELDS);
  CHECK( vf_split(z, n, aTok, VF_MAX_FIELDS)==nTok );
  {
    /* a header: 1..VF_MAX_FIELDS names, the first one the catalog's */
    int bRef = nTok>=1 && nTok<=VF_MAX_FIELDS
            && vf_catalog_find(z+aTok[0].iOff, aTok[0].nLen)>=0;
    for(i=0; bRef && i<nTok; i++){
      bRef = ref_is_name(z+aTok[i].iOff, aTok[i].nLen);
    }
    CHECK( vf_is_header(z, aTok, nTok)==bRef );
  }
  if( nTok>VF_MAX_FIELDS ) nTok = VF_MAX_FIELDS;
  check_ints(z, n, aTok, nTok);
  for(i=0; i<nTok; i++){
    const char *zTok = z + aTok[i].iOff;
    size_t nLen = aTok[i].nLen;
    CHECK( vf_is_name(zTok, nLen)==ref_is_name(zTok, nLen) );
    CHECK( vf_is_cw_timestamp(zTok, nLen)==ref_is_cw_timestamp(zTok, nLen) );
    for(k=0; k<(int)(sizeof(aMax)/sizeof(aMax[0])); k++){
      int64_t v = -1, vRef = -2, vFast = -3;
      int e = vf_parse_int(zTok, nLen, aMax[k], &v);
      int eRef = ref_parse_int(zTok, nLen, aMax[k], &vRef);
      /* the scan's version may read up to 8 bytes from the token, as far
      ** as the line goes (n - iOff, as vtab.c passes it) */
      int eFast = vf_parse_int_fast(zTok, nLen, n - aTok[i].iOff, aMax[k],
                                    &vFast);
      CHECK( e==eRef );
      CHECK( eFast==e );
      if( e==VF_INT_OK ) CHECK( vFast==v );
      if( e==VF_INT_OK ){
        int64_t s = vf_epoch_seconds(v);
        CHECK( v==vRef && v>=0 && v<=aMax[k] );
        CHECK( s>=0 && s<=v );
        CHECK( v<100000000000LL ? s==v : s==v/1000 );
      }
    }
  }
}

/*
** Layout iL for check_block(): 0 the v2 default (14 tokens; version,
** ports, protocol, packets, bytes, start, end are integers), 1 three
** tokens, integer text integer. Every token is kept, every integer too.
*/
static void block_layout(int iL, VfAheadLayout *pL){
  static const int aV2Int[] = {0, 5, 6, 7, 8, 9, 10, 11};
  static const int64_t aV2Max[] = {255, 65535, 65535, 255, INT64_MAX,
                                   INT64_MAX, INT64_MAX, INT64_MAX};
  int k;
  memset(pL, 0, sizeof(*pL));
  if( iL==0 ){
    pL->nTok = 14;
    pL->nInt = 8;
    for(k=0; k<8; k++){
      pL->aIntTok[k] = aV2Int[k];
      pL->aIntMax[k] = (uint64_t)aV2Max[k];
      pL->aIntEpoch[k] = k>=6;
    }
  }else{
    pL->nTok = 3;
    pL->nInt = 2;
    pL->aIntTok[0] = 0;
    pL->aIntTok[1] = 2;
    pL->aIntMax[0] = 65535;
    pL->aIntMax[1] = INT64_MAX;
  }
  for(k=0; k<pL->nTok; k++) pL->aKeepTok[pL->nKeepTok++] = k;
  for(k=0; k<pL->nInt; k++) pL->aKeepInt[pL->nKeepInt++] = k;
}

/*
** One line of a block against its record: fast only if the one-line path
** (what vtab.c's vfParseLine does) takes it as a data line of layout pL.
*/
static void check_record(const VfAheadLayout *pL, const char *z, size_t n,
                         const VfAheadRec *pRec){
  VfSpan aTok[VF_MAX_FIELDS];
  const VfSpan *aKept = (const VfSpan*)&pRec[1];
  const int64_t *aVal = (const int64_t*)&aKept[pL->nKeepTok];
  int nTok, k, bFast = 1;
  size_t i;
  if( n>VF_READER_MAX_LINE ){
    CHECK( pRec->nLen & VF_AHEAD_SLOW );
    return;
  }
  /* A line with a byte the scan's screen flags (see vf_scan_line) goes
  ** the slow way, good or not; on any other line vf_split's tokens are
  ** the scan's. */
  for(i=0; i<n && bFast; i++){
    unsigned char c = (unsigned char)z[i];
    if( (c<0x20 && c!='\t') || c>=0x7f ) bFast = 0;
  }
  nTok = vf_split(z, n, aTok, VF_MAX_FIELDS);
  if( nTok!=pL->nTok ) bFast = 0;
  if( bFast==1 ){
    char c = z[aTok[0].iOff];
    if( c=='{' || vf_is_header(z, aTok, nTok) ) bFast = 0;
  }
  for(k=0; bFast==1 && k<pL->nInt; k++){
    const VfSpan *pS = &aTok[pL->aIntTok[k]];
    int64_t v = 0;
    int e = vf_parse_int(z+pS->iOff, pS->nLen, (int64_t)pL->aIntMax[k], &v);
    if( e==VF_INT_DASH ) continue;
    if( e!=VF_INT_OK || pS->nLen>16 ){
      bFast = 0;                  /* over 16 digits: slow, whatever it is */
    }else if( (pRec->nLen & VF_AHEAD_SLOW)==0 ){
      CHECK( aVal[k]==(pL->aIntEpoch[k] ? vf_epoch_seconds(v) : v) );
    }
  }
  CHECK( ((pRec->nLen & VF_AHEAD_SLOW)==0)==bFast );
  if( bFast ){
    for(k=0; k<pL->nKeepTok; k++){
      CHECK( aKept[k].iOff==aTok[k].iOff && aKept[k].nLen==aTok[k].nLen );
    }
  }
}

/* The input as a block of lines (a '\n' added if it lacks one), under
** both layouts, with a record area too small for every line now and then
** (the rest is then left to the caller). */
static void check_block(const uint8_t *aData, size_t nData){
  size_t n = nData + (nData==0 || aData[nData-1]!='\n'), iRest = 0, szRec;
  char *z = malloc(n);
  int iL;
  CHECK( z!=0 );
  memcpy(z, aData, nData);
  z[n-1] = '\n';
  for(iL=0; iL<2; iL++){
    VfAheadLayout L;
    unsigned char *aRec;
    size_t nArea, i = 0;
    int nRec, k;
    block_layout(iL, &L);
    szRec = VF_AHEAD_RECSIZE(&L);
    nArea = szRec * (nData % 7==0 ? 3 : n+1);
    aRec = malloc(nArea);
    CHECK( aRec!=0 );
    nRec = vf_ahead_parse(&L, z, n, aRec, nArea, &iRest);
    for(k=0; k<nRec; k++){
      const VfAheadRec *pRec = (const VfAheadRec*)(aRec + szRec*(size_t)k);
      const char *zEol = memchr(z+i, '\n', n-i);
      size_t nLen;
      CHECK( zEol!=0 && pRec->iOff==i );
      nLen = (size_t)(zEol - (z+i));
      if( nLen>0 && z[i+nLen-1]=='\r' ) nLen--;
      CHECK( (pRec->nLen & ~VF_AHEAD_SLOW)==nLen );
      check_record(&L, z+i, nLen, pRec);
      i = (size_t)(zEol - z) + 1;
    }
    CHECK( iRest==(i<n ? i : n) );
    free(aRec);
  }
  free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData){
  char *z = malloc(nData ? nData : 1);
  size_t nOut = 0, nRoom, i;
  char *zOut;
  int r;

  CHECK( z!=0 );
  memcpy(z, aData, nData);
  check_line(z, nData);
  check_block(aData, nData);

  /* The wrapper: first with the room vtab.c gives (a longest line), then
  ** with a room derived from the input, to reach the "does not fit"
  ** paths. Each buffer is exactly its room so overruns are caught. */
  for(i=0; i<2; i++){
    nRoom = i==0 ? 65536 : nData % 61;
    zOut = malloc(nRoom ? nRoom : 1);
    CHECK( zOut!=0 );
    nOut = (size_t)-1;
    r = vf_unwrap_message(z, nData, zOut, nRoom, &nOut);
    CHECK( r>=-1 && r<=1 );
    if( r==0 ){
      size_t j = 0;
      while( j<nData && is_blank(z[j]) ) j++;
      CHECK( j==nData || z[j]!='{' );
    }else if( r==1 ){
      CHECK( nOut<=nRoom && nOut<nData );
      if( i==0 ) check_line(zOut, nOut);
    }
    free(zOut);
  }
  free(z);
  return 0;
}
