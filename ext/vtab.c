/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** vtab.c - the vpcflow virtual table: AWS VPC Flow Log files as rows.
** This file: the module methods, its arguments and its schema.
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
** WHERE IT SITS. This file holds the module's methods; their work is
** split by job (vtab_int.h has the map and the shared objects):
** arguments and schema (xCreate/xConnect) and the values of a row
** (xColumn) are here; the plan (xBestIndex, file pruning, the grouping
** decision) is plan.c; the row engine behind xNext (lines to rows,
** parse-ahead, the Parquet hook, grouped delivery) is rows.c. xFilter,
** here, turns the plan and its arguments into a scan: it decodes the
** plan once (vf_plan_decode), lists the files (source.c) and reads the
** first row (rows.c). How a line becomes a row: rows.c.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include "vtab.h"
#include "vtab_int.h"
#include "plan.h"
#include "rows.h"
#include "catalog.h"
#include "schema.h"
#include "func.h"
#include "rowref.h"

#ifndef SQLITE_OMIT_VIRTUALTABLE

/* ---------------------------------------------------------------------
** Small helpers
*/

/* Set the table's error message, printf-style. */
void vf_set_error(VfTable *pTab, const char *zFmt, ...){
  va_list ap;
  va_start(ap, zFmt);
  sqlite3_free(pTab->base.zErrMsg);
  pTab->base.zErrMsg = sqlite3_vmprintf(zFmt, ap);
  va_end(ap);
}

/* ---------------------------------------------------------------------
** Creating the table
*/

