/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** parquet.c - read an AWS VPC Flow Logs Parquet file as text lines (the
** contract is in parquet.h).
**
** Usage, from C:
**
**   VfParquet *p; char zErr[300]; const char *z; size_t n; int rc;
**   if( vf_parquet_open("x.log.parquet", &p, zErr, sizeof(zErr)) ) fail(zErr);
**   vf_parquet_header(p, &z, &n);          ... "version account_id ..." ...
**   vf_parquet_select(p, azUsed, nUsed);   ... optional ...
**   vf_parquet_prune(p, "start", lo, hi);  ... optional ...
**   while( (rc = vf_parquet_next_row(p, &z, &n))!=VF_LINE_EOF ){
**     if( rc==VF_LINE_ERROR ){ fail(vf_parquet_errmsg(p)); break; }
**     ... rc is OK (z[0..n-1] is a row) or VF_PARQUET_BADROW (a reason) ...
**   }
**   vf_parquet_close(p);
**
** WHAT IS SUPPORTED
**
** Exactly what flow-log Parquet files use, plus what common writers
** (Arrow, DuckDB, parquet-mr) put in such flat tables:
**
**   - the Thrift compact protocol footer (FileMetaData), unknown fields
**     skipped, nesting depth and list sizes bounded;
**   - flat schemas: every column a REQUIRED or OPTIONAL leaf of the root;
**   - physical types INT32, INT64 (decimal text, unsigned when annotated
**     UINT_*), BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY (bytes as they are),
**     BOOLEAN (1 or 0), FLOAT and DOUBLE (%.9g and %.17g);
**   - data pages v1 and v2, dictionary pages, RLE definition levels;
**   - encodings PLAIN, PLAIN_DICTIONARY and RLE_DICTIONARY (RLE/bit-packed
**     hybrid indices), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and
**     DELTA_BYTE_ARRAY (DuckDB and parquet-mr write these in v2 files);
**   - codecs UNCOMPRESSED, GZIP (zlib) and SNAPPY (a small decoder below:
**     the format is a few lines, and a library would be one more
**     dependency for every build); ZSTD through libzstd when <zstd.h> is
**     present at build time (the Makefile then links -lzstd): DuckDB,
**     Spark and Glue often choose it when they rewrite flow logs.
**
** Everything else is an error that names the file and the feature:
** nested, repeated or encrypted columns, column data in another file,
** INT96 and DECIMAL values, other encodings and codecs (LZ4, BROTLI,
** LZO, and ZSTD in a build without libzstd). A codec is checked for every
** column chunk when the file is opened, not when a column is first read:
** otherwise count(*), which reads no column, would count the rows of a
** file whose values SELECT * cannot read. An error in the footer fails
** vf_parquet_open(); one in
** the pages of a column fails vf_parquet_next_row() when that column of
** that row group is first needed, so the columns a query does not use and
** the row groups it skips are never looked at.
**
** HOW IT WORKS
**
** vf_parquet_open() reads the footer (one pread) and keeps a compact copy
** of what matters: the columns, and per row group and column the byte
** range of the chunk, its codec and its min/max/null-count statistics.
** Rows are then produced one at a time. Each selected column has a cursor
** (PqCol) that owns the current page: a page header is read through a
** small window that grows only as far as the header needs, the page is
** read and decompressed whole (at most VF_PARQUET_MAX_PAGE bytes), and
** its definition levels and values are decoded lazily, one value per row,
** by streaming decoders (PqRle, PqDbp) that never expand a run. So memory
** is a few pages per selected column, whatever the row counts and run
** lengths claim. Lengths and offsets from the file are checked before use.
**
** A row whose value cannot be one space-free token (an empty string, or a
** string with a space or control byte) is still decoded, so that every
** column stays on the same row, and is then reported as
** VF_PARQUET_BADROW with a message instead of the line.
**
** Row group skipping: vf_parquet_prune*() record constraints; when a row
** group starts, its statistics are compared with them and the group is
** skipped without reading any page if no row can pass. Row numbers still
** count the skipped rows, so log_line never depends on the query.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>
#include "parquet.h"

/* ZSTD pages are read only when libzstd's header was there at build
** time; the Makefile links -lzstd in the same case. */
#if defined(__has_include)
# if __has_include(<zstd.h>)
#  include <zstd.h>
#  define PQ_HAVE_ZSTD 1
# endif
#endif
#ifndef PQ_HAVE_ZSTD
# define PQ_HAVE_ZSTD 0
#endif

/* Codec numbers of the Thrift CompressionCodec enum that are read. */
#define PQ_CODEC_NONE    0
#define PQ_CODEC_SNAPPY  1
#define PQ_CODEC_GZIP    2
#define PQ_CODEC_ZSTD    6

#ifndef SQLITEINT_H
typedef unsigned char u8;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t i64;
#endif

#define PQ_MAX_DEPTH   24          /* Thrift struct/list nesting */
#define PQ_MAX_PRUNE   32          /* constraints of vf_parquet_prune*() */
#define PQ_HDR_WINDOW  (16*1024)   /* first read of a page header */
#define PQ_MAX_HDR     (16<<20)    /* largest page header (statistics) */
#define PQ_MAX_BLOCK   (1<<20)     /* largest DELTA_BINARY_PACKED block */
#define PQ_ERRROOM     300         /* message room beyond the path */

/* Parquet physical types (parquet.thrift "Type") */
#define PQ_BOOLEAN 0
#define PQ_INT32   1
#define PQ_INT64   2
#define PQ_INT96   3
#define PQ_FLOAT   4
#define PQ_DOUBLE  5
#define PQ_BYTES   6
#define PQ_FIXED   7

/* Encodings (parquet.thrift "Encoding") */
#define PQ_ENC_PLAIN      0
#define PQ_ENC_PLAINDICT  2
#define PQ_ENC_RLE        3
#define PQ_ENC_BITPACKED  4
#define PQ_ENC_DBP        5
#define PQ_ENC_DLBA       6
#define PQ_ENC_DBA        7
#define PQ_ENC_RLEDICT    8

/* Page types */
#define PQ_PAGE_DATA  0
#define PQ_PAGE_DICT  2
#define PQ_PAGE_DATA2 3

/* Thrift compact protocol wire types */
#define TC_STOP   0
#define TC_TRUE   1
#define TC_FALSE  2
#define TC_BYTE   3
#define TC_I16    4
#define TC_I32    5
#define TC_I64    6
#define TC_DOUBLE 7
#define TC_BINARY 8
#define TC_LIST   9
#define TC_SET    10
#define TC_MAP    11
#define TC_STRUCT 12

/* PqThrift.eErr */
#define TE_SHORT 1                 /* ran past the end of the bytes */
#define TE_BAD   2                 /* malformed */

/* Kinds of prune constraint */
#define PQ_PRUNE_INT   0
#define PQ_PRUNE_EPOCH 1
#define PQ_PRUNE_TEXT  2

/* Where the vpcflow table starts reading a value as milliseconds. */
#define PQ_EPOCH_MS 100000000000LL

/* ---------------------------------------------------------------------
** Thrift compact protocol decoder
**
** Every reader sets t->eErr on failure and then returns zeros, so the
** struct parsers can run on and check once at the end. TE_SHORT means the
** bytes ended too soon: for a page header read through a window that is
** a cue to read more; anywhere else it is corruption.
*/
typedef struct PqThrift PqThrift;
struct PqThrift {
  const u8 *a;                 /* the encoded bytes */
  size_t n;                    /* their number */
  size_t i;                    /* next byte to read */
  int eErr;                    /* 0, TE_SHORT or TE_BAD */
  int nDepth;                  /* structs and lists open now */
};

static void tc_fail(PqThrift *t, int e){
  if( t->eErr==0 ) t->eErr = e;
}

/* Read an unsigned LEB128 varint of at most 10 bytes. */
static u64 tc_varint(PqThrift *t){
  u64 v = 0;
  int sh;
  for(sh=0; sh<70; sh+=7){
    u8 c;
    if( t->eErr ) return 0;
    if( t->i>=t->n ){ tc_fail(t, TE_SHORT); return 0; }
    c = t->a[t->i++];
    if( sh==63 && c>1 ){ tc_fail(t, TE_BAD); return 0; }
    v |= (u64)(c & 0x7f) << sh;
    if( (c & 0x80)==0 ) return v;
  }
  tc_fail(t, TE_BAD);
  return 0;
}

/* A zigzag-encoded signed integer (i16, i32 and i64 all use this). */
static i64 tc_zigzag(PqThrift *t){
  u64 v = tc_varint(t);
  return (i64)(v>>1) ^ -(i64)(v & 1);
}

/* An i32 field: zigzag, and in range. */
static int tc_i32(PqThrift *t){
  i64 v = tc_zigzag(t);
  if( v<INT32_MIN || v>INT32_MAX ){ tc_fail(t, TE_BAD); return 0; }
  return (int)v;
}

/* A binary or string: set *pz,*pn to the bytes inside t->a. */
static void tc_binary(PqThrift *t, const u8 **pz, size_t *pn){
  u64 n = tc_varint(t);
  *pz = 0;
  *pn = 0;
  if( t->eErr ) return;
  if( n>t->n - t->i ){ tc_fail(t, TE_SHORT); return; }
  *pz = t->a + t->i;
  *pn = (size_t)n;
  t->i += (size_t)n;
}

/*
** Read a field header. Return its wire type (TC_STOP at the end of the
** struct, or on error) and set *piId. *piLast is the previous field id of
** this struct, for the delta encoding of ids.
*/
static int tc_field(PqThrift *t, int *piLast, int *piId){
  u8 c;
  int e, d;
  *piId = 0;
  if( t->eErr ) return TC_STOP;
  if( t->i>=t->n ){ tc_fail(t, TE_SHORT); return TC_STOP; }
  c = t->a[t->i++];
  e = c & 0x0f;
  if( e==TC_STOP ) return TC_STOP;
  d = c>>4;
  if( d ){
    *piId = *piLast + d;
  }else{
    i64 v = tc_zigzag(t);
    if( v<INT16_MIN || v>INT16_MAX ){ tc_fail(t, TE_BAD); return TC_STOP; }
    *piId = (int)v;
  }
  if( e>TC_STRUCT ){ tc_fail(t, TE_BAD); return TC_STOP; }
  *piLast = *piId;
  return t->eErr ? TC_STOP : e;
}

/*
** Read a list or set header: element type into *peElem, return the count.
** Every element takes at least one byte, so a count beyond the bytes left
** cannot be right; this bounds every loop and allocation that follows.
*/
static i64 tc_list(PqThrift *t, int *peElem){
  u8 c;
  u64 n;
  *peElem = 0;
  if( t->eErr ) return 0;
  if( t->i>=t->n ){ tc_fail(t, TE_SHORT); return 0; }
  c = t->a[t->i++];
  n = c>>4;
  if( n==15 ) n = tc_varint(t);
  *peElem = c & 0x0f;
  if( *peElem==TC_STOP || *peElem>TC_STRUCT ){ tc_fail(t, TE_BAD); return 0; }
  if( n>t->n - t->i ){ tc_fail(t, TE_SHORT); return 0; }
  return t->eErr ? 0 : (i64)n;
}

static void tc_skip(PqThrift *t, int e, int bElem);

/* Skip the rest of a struct whose field headers start at t->i. */
static void tc_skip_struct(PqThrift *t){
  int iLast = 0, iId, e;
  if( ++t->nDepth>PQ_MAX_DEPTH ){ tc_fail(t, TE_BAD); return; }
  while( (e = tc_field(t, &iLast, &iId))!=TC_STOP ) tc_skip(t, e, 0);
  t->nDepth--;
}

/*
** Skip one value of wire type e. bElem: the value is a list element,
** where a boolean takes one byte (in a field it lives in the type nibble).
*/
static void tc_skip(PqThrift *t, int e, int bElem){
  if( t->eErr ) return;
  switch( e ){
    case TC_TRUE:
    case TC_FALSE:
      if( bElem ){
        if( t->i>=t->n ){ tc_fail(t, TE_SHORT); return; }
        t->i++;
      }
      break;
    case TC_BYTE:
      if( t->i>=t->n ){ tc_fail(t, TE_SHORT); return; }
      t->i++;
      break;
    case TC_I16:
    case TC_I32:
    case TC_I64:
      tc_varint(t);
      break;
    case TC_DOUBLE:
      if( t->n - t->i<8 ){ tc_fail(t, TE_SHORT); return; }
      t->i += 8;
      break;
    case TC_BINARY: {
      const u8 *z;
      size_t n;
      tc_binary(t, &z, &n);
      break;
    }
    case TC_LIST:
    case TC_SET: {
      int eElem;
      i64 k, n = tc_list(t, &eElem);
      if( ++t->nDepth>PQ_MAX_DEPTH ){ tc_fail(t, TE_BAD); return; }
      for(k=0; k<n && t->eErr==0; k++) tc_skip(t, eElem, 1);
      t->nDepth--;
      break;
    }
    case TC_MAP: {
      u64 k, n = tc_varint(t);
      int eKey = 0, eVal = 0;
      if( n>t->n - t->i ){ tc_fail(t, TE_SHORT); return; }
      if( n>0 ){
        if( t->i>=t->n ){ tc_fail(t, TE_SHORT); return; }
        eKey = t->a[t->i]>>4;
        eVal = t->a[t->i] & 0x0f;
        t->i++;
        if( eKey==TC_STOP || eKey>TC_STRUCT
         || eVal==TC_STOP || eVal>TC_STRUCT ){
          tc_fail(t, TE_BAD);
          return;
        }
      }
      if( ++t->nDepth>PQ_MAX_DEPTH ){ tc_fail(t, TE_BAD); return; }
      for(k=0; k<n && t->eErr==0; k++){
        tc_skip(t, eKey, 1);
        tc_skip(t, eVal, 1);
      }
      t->nDepth--;
      break;
    }
    case TC_STRUCT:
      tc_skip_struct(t);
      break;
    default:
      tc_fail(t, TE_BAD);
      break;
  }
}

