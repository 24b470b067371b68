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
** There are several implementations (plain C, SSE2, AVX2, AVX-512),
** chosen once by what the CPU supports; all give identical results.
*/
int vf_scan_line(const char *z, size_t n, VfSpan *aSpan, int nMax,
                 int *pbSuspect);

/* Implementations of vf_scan_line(), for vf_scan_force() */
#define VF_SCAN_AUTO    0    /* the best this CPU runs */
#define VF_SCAN_SCALAR  1    /* plain C, a byte at a time */
#define VF_SCAN_SSE2    2    /* x86-64 baseline, 16-byte vectors */
#define VF_SCAN_AVX2    3    /* AVX2 + BMI1/2 */
#define VF_SCAN_AVX512  4    /* AVX-512 BW + VBMI2 (vpcompressb) */

/*
** For tests only: make vf_scan_line() use implementation e (VF_SCAN_*)
** from now on, process-wide and not thread-safe. Return 0, or 1 if e
** cannot run on this CPU or build (nothing changes then).
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
** Eight ASCII characters at z as a number, if all are digits: return 1
** and set *pv; else 0. The first byte is the most significant digit.
** SWAR on a little-endian word: subtracting '0' from each byte leaves
** 0..9 in every byte exactly when all are digits (a byte below '0'
** borrows and sets its high bit; one above '9' sets it once 0x76 is
** added), then digits are combined in pairs, quads and the whole.
*/
static inline int vf_digits8(uint64_t x, uint64_t *pv){
  x -= 0x3030303030303030ULL;
  if( (x | (x + 0x7676767676767676ULL)) & 0x8080808080808080ULL ) return 0;
  x = x*10 + (x>>8);
  x = (((x & 0x000000FF000000FFULL) * (100 + (1000000ULL<<32)))
     + (((x>>16) & 0x000000FF000000FFULL) * (1 + (10000ULL<<32)))) >> 32;
  *pv = x;
  return 1;
}

/* The k (1..8) bytes at z, where 8 may be read, as a word of 8 digits
** with 8-k leading '0's (little-endian: the first byte is the lowest). */
static inline uint64_t vf_load_digits(const char *z, size_t k){
  uint64_t x;
  memcpy(&x, z, 8);
  if( k<8 ){
    x <<= 8*(8-k);
    x |= 0x3030303030303030ULL >> (8*k);
  }
  return x;
}

/*
** vf_parse_int() for the scan's hot loop. nAfter is how many bytes may be
** read from z (at least n): tokens of up to 8 digits with 8 bytes
** readable, and tokens of 9 to 16 digits, take the 8-at-a-time path; the
** rest go the plain way.
*/
static inline int vf_parse_int_fast(const char *z, size_t n, size_t nAfter,
                                    int64_t iMax, int64_t *pVal){
  uint64_t v, lo;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__==__ORDER_LITTLE_ENDIAN__
  if( n<=8 && nAfter>=8 && n>=1 ){
    if( n==1 && z[0]=='-' ) return VF_INT_DASH;
    if( !vf_digits8(vf_load_digits(z, n), &v) ) return VF_INT_BAD;
  }else if( n>8 && n<=16 ){
    /* the first n-8 digits: 8 bytes from z are readable (n>8) */
    if( !vf_digits8(vf_load_digits(z, n-8), &v)
     || !vf_digits8(vf_load_digits(z+n-8, 8), &lo) ){
      return VF_INT_BAD;
    }
    v = v*100000000ULL + lo;
  }else
#endif
  {
    (void)nAfter;
    return vf_parse_int(z, n, iMax, pVal);
  }
  if( v>(uint64_t)iMax ) return VF_INT_RANGE;
  *pVal = (int64_t)v;
  return VF_INT_OK;
}

/*
** Flow logs give start/end in Unix seconds; some writers have used 13-digit
** milliseconds. A value of 100000000000 or more (year 5138 in seconds,
** 1973 in milliseconds) is taken as milliseconds and scaled to seconds.
*/
int64_t vf_epoch_seconds(int64_t v);

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
