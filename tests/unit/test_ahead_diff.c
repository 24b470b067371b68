/*
** test_ahead_diff.c - the parse-ahead reading of plain files gives exactly
** the answers of the line-by-line reader.
**
** The parse-ahead path hands blocks of a plain file to a worker thread
** that splits and checks the lines while the query thread consumes the
** block before; lines it does not like go to the old per-line code. It is
** chosen per scan (each xFilter) by environment variables:
**
**   VPCFLOW_PARSE_AHEAD=off   the line-by-line reader: the reference
**   VPCFLOW_PARSE_THREADS=0   blocks, but parsed on the query thread
**   VPCFLOW_PARSE_BLOCK=N     block size in bytes (small ones here, so
**                             that lines straddle blocks and some lines
**                             are longer than a block)
**
** What this proves, for every configuration in aConfig[] against the
** reference, over files generated here (deterministic: an LCG, no rand()):
**
**   1. Same answers (test_*_same_answer): every query in aQuery[] gives a
**      byte-identical result (values and their types, rows in the same
**      order: the natural-order queries have no ORDER BY, so the scan
**      order is compared too), and leaves the same vpcflow_errors entries
**      (file, line, reason, text). Each query runs on a fresh connection,
**      so the error log holds exactly what that one scan recorded. Both
**      forms are compared: vpcflow('path') and CREATE VIRTUAL TABLE, and
**      strict mode (the first bad line is an SQL error).
**   2. Same answers when a scan stops early (LIMIT): no error is recorded
**      for a line the query never reached, as with the reference.
**   3. The mode is read at each scan: one connection, statements started
**      under different modes and interleaved, and one cursor filtered
**      again under a new mode for every outer row.
**   4. Known truth, not relying on the reference (test_known_truth): for
**      each generated file the number of rows and of skipped lines is
**      known from how it was written; rows + error lines + blank and
**      header lines = lines in the file, and for nasty.log the exact line
**      numbers of the rows (with their values) and of the errors (with
**      their reasons).
**
** Until the parse-ahead code exists the variables are ignored and every
** configuration is the reference: the test must pass then too.
**
** Files (in the scratch directory):
**   big.log     20,000 lines, 2.4 MB (ten 256 KiB default blocks): varied
**               values, NODATA lines, milliseconds, CRLF, tabs, blank
**               lines, repeated headers, a few bad lines.
**   nasty.log   aNasty[] (every line there says why it is there) written
**               three times, each time shifted by a pad line of another
**               length so that each nasty line meets block boundaries at
**               other offsets, then a last line without a newline.
**   tiny/       aTiny[]: files of a few bytes (a last line ended by '\r'
**               alone, "\n\n\n", no newline at all, ...).
**   edges/      files of exactly 96, 97, 98, 299, 300, 301, 4095, 4096
**               and 4097 bytes, with "\n" and with "\r\n": a line end, or
**               the '\r' of one, falls on the last byte of a block, on the
**               first of the next, or just past the end of the file.
**   mix/        a directory: a header, another header (fields reordered,
**               v3 fields), an empty file, a header-only file, a headerless
**               file, a gzip file (not parsed ahead: the scan switches
**               paths between files), a subdirectory whose file ends in a
**               lone '\r', a non-.log file (not read).
*/
#include "test.h"
#include <sys/stat.h>
#include <zlib.h>

#define V2_FIELDS "version account-id interface-id srcaddr dstaddr srcport " \
  "dstport protocol packets bytes start end action log-status"
#define V2_HEADER V2_FIELDS "\n"

#define COUNT(a) ((int)(sizeof(a)/sizeof((a)[0])))

/* ---------------------------------------------------------------------
** Configurations: the reference first.
*/
typedef struct Config Config;
struct Config {
  const char *zName;
  const char *zAhead;              /* VPCFLOW_PARSE_AHEAD, 0: unset */
  const char *zThreads;            /* VPCFLOW_PARSE_THREADS, 0: unset */
  const char *zBlock;              /* VPCFLOW_PARSE_BLOCK, 0: unset */
};

static const Config aConfig[] = {
  { "reference (PARSE_AHEAD=off)",       "off", 0,   0 },
  { "default",                           0,     0,   0 },
  { "PARSE_THREADS=0",                   0,     "0", 0 },
  { "PARSE_BLOCK=97",                    0,     0,   "97" },
  { "PARSE_BLOCK=300",                   0,     0,   "300" },
  { "PARSE_BLOCK=4096",                  0,     0,   "4096" },
  { "PARSE_BLOCK=4096, PARSE_THREADS=0", 0,     "0", "4096" },
};

static void set_var(const char *zVar, const char *zVal){
  if( zVal ){
    setenv(zVar, zVal, 1);
  }else{
    unsetenv(zVar);
  }
}

/* Make configuration iCfg the one the next scan reads; -1: unset all. */
static void use_config(int iCfg){
  static const Config none = { "none", 0, 0, 0 };
  const Config *p = iCfg<0 ? &none : &aConfig[iCfg];
  set_var("VPCFLOW_PARSE_AHEAD", p->zAhead);
  set_var("VPCFLOW_PARSE_THREADS", p->zThreads);
  set_var("VPCFLOW_PARSE_BLOCK", p->zBlock);
}

/* ---------------------------------------------------------------------
** Deterministic content: Numerical Recipes' LCG, top 24 bits.
*/
static unsigned pick(uint32_t *pSeed, unsigned n){
  *pSeed = *pSeed*1664525u + 1013904223u;
  return (*pSeed>>8) % n;
}

/* zDir/zName, from sqlite3_mprintf(). */
static char *path_of(const char *zName){
  char *z = sqlite3_mprintf("%s/%s", zDir, zName);
  assert_non_null(z);
  return z;
}