/*
** Check that field wire type e is eWant; if not, the file is not what it
** claims to be. Return 1 if it is.
*/
static int tc_want(PqThrift *t, int e, int eWant){
  if( e==eWant ) return 1;
  /* Booleans: either nibble is the one type */
  if( eWant==TC_TRUE && e==TC_FALSE ) return 1;
  tc_fail(t, TE_BAD);
  return 0;
}

/* Read an i64 field value of wire type e (i32 accepted too). */
static i64 tc_int_field(PqThrift *t, int e){
  if( e==TC_I32 || e==TC_I64 || e==TC_I16 ) return tc_zigzag(t);
  tc_fail(t, TE_BAD);
  return 0;
}

/* Enter and leave a struct while parsing it field by field. */
static int tc_enter(PqThrift *t){
  if( ++t->nDepth>PQ_MAX_DEPTH ){ tc_fail(t, TE_BAD); return 0; }
  return t->eErr==0;
}
static void tc_leave(PqThrift *t){
  t->nDepth--;
}

/* ---------------------------------------------------------------------
** Objects
*/
typedef struct PqChunk PqChunk;
typedef struct PqGroup PqGroup;
typedef struct PqCol PqCol;
typedef struct PqRle PqRle;
typedef struct PqDbp PqDbp;
typedef struct PqPrune PqPrune;
typedef struct PqVal PqVal;

/* One column chunk of one row group, as the footer describes it */
struct PqChunk {
  i64 iStart;                  /* offset of its first page */
  i64 nBytes;                  /* bytes of all its pages */
  i64 nValue;                  /* values, NULLs included */
  i64 nNull;                   /* NULLs, if bNull */
  const u8 *aMin, *aMax;       /* statistics (PLAIN bytes, in the footer) */
  u32 nMin, nMax;              /* their sizes */
  u8 eCodec;                   /* compression codec */
  u8 bNull;                    /* nNull is known */
  u8 bMin, bMax;               /* aMin, aMax are known */
  u8 bOrdered;                 /* min_value/max_value (not legacy min/max) */
};

/* One row group */
struct PqGroup {
  i64 nRow;                    /* rows in the group */
  PqChunk *aChunk;             /* one per column */
};

/*
** Decoder of the RLE/bit-packed hybrid encoding (definition levels and
** dictionary indices). A run is never expanded: a bit-packed run is read
** in place, value by value.
*/
struct PqRle {
  const u8 *a;                 /* encoded bytes */
  size_t n;                    /* their number */
  size_t i;                    /* next run header */
  int nBit;                    /* bit width of a value, 0..32 */
  int bPacked;                 /* the current run is bit-packed */
  u64 nRun;                    /* values left in the current run */
  u64 iBit;                    /* bit-packed: bit offset of the next value */
  u32 v;                       /* RLE run: its value */
};

/* Streaming decoder of DELTA_BINARY_PACKED (parquet Encodings.md) */
struct PqDbp {
  const u8 *a;                 /* encoded bytes */
  size_t n;                    /* their number */
  size_t i;                    /* next block header or miniblock */
  u64 nBlock;                  /* values per block */
  u64 nMini;                   /* miniblocks per block */
  u64 nPerMini;                /* values per miniblock */
  u64 nTotal;                  /* values in all */
  u64 nDone;                   /* values returned */
  u64 iLast;                   /* previous value (wrapping arithmetic) */
  u64 iMinDelta;               /* min delta of the current block */
  const u8 *aWidth;            /* bit widths of its miniblocks */
  u64 iMini;                   /* current miniblock (nMini: none) */
  u64 nInMini;                 /* values left in it */
  u64 iBit;                    /* bit offset of its next value */
  int nWidth;                  /* its bit width */
  size_t iEnd;                 /* first byte after the encoded values */
};

/* A decoded value: which member applies depends on the column type */
struct PqVal {
  int bNull;                   /* NULL */
  i64 i;                       /* BOOLEAN, INT32, INT64 */
  double r;                    /* FLOAT, DOUBLE */
  const u8 *z;                 /* BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY */
  size_t n;                    /* their length */
};

/* A column and, while a row group is read, its cursor */
struct PqCol {
  char *zName;                 /* name, NUL-terminated */
  int eType;                   /* physical type */
  int nFixed;                  /* FIXED_LEN_BYTE_ARRAY length */
  int bOptional;               /* OPTIONAL: has definition levels */
  int bUnsigned;               /* UINT_* annotation */
  const char *zUnsup;          /* unsupported annotation, or 0 */
  int bSel;                    /* decode it (else it reads as NULL) */

  /* Cursor over the column chunk of the current row group */
  i64 iPos;                    /* next page header */
  i64 iEnd;                    /* end of the chunk */
  int eCodec;                  /* codec of the chunk */
  int bData;                   /* a data page was seen */
  u8 *aHdr; size_t nHdr;       /* page header window and its size */
  u8 *aRaw; size_t nRaw;       /* page as stored, and allocated size */
  u8 *aPage; size_t nPage;     /* page decompressed */
  u8 *aDict; size_t nDictBuf;  /* dictionary page decompressed */
  u32 *aDictOff;               /* BYTE_ARRAY dictionary: offset, length */
  i64 nDict;                   /* dictionary entries (-1: no dictionary) */
  z_stream zs;                 /* inflater, reused from page to page */
  int bZs;                     /* zs is initialised */
#if PQ_HAVE_ZSTD
  ZSTD_DCtx *pZstd;            /* ZSTD decoder, reused, or NULL */
#endif

  /* The current data page */
  i64 nLeft;                   /* values (NULLs included) left */
  int bDef;                    /* definition levels present */
  PqRle def;                   /* definition levels */
  int eEnc;                    /* value encoding */
  const u8 *aVal; size_t nVal; /* encoded values */
  size_t iVal;                 /* PLAIN: next byte */
  u64 iBool;                   /* PLAIN BOOLEAN: next bit */
  PqRle idx;                   /* dictionary indices */
  PqDbp dbp;                   /* DELTA_*: integers, lengths or prefixes */
  PqDbp dbp2;                  /* DELTA_BYTE_ARRAY: suffix lengths */
  u8 *aPrev; size_t nPrev;     /* DELTA_BYTE_ARRAY: previous value */
  size_t nPrevAlloc;           /* allocated size of aPrev */
};

/* A constraint of vf_parquet_prune*() */
struct PqPrune {
  int iCol;                    /* column */
  int eKind;                   /* PQ_PRUNE_* */
  i64 lo, hi;                  /* integer range */
  char *zLo, *zHi;             /* text range (either may be 0) */
};

struct VfParquet {
  char *zPath;                 /* file name */
  int fd;                      /* file descriptor (-1 with pIo) */
  VfParquetIo *pIo;            /* byte source of vf_parquet_open_io(), or 0 */
  u64 nSize;                   /* file size */
  u8 *aFooter;                 /* the footer (statistics point into it) */
  int nCol;                    /* columns */
  PqCol *aCol;                 /* the columns */
  int nGroup;                  /* row groups */
  PqGroup *aGroup;             /* the row groups */
  i64 nRowTotal;               /* rows in the file */
  int bColumnOrder;            /* footer has column_orders */
  char *zHeader;               /* header line */
  size_t nHeader;              /* its length */
  char *zLine;                 /* the current row as a line */
  size_t nLine;                /* its length */
  int bLong;                   /* the row does not fit in zLine */
  char zBad[160];              /* the reason of a VF_PARQUET_BADROW */
  int iGroup;                  /* current row group (-1 before) */
  i64 iRowInGroup;             /* rows of it returned */
  i64 iRow;                    /* rows of the file passed (incl. skipped) */
  int nSkipped;                /* row groups skipped */
  i64 nPageRead;               /* pages read (headers parsed) */
  int bStarted;                /* a row was asked for */
  int eState;                  /* VF_LINE_OK, or EOF/ERROR when done */
  int bHeaderOut;              /* vf_format_parquet gave the header line */
  u64 iOffset;                 /* progress: end of the current group */
  int nPrune;                  /* constraints */
  PqPrune aPrune[PQ_MAX_PRUNE];/* the constraints */
  char *zErr;                  /* the error message, "" if none */
  int nErr;                    /* size of zErr */
};

/* ---------------------------------------------------------------------
** Small helpers
*/

/* Record an error "'PATH': ..." for the caller. Return VF_LINE_ERROR. */
static int pq_error(VfParquet *p, const char *zFmt, ...){
  va_list ap;
  int n;
  sqlite3_snprintf(p->nErr, p->zErr, "'%s': ", p->zPath);
  n = (int)strlen(p->zErr);
  va_start(ap, zFmt);
  sqlite3_vsnprintf(p->nErr - n, p->zErr + n, zFmt, ap);
  va_end(ap);
  p->eState = VF_LINE_ERROR;
  return VF_LINE_ERROR;
}

/* Little-endian loads */
static u32 pq_le32(const u8 *a){
  return (u32)a[0] | (u32)a[1]<<8 | (u32)a[2]<<16 | (u32)a[3]<<24;
}
static u64 pq_le64(const u8 *a){
  return (u64)pq_le32(a) | (u64)pq_le32(a+4)<<32;
}

/* pq_pread(): the file ended before the bytes asked for */
#define PQ_SHORT (-1)
/* pq_pread(): the byte source (VfParquetIo) failed; p->zErr says why */
#define PQ_IOERR (-2)

/*
** Read n bytes at offset iOff into a. Return 0 on success, else an errno
** value, or PQ_SHORT if the file ends too soon (pq_read_error says why),
** or PQ_IOERR. iAhead is where the caller's forward reading will stop
** (the end of the column chunk or of the file): passed to a byte source
** (parquet.h), for which it is the most worth fetching now.
*/
static int pq_pread(VfParquet *p, u64 iOff, void *a, size_t n, u64 iAhead){
  size_t nDone = 0;
  if( p->pIo ){
    char zWhy[1024];
    zWhy[0] = 0;
    if( iOff>p->nSize || n>p->nSize-iOff ) return PQ_SHORT;
    if( p->pIo->xRead(p->pIo, iOff, a, n, iAhead, zWhy, sizeof(zWhy)) ){
      pq_error(p, "%s", zWhy[0] ? zWhy : "read error");
      return PQ_IOERR;
    }
    return 0;
  }
  while( nDone<n ){
    ssize_t k = pread(p->fd, (char*)a + nDone, n - nDone,
                      (off_t)(iOff + nDone));
    if( k<0 ){
      if( errno==EINTR ) continue;
      return errno ? errno : EIO;
    }
    if( k==0 ) return PQ_SHORT;
    nDone += (size_t)k;
  }
  return 0;
}

/*
** Report a failed pq_pread() of the bytes at iOff. The footer said where
** the data is, within the size the file had when opened: a file that now
** ends before iOff got shorter while being read (a truncation, a copy
** over it), which is what the message says, rather than "Input/output
** error". Return VF_LINE_ERROR.
*/
static int pq_read_error(VfParquet *p, int rc, u64 iOff){
  struct stat st;
  if( rc==PQ_IOERR ) return VF_LINE_ERROR;     /* said by pq_pread() */
  if( rc==PQ_SHORT ){
    if( p->fd>=0 && fstat(p->fd, &st)==0 && (u64)st.st_size<p->nSize ){
      return pq_error(p, "file got shorter while being read: %llu bytes "
          "when opened, %llu now (seen at byte %llu)",
          (unsigned long long)p->nSize, (unsigned long long)st.st_size,
          (unsigned long long)iOff);
    }
    return pq_error(p, "file ends before byte %llu, where its footer says "
                    "data is", (unsigned long long)iOff);
  }
  return pq_error(p, "read error: %s", strerror(rc));
}

/* Make *pa hold at least n bytes (contents not kept). 0 or SQLITE_NOMEM */
static int pq_reserve(u8 **pa, size_t *pnAlloc, size_t n){
  u8 *aNew;
  if( n<=*pnAlloc && *pa ) return 0;
  if( n<4096 ) n = 4096;
  aNew = sqlite3_malloc64(n);
  if( aNew==0 ) return SQLITE_NOMEM;
  sqlite3_free(*pa);
  *pa = aNew;
  *pnAlloc = n;
  return 0;
}

/* 1 if pages compressed with codec e can be read by this build. */
static int pq_codec_supported(int e){
  return e==PQ_CODEC_NONE || e==PQ_CODEC_SNAPPY || e==PQ_CODEC_GZIP
      || (PQ_HAVE_ZSTD && e==PQ_CODEC_ZSTD);
}

/* Names of the codecs and encodings, for messages */
static const char *pq_codec_name(int e){
  static const char *az[] = {
    "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD",
    "LZ4_RAW"
  };
  return e>=0 && e<(int)(sizeof(az)/sizeof(az[0])) ? az[e] : "unknown";
}
static const char *pq_encoding_name(int e){
  static const char *az[] = {
    "PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED",
    "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY",
    "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"
  };
  return e>=0 && e<(int)(sizeof(az)/sizeof(az[0])) ? az[e] : "unknown";
}

