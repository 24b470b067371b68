/*
** parse.c - tokenising and checking flow log lines (see parse.h).
**
** Why whitespace runs: AWS's own TCP-flag example contains a double space
** and Transit Gateway samples have more; parsers that split on single
** spaces shift every later field. Why no allocation: this code runs once
** per line, millions of times per second, and is fuzzed on its own.
*/
#include <string.h>
#include <stdio.h>
#include "parse.h"
#include "catalog.h"

/*
** Index of the first byte at or after z[i] that is a separator (a byte of
** value 0x20 or below), or n. Eight bytes at a time: with x the bytes as
** a little-endian word, (x - 0x21..21) & ~x & 0x80..80 has the high bit
** set in the lowest byte below 0x21 (bytes above 0x7F are not separators
** and cannot make a false match below a true one).
*/
static size_t split_find_sep(const char *z, size_t i, size_t n){
#if defined(__GNUC__) && defined(__BYTE_ORDER__) \
    && __BYTE_ORDER__==__ORDER_LITTLE_ENDIAN__
  while( i+8<=n ){
    uint64_t x, m;
    memcpy(&x, z+i, 8);
    m = (x - 0x2121212121212121ULL) & ~x & 0x8080808080808080ULL;
    if( m ) return i + (size_t)(__builtin_ctzll(m)>>3);
    i += 8;
  }
#endif
  while( i<n && (unsigned char)z[i]>0x20 ) i++;
  return i;
}

int vf_split(const char *z, size_t n, VfSpan *aSpan, int nMax){
  size_t i = 0;
  int nTok = 0;
  while( i<n ){
    size_t iStart;
    while( i<n && (unsigned char)z[i]<=0x20 ) i++;
    if( i>=n ) break;
    iStart = i;
    i = split_find_sep(z, i+1, n);
    if( nTok<nMax ){
      aSpan[nTok].iOff = (uint32_t)iStart;
      aSpan[nTok].nLen = (uint32_t)(i - iStart);
    }
    nTok++;
  }
  return nTok;
}

/*
** vf_scan_line: split and check in one pass. With SSE2 (every x86-64),
** 16 bytes are classified at once into two bit masks, separators (space,
** tab) and suspects (other bytes below 0x20, 0x7F and above); tokens are
** read off the separator mask: a token starts where a non-separator
** follows a separator and ends at the next separator. A suspect only
** means vf_check_text() must look closer (most are UTF-8 letters).
*/
#if defined(__SSE2__)
#include <emmintrin.h>

/* Classify the 16 bytes at z: separator and suspect bit masks. */
static void scan_block16(const char *z, unsigned *pmSep, unsigned *pmBad){
  __m128i v = _mm_loadu_si128((const __m128i*)z);
  __m128i sp = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
  __m128i tab = _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'));
  /* signed compare: bytes 0x80-0xFF are negative, so below 0x20 too */
  __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F));
  __m128i bad = _mm_or_si128(_mm_andnot_si128(tab, low), del);
  *pmSep = (unsigned)_mm_movemask_epi8(_mm_or_si128(sp, tab));
  *pmBad = (unsigned)_mm_movemask_epi8(bad);
}

int vf_scan_line(const char *z, size_t n, VfSpan *aSpan, int nMax,
                 int *pbSuspect){
  size_t i;
  unsigned bPrevSep = 1;             /* the line starts after a separator */
  unsigned mBadAll = 0;
  int nStart = 0, nEnd = 0;
  for(i=0; i<n; i+=16){
    unsigned mSep, mBad, mStart, mEnd;
    if( n-i>=16 ){
      scan_block16(z+i, &mSep, &mBad);
    }else{
      char aPad[16];
      memset(aPad, ' ', 16);
      memcpy(aPad, z+i, n-i);
      scan_block16(aPad, &mSep, &mBad);
    }
    mBadAll |= mBad;
    /* starts: not a separator, previous byte is one; ends: a separator,
    ** previous byte is not */
    mStart = ~mSep & ((mSep<<1) | bPrevSep) & 0xFFFF;
    mEnd = mSep & ~((mSep<<1) | bPrevSep) & 0xFFFF;
    bPrevSep = (mSep>>15) & 1;
    while( mStart ){
      if( nStart<nMax ) aSpan[nStart].iOff = (uint32_t)(i + __builtin_ctz(mStart));
      nStart++;
      mStart &= mStart-1;
    }
    while( mEnd ){
      size_t iEnd = i + __builtin_ctz(mEnd);
      if( iEnd<=n && nEnd<nMax ) aSpan[nEnd].nLen = (uint32_t)iEnd - aSpan[nEnd].iOff;
      nEnd++;
      mEnd &= mEnd-1;
    }
  }
  /* a last token that runs to the end of the line (n a multiple of 16) */
  if( nEnd<nStart && nEnd<nMax ){
    aSpan[nEnd].nLen = (uint32_t)n - aSpan[nEnd].iOff;
  }
  *pbSuspect = mBadAll!=0;
  return nStart;
}

