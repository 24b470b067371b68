/*
** fuzz_sql.c - libFuzzer harness for the SQL surface of vpcflow: the
** vpcflow table in both forms, vpcflow_errors and every SQL function.
**
** Usage:
**
**   make fuzz                      (builds build/fuzz/fuzz_sql)
**   build/fuzz/fuzz_sql -dict=tests/fuzz/vpcflow.dict CORPUS_DIR
**
** Each input opens a fresh ":memory:" database, calls the entry point
** sqlite3_vpcflow_init() directly (the sources are linked in with
** SQLITE_CORE), writes the input's file content under a per-process
** directory in /tmp, runs the statements of one template and closes the
** database, which must succeed (no statement or table left behind).
**
** INPUT LAYOUT. Six control bytes, then parts separated by "|@|":
**
**   byte 0   template (see run_template())
**   byte 1   bit 0: also write a gzip copy, b.log.gz
**            bit 1: also write sub/c.log (part 5, else a copy of part 0)
**            bits 2-4: the path argument (see path_for())
**            bit 5: make allocations fail (see byte 4), bit 6: persist
**   byte 2   selector A: function, query variant, column picks
**   byte 3   selector B: row count, window frame
**   byte 4   allocations that succeed before one fails (times 4)
**   byte 5   selector C: argument count of a variadic call, flags
**   part 0   content of a.log
**   part 1-4 values bound to ?1..?4; the first byte of each gives its
**            type: NULL, integer (text or raw bytes), real (text or raw
**            bytes), text, blob, or '-'
**   part 5   content of sub/c.log
**
** Statements are bounded: a progress handler stops any that runs long,
** sqlite3_limit() keeps strings, SQL and expressions small, and at most
** MAX_ROWS rows are read from each.
**
** HOW IT CHECKS. Besides the sanitizers: SELECT * from either form must
** give INTEGER columns as integers or NULL and TEXT columns as text or
** NULL, and a text value must be valid UTF-8 with no control character
** and no blank (it was one token of a line). A query with WHERE terms
** the scan takes on (push-down) must return exactly the rows the same
** query returns from a native copy of the table. When the arguments (parts
** 1-5) are valid UTF-8, every reason in vpcflow_errors and every error
** message must be too: quoting must not cut a character in two; so must
** every text (the line, or its start) when the files are valid UTF-8. (Bad
** bytes the user passed in may come back in a message, as SQLite's own
** "near ...: syntax error" does.)
** No statement may return SQLITE_MISUSE, and sqlite3_close() must return
** SQLITE_OK.
*/
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include <zlib.h>
#include "parse.h"
#include "catalog.h"
#include "fuzz_utf8.h"