/* Write z[0..n-1] to zDir/zName, gzip-compressed if bGzip. */
static void save(const char *zName, const char *z, size_t n, int bGzip){
  char *zPath = path_of(zName);
  if( bGzip ){
    gzFile g = gzopen(zPath, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, z, (unsigned)n), (int)n);
    assert_int_equal(gzclose(g), Z_OK);
  }else{
    FILE *f = fopen(zPath, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(z, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
  }
  sqlite3_free(zPath);
}

/* Write the string z to zDir/zName. */
static void save_text(const char *zName, const char *z){
  save(zName, z, strlen(z), 0);
}

/* Write what pStr holds to zDir/zName, and free pStr. */
static void save_str(const char *zName, sqlite3_str *pStr, int bGzip){
  size_t n = (size_t)sqlite3_str_length(pStr);
  char *z = sqlite3_str_finish(pStr);
  assert_true(n==0 || z!=0);
  save(zName, z ? z : "", n, bGzip);
  sqlite3_free(z);
}

static void make_dir(const char *zName){
  char *zPath = path_of(zName);
  assert_int_equal(mkdir(zPath, 0700), 0);
  sqlite3_free(zPath);
}

/*
** A good v2 record of exactly nLen bytes (line end not counted), the
** length made up by the interface id ("eni-ppp..."), then zEol. Its
** srcport is iPort; every other value is that of GOOD() below. Return
** the interface id's length.
*/
static int good_line(sqlite3_str *p, int nLen, const char *zEol, int iPort){
  char *zTail = sqlite3_mprintf(" 10.0.0.1 10.0.0.2 %d 443 6 1 100 "
                                "1600000000 1600000060 ACCEPT OK", iPort);
  int nPad = nLen - 10 - (int)strlen(zTail);   /* 10: "2 123 eni-" */
  assert_true(nPad>=1);
  sqlite3_str_appendall(p, "2 123 eni-");
  sqlite3_str_appendchar(p, nPad, 'p');
  sqlite3_str_appendall(p, zTail);
  sqlite3_str_appendall(p, zEol);
  sqlite3_free(zTail);
  return 4 + nPad;
}

/* ---------------------------------------------------------------------
** What a generated file holds, counted while writing it.
*/
typedef struct Truth Truth;
struct Truth {
  int nLine;                   /* lines written */
  int nRow;                    /* lines that are rows */
  int nErr;                    /* lines that must be in vpcflow_errors */
  int nSkip;                   /* blank and header lines */
  sqlite3_int64 sumBytes;      /* over the rows, NULLs not counted */
  sqlite3_int64 sumSrcport;
  sqlite3_int64 nDstport;      /* rows whose dstport is not NULL */
  sqlite3_int64 minStart, maxEnd;
};

static Truth tBig, tMix;

/* Count a row: its values, NULL passed as -1. */
static void truth_row(Truth *pT, sqlite3_int64 iSrc, sqlite3_int64 iDst,
                      sqlite3_int64 iBytes, sqlite3_int64 iStart,
                      sqlite3_int64 iEnd){
  pT->nRow++;
  if( iSrc>=0 ) pT->sumSrcport += iSrc;
  if( iDst>=0 ) pT->nDstport++;
  if( iBytes>=0 ) pT->sumBytes += iBytes;
  if( pT->minStart==0 || iStart<pT->minStart ) pT->minStart = iStart;
  if( iEnd>pT->maxEnd ) pT->maxEnd = iEnd;
}

/*
** One generated line of the default (v2) layout, most often a good row:
** values spread by the LCG, an interface id of 1 to 40 hex digits (line
** lengths vary, so block boundaries fall everywhere in lines), now and
** then milliseconds, CRLF, a tab or a double space between fields, a
** NULL account ('-'), a NODATA record; rarely a blank line, a repeated
** header or one of three kinds of bad line. Every 9973rd line is a row
** from 10.9.9.9, the outer rows of the correlated subquery in aQuery[].
*/
static void gen_line(sqlite3_str *p, uint32_t *pS, Truth *pT){
  static const int aPort[] = { 443, 443, 80, 22, 53, -1 };
  /* every value drawn in its own statement: the order in which a call's
  ** arguments are evaluated is unspecified, and gcc and clang differ */
  unsigned r = pick(pS, 1000);
  sqlite3_int64 iStart = 1600000000 + 3*(sqlite3_int64)pT->nLine;
  sqlite3_int64 iEnd = iStart + 60 + pick(pS, 600);
  sqlite3_int64 iBytes = (sqlite3_int64)pick(pS, 1000000)*1000;
  sqlite3_int64 iStartMs = iStart*1000, iEndMs = iEnd*1000;
  int iSrc = (int)pick(pS, 65536);
  int iDst = aPort[pick(pS, COUNT(aPort))];
  int iBadDst = 65536 + (int)pick(pS, 100000);
  int nEni = 1 + (int)pick(pS, 40), i;
  int bMs = pick(pS, 12)==0;
  int bNullAcct = pick(pS, 3)==0;
  int iProto = pick(pS, 4)==0 ? 17 : 6;
  int nPkt = 1 + (int)pick(pS, 5000);
  int bReject = pick(pS, 4)==0;
  const char *zSep = pick(pS, 20)==0 ? (pick(pS, 2) ? "\t" : "  ") : " ";
  const char *zEol = pick(pS, 10)==0 ? "\r\n" : "\n";
  unsigned aOctet[6];
  char zEni[48], zAddr[32];
  iBytes += pick(pS, 1000);
  iStartMs += pick(pS, 1000);
  iEndMs += pick(pS, 1000);
  for(i=0; i<6; i++) aOctet[i] = pick(pS, 256);
  if( iDst<0 ) iDst = (int)pick(pS, 65536);
  for(i=0; i<nEni; i++) zEni[i] = "0123456789abcdef"[pick(pS, 16)];
  zEni[nEni] = 0;
  pT->nLine++;
  if( pT->nLine%9973==0 ){
    r = 999;                                     /* a good row */
    strcpy(zAddr, "10.9.9.9");
  }else if( pick(pS, 50)==0 ){
    strcpy(zAddr, "10.0.0.1");                   /* for WHERE srcaddr= */
  }else{
    snprintf(zAddr, sizeof(zAddr), "10.%u.%u.%u", aOctet[0]%4, aOctet[1],
             aOctet[2]);
  }
  if( r<8 ){                                     /* blank */
    sqlite3_str_appendall(p, r<3 ? "\n" : r<6 ? "  \t\n" : "\r\n");
    pT->nSkip++;
  }else if( r<10 ){                              /* the header again */
    sqlite3_str_appendall(p, r==8 ? V2_HEADER : V2_FIELDS "\r\n");
    pT->nSkip++;
  }else if( r<20 ){                              /* NODATA: '-' is NULL */
    sqlite3_str_appendf(p, "2 123456789012 eni-%s - - - - - - - %lld %lld - "
                        "NODATA%s", zEni, iStart, iEnd, zEol);
    truth_row(pT, -1, -1, -1, iStart, iEnd);
  }else if( r<35 ){            /* bad: field count, not a number, range */
    sqlite3_str_appendf(p, "2 1 eni-%s %s 10.1.2.3 %d %d 6 5 %s %lld %lld "
                        "ACCEPT%s%s", zEni, zAddr, iSrc,
                        r<30 ? iDst : iBadDst, r>=25 && r<30 ? "12a" : "77",
                        iStart, iEnd, r<25 ? "" : " OK", zEol);
    pT->nErr++;
  }else{                                         /* good */
    sqlite3_str_appendf(p, "2%s%s eni-%s %s%s10.%u.%u.%u %d %d %d %d %lld "
                        "%lld %lld %s OK%s",
                        zSep, bNullAcct ? "-" : "123456789012", zEni, zAddr,
                        zSep, aOctet[3]%4, aOctet[4], aOctet[5], iSrc, iDst,
                        iProto, nPkt, iBytes, bMs ? iStartMs : iStart,
                        bMs ? iEndMs : iEnd, bReject ? "REJECT" : "ACCEPT",
                        zEol);
    truth_row(pT, iSrc, iDst, iBytes, iStart, iEnd);
  }
}

/* big.log: a header and 19,999 generated lines. */
static void write_big(void){
  sqlite3_str *p = sqlite3_str_new(0);
  uint32_t s = 20240101;
  memset(&tBig, 0, sizeof(tBig));
  sqlite3_str_appendall(p, V2_HEADER);
  tBig.nLine = tBig.nSkip = 1;
  while( tBig.nLine<20000 ) gen_line(p, &s, &tBig);
  save_str("big.log", p, 0);
}

/* ---------------------------------------------------------------------
** nasty.log: one line of each kind the parse-ahead path must hand to
** the per-line code (or get exactly right itself).
*/
enum { K_ROW, K_ERR, K_SKIP };        /* what a line must become */
enum { G_TEXT, G_LONG_ID, G_TOKENS }; /* how it is written */

typedef struct Nasty Nasty;
struct Nasty {
  int eGen;
  const char *z;               /* G_TEXT: the bytes, line end included */
  size_t n;                    /*   and their number (NULs allowed) */
  int nGen;                    /* G_LONG_ID: bytes before the line end;
                               ** G_TOKENS: tokens */
  const char *zEol;            /* line end of a generated line */
  int eKind;                   /* K_ROW, K_ERR or K_SKIP */
  const char *zExpect;         /* K_ROW: its PROJECTION values (0: worked
                               ** out, for a G_LONG_ID line); K_ERR: the
                               ** reason recorded */
};
#define TXT(S, KIND, EXPECT) { G_TEXT, S, sizeof(S)-1, 0, 0, KIND, EXPECT }
#define GEN(G, N, EOL, KIND, EXPECT) { G, 0, 0, N, EOL, KIND, EXPECT }

/* The columns the known-truth check reads of each row of nasty.log; an
** interface id longer than 40 bytes shows as its length. */
#define PROJECTION "log_line, version, CASE WHEN length(interface_id)>40 " \
  "THEN 'long:'||length(interface_id) ELSE interface_id END, srcaddr, " \
  "dstport, bytes, start, end, log_status"

/* A good record (75 bytes with "eni-n") and its projection. */
#define TAIL " 10.0.0.1 10.0.0.2 1 443 6 1 100 1600000000 1600000060 ACCEPT OK"
#define GOOD(ENI) "2 123 " ENI TAIL
#define GOODP(ENI) "2|" ENI "|10.0.0.1|443|100|1600000000|1600000060|OK"
/* A record with the given dstport and bytes text. */
#define PB(ENI, DPORT, BYTES) "2 123 " ENI " 10.0.0.1 10.0.0.2 1 " DPORT \
  " 6 1 " BYTES " 1600000000 1600000060 ACCEPT OK\n"
#define PBP(ENI, DPORT, BYTES) "2|" ENI "|10.0.0.1|" DPORT "|" BYTES \
  "|1600000000|1600000060|OK"

static const Nasty aNasty[] = {
  /* the reference point: a plain good record */
  TXT(GOOD("eni-a") "\n", K_ROW, GOODP("eni-a")),
  /* CRLF: the '\r' belongs to the line end, not to log_status */
  TXT(GOOD("eni-b") "\r\n", K_ROW, GOODP("eni-b")),
  /* blank lines, plain, CRLF and whitespace only: neither rows nor errors */
  TXT("\n", K_SKIP, 0),
  TXT("\r\n", K_SKIP, 0),
  TXT(" \t  \n", K_SKIP, 0),
  /* tabs and runs of blanks between fields, and around the record */
  TXT("2\t123  eni-c \t10.0.0.1   10.0.0.2 1 443 6 1 100 1600000000 "
      "1600000060 ACCEPT\tOK\n", K_ROW, GOODP("eni-c")),
  TXT("   2 123 eni-d" TAIL " \t \n", K_ROW, GOODP("eni-d")),
  /* the same header again, plain and CRLF: skipped, layout unchanged */
  TXT(V2_HEADER, K_SKIP, 0),
  TXT(V2_FIELDS "\r\n", K_SKIP, 0),
  /* NODATA: '-' in integer (and text) fields is NULL, not an error */
  TXT("2 123 eni-e - - - - - - - 1600000000 1600000060 - NODATA\n", K_ROW,
      "2|eni-e|NULL|NULL|NULL|1600000000|1600000060|NODATA"),
  /* wrong field counts: short, one extra, a lone '-', and more tokens
  ** than the parser keeps (VF_MAX_FIELDS, 128): the true count is told */
  TXT("2 123 eni-f 10.0.0.1\n", K_ERR, "wrong field count: expected 14, found 4"),
  TXT(GOOD("eni-g") " extra\n", K_ERR, "wrong field count: expected 14, found 15"),
  TXT("-\n", K_ERR, "wrong field count: expected 14, found 1"),
  GEN(G_TOKENS, 200, "\n", K_ERR, "wrong field count: expected 14, found 200"),
  /* integers: not a number, a sign, out of range, the largest in range */
  TXT("2 123 eni-h 10.0.0.1 10.0.0.2 x80 443 6 1 100 1600000000 1600000060 "
      "ACCEPT OK\n", K_ERR, "not an integer in srcport: 'x80'"),
  TXT("2 123 eni-h 10.0.0.1 10.0.0.2 -5 443 6 1 100 1600000000 1600000060 "
      "ACCEPT OK\n", K_ERR, "not an integer in srcport: '-5'"),
  TXT(PB("eni-h", "70000", "100"), K_ERR, "out of range in dstport: 70000 (max 65535)"),
  TXT(PB("eni-h", "65536", "100"), K_ERR, "out of range in dstport: 65536 (max 65535)"),
  TXT(PB("eni-h", "65535", "100"), K_ROW, PBP("eni-h", "65535", "100")),
  /* 17 and 20 digits, past the 16-digit quick parse: leading zeros are
  ** fine; INT64_MAX is the largest bytes; a value that would wrap 64 bits */
  TXT(PB("eni-h", "00000000000000443", "12345678901234567"), K_ROW,
      PBP("eni-h", "443", "12345678901234567")),
  TXT(PB("eni-h", "00000000000000000443", "9223372036854775807"), K_ROW,
      PBP("eni-h", "443", "9223372036854775807")),
  TXT(PB("eni-h", "443", "9223372036854775808"), K_ERR,
      "out of range in bytes: 9223372036854775808 (max 9223372036854775807)"),
  TXT(PB("eni-h", "443", "19233720368547580292"), K_ERR,
      "out of range in bytes: 19233720368547580292 (max 9223372036854775807)"),
  TXT(PB("eni-h", "443", "1234567890123456x"), K_ERR,
      "not an integer in bytes: '1234567890123456x'"),
  /* milliseconds (13 digits, >= 1e11) become seconds; 99999999999 stays */
  TXT("2 123 eni-i 10.0.0.1 10.0.0.2 1 443 6 1 100 1600000000123 "
      "1600000060999 ACCEPT OK\n", K_ROW, GOODP("eni-i")),
  TXT("2 123 eni-i 10.0.0.1 10.0.0.2 1 443 6 1 100 100000000000 99999999999 "
      "ACCEPT OK\n", K_ROW, "2|eni-i|10.0.0.1|443|100|100000000|99999999999|OK"),
  /* bytes that are not text: C0 controls, DEL, NUL, a lone '\r' inside
  ** the line or before the CRLF (only one '\r' is a line end), invalid
  ** UTF-8, a line that is one control byte (a token, not a blank line) */
  TXT("2 123 eni-\x01j" TAIL "\n", K_ERR, "control character 0x01 at byte 11"),
  TXT("2 123 eni-k\x7f" TAIL "\n", K_ERR, "control character 0x7f at byte 12"),
  TXT("2 123 eni-l\0" TAIL "\n", K_ERR, "control character 0x00 at byte 12"),
  TXT("2 123 eni-m\r" TAIL "\n", K_ERR, "control character 0x0d at byte 12"),
  TXT(GOOD("eni-n") "\r\r\n", K_ERR, "control character 0x0d at byte 76"),
  TXT("2 123 eni-\xffo" TAIL "\n", K_ERR, "invalid UTF-8 at byte 11"),
  TXT("\x01\n", K_ERR, "control character 0x01 at byte 1"),
  /* valid UTF-8 (2- and 4-byte characters) in a text field is a row */
  TXT(GOOD("eni-\xc3\xa9t\xc3\xa9-\xf0\x9f\x98\x80") "\n", K_ROW,
      GOODP("eni-\xc3\xa9t\xc3\xa9-\xf0\x9f\x98\x80")),
  /* CloudWatch Logs export: a timestamp token before the record; with a
  ** field missing the count matches, the timestamp stands where the
  ** version would, and the reason says a field is missing */
  TXT("2024-01-01T00:00:00.000Z " GOOD("eni-p") "\n", K_ROW, GOODP("eni-p")),
  TXT("2024-01-01T00:00:00.000Z 2 123 eni-p 10.0.0.1 10.0.0.2 1 443 6 1 100 "
      "1600000000 1600000060 ACCEPT\n", K_ERR,
      "wrong field count: expected 14 after the CloudWatch timestamp, "
      "found 13"),
  /* Firehose's {"message":...} wrapper, with LF, with CRLF, an escape in
  ** it, and cut short */
  TXT("{\"message\":\"" GOOD("eni-q") "\"}\n", K_ROW, GOODP("eni-q")),
  TXT("{\"message\":\"" GOOD("eni-r") "\"}\r\n", K_ROW, GOODP("eni-r")),
  TXT("{\"message\":\"" GOOD("eni-r") "\\u00e9\"}\n", K_ROW,
      "2|eni-r|10.0.0.1|443|100|1600000000|1600000060|OK\xc3\xa9"),
  TXT("{\"message\":\"2 123 eni-s\n", K_ERR, "malformed {\"message\":...} wrapper"),
  /* long lines: over the 65,536-byte limit (reported, skipped to its
  ** end), under it but longer than any test block, exactly at it, one
  ** over, and at it with CRLF (the line end is not counted) */
  GEN(G_LONG_ID, 70000, "\n", K_ERR, "line too long (over 65536 bytes)"),
  GEN(G_LONG_ID, 60000, "\n", K_ROW, 0),
  GEN(G_LONG_ID, 65536, "\n", K_ROW, 0),
  GEN(G_LONG_ID, 65537, "\n", K_ERR, "line too long (over 65536 bytes)"),
  GEN(G_LONG_ID, 65536, "\r\n", K_ROW, 0),
  /* starts with a lowercase letter but is no header: a data line */
  TXT("x 123 eni-t" TAIL "\n", K_ERR, "not an integer in version: 'x'"),
  /* the correlated subquery's outer row */
  TXT("2 123 eni-u 10.9.9.9 10.0.0.2 1 443 6 1 100 1600000000 1600000060 "
      "ACCEPT OK\n", K_ROW, "2|eni-u|10.9.9.9|443|100|1600000000|1600000060|OK"),
  /* a different header mid-file: fields reordered and a v3 field added;
  ** the lines under it use it, so a v2 line is now a field short */
  TXT("srcaddr dstaddr version account-id interface-id srcport dstport "
      "protocol packets bytes start end action log-status vpc-id\n", K_SKIP, 0),
  TXT("10.0.0.5 10.0.0.2 2 123 eni-v 1 443 6 1 100 1600000000 1600000060 "
      "ACCEPT OK vpc-1\n", K_ROW,
      "2|eni-v|10.0.0.5|443|100|1600000000|1600000060|OK"),
  TXT("10.0.0.5 10.0.0.2 2 123 eni-v 1 443 6 1 100 1600000000 1600000060 "
      "REJECT OK vpc-2\r\n", K_ROW,
      "2|eni-v|10.0.0.5|443|100|1600000000|1600000060|OK"),
  TXT(GOOD("eni-w") "\n", K_ERR, "wrong field count: expected 15, found 14"),
  TXT("10.0.0.5 10.0.0.2 2 123 eni-v 1 x 6 1 100 1600000000 1600000060 "
      "ACCEPT OK vpc-3\n", K_ERR, "not an integer in dstport: 'x'"),
  /* a short header naming a field twice: the header line is recorded
  ** (the second srcaddr's tokens are ignored) and still sets the layout */
  TXT("version srcaddr srcaddr bytes\n", K_ERR,
      "duplicate field 'srcaddr' in header: only its first column is read"),
  TXT("2 10.0.0.6 10.0.0.7 7\n", K_ROW, "2|NULL|10.0.0.6|NULL|7|NULL|NULL|NULL"),
  /* and back to v2 */
  TXT(V2_HEADER, K_SKIP, 0),
  TXT(GOOD("eni-y") "\n", K_ROW, GOODP("eni-y")),
};

/* What nasty.log must give, as run_sql() shows it. */
static struct {
  Truth t;
  sqlite3_str *pRows;          /* "line|PROJECTION values" per row */
  sqlite3_str *pErrs;          /* "line|reason" per error line */
  char *zRows, *zErrs;         /* the finished strings */
} nasty;

/* Note line nasty.t.nLine as kind eKind with zExpect (see Nasty). */
static void nasty_expect(int eKind, const char *zExpect){
  Truth *pT = &nasty.t;
  if( eKind==K_SKIP ){
    pT->nSkip++;
    return;
  }
  if( eKind==K_ROW ){
    pT->nRow++;
    sqlite3_str_appendf(nasty.pRows, "%s%d|%s", pT->nRow>1 ? "\n" : "",
                        pT->nLine, zExpect);
  }else{
    pT->nErr++;
    sqlite3_str_appendf(nasty.pErrs, "%s%d|%s", pT->nErr>1 ? "\n" : "",
                        pT->nLine, zExpect);
  }
}

/* A good line of nLen bytes as nasty_expect() wants its projection. */
static void nasty_good(sqlite3_str *p, int nLen, const char *zEol){
  int nEni = good_line(p, nLen, zEol, 1);
  char *zWant = nEni>40 ?
    sqlite3_mprintf(GOODP("long:%d"), nEni) :
    sqlite3_mprintf("2|eni-%.*s|10.0.0.1|443|100|1600000000|1600000060|OK",
                    nEni-4, "pppppppppppppppppppppppppppppppppppppp");
  nasty.t.nLine++;
  nasty_expect(K_ROW, zWant);
  sqlite3_free(zWant);
}

/* Write one entry of aNasty[]. */
static void nasty_write(sqlite3_str *p, const Nasty *pN){
  int i;
  if( pN->eGen==G_LONG_ID && pN->eKind==K_ROW ){
    nasty_good(p, pN->nGen, pN->zEol);
    return;
  }
  if( pN->eGen==G_LONG_ID ){
    good_line(p, pN->nGen, pN->zEol, 1);
  }else if( pN->eGen==G_TOKENS ){
    for(i=0; i<pN->nGen; i++) sqlite3_str_appendall(p, i ? " 1" : "1");
    sqlite3_str_appendall(p, pN->zEol);
  }else{
    sqlite3_str_append(p, pN->z, (int)pN->n);
  }
  nasty.t.nLine++;
  nasty_expect(pN->eKind, pN->zExpect);
}

/*
** nasty.log: a header, then aNasty[] three times, each round after a pad
** line of another length (so every nasty line meets the block boundaries
** at other offsets), then a good last line without a newline.
*/
static void write_nasty(void){
  sqlite3_str *p = sqlite3_str_new(0);
  int iRound, i;
  memset(&nasty, 0, sizeof(nasty));
  nasty.pRows = sqlite3_str_new(0);
  nasty.pErrs = sqlite3_str_new(0);
  sqlite3_str_appendall(p, V2_HEADER);
  nasty.t.nLine = nasty.t.nSkip = 1;
  for(iRound=0; iRound<3; iRound++){
    nasty_good(p, 80 + 53*iRound, "\n");
    for(i=0; i<COUNT(aNasty); i++) nasty_write(p, &aNasty[i]);
  }
  sqlite3_str_appendall(p, GOOD("eni-z"));
  nasty.t.nLine++;
  nasty_expect(K_ROW, GOODP("eni-z"));
  save_str("nasty.log", p, 0);
  nasty.zRows = sqlite3_str_finish(nasty.pRows);
  nasty.zErrs = sqlite3_str_finish(nasty.pErrs);
  assert_non_null(nasty.zRows);
  assert_non_null(nasty.zErrs);
}

/* ---------------------------------------------------------------------
** tiny/: files of a few bytes, with the rows and errors each must give.
*/
typedef struct Tiny Tiny;
struct Tiny {
  const char *zName;
  const char *z;
  size_t n;
  int nRow, nErr;
};
#define TINY(NAME, S, NROW, NERR) { NAME, S, sizeof(S)-1, NROW, NERR }

static const Tiny aTiny[] = {
  /* the last line ended by '\r' alone: the '\r' is dropped */
  TINY("cr-last.log", V2_HEADER GOOD("eni-a") "\r", 1, 0),
  /* only line ends */
  TINY("three-nl.log", "\n\n\n", 0, 0),
  TINY("crlf-blank.log", "\r\n\r\n", 0, 0),
  TINY("only-cr.log", "\r", 0, 0),
  TINY("empty.log", "", 0, 0),
  /* no line end at all */
  TINY("no-nl.log", GOOD("eni-b"), 1, 0),
  TINY("header-no-nl.log", V2_FIELDS, 0, 0),
  TINY("bad-no-nl.log", "2 123 eni-c 10.0.0.1", 0, 1),
  TINY("one-byte.log", "2", 0, 1),
  /* "\r\r" at the end of the file: one is dropped, one is a control char */
  TINY("cr-cr-last.log", GOOD("eni-d") "\r\r", 0, 1),
  /* NUL bytes only */
  TINY("nul.log", "\0\0\0\n", 0, 1),
  /* a header, then a record cut by the end of the file */
  TINY("cut.log", V2_HEADER GOOD("eni-e") "\n2 123 eni-f 10.0.0.1 10.0", 1, 1),
};

/* edges/: sizes around each test block size, with "\n" and "\r\n". */
static const int aEdgeSize[] = { 96, 97, 98, 299, 300, 301, 4095, 4096, 4097 };
static const char *azEdgeEol[] = { "\n", "\r\n" };

static char *edge_name(int iSize, int iEol){
  return sqlite3_mprintf("edges/%d-%s.log", aEdgeSize[iSize],
                         iEol ? "crlf" : "lf");
}

/*
** Good lines of 90 bytes (line end included) and a last one that makes
** the file exactly nTotal bytes. Return the number of lines.
*/
static int write_sized(const char *zName, int nTotal, const char *zEol){
  sqlite3_str *p = sqlite3_str_new(0);
  int nLeft = nTotal, nLine = 0, nEol = (int)strlen(zEol);
  while( nLeft>2*90 ){
    good_line(p, 90-nEol, zEol, nLine);
    nLeft -= 90;
    nLine++;
  }
  good_line(p, nLeft-nEol, zEol, nLine);
  nLine++;
  assert_int_equal(sqlite3_str_length(p), nTotal);
  save_str(zName, p, 0);
  return nLine;
}

static int aEdgeLines[COUNT(aEdgeSize)][COUNT(azEdgeEol)];

static void write_edges(void){
  int i, j;
  make_dir("edges");
  for(i=0; i<COUNT(aEdgeSize); i++){
    for(j=0; j<COUNT(azEdgeEol); j++){
      char *zName = edge_name(i, j);
      aEdgeLines[i][j] = write_sized(zName, aEdgeSize[i], azEdgeEol[j]);
      sqlite3_free(zName);
    }
  }
}

/*
** mix/: what a real folder of logs may hold. The CREATE form's columns
** are the union of the first lines' fields: v2's, then b.log's vpc_id
** and tcp_flags.
*/
static void write_mix(void){
  sqlite3_str *p;
  uint32_t s = 7;
  int i;
  memset(&tMix, 0, sizeof(tMix));
  make_dir("mix");
  make_dir("mix/sub");
  /* a.log: the v2 header and generated lines */
  p = sqlite3_str_new(0);
  sqlite3_str_appendall(p, V2_HEADER);
  tMix.nLine++;
  tMix.nSkip++;
  for(i=0; i<400; i++) gen_line(p, &s, &tMix);
  save_str("mix/a.log", p, 0);
  /* b.log: another header, fields reordered, v3 fields */
  save_text("mix/b.log",
       "vpc-id srcaddr dstaddr srcport dstport action bytes start end version "
       "account-id interface-id protocol packets log-status tcp-flags\n"
       "vpc-1 10.0.0.1 10.0.0.2 1 443 ACCEPT 100 1600000000 1600000060 2 1 "
       "eni-a 6 1 OK 2\n"
       "vpc-1 10.0.0.1 10.0.0.2 2 443 REJECT 200 1600000000 1600000060 2 1 "
       "eni-a 6 1 OK 18\r\n"
       "vpc-2 10.0.0.3 10.0.0.2 3 22 ACCEPT - 1600000000 1600000060 2 1 "
       "eni-b 6 1 OK 65536\n");
  tMix.nLine += 4;
  tMix.nSkip += 1;
  truth_row(&tMix, 1, 443, 100, 1600000000, 1600000060);
  truth_row(&tMix, 2, 443, 200, 1600000000, 1600000060);
  tMix.nErr++;                                   /* tcp-flags 65536 */
  /* c.log empty, d.log a header only, notes.txt not a log (not read) */
  save_text("mix/c.log", "");
  save_text("mix/d.log", V2_HEADER);
  tMix.nLine++;
  tMix.nSkip++;
  save_text("mix/notes.txt", "not a flow log\n");
  /* e.log: no header (the default format), generated lines */
  p = sqlite3_str_new(0);
  for(i=0; i<300; i++) gen_line(p, &s, &tMix);
  save_str("mix/e.log", p, 0);
  /* f.log.gz: gzip, read by the inflating reader */
  p = sqlite3_str_new(0);
  sqlite3_str_appendall(p, V2_HEADER);
  tMix.nLine++;
  tMix.nSkip++;
  for(i=0; i<300; i++) gen_line(p, &s, &tMix);
  save_str("mix/f.log.gz", p, 1);
  /* sub/g.log: a subdirectory, the last line ended by '\r' alone */
  p = sqlite3_str_new(0);
  for(i=0; i<50; i++) gen_line(p, &s, &tMix);
  sqlite3_str_appendall(p, GOOD("eni-g") "\r");
  tMix.nLine++;
  truth_row(&tMix, 1, 443, 100, 1600000000, 1600000060);
  save_str("mix/sub/g.log", p, 0);
}

static int setup(void **state){
  int i;
  if( tmpdir_setup(state) ) return -1;
  write_big();
  write_nasty();
  make_dir("tiny");
  for(i=0; i<COUNT(aTiny); i++){
    char *zName = sqlite3_mprintf("tiny/%s", aTiny[i].zName);
    save(zName, aTiny[i].z, aTiny[i].n, 0);
    sqlite3_free(zName);
  }
  write_edges();
  write_mix();
  return 0;
}

static int teardown(void **state){
  sqlite3_free(nasty.zRows);
  sqlite3_free(nasty.zErrs);
  use_config(-1);
  return tmpdir_teardown(state);
}

/* ---------------------------------------------------------------------
** Running a statement and showing its answer as text.
*/

/* One row: integers bare, reals with %!.17g, text quoted with its exact
** bytes (NULs too), NULL as NULL; '|' between columns, '\n' after. */
static void dump_row(sqlite3_stmt *pStmt, sqlite3_str *pOut){
  int i, n = sqlite3_column_count(pStmt);
  for(i=0; i<n; i++){
    if( i ) sqlite3_str_appendchar(pOut, 1, '|');
    switch( sqlite3_column_type(pStmt, i) ){
      case SQLITE_INTEGER:
        sqlite3_str_appendf(pOut, "%lld", sqlite3_column_int64(pStmt, i));
        break;
      case SQLITE_FLOAT:
        sqlite3_str_appendf(pOut, "%!.17g", sqlite3_column_double(pStmt, i));
        break;
      case SQLITE_NULL:
        sqlite3_str_appendall(pOut, "NULL");
        break;
      default: {                                 /* text (or a blob) */
        const char *z = (const char*)sqlite3_column_text(pStmt, i);
        sqlite3_str_appendchar(pOut, 1, '\'');
        sqlite3_str_append(pOut, z, sqlite3_column_bytes(pStmt, i));
        sqlite3_str_appendchar(pOut, 1, '\'');
        break;
      }
    }
  }
  sqlite3_str_appendchar(pOut, 1, '\n');
}

/* Step pStmt to its end (nMax rows at most, -1: all), appending the rows
** and, if it fails, "ERROR: message". Return the last sqlite3_step(). */
static int dump_stmt(sqlite3_stmt *pStmt, int nMax, sqlite3_str *pOut){
  int rc = SQLITE_DONE;
  while( nMax!=0 && (rc = sqlite3_step(pStmt))==SQLITE_ROW ){
    dump_row(pStmt, pOut);
    if( nMax>0 ) nMax--;
  }
  if( nMax==0 ) return SQLITE_ROW;
  if( rc!=SQLITE_DONE ){
    sqlite3_str_appendf(pOut, "ERROR: %s\n",
                        sqlite3_errmsg(sqlite3_db_handle(pStmt)));
  }
  return rc;
}

static void dump_sql(sqlite3 *db, const char *zSql, sqlite3_str *pOut){
  sqlite3_stmt *pStmt = 0;
  if( sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0)!=SQLITE_OK ){
    sqlite3_str_appendf(pOut, "PREPARE ERROR: %s\n", sqlite3_errmsg(db));
  }else{
    dump_stmt(pStmt, -1, pOut);
  }
  sqlite3_finalize(pStmt);
}