#else /* no SSE2: the two separate passes */

int vf_scan_line(const char *z, size_t n, VfSpan *aSpan, int nMax,
                 int *pbSuspect){
  size_t i;
  *pbSuspect = 0;
  for(i=0; i<n; i++){
    unsigned char c = (unsigned char)z[i];
    if( (c<0x20 && c!='\t') || c>=0x7F ){ *pbSuspect = 1; break; }
  }
  return vf_split(z, n, aSpan, nMax);
}

#endif

/*
** Length of the valid UTF-8 sequence starting at z[0] (at most n bytes
** available), or 0 if the bytes there are not valid UTF-8. Overlong forms,
** surrogates and code points above U+10FFFF are rejected (RFC 3629).
*/
static size_t utf8_seq_len(const unsigned char *z, size_t n){
  unsigned char c = z[0];
  unsigned char lo = 0x80, hi = 0xBF;
  size_t len, k;
  if( c>=0xC2 && c<=0xDF ) len = 2;
  else if( c>=0xE0 && c<=0xEF ){
    len = 3;
    if( c==0xE0 ) lo = 0xA0;
    if( c==0xED ) hi = 0x9F;
  }else if( c>=0xF0 && c<=0xF4 ){
    len = 4;
    if( c==0xF0 ) lo = 0x90;
    if( c==0xF4 ) hi = 0x8F;
  }else{
    return 0;
  }
  if( n<len ) return 0;
  if( z[1]<lo || z[1]>hi ) return 0;
  for(k=2; k<len; k++){
    if( z[k]<0x80 || z[k]>0xBF ) return 0;
  }
  return len;
}

size_t vf_check_text(const char *zIn, size_t n, int *pbUtf8){
  const unsigned char *z = (const unsigned char*)zIn;
  size_t i = 0;
  while( i<n ){
    unsigned char c;
    /* Fast path, 8 bytes at a time: no byte below 0x20, none at 0x7F or
    ** above. Most flow log lines are plain ASCII and pass here whole. */
    while( i+8<=n ){
      uint64_t x;
      memcpy(&x, z+i, 8);
      if( ((x - 0x2020202020202020ULL) | x
           | (x + 0x0101010101010101ULL)) & 0x8080808080808080ULL ){
        break;
      }
      i += 8;
    }
    if( i>=n ) break;
    c = z[i];
    if( c>=0x20 && c<0x7F ){ i++; continue; }
    if( c=='\t' ){ i++; continue; }
    if( c<0x80 ){                       /* C0 control or DEL */
      *pbUtf8 = 0;
      return i+1;
    }else{
      size_t len = utf8_seq_len(z+i, n-i);
      if( len==0 ){
        *pbUtf8 = 1;
        return i+1;
      }
      i += len;
    }
  }
  return 0;
}