#define CHECK(x) do{ if( !(x) ){ \
  fprintf(stderr, "fuzz_sql: %s:%d: check failed: %s\n", \
          __FILE__, __LINE__, #x); abort(); } }while(0)

int sqlite3_vpcflow_init(sqlite3*, char**, const void*);

#define MAX_ROWS      2000     /* rows read from one statement */
#define MAX_PROGRESS  3000     /* progress callbacks (of 100 VM ops) */
#define MAX_FUNCS     64       /* functions the harness can know */
#define NPART         6        /* parts of an input */
#define SEP           "|@|"    /* separates the parts */

/* ---------------------------------------------------------------------
** Failing allocations. The harness wraps SQLite's allocator; when armed,
** it lets nOomCountdown allocations succeed and fails the next one (and,
** if bOomPersist, all after it). vpcflow allocates only through SQLite,
** zlib included, so every allocation of the extension can be made to fail.
*/
static sqlite3_mem_methods defaultMem;   /* SQLite's own allocator */
static int bOomArmed;                    /* failures are enabled */
static int bOomPersist;                  /* keep failing after the first */
static int nOomCountdown;                /* successes before the failure */
static int bOomInput;                    /* this input makes failures */

static int oom_now(void){
  if( !bOomArmed ) return 0;
  if( nOomCountdown>0 ){ nOomCountdown--; return 0; }
  if( !bOomPersist ) bOomArmed = 0;
  return 1;
}
static void *oomMalloc(int n){
  return oom_now() ? 0 : defaultMem.xMalloc(n);
}
static void *oomRealloc(void *p, int n){
  return oom_now() ? 0 : defaultMem.xRealloc(p, n);
}
static void oomFree(void *p){ defaultMem.xFree(p); }
static int oomSize(void *p){ return defaultMem.xSize(p); }
static int oomRoundup(int n){ return defaultMem.xRoundup(n); }
static int oomInit(void *p){ return defaultMem.xInit(p); }
static void oomShutdown(void *p){ defaultMem.xShutdown(p); }

/* ---------------------------------------------------------------------
** What the harness learns once, at start-up.
*/
typedef struct Func Func;
struct Func {
  char zName[32];            /* SQL name */
  int nArg;                  /* arguments, -1 for any */
  char cType;                /* 's' scalar, 'a' aggregate, 'w' window */
};
static Func aFunc[MAX_FUNCS];          /* functions vpcflow adds */
static int nFunc;
static char zDir[64];                  /* this process's directory */
static char *zAllCols;                 /* every column of the TVF form */

/* ---------------------------------------------------------------------
** Running statements
*/
static int nProgress;                  /* progress callbacks this input */
static int bUtf8In;                    /* parts 1-5 are valid UTF-8 */
static int bUtf8Files;                 /* the file contents are too */

static int progress_cb(void *pUnused){
  (void)pUnused;
  return ++nProgress>MAX_PROGRESS;
}

/* How run() checks the rows of a statement */
#define ROWS_ANY     0         /* only read them */
#define ROWS_TABLE   1         /* SELECT * of a vpcflow table */
#define ROWS_ERRORS  2         /* SELECT * FROM vpcflow_errors */

/* Check one value of a SELECT * from a vpcflow table. */
static void check_table_value(sqlite3_stmt *pStmt, int i){
  const char *zDecl = sqlite3_column_decltype(pStmt, i);
  int eType = sqlite3_column_type(pStmt, i);
  if( eType==SQLITE_NULL || zDecl==0 ) return;
  if( strcmp(zDecl, "INTEGER")==0 ){
    CHECK( eType==SQLITE_INTEGER );
  }else{
    const char *z = (const char*)sqlite3_column_text(pStmt, i);
    size_t n = (size_t)sqlite3_column_bytes(pStmt, i);
    int bUtf8 = 0;
    CHECK( eType==SQLITE_TEXT );
    if( z==0 ){                        /* sqlite3_column_text() ran out */
      CHECK( bOomInput );
      return;
    }
    CHECK( n>0 );
    CHECK( vf_check_text(z, n, &bUtf8)==0 );
    CHECK( memchr(z, ' ', n)==0 && memchr(z, '\t', n)==0 );
  }
}

/*
** Prepare and run the first statement of zSql, binding aVal[] to ?1..?4
** and zPath to ?5, reading every value of up to MAX_ROWS rows.
** Return the final result code.
*/
static int run(sqlite3 *db, const char *zSql, sqlite3_value **aVal,
               const char *zPath, int eRows){
  sqlite3_stmt *pStmt = 0;
  int rc, i, nRow = 0, nParam;
  if( zSql==0 ) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0);
  CHECK( rc!=SQLITE_MISUSE );
  if( rc!=SQLITE_OK || pStmt==0 ){
    const char *zErr = sqlite3_errmsg(db);
    if( bUtf8In ) CHECK( is_utf8(zErr, strlen(zErr)) );
    return rc;
  }
  nParam = sqlite3_bind_parameter_count(pStmt);
  for(i=1; i<=nParam && i<=5; i++){
    if( i==5 ) sqlite3_bind_text(pStmt, i, zPath, -1, SQLITE_STATIC);
    else sqlite3_bind_value(pStmt, i, aVal[i-1]);
  }
  while( nRow++<MAX_ROWS && (rc = sqlite3_step(pStmt))==SQLITE_ROW ){
    int nCol = sqlite3_column_count(pStmt);
    for(i=0; i<nCol; i++){
      if( eRows==ROWS_TABLE ) check_table_value(pStmt, i);
      switch( sqlite3_column_type(pStmt, i) ){
        case SQLITE_BLOB:
          (void)sqlite3_column_blob(pStmt, i);
          break;
        case SQLITE_TEXT: {
          const char *z = (const char*)sqlite3_column_text(pStmt, i);
          int n = sqlite3_column_bytes(pStmt, i);
          if( z==0 ){                  /* only when memory ran out */
            CHECK( bOomInput );
            break;
          }
          /* reason: valid UTF-8 (the text column is the raw line) */
          if( eRows==ROWS_ERRORS && i==2 && bUtf8In ){
            CHECK( is_utf8(z, (size_t)n) );
          }
          /* text: the line, or its start; valid if the files are */
          if( eRows==ROWS_ERRORS && i==3 && bUtf8Files ){
            CHECK( is_utf8(z, (size_t)n) );
          }
          /* A token quoted at the end of a reason is never empty (spans
          ** have nLen>0): "...: ''" means a span from outside the line. */
          if( eRows==ROWS_ERRORS && i==2 && n>=4 ){
            CHECK( memcmp(z+n-4, ": ''", 4)!=0 );
          }
          CHECK( z[n]==0 );
          break;
        }
        default:
          (void)sqlite3_column_int64(pStmt, i);
          break;
      }
    }
  }
  CHECK( rc!=SQLITE_MISUSE );
  if( rc!=SQLITE_ROW && rc!=SQLITE_DONE ){
    const char *zErr = sqlite3_errmsg(db);
    if( bUtf8In ) CHECK( is_utf8(zErr, strlen(zErr)) );
  }
  CHECK( sqlite3_finalize(pStmt)!=SQLITE_MISUSE );
  return rc;
}

/* run() for an sqlite3_mprintf() string, which it then frees. */
static int run_free(sqlite3 *db, char *zSql, sqlite3_value **aVal,
                    const char *zPath, int eRows){
  int rc = run(db, zSql, aVal, zPath, eRows);
  sqlite3_free(zSql);
  return rc;
}