/* 1 if names a and b match: case-insensitive, '-' equal to '_' */
static int pq_name_eq(const char *a, const char *b){
  for(;; a++, b++){
    int x = (unsigned char)*a, y = (unsigned char)*b;
    if( x=='-' ) x = '_';
    if( y=='-' ) y = '_';
    if( x>='A' && x<='Z' ) x += 32;
    if( y>='A' && y<='Z' ) y += 32;
    if( x!=y ) return 0;
    if( x==0 ) return 1;
  }
}

/* Index of the column named zName, or -1 */
static int pq_find_col(const VfParquet *p, const char *zName){
  int i;
  if( zName==0 ) return -1;
  for(i=0; i<p->nCol; i++){
    if( pq_name_eq(p->aCol[i].zName, zName) ) return i;
  }
  return -1;
}

/* ---------------------------------------------------------------------
** Footer
*/

/* Parse a Statistics struct into pC. */
static void pq_read_stats(PqThrift *t, PqChunk *pC){
  int iLast = 0, iId, e;
  const u8 *aOldMin = 0, *aOldMax = 0;
  size_t nOldMin = 0, nOldMax = 0, n = 0;
  int bOldMin = 0, bOldMax = 0;
  if( !tc_enter(t) ) return;
  while( (e = tc_field(t, &iLast, &iId))!=TC_STOP ){
    switch( iId ){
      case 1:                              /* max (legacy) */
        if( tc_want(t, e, TC_BINARY) ) tc_binary(t, &aOldMax, &nOldMax);
        bOldMax = 1;
        break;
      case 2:                              /* min (legacy) */
        if( tc_want(t, e, TC_BINARY) ) tc_binary(t, &aOldMin, &nOldMin);
        bOldMin = 1;
        break;
      case 3:                              /* null_count */
        pC->nNull = tc_int_field(t, e);
        pC->bNull = pC->nNull>=0;
        break;
      case 5:                              /* max_value */
        if( tc_want(t, e, TC_BINARY) ) tc_binary(t, &pC->aMax, &n);
        pC->nMax = (u32)n;
        pC->bMax = 1;
        break;
      case 6:                              /* min_value */
        if( tc_want(t, e, TC_BINARY) ) tc_binary(t, &pC->aMin, &n);
        pC->nMin = (u32)n;
        pC->bMin = 1;
        break;
      default:
        tc_skip(t, e, 0);
        break;
    }
  }
  tc_leave(t);
  if( pC->bMin && pC->bMax ){
    pC->bOrdered = 1;
  }else if( bOldMin && bOldMax ){
    /* Legacy min/max: right for signed integers only (the caller checks
    ** the type); strings were compared as signed bytes by old writers. */
    pC->aMin = aOldMin; pC->nMin = (u32)nOldMin; pC->bMin = 1;
    pC->aMax = aOldMax; pC->nMax = (u32)nOldMax; pC->bMax = 1;
    pC->bOrdered = 0;
  }else{
    pC->bMin = pC->bMax = 0;
  }
}

/*
** Parse a ColumnMetaData struct of column pCol into pC. *pbOk is set if
** the required fields were there.
*/
static void pq_read_colmeta(PqThrift *t, const PqCol *pCol, PqChunk *pC,
                            int *pbOk, i64 *piData, i64 *piDict){
  int iLast = 0, iId, e, eType = -1, bCodec = 0, bValues = 0, bSize = 0;
  int bData = 0;
  if( !tc_enter(t) ) return;
  while( (e = tc_field(t, &iLast, &iId))!=TC_STOP ){
    switch( iId ){
      case 1:                              /* type */
        eType = (int)tc_int_field(t, e);
        break;
      case 3: {                            /* path_in_schema */
        int eElem;
        i64 k, nElem;
        if( !tc_want(t, e, TC_LIST) ) break;
        nElem = tc_list(t, &eElem);
        if( eElem!=TC_BINARY || nElem!=1 ){
          tc_fail(t, TE_BAD);
          break;
        }
        for(k=0; k<nElem; k++){
          const u8 *z;
          size_t n;
          tc_binary(t, &z, &n);
          if( t->eErr==0
           && (n!=strlen(pCol->zName) || memcmp(z, pCol->zName, n)!=0) ){
            tc_fail(t, TE_BAD);
          }
        }
        break;
      }
      case 4: {                            /* codec */
        i64 v = tc_int_field(t, e);
        pC->eCodec = (u8)(v<0 || v>200 ? 200 : v);
        bCodec = 1;
        break;
      }
      case 5:                              /* num_values */
        pC->nValue = tc_int_field(t, e);
        bValues = 1;
        break;
      case 7:                              /* total_compressed_size */
        pC->nBytes = tc_int_field(t, e);
        bSize = 1;
        break;
      case 9:                              /* data_page_offset */
        *piData = tc_int_field(t, e);
        bData = 1;
        break;
      case 11:                             /* dictionary_page_offset */
        *piDict = tc_int_field(t, e);
        break;
      case 12:                             /* statistics */
        if( tc_want(t, e, TC_STRUCT) ) pq_read_stats(t, pC);
        break;
      default:
        tc_skip(t, e, 0);
        break;
    }
  }
  tc_leave(t);
  *pbOk = eType==pCol->eType && bCodec && bValues && bSize && bData;
}

/*
** Parse a ColumnChunk struct into pC. Return 0, or a static string naming
** an unsupported feature (the caller reports it), or "" for corruption
** noticed beyond t->eErr.
*/
static const char *pq_read_chunk(PqThrift *t, const PqCol *pCol,
                                 PqChunk *pC){
  int iLast = 0, iId, e, bMeta = 0, bOk = 0;
  const char *zUnsup = 0;
  i64 iData = -1, iDict = -1;
  if( !tc_enter(t) ) return 0;
  while( (e = tc_field(t, &iLast, &iId))!=TC_STOP ){
    switch( iId ){
      case 1:                              /* file_path */
        zUnsup = "column data in another file";
        tc_skip(t, e, 0);
        break;
      case 3:                              /* meta_data */
        if( tc_want(t, e, TC_STRUCT) ){
          pq_read_colmeta(t, pCol, pC, &bOk, &iData, &iDict);
        }
        bMeta = 1;
        break;
      case 8:                              /* crypto_metadata */
      case 9:                              /* encrypted_column_metadata */
        zUnsup = "encrypted columns";
        tc_skip(t, e, 0);
        break;
      default:
        tc_skip(t, e, 0);
        break;
    }
  }
  tc_leave(t);
  if( t->eErr ) return 0;
  if( zUnsup ) return zUnsup;
  if( !bMeta || !bOk ) return "";
  /* Some writers set dictionary_page_offset to 0 when there is none; the
  ** dictionary page, when there is one, comes first. */
  pC->iStart = (iDict>0 && iDict<iData) ? iDict : iData;
  return 0;
}

/*
** Parse a RowGroup. Return 0 on success, or a message (static text) for
** the caller to report as corruption or an unsupported feature; *pbUnsup
** tells which.
*/
static const char *pq_read_group(VfParquet *p, PqThrift *t, PqGroup *pG,
                                 int *pbUnsup){
  int iLast = 0, iId, e, bCols = 0, bRows = 0;
  const char *zRet = 0;
  if( !tc_enter(t) ) return 0;
  while( zRet==0 && (e = tc_field(t, &iLast, &iId))!=TC_STOP ){
    switch( iId ){
      case 1: {                            /* columns */
        int eElem, k;
        i64 nElem;
        if( !tc_want(t, e, TC_LIST) ) break;
        nElem = tc_list(t, &eElem);
        if( t->eErr ) break;
        if( eElem!=TC_STRUCT || nElem!=p->nCol || bCols ){
          zRet = "a row group does not have one chunk per column";
          break;
        }
        pG->aChunk = sqlite3_malloc64(sizeof(PqChunk)*(size_t)p->nCol);
        if( pG->aChunk==0 ){
          zRet = "out of memory";
          break;
        }
        memset(pG->aChunk, 0, sizeof(PqChunk)*(size_t)p->nCol);
        bCols = 1;
        for(k=0; k<p->nCol && t->eErr==0 && zRet==0; k++){
          zRet = pq_read_chunk(t, &p->aCol[k], &pG->aChunk[k]);
          if( zRet && zRet[0] ){
            *pbUnsup = 1;
          }else if( zRet ){
            zRet = "column chunk metadata is missing or does not match "
                   "the schema";
          }
        }
        break;
      }
      case 3:                              /* num_rows */
        pG->nRow = tc_int_field(t, e);
        bRows = 1;
        break;
      default:
        tc_skip(t, e, 0);
        break;
    }
  }
  tc_leave(t);
  if( zRet==0 && t->eErr==0 && (!bCols || !bRows || pG->nRow<0) ){
    zRet = "a row group lacks its columns or row count";
  }
  return zRet;
}

/* Schema element, while the schema is parsed */
typedef struct PqElem PqElem;
struct PqElem {
  const u8 *zName; size_t nName;  /* name */
  int eType;                      /* physical type, -1 for a group */
  int nTypeLen;                   /* type_length */
  int eRep;                       /* repetition, -1 if absent */
  int nChild;                     /* num_children, -1 if absent */
  int eConv;                      /* converted type, -1 if absent */
  int bDecimal;                   /* DECIMAL logical type */
  int bUnsigned;                  /* unsigned INTEGER logical type */
  int bOther;                     /* a logical type we cannot show */
};

/* Parse the LogicalType union of a SchemaElement. */
static void pq_read_logical(PqThrift *t, PqElem *pE){
  int iLast = 0, iId, e;
  if( !tc_enter(t) ) return;
  while( (e = tc_field(t, &iLast, &iId))!=TC_STOP ){
    if( iId==5 ){                          /* DECIMAL */
      pE->bDecimal = 1;
      tc_skip(t, e, 0);
    }else if( iId==10 && e==TC_STRUCT ){   /* INTEGER(bitWidth, isSigned) */
      int iLast2 = 0, iId2, e2;
      if( tc_enter(t) ){
        while( (e2 = tc_field(t, &iLast2, &iId2))!=TC_STOP ){
          if( iId2==2 && (e2==TC_TRUE || e2==TC_FALSE) ){
            pE->bUnsigned = e2==TC_FALSE;
          }else{
            tc_skip(t, e2, 0);
          }
        }
        tc_leave(t);
      }
    }else{
      if( iId==15 ) pE->bOther = 1;        /* FLOAT16 */
      tc_skip(t, e, 0);
    }
  }
  tc_leave(t);
}

/* Parse one SchemaElement into pE. */
static void pq_read_elem(PqThrift *t, PqElem *pE){
  int iLast = 0, iId, e;
  memset(pE, 0, sizeof(*pE));
  pE->eType = pE->eRep = pE->nChild = pE->eConv = -1;
  if( !tc_enter(t) ) return;
  while( (e = tc_field(t, &iLast, &iId))!=TC_STOP ){
    switch( iId ){
      case 1: pE->eType = tc_i32(t);    tc_want(t, e, TC_I32); break;
      case 2: pE->nTypeLen = tc_i32(t); tc_want(t, e, TC_I32); break;
      case 3: pE->eRep = tc_i32(t);     tc_want(t, e, TC_I32); break;
      case 4:
        if( tc_want(t, e, TC_BINARY) ) tc_binary(t, &pE->zName, &pE->nName);
        break;
      case 5: pE->nChild = tc_i32(t);   tc_want(t, e, TC_I32); break;
      case 6: pE->eConv = tc_i32(t);    tc_want(t, e, TC_I32); break;
      case 10:
        if( tc_want(t, e, TC_STRUCT) ) pq_read_logical(t, pE);
        break;
      default:
        tc_skip(t, e, 0);
        break;
    }
  }
  tc_leave(t);
}

