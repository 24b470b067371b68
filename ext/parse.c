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

#if defined(__GNUC__)
# define VF_INLINE static inline __attribute__((always_inline))
# define VF_NOINLINE __attribute__((noinline))
#else
# define VF_INLINE static inline
# define VF_NOINLINE
#endif

/*
** The plain C implementation: a byte at a time, the reference the others
** are tested against and the one used where there is no SSE2.
*/
static int parse_scan_scalar(const char *z, size_t n, VfSpan *aSpan, int nMax,
                          int *pbSuspect){
  size_t i;
  int nTok = 0, bIn = 0, bSuspect = 0;
  for(i=0; i<n; i++){
    unsigned char c = (unsigned char)z[i];
    if( c==' ' || c=='\t' ){
      if( bIn && nTok<=nMax ){
        aSpan[nTok-1].nLen = (uint32_t)i - aSpan[nTok-1].iOff;
      }
      bIn = 0;
    }else{
      if( c<0x20 || c>=0x7F ) bSuspect = 1;
      if( !bIn ){
        if( nTok<nMax ) aSpan[nTok].iOff = (uint32_t)i;
        nTok++;
        bIn = 1;
      }
    }
  }
  if( bIn && nTok<=nMax ){
    aSpan[nTok-1].nLen = (uint32_t)n - aSpan[nTok-1].iOff;
  }
  *pbSuspect = bSuspect;
  return nTok;
}

/*
** The vectorised implementations are for x86-64 with GCC or clang (SSE2
** is part of x86-64; AVX2 is chosen at run time). -DVPCFLOW_NO_SIMD
** leaves only the plain C ones, as on any other machine: a way to test
** that build on x86-64.
*/
#if defined(__x86_64__) && defined(__GNUC__) && !defined(VPCFLOW_NO_SIMD)
#include <immintrin.h>
#define VF_X86 1

/*
** vf_scan_line: split and screen in one pass, the per-line hot path.
**
** Every implementation but the plain C one classifies the line 64 bytes
** at a time into a bit mask of separators (space, tab; bit j for byte j)
** and reads the tokens off the transitions of that mask: bit j of
**
**     t = sep ^ ((sep<<1) | carry)
**
** is set where byte j differs from byte j-1 in being a separator, that is
** where a token starts or ends (carry is the previous block's last bit;
** the line begins as if after a separator). Starts and ends alternate, so
** the k-th transition is written to word k of aSpan[] seen as an array of
** uint32_t: iOff of token k/2 for even k, its end for odd k. One pass at
** the end turns ends into lengths, a subtraction per span. The bytes past
** the line count as separators, so a line that ends in a token ends it at
** n (a line of whole blocks gets that last end after the loop).
**
** The screen gathers, over the whole line, the unsigned maximum of
** (byte - 0x20), which stays at or below 0x5E exactly when every byte is
** printable ASCII or a space: two operations per vector of bytes. A line
** with anything else (a tab, a control byte, DEL, a high byte) is looked
** at again byte-exact by parse_screen(): tabs are rare and the rest make the
** line suspect anyway.
**
** No implementation reads outside z[0..n-1]. The last, partial block of a
** line of 64 bytes or more is loaded as the 64 bytes that end at z[n-1]
** and its mask shifted down into place; a shorter line is copied into a
** block of spaces.
**
** Writing transitions unchecked is the fast path: a block adds at most 64
** words, so while 64 more fit in 2*nMax (all but lines of more than about
** 96 tokens) nothing is checked per word; the unrolled loop may write a
** few meaningless words past the last transition, inside that room.
**
** The AVX2 version first tries a shortcut for the usual line (one blank
** between tokens), see vf_scan_avx2().
*/
_Static_assert(sizeof(VfSpan)==8 && offsetof(VfSpan, nLen)==4,
               "VfSpan must be two uint32_t words: iOff, then nLen");