/*
** Run zSql as run() does and return every row as text (values quoted
** with their types), or NULL if the statement did not run to its end.
*/
static char *run_collect(sqlite3 *db, const char *zSql, sqlite3_value **aVal,
                         const char *zPath){
  sqlite3_stmt *pStmt = 0;
  sqlite3_str *pOut;
  int rc, i, nRow = 0, nParam;
  if( sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0)!=SQLITE_OK ) return 0;
  nParam = sqlite3_bind_parameter_count(pStmt);
  for(i=1; i<=nParam && i<=5; i++){
    if( i==5 ) sqlite3_bind_text(pStmt, i, zPath, -1, SQLITE_STATIC);
    else sqlite3_bind_value(pStmt, i, aVal[i-1]);
  }
  pOut = sqlite3_str_new(0);
  while( nRow++<MAX_ROWS && (rc = sqlite3_step(pStmt))==SQLITE_ROW ){
    for(i=0; i<sqlite3_column_count(pStmt); i++){
      int eType = sqlite3_column_type(pStmt, i);
      const char *z = (const char*)sqlite3_column_text(pStmt, i);
      sqlite3_str_appendf(pOut, "%d:%Q|", eType, z);
    }
    sqlite3_str_appendchar(pOut, 1, '\n');
  }
  sqlite3_finalize(pStmt);
  if( rc!=SQLITE_DONE || sqlite3_str_errcode(pOut) ){
    sqlite3_free(sqlite3_str_finish(pOut));
    return 0;
  }
  sqlite3_str_appendchar(pOut, 1, '.');     /* never NULL when complete */
  return sqlite3_str_finish(pOut);
}

/* ---------------------------------------------------------------------
** Making values and files from the input
*/

/* A part of the input: aData[iOff..iOff+n-1] */
typedef struct Part Part;
struct Part {
  const unsigned char *a;
  size_t n;
};

/* Split a[0..n-1] on SEP into at most NPART parts; return the count. */
static int split_parts(const unsigned char *a, size_t n, Part *aPart){
  int nPart = 0;
  size_t i = 0, iStart = 0, nSep = strlen(SEP);
  while( nPart<NPART-1 && i+nSep<=n ){
    if( memcmp(a+i, SEP, nSep)==0 ){
      aPart[nPart].a = a+iStart;
      aPart[nPart].n = i-iStart;
      nPart++;
      i += nSep;
      iStart = i;
    }else{
      i++;
    }
  }
  aPart[nPart].a = a+iStart;
  aPart[nPart].n = n-iStart;
  return nPart+1;
}

/* Up to 8 bytes of a[] as a little-endian 64-bit integer. */
static uint64_t raw64(const unsigned char *a, size_t n){
  uint64_t v = 0;
  size_t i;
  for(i=0; i<n && i<8; i++) v |= (uint64_t)a[i]<<(8*i);
  return v;
}

/* A NUL-terminated copy of a part (sqlite3_malloc; NULL on OOM). */
static char *part_text(const Part *p){
  return sqlite3_mprintf("%.*s", (int)p->n, p->a);
}

/*
** The value a part stands for, as an unprotected sqlite3_value made by
** a one-row SELECT. Type byte (mod 8): 0 NULL, 1 integer from text,
** 2 integer from raw bytes, 3 real from text, 4 real from raw bytes
** (NaN and infinities too), 5 text, 6 blob, 7 '-'.
*/
static sqlite3_value *make_value(sqlite3 *db, const Part *p){
  sqlite3_stmt *pStmt = 0;
  sqlite3_value *pVal = 0;
  const unsigned char *a = p->n ? p->a+1 : p->a;
  size_t n = p->n ? p->n-1 : 0;
  char *z;
  if( sqlite3_prepare_v2(db, "SELECT ?", -1, &pStmt, 0) ) return 0;
  switch( p->n ? p->a[0]%8 : 0 ){
    case 0: break;
    case 1:
      z = part_text(&(Part){a, n});
      sqlite3_bind_int64(pStmt, 1, z ? strtoll(z, 0, 0) : 0);
      sqlite3_free(z);
      break;
    case 2:
      sqlite3_bind_int64(pStmt, 1, (sqlite3_int64)raw64(a, n));
      break;
    case 3:
      z = part_text(&(Part){a, n});
      sqlite3_bind_double(pStmt, 1, z ? strtod(z, 0) : 0.0);
      sqlite3_free(z);
      break;
    case 4: {
      uint64_t v = raw64(a, n);
      double r;
      memcpy(&r, &v, sizeof(r));
      sqlite3_bind_double(pStmt, 1, r);
      break;
    }
    case 5: sqlite3_bind_text(pStmt, 1, (const char*)a, (int)n,
                              SQLITE_TRANSIENT); break;
    case 6: sqlite3_bind_blob(pStmt, 1, a, (int)n, SQLITE_TRANSIENT); break;
    default: sqlite3_bind_text(pStmt, 1, "-", 1, SQLITE_STATIC); break;
  }
  if( sqlite3_step(pStmt)==SQLITE_ROW ){
    pVal = sqlite3_value_dup(sqlite3_column_value(pStmt, 0));
  }
  sqlite3_finalize(pStmt);
  return pVal;
}

