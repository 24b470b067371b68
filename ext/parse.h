/*
** parse.h - split a flow log line into fields and check each token.
**
** Everything here is pure: no allocation, no sqlite3 calls, so the unit
** tests and the fuzzers reach it directly. Lines arrive as (pointer,
** length) pairs and are never NUL-terminated.
*/
#ifndef VPCFLOW_PARSE_H
#define VPCFLOW_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Most tokens a line may have. AWS defines 72 fields; a line with more
** tokens than this is a field-count error whatever its layout. */
#define VF_MAX_FIELDS 128

typedef struct VfSpan VfSpan;
struct VfSpan {
  uint32_t iOff;             /* byte offset of the token in its line */
  uint32_t nLen;             /* token length in bytes, never 0 */
};

/*
** Split z[0..n-1] on runs of spaces and tabs (any byte of value 0x20 or
** less separates; in a line vf_check_text() accepted only space and tab
** are such bytes). Store the first nMax tokens
** in aSpan[] and return the number of tokens found (which may exceed nMax:
** the caller reports the true count).
*/
int vf_split(const char *z, size_t n, VfSpan *aSpan, int nMax);

/*
** The form of vf_split() the scan uses on every line, with a quick screen
** of the bytes. Tokens are split on runs of spaces and tabs only; the
** first nMax are stored in aSpan[] and the number found is returned
** (which may exceed nMax). Sets *pbSuspect to 1 if the line holds any
** byte other than printable ASCII, space and tab (a byte below 0x20 but
** tab, 0x7F, or 0x80 and above): only then must vf_check_text() look at
** it (the line may still be good, UTF-8 text). On a line that is not
** suspect the tokens are exactly vf_split()'s; on a suspect line a
** control byte is part of a token (so "\x01" alone is one token, reported
** as a control character rather than skipped as a blank line).
**
** aSpan[nTok..nMax-1] may be overwritten with meaningless values.
** There are several implementations (plain C, SSE2, AVX2), chosen once
** by what the CPU supports; all give identical results.
*/
int vf_scan_line(const char *z, size_t n, VfSpan *aSpan, int nMax,
                 int *pbSuspect);

/* Implementations of vf_scan_line(), for vf_scan_force() */
#define VF_SCAN_AUTO    0    /* the best this CPU runs */
#define VF_SCAN_SCALAR  1    /* plain C, a byte at a time */
#define VF_SCAN_SSE2    2    /* x86-64 baseline, 16-byte vectors */
#define VF_SCAN_AVX2    3    /* AVX2 + BMI1/2 */

/*
** For tests only: make vf_scan_line() use implementation e (VF_SCAN_*)
** from now on, and vf_parse_ints() the one that goes with it (plain C
** for SCALAR and SSE2, AVX2 for AVX2); process-wide, not
** thread-safe. Return 0, or 1 if e cannot run on this CPU or build
** (nothing changes then).
*/
int vf_scan_force(int e);

/*
** Check that z[0..n-1] is text: no control characters other than tab and
** valid UTF-8. Return 0 if so. Otherwise return the 1-based byte offset of
** the first bad byte and set *pbUtf8 to 1 for a UTF-8 fault, 0 for a
** control character.
*/
size_t vf_check_text(const char *z, size_t n, int *pbUtf8);

/*
** How many bytes of z[0..n-1] to quote in a message: all of them if at
** most nMax, else at most nMax, backing off so as not to cut a UTF-8
** character in two (a message must stay valid UTF-8: Python's sqlite3,
** for one, cannot even raise it otherwise).
*/
int vf_utf8_prefix(const char *z, size_t n, size_t nMax);

/* Results of vf_parse_int() */
#define VF_INT_OK     0      /* *pVal holds the value */
#define VF_INT_DASH   1      /* the token is "-": NULL */
#define VF_INT_BAD    2      /* not a non-negative decimal integer */
#define VF_INT_RANGE  3      /* a number above iMax */

/*
** Parse a token as a non-negative decimal integer no larger than iMax.
** Leading zeros are allowed; signs, spaces and other characters are not.
*/
int vf_parse_int(const char *z, size_t n, int64_t iMax, int64_t *pVal);

/*
** The number in x, eight digit values 0..9, one per byte, the first
** (lowest address: the least significant byte on little-endian) the most
** significant digit. Pairs of digits, then quads, then the whole; the
** multipliers fit in an instruction, one mask constant is needed.
*/
static inline uint64_t vf_swar8(uint64_t x){
  const uint64_t m = 0x000000FF000000FFULL;
  x = x*10 + (x>>8);                          /* pairs: bytes 0, 2, 4, 6 */
  x = (x & m)*100 + ((x>>16) & m);            /* quads: 32-bit halves */
  return (x & 0xFFFFFFFFULL)*10000 + (x>>32);
}

/*
** 1 if a byte of x is not a digit value 0..9 (x is 8 bytes less '0'
** each). A byte below '0' wraps to 0x80 or more; one above '9' reaches
** 0x80 once 0x76 is added. A byte below '0' also borrows from the byte
** above it, which may then look like a digit, but the lowest bad byte is
** always seen; and carries only come out of bytes that are bad already.
*/
static inline int vf_swar8_bad(uint64_t x){
  return ((x | (x + 0x7676767676767676ULL)) & 0x8080808080808080ULL)!=0;
}