int vf_parse_int(const char *z, size_t n, int64_t iMax, int64_t *pVal){
  uint64_t v = 0;
  size_t i;
  if( n==1 && z[0]=='-' ) return VF_INT_DASH;
  if( n==0 ) return VF_INT_BAD;
  if( n<=18 ){
    /* Up to 18 digits cannot overflow 64 bits: no check in the loop. */
    for(i=0; i<n; i++){
      unsigned d = (unsigned char)z[i] - '0';
      if( d>9 ) return VF_INT_BAD;
      v = v*10 + d;
    }
    if( v>(uint64_t)iMax ) return VF_INT_RANGE;
    *pVal = (int64_t)v;
    return VF_INT_OK;
  }
  for(i=0; i<n; i++){
    unsigned d = (unsigned char)z[i] - '0';
    if( d>9 ) return VF_INT_BAD;
    /* Once above iMax the value can only grow; keep scanning so that a
    ** later non-digit still reports "not an integer". v*10+d can pass
    ** 2^64 (v may be up to INT64_MAX) and must not wrap back below iMax
    ** ("19233720368547580292" was read as 786976294838028676): saturate. */
    if( v<=(uint64_t)iMax ){
      v = v>(UINT64_MAX-9)/10 ? UINT64_MAX : v*10 + d;
    }
  }
  if( v>(uint64_t)iMax ) return VF_INT_RANGE;
  *pVal = (int64_t)v;
  return VF_INT_OK;
}

int64_t vf_epoch_seconds(int64_t v){
  return v>=100000000000LL ? v/1000 : v;
}

int vf_is_name(const char *z, size_t n){
  size_t i;
  if( n==0 || z[0]<'a' || z[0]>'z' ) return 0;
  for(i=1; i<n; i++){
    char c = z[i];
    if( !((c>='a' && c<='z') || (c>='0' && c<='9') || c=='-' || c=='_') ){
      return 0;
    }
  }
  return 1;
}

int vf_is_header(const char *z, const VfSpan *a, int nTok){
  int i;
  if( nTok<1 || nTok>VF_MAX_FIELDS ) return 0;
  /* Cheap tests first: this runs on every line, and almost every data
  ** line has a token that starts with a digit or a capital. */
  for(i=0; i<nTok; i++){
    if( !vf_is_name(z+a[i].iOff, a[i].nLen) ) return 0;
  }
  return vf_catalog_find(z+a[0].iOff, a[0].nLen)>=0;
}

int vf_utf8_prefix(const char *z, size_t n, size_t nMax){
  size_t k = nMax;
  if( n<=nMax ) return (int)n;
  while( k>0 && nMax-k<3 && ((unsigned char)z[k] & 0xC0)==0x80 ) k--;
  return (int)k;
}

int vf_parse_format(const char *z, size_t n, VfSpan *aSpan, int nMax,
                    char *zErr, size_t nErr){
  VfSpan aTok[VF_MAX_FIELDS];
  int nTok, i;
  nTok = vf_split(z, n, aTok, VF_MAX_FIELDS);
  if( nTok==0 ){
    snprintf(zErr, nErr, "empty log format");
    return -1;
  }
  if( nTok>nMax || nTok>VF_MAX_FIELDS ){
    snprintf(zErr, nErr, "log format has %d fields, more than %d",
             nTok, nMax<VF_MAX_FIELDS ? nMax : VF_MAX_FIELDS);
    return -1;
  }
  for(i=0; i<nTok; i++){
    const char *zTok = z + aTok[i].iOff;
    uint32_t nLen = aTok[i].nLen;
    uint32_t iOff = aTok[i].iOff;
    if( nLen>=3 && zTok[0]=='$' && zTok[1]=='{' ){
      if( zTok[nLen-1]!='}' || nLen==3 ){
        snprintf(zErr, nErr, "malformed field in log format: '%.*s'",
                 vf_utf8_prefix(zTok, nLen, 60), zTok);
        return -1;
      }
      iOff += 2;
      nLen -= 3;
      zTok += 2;
    }
    if( !vf_is_name(zTok, nLen) ){
      snprintf(zErr, nErr, "not a field name in log format: '%.*s'",
               vf_utf8_prefix(zTok, nLen, 60), zTok);
      return -1;
    }
    aSpan[i].iOff = iOff;
    aSpan[i].nLen = nLen;
  }
  return nTok;
}

/* 1 if z[0..n-1] are all ASCII digits. */
static int all_digits(const char *z, size_t n){
  size_t i;
  for(i=0; i<n; i++){
    if( z[i]<'0' || z[i]>'9' ) return 0;
  }
  return 1;
}