/* Where the transitions of a line go. */
typedef struct VfScanOut VfScanOut;
struct VfScanOut {
  uint32_t *aw;              /* aSpan[] as words: iOff, end, iOff, end... */
  size_t nw;                 /* transitions found so far */
  size_t nCap;               /* words that may be written: 2*nMax */
  uint64_t bPrev;            /* 1 if the byte before the block separates */
};

VF_INLINE void vf_scan_begin(VfScanOut *p, VfSpan *aSpan, int nMax){
  p->aw = (uint32_t*)aSpan;
  p->nw = 0;
  p->nCap = nMax>0 ? 2*(size_t)nMax : 0;
  p->bPrev = 1;
}

/* The transitions of a block whose separator mask is sep. */
VF_INLINE uint64_t vf_transitions(VfScanOut *p, uint64_t sep){
  uint64_t t = sep ^ ((sep<<1) | p->bPrev);
  p->bPrev = sep>>63;
  return t;
}

/* Write the transitions t of the block at iBase one at a time, only those
** that fit: the path of lines with a great many tokens. */
static void parse_emit_checked(VfScanOut *p, uint64_t t, uint32_t iBase){
  while( t ){
    if( p->nw<p->nCap ) p->aw[p->nw] = iBase + (uint32_t)__builtin_ctzll(t);
    p->nw++;
    t &= t-1;
  }
}

/* Write the transitions t of the block at iBase (portable bit loop). */
VF_INLINE void vf_emit(VfScanOut *p, uint64_t t, uint32_t iBase){
  if( p->nw+64<=p->nCap ){
    uint32_t *w = p->aw + p->nw, *w0 = w;
    while( t ){
      *w++ = iBase + (uint32_t)__builtin_ctzll(t);
      t &= t-1;
    }
    p->nw += (size_t)(w - w0);
  }else{
    parse_emit_checked(p, t, iBase);
  }
}

/* The last token of a line of whole blocks ends at n. Return the number
** of tokens. */
VF_INLINE int vf_scan_finish(VfScanOut *p, size_t n){
  if( p->nw & 1 ){
    if( p->nw<p->nCap ) p->aw[p->nw] = (uint32_t)n;
    p->nw++;
  }
  return (int)(p->nw/2);
}


#define VF_TARGET_AVX2   __attribute__((target("avx2,bmi,bmi2,popcnt")))

/* 1 if z[0..n-1] holds a byte below 0x20 other than tab, or 0x7F or above:
** the exact screen behind the quick one. SSE2, 16 bytes at a time. */
static int parse_screen(const char *z, size_t n){
  const __m128i k20 = _mm_set1_epi8(0x20), k5E = _mm_set1_epi8(0x5E);
  const __m128i tab = _mm_set1_epi8('\t');
  size_t i = 0;
  if( n>=16 ){
    for(i=0; ; i+=16){
      /* the last block is the 16 bytes that end the line */
      const char *p = i+16<=n ? z+i : z+n-16;
      __m128i v = _mm_loadu_si128((const __m128i*)p);
      __m128i ok = _mm_or_si128(
          _mm_cmpeq_epi8(_mm_max_epu8(_mm_sub_epi8(v, k20), k5E), k5E),
          _mm_cmpeq_epi8(v, tab));
      if( _mm_movemask_epi8(ok)!=0xFFFF ) return 1;
      if( i+16>=n ) return 0;
    }
  }
  for(; i<n; i++){
    unsigned char c = (unsigned char)z[i];
    if( (c<0x20 && c!='\t') || c>=0x7F ) return 1;
  }
  return 0;
}

/* ---- SSE2 ---- */

/* Separator mask of the 64 bytes at z; fold (byte - 0x20) into *pMax. */
VF_INLINE uint64_t vf_block_sse2(const char *z, __m128i *pMax){
  const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
  const __m128i k20 = _mm_set1_epi8(0x20);
  __m128i mx = *pMax;
  uint64_t m = 0;
  int j;
  for(j=0; j<4; j++){
    __m128i v = _mm_loadu_si128((const __m128i*)(z + 16*j));
    __m128i s = _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab));
    m |= (uint64_t)(unsigned)_mm_movemask_epi8(s) << (16*j);
    mx = _mm_max_epu8(mx, _mm_sub_epi8(v, k20));
  }
  *pMax = mx;
  return m;
}