/* Write a[0..n-1] to zDir/zName, gzip-compressed if bGzip. */
static void write_file(const char *zName, const unsigned char *a, size_t n,
                       int bGzip){
  char zFile[128];
  FILE *f;
  snprintf(zFile, sizeof(zFile), "%s/%s", zDir, zName);
  f = fopen(zFile, "wb");
  CHECK( f!=0 );
  if( bGzip ){
    z_stream s;
    size_t nOut = n + n/8 + 128;
    unsigned char *z = malloc(nOut);
    CHECK( z!=0 );
    memset(&s, 0, sizeof(s));
    CHECK( deflateInit2(&s, 6, Z_DEFLATED, 16+MAX_WBITS, 8,
                        Z_DEFAULT_STRATEGY)==Z_OK );
    s.next_in = (Bytef*)a;
    s.avail_in = (uInt)n;
    s.next_out = z;
    s.avail_out = (uInt)nOut;
    CHECK( deflate(&s, Z_FINISH)==Z_STREAM_END );
    CHECK( fwrite(z, 1, nOut - s.avail_out, f)==nOut - s.avail_out );
    deflateEnd(&s);
    free(z);
  }else if( n ){
    CHECK( fwrite(a, 1, n, f)==n );
  }
  CHECK( fclose(f)==0 );
}

/* Remove what write_file() may have made. */
static void remove_files(void){
  static const char *azName[] = { "a.log", "b.log.gz", "sub/c.log" };
  char zFile[128];
  size_t i;
  for(i=0; i<sizeof(azName)/sizeof(azName[0]); i++){
    snprintf(zFile, sizeof(zFile), "%s/%s", zDir, azName[i]);
    CHECK( unlink(zFile)==0 || errno==ENOENT );
  }
}

/*
** The path argument, chosen by bits 2-4 of byte 1: the file, the
** directory, two globs, a path below the directory taken from part 4
** (glob characters and all, but never "..", so it stays inside), the
** gzip copy, a "**" glob for it, and a file that does not exist.
*/
static char *path_for(int iKind, const Part *p4){
  char *zRel;
  switch( iKind ){
    case 0: return sqlite3_mprintf("%s/a.log", zDir);
    case 1: return sqlite3_mprintf("%s", zDir);
    case 2: return sqlite3_mprintf("%s/*.log", zDir);
    case 3: return sqlite3_mprintf("%s/**", zDir);
    case 4: {
      char *zOut;
      zRel = part_text(p4);
      if( zRel && (strstr(zRel, "..") || strlen(zRel)>200) ) zRel[0] = 0;
      zOut = sqlite3_mprintf("%s/%s", zDir, zRel ? zRel : "");
      sqlite3_free(zRel);
      return zOut;
    }
    case 5: return sqlite3_mprintf("%s/b.log.gz", zDir);
    case 6: return sqlite3_mprintf("%s/**/*.gz", zDir);
    default: return sqlite3_mprintf("%s/no-such-file.log", zDir);
  }
}

/* ---------------------------------------------------------------------
** The templates
*/

/* Expressions an aggregate or window call takes its arguments from,
** over a series c(i). */
static const char *azSeriesArg[] = {
  "CASE i%4 WHEN 0 THEN ?1 WHEN 1 THEN ?2 WHEN 2 THEN ?3 ELSE ?4 END",
  "?1 + i*?2",
  "?3",
  "i",
  "?1 || i",
  "CASE WHEN i%3 THEN ?2 END",
  "(?4 + i) % 7",
  "i*i*?1",
};
#define N_SERIES_ARG (int)(sizeof(azSeriesArg)/sizeof(azSeriesArg[0]))

/* Expressions over a vpcflow row that functions take arguments from. */
static const char *azRowArg[] = {
  "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
  "bytes", "start", "end", "action", "log_status", "tcp_flags",
  "start/60", "?1", "?2", "interface_id",
};
#define N_ROW_ARG (int)(sizeof(azRowArg)/sizeof(azRowArg[0]))

/* Window frames */
static const char *azFrame[] = {
  "ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW",
  "ORDER BY i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING",
  "ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW",
  "ORDER BY i DESC ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING",
  "PARTITION BY i%3 ORDER BY i RANGE BETWEEN 3 PRECEDING AND 3 FOLLOWING",
  "ORDER BY i%5 GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING",
  "",
  "ORDER BY i ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
};
#define N_FRAME (int)(sizeof(azFrame)/sizeof(azFrame[0]))

/* Columns and operators of WHERE terms for the push-down comparison. */
static const char *azWhereCol[] = {
  "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
  "bytes", "start", "end", "action", "log_status", "interface_id",
  "account_id", "version", "tcp_flags", "log_file", "log_line",
  "pkt_srcaddr", "flow_direction", "vpc_id",
};
#define N_WHERE_COL (int)(sizeof(azWhereCol)/sizeof(azWhereCol[0]))
static const char *azWhereOp[] = {
  "%s = ?%d", "%s < ?%d", "%s <= ?%d", "%s > ?%d", "%s >= ?%d",
  "%s IS NULL", "%s IS NOT NULL", "%s IN (?1, ?2, ?%d)",
  "ip_in_cidr(%s, ?%d)", "%s = ?%d COLLATE NOCASE", "%s != ?%d",
  "%s BETWEEN ?1 AND ?%d", "%s IN (SELECT ?%d)", "%s = 443 + 0*?%d",
  "%s = '-' AND ?%d", "%s LIKE ?%d",
};
#define N_WHERE_OP (int)(sizeof(azWhereOp)/sizeof(azWhereOp[0]))