/*
** The common case of vf_parse_int() for the token z[i..i+n-1] of a line
** z[0..nz-1], in the scan's hot loop: if the token is 1 to 16 digits and
** at most iMax, set *pVal and return 1. Otherwise return 0 and leave it
** to vf_parse_int() ("-", longer numbers, what is not a number, a value
** above iMax). Calls nothing, and reads only inside z[0..nz-1].
**
** Up to 8 digits: the 8 bytes from the token's start are read (near the
** end of the line, the last 8 of the line, shifted down to the token),
** '0' is subtracted from each and the word shifted up by 8*(8-n) bits.
** That drops the bytes past the token (borrows only run upward, so theirs
** are dropped too) and brings in zero bytes, which are leading zeros.
** 9 to 16 digits: the last 8, and the first n-8 the same way. A line
** shorter than 8 bytes is left to vf_parse_int().
*/
static inline int vf_parse_int_quick(const char *z, size_t nz, size_t i,
                                     size_t n, int64_t iMax, int64_t *pVal){
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__==__ORDER_LITTLE_ENDIAN__
  const uint64_t k30 = 0x3030303030303030ULL;
  uint64_t x, lo, v;
  if( n-1<8 ){                           /* 1..8 bytes; n==0 wraps */
    if( i+8<=nz ){
      memcpy(&x, z+i, 8);
    }else if( nz>=8 ){
      memcpy(&x, z+nz-8, 8);
      x >>= 8*(i+8-nz);                  /* i+8-nz is 1..7 */
    }else{
      return 0;
    }
    x = (x - k30) << ((unsigned)(0 - 8*n) & 63);       /* 64 - 8*n */
    if( vf_swar8_bad(x) ) return 0;
    v = vf_swar8(x);
  }else if( n-9<8 ){                     /* 9..16 bytes */
    memcpy(&x, z+i, 8);
    memcpy(&lo, z+i+n-8, 8);
    x = (x - k30) << (128 - 8*n);
    lo -= k30;
    if( vf_swar8_bad(x) || vf_swar8_bad(lo) ) return 0;
    v = vf_swar8(x)*100000000ULL + vf_swar8(lo);
  }else{
    return 0;
  }
  if( v>(uint64_t)iMax ) return 0;
  *pVal = (int64_t)v;
  return 1;
#else
  (void)z; (void)nz; (void)i; (void)n; (void)iMax; (void)pVal;
  return 0;
#endif
}

/* vf_parse_ints(): the token is not a number of 1 to 16 digits */
#define VF_INTS_NONE UINT64_MAX

/* Room vf_parse_ints() needs in aNum[] for nIdx tokens */
#define VF_INTS_ROOM(nIdx) (((nIdx)+3) & ~3)

/*
** The integer tokens of a line at once, the form the scan uses: for each
** k below nIdx, aNum[k] is the value of token aTok[aIdx[k]] of the line
** z[0..n-1] if it is 1 to 16 ASCII digits, else VF_INTS_NONE (then ask
** vf_parse_int(): "-", a longer number, or not a number). Every aIdx[k]
** must name a token of the line (repeats are fine). The value is
** at most 9999999999999999, so VF_INTS_NONE is above every field's
** maximum and one comparison with it sends the caller to vf_parse_int()
** for both a value out of range and a token that was not taken. aNum[]
** must have room for VF_INTS_ROOM(nIdx) values: the AVX2 version writes
** four at a time. Only z[0..n-1] is read.
*/
void vf_parse_ints(const char *z, size_t n, const VfSpan *aTok,
                   const int *aIdx, int nIdx, uint64_t *aNum);

/*
** vf_parse_int() of the token z[0..n-1], 8 digits at a time when it can:
** nAfter bytes may be read from z (at least n).
*/
static inline int vf_parse_int_fast(const char *z, size_t n, size_t nAfter,
                                    int64_t iMax, int64_t *pVal){
  if( vf_parse_int_quick(z, nAfter, 0, n, iMax, pVal) ) return VF_INT_OK;
  return vf_parse_int(z, n, iMax, pVal);
}

/*
** Flow logs give start/end in Unix seconds; some writers have used 13-digit
** milliseconds. A value of 100000000000 or more (year 5138 in seconds,
** 1973 in milliseconds) is taken as milliseconds and scaled to seconds.
*/
static inline int64_t vf_epoch_seconds(int64_t v){
  return v>=100000000000LL ? v/1000 : v;
}

/* 1 if z[0..n-1] is a plausible field name: [a-z][a-z0-9_-]*. */
int vf_is_name(const char *z, size_t n);

/*
** 1 if the tokens a[0..nTok-1] of line z are a header line: the first is a
** field the catalog knows and every one is shaped like a field name. Data
** lines start with a value (a number, an id such as eni-..., ACCEPT),
** never with a field name.
*/
int vf_is_header(const char *z, const VfSpan *a, int nTok);

/*
** Parse a log format: "${version} ${srcaddr} ..." or a plain list
** "version srcaddr ...". Store the spans of the bare names (inside ${ })
** in aSpan[] (at most nMax). Return the number of fields, or -1 with a
** message in zErr[0..nErr-1] if the format is empty, malformed, longer
** than nMax fields or names something that is not a field name.
*/
int vf_parse_format(const char *z, size_t n, VfSpan *aSpan, int nMax,
                    char *zErr, size_t nErr);

/*
** 1 if z[0..n-1] is an ISO-8601 UTC timestamp as CloudWatch Logs writes
** before each exported event: YYYY-MM-DDTHH:MM:SS[.fff...]Z.
*/
int vf_is_cw_timestamp(const char *z, size_t n);

/*
** Firehose can deliver each record wrapped as {"message":"<record>"}.
** If z[0..n-1] is such a wrapper, copy the unescaped record into
** zOut[0..nOut-1], set *pnOut and return 1. Return 0 if the line is not
** a wrapper (does not start with '{'), -1 if it starts like one but is
** malformed or does not fit in nOut bytes.
*/
int vf_unwrap_message(const char *z, size_t n, char *zOut, size_t nOut,
                      size_t *pnOut);

#endif /* VPCFLOW_PARSE_H */