/* Ends to lengths for spans a[0..nUse-1], two at a time while the pair
** lies inside a[0..nMax-1]. As 64-bit words (iOff low, end high) each
** span is x - (x<<32). */
VF_INLINE void vf_lengths_sse2(VfSpan *a, int nUse, int nMax){
  int j = 0;
  for(; j<nUse && j+2<=nMax; j+=2){
    __m128i x = _mm_loadu_si128((const __m128i*)&a[j]);
    _mm_storeu_si128((__m128i*)&a[j], _mm_sub_epi64(x, _mm_slli_epi64(x, 32)));
  }
  for(; j<nUse; j++) a[j].nLen -= a[j].iOff;
}

static int parse_scan_sse2(const char *z, size_t n, VfSpan *aSpan, int nMax,
                        int *pbSuspect){
  VfScanOut o;
  __m128i mx = _mm_setzero_si128();
  const __m128i k5E = _mm_set1_epi8(0x5E);
  size_t i;
  int nTok;
  vf_scan_begin(&o, aSpan, nMax);
  if( n>=64 ){
    for(i=0; i+64<=n; i+=64){
      vf_emit(&o, vf_transitions(&o, vf_block_sse2(z+i, &mx)), (uint32_t)i);
    }
    if( i<n ){
      unsigned r = (unsigned)(n - i);
      uint64_t sep = (vf_block_sse2(z+n-64, &mx) >> (64-r)) | (~0ULL << r);
      vf_emit(&o, vf_transitions(&o, sep), (uint32_t)i);
    }
  }else if( n>0 ){
    char aPad[64];
    memset(aPad, ' ', sizeof(aPad));
    memcpy(aPad, z, n);
    vf_emit(&o, vf_transitions(&o, vf_block_sse2(aPad, &mx)), 0);
  }
  nTok = vf_scan_finish(&o, n);
  vf_lengths_sse2(aSpan, nTok<nMax ? nTok : nMax, nMax);
  mx = _mm_cmpeq_epi8(_mm_max_epu8(mx, k5E), k5E);
  *pbSuspect = _mm_movemask_epi8(mx)==0xFFFF ? 0 : parse_screen(z, n);
  return nTok;
}

/* ---- AVX2 ---- */

/* vf_emit() with tzcnt/blsr, four words per round: the room check of the
** caller (64 words) covers the up to three extra words of the last. */
VF_TARGET_AVX2 VF_INLINE void vf_emit_bmi(VfScanOut *p, uint64_t t,
                                          uint32_t iBase){
  if( p->nw+64<=p->nCap ){
    uint32_t *w = p->aw + p->nw;
    p->nw += (size_t)_mm_popcnt_u64(t);
    while( t ){
      w[0] = iBase + (uint32_t)_tzcnt_u64(t);  t = _blsr_u64(t);
      w[1] = iBase + (uint32_t)_tzcnt_u64(t);  t = _blsr_u64(t);
      w[2] = iBase + (uint32_t)_tzcnt_u64(t);  t = _blsr_u64(t);
      w[3] = iBase + (uint32_t)_tzcnt_u64(t);  t = _blsr_u64(t);
      w += 4;
    }
  }else{
    parse_emit_checked(p, t, iBase);
  }
}