/*
** Turn the schema elements a[0..n-1] into the column list of p. Return 0,
** or a message; *pbUnsup is set if it names an unsupported feature.
*/
static const char *pq_build_columns(VfParquet *p, PqElem *a, i64 n,
                                    int *pbUnsup){
  i64 i;
  size_t nHdr = 0;
  if( n<1 ) return "the schema is empty";
  if( a[0].nChild<0 || a[0].nChild!=n-1 ){
    /* The root lists every element below it as a direct child only in
    ** a flat schema. */
    for(i=1; i<n; i++){
      if( a[i].nChild>0 || a[i].eType<0 ) break;
    }
    if( i<n || a[0].nChild<n-1 ){
      *pbUnsup = 1;
      return "nested columns";
    }
    return "a schema whose root does not match its columns";
  }
  if( n-1==0 ) return "the file has no columns";
  if( n-1>VF_PARQUET_MAX_COLUMNS ){
    *pbUnsup = 1;
    return "more than 4096 columns";
  }
  p->aCol = sqlite3_malloc64(sizeof(PqCol)*(size_t)(n-1));
  if( p->aCol==0 ) return "out of memory";
  memset(p->aCol, 0, sizeof(PqCol)*(size_t)(n-1));
  for(i=1; i<n; i++){
    PqElem *pE = &a[i];
    PqCol *pCol = &p->aCol[p->nCol];
    size_t k;
    if( pE->nChild>0 || pE->eType<0 ){
      *pbUnsup = 1;
      return "nested columns";
    }
    if( pE->eRep==2 ){
      *pbUnsup = 1;
      return "repeated columns";
    }
    if( pE->eRep!=0 && pE->eRep!=1 ) return "a column without repetition";
    if( pE->eType>PQ_FIXED ) return "a column of unknown type";
    if( pE->nName==0 ) return "a column without a name";
    for(k=0; k<pE->nName; k++){
      if( pE->zName[k]<=' ' ){
        *pbUnsup = 1;
        return "a column name with a space or control character";
      }
    }
    pCol->zName = sqlite3_malloc64(pE->nName+1);
    if( pCol->zName==0 ) return "out of memory";
    memcpy(pCol->zName, pE->zName, pE->nName);
    pCol->zName[pE->nName] = 0;
    p->nCol++;
    pCol->eType = pE->eType;
    pCol->nFixed = pE->nTypeLen;
    pCol->bOptional = pE->eRep==1;
    pCol->bUnsigned = pE->bUnsigned || (pE->eConv>=11 && pE->eConv<=14);
    pCol->bSel = 1;
    pCol->nDict = -1;
    if( pE->eType==PQ_INT96 ){
      pCol->zUnsup = "INT96 values";
    }else if( pE->bDecimal || pE->eConv==5 ){
      pCol->zUnsup = "DECIMAL values";
    }else if( pE->eConv==21 ){
      pCol->zUnsup = "INTERVAL values";
    }else if( pE->bOther ){
      pCol->zUnsup = "FLOAT16 values";
    }else if( pE->eType==PQ_FIXED
           && (pE->nTypeLen<=0 || pE->nTypeLen>VF_READER_MAX_LINE) ){
      return "a FIXED_LEN_BYTE_ARRAY column with a bad length";
    }
    nHdr += pE->nName + 1;
  }
  if( nHdr>VF_READER_MAX_LINE ){
    *pbUnsup = 1;
    return "a header line over 65536 bytes (column names)";
  }
  p->zHeader = sqlite3_malloc64(nHdr+1);
  if( p->zHeader==0 ) return "out of memory";
  for(i=0; i<p->nCol; i++){
    size_t k = strlen(p->aCol[i].zName);
    if( i ) p->zHeader[p->nHeader++] = ' ';
    memcpy(p->zHeader + p->nHeader, p->aCol[i].zName, k);
    p->nHeader += k;
  }
  p->zHeader[p->nHeader] = 0;
  return 0;
}

/*
** Parse the footer (FileMetaData) in a[0..n-1]. Return 0 on success, else
** set p's error message and return 1. iDataEnd is where the footer starts:
** every column chunk must lie in [4, iDataEnd).
*/
static int pq_read_footer(VfParquet *p, const u8 *a, size_t n, i64 iDataEnd){
  PqThrift t;
  int iLast = 0, iId, e, bSchema = 0, bRows = 0, bGroups = 0, bUnsup = 0;
  const char *zMsg = 0;
  PqElem *aElem = 0;
  i64 nElem = 0, nRowSum = 0;
  int g, k, nGroupAlloc = 0;

  memset(&t, 0, sizeof(t));
  t.a = a;
  t.n = n;
  while( zMsg==0 && (e = tc_field(&t, &iLast, &iId))!=TC_STOP ){
    switch( iId ){
      case 2: {                            /* schema */
        int eElem;
        i64 j;
        if( !tc_want(&t, e, TC_LIST) ) break;
        nElem = tc_list(&t, &eElem);
        if( t.eErr ) break;
        if( eElem!=TC_STRUCT || bSchema ){ tc_fail(&t, TE_BAD); break; }
        if( nElem>VF_PARQUET_MAX_COLUMNS+1 ){
          bUnsup = 1;
          zMsg = "more than 4096 columns";
          break;
        }
        aElem = sqlite3_malloc64(sizeof(PqElem)*(size_t)(nElem ? nElem : 1));
        if( aElem==0 ){ zMsg = "out of memory"; break; }
        for(j=0; j<nElem && t.eErr==0; j++) pq_read_elem(&t, &aElem[j]);
        if( t.eErr ) break;
        zMsg = pq_build_columns(p, aElem, nElem, &bUnsup);
        bSchema = 1;
        break;
      }
      case 3:                              /* num_rows */
        p->nRowTotal = tc_int_field(&t, e);
        bRows = 1;
        break;
      case 4: {                            /* row_groups */
        int eElem;
        i64 j, nList;
        if( !tc_want(&t, e, TC_LIST) ) break;
        if( !bSchema ){ zMsg = "row groups come before the schema"; break; }
        nList = tc_list(&t, &eElem);
        if( t.eErr ) break;
        if( eElem!=TC_STRUCT || bGroups || nList>INT32_MAX/2 ){
          tc_fail(&t, TE_BAD);
          break;
        }
        bGroups = 1;
        for(j=0; j<nList && t.eErr==0 && zMsg==0; j++){
          if( p->nGroup==nGroupAlloc ){
            /* Grow as groups are parsed, not by the claimed count: memory
            ** follows the bytes actually present. */
            int nNew = nGroupAlloc ? nGroupAlloc*2 : 8;
            PqGroup *aNew = sqlite3_realloc64(p->aGroup,
                                              sizeof(PqGroup)*(size_t)nNew);
            if( aNew==0 ){ zMsg = "out of memory"; break; }
            p->aGroup = aNew;
            nGroupAlloc = nNew;
          }
          memset(&p->aGroup[p->nGroup], 0, sizeof(PqGroup));
          p->nGroup++;
          zMsg = pq_read_group(p, &t, &p->aGroup[p->nGroup-1], &bUnsup);
        }
        break;
      }
      case 7:                              /* column_orders */
        p->bColumnOrder = 1;
        tc_skip(&t, e, 0);
        break;
      case 8:                              /* encryption_algorithm */
        bUnsup = 1;
        zMsg = "encrypted files";
        break;
      default:
        tc_skip(&t, e, 0);
        break;
    }
  }
  sqlite3_free(aElem);
  if( zMsg==0 && t.eErr ){
    zMsg = t.eErr==TE_SHORT ? "the footer is truncated"
                            : "the footer is corrupt";
  }
  if( zMsg==0 && (!bSchema || !bRows || !bGroups) ){
    zMsg = "the footer lacks its schema, row count or row groups";
  }
  if( zMsg ){
    if( bUnsup ){
      pq_error(p, "unsupported Parquet feature: %s", zMsg);
    }else{
      pq_error(p, "corrupt Parquet file: %s", zMsg);
    }
    return 1;
  }

  /* Cross-checks: chunks inside the data area, one value per row. */
  for(g=0; g<p->nGroup; g++){
    PqGroup *pG = &p->aGroup[g];
    for(k=0; k<p->nCol; k++){
      PqChunk *pC = &pG->aChunk[k];
      if( pC->iStart<4 || pC->nBytes<0 || pC->nBytes>iDataEnd
       || pC->iStart>iDataEnd - pC->nBytes ){
        pq_error(p, "corrupt Parquet file: row group %d, column '%s': "
                 "chunk at offset %lld size %lld is outside the data",
                 g, p->aCol[k].zName, (long long)pC->iStart,
                 (long long)pC->nBytes);
        return 1;
      }
      if( pC->nValue!=pG->nRow ){
        pq_error(p, "corrupt Parquet file: row group %d, column '%s': "
                 "%lld values for %lld rows", g, p->aCol[k].zName,
                 (long long)pC->nValue, (long long)pG->nRow);
        return 1;
      }
      if( !pq_codec_supported(pC->eCodec) ){
        pq_error(p, "unsupported Parquet feature: column '%s' uses codec "
                 "%s, which vpcflow does not read%s", p->aCol[k].zName,
                 pq_codec_name(pC->eCodec),
                 pC->eCodec==PQ_CODEC_ZSTD ?
                   " (this build has no libzstd: install libzstd-dev and "
                   "build again)" : "");
        return 1;
      }
    }
    if( pG->nRow>INT64_MAX - nRowSum ){
      pq_error(p, "corrupt Parquet file: row counts overflow");
      return 1;
    }
    nRowSum += pG->nRow;
  }
  if( nRowSum!=p->nRowTotal ){
    pq_error(p, "corrupt Parquet file: the footer says %lld rows but its "
             "row groups hold %lld", (long long)p->nRowTotal,
             (long long)nRowSum);
    return 1;
  }
  return 0;
}

/* ---------------------------------------------------------------------
** Decompression
*/

/*
** Snappy raw format (google/snappy format_description.txt): a varint
** with the uncompressed length, then literals and back-references.
** Decode a[0..n] into exactly nOut bytes at aOut. Return 0 or 1 (bad).
*/
static int pq_unsnappy(const u8 *a, size_t n, u8 *aOut, size_t nOut){
  size_t i = 0, j = 0;
  u64 nLen = 0;
  int sh;
  for(sh=0; sh<35; sh+=7){
    if( i>=n ) return 1;
    nLen |= (u64)(a[i] & 0x7f) << sh;
    if( (a[i++] & 0x80)==0 ) break;
  }
  if( sh>=35 || nLen!=nOut ) return 1;
  while( i<n ){
    u8 c = a[i++];
    size_t nCopy, iOff;
    if( (c & 3)==0 ){                      /* literal */
      size_t nLit = (size_t)(c>>2) + 1;
      if( nLit>60 ){
        int nb = (int)nLit - 60, b;
        if( n-i<(size_t)nb ) return 1;
        nLit = 0;
        for(b=0; b<nb; b++) nLit |= (size_t)a[i+b] << (8*b);
        nLit++;
        i += (size_t)nb;
      }
      if( nLit>n-i || nLit>nOut-j ) return 1;
      memcpy(aOut+j, a+i, nLit);
      i += nLit;
      j += nLit;
      continue;
    }
    if( (c & 3)==1 ){                      /* copy, 1-byte offset */
      if( i>=n ) return 1;
      nCopy = (size_t)((c>>2) & 7) + 4;
      iOff = (size_t)(c>>5)<<8 | a[i++];
    }else if( (c & 3)==2 ){                /* copy, 2-byte offset */
      if( n-i<2 ) return 1;
      nCopy = (size_t)(c>>2) + 1;
      iOff = (size_t)a[i] | (size_t)a[i+1]<<8;
      i += 2;
    }else{                                 /* copy, 4-byte offset */
      if( n-i<4 ) return 1;
      nCopy = (size_t)(c>>2) + 1;
      iOff = pq_le32(a+i);
      i += 4;
    }
    if( iOff==0 || iOff>j || nCopy>nOut-j ) return 1;
    if( iOff>=nCopy ){
      memcpy(aOut+j, aOut+j-iOff, nCopy);
      j += nCopy;
    }else{
      /* Overlapping: the copy repeats a pattern, byte by byte. */
      while( nCopy-- ){ aOut[j] = aOut[j-iOff]; j++; }
    }
  }
  return j==nOut ? 0 : 1;
}

/*
** Inflate a[0..n] (one or more gzip members; zlib format accepted too)
** into exactly nOut bytes at aOut. Return 0, 1 (bad data) or
** SQLITE_NOMEM.
*/
static int pq_inflate(PqCol *pCol, const u8 *a, size_t n, u8 *aOut,
                      size_t nOut){
  z_stream *z = &pCol->zs;
  int rc;
  if( !pCol->bZs ){
    memset(z, 0, sizeof(*z));
    if( inflateInit2(z, 32+MAX_WBITS)!=Z_OK ) return SQLITE_NOMEM;
    pCol->bZs = 1;
  }else if( inflateReset(z)!=Z_OK ){
    return 1;
  }
  z->next_in = (Bytef*)a;
  z->avail_in = (uInt)n;
  z->next_out = aOut;
  z->avail_out = (uInt)nOut;
  while( 1 ){
    rc = inflate(z, Z_FINISH);
    if( rc==Z_STREAM_END ){
      /* Another member may follow (pages are sometimes written so). */
      if( z->avail_out==0 || z->avail_in==0 ) break;
      if( inflateReset(z)!=Z_OK ) return 1;
      continue;
    }
    if( rc==Z_MEM_ERROR ) return SQLITE_NOMEM;
    return 1;
  }
  return z->avail_out==0 ? 0 : 1;
}

#if PQ_HAVE_ZSTD
/*
** Decompress a[0..n] (one or more ZSTD frames) into exactly nOut bytes at
** aOut. Return 0, 1 (bad data, or a size other than nOut) or
** SQLITE_NOMEM. The context is kept per column, like the inflater.
*/
static int pq_unzstd(PqCol *pCol, const u8 *a, size_t n, u8 *aOut,
                     size_t nOut){
  size_t r;
  if( pCol->pZstd==0 ){
    pCol->pZstd = ZSTD_createDCtx();
    if( pCol->pZstd==0 ) return SQLITE_NOMEM;
  }
  r = ZSTD_decompressDCtx(pCol->pZstd, aOut, nOut, a, n);
  /* (an allocation failure inside libzstd is reported as bad data too:
  ** telling them apart needs zstd_errors.h, and the page fails either
  ** way) */
  if( ZSTD_isError(r) ) return 1;
  return r==nOut ? 0 : 1;
}
#endif

/* ---------------------------------------------------------------------
** Value decoders
*/