/* Every entry of the connection's error log, in a fixed order. */
static void dump_errors(sqlite3 *db, sqlite3_str *pOut){
  sqlite3_str_appendall(pOut, "-- vpcflow_errors\n");
  dump_sql(db, "SELECT file, line, reason, text FROM vpcflow_errors "
               "ORDER BY file, line, reason, text", pOut);
}

static char *finish(sqlite3_str *p){
  char *z = sqlite3_str_finish(p);
  assert_non_null(z);
  return z;
}

/* zTmpl with every "$T" replaced by zFrom and "$M" by zMode. */
static char *subst(const char *zTmpl, const char *zFrom, const char *zMode){
  sqlite3_str *p = sqlite3_str_new(0);
  while( *zTmpl ){
    if( zTmpl[0]=='$' && (zTmpl[1]=='T' || zTmpl[1]=='M') ){
      sqlite3_str_appendall(p, zTmpl[1]=='T' ? zFrom : zMode);
      zTmpl += 2;
    }else{
      sqlite3_str_appendchar(p, 1, *zTmpl++);
    }
  }
  return finish(p);
}

/*
** Fail unless zGot is zRef, showing the first line that differs (cut to
** 300 bytes) and what was run.
*/
static void check_same(const char *zRef, const char *zGot, const char *zWhat,
                       const char *zSql, const char *zCfg){
  const char *a = zRef, *b = zGot;
  int iLine = 1, nA, nB;
  if( strcmp(zRef, zGot)==0 ) return;
  while( *a && *a==*b ){
    if( *a=='\n' ) iLine++;
    a++;
    b++;
  }
  while( a>zRef && a[-1]!='\n' ){ a--; b--; }
  nA = (int)strcspn(a, "\n");
  nB = (int)strcspn(b, "\n");
  print_error("%s [%s]\n  %s\n  first difference in output line %d "
              "(reference %zu bytes, this mode %zu):\n"
              "  reference: %.*s\n  this mode: %.*s\n",
              zWhat, zCfg, zSql, iLine, strlen(zRef), strlen(zGot),
              nA>300 ? 300 : nA, a, nB>300 ? 300 : nB, b);
  fail();
}

