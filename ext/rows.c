/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** rows.c - the row engine of the vpcflow table: files to lines to rows.
**
** Where it sits in the data flow: xFilter (vtab.c) has the scan's files
** and its plan (plan.c); from there on every row comes from here. xNext
** (vtab.c) calls vf_next_row(), which takes the next line from the reader
** (reader.h: every input format, plain, gzip or Parquet, gives lines;
** rows_format_setup() tells a file's format the columns used and the terms it
** may prune with) or from the parse-ahead ring (ahead.c),
** makes it the cursor's row and tests the pushed-down terms on it; xColumn
** (vtab.c) then reads the row's values in place (vfRowValue, vtab_int.h).
** A grouped GROUP BY (plan.h, VF_PLAN_GROUPED) reads the whole scan into a
** VfGroupStore (group.c) in xFilter instead, and xNext steps the groups.
**
** Usage: there is no SQL of its own here; every scan of the table
** (SELECT ... FROM vpcflow('logs/')) runs through it.
**
** HOW A LINE BECOMES A ROW (rows_parse_line). Blank lines are ignored. A
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
** parsed on both cores (rows_block_line, ahead.h); every other line still
** comes through rows_parse_line, which alone decides what is wrong with it.
**
** The per-row path (rows_next_record, rows_apply_rec, vf_advance, rows_row_passes,
** rows_check_ints) is in this one file so that the compiler can inline its
** helpers; only vf_next_row() and vfRowValue() (static inline in
** vtab_int.h) are reached from vtab.c per row.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "rows.h"
#include "catalog.h"

#ifndef SQLITE_OMIT_VIRTUALTABLE

/* While xNext reads lines that give no row (rows rejected by pushed-down
** terms, bad lines, a line too long to keep), SQLite cannot notice an
** interrupt: it looks only between rows. So every VF_PROBE_LINES such
** lines, and whenever the reader pauses inside an endless line, the
** cursor steps a trivial statement on the same connection; sqlite3_step
** returns SQLITE_INTERRUPT while sqlite3_interrupt() is in force (SQLite
** 3.40 has no sqlite3_is_interrupted()). 8192 lines take about a
** millisecond. */
#define VF_PROBE_LINES 8192

/* Parse-ahead of plain files (ahead.h): blocks in the ring (their bytes:
** VF_AHEAD_BLOCK, settings.h). Six blocks keep the worker in work while
** the query thread holds one. */
#define VF_AHEAD_SLOTS 6

/* Most bytes of a token quoted in an error message */
#define VF_QUOTE_MAX 40

/* ---------------------------------------------------------------------
** Errors of a scan, and layouts
*/