/* Fixed queries that stress xBestIndex/xFilter and cursors. */
static const char *azFixed[] = {
  "SELECT * FROM vpcflow WHERE path=?5",
  "SELECT * FROM vpcflow WHERE path=?5 AND format=?1 AND strict=?2",
  "SELECT * FROM vpcflow WHERE path IN (?5, ?1)",
  "SELECT * FROM vpcflow WHERE path>?5",
  "SELECT * FROM vpcflow",
  "SELECT * FROM vpcflow(NULL)",
  "SELECT * FROM vpcflow(?5, NULL, ?1)",
  "SELECT * FROM vpcflow(?5) WHERE path=?1",
  "SELECT count(*) FROM vpcflow(?5) a JOIN vpcflow(?5) b USING(srcport)",
  "SELECT * FROM vpcflow(?5) WHERE srcport=?1 ORDER BY bytes DESC "
    "LIMIT ?2 OFFSET ?3",
  "SELECT a.srcaddr, a.log_line FROM (SELECT ?5 AS p UNION ALL SELECT ?1) x,"
    " vpcflow(x.p) a",
  "SELECT * FROM vpcflow(?5) WHERE log_line=?1 OR rowid=?2",
  "SELECT (SELECT count(*) FROM vpcflow(?5) i WHERE i.srcaddr=o.srcaddr)"
    " FROM vpcflow(?5) o",
  "SELECT * FROM vpcflow_errors WHERE file=?1 OR line>?2 OR reason LIKE ?3",
  "SELECT * FROM vpcflow(?5, (SELECT ?1))",
  "SELECT log_file, log_line, path, format, strict FROM vpcflow(?5, ?1, ?2)"
    " WHERE strict=?2 AND format IS ?1",
  "INSERT INTO vpcflow(path) VALUES(?5)",
  "SELECT * FROM vpcflow_errors(?1)",
  "CREATE VIRTUAL TABLE temp.e USING vpcflow_errors",
  "SELECT * FROM vpcflow(?5, ?1, ?2, ?3)",
  "SELECT max(rowid), min(rowid), count(DISTINCT log_line) FROM vpcflow(?5)",
  "SELECT * FROM vpcflow(?5) NATURAL JOIN vpcflow_errors",
  "SELECT * FROM vpcflow(?5) WHERE strict IN (0, 1, ?1)",
  "WITH RECURSIVE r(n, p) AS (SELECT 0, ?5 UNION ALL SELECT n+1, p FROM r"
    " WHERE n<3) SELECT count(*) FROM r, vpcflow(r.p)",
  /* argument checks, standard input (/dev/null here), DELETE of errors */
  "SELECT * FROM vpcflow(?5, ?1, ?2, ?3, ?4)",
  "SELECT * FROM vpcflow(?5) WHERE extra_arg=?1",
  "SELECT count(*) FROM vpcflow('-', ?1, ?2)",
  "DELETE FROM vpcflow_errors WHERE line=?1 OR file=?2 OR rowid=?3",
  "UPDATE vpcflow_errors SET reason=?1",
};
#define N_FIXED (int)(sizeof(azFixed)/sizeof(azFixed[0]))

/* The "everything at once" query over a file: every function known to
** the harness by name, as an analyst would use them. */
static const char zKitchenSink[] =
  "SELECT srcaddr, count(*), port_breadth(dstport), addr_breadth(dstaddr),"
  " reject_ratio(action), beacon_score(start), beacon_score(start, bytes),"
  " beacon_period(start), sparkline(start/60, bytes),"
  " max(bar(bytes, 0, ?1)), max(bar(packets, ?2, ?3, ?4)),"
  " max(ip_class(srcaddr)), max(is_private(dstaddr)),"
  " max(ip_in_cidr(srcaddr, ?1)), max(pcr(bytes, packets)),"
  " max(tcp_flags_str(tcp_flags)), max(tcp_has(tcp_flags, ?2)),"
  " max(is_syn_only(tcp_flags)), max(protocol_name(protocol)),"
  " vpcflow_version()"
  " FROM vpcflow(?5, ?4) GROUP BY srcaddr";

/* Same functions as window functions over a file. */
static const char zKitchenWindow[] =
  "SELECT srcaddr, port_breadth(dstport) OVER w, addr_breadth(dstaddr)"
  " OVER w, reject_ratio(action) OVER w FROM vpcflow(?5)"
  " WINDOW w AS (PARTITION BY srcaddr ORDER BY start"
  " ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)";

/* A function of the given type chosen by iSel, or 0 if none. */
static const Func *pick_func(int iSel, const char *zTypes){
  int i, n = 0;
  for(i=0; i<nFunc; i++) if( strchr(zTypes, aFunc[i].cType) ) n++;
  if( n==0 ) return 0;
  iSel %= n;
  for(i=0; i<nFunc; i++){
    if( strchr(zTypes, aFunc[i].cType) && iSel--==0 ) return &aFunc[i];
  }
  return 0;
}

/* Argument list of a call to pFunc; argument k is azArg[aSel[k]%nArgExpr]. */
static char *arg_list(const Func *pFunc, int nVar, const unsigned char *aSel,
                      const char **azArg, int nArgExpr){
  int nArg = pFunc->nArg>=0 ? pFunc->nArg : nVar%6, k;
  sqlite3_str *pStr = sqlite3_str_new(0);
  for(k=0; k<nArg; k++){
    if( k ) sqlite3_str_appendall(pStr, ", ");
    sqlite3_str_appendall(pStr, azArg[aSel[k%6]%nArgExpr]);
  }
  return sqlite3_str_finish(pStr);
}