/* ---------------------------------------------------------------------
** Same answers: sources x queries x configurations.
*/
enum { F_TVF, F_STRICT, F_CREATE };   /* how a source is read */

typedef struct Source Source;
struct Source {
  const char *zPath;           /* under the scratch directory */
  int eForm;
};

/*
** The queries; $T is the source (vpcflow('...') or the created table t).
** Those without ORDER BY give rows in scan order, which must be the same
** too: lines in file order, files in name order.
*/
typedef struct Query Query;
struct Query {
  const char *zSql;
  int bTvfOnly;                /* names a column only vpcflow() surely has */
};

static const Query aQuery[] = {
  /* every column, natural order */
  { "SELECT *, log_file, log_line, dt FROM $T", 0 },
  /* aggregates over integers: no row order */
  { "SELECT count(*), sum(bytes), sum(srcport), count(dstport), min(start), "
    "max(end), total(packets), count(bytes), max(protocol) FROM $T", 0 },
  /* pushed-down filters: integer and text equality, IS NULL, a range */
  { "SELECT log_file, log_line, srcport, bytes FROM $T "
    "WHERE dstport=443 AND action='ACCEPT' ORDER BY log_file, log_line", 0 },
  { "SELECT log_file, log_line, dstaddr, dstport, start FROM $T "
    "WHERE srcaddr='10.0.0.1' ORDER BY log_file, log_line", 0 },
  { "SELECT log_file, log_line, srcport, dstport, packets FROM $T "
    "WHERE bytes IS NULL ORDER BY log_file, log_line", 0 },
  { "SELECT log_file, log_line, start, end, dt FROM $T "
    "WHERE start >= 1600000100 AND start < 1600030000 "
    "ORDER BY log_file, log_line", 0 },
  /* text columns only, plain and grouped by the scan */
  { "SELECT count(*), count(interface_id), max(interface_id), "
    "min(srcaddr), max(dstaddr), count(DISTINCT action), "
    "sum(length(account_id)), max(log_status) FROM $T", 0 },
  { "SELECT action, log_status, count(*), max(interface_id), min(srcaddr) "
    "FROM $T GROUP BY 1, 2 ORDER BY 1, 2", 0 },
  /* log_line only, natural order; and no column at all (in the CREATE
  ** form: vpcflow()'s hidden path argument counts as a column used) */
  { "SELECT log_line FROM $T", 0 },
  { "SELECT count(*) FROM $T", 0 },
  /* two cursors at once: the inner one filtered again for each outer
  ** row while the outer scan is under way */
  { "SELECT a.log_file, a.log_line, (SELECT count(*)||','||total(b.bytes) "
    "FROM $T b WHERE b.dstport = a.dstport) FROM $T a "
    "WHERE a.srcaddr = '10.9.9.9' ORDER BY 1, 2", 0 },
  /* v3 fields, hidden columns of vpcflow() */
  { "SELECT log_file, log_line, vpc_id, tcp_flags, srcaddr FROM $T "
    "WHERE vpc_id IS NOT NULL ORDER BY 1, 2", 1 },
};