/*
** Dequote an argument of CREATE VIRTUAL TABLE in place: 'x', "x" and `x`
** lose their quotes, doubled quotes inside become one.
*/
static void vtab_dequote(char *z){
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
static int vtab_boolean(const char *z){
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
static void vtab_table_free(VfTable *pTab){
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
static int vtab_add_slot(VfTable *pTab, const char *z, size_t n){
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
static int vtab_parse_format(const char *zFormat, VfSpan *aSpan, int *pn,
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
static int vtab_collect_fields(VfTable *pTab, char **pzErr){
  VfSchema schema;
  int i, rc;
  memset(&schema, 0, sizeof(schema));
  rc = vf_schema_collect(pTab->zPath, pTab->zFormat, &schema, pzErr,
                         pTab->db);
  for(i=0; i<schema.nField && rc==SQLITE_OK; i++){
    rc = vtab_add_slot(pTab, schema.azField[i], strlen(schema.azField[i]));
  }
  vf_schema_free(&schema);
  return rc;
}

/*
** Parse the arguments of CREATE VIRTUAL TABLE: a path, as the first bare
** argument or path=..., then format=... and strict=... in any order.
*/
static int vtab_parse_args(VfTable *pTab, int argc, const char *const *argv,
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
    vtab_dequote(zVal);
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
      int b = vtab_boolean(zVal);
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
static void vtab_declare_column(VfTable *pTab, sqlite3_str *pStr, int iCol,
                            const char *zName, const char *zType,
                            int bHidden, int eKind, int iSlot){
  if( iCol ) sqlite3_str_appendall(pStr, ", ");
  sqlite3_str_appendf(pStr, "\"%w\" %s%s", zName, zType,
                      bHidden ? " HIDDEN" : "");
  pTab->aColKind[iCol] = (unsigned char)eKind;
  pTab->aColSlot[iCol] = iSlot;
}

/* Declare the data column of slot iSlot as SQL column iCol. */
static int vtab_declare_slot(VfTable *pTab, sqlite3_str *pStr, int iCol,
                         int iSlot, int bHidden){
  const VfSlot *p = &pTab->aSlot[iSlot];
  char *zCol = sqlite3_mprintf("%s", p->zName), *q;
  if( zCol==0 ) return SQLITE_NOMEM;
  for(q=zCol; *q; q++) if( *q=='-' ) *q = '_';
  vtab_declare_column(pTab, pStr, iCol, zCol,
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
static int vtab_declare(VfTable *pTab){
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
      rc = vtab_declare_slot(pTab, pStr, iCol++, i, 0);
    }
    vtab_declare_column(pTab, pStr, iCol++, "path", "TEXT", 1, VF_COL_PATH, -1);
    vtab_declare_column(pTab, pStr, iCol++, "format", "TEXT", 1, VF_COL_FORMAT, -1);
    vtab_declare_column(pTab, pStr, iCol++, "strict", "INTEGER", 1, VF_COL_STRICT, -1);
  }else{
    for(i=0; i<pTab->nSlot && rc==SQLITE_OK; i++){
      rc = vtab_declare_slot(pTab, pStr, iCol++, i, 0);
    }
  }
  /* SQLite gives the arguments of vpcflow(...) to the HIDDEN columns in
  ** order, and would give a 4th to log_file: a silent filter that finds
  ** no row. This column, hidden right after the real arguments (and
  ** first of the created form's, which takes none), takes it instead,
  ** and vfBestIndex() refuses any constraint on it. */
  vtab_declare_column(pTab, pStr, iCol++, "extra_arg", "ANY", 1, VF_COL_EXTRA, -1);
  vtab_declare_column(pTab, pStr, iCol++, "log_file", "TEXT", 1, VF_COL_FILE, -1);
  vtab_declare_column(pTab, pStr, iCol++, "log_line", "INTEGER", 1, VF_COL_LINE, -1);
  vtab_declare_column(pTab, pStr, iCol++, "dt", "TEXT", 1, VF_COL_DT, -1);
  /* For C callers in this library only (rowref.h): SQL sees NULL. */
  vtab_declare_column(pTab, pStr, iCol++, "vpcflow_row", "ANY", 1, VF_COL_ROW, -1);
  if( pTab->bTvf ){
    for(i=VF_DEFAULT_NFIELD; i<pTab->nSlot && rc==SQLITE_OK; i++){
      rc = vtab_declare_slot(pTab, pStr, iCol++, i, 1);
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
      rc = vtab_add_slot(pTab, pF->zName, strlen(pF->zName));
    }
  }else{
    rc = vtab_parse_args(pTab, argc, argv, pzErr);
    if( rc==SQLITE_OK ) rc = vtab_collect_fields(pTab, pzErr);
  }
  if( rc==SQLITE_OK ){
    rc = vtab_declare(pTab);
    if( rc==SQLITE_ERROR && *pzErr==0 ){
      /* The schema vtab_declare() writes always parses: sqlite3_declare_vtab()
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
    vtab_table_free(pTab);
    return rc;
  }
  *ppVtab = &pTab->base;
  return SQLITE_OK;
}

static int vfDisconnect(sqlite3_vtab *pVtab){
  vtab_table_free((VfTable*)pVtab);
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
static void vtab_cursor_reset(VfCursor *pCur){
  vf_close_file(pCur);
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
  vf_scan_reset(pCur);
}

static int vfClose(sqlite3_vtab_cursor *cur){
  VfCursor *pCur = (VfCursor*)cur;
  vtab_cursor_reset(pCur);
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
** A text argument of the table-valued form (path, format) must be TEXT
** or NULL. A number or a blob is a
** mistake (a misplaced argument, say), not a file name to look for.
** Return 0, or 1 with the table's error set.
*/
static int vtab_arg_type(VfTable *pTab, sqlite3_value *pV, const char *zName){
  int e = sqlite3_value_type(pV);
  if( e==SQLITE_TEXT ) return 0;
  if( e==SQLITE_NULL ) return 0;     /* a NULL format is the default; a NULL
                                     ** path has its own error */
  vf_set_error(pTab, "vpcflow: the %s argument must be text, not %s%s%s%s",
             zName, e==SQLITE_INTEGER ? "an integer" :
                    e==SQLITE_FLOAT ? "a real" : "a blob",
             e==SQLITE_BLOB ? "" : " (",
             e==SQLITE_BLOB ? "" : (const char*)sqlite3_value_text(pV),
             e==SQLITE_BLOB ? "" : ")");
  return 1;
}

/*
** The strict argument of the table-valued form: NULL (as if absent), the
** integers 0 and 1, or text SQLite takes as a boolean (vtab_boolean: 1/0,
** yes/no, on/off, true/false, any case). Return 0 or 1, or -1 with the
** table's error set for anything else, named.
*/
static int vtab_strict_arg(VfTable *pTab, sqlite3_value *pV){
  int e = sqlite3_value_type(pV), b = -1;
  if( e==SQLITE_NULL ) return 0;
  if( e==SQLITE_INTEGER ){
    sqlite3_int64 v = sqlite3_value_int64(pV);
    if( v==0 || v==1 ) b = (int)v;
  }else if( e==SQLITE_TEXT ){
    b = vtab_boolean((const char*)sqlite3_value_text(pV));
  }
  if( b<0 ){
    if( e==SQLITE_BLOB ){
      vf_set_error(pTab, "vpcflow: strict must be a boolean (1/0, yes/no, "
                 "on/off, true/false), not a blob");
    }else{
      vf_set_error(pTab, "vpcflow: strict must be a boolean (1/0, yes/no, "
                 "on/off, true/false), not '%s'", sqlite3_value_text(pV));
    }
  }
  return b;
}

static int vfFilter(sqlite3_vtab_cursor *cur, int idxNum,
                    const char *idxStr, int argc, sqlite3_value **argv){
  VfCursor *pCur = (VfCursor*)cur;
  VfTable *pTab = (VfTable*)cur->pVtab;
  const char *zPath = pTab->zPath, *zFormat = pTab->zFormat;
  int bStrict = pTab->bStrict, iArg = 0, rc;
  char *zErr = 0;
  VfPlan plan;                      /* idxStr decoded (THE PLAN, plan.h) */

  vtab_cursor_reset(pCur);
  vf_settings_read(&pCur->set);     /* this scan's VPCFLOW_* switches */
  if( (idxNum & VF_PLAN_INTR) && pTab->bPlanIntr ){
    /* interrupted while planned (INTERRUPTS WHILE PLANNING), delivered
    ** once: the plan keeps the flag, but the same statement reset and
    ** stepped again is a new request and runs (ungrouped, as planned) */
    pTab->bPlanIntr = 0;
    vf_set_error(pTab, "interrupted");
    return SQLITE_INTERRUPT;
  }
  if( idxNum & VF_PLAN_PATH ){
    sqlite3_value *pV = argv[iArg++];
    if( vtab_arg_type(pTab, pV, "path") ) return SQLITE_ERROR;
    zPath = (const char*)sqlite3_value_text(pV);
  }
  if( idxNum & VF_PLAN_FORMAT ){
    sqlite3_value *pV = argv[iArg++];
    if( vtab_arg_type(pTab, pV, "format") ) return SQLITE_ERROR;
    zFormat = (const char*)sqlite3_value_text(pV);
  }
  if( idxNum & VF_PLAN_STRICT ){
    bStrict = vtab_strict_arg(pTab, argv[iArg++]);
    if( bStrict<0 ) return SQLITE_ERROR;
  }
  vf_plan_decode(idxStr, &plan);
  rc = vf_set_terms(pCur, &plan, argc-iArg, argv+iArg);
  if( rc ) return rc;
  pCur->mColUsed = plan.mColUsed;
  vf_mark_used(pCur);
  vf_ahead_config(pCur);
  if( pTab->bTvf && (idxNum & VF_PLAN_PATH)==0 ){
    vf_set_error(pTab, "vpcflow: the table-valued form needs a path, "
                     "as in vpcflow('logs/')");
    return SQLITE_ERROR;
  }
  if( zPath==0 ){
    vf_set_error(pTab, "vpcflow: the path argument is NULL");
    return SQLITE_ERROR;
  }
  pCur->zPath = sqlite3_mprintf("%s", zPath);
  pCur->zFormat = zFormat ? sqlite3_mprintf("%s", zFormat) : 0;
  if( pCur->zPath==0 || (zFormat && pCur->zFormat==0) ) return SQLITE_NOMEM;
  pCur->bStrict = bStrict;
  pCur->zFmtText = pCur->zFormat ? pCur->zFormat : vf_default_format;
  rc = vtab_parse_format(pCur->zFormat, pCur->aFmt, &pCur->nFmt, &zErr);
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
   && !vf_take_plan_files(pTab, pCur->zPath, &pCur->files, pCur) ){
    rc = vf_source_expand_ex(pCur->zPath, &pCur->files, &zErr,
                             vf_stop_cb, pCur);
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
  vf_prune_files(pCur, &plan, argc-iArg, argv+iArg);
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
                      bKnown, &pCur->set);
  }
  pCur->bEof = 0;
  rc = vf_advance(pCur);
  if( rc==SQLITE_OK && (idxNum & VF_PLAN_GROUPED) ){
    rc = vf_collect_groups(pCur, &plan);
  }
  return rc;
}

static int vfNext(sqlite3_vtab_cursor *cur){
  VfCursor *pCur = (VfCursor*)cur;
  if( pCur->pGroup ) return vf_rows_group_step(pCur);
  return vf_next_row(pCur);
}

static int vfEof(sqlite3_vtab_cursor *cur){
  return ((VfCursor*)cur)->bEof;
}

/*
** Civil date (proleptic Gregorian, UTC) of day number z since 1970-01-01;
** Howard Hinnant's days-to-civil algorithm, valid far beyond flow log
** dates.
*/
static void vtab_civil_from_days(int64_t z, int *pY, int *pM, int *pD){
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
static void vtab_result_dt(VfCursor *pCur, sqlite3_context *ctx){
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
  vtab_civil_from_days(pCur->aSlotVal[iStart]/86400, &y, &m, &d);
  snprintf(zBuf, sizeof(zBuf), "%04d/%02d/%02d", y, m, d);
  sqlite3_result_text(ctx, zBuf, -1, SQLITE_TRANSIENT);
}

/*
** The current file's name as log_file shows it: a name that is not UTF-8
** shows '?' per bad byte (errlog.h); worked out once per file, not once
** per row. NULL on out-of-memory.
*/
static const char *vtab_shown_file(VfCursor *pCur){
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
      const char *zFile = vtab_shown_file(pCur);
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
      vtab_result_dt(pCur, ctx);
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
  return vtab_shown_file((VfCursor*)pRef);
}

int64_t vf_rowref_line(const void *pRef){
  return ((const VfCursor*)pRef)->iLine;
}