/*
** Separator mask of the 64 bytes at z; fold (byte - 0x20) into *pMax.
** A separator is found with one shuffle: indexed by its low nibble the
** table holds ' ' at 0 and '\t' at 9 and 0x80 elsewhere, which no ASCII
** byte equals (a byte of 0x80 or more looks up 0), so a byte equals its
** lookup exactly when it is a space or a tab.
*/
VF_TARGET_AVX2 VF_INLINE uint64_t vf_block_avx2(const char *z,
                                                __m256i *pMax){
  const __m256i tbl = _mm256_setr_epi8(
      ' ', -128, -128, -128, -128, -128, -128, -128,
      -128, '\t', -128, -128, -128, -128, -128, -128,
      ' ', -128, -128, -128, -128, -128, -128, -128,
      -128, '\t', -128, -128, -128, -128, -128, -128);
  const __m256i k20 = _mm256_set1_epi8(0x20);
  __m256i a = _mm256_loadu_si256((const __m256i*)z);
  __m256i b = _mm256_loadu_si256((const __m256i*)(z+32));
  uint32_t ma = (uint32_t)_mm256_movemask_epi8(
                  _mm256_cmpeq_epi8(_mm256_shuffle_epi8(tbl, a), a));
  uint32_t mb = (uint32_t)_mm256_movemask_epi8(
                  _mm256_cmpeq_epi8(_mm256_shuffle_epi8(tbl, b), b));
  *pMax = _mm256_max_epu8(*pMax, _mm256_max_epu8(_mm256_sub_epi8(a, k20),
                                                 _mm256_sub_epi8(b, k20)));
  return ma | ((uint64_t)mb << 32);
}

/* vf_lengths_sse2(), four spans at a time */
VF_TARGET_AVX2 VF_INLINE void vf_lengths_avx2(VfSpan *a, int nUse, int nMax){
  int j = 0;
  for(; j<nUse && j+4<=nMax; j+=4){
    __m256i x = _mm256_loadu_si256((const __m256i*)&a[j]);
    _mm256_storeu_si256((__m256i*)&a[j],
                        _mm256_sub_epi64(x, _mm256_slli_epi64(x, 32)));
  }
  for(; j<nUse; j++) a[j].nLen -= a[j].iOff;
}

VF_TARGET_AVX2 VF_NOINLINE static int vf_scan_avx2_general(const char *z,
                                               size_t n, VfSpan *aSpan,
                                               int nMax, int *pbSuspect){
  VfScanOut o;
  __m256i mx = _mm256_setzero_si256();
  const __m256i k5E = _mm256_set1_epi8(0x5E);
  size_t i;
  int nTok;
  vf_scan_begin(&o, aSpan, nMax);
  if( n>=64 ){
    for(i=0; i+64<=n; i+=64){
      vf_emit_bmi(&o, vf_transitions(&o, vf_block_avx2(z+i, &mx)),
                  (uint32_t)i);
    }
    if( i<n ){
      unsigned r = (unsigned)(n - i);
      uint64_t sep = (vf_block_avx2(z+n-64, &mx) >> (64-r)) | (~0ULL << r);
      vf_emit_bmi(&o, vf_transitions(&o, sep), (uint32_t)i);
    }
  }else if( n>0 ){
    char aPad[64];
    memset(aPad, ' ', sizeof(aPad));
    memcpy(aPad, z, n);
    vf_emit_bmi(&o, vf_transitions(&o, vf_block_avx2(aPad, &mx)), 0);
  }
  nTok = vf_scan_finish(&o, n);
  vf_lengths_avx2(aSpan, nTok<nMax ? nTok : nMax, nMax);
  mx = _mm256_cmpeq_epi8(_mm256_max_epu8(mx, k5E), k5E);
  *pbSuspect = _mm256_movemask_epi8(mx)==-1 ? 0 : parse_screen(z, n);
  return nTok;
}

/*
** Most lines have one blank between tokens and none at either end. Then
** token j ends one byte before token j+1 starts (the last at n), so only
** the starts need the bit loop, half the transitions: they go to a local
** array, and the spans are made from it eight at a time. The loop also
** gathers sep & prev, a separator after a separator (or first in the
** line); if there is one, or a blank ends the line, or there are too many
** tokens for the array, or the quick screen says the line needs a closer
** look, the line goes the general way, from the start. That way is a
** function of its own, reached by a jump: this one calls nothing and so
** saves no registers.
*/
/* Room for starts: up to 128 before a block, which adds at most 32, and
** 8 more that vf_spans_avx2() may read past the last. A line with more
** tokens than that goes the general way. */
#define VF_START_CAP 168