/*
** Run template iTemplate. aCtl[] are the six control bytes, aPart[] the
** parts, aVal[] the values of parts 1-4, zPath the path argument.
*/
static void run_template(sqlite3 *db, int iTemplate, const unsigned char *aCtl,
                         const Part *aPart, sqlite3_value **aVal,
                         const char *zPath){
  int iSelA = aCtl[2], iSelB = aCtl[3], iSelC = aCtl[5];
  /* argument selectors for calls: the control bytes and part 1 */
  unsigned char aSel[6];
  char *zArgs, *zRaw;
  const Func *pFunc;
  int k;
  for(k=0; k<6; k++){
    aSel[k] = (unsigned char)(k<(int)aPart[1].n ? aPart[1].a[k]
                                                : aCtl[(k+2)%6] + k);
  }
  switch( iTemplate ){
    case 0:
      run(db, "SELECT * FROM vpcflow(?5)", aVal, zPath, ROWS_TABLE);
      break;
    case 1:
      run(db, "SELECT * FROM vpcflow(?5, ?1)", aVal, zPath, ROWS_TABLE);
      break;
    case 2:
      run(db, "SELECT * FROM vpcflow(?5, ?1, ?2)", aVal, zPath, ROWS_TABLE);
      break;
    case 3:
      run_free(db, sqlite3_mprintf("SELECT %s FROM vpcflow(?5, ?1, ?2)",
               zAllCols), aVal, zPath, ROWS_ANY);
      break;
    case 4:                 /* CREATE with raw argument text from part 1 */
    case 5: {               /* CREATE with path=, format=%Q, strict=raw */
      zRaw = part_text(&aPart[1]);
      if( zRaw && strlen(zRaw)>400 ) zRaw[400] = 0;
      if( iTemplate==4 ){
        zArgs = sqlite3_mprintf("'%q'%s%s", zPath, zRaw && zRaw[0] ? ", " : "",
                                zRaw ? zRaw : "");
      }else{
        sqlite3_str *pStr = sqlite3_str_new(0);
        char *zFmt = part_text(&aPart[2]);
        char *zStrict = part_text(&aPart[3]);
        sqlite3_str_appendf(pStr, "path='%q'", zPath);
        if( iSelA & 1 ) sqlite3_str_appendf(pStr, ", format=%Q", zFmt);
        if( iSelA & 2 ) sqlite3_str_appendf(pStr, ", strict=%s",
                                            zStrict ? zStrict : "");
        zArgs = sqlite3_str_finish(pStr);
        sqlite3_free(zFmt);
        sqlite3_free(zStrict);
      }
      sqlite3_free(zRaw);
      if( zArgs==0 ) break;
      if( run_free(db, sqlite3_mprintf("CREATE VIRTUAL TABLE temp.t USING "
                   "vpcflow(%s)", zArgs), aVal, zPath, ROWS_ANY)==SQLITE_DONE ){
        run(db, "SELECT * FROM temp.t", aVal, zPath, ROWS_TABLE);
        /* the prepared day's lookups (ext/day_first.c) on bound values */
        run(db, "SELECT * FROM vpcflow_prepare('t', 3)", aVal, zPath, ROWS_ANY);
        run(db, "SELECT * FROM vpcflow_first_record(?1, ?2, ?3, ?4)",
            aVal, zPath, ROWS_ANY);
        run(db, "SELECT r.* FROM temp.t, vpcflow_first_record(srcaddr, ?2, "
                "dstport, start, ?4, ?3) AS r", aVal, zPath, ROWS_ANY);
        run(db, "SELECT log_file, log_line, rowid, * FROM temp.t "
                "WHERE log_line>?1 ORDER BY 3 DESC", aVal, zPath, ROWS_ANY);
        run(db, "SELECT count(*) FROM temp.t a, temp.t b "
                "WHERE a.rowid=b.rowid", aVal, zPath, ROWS_ANY);
        CHECK( run(db, "DROP TABLE temp.t", aVal, zPath, ROWS_ANY)
               !=SQLITE_MISUSE );
      }
      sqlite3_free(zArgs);
      break;
    }
    case 6:                 /* a scalar on bound values */
      pFunc = pick_func(iSelA, "s");
      if( pFunc==0 ) break;
      zArgs = arg_list(pFunc, iSelC, aSel, (const char*[]){"?1", "?2", "?3",
                       "?4", "NULL", "-1", "'-'", "9223372036854775807"}, 8);
      run_free(db, sqlite3_mprintf("SELECT %s(%s)", pFunc->zName,
               zArgs ? zArgs : ""), aVal, zPath, ROWS_ANY);
      sqlite3_free(zArgs);
      break;
    case 7:                 /* an aggregate over a series */
    case 8:                 /* a window function over a series */
      pFunc = pick_func(iSelA, iTemplate==7 ? "aw" : "wa");
      if( pFunc==0 ) break;
      zArgs = arg_list(pFunc, iSelC, aSel, azSeriesArg, N_SERIES_ARG);
      run_free(db, sqlite3_mprintf(
          "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM c "
          "WHERE i<%d) SELECT %s(%s)%s%s%s FROM c%s", iSelB, pFunc->zName,
          zArgs ? zArgs : "", iTemplate==8 ? " OVER (" : "",
          iTemplate==8 ? azFrame[iSelC%N_FRAME] : "",
          iTemplate==8 ? ")" : "", iTemplate==7 && (iSelC&8) ?
          " GROUP BY i%3" : ""), aVal, zPath, ROWS_ANY);
      sqlite3_free(zArgs);
      break;
    case 9:                 /* any function over the rows of the file */
      pFunc = pick_func(iSelA, "saw");
      if( pFunc==0 ) break;
      zArgs = arg_list(pFunc, iSelC, aSel, azRowArg, N_ROW_ARG);
      run_free(db, sqlite3_mprintf("SELECT %s(%s)%s FROM vpcflow(?5, ?3)%s",
               pFunc->zName, zArgs ? zArgs : "",
               pFunc->cType=='w' && (iSelB&1) ?
                 " OVER (PARTITION BY srcaddr ORDER BY start)" : "",
               pFunc->cType!='s' && (iSelB&2) ? " GROUP BY dstport" : ""),
               aVal, zPath, ROWS_ANY);
      sqlite3_free(zArgs);
      break;
    case 10:
      run(db, zKitchenSink, aVal, zPath, ROWS_ANY);
      run(db, zKitchenWindow, aVal, zPath, ROWS_ANY);
      break;
    case 11:                /* a fixed query */
      run(db, azFixed[iSelA%N_FIXED], aVal, zPath, ROWS_ANY);
      break;
    default: {              /* 12: push-down against a native copy */
      sqlite3_str *pW = sqlite3_str_new(0);
      char *zWhere, *zA, *zB, *zRowsA, *zRowsB;
      int nTerm = 1 + iSelB%3;
      for(k=0; k<nTerm; k++){
        int c = aSel[(2*k)%6], o = aSel[(2*k+1)%6];
        if( k ) sqlite3_str_appendall(pW, (iSelC>>k)&1 ? " OR " : " AND ");
        if( (iSelA>>k)&8 ) sqlite3_str_appendall(pW, "NOT ");
        sqlite3_str_appendchar(pW, 1, '(');
        sqlite3_str_appendf(pW, azWhereOp[o%N_WHERE_OP],
                            azWhereCol[c%N_WHERE_COL], 1 + (c>>5)%4);
        sqlite3_str_appendchar(pW, 1, ')');
      }
      zWhere = sqlite3_str_finish(pW);
      if( zWhere==0 ) break;
      zA = sqlite3_mprintf("SELECT %s FROM vpcflow(?5) WHERE %s "
                           "ORDER BY log_file, log_line", zAllCols, zWhere);
      zB = sqlite3_mprintf("SELECT %s FROM temp.n WHERE %s "
                           "ORDER BY log_file, log_line", zAllCols, zWhere);
      if( zA && zB && run_free(db, sqlite3_mprintf("CREATE TEMP TABLE n AS "
                  "SELECT %s FROM vpcflow(?5)", zAllCols), aVal, zPath,
                  ROWS_ANY)==SQLITE_DONE ){
        zRowsA = run_collect(db, zA, aVal, zPath);
        zRowsB = run_collect(db, zB, aVal, zPath);
        if( zRowsA && zRowsB && !bOomInput && strcmp(zRowsA, zRowsB)!=0 ){
          fprintf(stderr, "push-down differs for WHERE %s\n"
                  "vpcflow:\n%s\nnative copy:\n%s\n", zWhere, zRowsA, zRowsB);
          CHECK( !"push-down result equals the native copy's" );
        }
        sqlite3_free(zRowsA);
        sqlite3_free(zRowsB);
      }
      sqlite3_free(zA);
      sqlite3_free(zB);
      sqlite3_free(zWhere);
      break;
    }
  }
}
#define N_TEMPLATE 13