/* 1 if names a[0..na-1] and b[0..nb-1] are the same field ('-' == '_'). */
static int rows_name_eq(const char *a, size_t na, const char *b, size_t nb){
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
static const char *rows_strip_path(const char *zMsg, const char *zFile){
  size_t n = strlen(zFile);
  if( zMsg[0]=='\'' && strncmp(zMsg+1, zFile, n)==0
   && zMsg[n+1]=='\'' && zMsg[n+2]==':' && zMsg[n+3]==' ' ){
    return zMsg + n + 4;
  }
  return zMsg;
}

/*
** Count a problem of the current file, and keep the first one of the
** scan for rows_scan_done(). Return SQLITE_OK or SQLITE_NOMEM.
*/
static int rows_note_scan_error(VfCursor *pCur, int64_t iLine,
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

/* Forget the counts of rows_note_scan_error(): a new scan starts. */
void vf_scan_reset(VfCursor *pCur){
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
static int rows_scan_done(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  if( pCur->nScanRows>0 || pCur->nScanErr==0 ) return SQLITE_OK;
  vf_set_error(pTab, "vpcflow: no line could be read: %s%s%s",
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
static int rows_line_error(VfCursor *pCur, const char *zReason,
                       const char *zText, size_t nText){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  if( pCur->bStrict ){
    vf_set_error(pTab, "vpcflow: %s:%lld: %s", vfCurFile(pCur),
               (long long)pCur->iLine, zReason);
    return SQLITE_ERROR;
  }
  if( !pCur->bNote && rows_note_scan_error(pCur, pCur->iLine, zReason) ){
    return SQLITE_NOMEM;
  }
  return vf_errlog_add(pTab->pLog, vfCurFile(pCur), pCur->iLine, zReason,
                       zText, nText);
}

/* A whole-file problem (unreadable, truncated gzip): as rows_line_error. */
static int rows_file_error(VfCursor *pCur, const char *zReason){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  if( pCur->bStrict ){
    vf_set_error(pTab, "vpcflow: %s: %s", vfCurFile(pCur), zReason);
    return SQLITE_ERROR;
  }
  if( rows_note_scan_error(pCur, 0, zReason) ) return SQLITE_NOMEM;
  return vf_errlog_add(pTab->pLog, vfCurFile(pCur), 0, zReason, 0, 0);
}

/* 1 if the header tokens in z match the current layout's names. */
static int rows_same_header(VfCursor *pCur, const char *z, const VfSpan *a,
                        int nTok){
  const char *zSig = pCur->layout.zSig;
  int i;
  if( !pCur->bLayout || zSig==0 || nTok!=pCur->layout.nTok ) return 0;
  for(i=0; i<nTok; i++){
    size_t n = strcspn(zSig, " ");
    if( !rows_name_eq(zSig, n, z+a[i].iOff, a[i].nLen) ) return 0;
    zSig += n;
    if( *zSig==' ' ) zSig++;
  }
  return 1;
}

/* Slot of the field named z[0..n-1] in table pTab, or -1. */
int vf_find_slot(VfTable *pTab, const char *z, size_t n){
  int i;
  if( pTab->bTvf ) return vf_catalog_find(z, n);
  for(i=0; i<pTab->nSlot; i++){
    const char *zName = pTab->aSlot[i].zName;
    if( rows_name_eq(zName, strlen(zName), z, n) ) return i;
  }
  return -1;
}

/*
** Set the cursor's layout from nName field names a[] in text z (a header
** line or a format). Names the table has no column for, and repeated
** names, are reported once (as errors of the current line) and their
** tokens ignored. Return SQLITE_OK, SQLITE_NOMEM or, in strict mode,
** SQLITE_ERROR.
*/
static int rows_set_layout(VfCursor *pCur, const char *z, const VfSpan *a,
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
    int iSlot = vf_find_slot(pTab, zName, (size_t)nLen);
    if( i ) sqlite3_str_appendchar(pSig, 1, ' ');
    sqlite3_str_append(pSig, zName, nLen);
    if( iSlot>=0 && pCur->aSlotTok[iSlot]>=0 ){
      /* z is the format's own text when no header line set the layout */
      char *zMsg = sqlite3_mprintf("duplicate field '%.*s' in %s: "
                                   "only its first column is read", nLen,
                                   zName, z==pCur->zFmtText ?
                                   "the format string" : "header");
      pCur->bNote = 1;
      rc = zMsg ? rows_line_error(pCur, zMsg, 0, 0) : SQLITE_NOMEM;
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
      rc = zMsg ? rows_line_error(pCur, zMsg, 0, 0) : SQLITE_NOMEM;
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
void vf_close_file(VfCursor *pCur){
  if( pCur->bBlocks ){
    vf_ahead_reset(pCur->pAhead);
    pCur->bBlocks = 0;
    pCur->bBlockEnd = 0;
    pCur->pBlk = 0;
  }
  pCur->bRowFormat = 0;
  if( pCur->pReader ) pCur->nDoneBytes += vf_reader_size(pCur->pReader);
  vf_reader_close(pCur->pReader);
  pCur->pReader = 0;
  pCur->bLayout = 0;
}

/*
** Parse the integer tokens of the record in z. Return SQLITE_OK with *pbRow
** set if the record is good, else report why (rows_line_error).
**
** This runs for every integer of every line. vf_parse_ints() takes all
** the numbers of up to 16 digits of the line at once (four at a time
** with AVX2); a token it did not take, or whose value is above the
** field's maximum, is parsed again by vf_parse_int(), which says what it
** is ("-", a longer number, not a number, out of range). The inner loop
** calls nothing: with a call in it the compiler kept its values on the
** stack and reloaded them on every turn.
*/
static int rows_check_ints(VfCursor *pCur, const char *z, size_t n, int *pbRow){
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
      return rows_line_error(pCur, zMsg, z, n);
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
static int rows_parse_line(VfCursor *pCur, const char *z, size_t n, int *pbRow){
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
      return rows_line_error(pCur, "malformed {\"message\":...} wrapper", z, n);
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
      return rows_line_error(pCur, zMsg, z, n);
    }
  }
  /* a header starts with a field name, so with a-z: most lines are not
  ** worth the call */
  if( (pCur->bRowFormat && vf_reader_lineno(pCur->pReader)==0)
   || (z[pCur->aTok[0].iOff]>='a' && z[pCur->aTok[0].iOff]<='z'
       && vf_is_header(z, pCur->aTok, nTok)) ){
    pCur->bFileHeader = 1;
    if( rows_same_header(pCur, z, pCur->aTok, nTok) ) return SQLITE_OK;
    return rows_set_layout(pCur, z, pCur->aTok, nTok);
  }
  if( !pCur->bLayout ){
    rc = rows_set_layout(pCur, pCur->zFmtText, pCur->aFmt, pCur->nFmt);
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
      return rows_line_error(pCur, zMsg, z, n);
    }
  }
  rc = rows_check_ints(pCur, z, n, pbRow);
  if( *pbRow ) pCur->zRow = z;
  return rc;
}

/*
** SQLITE_INTERRUPT if sqlite3_interrupt() is in force on the cursor's
** connection, else SQLITE_OK (see VF_PROBE_LINES).
*/
int vf_probe_interrupt(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int rc;
  if( pCur->pProbe==0 ){
    rc = sqlite3_prepare_v2(pTab->db, "SELECT 1", -1, &pCur->pProbe, 0);
    if( rc ) return rc;
  }
  rc = sqlite3_step(pCur->pProbe);
  sqlite3_reset(pCur->pProbe);
  if( rc==SQLITE_INTERRUPT ){
    vf_set_error(pTab, "interrupted");
    return SQLITE_INTERRUPT;
  }
  return SQLITE_OK;
}

/* 1 if the cursor's row may satisfy every pushed-down term. */
static int rows_row_passes(VfCursor *pCur){
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
** A file is about to be read: tell its format what the statement needs
** (format.h, through reader.h): decode only the columns the statement
** uses, and let pushed-down terms on integer columns (start and end read
** as possible milliseconds too) and '=' on text columns skip data (a
** Parquet file's row groups, by their statistics). Only terms that NULL
** never satisfies are given (not IS NULL, not ip_in_cidr), as format.h
** asks. A byte format (plain, gzip) can do neither and is not asked.
*/
static int rows_format_setup(VfCursor *pCur, VfReader *pReader){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  const char *azName[VF_MAX_FIELDS];
  int nName = 0, i, k;
  pCur->bRowFormat = vf_reader_rows(pReader);
  if( !pCur->bRowFormat ) return SQLITE_OK;
  if( (pCur->mColUsed>>63)==0 ){
    for(i=0; i<pTab->nSlot && nName<VF_MAX_FIELDS; i++){
      if( pCur->aSlotUsed[i] ) azName[nName++] = pTab->aSlot[i].zName;
    }
    vf_reader_select(pReader, azName, nName);
  }
  for(k=0; k<pCur->nTerm; k++){
    const VfTerm *pT = &pCur->aTerm[k];
    const VfSlot *pSlot = &pTab->aSlot[pT->iSlot];
    VfPrune x;
    if( pT->bPassAll || pT->op==VF_OP_ISNULL || pT->op==VF_OP_NOTNULL
     || pT->op==VF_OP_CIDR ){
      continue;
    }
    memset(&x, 0, sizeof(x));
    x.zCol = pSlot->zName;
    if( pT->bInt ){
      int64_t lo = INT64_MIN, hi = INT64_MAX;
      vf_term_bounds(pT, &lo, &hi);
      if( lo==INT64_MIN && hi==INT64_MAX ) continue;
      x.eKind = pSlot->bEpoch ? VF_PRUNE_EPOCH : VF_PRUNE_INT;
      x.lo = lo;
      x.hi = hi;
    }else if( pT->op==VF_OP_EQ && pT->zVal ){
      x.eKind = VF_PRUNE_TEXT;
      x.zLo = x.zHi = pT->zVal;
    }else{
      continue;
    }
    vf_reader_prune(pReader, &x);
  }
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------
** Parse-ahead: a plain file in blocks, parsed on both cores (ahead.h)
**
** Once a plain file's layout is known (its header, or the format),
** vf_advance() takes its lines from rows_block_line() instead of the reader.
** The reader hands over blocks of whole lines, the ring parses them, and
** each line comes back with a record: an ordinary data line with its
** spans and values ready (rows_apply_rec() makes it the cursor's row), any
** other line as text for rows_parse_line(), exactly as the reader would have
** given it. A layout change (a header mid-file) makes the records parsed
** under the old one worthless: their lines go the slow way too.
*/

/* Give the ring the current layout: what a data line must look like, and
** which spans and values of it the statement reads. */
static void rows_ahead_set_layout(VfCursor *pCur){
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
static int rows_layout_changed(VfCursor *pCur){
  VfAhead *p = pCur->pAhead;
  pCur->iAheadFor = pCur->iLayoutGen;
  if( pCur->bBlocks ){
    rows_ahead_set_layout(pCur);
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
  rows_ahead_set_layout(pCur);
  return SQLITE_OK;
}

/* Make the line z of a record the cursor's row: its spans and values. */
static void rows_apply_rec(VfCursor *pCur, const VfAheadRec *pRec,
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
static int rows_block_line(VfCursor *pCur, const char **pz, size_t *pn,
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
static void rows_count_line(VfCursor *pCur){
  if( (++pCur->nLines & 0xffff)==0 ){
    vf_progress_tick(&pCur->progress, pCur->iFile,
                     pCur->nDoneBytes + vf_reader_offset(pCur->pReader),
                     (int64_t)pCur->nLines);
  }
}

/*
** The common case of xNext, kept short: the next line of the current
** block has a ready record and no pushed-down term must judge it. Return
** 1 with the row in the cursor, or 0 to take the whole way (vf_advance).
*/
static int rows_next_record(VfCursor *pCur){
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
  rows_count_line(pCur);
  rows_apply_rec(pCur, pRec, pB->z + pRec->iOff);
  pCur->nQuiet = 0;
  pCur->iRowid++;
  pCur->nScanRows++;
  return 1;
}

static int rows_check_stamp(VfCursor*, char*, size_t);

/*
** Move to the next row, across lines and files. On return either the
** cursor holds a row or bEof is set, unless an error code is returned.
*/
int vf_advance(VfCursor *pCur){
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
        return rows_scan_done(pCur);
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
        rc = rows_file_error(pCur, pCur->files.azWhy[pCur->iFile]);
        pCur->iFile++;
        if( rc ) return rc;
        continue;
      }
      if( vf_reader_open_ex(vfCurFile(pCur), &pCur->pReader, zErr, sizeof(zErr),
                            vf_stop_cb, pCur) ){
        rc = rows_file_error(pCur, rows_strip_path(zErr, vfCurFile(pCur)));
        pCur->iFile++;
        if( rc ) return rc;
        continue;
      }
      if( pCur->aStamp && rows_check_stamp(pCur, zErr, sizeof(zErr)) ){
        rc = rows_file_error(pCur, zErr);
        vf_close_file(pCur);
        pCur->iFile++;
        if( rc ) return rc;
        continue;
      }
      rc = rows_format_setup(pCur, pCur->pReader);
      if( rc ) return rc;
    }
    if( pCur->bBlocks ){
      e = rows_block_line(pCur, &z, &n, &pRec);
    }else{
      e = vf_reader_next(pCur->pReader, &z, &n);
      pCur->iLine = vf_reader_lineno(pCur->pReader);
    }
    rows_count_line(pCur);
    switch( e ){
      case VF_LINE_OK:
        if( pRec ){
          rows_apply_rec(pCur, pRec, z);
          bRow = 1;
          rc = SQLITE_OK;
          break;
        }
        rc = rows_parse_line(pCur, z, n, &bRow);
        if( pCur->iLayoutGen!=pCur->iAheadFor && rc==SQLITE_OK ){
          rc = rows_layout_changed(pCur);
        }
        break;
      case VF_LINE_TOOLONG: {
        char zMsg[64];
        snprintf(zMsg, sizeof(zMsg), "line too long (over %d bytes)",
                 VF_READER_MAX_LINE);
        rc = rows_line_error(pCur, zMsg, z, n);
        break;
      }
      case VF_LINE_PARTIAL:
        if( vf_reader_is_gzip(pCur->pReader)
         && strstr(vf_reader_errmsg(pCur->pReader), "cannot read")==0 ){
          rc = rows_line_error(pCur,
                   "incomplete last line of a truncated gzip stream", z, n);
        }else{
          /* a file whose read failed: say why (found by the soak: an
          ** EIO, of a plain file and then of a gzip file, was reported
          ** as a truncated gzip stream) */
          char *zWhy = sqlite3_mprintf("incomplete last line: %s",
                          rows_strip_path(vf_reader_errmsg(pCur->pReader),
                                      vfCurFile(pCur)));
          rc = zWhy ? rows_line_error(pCur, zWhy, z, n) : SQLITE_NOMEM;
          sqlite3_free(zWhy);
        }
        break;
      case VF_LINE_AGAIN:
        rc = SQLITE_OK;
        break;
      case VF_LINE_BAD: {
        char *zWhy = sqlite3_mprintf("%.*s", (int)n, z);
        rc = zWhy ? rows_line_error(pCur, zWhy, 0, 0) : SQLITE_NOMEM;
        sqlite3_free(zWhy);
        break;
      }
      case VF_LINE_ERROR:
        rc = rows_file_error(pCur, rows_strip_path(vf_reader_errmsg(pCur->pReader),
                                           vfCurFile(pCur)));
        vf_close_file(pCur);
        pCur->iFile++;
        break;
      default:                          /* VF_LINE_EOF */
        rc = SQLITE_OK;
        vf_close_file(pCur);
        pCur->iFile++;
        break;
    }
    if( rc ) return rc;
    if( bRow ) pCur->nScanRows++;
    if( bRow && (pCur->nTerm==0 || rows_row_passes(pCur)) ){
      pCur->nQuiet = 0;
      pCur->iRowid++;
      return SQLITE_OK;
    }
    if( (++pCur->nQuiet % VF_PROBE_LINES)==0 || e==VF_LINE_AGAIN ){
      rc = vf_probe_interrupt(pCur);
      if( rc ) return rc;
    }
  }
}

/*
** xNext's work for an ungrouped scan: the common case (rows_next_record)
** inline, else the whole way (vf_advance). vtab.c's xNext jumps here.
*/
int vf_next_row(VfCursor *pCur){
  if( rows_next_record(pCur) ) return SQLITE_OK;
  return vf_advance(pCur);
}

/*
** How this scan parses plain files (rows_block_line), from the scan's
** settings: in blocks on both cores unless VPCFLOW_PARSE_AHEAD=off;
** VPCFLOW_PARSE_THREADS=0 keeps the blocks but parses them all on the
** query thread; VPCFLOW_PARSE_BLOCK sets the block size in bytes (tests
** use tiny ones). A ring made for other settings by an earlier scan is
** dropped.
*/
void vf_ahead_config(VfCursor *pCur){
  int bThread = pCur->set.bParseThread;
  size_t nBlock = pCur->set.nParseBlock;
  pCur->bAheadOn = pCur->set.bParseAhead;
  if( pCur->pAhead && (bThread!=pCur->bAheadThread
                       || nBlock!=pCur->nAheadBlock) ){
    vf_ahead_close(pCur->pAhead);
    pCur->pAhead = 0;
  }
  pCur->bAheadThread = bThread;
  pCur->nAheadBlock = nBlock;
  if( pCur->pAhead ) vf_ahead_solo(pCur->pAhead, 0);
}

/* vf_source_expand_ex() stop callback of a scan: 1 if interrupted. */
int vf_stop_cb(void *pArg){
  VfCursor *pCur = (VfCursor*)pArg;
  return vf_probe_interrupt(pCur)!=SQLITE_OK;
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
static int rows_check_stamp(VfCursor *pCur, char *zWhy, size_t nWhy){
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
static int rows_group_parts(const VfCursor *pCur, int64_t nByte){
  int64_t n = pCur->set.nGroupParts;
  if( n==0 ) n = nByte/100/65536;       /* the switch is unset */
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
** aPaySlot[]/aText[] (*pnPay entries, at most VF_GROUP_MAX_VAL) if new;
** -1 if full.
*/
static int rows_payload_of(VfCursor *pCur, int iSlot, int *aPaySlot,
                       unsigned char *aText, int *pnPay){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  if( pCur->aSlotPay[iSlot]<0 ){
    if( *pnPay>=VF_GROUP_MAX_VAL ) return -1;
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
static int rows_pay_slots(VfCursor *pCur, int *aPaySlot){
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
static int rows_group_fill(VfCursor *pCur, int *pbStore){
  int aPaySlot[VF_GROUP_MAX_VAL], nPay = rows_pay_slots(pCur, aPaySlot), i, rc;
  VfValue aVal[VF_GROUP_MAX_VAL];
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
      rc = vf_probe_interrupt(pCur);
      if( rc ) return rc;
      if( pCur->pAhead && vf_group_behind(pCur->pGroup) ){
        /* many groups: grouping, not parsing, is the slow part; the
        ** parse-ahead worker would only take the core from it */
        vf_ahead_solo(pCur->pAhead, 1);
      }
    }
    rc = vf_advance(pCur);
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
static int rows_rewind(VfCursor *pCur){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int nFile = pCur->progress.nFile;
  uint64_t nTotal = pCur->progress.nTotal;
  int bSizeKnown = pCur->progress.bSizeKnown;
  vf_close_file(pCur);
  pCur->bReread = 1;
  pCur->iFile = 0;
  pCur->iRowid = 0;
  pCur->iLine = 0;
  pCur->nQuiet = 0;
  pCur->nDoneBytes = 0;
  pCur->nLines = 0;
  pCur->bEof = 0;
  vf_scan_reset(pCur);
  vf_progress_end(&pCur->progress, 0);
  vf_progress_start(&pCur->progress, pTab->db, nFile, nTotal, bSizeKnown,
                    &pCur->set);
  return vf_advance(pCur);
}

/*
** The store failed with rc (its budget, or memory). SQLITE_FULL and
** SQLITE_NOMEM of a store in memory are not the query's failure: the
** store moves to a temporary file and the scan is read again into it
** (vf_group_spill); the groups already handed to SQLite are skipped.
** Any other error, or one of the spilled store, ends the query with
** a message that says what failed.
*/
static int rows_group_recover(VfCursor *pCur, int rc){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int bStore = 1;
  if( vf_group_spilled(pCur->pGroup) || (rc!=SQLITE_FULL && rc!=SQLITE_NOMEM) ){
    if( rc==SQLITE_INTERRUPT ){
      vf_set_error(pTab, "interrupted");
    }else if( vf_group_spilled(pCur->pGroup) ){
      vf_set_error(pTab, "vpcflow: this GROUP BY did not fit in memory (its "
                 "budget VPCFLOW_GROUP_MB or the process's limit) and "
                 "sorting it in a temporary file failed: %s",
                 vf_group_errmsg(pCur->pGroup, rc));
    }
    pCur->bEof = 1;
    return rc;
  }
  if( pCur->set.bGroupTrace ){
    fprintf(stderr, "vpcflow group: %s after %lld rows, %lld groups handed "
            "over; sorting in a temporary file\n", rc==SQLITE_FULL ?
            "over budget" : "out of memory",
            (long long)vf_group_rows(pCur->pGroup),
            (long long)vf_group_out(pCur->pGroup));
  }
  rc = vf_group_spill(pCur->pGroup, vf_stop_cb, pCur);
  if( rc==SQLITE_OK ){
    bStore = 0;
    rc = rows_rewind(pCur);
  }
  if( rc==SQLITE_OK ) rc = rows_group_fill(pCur, &bStore);
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
  if( bStore ) return rows_group_recover(pCur, rc);   /* names the failure */
  pCur->bEof = 1;
  return rc;
}

/* The next grouped row: bEof at the end. */
int vf_rows_group_step(VfCursor *pCur){
  int rc = vf_group_step(pCur->pGroup);
  if( rc==SQLITE_ROW ){
    pCur->iGroupRow++;
    return SQLITE_OK;
  }
  pCur->bEof = 1;
  if( rc==SQLITE_DONE ) return SQLITE_OK;
  return rows_group_recover(pCur, rc);
}

/*
** Read the whole scan into the cursor's VfGroupStore. This thread parses
** each line, as any scan does (errors, strict mode, interrupts, progress
** behave the same), and only packs the used values of each row; the
** store's own thread groups them meanwhile (group.c). A store that
** cannot start or go on in memory spills to a file (rows_group_recover).
*/
int vf_collect_groups(VfCursor *pCur, const VfPlan *pPlan){
  VfTable *pTab = (VfTable*)pCur->base.pVtab;
  int aKey[VF_GROUP_MAX_KEY], nKey = 0, nPay = 0, i, rc, mFlags, bStore;
  unsigned char aDesc[VF_GROUP_MAX_KEY], aText[VF_GROUP_MAX_VAL];
  int aPaySlot[VF_GROUP_MAX_VAL];

  for(i=0; i<pTab->nSlot; i++) pCur->aSlotPay[i] = -1;
  /* the payload: every data column the statement uses (vfCanGroup made
  ** sure they are all below column 63 and at most VF_GROUP_MAX_VAL with
  ** the keys) */
  for(i=0; i<pTab->nCol && i<63; i++){
    if( (pCur->mColUsed & ((uint64_t)1<<i)) && pTab->aColKind[i]==VF_COL_DATA
     && rows_payload_of(pCur, pTab->aColSlot[i], aPaySlot, aText, &nPay)<0 ){
      return SQLITE_INTERNAL;
    }
  }
  for(i=0; i<pPlan->nKey; i++){
    int iCol = pPlan->aKey[i].iCol;
    if( iCol<pTab->nCol ){
      int k = rows_payload_of(pCur, pTab->aColSlot[iCol], aPaySlot, aText, &nPay);
      if( k<0 ) return SQLITE_INTERNAL;
      aKey[nKey] = k;
      aDesc[nKey] = pPlan->aKey[i].bDesc;
      nKey++;
    }
  }
  mFlags = (pCur->set.bGroupThread ? VF_GROUP_THREAD : 0)
         | (pCur->set.bGroupTrace ? VF_GROUP_TRACE : 0);
  if( pCur->aStamp==0 ){
    /* not planned with an estimate (the planning's files were stale):
    ** the files are stamped now, the one open already as the reader saw
    ** it, so that a spilled store's second read can be compared */
    pCur->aStamp = vf_new_stamps(pCur->files.nFile);
    if( pCur->aStamp==0 ) return SQLITE_NOMEM;
    if( pCur->pReader ){
      char zWhy[8];
      rows_check_stamp(pCur, zWhy, sizeof(zWhy));
    }
    pCur->nStampBytes = vf_files_bytes(&pCur->files, pCur->aStamp,
                                     vf_stop_cb, pCur);
  }else if( pCur->nPruned>0 || pCur->nStampBytes<0 ){
    /* planning sized the files before some were pruned */
    pCur->nStampBytes = vf_files_bytes(&pCur->files, pCur->aStamp,
                                     vf_stop_cb, pCur);
  }
  if( pCur->nStampBytes<0 ) return SQLITE_INTERRUPT;   /* vf_stop_cb said */
  rc = vf_group_new(&pCur->pGroup, nPay, aText, nKey, aKey, aDesc,
                    pCur->set.nGroupBudget,
                    rows_group_parts(pCur, pCur->nStampBytes), mFlags);
  if( rc==SQLITE_FULL || rc==SQLITE_NOMEM ){
    /* the smallest store, to spill at once */
    rc = vf_group_new(&pCur->pGroup, nPay, aText, nKey, aKey, aDesc,
                      pCur->set.nGroupBudget, 1,
                      mFlags & VF_GROUP_TRACE);
    if( rc==SQLITE_OK ) return rows_group_recover(pCur, SQLITE_FULL);
  }
  if( rc ) return rc;
  rc = rows_group_fill(pCur, &bStore);
  if( rc ) return bStore ? rows_group_recover(pCur, rc) : rc;
  pCur->iGroupRow = 0;
  pCur->bEof = 0;
  return vf_rows_group_step(pCur);
}

#endif /* SQLITE_OMIT_VIRTUALTABLE */