/* Append the positions of the bits of s, the block at iBase, to a[ns..];
** return the new count. Writes up to three words past it. */
VF_TARGET_AVX2 VF_INLINE size_t vf_starts_bmi(uint32_t *a, size_t ns,
                                              uint64_t s, uint32_t iBase){
  uint32_t *w = a + ns;
  ns += (size_t)_mm_popcnt_u64(s);
  while( s ){
    w[0] = iBase + (uint32_t)_tzcnt_u64(s);  s = _blsr_u64(s);
    w[1] = iBase + (uint32_t)_tzcnt_u64(s);  s = _blsr_u64(s);
    w[2] = iBase + (uint32_t)_tzcnt_u64(s);  s = _blsr_u64(s);
    w[3] = iBase + (uint32_t)_tzcnt_u64(s);  s = _blsr_u64(s);
    w += 4;
  }
  return ns;
}

/*
** aSpan[0..nUse-1] from the starts aStart[0..nUse] (aStart[nTok] is n+1):
** iOff is the start, nLen the next start less the start less one. Eight
** at a time while they fit in aSpan[0..nMax-1]; spans past the last
** token get meaningless values, as vf_scan_line() allows.
*/
VF_TARGET_AVX2 VF_INLINE void vf_spans_avx2(VfSpan *aSpan,
                                            const uint32_t *aStart,
                                            int nUse, int nMax){
  int j = 0;
  for(; j<nUse && j+8<=nMax; j+=8){
    __m256i s = _mm256_loadu_si256((const __m256i*)&aStart[j]);
    __m256i s1 = _mm256_loadu_si256((const __m256i*)&aStart[j+1]);
    __m256i len = _mm256_add_epi32(_mm256_sub_epi32(s1, s),
                                   _mm256_set1_epi32(-1));
    __m256i lo = _mm256_unpacklo_epi32(s, len);  /* spans 0 1 | 4 5 */
    __m256i hi = _mm256_unpackhi_epi32(s, len);  /* spans 2 3 | 6 7 */
    _mm256_storeu_si256((__m256i*)&aSpan[j],
                        _mm256_permute2x128_si256(lo, hi, 0x20));
    _mm256_storeu_si256((__m256i*)&aSpan[j+4],
                        _mm256_permute2x128_si256(lo, hi, 0x31));
  }
  for(; j<nUse; j++){
    aSpan[j].iOff = aStart[j];
    aSpan[j].nLen = aStart[j+1] - aStart[j] - 1;
  }
}

VF_TARGET_AVX2 static int vf_scan_avx2(const char *z, size_t n,
                                       VfSpan *aSpan, int nMax,
                                       int *pbSuspect){
  uint32_t aStart[VF_START_CAP];
  __m256i mx = _mm256_setzero_si256();
  const __m256i k5E = _mm256_set1_epi8(0x5E);
  uint64_t bPrev = 1, mRun = 0, sep, prev;
  size_t i, ns = 0;
  unsigned r;
  const char *zLast;                /* the last block: ends with the line */
  char aPad[64];
  if( n==0 || z[n-1]==' ' || z[n-1]=='\t' ) goto general;
  if( n<64 ){
    /* A short line (a Parquet row of few used columns) is copied to the
    ** end of a block of 'a's, which are neither separators nor suspects,
    ** and read as the last block of a longer line is. */
    memset(aPad, 'a', sizeof(aPad));
    memcpy(aPad+64-n, z, n);
    zLast = aPad;
  }else{
    zLast = z+n-64;
  }
  for(i=0; i+64<=n; i+=64){
    if( ns+32>VF_START_CAP-8 ) goto general;
    sep = vf_block_avx2(z+i, &mx);
    prev = (sep<<1) | bPrev;
    bPrev = sep>>63;
    mRun |= sep & prev;
    ns = vf_starts_bmi(aStart, ns, prev & ~sep, (uint32_t)i);
  }
  if( i<n ){
    if( ns+32>VF_START_CAP-8 ) goto general;
    r = (unsigned)(n - i);
    sep = vf_block_avx2(zLast, &mx) >> (64-r);    /* bits r.. are 0 */
    prev = (sep<<1) | bPrev;
    mRun |= sep & prev;
    ns = vf_starts_bmi(aStart, ns, _bzhi_u64(prev & ~sep, r), (uint32_t)i);
  }
  if( mRun ) goto general;
  mx = _mm256_cmpeq_epi8(_mm256_max_epu8(mx, k5E), k5E);
  if( _mm256_movemask_epi8(mx)!=-1 ) goto general;
  aStart[ns] = (uint32_t)n + 1;
  vf_spans_avx2(aSpan, aStart, (int)ns<nMax ? (int)ns : nMax, nMax);
  *pbSuspect = 0;
  return (int)ns;
general:
  return vf_scan_avx2_general(z, n, aSpan, nMax, pbSuspect);
}