/* The source as the query names it; for F_CREATE, create it in db. */
static char *source_from(sqlite3 *db, const Source *pSrc, sqlite3_str *pOut){
  char *zPath = path_of(pSrc->zPath);
  char *zFrom;
  if( pSrc->eForm==F_CREATE ){
    char *zSql = sqlite3_mprintf("CREATE VIRTUAL TABLE temp.t USING "
                                 "vpcflow(%Q)", zPath);
    char *zErr = 0;
    if( sqlite3_exec(db, zSql, 0, 0, &zErr)!=SQLITE_OK ){
      sqlite3_str_appendf(pOut, "CREATE ERROR: %s\n", zErr);
    }
    sqlite3_free(zErr);
    sqlite3_free(zSql);
    zFrom = sqlite3_mprintf("t");
  }else{
    zFrom = sqlite3_mprintf("vpcflow(%Q%s)", zPath,
                            pSrc->eForm==F_STRICT ? ", NULL, 1" : "");
  }
  sqlite3_free(zPath);
  return zFrom;
}

/*
** The answer of query zTmpl over pSrc under configuration iCfg, on a
** fresh connection: its rows, then the error log it left. *pzSql is set
** to the SQL run (the caller frees it).
*/
static char *answer(const Source *pSrc, const char *zTmpl, int iCfg,
                    char **pzSql){
  sqlite3 *db = open_db();
  sqlite3_str *pOut = sqlite3_str_new(0);
  char *zFrom;
  use_config(iCfg);
  zFrom = source_from(db, pSrc, pOut);
  *pzSql = subst(zTmpl, zFrom, "");
  dump_sql(db, *pzSql, pOut);
  dump_errors(db, pOut);
  sqlite3_free(zFrom);
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
  return finish(pOut);
}