/*
** nBit (0..64) bits of a, little-endian bit order, from bit iBit. The
** caller has checked that they lie inside the buffer.
*/
static u64 pq_bits(const u8 *a, u64 iBit, int nBit){
  const u8 *z = a + (iBit>>3);
  int sh = (int)(iBit & 7), nByte = (sh + nBit + 7)>>3, k;
  u64 v;
  if( nBit==0 ) return 0;
  v = (u64)z[0] >> sh;
  for(k=1; k<nByte; k++) v |= (u64)z[k] << (8*k - sh);
  return nBit<64 ? v & (((u64)1<<nBit) - 1) : v;
}

/* Start an RLE/bit-packed hybrid decoder over a[0..n-1]. */
static void pq_rle_init(PqRle *r, const u8 *a, size_t n, int nBit){
  memset(r, 0, sizeof(*r));
  r->a = a;
  r->n = n;
  r->nBit = nBit;
}

/* Next value into *pv. Return 0, or 1 if the data ends or is malformed. */
static int pq_rle_next(PqRle *r, u32 *pv){
  while( r->nRun==0 ){
    u64 h = 0;
    int sh;
    for(sh=0; ; sh+=7){
      if( r->i>=r->n || sh>28 ) return 1;
      h |= (u64)(r->a[r->i] & 0x7f) << sh;
      if( (r->a[r->i++] & 0x80)==0 ) break;
    }
    if( h & 1 ){
      /* (h>>1) groups of 8 values, nBit bytes per group */
      u64 nByte = (h>>1) * (u64)r->nBit;
      r->bPacked = 1;
      r->nRun = (h>>1)*8;
      r->iBit = (u64)r->i*8;
      r->i = nByte>r->n - r->i ? r->n : r->i + (size_t)nByte;
    }else{
      int nb = (r->nBit+7)/8, b;
      if( (size_t)nb>r->n - r->i ) return 1;
      r->bPacked = 0;
      r->nRun = h>>1;
      r->v = 0;
      for(b=0; b<nb; b++) r->v |= (u32)r->a[r->i+b] << (8*b);
      r->i += (size_t)nb;
    }
  }
  r->nRun--;
  if( r->bPacked ){
    /* The last group of a page may stop short: check each value. */
    if( r->iBit + (u64)r->nBit > (u64)r->n*8 ) return 1;
    *pv = (u32)pq_bits(r->a, r->iBit, r->nBit);
    r->iBit += (u64)r->nBit;
  }else{
    *pv = r->v;
  }
  return 0;
}

/* Read a varint for the DELTA decoders; 1 on error */
static int pq_dbp_varint(const u8 *a, size_t n, size_t *pi, u64 *pv){
  u64 v = 0;
  int sh;
  for(sh=0; sh<64; sh+=7){
    if( *pi>=n ) return 1;
    v |= (u64)(a[*pi] & 0x7f) << sh;
    if( (a[(*pi)++] & 0x80)==0 ){ *pv = v; return 0; }
  }
  return 1;
}

/*
** Start a DELTA_BINARY_PACKED decoder over a[0..n-1] and find where its
** data ends (p->iEnd), walking the block headers without decoding.
** Return 0, or 1 if the data is malformed.
*/
static int pq_dbp_init(PqDbp *d, const u8 *a, size_t n){
  u64 v, nLeft;
  size_t i;
  memset(d, 0, sizeof(*d));
  d->a = a;
  d->n = n;
  if( n==0 ) return 0;                      /* a page of NULLs only */
  if( pq_dbp_varint(a, n, &d->i, &d->nBlock) ) return 1;
  if( pq_dbp_varint(a, n, &d->i, &d->nMini) ) return 1;
  if( pq_dbp_varint(a, n, &d->i, &d->nTotal) ) return 1;
  if( pq_dbp_varint(a, n, &d->i, &v) ) return 1;
  d->iLast = (v>>1) ^ (0 - (v & 1));        /* first value, zigzag */
  if( d->nBlock==0 || d->nBlock>PQ_MAX_BLOCK || d->nBlock%128 ) return 1;
  if( d->nMini==0 || d->nBlock%d->nMini ) return 1;
  d->nPerMini = d->nBlock/d->nMini;
  if( d->nPerMini%8 ) return 1;
  d->iMini = d->nMini;
  /* Walk the blocks: every block header takes at least 2 bytes, so this
  ** loop is bounded by n however large nTotal claims to be. */
  i = d->i;
  nLeft = d->nTotal ? d->nTotal-1 : 0;
  while( nLeft>0 ){
    u64 m, nByte = 0;
    if( pq_dbp_varint(a, n, &i, &v) ) return 1;
    if( d->nMini>n - i ) return 1;
    for(m=0; m<d->nMini && nLeft>0; m++){
      u8 w = a[i+m];
      if( w>64 ) return 1;
      nByte += d->nPerMini/8 * w;
      nLeft -= nLeft<d->nPerMini ? nLeft : d->nPerMini;
    }
    i += (size_t)d->nMini;
    if( nByte>n - i ) return 1;
    i += (size_t)nByte;
  }
  d->iEnd = i;
  return 0;
}

/* Next value into *pv. Return 0, or 1 if there is none or it is bad. */
static int pq_dbp_next(PqDbp *d, u64 *pv){
  if( d->nDone>=d->nTotal ) return 1;
  if( d->nDone++==0 ){
    *pv = d->iLast;
    return 0;
  }
  if( d->nInMini==0 ){
    if( d->iMini+1>=d->nMini ){
      u64 v;
      /* A new block: min delta, then one bit width per miniblock. */
      if( pq_dbp_varint(d->a, d->n, &d->i, &v) ) return 1;
      d->iMinDelta = (v>>1) ^ (0 - (v & 1));
      if( d->nMini>d->n - d->i ) return 1;
      d->aWidth = d->a + d->i;
      d->i += (size_t)d->nMini;
      d->iMini = 0;
    }else{
      d->iMini++;
    }
    d->nWidth = d->aWidth[d->iMini];
    if( d->nWidth>64 ) return 1;
    d->iBit = (u64)d->i*8;
    d->nInMini = d->nPerMini;
    {
      u64 nByte = d->nPerMini/8 * (u64)d->nWidth;
      d->i = nByte>d->n - d->i ? d->n : d->i + (size_t)nByte;
    }
  }
  if( d->iBit + (u64)d->nWidth > (u64)d->n*8 ) return 1;
  d->iLast += d->iMinDelta + pq_bits(d->a, d->iBit, d->nWidth);
  d->iBit += (u64)d->nWidth;
  d->nInMini--;
  *pv = d->iLast;
  return 0;
}

/* ---------------------------------------------------------------------
** Column cursors: pages
*/

/* Free the buffers of a column cursor. */
static void pq_col_free(PqCol *pCol){
  sqlite3_free(pCol->aHdr);
  sqlite3_free(pCol->aRaw);
  sqlite3_free(pCol->aPage);
  sqlite3_free(pCol->aDict);
  sqlite3_free(pCol->aDictOff);
  sqlite3_free(pCol->aPrev);
  if( pCol->bZs ) inflateEnd(&pCol->zs);
#if PQ_HAVE_ZSTD
  ZSTD_freeDCtx(pCol->pZstd);
  pCol->pZstd = 0;
#endif
  pCol->aHdr = pCol->aRaw = pCol->aPage = pCol->aDict = pCol->aPrev = 0;
  pCol->aDictOff = 0;
  pCol->nHdr = pCol->nRaw = pCol->nPage = pCol->nDictBuf = 0;
  pCol->nPrevAlloc = 0;
  pCol->bZs = 0;
}

/* Parsed page header */
typedef struct PqPageHdr PqPageHdr;
struct PqPageHdr {
  int eType;                   /* page type */
  i64 nRawSize;                /* uncompressed_page_size */
  i64 nCompSize;               /* compressed_page_size */
  i64 nValue;                  /* num_values */
  int eEnc;                    /* encoding of the values */
  int eDefEnc;                 /* v1: encoding of definition levels */
  i64 nDefLen, nRepLen;        /* v2: level byte lengths */
  int bCompressed;             /* v2: is_compressed */
  int bSub;                    /* the matching sub-header was present */
};

/* Parse a DataPageHeader (v1), DataPageHeaderV2 or DictionaryPageHeader */
static void pq_read_subhdr(PqThrift *t, PqPageHdr *h, int eKind){
  int iLast = 0, iId, e;
  if( !tc_enter(t) ) return;
  h->bSub = 1;
  while( (e = tc_field(t, &iLast, &iId))!=TC_STOP ){
    if( iId==1 ){
      h->nValue = tc_int_field(t, e);
    }else if( iId==(eKind==PQ_PAGE_DATA2 ? 4 : 2) ){
      h->eEnc = (int)tc_int_field(t, e);
    }else if( eKind==PQ_PAGE_DATA && iId==3 ){
      h->eDefEnc = (int)tc_int_field(t, e);
    }else if( eKind==PQ_PAGE_DATA2 && iId==5 ){
      h->nDefLen = tc_int_field(t, e);
    }else if( eKind==PQ_PAGE_DATA2 && iId==6 ){
      h->nRepLen = tc_int_field(t, e);
    }else if( eKind==PQ_PAGE_DATA2 && iId==7 && (e==TC_TRUE || e==TC_FALSE) ){
      h->bCompressed = e==TC_TRUE;
    }else{
      tc_skip(t, e, 0);
    }
  }
  tc_leave(t);
}

/* Parse a PageHeader from t */
static void pq_read_pagehdr(PqThrift *t, PqPageHdr *h){
  int iLast = 0, iId, e, bType = 0, bRaw = 0, bComp = 0;
  memset(h, 0, sizeof(*h));
  h->bCompressed = 1;
  h->eEnc = -1;
  h->eDefEnc = PQ_ENC_RLE;
  h->eType = -1;
  while( (e = tc_field(t, &iLast, &iId))!=TC_STOP ){
    switch( iId ){
      case 1: h->eType = (int)tc_int_field(t, e); bType = 1; break;
      case 2: h->nRawSize = tc_int_field(t, e); bRaw = 1; break;
      case 3: h->nCompSize = tc_int_field(t, e); bComp = 1; break;
      case 5:
        if( h->eType==PQ_PAGE_DATA && tc_want(t, e, TC_STRUCT) ){
          pq_read_subhdr(t, h, PQ_PAGE_DATA);
        }else{
          tc_skip(t, e, 0);
        }
        break;
      case 7:
        if( h->eType==PQ_PAGE_DICT && tc_want(t, e, TC_STRUCT) ){
          pq_read_subhdr(t, h, PQ_PAGE_DICT);
        }else{
          tc_skip(t, e, 0);
        }
        break;
      case 8:
        if( h->eType==PQ_PAGE_DATA2 && tc_want(t, e, TC_STRUCT) ){
          pq_read_subhdr(t, h, PQ_PAGE_DATA2);
        }else{
          tc_skip(t, e, 0);
        }
        break;
      default:
        tc_skip(t, e, 0);
        break;
    }
  }
  if( t->eErr==0 && (!bType || !bRaw || !bComp) ) tc_fail(t, TE_BAD);
}

/* Report corruption in column pCol of the current row group. */
static int pq_corrupt(VfParquet *p, PqCol *pCol, const char *zWhat){
  return pq_error(p, "corrupt Parquet file: row group %d, column '%s': %s",
                  p->iGroup, pCol->zName, zWhat);
}

/* Report an unsupported feature met in column pCol. */
static int pq_unsupported(VfParquet *p, PqCol *pCol, const char *zWhat,
                          const char *zName){
  return pq_error(p, "unsupported Parquet feature: %s %s (row group %d, "
                  "column '%s')", zWhat, zName, p->iGroup, pCol->zName);
}

/* Bytes of one PLAIN value of the column's type, 0 for BYTE_ARRAY */
static size_t pq_plain_width(const PqCol *pCol){
  switch( pCol->eType ){
    case PQ_INT32: case PQ_FLOAT: return 4;
    case PQ_INT64: case PQ_DOUBLE: return 8;
    case PQ_FIXED: return (size_t)pCol->nFixed;
    default: return 0;
  }
}

/*
** Load the dictionary page at a[0..n-1] (decompressed) with nValue
** entries: the bytes stay in pCol->aDict (the caller swaps buffers so),
** BYTE_ARRAY entries get an offset/length table. Return 0 or an error.
*/
static int pq_load_dict(VfParquet *p, PqCol *pCol, const u8 *a, size_t n,
                        i64 nValue){
  if( nValue<0 || (u64)nValue>n ){
    return pq_corrupt(p, pCol, "bad dictionary size");
  }
  sqlite3_free(pCol->aDictOff);
  pCol->aDictOff = 0;
  if( pCol->eType==PQ_BYTES ){
    size_t i = 0;
    i64 k;
    if( (u64)nValue>n/4 ) return pq_corrupt(p, pCol, "bad dictionary size");
    pCol->aDictOff = sqlite3_malloc64(sizeof(u32)*2*(size_t)(nValue+1));
    if( pCol->aDictOff==0 ) return pq_error(p, "out of memory");
    for(k=0; k<nValue; k++){
      u32 nLen;
      if( n-i<4 ) return pq_corrupt(p, pCol, "dictionary page is truncated");
      nLen = pq_le32(a+i);
      i += 4;
      if( nLen>n-i ) return pq_corrupt(p, pCol, "dictionary page is truncated");
      pCol->aDictOff[2*k] = (u32)i;
      pCol->aDictOff[2*k+1] = nLen;
      i += nLen;
    }
  }else if( pCol->eType==PQ_BOOLEAN ){
    return pq_unsupported(p, pCol, "dictionary for", "BOOLEAN");
  }else{
    size_t w = pq_plain_width(pCol);
    if( w==0 || (u64)nValue>n/w ){
      return pq_corrupt(p, pCol, "dictionary page is truncated");
    }
  }
  pCol->nDict = nValue;
  return 0;
}