#endif /* VF_X86 */

/* ---- vf_parse_ints ---- */

/*
** The plain version: vf_parse_int_quick() on each token, 8 digits at a
** time in a 64-bit word.
*/
static void parse_ints_scalar(const char *z, size_t n, const VfSpan *aTok,
                                 const int *aIdx, int nIdx, uint64_t *aNum){
  int k;
  for(k=0; k<nIdx; k++){
    const VfSpan *p = &aTok[aIdx[k]];
    int64_t v;
    aNum[k] = vf_parse_int_quick(z, n, p->iOff, p->nLen, INT64_MAX, &v) ?
              (uint64_t)v : VF_INTS_NONE;
  }
}

#ifdef VF_X86
/*
** Four tokens at a time, one per 64-bit lane, as vf_parse_int_quick()
** does with one:
**
**   - the spans are gathered by token index; lanes whose token is not 1
**     to 16 bytes long take no further part;
**   - word A is the 8 bytes from the token's start or, where those run
**     past the line (a short token near its end), the last 8 of the
**     line, shifted down to the token; word B, for tokens of 9 to 16
**     bytes, the 8 that end it (lanes without it keep "00000000");
**   - '0' is subtracted from each byte (bytewise: no borrows), and A is
**     shifted up to keep its first min(len,8) or len-8 bytes, bringing
**     in zero bytes as leading zeros;
**   - every byte left must be 0..9; pairs, quads and eights of digits are
**     combined by maddubs (10,1), madd (100,1) and a multiply by 10000,
**     and a long token is A*10^8 + B.
**
** A lane that fails anywhere gets VF_INTS_NONE. Gathers read only the
** lanes enabled, each 8 bytes inside z[0..n-1] (n is at least 8: see
** vf_parse_ints()).
*/
VF_TARGET_AVX2 static void vf_parse_ints_avx2(const char *z, size_t n,
                                              const VfSpan *aTok,
                                              const int *aIdx, int nIdx,
                                              uint64_t *aNum){
  const __m256i k30 = _mm256_set1_epi8('0');
  const __m256i k9 = _mm256_set1_epi8(9);
  const __m256i kPair = _mm256_set1_epi16(0x010A);       /* bytes 10, 1 */
  const __m256i kQuad = _mm256_set1_epi32(0x00010064);   /* words 100, 1 */
  const __m256i k1e4 = _mm256_set1_epi64x(10000);
  const __m256i k1e8 = _mm256_set1_epi64x(100000000);
  const __m256i k8 = _mm256_set1_epi64x(8);
  const __m256i k63 = _mm256_set1_epi64x(63);
  const __m256i kAll = _mm256_set1_epi64x(-1);
  const __m256i kZero = _mm256_setzero_si256();
  const __m256i nLess8 = _mm256_set1_epi64x((long long)n - 8);
  const long long *aSpan64 = (const long long*)aTok;
  const long long *zz = (const long long*)z;
  int k;
  for(k=0; k<nIdx; k+=4){
    __m128i idx;
    __m256i lane, sp, off, len, end, ok, bClamp, addrA, gt8, a, b;
    __m256i sh, h, l, vh, vl, v;
    if( nIdx-k>=4 ){
      idx = _mm_loadu_si128((const __m128i*)&aIdx[k]);
      lane = kAll;
    }else{
      /* the last one to three: no memcpy() call, which would make this a
      ** function that saves registers on every call */
      int a4[4];
      a4[0] = aIdx[k];
      a4[1] = nIdx-k>1 ? aIdx[k+1] : 0;
      a4[2] = nIdx-k>2 ? aIdx[k+2] : 0;
      a4[3] = 0;
      idx = _mm_loadu_si128((const __m128i*)a4);
      lane = _mm256_cmpgt_epi64(_mm256_set1_epi64x(nIdx-k),
                                _mm256_setr_epi64x(0, 1, 2, 3));
    }
    sp = _mm256_mask_i32gather_epi64(kZero, aSpan64, idx, lane, 8);
    off = _mm256_blend_epi32(sp, kZero, 0xAA);
    len = _mm256_srli_epi64(sp, 32);
    end = _mm256_add_epi64(off, len);
    /* 1 <= len <= 16: (len-1)>>4 is 0 */
    ok = _mm256_and_si256(lane, _mm256_cmpeq_epi64(kZero,
           _mm256_srli_epi64(_mm256_add_epi64(len, kAll), 4)));
    /* A from min(off, n-8), shifted down by what that is below off */
    bClamp = _mm256_cmpgt_epi64(off, nLess8);
    addrA = _mm256_blendv_epi8(off, nLess8, bClamp);
    a = _mm256_mask_i64gather_epi64(k30, zz, addrA, ok, 1);
    a = _mm256_srlv_epi64(a, _mm256_slli_epi64(_mm256_sub_epi64(off, addrA),
                                               3));
    gt8 = _mm256_cmpgt_epi64(len, k8);
    b = _mm256_mask_i64gather_epi64(k30, zz, _mm256_sub_epi64(end, k8),
                                    _mm256_and_si256(ok, gt8), 1);
    /* keep the first min(len,8), or len-8, bytes of A, at the top: a
    ** shift by 64-8*len or 128-8*len bits, both (-8*len) & 63 */
    sh = _mm256_and_si256(_mm256_sub_epi64(kZero, _mm256_slli_epi64(len, 3)),
                          k63);
    a = _mm256_sllv_epi64(_mm256_sub_epi8(a, k30), sh);
    b = _mm256_sub_epi8(b, k30);
    /* all digits: no byte of A or B above 9 */
    ok = _mm256_and_si256(ok, _mm256_cmpeq_epi64(kZero,
           _mm256_subs_epu8(_mm256_max_epu8(a, b), k9)));
    h = _mm256_madd_epi16(_mm256_maddubs_epi16(a, kPair), kQuad);
    l = _mm256_madd_epi16(_mm256_maddubs_epi16(b, kPair), kQuad);
    vh = _mm256_add_epi64(_mm256_mul_epu32(h, k1e4), _mm256_srli_epi64(h, 32));
    vl = _mm256_add_epi64(_mm256_mul_epu32(l, k1e4), _mm256_srli_epi64(l, 32));
    v = _mm256_blendv_epi8(vh, _mm256_add_epi64(_mm256_mul_epu32(vh, k1e8), vl),
                           gt8);
    _mm256_storeu_si256((__m256i*)&aNum[k], _mm256_blendv_epi8(kAll, v, ok));
  }
}
#endif /* VF_X86 */