/* Every query of a[] over every source, each configuration against the
** reference. */
static void same_answers(const Source *aSrc, int nSrc, const Query *a,
                         int nQuery){
  int iSrc, iQ, iCfg;
  for(iSrc=0; iSrc<nSrc; iSrc++){
    static const char *azForm[] = { "vpcflow()", "strict", "CREATE" };
    char *zWhat;
    for(iQ=0; iQ<nQuery; iQ++){
      char *zSql, *zRef;
      if( a[iQ].bTvfOnly && aSrc[iSrc].eForm==F_CREATE ) continue;
      zRef = answer(&aSrc[iSrc], a[iQ].zSql, 0, &zSql);
      zWhat = sqlite3_mprintf("%s, %s", aSrc[iSrc].zPath,
                              azForm[aSrc[iSrc].eForm]);
      sqlite3_free(zSql);
      for(iCfg=1; iCfg<COUNT(aConfig); iCfg++){
        char *zGot = answer(&aSrc[iSrc], a[iQ].zSql, iCfg, &zSql);
        check_same(zRef, zGot, zWhat, zSql, aConfig[iCfg].zName);
        sqlite3_free(zGot);
        sqlite3_free(zSql);
      }
      sqlite3_free(zWhat);
      sqlite3_free(zRef);
    }
  }
  use_config(-1);
}