int vf_is_cw_timestamp(const char *z, size_t n){
  /* 0123456789012345678 9
  ** YYYY-MM-DDTHH:MM:SS[.fff]Z */
  if( n<20 || n>40 ) return 0;
  if( !all_digits(z, 4) || z[4]!='-' || !all_digits(z+5, 2) || z[7]!='-'
   || !all_digits(z+8, 2) || z[10]!='T' || !all_digits(z+11, 2)
   || z[13]!=':' || !all_digits(z+14, 2) || z[16]!=':'
   || !all_digits(z+17, 2) || z[n-1]!='Z' ){
    return 0;
  }
  if( n==20 ) return 1;
  return z[19]=='.' && n>21 && all_digits(z+20, n-21);
}

/* Value of the hex digit c, or -1. */
static int hex_value(char c){
  if( c>='0' && c<='9' ) return c-'0';
  if( c>='a' && c<='f' ) return c-'a'+10;
  if( c>='A' && c<='F' ) return c-'A'+10;
  return -1;
}

/* Skip spaces and tabs from z[i], return the new index. */
static size_t skip_blank(const char *z, size_t n, size_t i){
  while( i<n && (z[i]==' ' || z[i]=='\t') ) i++;
  return i;
}

/*
** Write code point c as UTF-8 into zOut at *pj (room up to nOut).
** Return 0 on success, -1 if it does not fit.
*/
static int put_utf8(char *zOut, size_t nOut, size_t *pj, unsigned c){
  size_t j = *pj;
  if( c<0x80 ){
    if( j+1>nOut ) return -1;
    zOut[j++] = (char)c;
  }else if( c<0x800 ){
    if( j+2>nOut ) return -1;
    zOut[j++] = (char)(0xC0 | (c>>6));
    zOut[j++] = (char)(0x80 | (c & 0x3F));
  }else{
    if( j+3>nOut ) return -1;
    zOut[j++] = (char)(0xE0 | (c>>12));
    zOut[j++] = (char)(0x80 | ((c>>6) & 0x3F));
    zOut[j++] = (char)(0x80 | (c & 0x3F));
  }
  *pj = j;
  return 0;
}

int vf_unwrap_message(const char *z, size_t n, char *zOut, size_t nOut,
                      size_t *pnOut){
  static const char zKey[] = "\"message\"";
  size_t i = skip_blank(z, n, 0), j = 0;
  if( i>=n || z[i]!='{' ) return 0;
  i = skip_blank(z, n, i+1);
  if( n-i<sizeof(zKey)-1 || memcmp(z+i, zKey, sizeof(zKey)-1)!=0 ) return -1;
  i = skip_blank(z, n, i+sizeof(zKey)-1);
  if( i>=n || z[i]!=':' ) return -1;
  i = skip_blank(z, n, i+1);
  if( i>=n || z[i]!='"' ) return -1;
  i++;
  while( 1 ){
    char c;
    if( i>=n ) return -1;              /* unterminated string */
    c = z[i++];
    if( c=='"' ) break;
    if( c=='\\' ){
      if( i>=n ) return -1;
      c = z[i++];
      switch( c ){
        case '"': case '\\': case '/': break;
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'u': {
          unsigned cp = 0;
          int k;
          if( n-i<4 ) return -1;
          for(k=0; k<4; k++){
            int h = hex_value(z[i+k]);
            if( h<0 ) return -1;
            cp = cp*16 + (unsigned)h;
          }
          i += 4;
          /* Surrogates never occur in flow log text; refuse them rather
          ** than emit invalid UTF-8. */
          if( cp>=0xD800 && cp<=0xDFFF ) return -1;
          if( put_utf8(zOut, nOut, &j, cp) ) return -1;
          continue;
        }
        default: return -1;
      }
    }
    if( j>=nOut ) return -1;
    zOut[j++] = c;
  }
  i = skip_blank(z, n, i);
  if( i>=n || z[i]!='}' ) return -1;
  i = skip_blank(z, n, i+1);
  if( i!=n ) return -1;
  *pnOut = j;
  return 1;
}