/*
** Read and decompress the page at pCol->iPos: header into *pH, data into
** *pa,*pn (v2: values only; levels in *paLvl,*pnLvl). Return 0 or an
** error (VF_LINE_ERROR).
*/
static int pq_read_page(VfParquet *p, PqCol *pCol, PqPageHdr *pH,
                        const u8 **pa, size_t *pn,
                        const u8 **paLvl, size_t *pnLvl){
  PqThrift t;
  i64 nAvail = pCol->iEnd - pCol->iPos;
  size_t nWin = PQ_HDR_WINDOW, nLvl = 0, nComp, nOut;
  const u8 *aComp;
  int rc;

  /* The header: read a window, parse, and widen it only if it ran out. */
  while( 1 ){
    if( (i64)nWin>nAvail ) nWin = (size_t)nAvail;
    if( pq_reserve(&pCol->aHdr, &pCol->nHdr, nWin) ){
      return pq_error(p, "out of memory");
    }
    rc = pq_pread(p, (u64)pCol->iPos, pCol->aHdr, nWin, (u64)pCol->iEnd);
    if( rc ) return pq_read_error(p, rc, (u64)pCol->iPos);
    memset(&t, 0, sizeof(t));
    t.a = pCol->aHdr;
    t.n = nWin;
    pq_read_pagehdr(&t, pH);
    if( t.eErr!=TE_SHORT ) break;
    if( (i64)nWin>=nAvail ){
      return pq_corrupt(p, pCol, "page header is truncated");
    }
    if( nWin>=PQ_MAX_HDR ){
      return pq_corrupt(p, pCol, "page header is too large");
    }
    nWin *= 4;
  }
  if( t.eErr ) return pq_corrupt(p, pCol, "page header is corrupt");
  if( pH->nCompSize<0 || pH->nRawSize<0 ){
    return pq_corrupt(p, pCol, "page header has a negative size");
  }
  if( pH->nCompSize>VF_PARQUET_MAX_PAGE || pH->nRawSize>VF_PARQUET_MAX_PAGE ){
    return pq_error(p, "unsupported Parquet feature: a page over %d MiB "
                    "(row group %d, column '%s')", VF_PARQUET_MAX_PAGE>>20,
                    p->iGroup, pCol->zName);
  }
  if( pH->nCompSize>nAvail - (i64)t.i ){
    return pq_corrupt(p, pCol, "page size is past the end of its column chunk");
  }
  nComp = (size_t)pH->nCompSize;
  nOut = (size_t)pH->nRawSize;
  pCol->iPos += (i64)t.i + pH->nCompSize;
  p->nPageRead++;
  *paLvl = 0;
  *pnLvl = 0;
  if( pH->eType!=PQ_PAGE_DATA && pH->eType!=PQ_PAGE_DATA2
   && pH->eType!=PQ_PAGE_DICT ){
    *pa = 0;                               /* index page or unknown: skip */
    *pn = 0;
    return 0;
  }
  if( !pH->bSub ) return pq_corrupt(p, pCol, "page header lacks its details");

  if( pq_reserve(&pCol->aRaw, &pCol->nRaw, nComp) ){
    return pq_error(p, "out of memory");
  }
  rc = pq_pread(p, (u64)(pCol->iPos - pH->nCompSize), pCol->aRaw, nComp,
                (u64)pCol->iEnd);
  if( rc ) return pq_read_error(p, rc, (u64)(pCol->iPos - pH->nCompSize));
  aComp = pCol->aRaw;

  if( pH->eType==PQ_PAGE_DATA2 ){
    /* Levels come first and are never compressed. */
    if( pH->nRepLen!=0 ){
      return pq_corrupt(p, pCol, "repetition levels in a flat column");
    }
    if( pH->nDefLen<0 || pH->nDefLen>pH->nCompSize
     || pH->nDefLen>pH->nRawSize ){
      return pq_corrupt(p, pCol, "bad definition level length");
    }
    nLvl = (size_t)pH->nDefLen;
    *paLvl = aComp;
    *pnLvl = nLvl;
    aComp += nLvl;
    nComp -= nLvl;
    nOut -= nLvl;
  }
  if( pCol->eCodec==0 || (pH->eType==PQ_PAGE_DATA2 && !pH->bCompressed) ){
    if( nComp!=nOut ) return pq_corrupt(p, pCol, "page sizes disagree");
    *pa = aComp;
    *pn = nComp;
    return 0;
  }
  if( pq_reserve(&pCol->aPage, &pCol->nPage, nOut) ){
    return pq_error(p, "out of memory");
  }
  if( pCol->eCodec==PQ_CODEC_SNAPPY ){
    rc = pq_unsnappy(aComp, nComp, pCol->aPage, nOut);
#if PQ_HAVE_ZSTD
  }else if( pCol->eCodec==PQ_CODEC_ZSTD ){
    rc = pq_unzstd(pCol, aComp, nComp, pCol->aPage, nOut);
#endif
  }else{
    rc = pq_inflate(pCol, aComp, nComp, pCol->aPage, nOut);
  }
  if( rc==SQLITE_NOMEM ) return pq_error(p, "out of memory");
  if( rc ){
    return pq_corrupt(p, pCol, pCol->eCodec==PQ_CODEC_SNAPPY ?
                      "bad snappy data or wrong page size" :
                      pCol->eCodec==PQ_CODEC_ZSTD ?
                      "bad zstd data or wrong page size" :
                      "bad gzip data or wrong page size");
  }
  *pa = pCol->aPage;
  *pn = nOut;
  return 0;
}

/*
** Move pCol to its next data page that has values, loading a dictionary
** page on the way. Return 0 or an error.
*/
static int pq_next_page(VfParquet *p, PqCol *pCol){
  while( 1 ){
    PqPageHdr h;
    const u8 *a = 0, *aLvl = 0;
    size_t n = 0, nLvl = 0;
    int rc;
    if( pCol->iPos>=pCol->iEnd ){
      return pq_corrupt(p, pCol, "column chunk ends before its last row");
    }
    rc = pq_read_page(p, pCol, &h, &a, &n, &aLvl, &nLvl);
    if( rc ) return rc;
    if( a==0 ) continue;
    if( h.eType==PQ_PAGE_DICT ){
      if( pCol->bData || pCol->nDict>=0 ){
        return pq_corrupt(p, pCol, "dictionary page after the first page");
      }
      if( h.eEnc!=PQ_ENC_PLAIN && h.eEnc!=PQ_ENC_PLAINDICT ){
        return pq_unsupported(p, pCol, "dictionary encoding",
                              pq_encoding_name(h.eEnc));
      }
      /* Keep the bytes: swap the buffer they are in with aDict. */
      if( a==pCol->aRaw ){
        u8 *x = pCol->aDict; size_t nx = pCol->nDictBuf;
        pCol->aDict = pCol->aRaw; pCol->nDictBuf = pCol->nRaw;
        pCol->aRaw = x; pCol->nRaw = nx;
      }else{
        u8 *x = pCol->aDict; size_t nx = pCol->nDictBuf;
        pCol->aDict = pCol->aPage; pCol->nDictBuf = pCol->nPage;
        pCol->aPage = x; pCol->nPage = nx;
      }
      rc = pq_load_dict(p, pCol, pCol->aDict, n, h.nValue);
      if( rc ) return rc;
      continue;
    }
    pCol->bData = 1;
    if( h.nValue<0 ) return pq_corrupt(p, pCol, "negative value count");
    if( h.nValue==0 ) continue;

    /* Definition levels (max level 1: bit width 1) */
    pCol->bDef = pCol->bOptional;
    if( h.eType==PQ_PAGE_DATA2 ){
      pq_rle_init(&pCol->def, aLvl, nLvl, 1);
    }else if( pCol->bOptional ){
      u32 nDef;
      if( h.eDefEnc!=PQ_ENC_RLE ){
        return pq_unsupported(p, pCol, "definition level encoding",
                              pq_encoding_name(h.eDefEnc));
      }
      if( n<4 || (nDef = pq_le32(a))>n-4 ){
        return pq_corrupt(p, pCol, "bad definition level length");
      }
      pq_rle_init(&pCol->def, a+4, nDef, 1);
      a += 4 + nDef;
      n -= 4 + (size_t)nDef;
    }

    /* Values */
    pCol->eEnc = h.eEnc;
    pCol->aVal = a;
    pCol->nVal = n;
    pCol->iVal = 0;
    pCol->iBool = 0;
    pCol->nPrev = 0;
    switch( h.eEnc ){
      case PQ_ENC_PLAIN:
        break;
      case PQ_ENC_PLAINDICT:
      case PQ_ENC_RLEDICT: {
        int nBit = n>0 ? a[0] : 0;
        if( pCol->nDict<0 ){
          return pq_corrupt(p, pCol,
                            "dictionary-encoded page without a dictionary");
        }
        if( nBit>32 ) return pq_corrupt(p, pCol, "bad dictionary index width");
        pq_rle_init(&pCol->idx, n>0 ? a+1 : a, n>0 ? n-1 : 0, nBit);
        break;
      }
      case PQ_ENC_DBP:
        if( pCol->eType!=PQ_INT32 && pCol->eType!=PQ_INT64 ){
          return pq_corrupt(p, pCol,
                            "DELTA_BINARY_PACKED on a non-integer column");
        }
        if( pq_dbp_init(&pCol->dbp, a, n) ){
          return pq_corrupt(p, pCol, "bad DELTA_BINARY_PACKED data");
        }
        break;
      case PQ_ENC_DLBA:
      case PQ_ENC_DBA: {
        PqDbp *pLen = &pCol->dbp;
        if( pCol->eType!=PQ_BYTES ){
          return pq_unsupported(p, pCol, pq_encoding_name(h.eEnc),
                                "on a column that is not BYTE_ARRAY");
        }
        if( h.eEnc==PQ_ENC_DBA ){
          /* prefix lengths, then the suffixes as DELTA_LENGTH_BYTE_ARRAY */
          if( pq_dbp_init(&pCol->dbp, a, n) ){
            return pq_corrupt(p, pCol, "bad DELTA_BYTE_ARRAY prefixes");
          }
          pLen = &pCol->dbp2;
          a += pCol->dbp.iEnd;
          n -= pCol->dbp.iEnd;
        }
        if( pq_dbp_init(pLen, a, n) ){
          return pq_corrupt(p, pCol, "bad DELTA_LENGTH_BYTE_ARRAY lengths");
        }
        pCol->aVal = a + pLen->iEnd;
        pCol->nVal = n - pLen->iEnd;
        break;
      }
      default:
        return pq_unsupported(p, pCol, "encoding", pq_encoding_name(h.eEnc));
    }
    pCol->nLeft = h.nValue;
    return 0;
  }
}

/* Decode one PLAIN value at pCol->aVal[pCol->iVal]. Return 0 or 1 (bad) */
static int pq_plain_value(PqCol *pCol, PqVal *pV){
  const u8 *a = pCol->aVal;
  size_t n = pCol->nVal, i = pCol->iVal;
  switch( pCol->eType ){
    case PQ_BOOLEAN:
      if( pCol->iBool>=(u64)n*8 ) return 1;
      pV->i = (a[pCol->iBool>>3] >> (pCol->iBool & 7)) & 1;
      pCol->iBool++;
      return 0;
    case PQ_INT32:
      if( n-i<4 ) return 1;
      pV->i = (int32_t)pq_le32(a+i);
      pCol->iVal += 4;
      return 0;
    case PQ_INT64:
      if( n-i<8 ) return 1;
      pV->i = (i64)pq_le64(a+i);
      pCol->iVal += 8;
      return 0;
    case PQ_FLOAT: {
      float f;
      u32 x;
      if( n-i<4 ) return 1;
      x = pq_le32(a+i);
      memcpy(&f, &x, 4);
      pV->r = f;
      pCol->iVal += 4;
      return 0;
    }
    case PQ_DOUBLE: {
      u64 x;
      if( n-i<8 ) return 1;
      x = pq_le64(a+i);
      memcpy(&pV->r, &x, 8);
      pCol->iVal += 8;
      return 0;
    }
    case PQ_BYTES: {
      u32 nLen;
      if( n-i<4 ) return 1;
      nLen = pq_le32(a+i);
      if( nLen>n-i-4 ) return 1;
      pV->z = a+i+4;
      pV->n = nLen;
      pCol->iVal += 4 + (size_t)nLen;
      return 0;
    }
    default: {                             /* FIXED_LEN_BYTE_ARRAY */
      size_t w = (size_t)pCol->nFixed;
      if( n-i<w ) return 1;
      pV->z = a+i;
      pV->n = w;
      pCol->iVal += w;
      return 0;
    }
  }
}