/* ---------------------------------------------------------------------
** Start-up and the entry point
*/

/* Open a connection with vpcflow loaded, limited and bounded. */
static sqlite3 *open_db(void){
  sqlite3 *db = 0;
  char *zErr = 0;
  if( sqlite3_open(":memory:", &db)!=SQLITE_OK ){
    sqlite3_close(db);
    return 0;
  }
  if( sqlite3_vpcflow_init(db, &zErr, 0)!=SQLITE_OK ){
    sqlite3_free(zErr);
    CHECK( sqlite3_close(db)==SQLITE_OK );
    return 0;
  }
  CHECK( zErr==0 );
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 100000);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 20000);
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 50);
  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 8);
  sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 20000);
  sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 8);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_progress_handler(db, 100, progress_cb, 0);
  return db;
}

/* Learn the functions vpcflow adds: those in pragma_function_list with
** the extension loaded that are not there without it. */
static void learn_functions(void){
  sqlite3 *db = 0;
  sqlite3_stmt *pStmt = 0;
  static const char zSql[] =
    "SELECT name, narg, type FROM pragma_function_list "
    "WHERE type IN ('s','a','w') AND name NOT IN (SELECT name FROM temp.f) "
    "ORDER BY name, narg";
  CHECK( sqlite3_open(":memory:", &db)==SQLITE_OK );
  CHECK( sqlite3_exec(db, "CREATE TEMP TABLE f AS SELECT name "
                      "FROM pragma_function_list", 0, 0, 0)==SQLITE_OK );
  CHECK( sqlite3_vpcflow_init(db, 0, 0)==SQLITE_OK );
  CHECK( sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0)==SQLITE_OK );
  while( sqlite3_step(pStmt)==SQLITE_ROW && nFunc<MAX_FUNCS ){
    Func *p = &aFunc[nFunc++];
    snprintf(p->zName, sizeof(p->zName), "%s",
             (const char*)sqlite3_column_text(pStmt, 0));
    p->nArg = sqlite3_column_int(pStmt, 1);
    p->cType = ((const char*)sqlite3_column_text(pStmt, 2))[0];
  }
  sqlite3_finalize(pStmt);
  CHECK( nFunc>0 );
  CHECK( sqlite3_close(db)==SQLITE_OK );
}

