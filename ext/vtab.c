/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** vtab.c - the vpcflow virtual table: AWS VPC Flow Log files as rows.
**
** Usage:
**
**   SELECT action, count(*) FROM vpcflow('logs/') GROUP BY 1;
**   SELECT * FROM vpcflow('cw-export.log', '${version} ${srcaddr} ...');
**   SELECT * FROM vpcflow('f.log', NULL, 1);          -- strict
**   CREATE VIRTUAL TABLE temp.flows USING vpcflow('logs/2026');
**   CREATE VIRTUAL TABLE temp.f2 USING vpcflow(path='x.log',
**                                        format='${srcaddr} ${dstaddr}',
**                                        strict=1);
**
** TWO FORMS, ONE MODULE. The module is eponymous (xCreate==xConnect), so
** "vpcflow" exists as a table-valued function in every connection. Its
** schema must be declared before any argument is known, so it is the fixed
** superset of every catalog field: the 14 default fields visible, all
** others HIDDEN but selectable. Its arguments arrive as '=' constraints on
** the hidden columns path, format and strict, in that order.
**
** A CREATE VIRTUAL TABLE with arguments instead reads the first line of
** every file at creation time and declares exactly the header fields, in
** header order; over files with different headers, their union in the
** order first seen. Fields the catalog does not know become TEXT columns.
**
** HOW A LINE BECOMES A ROW (vfParseLine). Blank lines are ignored. A
** Firehose {"message":"..."} wrapper is removed. The text must be free of
** control characters and valid UTF-8. Tokens are split on runs of blanks.
** A line whose first token is a known field name and whose tokens all look
** like field names is a header: it sets the token-to-column mapping for
** the lines after it (a repeat of the current header changes nothing).
** A file without a header uses the format argument, else the default v2
** format. A line with one token more than the layout whose first token is
** an ISO-8601 time is a CloudWatch Logs export line: that token is dropped.
** Then every integer field is checked; a bad line is recorded in
** vpcflow_errors (or, in strict mode, is an SQL error naming file:line).
** The ordinary lines of a plain file arrive already split and checked,
** parsed on both cores (vfBlockLine, ahead.h); every other line still
** comes through vfParseLine, which alone decides what is wrong with it.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include "vtab.h"
#include "catalog.h"
#include "parse.h"
#include "reader.h"
#include "source.h"
#include "errlog.h"
#include "filter.h"
#include "schema.h"
#include "func.h"
#include "progress.h"
#include "group.h"
#include "rowref.h"
#include "parquet.h"
#include "ahead.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#ifndef SQLITE_OMIT_VIRTUALTABLE

/* What an SQL column of the table shows */
#define VF_COL_DATA    0   /* a flow log field (a slot) */
#define VF_COL_PATH    1   /* table-valued argument 1 */
#define VF_COL_FORMAT  2   /* table-valued argument 2 */
#define VF_COL_STRICT  3   /* table-valued argument 3 */
#define VF_COL_FILE    4   /* log_file: the file the row came from */
#define VF_COL_LINE    5   /* log_line: its 1-based line number */
#define VF_COL_DT      6   /* dt: YYYY/MM/DD of the S3 key, else of start */
#define VF_COL_EXTRA   7   /* extra_arg: catches one argument too many */
#define VF_COL_ROW     8   /* vpcflow_row: the parsed record, for C (rowref.h) */

/* The constraint op of a WHERE ip_in_cidr(column, cidr) term. */
#define VF_CONSTRAINT_CIDR SQLITE_INDEX_CONSTRAINT_FUNCTION

/* idxNum bit: deliver rows grouped (see THE PLAN) */
#define VF_PLAN_GROUPED 0x10
/* idxNum bit: interrupted while planned (INTERRUPTS WHILE PLANNING) */
#define VF_PLAN_INTR 0x40

/* Most GROUP BY columns grouped by the scan */
#define GROUP_MAX_KEY 8

/* Most WHERE terms pushed into one scan */
#define VF_MAX_TERMS 32

/* While xNext reads lines that give no row (rows rejected by pushed-down
** terms, bad lines, a line too long to keep), SQLite cannot notice an
** interrupt: it looks only between rows. So every VF_PROBE_LINES such
** lines, and whenever the reader pauses inside an endless line, the
** cursor steps a trivial statement on the same connection; sqlite3_step
** returns SQLITE_INTERRUPT while sqlite3_interrupt() is in force (SQLite
** 3.40 has no sqlite3_is_interrupted()). 8192 lines take about a
** millisecond. */
#define VF_PROBE_LINES 8192

/* How far a record's end may lie from the 5-minute window its S3 file
** name gives (AWS: the file holds the records whose end falls in that
** window) before file pruning would be wrong. Pruning uses this much
** slack on each side so late or early deliveries are never lost; start
** may lie another aggregation interval plus capture lag (10 min + 1 min)
** earlier, taken generously as one more hour. */
#define VF_PRUNE_SLACK 3600

/* Parse-ahead of plain files (ahead.h): blocks in the ring, and the
** bytes of each. Six blocks keep the worker in work while the query
** thread holds one; 128 KiB stays in the CPU's cache. */
#define VF_AHEAD_SLOTS 6
#define VF_AHEAD_BLOCK (128*1024)

/* Most bytes of a token quoted in an error message */
#define VF_QUOTE_MAX 40

/*
** A data field of the table: a catalog field (table-valued form) or a
** header field (created form).
*/
typedef struct VfSlot VfSlot;
struct VfSlot {
  char *zName;               /* field name as AWS writes it: "log-status" */
  int iCat;                  /* catalog index, or -1 if unknown */
  unsigned char eType;       /* VF_INT or VF_TEXT */
  unsigned char bEpoch;      /* Unix time: scale milliseconds */
  int64_t iMax;              /* largest legal value of a VF_INT field */
};

/*
** What a regular file looked like when the statement first saw it: when
** planning a GROUP BY stat()ed and sniffed it (vfFileBytes), or else when
** the scan opened it. A file seen before it is opened, or opened twice (a
** spilled GROUP BY reads every file again, vfRewind), is compared with
** it at each open (vfCheckStamp): the reader only knows the file from
** its own open on, so a file cut between planning and the scan would
** otherwise end in a cut last line that the reader takes for a line
** without its newline (found by the soak, seed 17120575033047403164).
*/
typedef struct VfStamp VfStamp;
struct VfStamp {
  int64_t nSize;             /* bytes; -1 while not seen (or not regular) */
  int64_t iMtime;            /* st_mtim, ns */
  uint64_t iIno, iDev;       /* st_ino, st_dev */
};

typedef struct VfTable VfTable;
struct VfTable {
  sqlite3_vtab base;         /* Base class - must be first */
  sqlite3 *db;               /* the connection */
  VfErrLog *pLog;            /* where skipped lines are recorded */
  int bTvf;                  /* 1: table-valued form, arguments per query */
  char *zPath;               /* created form: the path argument */
  char *zFormat;             /* created form: the format argument or NULL */
  int bStrict;               /* created form: strict=1 */
  int nSlot;                 /* number of data fields */
  VfSlot *aSlot;             /* the data fields */
  int nCol;                  /* number of SQL columns */
  unsigned char *aColKind;   /* VF_COL_* of each SQL column */
  int *aColSlot;             /* slot of each VF_COL_DATA column */
  /* The expansion of a path made while planning (vfEstimateBytes), kept
  ** for the scan that follows so that a path is expanded once per query */
  char *zPlanPath;           /* the path expanded, or NULL */
  VfFileList planFiles;      /* its files */
  VfStamp *aPlanStamp;       /* ... as planning saw them (nFile), or NULL */
  int64_t nPlanBytes;        /* ... and their vfFilesBytes() */
  sqlite3_int64 iPlanTime;   /* when, in ms (sqlite3_current_time) */
  sqlite3_stmt *pPlanProbe;  /* "SELECT 1": interrupt check while planning */
  sqlite3_stmt *pPlanHold;   /* "VALUES(1),(2)", held after its first row
                             ** while planning expands a path (vfPlanHold) */
  int bPlanHeld;             /* pPlanHold is held now */
  int bPlanIntr;             /* planning zIntrPath was interrupted ... */
  char *zIntrPath;
  sqlite3_int64 iIntrTime;   /* ... at this time (ms) */
};

/*
** How the tokens of the current file map to slots. Rebuilt for each file
** and whenever a different header appears mid-file.
*/
typedef struct VfLayout VfLayout;
struct VfLayout {
  int nTok;                       /* tokens per record */
  int aTokSlot[VF_MAX_FIELDS];    /* slot of each token, or -1 */
  int nInt;                       /* integer tokens */
  int aIntTok[VF_MAX_FIELDS];     /* their token indexes */
  char *zSig;                     /* the names, space-separated, or NULL */
};

typedef struct VfCursor VfCursor;
struct VfCursor {
  sqlite3_vtab_cursor base;  /* Base class - must be first */
  VfFileList files;          /* files of this scan */
  int iFile;                 /* index in files of the current file */
  VfReader *pReader;         /* the open file, or NULL between files */
  char *zPath;               /* path of this scan */
  char *zFormat;             /* format of this scan, or NULL */
  int bStrict;               /* strict mode for this scan */
  const char *zNameOf;       /* file whose shown name zNameShown holds */
  char *zNameShown;          /* its name with '?' for bad bytes, or NULL */
  int nFmt;                  /* fields in zFormat (or the default) */
  VfSpan aFmt[VF_MAX_FIELDS];/* their names */
  const char *zFmtText;      /* the text aFmt points into */
  int bLayout;               /* layout is set for the current file */
  VfLayout layout;           /* token to slot map */
  int *aSlotTok;             /* per slot: token index, or -1 */
  int64_t *aSlotVal;         /* per slot: parsed integer value */
  const char *zRow;          /* the current record's text */
  VfSpan aTok[VF_MAX_FIELDS];/* its tokens */
  int iTok0;                 /* 1 if token 0 is a CloudWatch timestamp */
  int64_t iLine;             /* line number of the current record */
  int bKeyDate;              /* 1 if the file's S3 key gave a date */
  char zKeyDate[16];         /* that date, "YYYY/MM/DD" */
  sqlite3_int64 iRowid;      /* rows returned by this scan */
  int bEof;                  /* no more rows */
  char *zUnwrap;             /* buffer for unwrapped Firehose records */
  int nTerm;                 /* pushed-down terms on data columns */
  VfTerm aTerm[VF_MAX_TERMS];/* the terms */
  int nQuiet;                /* lines read since the last row */
  sqlite3_stmt *pProbe;      /* "SELECT 1", to notice interrupts */
  int64_t nPruned;           /* files skipped by log_file or time terms */
  VfProgress progress;       /* the progress line of a long scan */
  uint64_t nDoneBytes;       /* bytes of the files finished so far */
  int64_t nLines;            /* lines read in this scan */
  VfGroupStore *pGroup;      /* grouped delivery: the rows, or NULL */
  VfStamp *aStamp;           /* per file, as first seen (vfCheckStamp), or
                             ** NULL: only statements planned with a size
                             ** estimate and grouped scans keep them */
  int64_t nStampBytes;       /* vfFilesBytes() of the planning, or -1 */
  int bReread;               /* a spilled GROUP BY reads the files again */
  int64_t iGroupRow;         /* grouped delivery: current output row */
  int *aSlotPay;             /* grouped delivery: payload index per slot */
  uint64_t mColUsed;         /* sqlite3_index_info.colUsed of the plan */
  unsigned char *aSlotUsed;  /* per slot: 1 if the statement reads it */
  unsigned iLayoutGen;       /* bumped whenever the layout changes */
  /* Parse-ahead (vfBlockLine): a plain file read in blocks whose lines the
  ** worker thread and this one parse (ahead.h) */
  int bAheadOn;              /* this scan may read plain files in blocks */
  int bAheadThread;          /* ... with a worker thread */
  size_t nAheadBlock;        /* ... of this many bytes */
  size_t nFillCap;           /* bytes to queue per block, at most that */
  VfAhead *pAhead;           /* the ring, kept from scan to scan, or NULL */
  int bBlocks;               /* the current file is read in blocks */
  int bBlockEnd;             /* the next line must come from the reader */
  unsigned iAheadGen;        /* generation of the layout pAhead has */
  unsigned iAheadFor;        /* iLayoutGen that layout was made from */
  VfAheadLayout aheadLayout; /* that layout */
  int aKeepSlot[VF_MAX_FIELDS];  /* slot of each of its kept integers */
  const VfAheadBlock *pBlk;  /* the block lines come from, or NULL */
  int iRec;                  /* its next record */
  size_t iRestPos;           /* after the records: its next line */
  int64_t nBlkLines;         /* its lines handed out so far */
  /* For the error of a scan that read no line (vfScanDone) */
  int64_t nScanRows;         /* lines that became rows (before WHERE) */
  int64_t nScanErr;          /* lines and file problems recorded */
  char *zScanErr;            /* the first of them: "FILE: (line N: )why" */
  int bScanErrFmt;           /* ... looks like a headerless file read
                             ** with the wrong format */
  int bFileHeader;           /* a header line set the current layout */
  int bNote;                 /* the error being recorded is a note about
                             ** a header (vfSetLayout), not a lost line */
};

/* ---------------------------------------------------------------------
** Small helpers
*/

/* Set the table's error message, printf-style. */
static void vfSetError(VfTable *pTab, const char *zFmt, ...){
  va_list ap;
  va_start(ap, zFmt);
  sqlite3_free(pTab->base.zErrMsg);
  pTab->base.zErrMsg = sqlite3_vmprintf(zFmt, ap);
  va_end(ap);
}

/* 1 if names a[0..na-1] and b[0..nb-1] are the same field ('-' == '_'). */
static int vfNameEq(const char *a, size_t na, const char *b, size_t nb){
  size_t i;
  if( na!=nb ) return 0;
  for(i=0; i<na; i++){
    char x = a[i]=='_' ? '-' : a[i];
    char y = b[i]=='_' ? '-' : b[i];
    if( x!=y ) return 0;
  }
  return 1;
}

/*
** Strip "'path': " from the front of a reader message when it names the
** file being read: the errors table has the file in its own column.
*/
static const char *vfStripPath(const char *zMsg, const char *zFile){
  size_t n = strlen(zFile);
  if( zMsg[0]=='\'' && strncmp(zMsg+1, zFile, n)==0
   && zMsg[n+1]=='\'' && zMsg[n+2]==':' && zMsg[n+3]==' ' ){
    return zMsg + n + 4;
  }
  return zMsg;
}

/* Current file name of a cursor. */
static const char *vfCurFile(VfCursor *pCur){
  return pCur->files.azFile[pCur->iFile];
}