/* Dictionary entry k of pCol into *pV (k already range-checked) */
static void pq_dict_value(PqCol *pCol, i64 k, PqVal *pV){
  const u8 *a = pCol->aDict;
  size_t w;
  if( pCol->eType==PQ_BYTES ){
    pV->z = a + pCol->aDictOff[2*k];
    pV->n = pCol->aDictOff[2*k+1];
    return;
  }
  w = pq_plain_width(pCol);
  a += (size_t)k*w;
  switch( pCol->eType ){
    case PQ_INT32: pV->i = (int32_t)pq_le32(a); break;
    case PQ_INT64: pV->i = (i64)pq_le64(a); break;
    case PQ_FLOAT: {
      float f; u32 x = pq_le32(a);
      memcpy(&f, &x, 4);
      pV->r = f;
      break;
    }
    case PQ_DOUBLE: {
      u64 x = pq_le64(a);
      memcpy(&pV->r, &x, 8);
      break;
    }
    default:
      pV->z = a;
      pV->n = w;
      break;
  }
}

/*
** The next value of column pCol into *pV. Return 0 or an error
** (VF_LINE_ERROR, message set).
*/
static int pq_col_next(VfParquet *p, PqCol *pCol, PqVal *pV){
  u64 x;
  pV->bNull = 0;
  while( pCol->nLeft==0 ){
    int rc = pq_next_page(p, pCol);
    if( rc ) return rc;
  }
  pCol->nLeft--;
  if( pCol->bDef ){
    u32 lvl;
    if( pq_rle_next(&pCol->def, &lvl) || lvl>1 ){
      return pq_corrupt(p, pCol, "bad definition levels");
    }
    if( lvl==0 ){
      pV->bNull = 1;
      return 0;
    }
  }
  switch( pCol->eEnc ){
    case PQ_ENC_PLAIN:
      if( pq_plain_value(pCol, pV) ){
        return pq_corrupt(p, pCol, "page ends before its values");
      }
      return 0;
    case PQ_ENC_PLAINDICT:
    case PQ_ENC_RLEDICT: {
      u32 k;
      if( pq_rle_next(&pCol->idx, &k) || (i64)k>=pCol->nDict ){
        return pq_corrupt(p, pCol, "bad dictionary index");
      }
      pq_dict_value(pCol, k, pV);
      return 0;
    }
    case PQ_ENC_DBP:
      if( pq_dbp_next(&pCol->dbp, &x) ){
        return pq_corrupt(p, pCol, "bad DELTA_BINARY_PACKED data");
      }
      /* INT32 deltas wrap at 32 bits: keep the low half, signed. */
      pV->i = pCol->eType==PQ_INT32 ? (i64)(int32_t)(u32)x : (i64)x;
      return 0;
    case PQ_ENC_DLBA:
      if( pq_dbp_next(&pCol->dbp, &x) || x>pCol->nVal - pCol->iVal ){
        return pq_corrupt(p, pCol, "bad DELTA_LENGTH_BYTE_ARRAY data");
      }
      pV->z = pCol->aVal + pCol->iVal;
      pV->n = (size_t)x;
      pCol->iVal += (size_t)x;
      return 0;
    default: {                             /* PQ_ENC_DBA */
      u64 nPre, nSuf;
      if( pq_dbp_next(&pCol->dbp, &nPre) || pq_dbp_next(&pCol->dbp2, &nSuf)
       || nPre>pCol->nPrev || nSuf>pCol->nVal - pCol->iVal ){
        return pq_corrupt(p, pCol, "bad DELTA_BYTE_ARRAY data");
      }
      /* The value can only grow by its suffix bytes, so it never
      ** exceeds the page; check anyway before allocating. */
      if( nPre + nSuf>pCol->nPrevAlloc ){
        u8 *aNew;
        size_t nNew = (size_t)(nPre + nSuf)*2 + 64;
        if( nPre + nSuf>VF_PARQUET_MAX_PAGE ){
          return pq_corrupt(p, pCol, "bad DELTA_BYTE_ARRAY data");
        }
        aNew = sqlite3_realloc64(pCol->aPrev, nNew);
        if( aNew==0 ) return pq_error(p, "out of memory");
        pCol->aPrev = aNew;
        pCol->nPrevAlloc = nNew;
      }
      if( nSuf ){
        memcpy(pCol->aPrev + nPre, pCol->aVal + pCol->iVal, (size_t)nSuf);
      }
      pCol->iVal += (size_t)nSuf;
      pCol->nPrev = (size_t)(nPre + nSuf);
      pV->z = pCol->aPrev;
      pV->n = pCol->nPrev;
      return 0;
    }
  }
}

/* ---------------------------------------------------------------------
** Row groups and pruning
*/

/* Signed integer statistic a[0..n-1] of a column of type eType into *pv */
static int pq_stat_int(int eType, const u8 *a, u32 n, i64 *pv){
  if( eType==PQ_INT32 && n==4 ){ *pv = (int32_t)pq_le32(a); return 1; }
  if( eType==PQ_INT64 && n==8 ){ *pv = (i64)pq_le64(a); return 1; }
  return 0;
}

/* 1 if [a,b] and [c,d] overlap */
static int pq_overlap(i64 a, i64 b, i64 c, i64 d){
  return a<=d && c<=b;
}

/* Compare bytes a[0..na-1] with string z, like memcmp on the shorter */
static int pq_textcmp(const u8 *a, u32 na, const char *z){
  size_t nz = strlen(z), m = na<nz ? na : nz;
  int c = m ? memcmp(a, z, m) : 0;
  if( c ) return c;
  return na<nz ? -1 : (na>nz ? 1 : 0);
}

/* 1 if row group pG may hold a row that passes every constraint */
static int pq_group_may_match(const VfParquet *p, const PqGroup *pG){
  int k;
  if( pG->nRow==0 ) return 0;
  for(k=0; k<p->nPrune; k++){
    const PqPrune *pP = &p->aPrune[k];
    const PqCol *pCol = &p->aCol[pP->iCol];
    const PqChunk *pC = &pG->aChunk[pP->iCol];
    i64 iMin, iMax;
    if( pC->bNull && pC->nNull==pC->nValue ) return 0;   /* all NULL */
    if( !pC->bMin || !pC->bMax ) continue;
    if( pP->eKind==PQ_PRUNE_TEXT ){
      if( !pC->bOrdered || !p->bColumnOrder ) continue;
      if( pP->zLo && pq_textcmp(pC->aMax, pC->nMax, pP->zLo)<0 ) return 0;
      if( pP->zHi && pq_textcmp(pC->aMin, pC->nMin, pP->zHi)>0 ) return 0;
      continue;
    }
    if( !pq_stat_int(pCol->eType, pC->aMin, pC->nMin, &iMin)
     || !pq_stat_int(pCol->eType, pC->aMax, pC->nMax, &iMax)
     || iMin>iMax ){
      continue;
    }
    if( pP->eKind==PQ_PRUNE_INT ){
      if( !pq_overlap(iMin, iMax, pP->lo, pP->hi) ) return 0;
    }else{
      /* The values v with vf_epoch_seconds(v) in [lo,hi]: seconds below
      ** PQ_EPOCH_MS, and milliseconds [lo*1000, hi*1000+999] above. */
      int bMay = 0;
      i64 hiSec = pP->hi<PQ_EPOCH_MS-1 ? pP->hi : PQ_EPOCH_MS-1;
      if( pP->lo<=hiSec && pq_overlap(iMin, iMax, pP->lo, hiSec) ) bMay = 1;
      if( !bMay && pP->hi>=PQ_EPOCH_MS/1000 ){
        i64 lo2 = pP->lo<=PQ_EPOCH_MS/1000 ? PQ_EPOCH_MS :
                  (pP->lo>INT64_MAX/1000 ? INT64_MAX : pP->lo*1000);
        i64 hi2 = pP->hi>=(INT64_MAX-999)/1000 ? INT64_MAX : pP->hi*1000+999;
        if( pP->lo<=INT64_MAX/1000 && lo2<=hi2
         && pq_overlap(iMin, iMax, lo2, hi2) ){
          bMay = 1;
        }
      }
      if( !bMay ) return 0;
    }
  }
  return 1;
}

/*
** Set up the cursors of the selected columns for row group p->iGroup.
** Return 0 or an error.
*/
static int pq_start_group(VfParquet *p){
  PqGroup *pG = &p->aGroup[p->iGroup];
  int k;
  u64 iEnd = 0;
  for(k=0; k<p->nCol; k++){
    PqCol *pCol = &p->aCol[k];
    PqChunk *pC = &pG->aChunk[k];
    if( (u64)(pC->iStart + pC->nBytes)>iEnd ){
      iEnd = (u64)(pC->iStart + pC->nBytes);
    }
    if( !pCol->bSel ) continue;
    if( pCol->zUnsup ){
      return pq_error(p, "unsupported Parquet feature: %s (column '%s')",
                      pCol->zUnsup, pCol->zName);
    }
    assert( pq_codec_supported(pC->eCodec) );   /* vf_parquet_open() */
    pCol->eCodec = pC->eCodec;
    pCol->iPos = pC->iStart;
    pCol->iEnd = pC->iStart + pC->nBytes;
    pCol->bData = 0;
    pCol->nDict = -1;
    pCol->nLeft = 0;
  }
  p->iOffset = iEnd;
  return 0;
}

/* ---------------------------------------------------------------------
** Formatting a row
*/

/* Append z[0..n-1] to the row; past the limit only note that it is long */
static void pq_put(VfParquet *p, const void *z, size_t n){
  if( n>VF_READER_MAX_LINE - p->nLine ){
    p->bLong = 1;
    return;
  }
  memcpy(p->zLine + p->nLine, z, n);
  p->nLine += n;
}

/* Append the decimal digits of v */
static void pq_put_u64(VfParquet *p, u64 v, int bNeg){
  char z[24];
  int i = (int)sizeof(z);
  do{ z[--i] = (char)('0' + v%10); v /= 10; }while( v );
  if( bNeg ) z[--i] = '-';
  pq_put(p, z+i, sizeof(z) - (size_t)i);
}

/* Note the first problem of a row that cannot be a line */
static void pq_bad(VfParquet *p, const PqCol *pCol, const char *zWhat){
  if( p->zBad[0]==0 ){
    sqlite3_snprintf((int)sizeof(p->zBad), p->zBad,
                     "Parquet column '%s': %s", pCol->zName, zWhat);
  }
}

/* Append value *pV of column pCol */
static void pq_put_value(VfParquet *p, const PqCol *pCol, const PqVal *pV){
  if( pV->bNull ){
    pq_put(p, "-", 1);
    return;
  }
  switch( pCol->eType ){
    case PQ_BOOLEAN:
      pq_put(p, pV->i ? "1" : "0", 1);
      break;
    case PQ_INT32:
      if( pCol->bUnsigned ){
        pq_put_u64(p, (u32)pV->i, 0);
      }else{
        pq_put_u64(p, pV->i<0 ? 0-(u64)pV->i : (u64)pV->i, pV->i<0);
      }
      break;
    case PQ_INT64:
      if( pCol->bUnsigned ){
        pq_put_u64(p, (u64)pV->i, 0);
      }else{
        pq_put_u64(p, pV->i<0 ? 0-(u64)pV->i : (u64)pV->i, pV->i<0);
      }
      break;
    case PQ_FLOAT:
    case PQ_DOUBLE: {
      char z[40];
      int n = snprintf(z, sizeof(z), pCol->eType==PQ_FLOAT ? "%.9g" : "%.17g",
                       pV->r);
      pq_put(p, z, (size_t)n);
      break;
    }
    default: {
      size_t k;
      if( pV->n==0 ){
        pq_bad(p, pCol, "empty string");
        return;
      }
      for(k=0; k<pV->n; k++){
        if( pV->z[k]<=' ' ){
          pq_bad(p, pCol, pV->z[k]==' ' ? "value contains a space" :
                          "value contains a control character");
          return;
        }
      }
      pq_put(p, pV->z, pV->n);
      break;
    }
  }
}

/* ---------------------------------------------------------------------
** Public interface
*/

int vf_parquet_magic(const void *a, size_t n){
  return n>=4 && (memcmp(a, "PAR1", 4)==0 || memcmp(a, "PARE", 4)==0);
}