/* At exit: remove this process's directory (a crash leaves it behind). */
static void remove_dir(void){
  char zSub[80];
  remove_files();
  snprintf(zSub, sizeof(zSub), "%s/sub", zDir);
  rmdir(zSub);
  rmdir(zDir);
}

int LLVMFuzzerInitialize(int *pArgc, char ***pArgv){
  static sqlite3_mem_methods oomMem = {
    oomMalloc, oomFree, oomRealloc, oomSize, oomRoundup, oomInit,
    oomShutdown, 0
  };
  sqlite3_str *pStr;
  int i;
  (void)pArgc; (void)pArgv;
  /* vpcflow('-') reads standard input: make it empty, never a terminal
  ** or a pipe a run would wait on */
  CHECK( freopen("/dev/null", "r", stdin)!=0 );
  CHECK( sqlite3_config(SQLITE_CONFIG_GETMALLOC, &defaultMem)==SQLITE_OK );
  CHECK( sqlite3_config(SQLITE_CONFIG_MALLOC, &oomMem)==SQLITE_OK );
  CHECK( sqlite3_initialize()==SQLITE_OK );
  snprintf(zDir, sizeof(zDir), "/tmp/vpcflow-fuzz-sql-%d", (int)getpid());
  CHECK( mkdir(zDir, 0700)==0 || errno==EEXIST );
  {
    char zSub[80];
    snprintf(zSub, sizeof(zSub), "%s/sub", zDir);
    CHECK( mkdir(zSub, 0700)==0 || errno==EEXIST );
  }
  atexit(remove_dir);
  learn_functions();
  /* every column of the table-valued form, by name */
  pStr = sqlite3_str_new(0);
  sqlite3_str_appendall(pStr, "path, format, strict, log_file, log_line");
  for(i=0; i<vf_catalog_count(); i++){
    const char *z = vf_catalog_field(i)->zName;
    sqlite3_str_appendall(pStr, ", \"");
    for(; *z; z++) sqlite3_str_appendchar(pStr, 1, *z=='-' ? '_' : *z);
    sqlite3_str_appendall(pStr, "\"");
  }
  {
    /* the dt column, where this version has it */
    sqlite3 *db = open_db();
    sqlite3_stmt *pStmt = 0;
    CHECK( db!=0 );
    if( sqlite3_prepare_v2(db, "SELECT dt FROM vpcflow('x')", -1, &pStmt,
                           0)==SQLITE_OK ){
      sqlite3_str_appendall(pStr, ", dt");
    }
    sqlite3_finalize(pStmt);
    CHECK( sqlite3_close(db)==SQLITE_OK );
  }
  zAllCols = sqlite3_str_finish(pStr);
  CHECK( zAllCols!=0 );
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *aData, size_t nData){
  unsigned char aCtl[6] = {0, 0, 0, 0, 0, 0};
  Part aPart[NPART];
  sqlite3_value *aVal[4] = {0, 0, 0, 0};
  sqlite3 *db;
  char *zPath;
  size_t nCtl = nData<6 ? nData : 6;
  int i;

  memcpy(aCtl, aData, nCtl);
  memset(aPart, 0, sizeof(aPart));
  split_parts(aData+nCtl, nData-nCtl, aPart);
  bUtf8In = 1;
  for(i=1; i<NPART; i++){
    if( !is_utf8((const char*)aPart[i].a, aPart[i].n) ) bUtf8In = 0;
  }
  bUtf8Files = is_utf8((const char*)aPart[0].a, aPart[0].n)
            && is_utf8((const char*)aPart[5].a, aPart[5].n);
  write_file("a.log", aPart[0].a, aPart[0].n, 0);
  if( aCtl[1] & 1 ) write_file("b.log.gz", aPart[0].a, aPart[0].n, 1);
  if( aCtl[1] & 2 ){
    const Part *p = aPart[5].a ? &aPart[5] : &aPart[0];
    write_file("sub/c.log", p->a, p->n, 0);
  }

  nProgress = 0;
  db = open_db();
  CHECK( db!=0 );
  for(i=0; i<4; i++) aVal[i] = make_value(db, &aPart[i+1]);
  zPath = path_for((aCtl[1]>>2) & 7, &aPart[4]);
  CHECK( zPath!=0 );
  bOomInput = (aCtl[1] & 0x20)!=0;
  if( bOomInput ){
    nOomCountdown = aCtl[4]*4;
    bOomPersist = (aCtl[1] & 0x40)!=0;
    bOomArmed = 1;
  }
  run_template(db, aCtl[0] % N_TEMPLATE, aCtl, aPart, aVal, zPath);
  run(db, "SELECT * FROM vpcflow_errors", aVal, zPath, ROWS_ERRORS);
  bOomArmed = 0;

  sqlite3_free(zPath);
  for(i=0; i<4; i++) sqlite3_value_free(aVal[i]);
  CHECK( sqlite3_close(db)==SQLITE_OK );
  remove_files();
  return 0;
}