/*
** Count a problem of the current file, and keep the first one of the
** scan for vfScanDone(). Return SQLITE_OK or SQLITE_NOMEM.
*/
static int vfNoteScanError(VfCursor *pCur, int64_t iLine,
                           const char *zReason){
  if( pCur->nScanErr++==0 ){
    /* The usual cause of a scan with nothing but errors: a headerless
    ** file of another version read with the default format. Its lines
    ** have the wrong count, or text where a number belongs. */
    pCur->bScanErrFmt = iLine>0 && !pCur->bFileHeader
        && (strncmp(zReason, "wrong field count", 17)==0
            || strncmp(zReason, "not an integer", 14)==0);
    if( iLine>0 ){
      pCur->zScanErr = sqlite3_mprintf("%s: line %lld: %s", vfCurFile(pCur),
                                       (long long)iLine, zReason);
    }else{
      pCur->zScanErr = sqlite3_mprintf("%s: %s", vfCurFile(pCur), zReason);
    }
    if( pCur->zScanErr==0 ) return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

/* Forget the counts of vfNoteScanError(): a new scan starts. */
static void vfScanReset(VfCursor *pCur){
  pCur->nScanRows = 0;
  pCur->nScanErr = 0;
  sqlite3_free(pCur->zScanErr);
  pCur->zScanErr = 0;
  pCur->bScanErrFmt = 0;
  pCur->bFileHeader = 0;
}

/*
** The scan has read its last file. If problems were recorded and not one
** line became a row, it fails, naming the first problem's file and
** reason: a scan that gives nothing but errors read the wrong format or
** the wrong files, and 0 rows would look like no traffic. A scan with
** some good lines keeps the bad ones in vpcflow_errors, as always (in a
** tree of logs, one bad file must not hide the others). Return SQLITE_OK
** or SQLITE_ERROR with the table's message set.
*/
static int vfScanDone(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  if( pCur->nScanRows>0 || pCur->nScanErr==0 ) return SQLITE_OK;
  vfSetError(pTab, "vpcflow: no line could be read: %s%s%s",
             pCur->zScanErr ? pCur->zScanErr : "",
             pCur->nScanErr>1 ? " (all problems: SELECT * FROM "
                                "vpcflow_errors)" : "",
             pCur->bScanErrFmt ? "; a file without a header line is read "
                 "with the format argument, else the default v2 format: "
                 "give its format, as in vpcflow(path, '${version} "
                 "${account-id} ...')" : "");
  return SQLITE_ERROR;
}

/*
** A line of the current file could not be used. In strict mode this is
** an SQL error naming file:line; otherwise it is recorded in the log.
*/
static int vfLineError(VfCursor *pCur, const char *zReason,
                       const char *zText, size_t nText){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  if( pCur->bStrict ){
    vfSetError(pTab, "vpcflow: %s:%lld: %s", vfCurFile(pCur),
               (long long)pCur->iLine, zReason);
    return SQLITE_ERROR;
  }
  if( !pCur->bNote && vfNoteScanError(pCur, pCur->iLine, zReason) ){
    return SQLITE_NOMEM;
  }
  return vf_errlog_add(pTab->pLog, vfCurFile(pCur), pCur->iLine, zReason,
                       zText, nText);
}

/* A whole-file problem (unreadable, truncated gzip): as vfLineError. */
static int vfFileError(VfCursor *pCur, const char *zReason){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  if( pCur->bStrict ){
    vfSetError(pTab, "vpcflow: %s: %s", vfCurFile(pCur), zReason);
    return SQLITE_ERROR;
  }
  if( vfNoteScanError(pCur, 0, zReason) ) return SQLITE_NOMEM;
  return vf_errlog_add(pTab->pLog, vfCurFile(pCur), 0, zReason, 0, 0);
}

/* 1 if the header tokens in z match the current layout's names. */
static int vfSameHeader(VfCursor *pCur, const char *z, const VfSpan *a,
                        int nTok){
  const char *zSig = pCur->layout.zSig;
  int i;
  if( !pCur->bLayout || zSig==0 || nTok!=pCur->layout.nTok ) return 0;
  for(i=0; i<nTok; i++){
    size_t n = strcspn(zSig, " ");
    if( !vfNameEq(zSig, n, z+a[i].iOff, a[i].nLen) ) return 0;
    zSig += n;
    if( *zSig==' ' ) zSig++;
  }
  return 1;
}

/* Slot of the field named z[0..n-1] in table pTab, or -1. */
static int vfFindSlot(VfTable *pTab, const char *z, size_t n){
  int i;
  if( pTab->bTvf ) return vf_catalog_find(z, n);
  for(i=0; i<pTab->nSlot; i++){
    const char *zName = pTab->aSlot[i].zName;
    if( vfNameEq(zName, strlen(zName), z, n) ) return i;
  }
  return -1;
}

/* The slot of the "start" field (dt is its date), or -1. */
static int vfStartSlot(VfTable *pTab){
  return pTab->bTvf ? 10 : vfFindSlot(pTab, "start", 5);
}

/*
** Set the cursor's layout from nName field names a[] in text z (a header
** line or a format). Names the table has no column for, and repeated
** names, are reported once (as errors of the current line) and their
** tokens ignored. Return SQLITE_OK, SQLITE_NOMEM or, in strict mode,
** SQLITE_ERROR.
*/
static int vfSetLayout(VfCursor *pCur, const char *z, const VfSpan *a,
                       int nName){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  VfLayout *pL = &pCur->layout;
  int i, rc = SQLITE_OK;
  sqlite3_str *pSig;

  for(i=0; i<pTab->nSlot; i++) pCur->aSlotTok[i] = -1;
  sqlite3_free(pL->zSig);
  pL->zSig = 0;
  pL->nTok = nName;
  pL->nInt = 0;
  pSig = sqlite3_str_new(pTab->db);
  for(i=0; i<nName && rc==SQLITE_OK; i++){
    const char *zName = z + a[i].iOff;
    int nLen = (int)a[i].nLen;
    int iSlot = vfFindSlot(pTab, zName, (size_t)nLen);
    if( i ) sqlite3_str_appendchar(pSig, 1, ' ');
    sqlite3_str_append(pSig, zName, nLen);
    if( iSlot>=0 && pCur->aSlotTok[iSlot]>=0 ){
      /* z is the format's own text when no header line set the layout */
      char *zMsg = sqlite3_mprintf("duplicate field '%.*s' in %s: "
                                   "only its first column is read", nLen,
                                   zName, z==pCur->zFmtText ?
                                   "the format string" : "header");
      pCur->bNote = 1;
      rc = zMsg ? vfLineError(pCur, zMsg, 0, 0) : SQLITE_NOMEM;
      pCur->bNote = 0;
      sqlite3_free(zMsg);
      iSlot = -1;
    }else if( iSlot<0 ){
      char *zMsg = pTab->bTvf ?
        sqlite3_mprintf("unknown field '%.*s' is not a column of the "
                        "table-valued form: use CREATE VIRTUAL TABLE to "
                        "read it", nLen, zName) :
        sqlite3_mprintf("field '%.*s' is not a column of this table "
                        "(no file had it when the table was created): "
                        "create the table again to read it", nLen, zName);
      pCur->bNote = 1;
      rc = zMsg ? vfLineError(pCur, zMsg, 0, 0) : SQLITE_NOMEM;
      pCur->bNote = 0;
      sqlite3_free(zMsg);
    }
    pL->aTokSlot[i] = iSlot;
    if( iSlot>=0 ){
      pCur->aSlotTok[iSlot] = i;
      if( pTab->aSlot[iSlot].eType==VF_INT ) pL->aIntTok[pL->nInt++] = i;
    }
  }
  pL->zSig = sqlite3_str_finish(pSig);
  if( rc==SQLITE_OK && pL->zSig==0 ) rc = SQLITE_NOMEM;
  pCur->bLayout = 1;
  pCur->iLayoutGen++;
  return rc;
}

/* ---------------------------------------------------------------------
** Reading rows
*/

/* Close the current file, if any, and forget its layout. */
static void vfCloseFile(VfCursor *pCur){
  if( pCur->bBlocks ){
    vf_ahead_reset(pCur->pAhead);
    pCur->bBlocks = 0;
    pCur->bBlockEnd = 0;
    pCur->pBlk = 0;
  }
  if( pCur->pReader ) pCur->nDoneBytes += vf_reader_size(pCur->pReader);
  vf_reader_close(pCur->pReader);
  pCur->pReader = 0;
  pCur->bLayout = 0;
}

/*
** Parse the integer tokens of the record in z. Return SQLITE_OK with *pbRow
** set if the record is good, else report why (vfLineError).
**
** This runs for every integer of every line. vf_parse_ints() takes all
** the numbers of up to 16 digits of the line at once (four at a time
** with AVX2); a token it did not take, or whose value is above the
** field's maximum, is parsed again by vf_parse_int(), which says what it
** is ("-", a longer number, not a number, out of range). The inner loop
** calls nothing: with a call in it the compiler kept its values on the
** stack and reloaded them on every turn.
*/
static int vfCheckInts(VfCursor *pCur, const char *z, size_t n, int *pbRow){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  const VfLayout *pL = &pCur->layout;
  const VfSlot *aSlot = pTab->aSlot;
  const VfSpan *aTok = &pCur->aTok[pCur->iTok0];
  int64_t *aVal = pCur->aSlotVal;
  uint64_t aNum[VF_INTS_ROOM(VF_MAX_FIELDS)];
  int k = 0, nInt = pL->nInt;
  vf_parse_ints(z, n, aTok, pL->aIntTok, nInt, aNum);
  while( 1 ){
    const VfSpan *pS;
    const VfSlot *pSlot = 0;
    int64_t v = 0, w = 0;
    int iSlot = 0, e;
    for(; k<nInt; k++){
      iSlot = pL->aTokSlot[pL->aIntTok[k]];
      pSlot = &aSlot[iSlot];
      if( aNum[k]>(uint64_t)pSlot->iMax ) break;
      v = (int64_t)aNum[k];
      aVal[iSlot] = pSlot->bEpoch ? vf_epoch_seconds(v) : v;
    }
    if( k>=nInt ) break;
    pS = &aTok[pL->aIntTok[k]];
    e = vf_parse_int(z+pS->iOff, pS->nLen, pSlot->iMax, &w);
    if( e==VF_INT_OK ){
      aVal[iSlot] = pSlot->bEpoch ? vf_epoch_seconds(w) : w;
    }else if( e!=VF_INT_DASH ){
      char zMsg[200];
      int nQ = vf_utf8_prefix(z+pS->iOff, pS->nLen, VF_QUOTE_MAX);
      char *zCol = sqlite3_mprintf("%s", pSlot->zName);
      char *p;
      if( zCol==0 ) return SQLITE_NOMEM;
      for(p=zCol; *p; p++) if( *p=='-' ) *p = '_';
      if( e==VF_INT_BAD && pCur->iTok0==0 && pS==&aTok[0]
       && vf_is_cw_timestamp(z+pS->iOff, pS->nLen) ){
        /* A CloudWatch export line one field short has the layout's count
        ** only with its timestamp: say that, not "not an integer". */
        snprintf(zMsg, sizeof(zMsg), "wrong field count: expected %d after "
                 "the CloudWatch timestamp, found %d", pL->nTok, pL->nTok-1);
      }else if( e==VF_INT_BAD ){
        snprintf(zMsg, sizeof(zMsg), "not an integer in %s: '%.*s'",
                 zCol, nQ, z+pS->iOff);
      }else{
        snprintf(zMsg, sizeof(zMsg), "out of range in %s: %.*s (max %lld)",
                 zCol, nQ, z+pS->iOff, (long long)pSlot->iMax);
      }
      sqlite3_free(zCol);
      return vfLineError(pCur, zMsg, z, n);
    }
    k++;
  }
  *pbRow = 1;
  return SQLITE_OK;
}

/*
** Turn one line of the current file into a row. Set *pbRow to 1 if the
** cursor now holds a row; leave it 0 for headers, blank lines and lines
** that were recorded as errors.
*/
static int vfParseLine(VfCursor *pCur, const char *z, size_t n, int *pbRow){
  int nTok, bUtf8 = 0, bSuspect = 0, rc;
  char zMsg[120];

  nTok = vf_scan_line(z, n, pCur->aTok, VF_MAX_FIELDS, &bSuspect);
  if( nTok==0 ) return SQLITE_OK;               /* blank line */
  if( z[pCur->aTok[0].iOff]=='{' ){
    size_t nOut = 0;
    int r;
    if( pCur->zUnwrap==0 ){
      pCur->zUnwrap = sqlite3_malloc64(VF_READER_MAX_LINE);
      if( pCur->zUnwrap==0 ) return SQLITE_NOMEM;
    }
    r = vf_unwrap_message(z, n, pCur->zUnwrap, VF_READER_MAX_LINE, &nOut);
    if( r<0 ){
      return vfLineError(pCur, "malformed {\"message\":...} wrapper", z, n);
    }
    if( r>0 ){
      z = pCur->zUnwrap;
      n = nOut;
      nTok = vf_scan_line(z, n, pCur->aTok, VF_MAX_FIELDS, &bSuspect);
      if( nTok==0 ) return SQLITE_OK;           /* blank once unwrapped */
    }
  }
  if( bSuspect ){
    size_t iBad = vf_check_text(z, n, &bUtf8);
    if( iBad ){
      if( bUtf8 ){
        snprintf(zMsg, sizeof(zMsg), "invalid UTF-8 at byte %zu", iBad);
      }else{
        snprintf(zMsg, sizeof(zMsg), "control character 0x%02x at byte %zu",
                 (unsigned char)z[iBad-1], iBad);
      }
      return vfLineError(pCur, zMsg, z, n);
    }
  }
  /* a header starts with a field name, so with a-z: most lines are not
  ** worth the call */
  if( (vf_reader_parquet(pCur->pReader) && vf_reader_lineno(pCur->pReader)==0)
   || (z[pCur->aTok[0].iOff]>='a' && z[pCur->aTok[0].iOff]<='z'
       && vf_is_header(z, pCur->aTok, nTok)) ){
    pCur->bFileHeader = 1;
    if( vfSameHeader(pCur, z, pCur->aTok, nTok) ) return SQLITE_OK;
    return vfSetLayout(pCur, z, pCur->aTok, nTok);
  }
  if( !pCur->bLayout ){
    rc = vfSetLayout(pCur, pCur->zFmtText, pCur->aFmt, pCur->nFmt);
    if( rc ) return rc;
  }
  pCur->iTok0 = 0;
  if( nTok!=pCur->layout.nTok ){
    if( nTok==pCur->layout.nTok+1 && nTok<=VF_MAX_FIELDS
     && vf_is_cw_timestamp(z+pCur->aTok[0].iOff, pCur->aTok[0].nLen) ){
      pCur->iTok0 = 1;
    }else{
      snprintf(zMsg, sizeof(zMsg), "wrong field count: expected %d, found %d",
               pCur->layout.nTok, nTok);
      return vfLineError(pCur, zMsg, z, n);
    }
  }
  rc = vfCheckInts(pCur, z, n, pbRow);
  if( *pbRow ) pCur->zRow = z;
  return rc;
}

/*
** SQLITE_INTERRUPT if sqlite3_interrupt() is in force on the cursor's
** connection, else SQLITE_OK (see VF_PROBE_LINES).
*/
static int vfProbeInterrupt(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int rc;
  if( pCur->pProbe==0 ){
    rc = sqlite3_prepare_v2(pTab->db, "SELECT 1", -1, &pCur->pProbe, 0);
    if( rc ) return rc;
  }
  rc = sqlite3_step(pCur->pProbe);
  sqlite3_reset(pCur->pProbe);
  if( rc==SQLITE_INTERRUPT ){
    vfSetError(pTab, "interrupted");
    return SQLITE_INTERRUPT;
  }
  return SQLITE_OK;
}

/* 1 if the cursor's row may satisfy every pushed-down term. */
static int vfRowPasses(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int k;
  for(k=0; k<pCur->nTerm; k++){
    const VfTerm *pT = &pCur->aTerm[k];
    int iTok = pCur->aSlotTok[pT->iSlot];
    const char *z = 0;
    size_t n = 0;
    int bNull = 1;
    if( iTok>=0 ){
      const VfSpan *pS = &pCur->aTok[iTok + pCur->iTok0];
      z = pCur->zRow + pS->iOff;
      n = pS->nLen;
      bNull = (n==1 && z[0]=='-');
    }
    if( !vf_term_test(pT, bNull, pTab->aSlot[pT->iSlot].eType==VF_INT ?
                      pCur->aSlotVal[pT->iSlot] : 0, z, n) ){
      return 0;
    }
  }
  return 1;
}

/*
** A Parquet file is about to be read: decode only the columns the
** statement uses, and let pushed-down terms on integer columns (start
** and end read as possible milliseconds too) and '=' on text columns skip
** row groups by their statistics. Only terms that NULL never satisfies
** are given (not IS NULL, not ip_in_cidr), as parquet.h asks.
*/
static int vfParquetSetup(VfCursor *pCur, VfParquet *pPq){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  const char *azName[VF_MAX_FIELDS];
  int nName = 0, i, k;
  if( (pCur->mColUsed>>63)==0 ){
    for(i=0; i<pTab->nSlot && nName<VF_MAX_FIELDS; i++){
      if( pCur->aSlotUsed[i] ) azName[nName++] = pTab->aSlot[i].zName;
    }
    vf_parquet_select(pPq, azName, nName);
  }
  for(k=0; k<pCur->nTerm; k++){
    const VfTerm *pT = &pCur->aTerm[k];
    const VfSlot *pSlot = &pTab->aSlot[pT->iSlot];
    if( pT->bPassAll || pT->op==VF_OP_ISNULL || pT->op==VF_OP_NOTNULL
     || pT->op==VF_OP_CIDR ){
      continue;
    }
    if( pT->bInt ){
      int64_t lo = INT64_MIN, hi = INT64_MAX;
      vf_term_bounds(pT, &lo, &hi);
      if( lo==INT64_MIN && hi==INT64_MAX ) continue;
      if( pSlot->bEpoch ){
        vf_parquet_prune_epoch(pPq, pSlot->zName, lo, hi);
      }else{
        vf_parquet_prune(pPq, pSlot->zName, lo, hi);
      }
    }else if( pT->op==VF_OP_EQ && pT->zVal ){
      vf_parquet_prune_text(pPq, pSlot->zName, pT->zVal, pT->zVal);
    }
  }
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------
** Parse-ahead: a plain file in blocks, parsed on both cores (ahead.h)
**
** Once a plain file's layout is known (its header, or the format),
** vfAdvance() takes its lines from vfBlockLine() instead of the reader.
** The reader hands over blocks of whole lines, the ring parses them, and
** each line comes back with a record: an ordinary data line with its
** spans and values ready (vfApplyRec() makes it the cursor's row), any
** other line as text for vfParseLine(), exactly as the reader would have
** given it. A layout change (a header mid-file) makes the records parsed
** under the old one worthless: their lines go the slow way too.
*/

/* Give the ring the current layout: what a data line must look like, and
** which spans and values of it the statement reads. */
static void vfAheadSetLayout(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  const VfLayout *pL = &pCur->layout;
  VfAheadLayout *pA = &pCur->aheadLayout;
  int k, t;
  pA->nTok = pL->nTok;
  pA->nInt = pL->nInt;
  pA->nKeepTok = 0;
  pA->nKeepInt = 0;
  for(k=0; k<pL->nInt; k++){
    int iSlot = pL->aTokSlot[pL->aIntTok[k]];
    pA->aIntTok[k] = pL->aIntTok[k];
    pA->aIntMax[k] = (uint64_t)pTab->aSlot[iSlot].iMax;
    pA->aIntEpoch[k] = pTab->aSlot[iSlot].bEpoch;
    if( pCur->aSlotUsed[iSlot] ){
      pCur->aKeepSlot[pA->nKeepInt] = iSlot;
      pA->aKeepInt[pA->nKeepInt++] = k;
    }
  }
  for(t=0; t<pL->nTok; t++){
    int iSlot = pL->aTokSlot[t];
    if( iSlot>=0 && pCur->aSlotUsed[iSlot] ) pA->aKeepTok[pA->nKeepTok++] = t;
  }
  pCur->iAheadGen = vf_ahead_layout(pCur->pAhead, pA);
  pCur->iAheadFor = pCur->iLayoutGen;
}

/*
** The layout has just been set: the file's first (a header, or the format
** at the first data line), or a new header mid-file. Give it to the ring
** if the file is read in blocks already. Otherwise start reading in
** blocks if the file is plain and the scan allows it. Return SQLITE_OK
** or SQLITE_NOMEM.
*/
static int vfLayoutChanged(VfCursor *pCur){
  VfAhead *p = pCur->pAhead;
  pCur->iAheadFor = pCur->iLayoutGen;
  if( pCur->bBlocks ){
    vfAheadSetLayout(pCur);
    return SQLITE_OK;
  }
  if( !pCur->bAheadOn || !pCur->bLayout || pCur->pReader==0
   || !vf_reader_can_block(pCur->pReader)
   || vf_reader_size(pCur->pReader)<2*pCur->nAheadBlock ){
    /* (a file of a block or two gains nothing from a second core, and
    ** would pay a hand-over for each of thousands of small files) */
    return SQLITE_OK;
  }
  if( p==0 ){
    if( vf_ahead_open(&p, VF_AHEAD_SLOTS, pCur->nAheadBlock,
                      pCur->bAheadThread) ){
      return SQLITE_NOMEM;
    }
    pCur->pAhead = p;
  }
  pCur->bBlocks = 1;
  pCur->bBlockEnd = 0;
  pCur->pBlk = 0;
  pCur->nFillCap = 0;
  vfAheadSetLayout(pCur);
  return SQLITE_OK;
}

/* Make the line z of a record the cursor's row: its spans and values. */
static void vfApplyRec(VfCursor *pCur, const VfAheadRec *pRec,
                       const char *z){
  const VfAheadLayout *pA = &pCur->aheadLayout;
  const VfSpan *aSpan = (const VfSpan*)&pRec[1];
  const int64_t *aVal = (const int64_t*)&aSpan[pA->nKeepTok];
  int k;
  for(k=0; k<pA->nKeepTok; k++) pCur->aTok[pA->aKeepTok[k]] = aSpan[k];
  for(k=0; k<pA->nKeepInt; k++) pCur->aSlotVal[pCur->aKeepSlot[k]] = aVal[k];
  pCur->zRow = z;
  pCur->iTok0 = 0;
}

/*
** The next line of a file read in blocks, as vf_reader_next() gives
** lines (VF_LINE_*, *pz, *pn), and pCur->iLine its number. For an
** ordinary data line whose record is good, *ppRec is set too: the caller
** applies it instead of parsing the line.
*/
static int vfBlockLine(VfCursor *pCur, const char **pz, size_t *pn,
                       const VfAheadRec **ppRec){
  VfAhead *pA = pCur->pAhead;
  for(;;){
    const VfAheadBlock *pB = pCur->pBlk;
    if( pB ){
      size_t n;
      if( pCur->iRec<pB->nRec ){
        const VfAheadRec *pRec = (const VfAheadRec*)
                           (pB->aRec + pB->szRec*(size_t)pCur->iRec++);
        *pz = pB->z + pRec->iOff;
        n = pRec->nLen & ~VF_AHEAD_SLOW;
        if( (pRec->nLen & VF_AHEAD_SLOW)==0 && pB->iGen==pCur->iAheadGen ){
          *ppRec = pRec;
        }
      }else if( pCur->iRestPos<pB->n ){
        /* past the records: split the line here, it goes the slow way */
        *pz = pB->z + pCur->iRestPos;
        n = vf_ahead_next_line(pB->z, pB->n, &pCur->iRestPos);
      }else{
        /* the block is done */
        vf_reader_add_lines(pCur->pReader, pCur->nBlkLines);
        vf_ahead_release(pA);
        pCur->pBlk = 0;
        continue;
      }
      pCur->nBlkLines++;
      pCur->iLine++;
      if( n>VF_READER_MAX_LINE ){
        *pn = VF_READER_HEAD;
        return VF_LINE_TOOLONG;
      }
      *pn = n;
      return VF_LINE_OK;
    }
    if( !pCur->bBlockEnd ){
      char *zBuf;
      size_t nCap;
      while( (zBuf = vf_ahead_space(pA, &nCap))!=0 ){
        size_t n;
        if( pCur->nFillCap && pCur->nFillCap<nCap ) nCap = pCur->nFillCap;
        n = vf_reader_block(pCur->pReader, zBuf, nCap);
        if( n==0 ){
          pCur->bBlockEnd = 1;
          break;
        }
        vf_ahead_queue(pA, n);
      }
    }
    pB = vf_ahead_take(pA);
    if( pB ){
      if( pB->iRest<pB->n ){
        /* Short lines: more than the records the block had room for. The
        ** rest is parsed here, line by line; queue smaller blocks. */
        pCur->nFillCap = pB->iRest - pB->iRest/8;
        if( pCur->nFillCap<1024 ) pCur->nFillCap = 1024;
      }
      pCur->pBlk = pB;
      pCur->iRec = 0;
      pCur->iRestPos = pB->iRest;
      pCur->nBlkLines = 0;
      continue;
    }
    /* Nothing queued: this one line comes from the reader (a line longer
    ** than a block, the last line, the end), then blocks again. */
    pCur->bBlockEnd = 0;
    {
      int e = vf_reader_next(pCur->pReader, pz, pn);
      pCur->iLine = vf_reader_lineno(pCur->pReader);
      return e;
    }
  }
}

/* One more line read: now and then, the progress line. Its rate counts
** lines read, not rows returned: a selective WHERE returns few rows from
** a fast scan. */
static void vfCountLine(VfCursor *pCur){
  if( (++pCur->nLines & 0xffff)==0 ){
    vf_progress_tick(&pCur->progress, pCur->iFile,
                     pCur->nDoneBytes + vf_reader_offset(pCur->pReader),
                     (int64_t)pCur->nLines);
  }
}

/*
** The common case of xNext, kept short: the next line of the current
** block has a ready record and no pushed-down term must judge it. Return
** 1 with the row in the cursor, or 0 to take the whole way (vfAdvance).
*/
static int vfNextRecord(VfCursor *pCur){
  const VfAheadBlock *pB = pCur->pBlk;
  const VfAheadRec *pRec;
  if( pB==0 || pCur->iRec>=pB->nRec || pB->iGen!=pCur->iAheadGen
   || pCur->nTerm>0 ){
    return 0;
  }
  pRec = (const VfAheadRec*)(pB->aRec + pB->szRec*(size_t)pCur->iRec);
  if( pRec->nLen & VF_AHEAD_SLOW ) return 0;
  pCur->iRec++;
  pCur->nBlkLines++;
  pCur->iLine++;
  vfCountLine(pCur);
  vfApplyRec(pCur, pRec, pB->z + pRec->iOff);
  pCur->nQuiet = 0;
  pCur->iRowid++;
  pCur->nScanRows++;
  return 1;
}

static int vfCheckStamp(VfCursor*, char*, size_t);
static int vfStopCb(void*);   /* s3:// Parquet reads ask it (reader.h) */

/*
** Move to the next row, across lines and files. On return either the
** cursor holds a row or bEof is set, unless an error code is returned.
*/
static int vfAdvance(VfCursor *pCur){
  int rc;
  while( 1 ){
    const char *z = 0;
    size_t n = 0;
    const VfAheadRec *pRec = 0;
    int e, bRow = 0;
    if( pCur->pReader==0 ){
      char zErr[512];
      if( pCur->iFile>=pCur->files.nFile ){
        pCur->bEof = 1;
        pCur->progress.nRec = (int64_t)pCur->nLines;
        vf_progress_end(&pCur->progress, 1);
        return vfScanDone(pCur);
      }
      zErr[0] = 0;
      pCur->iLine = 0;
      {
        int y, m, d;
        pCur->bKeyDate = vf_source_key_date(vfCurFile(pCur), &y, &m, &d);
        if( pCur->bKeyDate ){
          snprintf(pCur->zKeyDate, sizeof(pCur->zKeyDate), "%04d/%02d/%02d",
                   y, m, d);
        }
      }
      pCur->bFileHeader = 0;
      if( pCur->files.azWhy && pCur->files.azWhy[pCur->iFile] ){
        /* a path the walk could not read (source.h): reported where it
        ** stands in the list, like a file that cannot be opened */
        rc = vfFileError(pCur, pCur->files.azWhy[pCur->iFile]);
        pCur->iFile++;
        if( rc ) return rc;
        continue;
      }
      if( vf_reader_open_ex(vfCurFile(pCur), &pCur->pReader, zErr, sizeof(zErr),
                            vfStopCb, pCur) ){
        rc = vfFileError(pCur, vfStripPath(zErr, vfCurFile(pCur)));
        pCur->iFile++;
        if( rc ) return rc;
        continue;
      }
      if( pCur->aStamp && vfCheckStamp(pCur, zErr, sizeof(zErr)) ){
        rc = vfFileError(pCur, zErr);
        vfCloseFile(pCur);
        pCur->iFile++;
        if( rc ) return rc;
        continue;
      }
      if( vf_reader_parquet(pCur->pReader) ){
        rc = vfParquetSetup(pCur, vf_reader_parquet(pCur->pReader));
        if( rc ) return rc;
      }
    }
    if( pCur->bBlocks ){
      e = vfBlockLine(pCur, &z, &n, &pRec);
    }else{
      e = vf_reader_next(pCur->pReader, &z, &n);
      pCur->iLine = vf_reader_lineno(pCur->pReader);
    }
    vfCountLine(pCur);
    switch( e ){
      case VF_LINE_OK:
        if( pRec ){
          vfApplyRec(pCur, pRec, z);
          bRow = 1;
          rc = SQLITE_OK;
          break;
        }
        rc = vfParseLine(pCur, z, n, &bRow);
        if( pCur->iLayoutGen!=pCur->iAheadFor && rc==SQLITE_OK ){
          rc = vfLayoutChanged(pCur);
        }
        break;
      case VF_LINE_TOOLONG: {
        char zMsg[64];
        snprintf(zMsg, sizeof(zMsg), "line too long (over %d bytes)",
                 VF_READER_MAX_LINE);
        rc = vfLineError(pCur, zMsg, z, n);
        break;
      }
      case VF_LINE_PARTIAL:
        if( vf_reader_is_gzip(pCur->pReader)
         && strstr(vf_reader_errmsg(pCur->pReader), "cannot read")==0 ){
          rc = vfLineError(pCur,
                   "incomplete last line of a truncated gzip stream", z, n);
        }else{
          /* a file whose read failed: say why (found by the soak: an
          ** EIO, of a plain file and then of a gzip file, was reported
          ** as a truncated gzip stream) */
          char *zWhy = sqlite3_mprintf("incomplete last line: %s",
                          vfStripPath(vf_reader_errmsg(pCur->pReader),
                                      vfCurFile(pCur)));
          rc = zWhy ? vfLineError(pCur, zWhy, z, n) : SQLITE_NOMEM;
          sqlite3_free(zWhy);
        }
        break;
      case VF_LINE_AGAIN:
        rc = SQLITE_OK;
        break;
      case VF_LINE_BAD: {
        char *zWhy = sqlite3_mprintf("%.*s", (int)n, z);
        rc = zWhy ? vfLineError(pCur, zWhy, 0, 0) : SQLITE_NOMEM;
        sqlite3_free(zWhy);
        break;
      }
      case VF_LINE_ERROR:
        rc = vfFileError(pCur, vfStripPath(vf_reader_errmsg(pCur->pReader),
                                           vfCurFile(pCur)));
        vfCloseFile(pCur);
        pCur->iFile++;
        break;
      default:                          /* VF_LINE_EOF */
        rc = SQLITE_OK;
        vfCloseFile(pCur);
        pCur->iFile++;
        break;
    }
    if( rc ) return rc;
    if( bRow ) pCur->nScanRows++;
    if( bRow && (pCur->nTerm==0 || vfRowPasses(pCur)) ){
      pCur->nQuiet = 0;
      pCur->iRowid++;
      return SQLITE_OK;
    }
    if( (++pCur->nQuiet % VF_PROBE_LINES)==0 || e==VF_LINE_AGAIN ){
      rc = vfProbeInterrupt(pCur);
      if( rc ) return rc;
    }
  }
}

/* ---------------------------------------------------------------------
** Creating the table
*/

/*
** Dequote an argument of CREATE VIRTUAL TABLE in place: 'x', "x" and `x`
** lose their quotes, doubled quotes inside become one.
*/
static void vfDequote(char *z){
  char q = z[0];
  size_t i, j, n;
  if( q!='\'' && q!='"' && q!='`' ) return;
  n = strlen(z);
  if( n<2 || z[n-1]!=q ) return;
  for(i=1, j=0; i<n-1; i++){
    if( z[i]==q && z[i+1]==q ) i++;
    z[j++] = z[i];
  }
  z[j] = 0;
}

/* 1 if z means "true" (1, yes, on, true), 0 if "false", -1 otherwise. */
static int vfBoolean(const char *z){
  static const char *azTrue[] = { "1", "yes", "on", "true" };
  static const char *azFalse[] = { "0", "no", "off", "false" };
  size_t i;
  for(i=0; i<4; i++){
    if( sqlite3_stricmp(z, azTrue[i])==0 ) return 1;
    if( sqlite3_stricmp(z, azFalse[i])==0 ) return 0;
  }
  return -1;
}

/* Free a table and everything it owns. */
static void vfTableFree(VfTable *pTab){
  int i;
  if( pTab==0 ) return;
  for(i=0; i<pTab->nSlot; i++) sqlite3_free(pTab->aSlot[i].zName);
  sqlite3_free(pTab->aSlot);
  sqlite3_free(pTab->aColKind);
  sqlite3_free(pTab->aColSlot);
  sqlite3_free(pTab->zPath);
  sqlite3_free(pTab->zFormat);
  sqlite3_free(pTab->zPlanPath);
  vf_source_free(&pTab->planFiles);
  sqlite3_free(pTab->aPlanStamp);
  sqlite3_free(pTab->zIntrPath);
  sqlite3_finalize(pTab->pPlanProbe);
  sqlite3_finalize(pTab->pPlanHold);
  if( pTab->pLog ) vf_errlog_release(pTab->pLog);
  sqlite3_free(pTab->base.zErrMsg);
  sqlite3_free(pTab);
}

/* Append a slot named z[0..n-1] to the table; SQLITE_OK or SQLITE_NOMEM. */
static int vfAddSlot(VfTable *pTab, const char *z, size_t n){
  VfSlot *aNew, *p;
  int iCat = vf_catalog_find(z, n);
  aNew = sqlite3_realloc64(pTab->aSlot, sizeof(VfSlot)*(pTab->nSlot+1));
  if( aNew==0 ) return SQLITE_NOMEM;
  pTab->aSlot = aNew;
  p = &aNew[pTab->nSlot];
  memset(p, 0, sizeof(*p));
  p->iCat = iCat;
  if( iCat>=0 ){
    const VfField *pF = vf_catalog_field(iCat);
    p->zName = sqlite3_mprintf("%s", pF->zName);
    p->eType = pF->eType;
    p->bEpoch = (pF->mFlags & VF_FLAG_EPOCH)!=0;
    p->iMax = pF->iMax;
  }else{
    char *q;
    p->zName = sqlite3_mprintf("%.*s", (int)n, z);
    if( p->zName ) for(q=p->zName; *q; q++) if( *q=='_' ) *q = '-';
    p->eType = VF_TEXT;
  }
  if( p->zName==0 ) return SQLITE_NOMEM;
  pTab->nSlot++;
  return SQLITE_OK;
}

/*
** Parse a format (or the default) into aSpan[], *pn. Return SQLITE_OK or
** SQLITE_ERROR with *pzErr set.
*/
static int vfParseFormat(const char *zFormat, VfSpan *aSpan, int *pn,
                         char **pzErr){
  char zErr[160];
  const char *z = zFormat ? zFormat : vf_default_format;
  int n = vf_parse_format(z, strlen(z), aSpan, VF_MAX_FIELDS, zErr,
                          sizeof(zErr));
  if( n<0 ){
    *pzErr = sqlite3_mprintf("vpcflow: %s", zErr);
    return SQLITE_ERROR;
  }
  *pn = n;
  return SQLITE_OK;
}

/*
** Created form: the columns are the union of the files' fields (schema.c).
*/
static int vfCollectFields(VfTable *pTab, char **pzErr){
  VfSchema schema;
  int i, rc;
  memset(&schema, 0, sizeof(schema));
  rc = vf_schema_collect(pTab->zPath, pTab->zFormat, &schema, pzErr,
                         pTab->db);
  for(i=0; i<schema.nField && rc==SQLITE_OK; i++){
    rc = vfAddSlot(pTab, schema.azField[i], strlen(schema.azField[i]));
  }
  vf_schema_free(&schema);
  return rc;
}

/*
** Parse the arguments of CREATE VIRTUAL TABLE: a path, as the first bare
** argument or path=..., then format=... and strict=... in any order.
*/
static int vfParseArgs(VfTable *pTab, int argc, const char *const *argv,
                       char **pzErr){
  int i, bStrictSeen = 0;
  for(i=3; i<argc; i++){
    const char *zArg = argv[i];
    const char *zEq = strchr(zArg, '=');
    char *zKey = 0, *zVal;
    size_t nKey = 0;
    if( zEq && zArg[0]!='\'' && zArg[0]!='"' ){
      nKey = (size_t)(zEq - zArg);
      while( nKey>0 && zArg[nKey-1]==' ' ) nKey--;
      zKey = sqlite3_mprintf("%.*s", (int)nKey, zArg);
      zArg = zEq+1;
      while( *zArg==' ' ) zArg++;
    }
    zVal = sqlite3_mprintf("%s", zArg);
    if( zVal==0 || (zEq && zKey==0 && nKey>0) ){
      sqlite3_free(zKey); sqlite3_free(zVal);
      return SQLITE_NOMEM;
    }
    vfDequote(zVal);
    if( zKey==0 || sqlite3_stricmp(zKey, "path")==0 ){
      if( pTab->zPath ){
        *pzErr = zKey ?
          sqlite3_mprintf("vpcflow: more than one path given") :
          sqlite3_mprintf("vpcflow: unexpected argument %s: the path is "
                          "given once; the others are format=... and "
                          "strict=...", argv[i]);
        sqlite3_free(zKey); sqlite3_free(zVal);
        return SQLITE_ERROR;
      }
      pTab->zPath = zVal;
    }else if( sqlite3_stricmp(zKey, "format")==0 ){
      if( pTab->zFormat ){
        *pzErr = sqlite3_mprintf("vpcflow: more than one format given");
        sqlite3_free(zKey); sqlite3_free(zVal);
        return SQLITE_ERROR;
      }
      pTab->zFormat = zVal;
    }else if( sqlite3_stricmp(zKey, "strict")==0 ){
      int b = vfBoolean(zVal);
      if( b<0 || bStrictSeen ){
        *pzErr = b<0 ?
          sqlite3_mprintf("vpcflow: strict must be a boolean (1/0, yes/no, "
                          "on/off, true/false), not '%s'", zVal) :
          sqlite3_mprintf("vpcflow: more than one strict given");
        sqlite3_free(zKey); sqlite3_free(zVal);
        return SQLITE_ERROR;
      }
      sqlite3_free(zVal);
      bStrictSeen = 1;
      pTab->bStrict = b;
    }else{
      *pzErr = sqlite3_mprintf("vpcflow: unknown argument '%s' "
                               "(expected path, format or strict)", zKey);
      sqlite3_free(zKey); sqlite3_free(zVal);
      return SQLITE_ERROR;
    }
    sqlite3_free(zKey);
  }
  if( pTab->zPath==0 || pTab->zPath[0]==0 ){
    *pzErr = sqlite3_mprintf("vpcflow: no path given: "
                             "CREATE VIRTUAL TABLE t USING vpcflow('logs/')");
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

/* Append column iCol's declaration to the schema and record its kind. */
static void vfDeclareColumn(VfTable *pTab, sqlite3_str *pStr, int iCol,
                            const char *zName, const char *zType,
                            int bHidden, int eKind, int iSlot){
  if( iCol ) sqlite3_str_appendall(pStr, ", ");
  sqlite3_str_appendf(pStr, "\"%w\" %s%s", zName, zType,
                      bHidden ? " HIDDEN" : "");
  pTab->aColKind[iCol] = (unsigned char)eKind;
  pTab->aColSlot[iCol] = iSlot;
}

/* Declare the data column of slot iSlot as SQL column iCol. */
static int vfDeclareSlot(VfTable *pTab, sqlite3_str *pStr, int iCol,
                         int iSlot, int bHidden){
  const VfSlot *p = &pTab->aSlot[iSlot];
  char *zCol = sqlite3_mprintf("%s", p->zName), *q;
  if( zCol==0 ) return SQLITE_NOMEM;
  for(q=zCol; *q; q++) if( *q=='-' ) *q = '_';
  vfDeclareColumn(pTab, pStr, iCol, zCol,
                  p->eType==VF_INT ? "INTEGER" : "TEXT", bHidden,
                  VF_COL_DATA, iSlot);
  sqlite3_free(zCol);
  return SQLITE_OK;
}

/*
** Build and declare the schema. Table-valued form: the 14 default fields,
** the hidden arguments path, format, strict (they must be the first hidden
** columns: SQLite assigns arguments to hidden columns in order), extra_arg,
** log_file, log_line, dt, then every other catalog field, hidden. Created
** form: the slots in order, then extra_arg, log_file, log_line and dt,
** hidden.
*/
static int vfDeclare(VfTable *pTab){
  sqlite3_str *pStr;
  int nCol = pTab->nSlot + (pTab->bTvf ? 8 : 5);
  int iCol = 0, i, rc = SQLITE_OK;
  char *zSql;

  pTab->aColKind = sqlite3_malloc64(nCol);
  pTab->aColSlot = sqlite3_malloc64(sizeof(int)*(sqlite3_uint64)nCol);
  if( pTab->aColKind==0 || pTab->aColSlot==0 ) return SQLITE_NOMEM;
  pTab->nCol = nCol;
  pStr = sqlite3_str_new(pTab->db);
  sqlite3_str_appendall(pStr, "CREATE TABLE x(");
  if( pTab->bTvf ){
    for(i=0; i<VF_DEFAULT_NFIELD && rc==SQLITE_OK; i++){
      rc = vfDeclareSlot(pTab, pStr, iCol++, i, 0);
    }
    vfDeclareColumn(pTab, pStr, iCol++, "path", "TEXT", 1, VF_COL_PATH, -1);
    vfDeclareColumn(pTab, pStr, iCol++, "format", "TEXT", 1, VF_COL_FORMAT, -1);
    vfDeclareColumn(pTab, pStr, iCol++, "strict", "INTEGER", 1, VF_COL_STRICT, -1);
  }else{
    for(i=0; i<pTab->nSlot && rc==SQLITE_OK; i++){
      rc = vfDeclareSlot(pTab, pStr, iCol++, i, 0);
    }
  }
  /* SQLite gives the arguments of vpcflow(...) to the HIDDEN columns in
  ** order, and would give a 4th to log_file: a silent filter that finds
  ** no row. This column, hidden right after the real arguments (and
  ** first of the created form's, which takes none), takes it instead,
  ** and vfBestIndex() refuses any constraint on it. */
  vfDeclareColumn(pTab, pStr, iCol++, "extra_arg", "ANY", 1, VF_COL_EXTRA, -1);
  vfDeclareColumn(pTab, pStr, iCol++, "log_file", "TEXT", 1, VF_COL_FILE, -1);
  vfDeclareColumn(pTab, pStr, iCol++, "log_line", "INTEGER", 1, VF_COL_LINE, -1);
  vfDeclareColumn(pTab, pStr, iCol++, "dt", "TEXT", 1, VF_COL_DT, -1);
  /* For C callers in this library only (rowref.h): SQL sees NULL. */
  vfDeclareColumn(pTab, pStr, iCol++, "vpcflow_row", "ANY", 1, VF_COL_ROW, -1);
  if( pTab->bTvf ){
    for(i=VF_DEFAULT_NFIELD; i<pTab->nSlot && rc==SQLITE_OK; i++){
      rc = vfDeclareSlot(pTab, pStr, iCol++, i, 1);
    }
  }
  sqlite3_str_appendall(pStr, ")");
  zSql = sqlite3_str_finish(pStr);
  if( rc==SQLITE_OK && zSql==0 ) rc = SQLITE_NOMEM;
  if( rc==SQLITE_OK ) rc = sqlite3_declare_vtab(pTab->db, zSql);
  sqlite3_free(zSql);
  return rc;
}

/*
** xConnect and xCreate. With no arguments (argc==3) this is the table-
** valued form; with arguments, a table over the given path.
*/
static int vfConnect(sqlite3 *db, void *pAux, int argc,
                     const char *const *argv, sqlite3_vtab **ppVtab,
                     char **pzErr){
  VfTable *pTab;
  int rc = SQLITE_OK, i;

  pTab = sqlite3_malloc64(sizeof(*pTab));
  if( pTab==0 ) return SQLITE_NOMEM;
  memset(pTab, 0, sizeof(*pTab));
  pTab->db = db;
  pTab->pLog = (VfErrLog*)pAux;
  vf_errlog_ref(pTab->pLog);
  pTab->bTvf = argc<=3;
  if( pTab->bTvf ){
    for(i=0; i<vf_catalog_count() && rc==SQLITE_OK; i++){
      const VfField *pF = vf_catalog_field(i);
      rc = vfAddSlot(pTab, pF->zName, strlen(pF->zName));
    }
  }else{
    rc = vfParseArgs(pTab, argc, argv, pzErr);
    if( rc==SQLITE_OK ) rc = vfCollectFields(pTab, pzErr);
  }
  if( rc==SQLITE_OK ){
    rc = vfDeclare(pTab);
    if( rc==SQLITE_ERROR && *pzErr==0 ){
      /* The schema vfDeclare() writes always parses: sqlite3_declare_vtab()
      ** fails with SQLITE_ERROR and no message of its own only when its
      ** parser sees an interrupt (sqlite3_interrupt during the prepare
      ** that connects the table; found by the fault soak, which got
      ** "vpcflow: SQL logic error"). */
      *pzErr = sqlite3_mprintf("interrupted");
    }
  }
  if( rc==SQLITE_OK ){
    /* Rationale for DIRECTONLY: a file-reading table must not be usable
    ** from views or triggers stored in a database someone else wrote,
    ** or opening that database could read any file the user can. */
    rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  }
  if( rc!=SQLITE_OK ){
    if( *pzErr==0 ){
      *pzErr = sqlite3_mprintf("vpcflow: %s", sqlite3_errstr(rc));
    }
    vfTableFree(pTab);
    return rc;
  }
  *ppVtab = &pTab->base;
  return SQLITE_OK;
}

static int vfDisconnect(sqlite3_vtab *pVtab){
  vfTableFree((VfTable*)pVtab);
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------
** Cursors
*/

static int vfOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  VfTable *pTab = (VfTable*)pVtab;
  VfCursor *pCur = sqlite3_malloc64(sizeof(*pCur));
  if( pCur==0 ) return SQLITE_NOMEM;
  memset(pCur, 0, sizeof(*pCur));
  pCur->aSlotTok = sqlite3_malloc64(sizeof(int)*(sqlite3_uint64)pTab->nSlot);
  pCur->aSlotVal = sqlite3_malloc64(sizeof(int64_t)*(sqlite3_uint64)pTab->nSlot);
  pCur->aSlotPay = sqlite3_malloc64(sizeof(int)*(sqlite3_uint64)pTab->nSlot);
  pCur->aSlotUsed = sqlite3_malloc64((sqlite3_uint64)pTab->nSlot + 1);
  if( pCur->aSlotTok==0 || pCur->aSlotVal==0 || pCur->aSlotPay==0
   || pCur->aSlotUsed==0 ){
    sqlite3_free(pCur->aSlotTok);
    sqlite3_free(pCur->aSlotVal);
    sqlite3_free(pCur->aSlotPay);
    sqlite3_free(pCur->aSlotUsed);
    sqlite3_free(pCur);
    return SQLITE_NOMEM;
  }
  pCur->bEof = 1;
  *ppCur = &pCur->base;
  return SQLITE_OK;
}

/* Forget the current scan: files, reader, arguments. */
static void vfCursorReset(VfCursor *pCur){
  vfCloseFile(pCur);
  vf_source_free(&pCur->files);
  sqlite3_free(pCur->zPath);
  sqlite3_free(pCur->zFormat);
  sqlite3_free(pCur->zNameShown);
  pCur->zNameShown = 0;
  pCur->zNameOf = 0;
  sqlite3_free(pCur->layout.zSig);
  pCur->layout.zSig = 0;
  pCur->zPath = 0;
  pCur->zFormat = 0;
  pCur->iFile = 0;
  pCur->iRowid = 0;
  pCur->iLine = 0;
  pCur->bEof = 1;
  while( pCur->nTerm>0 ) vf_term_clear(&pCur->aTerm[--pCur->nTerm]);
  pCur->nQuiet = 0;
  pCur->nPruned = 0;
  pCur->nDoneBytes = 0;
  pCur->nLines = 0;
  vf_progress_end(&pCur->progress, 0);
  vf_group_free(pCur->pGroup);
  pCur->pGroup = 0;
  pCur->iGroupRow = 0;
  sqlite3_free(pCur->aStamp);
  pCur->aStamp = 0;
  pCur->nStampBytes = -1;
  pCur->bReread = 0;
  vfScanReset(pCur);
}

static int vfClose(sqlite3_vtab_cursor *cur){
  VfCursor *pCur = (VfCursor*)cur;
  vfCursorReset(pCur);
  sqlite3_free(pCur->aSlotTok);
  sqlite3_free(pCur->aSlotVal);
  sqlite3_free(pCur->aSlotPay);
  sqlite3_free(pCur->aSlotUsed);
  vf_ahead_close(pCur->pAhead);
  sqlite3_free(pCur->zUnwrap);
  sqlite3_finalize(pCur->pProbe);
  sqlite3_free(pCur);
  return SQLITE_OK;
}

/*
** Read the next entry of a plan string (see THE PLAN): its op character
** and number. Return a pointer past it, or NULL at the end.
*/
static const char *vfPlanEntry(const char *z, char *pOp, uint64_t *pN){
  uint64_t n = 0;
  if( z==0 || *z==0 ) return 0;
  *pOp = *z++;
  while( *z>='0' && *z<='9' ) n = n*10 + (uint64_t)(*z++ - '0');
  if( *z==',' ) z++;
  *pN = n;
  return z;
}

/* 1 if a plan op names a grouping entry, which takes no xFilter value. */
static int vfPlanIsGroup(char op){
  return op=='k' || op=='K' || op=='u';
}

/*
** Set up the cursor's terms from the plan string and their values (see
** THE PLAN). Only terms on data columns become row filters.
*/
static int vfSetTerms(VfCursor *pCur, const char *idxStr, int nVal,
                      sqlite3_value **apVal){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  const char *z = idxStr;
  int iVal = 0, rc = SQLITE_OK;
  char op;
  uint64_t n;
  while( rc==SQLITE_OK && (z = vfPlanEntry(z, &op, &n))!=0 && iVal<nVal ){
    int iCol = (int)n;
    if( vfPlanIsGroup(op) ) continue;
    if( iCol<pTab->nCol && pTab->aColKind[iCol]==VF_COL_DATA
     && pCur->nTerm<VF_MAX_TERMS ){
      int iSlot = pTab->aColSlot[iCol];
      rc = vf_term_init(&pCur->aTerm[pCur->nTerm], iSlot, op,
                        pTab->aSlot[iSlot].eType==VF_INT, apVal[iVal]);
      pCur->nTerm++;
    }
    iVal++;
  }
  return rc;
}

/* 1 if text z[0..n-1] satisfies term p as a value of a text column. */
static int vfTextPasses(const VfTerm *p, const char *z){
  return vf_term_test(p, 0, 0, z, strlen(z));
}

/*
** Drop files no row of which can satisfy the plan: '=' or IN on log_file,
** and start/end ranges against the 5-minute window of an S3 file name
** (widened by VF_PRUNE_SLACK on each side). Conservative: a file without
** a time in its name is always read.
*/
static void vfPruneFiles(VfCursor *pCur, const char *idxStr, int nVal,
                         sqlite3_value **apVal){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int64_t loEnd = INT64_MIN, hiEnd = INT64_MAX;
  int64_t loStart = INT64_MIN, hiStart = INT64_MAX;
  VfTerm aFile[4];
  int nFile = 0, iVal = 0, i, j;
  const char *z = idxStr;

  char op;
  uint64_t nEntry;
  while( (z = vfPlanEntry(z, &op, &nEntry))!=0 && iVal<nVal ){
    int iCol = (int)nEntry;
    if( vfPlanIsGroup(op) ) continue;
    if( iCol<pTab->nCol ){
      int eKind = pTab->aColKind[iCol];
      if( eKind==VF_COL_FILE && (op==VF_OP_EQ || op==VF_OP_IN) && nFile<4 ){
        if( vf_term_init(&aFile[nFile], -1, op, 0, apVal[iVal])==SQLITE_OK ){
          nFile++;
        }else{
          vf_term_clear(&aFile[nFile]);
        }
      }else if( eKind==VF_COL_DATA ){
        const VfSlot *pSlot = &pTab->aSlot[pTab->aColSlot[iCol]];
        if( pSlot->iCat==11 || pSlot->iCat==10 ){   /* end, start */
          VfTerm t;
          if( vf_term_init(&t, -1, op, 1, apVal[iVal])==SQLITE_OK ){
            if( pSlot->iCat==11 ) vf_term_bounds(&t, &loEnd, &hiEnd);
            else vf_term_bounds(&t, &loStart, &hiStart);
          }
          vf_term_clear(&t);
        }
      }
    }
    iVal++;
  }
  for(i=j=0; i<pCur->files.nFile; i++){
    char *zFile = pCur->files.azFile[i];
    char *zWhy = pCur->files.azWhy ? pCur->files.azWhy[i] : 0;
    int bKeep = 1, k;
    int64_t t;
    if( zWhy ){
      /* A problem of the walk is always kept: the folder it could not
      ** read may hold files the terms would have taken. */
      if( pCur->aStamp ) pCur->aStamp[j] = pCur->aStamp[i];
      pCur->files.azFile[j] = zFile;
      pCur->files.azWhy[j++] = zWhy;
      continue;
    }
    if( nFile>0 ){
      /* compared as log_file shows the name */
      int bNoMem;
      char *zShown = vf_errlog_name(zFile, &bNoMem);
      if( bNoMem ) zShown = 0;      /* then as is: a row too many is safe */
      for(k=0; k<nFile && bKeep; k++){
        bKeep = vfTextPasses(&aFile[k], zShown ? zShown : zFile);
      }
      sqlite3_free(zShown);
    }
    if( bKeep && vf_source_key_time(zFile, &t) ){
      int64_t lo = t - VF_PRUNE_SLACK, hi = t + 300 + VF_PRUNE_SLACK;
      if( hiEnd<lo || loEnd>hi ) bKeep = 0;
      if( hiStart<lo-VF_PRUNE_SLACK || loStart>hi ) bKeep = 0;
    }
    if( bKeep ){
      if( pCur->aStamp ) pCur->aStamp[j] = pCur->aStamp[i];
      pCur->files.azFile[j] = zFile;
      if( pCur->files.azWhy ) pCur->files.azWhy[j] = 0;
      j++;
    }else{
      sqlite3_free(zFile);
      pCur->nPruned++;
    }
  }
  pCur->files.nFile = j;
  while( nFile>0 ) vf_term_clear(&aFile[--nFile]);
}

/*
** THE PLAN (xBestIndex -> xFilter).
**
** idxNum is a bit mask of the table-valued arguments consumed:
**
**   0x01  path    (required in the table-valued form)
**   0x02  format
**   0x04  strict
**
** and two flags: 0x10 (VF_PLAN_GROUPED, below) and 0x40 (VF_PLAN_INTR:
** interrupted while planned, see INTERRUPTS WHILE PLANNING).
**
** idxStr lists the WHERE terms pushed into the scan, one per xFilter
** argument after the table-valued ones, as "<op><column>," with op a
** VF_OP_* character (filter.h) and column the SQL column number, e.g.
** "=6,i12,>10," for dstport = ?, action IN (...), start > ?. A term on a
** data column filters rows (vfRowPasses); '=' or 'i' on log_file, and
** range terms on start or end, also skip whole files (vfPruneFiles).
** Terms never set omit: SQLite re-checks every row, so a term only has to
** be conservative. The argv order is: the arguments in bit order, then
** the terms in idxStr order.
**
** Every plan ends with "u<colUsed>," (decimal): the columns the statement
** uses, so that a Parquet file decodes only those. Grouped delivery
** (idxNum bit 0x10, VF_PLAN_GROUPED) adds "k<column>," or "K<column>,"
** (DESC) for each GROUP BY column in order. Neither takes an argv value. xFilter then
** reads the whole scan into a VfGroupStore (group.c) and the rows come
** out group by group in key order, so SQLite, told orderByConsumed, skips
** its sorter. The order is a promise: SQLite 3.40 also drops the ORDER BY
** of "GROUP BY a,b ORDER BY a,b" on the strength of it.
*/
static int vfCollectGroups(VfCursor*, const char*);
static int vfGroupStep(VfCursor*);

/*
** Which data slots the statement reads (aSlotUsed): the columns of
** colUsed, "start" for dt, and the slots of pushed-down terms. Records
** parsed ahead keep only these; a Parquet file decodes only these.
*/
static void vfMarkUsed(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int i, bAll = (pCur->mColUsed>>63)!=0;
  memset(pCur->aSlotUsed, bAll, (size_t)pTab->nSlot);
  for(i=0; i<pTab->nCol && i<63 && !bAll; i++){
    int iStart;
    if( (pCur->mColUsed & ((uint64_t)1<<i))==0 ) continue;
    if( pTab->aColKind[i]==VF_COL_ROW ){      /* a C reader: every field */
      memset(pCur->aSlotUsed, 1, (size_t)pTab->nSlot);
      break;
    }else if( pTab->aColKind[i]==VF_COL_DATA ){
      pCur->aSlotUsed[pTab->aColSlot[i]] = 1;
    }else if( pTab->aColKind[i]==VF_COL_DT && (iStart = vfStartSlot(pTab))>=0 ){
      pCur->aSlotUsed[iStart] = 1;
    }
  }
  for(i=0; i<pCur->nTerm; i++) pCur->aSlotUsed[pCur->aTerm[i].iSlot] = 1;
}

/*
** How this scan parses plain files (vfBlockLine): in blocks on both cores
** unless VPCFLOW_PARSE_AHEAD=off; VPCFLOW_PARSE_THREADS=0 keeps the
** blocks but parses them all on the query thread; VPCFLOW_PARSE_BLOCK
** sets the block size in bytes (tests use tiny ones). A ring made for
** other settings by an earlier scan is dropped.
*/
static void vfAheadConfig(VfCursor *pCur){
  const char *zOn = getenv("VPCFLOW_PARSE_AHEAD");
  const char *zThreads = getenv("VPCFLOW_PARSE_THREADS");
  const char *zBlock = getenv("VPCFLOW_PARSE_BLOCK");
  int bThread = !(zThreads && atoi(zThreads)==0);
  long long nBlock = zBlock ? atoll(zBlock) : VF_AHEAD_BLOCK;
  if( nBlock<1 || nBlock>VF_READER_BLOCK_MAX ) nBlock = VF_AHEAD_BLOCK;
  pCur->bAheadOn = !(zOn && strcmp(zOn, "off")==0);
  if( pCur->pAhead && (bThread!=pCur->bAheadThread
                       || (size_t)nBlock!=pCur->nAheadBlock) ){
    vf_ahead_close(pCur->pAhead);
    pCur->pAhead = 0;
  }
  pCur->bAheadThread = bThread;
  pCur->nAheadBlock = (size_t)nBlock;
  if( pCur->pAhead ) vf_ahead_solo(pCur->pAhead, 0);
}

/*
** A text argument of the table-valued form (path, format) must be TEXT
** or NULL. A number or a blob is a
** mistake (a misplaced argument, say), not a file name to look for.
** Return 0, or 1 with the table's error set.
*/
static int vfArgType(VfTable *pTab, sqlite3_value *pV, const char *zName){
  int e = sqlite3_value_type(pV);
  if( e==SQLITE_TEXT ) return 0;
  if( e==SQLITE_NULL ) return 0;     /* a NULL format is the default; a NULL
                                     ** path has its own error */
  vfSetError(pTab, "vpcflow: the %s argument must be text, not %s%s%s%s",
             zName, e==SQLITE_INTEGER ? "an integer" :
                    e==SQLITE_FLOAT ? "a real" : "a blob",
             e==SQLITE_BLOB ? "" : " (",
             e==SQLITE_BLOB ? "" : (const char*)sqlite3_value_text(pV),
             e==SQLITE_BLOB ? "" : ")");
  return 1;
}

/*
** The strict argument of the table-valued form: NULL (as if absent), the
** integers 0 and 1, or text SQLite takes as a boolean (vfBoolean: 1/0,
** yes/no, on/off, true/false, any case). Return 0 or 1, or -1 with the
** table's error set for anything else, named.
*/
static int vfStrictArg(VfTable *pTab, sqlite3_value *pV){
  int e = sqlite3_value_type(pV), b = -1;
  if( e==SQLITE_NULL ) return 0;
  if( e==SQLITE_INTEGER ){
    sqlite3_int64 v = sqlite3_value_int64(pV);
    if( v==0 || v==1 ) b = (int)v;
  }else if( e==SQLITE_TEXT ){
    b = vfBoolean((const char*)sqlite3_value_text(pV));
  }
  if( b<0 ){
    if( e==SQLITE_BLOB ){
      vfSetError(pTab, "vpcflow: strict must be a boolean (1/0, yes/no, "
                 "on/off, true/false), not a blob");
    }else{
      vfSetError(pTab, "vpcflow: strict must be a boolean (1/0, yes/no, "
                 "on/off, true/false), not '%s'", sqlite3_value_text(pV));
    }
  }
  return b;
}

static int vfTakePlanFiles(VfTable*, const char*, VfFileList*, VfCursor*);

/* vf_source_expand_ex() stop callback of a scan: 1 if interrupted. */
static int vfStopCb(void *pArg){
  VfCursor *pCur = (VfCursor*)pArg;
  return vfProbeInterrupt(pCur)!=SQLITE_OK;
}

static int vfFilter(sqlite3_vtab_cursor *cur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  VfCursor *pCur = (VfCursor*)cur;
  VfTable *pTab = (VfTable*)cur->pVtab;
  const char *zPath = pTab->zPath, *zFormat = pTab->zFormat;
  int bStrict = pTab->bStrict, iArg = 0, rc;
  char *zErr = 0;

  vfCursorReset(pCur);
  if( (idxNum & VF_PLAN_INTR) && pTab->bPlanIntr ){
    /* interrupted while planned (INTERRUPTS WHILE PLANNING), delivered
    ** once: the plan keeps the flag, but the same statement reset and
    ** stepped again is a new request and runs (ungrouped, as planned) */
    pTab->bPlanIntr = 0;
    vfSetError(pTab, "interrupted");
    return SQLITE_INTERRUPT;
  }
  if( idxNum & 0x01 ){
    sqlite3_value *pV = argv[iArg++];
    if( vfArgType(pTab, pV, "path") ) return SQLITE_ERROR;
    zPath = (const char*)sqlite3_value_text(pV);
  }
  if( idxNum & 0x02 ){
    sqlite3_value *pV = argv[iArg++];
    if( vfArgType(pTab, pV, "format") ) return SQLITE_ERROR;
    zFormat = (const char*)sqlite3_value_text(pV);
  }
  if( idxNum & 0x04 ){
    bStrict = vfStrictArg(pTab, argv[iArg++]);
    if( bStrict<0 ) return SQLITE_ERROR;
  }
  rc = vfSetTerms(pCur, idxStr, argc-iArg, argv+iArg);
  if( rc ) return rc;
  {
    const char *z = idxStr;
    char op;
    uint64_t n;
    pCur->mColUsed = ~(uint64_t)0;          /* no plan entry: assume all */
    while( (z = vfPlanEntry(z, &op, &n))!=0 ){
      if( op=='u' ) pCur->mColUsed = n;
    }
  }
  vfMarkUsed(pCur);
  vfAheadConfig(pCur);
  if( pTab->bTvf && (idxNum & 0x01)==0 ){
    vfSetError(pTab, "vpcflow: the table-valued form needs a path, "
                     "as in vpcflow('logs/')");
    return SQLITE_ERROR;
  }
  if( zPath==0 ){
    vfSetError(pTab, "vpcflow: the path argument is NULL");
    return SQLITE_ERROR;
  }
  pCur->zPath = sqlite3_mprintf("%s", zPath);
  pCur->zFormat = zFormat ? sqlite3_mprintf("%s", zFormat) : 0;
  if( pCur->zPath==0 || (zFormat && pCur->zFormat==0) ) return SQLITE_NOMEM;
  pCur->bStrict = bStrict;
  pCur->zFmtText = pCur->zFormat ? pCur->zFormat : vf_default_format;
  rc = vfParseFormat(pCur->zFormat, pCur->aFmt, &pCur->nFmt, &zErr);
  if( rc==SQLITE_OK && pTab->bTvf && pCur->zFormat ){
    /* The table-valued form has a column for every known field only: an
    ** unknown name in the user's own format is a mistake worth stopping. */
    int i;
    for(i=0; i<pCur->nFmt; i++){
      if( vf_catalog_find(pCur->zFmtText+pCur->aFmt[i].iOff,
                          pCur->aFmt[i].nLen)<0 ){
        zErr = sqlite3_mprintf("vpcflow: unknown field '%.*s' in log format",
                               (int)pCur->aFmt[i].nLen,
                               pCur->zFmtText+pCur->aFmt[i].iOff);
        rc = SQLITE_ERROR;
        break;
      }
    }
  }
  if( rc==SQLITE_OK
   && !vfTakePlanFiles(pTab, pCur->zPath, &pCur->files, pCur) ){
    rc = vf_source_expand_ex(pCur->zPath, &pCur->files, &zErr,
                             vfStopCb, pCur);
    if( rc==SQLITE_INTERRUPT ){
      sqlite3_free(zErr);
      zErr = sqlite3_mprintf("interrupted");
    }else if( rc && zErr ){
      char *z = sqlite3_mprintf("vpcflow: %s", zErr);
      sqlite3_free(zErr);
      zErr = z;
    }
  }
  if( rc ){
    sqlite3_free(pTab->base.zErrMsg);
    pTab->base.zErrMsg = zErr;
    return rc;
  }
  vfPruneFiles(pCur, idxStr, argc-iArg, argv+iArg);
  {
    /* the files' sizes as stored; a pipe or device has none (and a file
    ** that cannot be stat()ed none known): then the line counts records */
    uint64_t nTotal = 0;
    int i, bKnown = 1;
    struct stat st;
    for(i=0; i<pCur->files.nFile; i++){
      if( stat(pCur->files.azFile[i], &st)==0 && S_ISREG(st.st_mode) ){
        nTotal += (uint64_t)st.st_size;
      }else{
        bKnown = 0;
      }
    }
    vf_progress_start(&pCur->progress, pTab->db, pCur->files.nFile, nTotal,
                      bKnown);
  }
  pCur->bEof = 0;
  rc = vfAdvance(pCur);
  if( rc==SQLITE_OK && (idxNum & VF_PLAN_GROUPED) ){
    rc = vfCollectGroups(pCur, idxStr);
  }
  return rc;
}

static int vfNext(sqlite3_vtab_cursor *cur){
  VfCursor *pCur = (VfCursor*)cur;
  if( pCur->pGroup ) return vfGroupStep(pCur);
  if( vfNextRecord(pCur) ) return SQLITE_OK;
  return vfAdvance(pCur);
}

static int vfEof(sqlite3_vtab_cursor *cur){
  return ((VfCursor*)cur)->bEof;
}

/* The value of data slot iSlot in the cursor's current line. */
static void vfRowValue(VfCursor *pCur, int iSlot, VfValue *pOut){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int iTok = pCur->aSlotTok[iSlot];
  memset(pOut, 0, sizeof(*pOut));
  pOut->bNull = 1;
  if( iTok>=0 ){                            /* else the file lacks it */
    const VfSpan *pS = &pCur->aTok[iTok + pCur->iTok0];
    const char *z = pCur->zRow + pS->iOff;
    if( pS->nLen==1 && z[0]=='-' ) return;  /* '-' is NULL */
    pOut->bNull = 0;
    if( pTab->aSlot[iSlot].eType==VF_INT ){
      pOut->i = pCur->aSlotVal[iSlot];
    }else{
      pOut->z = z;
      pOut->n = (int)pS->nLen;
    }
  }
}

/* Budget of a grouped scan, bytes: VPCFLOW_GROUP_MB, default 2 GiB; 0
** turns grouped delivery off. */
static int64_t vfGroupBudget(void){
  const char *z = getenv("VPCFLOW_GROUP_MB");
  int64_t n = z ? atoll(z) : 2048;
  return n>0 ? n*1024*1024 : 0;
}

/*
** Bytes of text a scan of file zFile will decode, estimated by content,
** not by name: a Parquet file (magic "PAR1") counts 100 bytes for each
** row its footer declares (a default-format line is about that long);
** a gzip file (magic 1f 8b) counts its uncompressed size from the
** trailer's ISIZE, at least 8 times its own size (ISIZE is the size
** modulo 4 GiB of the last member only); anything else its size. Only
** regular files are opened: naming a FIFO must not block the planner.
** If pStamp is not NULL and not yet set, it records the file as stat()
** saw it, before it was opened here (VfStamp).
*/
static int64_t vfFileBytes(const char *zFile, VfStamp *pStamp){
  struct stat st;
  unsigned char a[4];
  int64_t n;
  int fd;
  if( stat(zFile, &st)!=0 ) return 0;
  n = (int64_t)st.st_size;
  if( pStamp && pStamp->nSize<0 && S_ISREG(st.st_mode) ){
    pStamp->nSize = n;
    pStamp->iMtime = (int64_t)st.st_mtim.tv_sec*1000000000 + st.st_mtim.tv_nsec;
    pStamp->iIno = (uint64_t)st.st_ino;
    pStamp->iDev = (uint64_t)st.st_dev;
  }
  if( !S_ISREG(st.st_mode) || n<4 ) return n;
  fd = open(zFile, O_RDONLY|O_CLOEXEC);
  if( fd<0 ) return n;
  if( pread(fd, a, 4, 0)==4 ){
    if( vf_parquet_magic(a, 4) ){
      VfParquet *pPq = 0;
      char zErr[256];
      if( vf_parquet_open(zFile, &pPq, zErr, sizeof(zErr))==0 ){
        int64_t nRow = vf_parquet_row_count(pPq);
        if( nRow>0 && nRow*100>n ) n = nRow*100;
      }
      vf_parquet_close(pPq);
    }else if( a[0]==0x1f && a[1]==0x8b ){
      int64_t nSize = n*8;
      if( pread(fd, a, 4, st.st_size-4)==4 ){
        int64_t nIsize = (int64_t)a[0] | (int64_t)a[1]<<8
                       | (int64_t)a[2]<<16 | (int64_t)a[3]<<24;
        if( nIsize>nSize ) nSize = nIsize;
      }
      n = nSize;
    }
  }
  close(fd);
  return n;
}

/* Bytes of text a scan of the files will decode (vfFileBytes each);
** aStamp (NULL, or one per file) records the files not seen before. */
static int64_t vfFilesBytes(const VfFileList *pFiles, VfStamp *aStamp,
                            int (*xStop)(void*), void *pStopArg){
  int64_t n = 0;
  int i;
  for(i=0; i<pFiles->nFile; i++){
    /* every file is opened: now and then, look for an interrupt */
    if( xStop && (i & 63)==63 && xStop(pStopArg) ) return -1;
    n += vfFileBytes(pFiles->azFile[i], aStamp ? &aStamp[i] : 0);
  }
  return n;
}

/* A stamp per file, each "not seen yet"; NULL if out of memory. */
static VfStamp *vfNewStamps(int nFile){
  VfStamp *a = sqlite3_malloc64(sizeof(VfStamp)*(size_t)(nFile>0 ? nFile : 1));
  int i;
  for(i=0; a && i<nFile; i++) a[i].nSize = -1;
  return a;
}

/*
** The current file has just been opened: compare it with its stamp
** (VfStamp), or record it there if it was not seen before. The size is
** the reader's own (its fstat() at open, the size it reads to); the rest
** from stat(). A file that got shorter, was rewritten (modified, no
** longer) or replaced (another inode) since it was first seen is a
** change while the statement read it: 1 is returned with the reason in
** zWhy, "seen at byte 0" (before its first byte was read again). A file
** that grew is read to its first size if it is plain text
** (vf_reader_limit), as a file appended to while read is; a gzip or
** Parquet file that grew is read whole the first time it is opened, but
** a change when read again is an error. Return 0 if the file can be read.
*/
static int vfCheckStamp(VfCursor *pCur, char *zWhy, size_t nWhy){
  VfStamp *pS = &pCur->aStamp[pCur->iFile];
  int64_t nNow = (int64_t)vf_reader_size(pCur->pReader), iMtime;
  struct stat st;
  if( stat(vfCurFile(pCur), &st)!=0 || !S_ISREG(st.st_mode) ) return 0;
  iMtime = (int64_t)st.st_mtim.tv_sec*1000000000 + st.st_mtim.tv_nsec;
  if( pS->nSize>=0 ){
    /* cut even after the reader's open (its first read): the smaller */
    if( (int64_t)st.st_size<nNow ) nNow = (int64_t)st.st_size;
    if( nNow<pS->nSize ){
      snprintf(zWhy, nWhy, "file got shorter while being read: %lld bytes "
               "when this statement first saw it, %lld when opened%s (seen "
               "at byte 0)", (long long)pS->nSize, (long long)nNow,
               pCur->bReread ? " again" : "");
      return 1;
    }
    if( (uint64_t)st.st_ino!=pS->iIno || (uint64_t)st.st_dev!=pS->iDev ){
      snprintf(zWhy, nWhy, "file was replaced while being read (another "
               "file of that name since this statement first saw it; seen "
               "at byte 0)");
      return 1;
    }
    if( iMtime==pS->iMtime && nNow==pS->nSize ) return 0;
    if( nNow==pS->nSize ){
      snprintf(zWhy, nWhy, "file was rewritten while being read (modified, "
               "no longer than when this statement first saw it; seen at "
               "byte 0)");
      return 1;
    }
    /* it grew */
    if( vf_reader_limit(pCur->pReader, (uint64_t)pS->nSize)==0 ) return 0;
    if( pCur->bReread ){
      snprintf(zWhy, nWhy, "file changed while being read: %lld bytes when "
               "this statement first read it, %lld when opened again (a "
               "GROUP BY that spilled to disk reads its files twice; seen "
               "at byte 0)", (long long)pS->nSize, (long long)nNow);
      return 1;
    }
  }
  pS->nSize = nNow;
  pS->iMtime = iMtime;
  pS->iIno = (uint64_t)st.st_ino;
  pS->iDev = (uint64_t)st.st_dev;
  return 0;
}

/*
** Key ranges of a grouped scan of about nByte bytes of text: one per
** 64 K rows (a row is about 100 bytes), so that each range's hash table
** stays in the CPU's cache. VPCFLOW_GROUP_PARTS sets it (for tests).
*/
static int vfGroupParts(int64_t nByte){
  const char *z = getenv("VPCFLOW_GROUP_PARTS");
  int64_t n = z ? atoll(z) : nByte/100/65536;
  if( n<1 ) n = 1;
  if( n>VF_GROUP_MAX_PART ) n = VF_GROUP_MAX_PART;
  return (int)n;
}

/*
** Grouped delivery (see THE PLAN): read the whole scan now, gathering the
** used columns of every row by the GROUP BY key, then order the groups.
** The rows then come from the store, group by group, in key order.
*/
/*
** The payload index of data slot iSlot for grouped delivery, adding it to
** aPaySlot[]/aText[] (*pnPay entries, at most 32) if new; -1 if full.
*/
static int vfPayloadOf(VfCursor *pCur, int iSlot, int *aPaySlot,
                       unsigned char *aText, int *pnPay){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  if( pCur->aSlotPay[iSlot]<0 ){
    if( *pnPay>=32 ) return -1;
    pCur->aSlotPay[iSlot] = *pnPay;
    aPaySlot[*pnPay] = iSlot;
    aText[*pnPay] = pTab->aSlot[iSlot].eType!=VF_INT;
    (*pnPay)++;
  }
  return pCur->aSlotPay[iSlot];
}

/*
** The payload's data slots (aPaySlot[k]: slot of payload value k) from
** aSlotPay; return how many.
*/
static int vfPaySlots(VfCursor *pCur, int *aPaySlot){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int i, nPay = 0;
  for(i=0; i<pTab->nSlot; i++){
    int k = pCur->aSlotPay[i];
    if( k>=0 ){
      aPaySlot[k] = i;
      if( k>=nPay ) nPay = k+1;
    }
  }
  return nPay;
}

/*
** Add every row from the cursor's current one to the store, then finish
** it. *pbStore is set when the error returned is the store's (not the
** scan's): the caller may then spill.
*/
static int vfGroupFill(VfCursor *pCur, int *pbStore){
  int aPaySlot[32], nPay = vfPaySlots(pCur, aPaySlot), i, rc;
  VfValue aVal[32];
  int64_t nRow = 0;
  *pbStore = 0;
  while( !pCur->bEof ){
    for(i=0; i<nPay; i++) vfRowValue(pCur, aPaySlot[i], &aVal[i]);
    rc = vf_group_add(pCur->pGroup, aVal);
    if( rc ){
      *pbStore = 1;
      return rc;
    }
    if( (++nRow & 0xffff)==0 ){
      rc = vfProbeInterrupt(pCur);
      if( rc ) return rc;
      if( pCur->pAhead && vf_group_behind(pCur->pGroup) ){
        /* many groups: grouping, not parsing, is the slow part; the
        ** parse-ahead worker would only take the core from it */
        vf_ahead_solo(pCur->pAhead, 1);
      }
    }
    rc = vfAdvance(pCur);
    if( rc ) return rc;
  }
  rc = vf_group_finish(pCur->pGroup);
  *pbStore = rc!=SQLITE_OK;
  return rc;
}

/*
** Start the scan again at its first file, for the rows of a spilled
** store. A line already recorded in vpcflow_errors is not recorded twice
** (the log keeps each file, line and reason once).
*/
static int vfRewind(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int nFile = pCur->progress.nFile;
  uint64_t nTotal = pCur->progress.nTotal;
  int bSizeKnown = pCur->progress.bSizeKnown;
  vfCloseFile(pCur);
  pCur->bReread = 1;
  pCur->iFile = 0;
  pCur->iRowid = 0;
  pCur->iLine = 0;
  pCur->nQuiet = 0;
  pCur->nDoneBytes = 0;
  pCur->nLines = 0;
  pCur->bEof = 0;
  vfScanReset(pCur);
  vf_progress_end(&pCur->progress, 0);
  vf_progress_start(&pCur->progress, pTab->db, nFile, nTotal, bSizeKnown);
  return vfAdvance(pCur);
}

/*
** The store failed with rc (its budget, or memory). SQLITE_FULL and
** SQLITE_NOMEM of a store in memory are not the query's failure: the
** store moves to a temporary file and the scan is read again into it
** (vf_group_spill); the groups already handed to SQLite are skipped.
** Any other error, or one of the spilled store, ends the query with
** a message that says what failed.
*/
static int vfGroupRecover(VfCursor *pCur, int rc){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int bStore = 1;
  if( vf_group_spilled(pCur->pGroup) || (rc!=SQLITE_FULL && rc!=SQLITE_NOMEM) ){
    if( rc==SQLITE_INTERRUPT ){
      vfSetError(pTab, "interrupted");
    }else if( vf_group_spilled(pCur->pGroup) ){
      vfSetError(pTab, "vpcflow: this GROUP BY did not fit in memory (its "
                 "budget VPCFLOW_GROUP_MB or the process's limit) and "
                 "sorting it in a temporary file failed: %s",
                 vf_group_errmsg(pCur->pGroup, rc));
    }
    pCur->bEof = 1;
    return rc;
  }
  if( getenv("VPCFLOW_GROUP_TRACE") ){
    fprintf(stderr, "vpcflow group: %s after %lld rows, %lld groups handed "
            "over; sorting in a temporary file\n", rc==SQLITE_FULL ?
            "over budget" : "out of memory",
            (long long)vf_group_rows(pCur->pGroup),
            (long long)vf_group_out(pCur->pGroup));
  }
  rc = vf_group_spill(pCur->pGroup, vfStopCb, pCur);
  if( rc==SQLITE_OK ){
    bStore = 0;
    rc = vfRewind(pCur);
  }
  if( rc==SQLITE_OK ) rc = vfGroupFill(pCur, &bStore);
  if( rc==SQLITE_OK ){
    pCur->iGroupRow = 0;
    pCur->bEof = 0;
    bStore = 1;
    rc = vf_group_step(pCur->pGroup);
    if( rc==SQLITE_ROW ){
      pCur->iGroupRow++;
      return SQLITE_OK;
    }
    pCur->bEof = 1;
    if( rc==SQLITE_DONE ) return SQLITE_OK;
  }
  if( bStore ) return vfGroupRecover(pCur, rc);   /* names the failure */
  pCur->bEof = 1;
  return rc;
}

/* The next grouped row: bEof at the end. */
static int vfGroupStep(VfCursor *pCur){
  int rc = vf_group_step(pCur->pGroup);
  if( rc==SQLITE_ROW ){
    pCur->iGroupRow++;
    return SQLITE_OK;
  }
  pCur->bEof = 1;
  if( rc==SQLITE_DONE ) return SQLITE_OK;
  return vfGroupRecover(pCur, rc);
}

/*
** Read the whole scan into the cursor's VfGroupStore. This thread parses
** each line, as any scan does (errors, strict mode, interrupts, progress
** behave the same), and only packs the used values of each row; the
** store's own thread groups them meanwhile (group.c). A store that
** cannot start or go on in memory spills to a file (vfGroupRecover).
*/
static int vfCollectGroups(VfCursor *pCur, const char *idxStr){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  const char *z = idxStr;
  char op;
  uint64_t n;
  int aKey[GROUP_MAX_KEY], nKey = 0, nPay = 0, i, rc, bThread, bStore;
  unsigned char aDesc[GROUP_MAX_KEY], aText[32];
  int aPaySlot[32];
  const char *zThreads = getenv("VPCFLOW_GROUP_THREADS");

  for(i=0; i<pTab->nSlot; i++) pCur->aSlotPay[i] = -1;
  /* the payload: every data column the statement uses (vfCanGroup made
  ** sure they are all below column 63 and at most 32 with the keys) */
  for(i=0; i<pTab->nCol && i<63; i++){
    if( (pCur->mColUsed & ((uint64_t)1<<i)) && pTab->aColKind[i]==VF_COL_DATA
     && vfPayloadOf(pCur, pTab->aColSlot[i], aPaySlot, aText, &nPay)<0 ){
      return SQLITE_INTERNAL;
    }
  }
  while( (z = vfPlanEntry(z, &op, &n))!=0 ){
    if( (op=='k' || op=='K') && nKey<GROUP_MAX_KEY && (int)n<pTab->nCol ){
      int k = vfPayloadOf(pCur, pTab->aColSlot[n], aPaySlot, aText, &nPay);
      if( k<0 ) return SQLITE_INTERNAL;
      aKey[nKey] = k;
      aDesc[nKey] = op=='K';
      nKey++;
    }
  }
  bThread = !(zThreads && zThreads[0]=='0');
  if( pCur->aStamp==0 ){
    /* not planned with an estimate (the planning's files were stale):
    ** the files are stamped now, the one open already as the reader saw
    ** it, so that a spilled store's second read can be compared */
    pCur->aStamp = vfNewStamps(pCur->files.nFile);
    if( pCur->aStamp==0 ) return SQLITE_NOMEM;
    if( pCur->pReader ){
      char zWhy[8];
      vfCheckStamp(pCur, zWhy, sizeof(zWhy));
    }
    pCur->nStampBytes = vfFilesBytes(&pCur->files, pCur->aStamp,
                                     vfStopCb, pCur);
  }else if( pCur->nPruned>0 || pCur->nStampBytes<0 ){
    /* planning sized the files before some were pruned */
    pCur->nStampBytes = vfFilesBytes(&pCur->files, pCur->aStamp,
                                     vfStopCb, pCur);
  }
  if( pCur->nStampBytes<0 ) return SQLITE_INTERRUPT;   /* vfStopCb said */
  rc = vf_group_new(&pCur->pGroup, nPay, aText, nKey, aKey, aDesc,
                    vfGroupBudget(), vfGroupParts(pCur->nStampBytes),
                    bThread);
  if( rc==SQLITE_FULL || rc==SQLITE_NOMEM ){
    /* the smallest store, to spill at once */
    rc = vf_group_new(&pCur->pGroup, nPay, aText, nKey, aKey, aDesc,
                      vfGroupBudget(), 1, 0);
    if( rc==SQLITE_OK ) return vfGroupRecover(pCur, SQLITE_FULL);
  }
  if( rc ) return rc;
  rc = vfGroupFill(pCur, &bStore);
  if( rc ) return bStore ? vfGroupRecover(pCur, rc) : rc;
  pCur->iGroupRow = 0;
  pCur->bEof = 0;
  return vfGroupStep(pCur);
}

/*
** Civil date (proleptic Gregorian, UTC) of day number z since 1970-01-01;
** Howard Hinnant's days-to-civil algorithm, valid far beyond flow log
** dates.
*/
static void vfCivilFromDays(int64_t z, int *pY, int *pM, int *pD){
  int64_t era, doe, yoe, doy, mp, y;
  z += 719468;
  era = (z>=0 ? z : z-146096) / 146097;
  doe = z - era*146097;
  yoe = (doe - doe/1460 + doe/36524 - doe/146096) / 365;
  y = yoe + era*400;
  doy = doe - (365*yoe + yoe/4 - yoe/100);
  mp = (5*doy + 2)/153;
  *pD = (int)(doy - (153*mp+2)/5 + 1);
  *pM = (int)(mp<10 ? mp+3 : mp-9);
  *pY = (int)(y + (*pM<=2));
}

/*
** The dt column, as Athena's partitioned tables have it: the date folders
** of the S3 key when there are some, else the UTC date of start, else NULL.
*/
static void vfResultDt(VfCursor *pCur, sqlite3_context *ctx){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int iStart, y, m, d;
  char zBuf[32];
  if( pCur->bKeyDate ){
    sqlite3_result_text(ctx, pCur->zKeyDate, -1, SQLITE_TRANSIENT);
    return;
  }
  iStart = vfStartSlot(pTab);
  if( iStart<0 || pCur->aSlotTok[iStart]<0 ) return;
  {
    const VfSpan *pS = &pCur->aTok[pCur->aSlotTok[iStart] + pCur->iTok0];
    if( pS->nLen==1 && pCur->zRow[pS->iOff]=='-' ) return;
  }
  vfCivilFromDays(pCur->aSlotVal[iStart]/86400, &y, &m, &d);
  snprintf(zBuf, sizeof(zBuf), "%04d/%02d/%02d", y, m, d);
  sqlite3_result_text(ctx, zBuf, -1, SQLITE_TRANSIENT);
}

/*
** The current file's name as log_file shows it: a name that is not UTF-8
** shows '?' per bad byte (errlog.h); worked out once per file, not once
** per row. NULL on out-of-memory.
*/
static const char *vfShownFile(VfCursor *pCur){
  const char *zFile = vfCurFile(pCur);
  if( zFile!=pCur->zNameOf ){
    int bNoMem;
    sqlite3_free(pCur->zNameShown);
    pCur->zNameShown = vf_errlog_name(zFile, &bNoMem);
    pCur->zNameOf = bNoMem ? 0 : zFile;
    if( bNoMem ) return 0;
  }
  return pCur->zNameShown ? pCur->zNameShown : zFile;
}

static int vfColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i){
  VfCursor *pCur = (VfCursor*)cur;
  VfTable *pTab = (VfTable*)cur->pVtab;
  switch( pTab->aColKind[i] ){
    case VF_COL_DATA: {
      int iSlot = pTab->aColSlot[i];
      VfValue val;
      if( pCur->pGroup ){
        int k = pCur->aSlotPay[iSlot];
        if( k<0 ) break;                      /* not used: never asked */
        if( vf_group_value(pCur->pGroup, k, &val) ){
          return SQLITE_NOMEM;
        }
      }else{
        vfRowValue(pCur, iSlot, &val);
      }
      if( val.bNull ) break;
      if( pTab->aSlot[iSlot].eType==VF_INT ){
        sqlite3_result_int64(ctx, val.i);
      }else if( val.bHold ){
        vf_group_hold(val.z);                 /* a grouped key: no copy */
        sqlite3_result_text(ctx, val.z, val.n, vf_group_unhold);
      }else{
        sqlite3_result_text(ctx, val.z, val.n, SQLITE_TRANSIENT);
      }
      break;
    }
    case VF_COL_PATH:
      sqlite3_result_text(ctx, pCur->zPath, -1, SQLITE_TRANSIENT);
      break;
    case VF_COL_FORMAT:
      if( pCur->zFormat ){
        sqlite3_result_text(ctx, pCur->zFormat, -1, SQLITE_TRANSIENT);
      }
      break;
    case VF_COL_STRICT:
      sqlite3_result_int(ctx, pCur->bStrict);
      break;
    case VF_COL_FILE: {
      const char *zFile = vfShownFile(pCur);
      if( zFile==0 ) return SQLITE_NOMEM;
      sqlite3_result_text(ctx, zFile, -1, SQLITE_TRANSIENT);
      break;
    }
    case VF_COL_LINE:
      sqlite3_result_int64(ctx, pCur->iLine);
      break;
    case VF_COL_EXTRA:                        /* always NULL */
      break;
    case VF_COL_ROW:                          /* rowref.h; NULL to SQL */
      if( pCur->pGroup==0 ) sqlite3_result_pointer(ctx, pCur, VF_ROWREF_TYPE, 0);
      break;
    default:                                  /* VF_COL_DT */
      vfResultDt(pCur, ctx);
      break;
  }
  return SQLITE_OK;
}

static int vfRowid(sqlite3_vtab_cursor *cur, sqlite_int64 *pRowid){
  VfCursor *pCur = (VfCursor*)cur;
  *pRowid = pCur->pGroup ? pCur->iGroupRow : pCur->iRowid;
  return SQLITE_OK;
}

/*
** INTERRUPTS WHILE PLANNING. Planning a GROUP BY expands the path and
** sizes its files (vfEstimateBytes), which may take long on a big tree;
** an interrupt must stop it. SQLite 3.40 has no sqlite3_is_interrupted()
** (3.41 does): the flag is seen by stepping a probe statement, but a
** statement that starts while no other one runs clears the flag first
** (sqlite3_step(), and sqlite3_prepare() too), and while a statement is
** prepared none runs, so the probe never saw an interrupt and the
** expansion ran on (verified with 3.40.1: interrupt, then prepare or
** step "SELECT 1": 0 and SQLITE_ROW; the same with another statement
** held after its first row: SQLITE_INTERRUPT). So vfPlanHold() steps
** pPlanHold to its first row and holds it there while planning expands:
** an interrupt from then on stays set and the probe returns
** SQLITE_INTERRUPT. (One that comes before the hold starts is lost, as
** SQLite loses an interrupt when no statement runs.)
**
** The statement being prepared cannot fail with SQLITE_INTERRUPT from
** xBestIndex (an error there is SQLITE_ERROR), and its first step would
** clear the flag again. So the table remembers the interrupt (bPlanIntr,
** for the path, VF_PLAN_KEEP_MS): every plan made from then on carries
** VF_PLAN_INTR in idxNum, and the first xFilter of such a plan fails
** with SQLITE_INTERRUPT, "interrupted", before reading anything. Once
** delivered it is forgotten: the same statement reset and stepped again
** (its plan still carries the flag) runs, as any retried statement does.
*/
/* Hold pPlanHold (bOn) or let it go (0). */
static void vfPlanHold(VfTable *pTab, int bOn){
  if( bOn && !pTab->bPlanHeld ){
    if( pTab->pPlanHold==0
     && sqlite3_prepare_v2(pTab->db, "VALUES(1),(2)", -1, &pTab->pPlanHold,
                           0) ){
      return;
    }
    /* SQLITE_INTERRUPT here: the interrupt came during this very step */
    pTab->bPlanHeld = 1;
    if( sqlite3_step(pTab->pPlanHold)==SQLITE_INTERRUPT ) pTab->bPlanIntr = 1;
  }else if( !bOn && pTab->bPlanHeld ){
    sqlite3_reset(pTab->pPlanHold);
    pTab->bPlanHeld = 0;
  }
}

/* vf_source_expand_ex() stop callback while planning: 1 if interrupted
** (remembered in bPlanIntr). */
static int vfPlanStop(void *pArg){
  VfTable *pTab = (VfTable*)pArg;
  int rc;
  if( pTab->bPlanIntr ) return 1;
  if( pTab->pPlanProbe==0
   && sqlite3_prepare_v2(pTab->db, "SELECT 1", -1, &pTab->pPlanProbe, 0) ){
    return 0;
  }
  rc = sqlite3_step(pTab->pPlanProbe);
  sqlite3_reset(pTab->pPlanProbe);
  if( rc==SQLITE_INTERRUPT ) pTab->bPlanIntr = 1;
  return pTab->bPlanIntr;
}

/* Now in ms, from the VFS's clock (as SQLite's own date functions). */
static sqlite3_int64 vfNowMs(void){
  sqlite3_int64 t = 0;
  sqlite3_vfs *pVfs = sqlite3_vfs_find(0);
  if( pVfs && pVfs->iVersion>=2 && pVfs->xCurrentTimeInt64 ){
    pVfs->xCurrentTimeInt64(pVfs, &t);
  }
  return t;
}

/*
** How long a planning expansion stays good for the scan (ms). The usual
** prepare-then-step follows at once; a statement prepared and stepped
** much later expands again, to see the files as they are then.
*/
#define VF_PLAN_KEEP_MS 2000

/*
** Forget the planning expansion; if zPath matches it and it is fresh,
** move it into *pOut instead and return 1.
*/
static int vfTakePlanFiles(VfTable *pTab, const char *zPath,
                           VfFileList *pOut, VfCursor *pCur){
  int bTake = pTab->zPlanPath && zPath && strcmp(pTab->zPlanPath, zPath)==0
           && vfNowMs() - pTab->iPlanTime <= VF_PLAN_KEEP_MS;
  if( bTake ){
    *pOut = pTab->planFiles;
    memset(&pTab->planFiles, 0, sizeof(pTab->planFiles));
    /* what planning saw of the files goes with them (VfStamp) */
    pCur->aStamp = pTab->aPlanStamp;
    pCur->nStampBytes = pTab->aPlanStamp ? pTab->nPlanBytes : -1;
    pTab->aPlanStamp = 0;
  }
  sqlite3_free(pTab->aPlanStamp);
  pTab->aPlanStamp = 0;
  vf_source_free(&pTab->planFiles);
  sqlite3_free(pTab->zPlanPath);
  pTab->zPlanPath = 0;
  return bTake;
}

/*
** Bytes a scan of zPath will decode, estimated by content (vfFileBytes),
** or -1 if zPath cannot be listed, -2 if interrupted (bPlanIntr).
** The expansion is kept in pTab for the scan (vfTakePlanFiles), and one
** kept already for the same path is used: SQLite may plan a statement
** several times, and a tree of many folders is listed once.
*/
static int64_t vfEstimateBytes(VfTable *pTab, const char *zPath){
  char *zErr = 0;
  VfFileList *pFiles = &pTab->planFiles;
  if( pTab->bPlanIntr ){
    /* interrupted while planning this path a moment ago: do not expand
    ** it again (the plan carries VF_PLAN_INTR) */
    if( pTab->zIntrPath && strcmp(pTab->zIntrPath, zPath)==0
     && vfNowMs() - pTab->iIntrTime <= VF_PLAN_KEEP_MS ){
      return -2;
    }
    pTab->bPlanIntr = 0;
  }
  vfPlanHold(pTab, 1);
  if( !pTab->bPlanIntr
   && (pTab->zPlanPath==0 || strcmp(pTab->zPlanPath, zPath)!=0) ){
    vfTakePlanFiles(pTab, 0, 0, 0);
    if( vf_source_expand_ex(zPath, pFiles, &zErr, vfPlanStop, pTab) ){
      sqlite3_free(zErr);
      vf_source_free(pFiles);
    }else{
      pTab->zPlanPath = sqlite3_mprintf("%s", zPath);
      if( pTab->zPlanPath==0 ) vf_source_free(pFiles);
      pTab->iPlanTime = vfNowMs();
    }
  }
  if( pTab->zPlanPath && !pTab->bPlanIntr ){
    if( pTab->aPlanStamp==0 ){
      /* out of memory: no stamps, and the scan stamps what it opens */
      pTab->aPlanStamp = vfNewStamps(pFiles->nFile);
    }
    pTab->nPlanBytes = vfFilesBytes(pFiles, pTab->aPlanStamp, vfPlanStop,
                                    pTab);
  }
  vfPlanHold(pTab, 0);
  if( pTab->bPlanIntr ){
    vfTakePlanFiles(pTab, 0, 0, 0);
    sqlite3_free(pTab->zIntrPath);
    pTab->zIntrPath = sqlite3_mprintf("%s", zPath);
    pTab->iIntrTime = vfNowMs();
    return -2;
  }
  return pTab->zPlanPath ? pTab->nPlanBytes : -1;
}

/*
** 1 (-1 if interrupted while sizing the files, 0 otherwise) if the scan should deliver rows grouped for a GROUP BY (the plan's
** 'k'/'K' entries): SQLite says it needs rows grouped only
** (sqlite3_vtab_distinct()==1), every GROUP BY term is a data column, the
** statement uses no log_file/log_line/dt and at most 32 data columns, and
** the data, estimated by content (vfFileBytes), fits the memory budget with
** room to spare (budget >= estimate/2: the benchmark's grouped rows took
** up to about half the text they came from). Deciding here, before
** promising SQLite the order, is what keeps the promise: past this point
** the scan cannot decline. iPathCons is the constraint with the table-valued path, or -1.
*/
static int vfCanGroup(VfTable *pTab, sqlite3_index_info *pInfo,
                      int iPathCons){
  int64_t nBudget = vfGroupBudget(), nEst;
  int i, nUsed = 0;
  const char *zPath = pTab->zPath;
  const char *zMode = getenv("VPCFLOW_GROUP");
  /* Measured (README, Speed): with the grouping on a second thread and in
  ** cache, keys of one or more columns beat SQLite's sorter, even when
  ** nearly every row is its own group (pairs of addresses). So every
  ** GROUP BY of table columns is grouped; VPCFLOW_GROUP=off turns it off. */
  if( zMode && strcmp(zMode, "off")==0 ) return 0;
  if( nBudget==0 || pInfo->nOrderBy<1 || pInfo->nOrderBy>GROUP_MAX_KEY ){
    return 0;
  }
  if( sqlite3_vtab_distinct(pInfo)!=1 ) return 0;
  for(i=0; i<pInfo->nOrderBy; i++){
    int iCol = pInfo->aOrderBy[i].iColumn;
    if( iCol<0 || pTab->aColKind[iCol]!=VF_COL_DATA ) return 0;
  }
  if( pInfo->colUsed & ((sqlite3_uint64)1<<63) ) return 0;
  for(i=0; i<pTab->nCol && i<63; i++){
    if( (pInfo->colUsed & ((sqlite3_uint64)1<<i))==0 ) continue;
    switch( pTab->aColKind[i] ){
      case VF_COL_DATA: nUsed++; break;
      case VF_COL_FILE: case VF_COL_LINE: case VF_COL_DT: case VF_COL_ROW:
        return 0;
      default: break;
    }
  }
  if( nUsed + pInfo->nOrderBy > 32 ) return 0;
  if( pTab->bTvf ){
    sqlite3_value *pVal = 0;
    if( iPathCons<0 || sqlite3_vtab_rhs_value(pInfo, iPathCons, &pVal)!=SQLITE_OK
     || sqlite3_value_type(pVal)!=SQLITE_TEXT ){
      return 0;                  /* a path not known yet: cannot size it */
    }
    zPath = (const char*)sqlite3_value_text(pVal);
  }
  if( zPath==0 ) return 0;
  nEst = vfEstimateBytes(pTab, zPath);
  if( nEst==-2 ) return -1;                /* interrupted */
  return nEst>=0 && nEst/2<=nBudget;
}

/*
** Choose the plan; see THE PLAN above vfFilter for the encoding. '=' on
** the argument columns is consumed (omit=1). Comparisons of data columns
** and of log_file with a value are pushed into the scan with omit=0. The
** table-valued form cannot run without its path.
*/
static int vfBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  VfTable *pTab = (VfTable*)pVtab;
  int aArg[3] = { -1, -1, -1 };   /* constraint index for path/fmt/strict */
  int bPathUnusable = 0, i, iArgv = 1, idxNum = 0, nTerm = 0, eGroup;
  double rRows = 1000000.0;
  sqlite3_str *pPlan;

  for(i=0; i<pInfo->nConstraint; i++){
    const struct sqlite3_index_constraint *pC = &pInfo->aConstraint[i];
    int eKind, k;
    if( pC->iColumn<0 ) continue;
    eKind = pTab->aColKind[pC->iColumn];
    if( eKind==VF_COL_EXTRA ){
      /* usable or not: the statement is wrong whatever the plan */
      sqlite3_free(pVtab->zErrMsg);
      pVtab->zErrMsg = sqlite3_mprintf(pTab->bTvf ?
          "vpcflow: too many arguments: vpcflow(path, format, strict) "
          "takes at most 3" :
          "vpcflow: a table created with CREATE VIRTUAL TABLE takes no "
          "arguments: its path, format and strict were given when it was "
          "created");
      return pVtab->zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    if( eKind<VF_COL_PATH || eKind>VF_COL_STRICT ) continue;
    if( pC->op!=SQLITE_INDEX_CONSTRAINT_EQ ) continue;
    k = eKind - VF_COL_PATH;
    if( !pC->usable ){
      if( k==0 ) bPathUnusable = 1;
      continue;
    }
    aArg[k] = i;
  }
  /* No path: when it exists but cannot be used yet (a join), ask for
  ** another plan. When it is absent, do not fail here: SQLite also asks
  ** about sub-plans of OR terms without it. Cost the plan out of reach
  ** instead; xFilter reports the missing path if it is ever run. */
  if( pTab->bTvf && aArg[0]<0 && bPathUnusable ) return SQLITE_CONSTRAINT;
  for(i=0; i<3; i++){
    if( aArg[i]<0 ) continue;
    pInfo->aConstraintUsage[aArg[i]].argvIndex = iArgv++;
    pInfo->aConstraintUsage[aArg[i]].omit = 1;
    idxNum |= 1<<i;
  }

  /* The terms to push down. */
  pPlan = sqlite3_str_new(0);
  for(i=0; i<pInfo->nConstraint && nTerm<VF_MAX_TERMS; i++){
    const struct sqlite3_index_constraint *pC = &pInfo->aConstraint[i];
    int eKind, bText;
    char op;
    if( !pC->usable || pC->iColumn<0 ) continue;
    eKind = pTab->aColKind[pC->iColumn];
    if( eKind!=VF_COL_DATA && eKind!=VF_COL_FILE ) continue;
    op = pC->op==VF_CONSTRAINT_CIDR ? VF_OP_CIDR : vf_filter_op(pC->op);
    if( op==0 ) continue;
    bText = eKind==VF_COL_FILE
         || pTab->aSlot[pTab->aColSlot[pC->iColumn]].eType!=VF_INT;
    if( eKind==VF_COL_FILE && op!=VF_OP_EQ ) continue;
    if( op==VF_OP_CIDR && (bText==0 || eKind!=VF_COL_DATA) ) continue;
    if( bText && op!=VF_OP_ISNULL && op!=VF_OP_NOTNULL && op!=VF_OP_CIDR ){
      /* Text is compared byte by byte: only for the BINARY collation. */
      const char *zColl = sqlite3_vtab_collation(pInfo, i);
      if( zColl && sqlite3_stricmp(zColl, "BINARY")!=0 ) continue;
    }
    if( op==VF_OP_EQ && sqlite3_vtab_in(pInfo, i, 1) ) op = VF_OP_IN;
    pInfo->aConstraintUsage[i].argvIndex = iArgv++;
    pInfo->aConstraintUsage[i].omit = 0;
    sqlite3_str_appendf(pPlan, "%c%d,", op, pC->iColumn);
    nTerm++;
    rRows *= (op==VF_OP_EQ || op==VF_OP_IN) ? 0.1 : 0.5;
  }
  eGroup = vfCanGroup(pTab, pInfo, aArg[0]);
  if( eGroup<0 ) idxNum |= VF_PLAN_INTR;
  if( eGroup>0 ){
    for(i=0; i<pInfo->nOrderBy; i++){
      sqlite3_str_appendf(pPlan, "%c%d,", pInfo->aOrderBy[i].desc ? 'K' : 'k',
                          pInfo->aOrderBy[i].iColumn);
    }
    pInfo->orderByConsumed = 1;
    idxNum |= VF_PLAN_GROUPED;
  }
  sqlite3_str_appendf(pPlan, "u%llu,", (unsigned long long)pInfo->colUsed);
  if( sqlite3_str_errcode(pPlan) ){
    sqlite3_free(sqlite3_str_finish(pPlan));
    return SQLITE_NOMEM;
  }
  pInfo->idxStr = sqlite3_str_finish(pPlan);
  pInfo->needToFreeIdxStr = 1;
  pInfo->idxNum = idxNum;
  /* Every plan reads the files once: cost it like a million-row scan so
  ** SQLite keeps it on the outside of joins. Pushed terms save SQLite's
  ** per-row work, a little. */
  pInfo->estimatedCost = 1e6 - 1000.0*nTerm;
  pInfo->estimatedRows = (sqlite3_int64)(rRows<1 ? 1 : rRows);
  if( pTab->bTvf && aArg[0]<0 ){
    pInfo->estimatedCost = 1e300;
    pInfo->estimatedRows = 2147483647;
  }
  return SQLITE_OK;
}

/*
** Overload ip_in_cidr(column, cidr): SQLite then offers the WHERE term to
** xBestIndex as a constraint (VF_CONSTRAINT_CIDR) whose value is the
** CIDR, and the scan tests it on the column's text (filter.c). The
** function returned is the ordinary one, so rows the scan passes are
** checked by SQLite with the same semantics.
*/
static int vfFindFunction(sqlite3_vtab *pVtab, int nArg, const char *zName,
                          void (**pxFunc)(sqlite3_context*,int,sqlite3_value**),
                          void **ppArg){
  (void)pVtab;
  if( nArg==2 && sqlite3_stricmp(zName, "ip_in_cidr")==0 ){
    *pxFunc = vfIpInCidrFunc;
    *ppArg = 0;
    return VF_CONSTRAINT_CIDR;
  }
  return 0;
}

static const sqlite3_module vfModule = {
  .iVersion    = 0,
  .xCreate     = vfConnect,    /* same as xConnect: eponymous too */
  .xConnect    = vfConnect,
  .xBestIndex  = vfBestIndex,
  .xDisconnect = vfDisconnect,
  .xDestroy    = vfDisconnect,
  .xOpen       = vfOpen,
  .xClose      = vfClose,
  .xFilter     = vfFilter,
  .xNext       = vfNext,
  .xEof        = vfEof,
  .xColumn     = vfColumn,
  .xRowid      = vfRowid,
  .xFindFunction = vfFindFunction,
};

#endif /* SQLITE_OMIT_VIRTUALTABLE */

int vf_register_modules(sqlite3 *db, char **pzErr){
  int rc = SQLITE_OK;
#ifndef SQLITE_OMIT_VIRTUALTABLE
  VfErrLog *pLog = vf_errlog_new();
  if( pLog==0 ) return SQLITE_NOMEM;
  rc = sqlite3_create_module_v2(db, "vpcflow", &vfModule, pLog,
                                vf_errlog_release);
  if( rc==SQLITE_OK ) rc = vf_errlog_register(db, pLog);
  if( rc!=SQLITE_OK ){
    *pzErr = sqlite3_mprintf("vpcflow: cannot register modules: %s",
                             sqlite3_errstr(rc));
  }
#else
  (void)db; (void)pzErr;
#endif
  return rc;
}

/*
** rowref.h: the current record of a cursor handed out by the hidden
** column vpcflow_row, read in place (no copy, no SQL value per field).
*/
int vf_rowref_slot(const void *pRef, const char *zName){
  const VfCursor *pCur = (const VfCursor*)pRef;
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int i;
  for(i=0; i<pTab->nCol; i++){
    if( pTab->aColKind[i]==VF_COL_DATA ){
      const char *z = pTab->aSlot[pTab->aColSlot[i]].zName;
      const char *y = zName;
      while( *z && *y && (*z==*y || (*z=='-' && *y=='_')) ){ z++; y++; }
      if( *z==0 && *y==0 ) return pTab->aColSlot[i];
    }
  }
  return -1;
}

int vf_rowref_is_int(const void *pRef, int iSlot){
  const VfCursor *pCur = (const VfCursor*)pRef;
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  return pTab->aSlot[iSlot].eType==VF_INT;
}

void vf_rowref_value(const void *pRef, int iSlot, VfValue *pOut){
  vfRowValue((VfCursor*)pRef, iSlot, pOut);
}

const char *vf_rowref_file(const void *pRef){
  return vfShownFile((VfCursor*)pRef);
}

int64_t vf_rowref_line(const void *pRef){
  return ((const VfCursor*)pRef)->iLine;
}