/* ---- choosing one ---- */

typedef int (*VfScanFunc)(const char*, size_t, VfSpan*, int, int*);
typedef void (*VfIntsFunc)(const char*, size_t, const VfSpan*, const int*,
                           int, uint64_t*);

/* Set *pxScan and *pxInts to the implementations e (VF_SCAN_*) names, or
** return 1 if it cannot run here. vf_parse_ints() has a plain and an
** AVX2 version: the plain one goes with the SSE2 scan. (An AVX-512 scan,
** vpcompressb on the transitions, measured slower than the AVX2 one on
** an AVX-512 machine, and was dropped.) */
static int parse_simd_pick(int e, VfScanFunc *pxScan, VfIntsFunc *pxInts){
#ifdef VF_X86
  int bAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")
           && __builtin_cpu_supports("bmi2")
           && __builtin_cpu_supports("popcnt");
  if( e==VF_SCAN_AUTO ) e = bAvx2 ? VF_SCAN_AVX2 : VF_SCAN_SSE2;
  switch( e ){
    case VF_SCAN_SCALAR:
      *pxScan = parse_scan_scalar;
      *pxInts = parse_ints_scalar;
      return 0;
    case VF_SCAN_SSE2:
      *pxScan = parse_scan_sse2;
      *pxInts = parse_ints_scalar;
      return 0;
    case VF_SCAN_AVX2:
      if( !bAvx2 ) return 1;
      *pxScan = vf_scan_avx2;
      *pxInts = vf_parse_ints_avx2;
      return 0;
  }
#else
  if( e==VF_SCAN_AUTO || e==VF_SCAN_SCALAR ){
    *pxScan = parse_scan_scalar;
    *pxInts = parse_ints_scalar;
    return 0;
  }
#endif
  return 1;
}

