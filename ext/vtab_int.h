/*
** vtab_int.h - what the three files of the vpcflow virtual table share:
** its table and cursor objects.
**
** The module is split by job (SQLite's own sqliteInt.h is the model for a
** header private to the files of one module):
**
**   vtab.c   the module methods: arguments and schema (xCreate/xConnect),
**            cursors (xOpen/xClose), xFilter, which sets a scan up from
**            its plan, and the values of a row (xColumn/xRowid).
**   plan.c   the query plan (xBestIndex): the WHERE terms pushed into the
**            scan, file pruning, and whether the scan groups a GROUP BY
**            itself. plan.h documents the plan's encoding.
**   rows.c   the row engine (xNext's work): files to lines to rows, the
**            parse-ahead of plain files (ahead.h), the Parquet hook, the
**            grouped delivery of a GROUP BY (group.h).
**
** Data flow of a statement: xBestIndex (plan.c) -> idxNum/idxStr ->
** xFilter (vtab.c: arguments; plan.c: terms, files) -> rows (rows.c) ->
** xColumn (vtab.c).
**
** Functions shared by these three files only are named vfCamel like their
** static helpers, as SQLite names its internal sqlite3Camel functions;
** the interface other modules call is vf_snake (vtab.h, rowref.h).
*/
#ifndef VPCFLOW_VTAB_INT_H
#define VPCFLOW_VTAB_INT_H

#include "sqlite3ext.h"
#include <stdint.h>
#include <string.h>
#include "catalog.h"
#include "parse.h"
#include "reader.h"
#include "source.h"
#include "errlog.h"
#include "filter.h"
#include "progress.h"
#include "group.h"
#include "ahead.h"
#include "settings.h"

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

/* Most WHERE terms pushed into one scan */
#define VF_MAX_TERMS 32

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
  int64_t nPlanBytes;        /* ... and their vf_files_bytes() */
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
  VfSettings set;            /* the VPCFLOW_* switches, read by xFilter */
  uint64_t nDoneBytes;       /* bytes of the files finished so far */
  int64_t nLines;            /* lines read in this scan */
  VfGroupStore *pGroup;      /* grouped delivery: the rows, or NULL */
  VfStamp *aStamp;           /* per file, as first seen (vfCheckStamp), or
                             ** NULL: only statements planned with a size
                             ** estimate and grouped scans keep them */
  int64_t nStampBytes;       /* vf_files_bytes() of the planning, or -1 */
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
  int bRowFormat;            /* the current file's format makes its own
                             ** lines (reader.h): its line 0 is the header */
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

/* Set the table's error message, printf-style (vtab.c). */
void vf_set_error(VfTable *pTab, const char *zFmt, ...);

/* Current file name of a cursor. */
static inline const char *vfCurFile(VfCursor *pCur){
  return pCur->files.azFile[pCur->iFile];
}

/* The value of data slot iSlot in the cursor's current line. Inline:
** xColumn (vtab.c) calls it for every value of every row, and grouped
** delivery (rows.c) for every used value. */
static inline void vfRowValue(VfCursor *pCur, int iSlot, VfValue *pOut){
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

#endif /* VPCFLOW_VTAB_INT_H */