/* big.log (its CREATE form adds nothing nasty.log's and mix/'s do not,
** and would cost a second of the time budget under ASan). */
static void test_big_same_answer(void **state){
  static const Source a[] = {
    { "big.log", F_TVF }, { "big.log", F_STRICT },
  };
  (void)state;
  same_answers(a, COUNT(a), aQuery, COUNT(aQuery));
}

static void test_nasty_same_answer(void **state){
  static const Source a[] = {
    { "nasty.log", F_TVF }, { "nasty.log", F_CREATE }, { "nasty.log", F_STRICT },
  };
  (void)state;
  same_answers(a, COUNT(a), aQuery, COUNT(aQuery));
}

/* The directories whole (one scan, a file after another), as both
** forms, and a glob. */
static void test_dirs_same_answer(void **state){
  static const Source a[] = {
    { "mix", F_TVF }, { "mix", F_CREATE }, { "tiny", F_TVF },
    { "edges", F_TVF }, { "edges/*-crlf.log", F_TVF },
  };
  (void)state;
  same_answers(a, COUNT(a), aQuery, COUNT(aQuery));
}

/*
** Each small file alone, by its explicit path. The directory scans above
** run every query over them already (each file has a reader of its own
** there too); a few queries suffice here.
*/
static void test_small_files_same_answer(void **state){
  static const Query aSmall[] = {
    { "SELECT *, log_file, log_line, dt FROM $T", 0 },
    { "SELECT count(*), sum(bytes), sum(srcport), count(dstport), "
      "min(start), max(end) FROM $T", 0 },
    { "SELECT log_line FROM $T WHERE dstport=443 AND action='ACCEPT' "
      "ORDER BY log_line", 0 },
    { "SELECT count(*) FROM $T", 0 },
  };
  int i, j;
  (void)state;
  for(i=0; i<COUNT(aTiny); i++){
    char *zName = sqlite3_mprintf("tiny/%s", aTiny[i].zName);
    Source src = { zName, F_TVF };
    same_answers(&src, 1, aSmall, COUNT(aSmall));
    sqlite3_free(zName);
  }
  for(i=0; i<COUNT(aEdgeSize); i++){
    for(j=0; j<COUNT(azEdgeEol); j++){
      char *zName = edge_name(i, j);
      Source src = { zName, F_TVF };
      same_answers(&src, 1, aSmall, COUNT(aSmall));
      sqlite3_free(zName);
    }
  }
}

/*
** Scans that stop early (LIMIT, a row found): the rows and the errors
** recorded must be the reference's. The reference reads no line past the
** last one the query consumed, so a bad line after it is not in the log:
** a parse-ahead scan that checked it on the worker thread must not record
** it either.
*/
static void test_early_stop_same_answer(void **state){
  static const Query aStop[] = {
    { "SELECT log_line FROM $T LIMIT 3", 0 },
    { "SELECT log_file, log_line, bytes FROM $T WHERE dstport=443 LIMIT 7", 0 },
    { "SELECT log_file, log_line FROM $T LIMIT 1 OFFSET 500", 0 },
    { "SELECT EXISTS (SELECT 1 FROM $T WHERE srcaddr='10.9.9.9')", 0 },
  };
  static const Source a[] = {
    { "big.log", F_TVF }, { "nasty.log", F_TVF }, { "mix", F_TVF },
    { "nasty.log", F_CREATE },
  };
  (void)state;
  same_answers(a, COUNT(a), aStop, COUNT(aStop));
}

/* ---------------------------------------------------------------------
** The mode is read at every scan.
*/

/* SQL function set_mode(i): use configuration i%N from now on. It
** returns 0 whatever i, so that the rows do not show the mode. */
static void set_mode_func(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3_int64 i = sqlite3_value_int64(argv[0]);
  (void)argc;
  use_config((int)(i % COUNT(aConfig)));
  sqlite3_result_int(ctx, 0);
}

/*
** One connection, two statements: A is started (its first row, so its
** xFilter has run) under one configuration, B then runs whole under
** another, then A finishes under a third. Each must give the reference's
** rows; the log, which by then holds the union of what they met, must
** equal that of the reference running both.
*/
static void test_mode_per_statement(void **state){
  sqlite3 *db = open_db();
  char *zA = sqlite3_mprintf("SELECT *, log_line FROM vpcflow('%q/nasty.log')", zDir);
  char *zB = sqlite3_mprintf("SELECT log_line, bytes, start FROM "
                             "vpcflow('%q/big.log') WHERE dstport=443", zDir);
  char *zRefA, *zRefB, *zRefErr;
  sqlite3_stmt *pA, *pB;
  int iCfg;
  (void)state;
  assert_int_equal(sqlite3_prepare_v2(db, zA, -1, &pA, 0), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, zB, -1, &pB, 0), SQLITE_OK);
  {
    sqlite3_str *p = sqlite3_str_new(0);
    use_config(0);
    dump_stmt(pA, -1, p);
    zRefA = finish(p);
    p = sqlite3_str_new(0);
    dump_stmt(pB, -1, p);
    zRefB = finish(p);
    p = sqlite3_str_new(0);
    dump_errors(db, p);
    zRefErr = finish(p);
    sqlite3_reset(pA);
    sqlite3_reset(pB);
  }
  for(iCfg=0; iCfg<COUNT(aConfig); iCfg++){
    sqlite3_str *pOutA = sqlite3_str_new(0), *pOutB = sqlite3_str_new(0);
    char *zGot;
    use_config(iCfg);
    assert_int_equal(dump_stmt(pA, 1, pOutA), SQLITE_ROW);
    use_config((iCfg+1) % COUNT(aConfig));
    dump_stmt(pB, -1, pOutB);
    use_config((iCfg+2) % COUNT(aConfig));
    dump_stmt(pA, -1, pOutA);
    zGot = finish(pOutA);
    check_same(zRefA, zGot, "statement A, started first", zA, aConfig[iCfg].zName);
    sqlite3_free(zGot);
    zGot = finish(pOutB);
    check_same(zRefB, zGot, "statement B, run while A was open", zB,
               aConfig[(iCfg+1) % COUNT(aConfig)].zName);
    sqlite3_free(zGot);
    sqlite3_reset(pA);
    sqlite3_reset(pB);
  }
  {
    sqlite3_str *p = sqlite3_str_new(0);
    char *zGot;
    dump_errors(db, p);
    zGot = finish(p);
    check_same(zRefErr, zGot, "error log after A and B in every mode",
               "vpcflow_errors", "all");
    sqlite3_free(zGot);
  }
  sqlite3_finalize(pA);
  sqlite3_finalize(pB);
  sqlite3_free(zA);
  sqlite3_free(zB);
  sqlite3_free(zRefA);
  sqlite3_free(zRefB);
  sqlite3_free(zRefErr);
  use_config(-1);
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* zSql's rows and the error log it left, on a fresh connection that
** has set_mode(). */
static char *answer_with_set_mode(const char *zSql){
  sqlite3 *db = open_db();
  sqlite3_str *pOut = sqlite3_str_new(0);
  assert_int_equal(sqlite3_create_function(db, "set_mode", 1, SQLITE_UTF8,
                                           0, set_mode_func, 0, 0), SQLITE_OK);
  dump_sql(db, zSql, pOut);
  dump_errors(db, pOut);
  assert_int_equal(sqlite3_close(db), SQLITE_OK);
  return finish(pOut);
}