/* The implementations in use: chosen on the first call of either (threads
** that race there all store the same pointers; relaxed atomics say so). */
static VfScanFunc vfScanFunc = 0;
static VfIntsFunc vfIntsFunc = 0;

/* Choose the implementations for this CPU. */
static void parse_simd_init(void){
  VfScanFunc xScan = 0;
  VfIntsFunc xInts = 0;
  parse_simd_pick(VF_SCAN_AUTO, &xScan, &xInts);
  __atomic_store_n(&vfIntsFunc, xInts, __ATOMIC_RELAXED);
  __atomic_store_n(&vfScanFunc, xScan, __ATOMIC_RELAXED);
}

int vf_scan_line(const char *z, size_t n, VfSpan *aSpan, int nMax,
                 int *pbSuspect){
  VfScanFunc x = __atomic_load_n(&vfScanFunc, __ATOMIC_RELAXED);
  if( x==0 ){
    parse_simd_init();
    x = __atomic_load_n(&vfScanFunc, __ATOMIC_RELAXED);
  }
  return x(z, n, aSpan, nMax, pbSuspect);
}

/* vf_parse_ints() of a line too short for an 8-byte word, a byte at a
** time (only a format of one or two fields has such lines). Out of line,
** so that vf_parse_ints() itself stays a test and a jump. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void parse_ints_short(const char *z, const VfSpan *aTok,
                                const int *aIdx, int nIdx, uint64_t *aNum){
  int k;
  for(k=0; k<nIdx; k++){
    const VfSpan *p = &aTok[aIdx[k]];
    int64_t v;
    aNum[k] = p->nLen<=16 && vf_parse_int(z+p->iOff, p->nLen, INT64_MAX,
                                          &v)==VF_INT_OK ?
              (uint64_t)v : VF_INTS_NONE;
  }
}

void vf_parse_ints(const char *z, size_t n, const VfSpan *aTok,
                   const int *aIdx, int nIdx, uint64_t *aNum){
  VfIntsFunc x = __atomic_load_n(&vfIntsFunc, __ATOMIC_RELAXED);
  if( n<8 ){
    parse_ints_short(z, aTok, aIdx, nIdx, aNum);
    return;
  }
  if( x==0 ){
    parse_simd_init();
    x = __atomic_load_n(&vfIntsFunc, __ATOMIC_RELAXED);
  }
  x(z, n, aTok, aIdx, nIdx, aNum);
}

int vf_scan_force(int e){
  VfScanFunc xScan = 0;
  VfIntsFunc xInts = 0;
  if( parse_simd_pick(e, &xScan, &xInts) ) return 1;
  __atomic_store_n(&vfIntsFunc, xInts, __ATOMIC_RELAXED);
  __atomic_store_n(&vfScanFunc, xScan, __ATOMIC_RELAXED);
  return 0;
}

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