/*
** vf_parquet_open() and vf_parquet_open_io(): a local file (pIo==0) or
** the byte source pIo, which this takes over (closed even on failure).
*/
static int pq_open(const char *zPath, VfParquetIo *pIo, VfParquet **pp,
                   char *zErr, size_t nErr){
  VfParquet *p;
  struct stat st;
  u8 aHead[4], aTail[8];
  u32 nFooter;
  int e;
  size_t nPath = strlen(zPath);

  *pp = 0;
  p = sqlite3_malloc64(sizeof(*p));
  if( p==0 ){
    if( pIo ) pIo->xClose(pIo);
    goto open_nomem;
  }
  memset(p, 0, sizeof(*p));
  p->fd = -1;
  p->pIo = pIo;
  p->iGroup = -1;
  p->eState = VF_LINE_OK;
  /* a byte source's reasons (an HTTP answer) are longer than errno's */
  p->nErr = (int)(nPath + PQ_ERRROOM + (pIo ? 1024 : 0));
  p->zErr = sqlite3_malloc64((size_t)p->nErr);
  p->zPath = sqlite3_malloc64(nPath+1);
  p->zLine = sqlite3_malloc64(VF_READER_MAX_LINE);
  if( p->zErr==0 || p->zPath==0 || p->zLine==0 ) goto open_nomem;
  p->zErr[0] = 0;
  memcpy(p->zPath, zPath, nPath+1);

  if( pIo ){
    p->nSize = pIo->nSize;
  }else{
    p->fd = open(zPath, O_RDONLY|O_CLOEXEC);
    if( p->fd<0 || fstat(p->fd, &st)!=0 ){
      e = errno;
      pq_error(p, "cannot open: %s", strerror(e));
      goto open_failed;
    }
    if( !S_ISREG(st.st_mode) ){
      pq_error(p, "not a regular file (Parquet needs random access)");
      goto open_failed;
    }
    p->nSize = (u64)st.st_size;
  }
  if( p->nSize<12 ){
    pq_error(p, "not a Parquet file: %llu bytes is too short",
             (unsigned long long)p->nSize);
    goto open_failed;
  }
  if( (e = pq_pread(p, 0, aHead, 4, 4))!=0 ){
    pq_read_error(p, e, 0);
    goto open_failed;
  }
  if( (e = pq_pread(p, p->nSize-8, aTail, 8, p->nSize))!=0 ){
    pq_read_error(p, e, p->nSize-8);
    goto open_failed;
  }
  if( memcmp(aHead, "PARE", 4)==0 || memcmp(aTail+4, "PARE", 4)==0 ){
    pq_error(p, "unsupported Parquet feature: encrypted files");
    goto open_failed;
  }
  if( memcmp(aHead, "PAR1", 4)!=0 ){
    pq_error(p, "not a Parquet file: no PAR1 magic at the start");
    goto open_failed;
  }
  if( memcmp(aTail+4, "PAR1", 4)!=0 ){
    pq_error(p, "corrupt Parquet file: no PAR1 magic at the end "
             "(truncated?)");
    goto open_failed;
  }
  nFooter = pq_le32(aTail);
  if( (u64)nFooter>p->nSize-12 ){
    pq_error(p, "corrupt Parquet file: footer length %u is past the start "
             "of the file (%llu bytes)", nFooter,
             (unsigned long long)p->nSize);
    goto open_failed;
  }
  if( nFooter>VF_PARQUET_MAX_FOOTER ){
    pq_error(p, "unsupported Parquet feature: a footer over %d MiB",
             VF_PARQUET_MAX_FOOTER>>20);
    goto open_failed;
  }
  p->aFooter = sqlite3_malloc64(nFooter ? nFooter : 1);
  if( p->aFooter==0 ) goto open_nomem;
  e = pq_pread(p, p->nSize - 8 - nFooter, p->aFooter, nFooter, p->nSize);
  if( e ){
    pq_read_error(p, e, p->nSize - 8 - nFooter);
    goto open_failed;
  }
  if( pq_read_footer(p, p->aFooter, nFooter, (i64)(p->nSize - 8 - nFooter)) ){
    goto open_failed;
  }
  p->eState = VF_LINE_OK;
  *pp = p;
  return 0;

open_nomem:
  if( nErr>0 ){
    sqlite3_snprintf(nErr>0x7fffffff ? 0x7fffffff : (int)nErr, zErr,
                     "'%s': out of memory", zPath);
  }
  vf_parquet_close(p);
  return 1;

open_failed:
  if( nErr>0 ){
    sqlite3_snprintf(nErr>0x7fffffff ? 0x7fffffff : (int)nErr, zErr, "%s",
                     p->zErr);
  }
  vf_parquet_close(p);
  return 1;
}

int vf_parquet_open(const char *zPath, VfParquet **pp, char *zErr,
                    size_t nErr){
  return pq_open(zPath, 0, pp, zErr, nErr);
}

int vf_parquet_open_io(const char *zPath, VfParquetIo *pIo, VfParquet **pp,
                       char *zErr, size_t nErr){
  return pq_open(zPath, pIo, pp, zErr, nErr);
}

void vf_parquet_header(VfParquet *p, const char **pz, size_t *pn){
  *pz = p->zHeader;
  *pn = p->nHeader;
}

int vf_parquet_column_count(const VfParquet *p){
  return p->nCol;
}

const char *vf_parquet_column_name(const VfParquet *p, int i){
  return i>=0 && i<p->nCol ? p->aCol[i].zName : 0;
}

int vf_parquet_select(VfParquet *p, const char *const *azName, int nName){
  int i, k, nSel = 0;
  if( p->bStarted ) return -1;
  for(i=0; i<p->nCol; i++){
    PqCol *pCol = &p->aCol[i];
    pCol->bSel = azName==0;
    for(k=0; azName && k<nName && !pCol->bSel; k++){
      if( azName[k] && pq_name_eq(pCol->zName, azName[k]) ) pCol->bSel = 1;
    }
    nSel += pCol->bSel;
  }
  return nSel;
}

/* Record a constraint; see vf_parquet_prune() */
static PqPrune *pq_add_prune(VfParquet *p, const char *zCol, int eKind){
  int iCol = pq_find_col(p, zCol);
  PqCol *pCol;
  PqPrune *pP;
  if( iCol<0 || p->bStarted || p->nPrune>=PQ_MAX_PRUNE ) return 0;
  pCol = &p->aCol[iCol];
  if( eKind==PQ_PRUNE_TEXT ){
    if( pCol->eType!=PQ_BYTES && pCol->eType!=PQ_FIXED ) return 0;
  }else{
    if( (pCol->eType!=PQ_INT32 && pCol->eType!=PQ_INT64) || pCol->bUnsigned ){
      return 0;
    }
  }
  pP = &p->aPrune[p->nPrune];
  memset(pP, 0, sizeof(*pP));
  pP->iCol = iCol;
  pP->eKind = eKind;
  return pP;
}

int vf_parquet_prune(VfParquet *p, const char *zCol, int64_t lo, int64_t hi){
  PqPrune *pP = pq_add_prune(p, zCol, PQ_PRUNE_INT);
  if( pP==0 ) return 0;
  pP->lo = lo;
  pP->hi = hi;
  p->nPrune++;
  return 1;
}

int vf_parquet_prune_epoch(VfParquet *p, const char *zCol,
                           int64_t lo, int64_t hi){
  PqPrune *pP = pq_add_prune(p, zCol, PQ_PRUNE_EPOCH);
  if( pP==0 ) return 0;
  pP->lo = lo;
  pP->hi = hi;
  p->nPrune++;
  return 1;
}

int vf_parquet_prune_text(VfParquet *p, const char *zCol,
                          const char *zLo, const char *zHi){
  PqPrune *pP = pq_add_prune(p, zCol, PQ_PRUNE_TEXT);
  if( pP==0 ) return 0;
  if( zLo && (pP->zLo = sqlite3_mprintf("%s", zLo))==0 ) return 0;
  if( zHi && (pP->zHi = sqlite3_mprintf("%s", zHi))==0 ){
    sqlite3_free(pP->zLo);
    pP->zLo = 0;
    return 0;
  }
  p->nPrune++;
  return 1;
}

int vf_parquet_next_row(VfParquet *p, const char **pz, size_t *pn){
  int k;
  *pz = "";
  *pn = 0;
  if( p->eState!=VF_LINE_OK ) return p->eState;
  p->bStarted = 1;

  /* Move to a row group with rows left, skipping the pruned ones. */
  while( p->iGroup<0 || p->iRowInGroup>=p->aGroup[p->iGroup].nRow ){
    if( p->iGroup>=0 ){
      /* Every decoded column must have used up its values exactly. */
      for(k=0; k<p->nCol; k++){
        PqCol *pCol = &p->aCol[k];
        if( pCol->bSel && pCol->nLeft>0 ){
          return pq_corrupt(p, pCol, "more values than rows");
        }
      }
    }
    if( p->iGroup+1>=p->nGroup ){
      p->eState = VF_LINE_EOF;
      return VF_LINE_EOF;
    }
    p->iGroup++;
    p->iRowInGroup = 0;
    if( !pq_group_may_match(p, &p->aGroup[p->iGroup]) ){
      p->iRow += p->aGroup[p->iGroup].nRow;
      p->iRowInGroup = p->aGroup[p->iGroup].nRow;
      if( p->aGroup[p->iGroup].nRow>0 ) p->nSkipped++;
      continue;
    }
    if( pq_start_group(p) ) return VF_LINE_ERROR;
  }

  p->nLine = 0;
  p->bLong = 0;
  p->zBad[0] = 0;
  for(k=0; k<p->nCol; k++){
    PqCol *pCol = &p->aCol[k];
    if( k ) pq_put(p, " ", 1);
    if( !pCol->bSel ){
      pq_put(p, "-", 1);
    }else{
      PqVal v;
      memset(&v, 0, sizeof(v));
      if( pq_col_next(p, pCol, &v) ) return VF_LINE_ERROR;
      pq_put_value(p, pCol, &v);
    }
  }
  p->iRowInGroup++;
  p->iRow++;
  if( p->zBad[0]==0 && p->bLong ){
    sqlite3_snprintf((int)sizeof(p->zBad), p->zBad,
                     "Parquet row longer than %d bytes as text",
                     VF_READER_MAX_LINE);
  }
  if( p->zBad[0] ){
    *pz = p->zBad;
    *pn = strlen(p->zBad);
    return VF_PARQUET_BADROW;
  }
  *pz = p->zLine;
  *pn = p->nLine;
  return VF_LINE_OK;
}

int64_t vf_parquet_rowno(const VfParquet *p){
  return p->iRow;
}

int64_t vf_parquet_row_count(const VfParquet *p){
  return p->nRowTotal;
}

int vf_parquet_group_count(const VfParquet *p){
  return p->nGroup;
}

int vf_parquet_groups_skipped(const VfParquet *p){
  return p->nSkipped;
}

int64_t vf_parquet_pages_read(const VfParquet *p){
  return p->nPageRead;
}

const char *vf_parquet_errmsg(const VfParquet *p){
  return p->eState==VF_LINE_ERROR ? p->zErr : "";
}

uint64_t vf_parquet_offset(const VfParquet *p){
  return p->eState==VF_LINE_EOF ? p->nSize : p->iOffset;
}

uint64_t vf_parquet_size(const VfParquet *p){
  return p->nSize;
}

void vf_parquet_close(VfParquet *p){
  int i;
  if( p==0 ) return;
  if( p->fd>=0 ) close(p->fd);
  if( p->pIo ) p->pIo->xClose(p->pIo);
  for(i=0; i<p->nCol; i++){
    pq_col_free(&p->aCol[i]);
    sqlite3_free(p->aCol[i].zName);
  }
  for(i=0; i<p->nGroup; i++) sqlite3_free(p->aGroup[i].aChunk);
  for(i=0; i<p->nPrune; i++){
    sqlite3_free(p->aPrune[i].zLo);
    sqlite3_free(p->aPrune[i].zHi);
  }
  sqlite3_free(p->aCol);
  sqlite3_free(p->aGroup);
  sqlite3_free(p->aFooter);
  sqlite3_free(p->zHeader);
  sqlite3_free(p->zLine);
  sqlite3_free(p->zPath);
  sqlite3_free(p->zErr);
  sqlite3_free(p);
}

/* ---------------------------------------------------------------------
** The Parquet row format (format.h): what reader.c calls. Its lines are
** the header (line 0), then one per row, a row that cannot be a line as
** VF_LINE_BAD.
*/

static int pq_fmt_magic(const void *a, size_t n){
  return vf_parquet_magic(a, n);
}

static int pq_fmt_open(const char *zPath, void **pp, char *zErr,
                       size_t nErr){
  VfParquet *p = 0;
  int rc = vf_parquet_open(zPath, &p, zErr, nErr);
  *pp = p;
  return rc;
}

static int pq_fmt_next(void *pFile, const char **pz, size_t *pn){
  VfParquet *p = (VfParquet*)pFile;
  if( !p->bHeaderOut ){
    p->bHeaderOut = 1;
    vf_parquet_header(p, pz, pn);
    return VF_LINE_OK;
  }
  return vf_parquet_next_row(p, pz, pn);   /* BADROW is VF_LINE_BAD */
}

static int64_t pq_fmt_lineno(void *pFile){
  return vf_parquet_rowno((VfParquet*)pFile);
}

static uint64_t pq_fmt_offset(void *pFile){
  return vf_parquet_offset((VfParquet*)pFile);
}

static uint64_t pq_fmt_size(void *pFile){
  return vf_parquet_size((VfParquet*)pFile);
}

static const char *pq_fmt_errmsg(void *pFile){
  return vf_parquet_errmsg((VfParquet*)pFile);
}

static int pq_fmt_select(void *pFile, const char *const *azName, int nName){
  return vf_parquet_select((VfParquet*)pFile, azName, nName);
}

static int pq_fmt_prune(void *pFile, const VfPrune *pX){
  VfParquet *p = (VfParquet*)pFile;
  switch( pX->eKind ){
    case VF_PRUNE_INT:   return vf_parquet_prune(p, pX->zCol, pX->lo, pX->hi);
    case VF_PRUNE_EPOCH:
      return vf_parquet_prune_epoch(p, pX->zCol, pX->lo, pX->hi);
    case VF_PRUNE_TEXT:
      return vf_parquet_prune_text(p, pX->zCol, pX->zLo, pX->zHi);
  }
  return 0;
}

static void pq_fmt_close(void *pFile){
  vf_parquet_close((VfParquet*)pFile);
}

const VfFormat vf_format_parquet = {
  "parquet", 4, pq_fmt_magic,
  0, 0, 0, 0,                                   /* not a byte format */
  pq_fmt_open, pq_fmt_next, pq_fmt_lineno, pq_fmt_offset, pq_fmt_size,
  pq_fmt_errmsg, pq_fmt_select, pq_fmt_prune, pq_fmt_close
};