/*
** One inner cursor filtered again for each outer row, the mode changed
** between its scans by set_mode() in the select list (a non-deterministic
** function, not hoisted, evaluated before the subquery to its right):
** every row must be the one the reference gives, and so must the log.
** The outer rows come from VALUES, so no vpcflow scan is under way when
** the environment changes.
*/
static void test_mode_per_filter(void **state){
  static const char *zTmpl =
    "WITH k(i, p) AS (VALUES (0,443),(1,80),(2,22),(3,443),(4,53),(5,443),"
    "(6,80),(7,443),(8,22),(9,443),(10,443),(11,80),(12,443),(13,53)) "
    "SELECT i, set_mode($M), (SELECT count(*)||','||total(bytes)||','||"
    "total(log_line) FROM $T WHERE dstport = k.p) FROM k";
  static const char *azFile[] = { "nasty.log", "mix", "tiny" };
  int iFile;
  (void)state;
  for(iFile=0; iFile<COUNT(azFile); iFile++){
    char *zPath = path_of(azFile[iFile]);
    char *zFrom = sqlite3_mprintf("vpcflow(%Q)", zPath);
    char *zRefSql = subst(zTmpl, zFrom, "0");
    char *zSql = subst(zTmpl, zFrom, "i");
    char *zRef = answer_with_set_mode(zRefSql);
    char *zGot = answer_with_set_mode(zSql);
    check_same(zRef, zGot, azFile[iFile], zSql, "mode changed for each row");
    sqlite3_free(zRef);
    sqlite3_free(zGot);
    sqlite3_free(zRefSql);
    sqlite3_free(zSql);
    sqlite3_free(zFrom);
    sqlite3_free(zPath);
    use_config(-1);
  }
}

/* ---------------------------------------------------------------------
** Known truth, under every configuration, the reference included.
*/

/* Fail unless query zSql (on db) shows as zWant. */
static void check_text(sqlite3 *db, const char *zSql, const char *zWant,
                       const char *zCfg){
  char *zGot = run_sql(db, zSql);
  assert_non_null(zGot);
  check_same(zWant, zGot, "known truth", zSql, zCfg);
  sqlite3_free(zGot);
}

/* Rows, error lines and skipped lines of one file against pT. */
static void check_counts(sqlite3 *db, const char *zFrom, const char *zFile,
                         const Truth *pT){
  sqlite3_int64 nRow = query_int(db, "SELECT count(*) FROM %s", zFrom);
  sqlite3_int64 nErr = query_int(db, "SELECT count(DISTINCT file||':'||line) "
                                 "FROM vpcflow_errors WHERE file GLOB '%q'",
                                 zFile);
  if( nRow!=pT->nRow || nErr!=pT->nErr ){
    fail_msg("%s: %lld rows and %lld error lines, %d and %d written",
             zFile, nRow, nErr, pT->nRow, pT->nErr);
  }
  /* rows + errors + blank and header lines = every line written */
  assert_int_equal(nRow + nErr + pT->nSkip, pT->nLine);
}

/* The sums of a generated file. */
static void check_sums(sqlite3 *db, const char *zFrom, const Truth *pT){
  assert_true(query_int(db, "SELECT sum(bytes) FROM %s", zFrom)==pT->sumBytes);
  assert_true(query_int(db, "SELECT sum(srcport) FROM %s", zFrom)==pT->sumSrcport);
  assert_true(query_int(db, "SELECT count(dstport) FROM %s", zFrom)==pT->nDstport);
  assert_true(query_int(db, "SELECT min(start) FROM %s", zFrom)==pT->minStart);
  assert_true(query_int(db, "SELECT max(end) FROM %s", zFrom)==pT->maxEnd);
}

static void test_known_truth(void **state){
  int iCfg, i, j;
  (void)state;
  for(iCfg=0; iCfg<COUNT(aConfig); iCfg++){
    const char *zCfg = aConfig[iCfg].zName;
    sqlite3 *db = open_db();
    char *zPath, *zFrom, *zSql;
    use_config(iCfg);
    /* big.log: counts and sums as generated */
    zPath = path_of("big.log");
    zFrom = sqlite3_mprintf("vpcflow(%Q)", zPath);
    check_counts(db, zFrom, zPath, &tBig);
    check_sums(db, zFrom, &tBig);
    assert_int_equal(query_int(db, "SELECT count(*) FROM %s WHERE srcaddr="
                                   "'10.9.9.9'", zFrom), 2);
    sqlite3_free(zFrom);
    sqlite3_free(zPath);
    /* nasty.log: each row's line and values, each error's line and
    ** reason */
    zPath = path_of("nasty.log");
    zFrom = sqlite3_mprintf("vpcflow(%Q)", zPath);
    zSql = sqlite3_mprintf("SELECT " PROJECTION " FROM %s", zFrom);
    check_text(db, zSql, nasty.zRows, zCfg);
    sqlite3_free(zSql);
    zSql = sqlite3_mprintf("SELECT line, reason FROM vpcflow_errors "
                           "WHERE file=%Q ORDER BY line, reason", zPath);
    check_text(db, zSql, nasty.zErrs, zCfg);
    sqlite3_free(zSql);
    check_counts(db, zFrom, zPath, &nasty.t);
    sqlite3_free(zFrom);
    sqlite3_free(zPath);
    /* tiny/ */
    for(i=0; i<COUNT(aTiny); i++){
      zPath = sqlite3_mprintf("%s/tiny/%s", zDir, aTiny[i].zName);
      zFrom = sqlite3_mprintf("vpcflow(%Q)", zPath);
      if( aTiny[i].nRow==0 && aTiny[i].nErr>0 ){
        /* nothing but errors: the scan fails, naming the file */
        char *zSql = sqlite3_mprintf("SELECT count(*) FROM %s", zFrom);
        char *zWant = sqlite3_mprintf("vpcflow: no line could be read: "
                                      "%s: line ", zPath);
        const char *zGot = query_error(db, zSql);
        if( strncmp(zGot, zWant, strlen(zWant))!=0 ){
          fail_msg("%s: '%s', want '%s...'", zSql, zGot, zWant);
        }
        sqlite3_free(zSql);
        sqlite3_free(zWant);
      }else{
        assert_int_equal(query_int(db, "SELECT count(*) FROM %s", zFrom),
                         aTiny[i].nRow);
      }
      assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow_errors "
                                     "WHERE file=%Q", zPath), aTiny[i].nErr);
      sqlite3_free(zFrom);
      sqlite3_free(zPath);
    }
    /* edges/: every line a row */
    for(i=0; i<COUNT(aEdgeSize); i++){
      for(j=0; j<COUNT(azEdgeEol); j++){
        char *zName = edge_name(i, j);
        zPath = path_of(zName);
        assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow(%Q) "
                                       "WHERE log_status='OK'", zPath),
                         aEdgeLines[i][j]);
        assert_int_equal(query_int(db, "SELECT max(log_line) FROM vpcflow(%Q)",
                                   zPath), aEdgeLines[i][j]);
        sqlite3_free(zPath);
        sqlite3_free(zName);
      }
    }
    assert_int_equal(query_int(db, "SELECT count(*) FROM vpcflow_errors "
                                   "WHERE file LIKE '%%/edges/%%'"), 0);
    /* mix/: the directory whole */
    zPath = path_of("mix");
    zFrom = sqlite3_mprintf("vpcflow(%Q)", zPath);
    {
      char *zGlob = sqlite3_mprintf("%s/*", zPath);
      check_counts(db, zFrom, zGlob, &tMix);
      sqlite3_free(zGlob);
    }
    check_sums(db, zFrom, &tMix);
    sqlite3_free(zFrom);
    sqlite3_free(zPath);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
  }
  use_config(-1);
}

int main(void){
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_known_truth),
    cmocka_unit_test(test_big_same_answer),
    cmocka_unit_test(test_nasty_same_answer),
    cmocka_unit_test(test_dirs_same_answer),
    cmocka_unit_test(test_small_files_same_answer),
    cmocka_unit_test(test_early_stop_same_answer),
    cmocka_unit_test(test_mode_per_statement),
    cmocka_unit_test(test_mode_per_filter),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
