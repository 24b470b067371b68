/*
** errlog.c - the per-connection error log and its eponymous virtual
** table vpcflow_errors (see errlog.h).
**
**   SELECT file, line, reason, text FROM vpcflow_errors;
**   DELETE FROM vpcflow_errors;              -- start afresh
**   DELETE FROM vpcflow_errors WHERE file LIKE '%old%';
**
** The table is eponymous-only (there is nothing to CREATE). It reads no
** files, so unlike vpcflow it is safe anywhere: innocuous.
**
** WHY DELETE, and not "the errors of the last scan only". The log gathers
** what every scan of the connection met, so one statement over two
** vpcflow() calls (a UNION, a join, the hunt's many statements over one
** table) reports all of them: a log cleared at each scan would quietly
** lose the first scan's errors, and no scan can tell which statement it
** belongs to. The user, who knows where "what I just ran" starts, says
** so with DELETE. Deleted entries are marked, not moved: rowids and the
** de-duplication chains stay valid; when none is left the log is freed
** and starts empty. A line met again after its entry was deleted is
** recorded again. DELETE is not transactional (a ROLLBACK does not bring
** entries back); INSERT and UPDATE are refused.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <string.h>
#include "errlog.h"
#include "parse.h"

typedef struct VfErrEntry VfErrEntry;
struct VfErrEntry {
  char *zFile;               /* file name */
  int64_t iLine;             /* line number, <=0 for a file-level error */
  char *zReason;             /* why the line was skipped */
  char *zText;               /* the line's text, may be NULL */
  unsigned int iNext;        /* next entry in the hash chain + 1, 0 = end */
  int bGone;                 /* deleted by the user: not shown */
};

#define VF_ERRLOG_NHASH 4096  /* hash buckets for de-duplication */

struct VfErrLog {
  int nRef;                  /* references: module + live tables */
  int nEntry, nAlloc;        /* entries used and allocated */
  int nGone;                 /* entries deleted (bGone) */
  VfErrEntry *aEntry;        /* the entries, in the order met */
  int64_t nDropped;          /* distinct errors not kept after the cap */
  unsigned int aHash[VF_ERRLOG_NHASH]; /* first entry + 1 per bucket */
};

VfErrLog *vf_errlog_new(void){
  VfErrLog *p = sqlite3_malloc64(sizeof(*p));
  if( p ){
    memset(p, 0, sizeof(*p));
    p->nRef = 1;
  }
  return p;
}

void vf_errlog_ref(VfErrLog *p){
  p->nRef++;
}

/* Free every entry: the log is empty again (references unchanged). */
static void errlog_clear(VfErrLog *p){
  int i;
  for(i=0; i<p->nEntry; i++){
    sqlite3_free(p->aEntry[i].zFile);
    sqlite3_free(p->aEntry[i].zReason);
    sqlite3_free(p->aEntry[i].zText);
  }
  sqlite3_free(p->aEntry);
  p->aEntry = 0;
  p->nEntry = p->nAlloc = p->nGone = 0;
  p->nDropped = 0;
  memset(p->aHash, 0, sizeof(p->aHash));
}

void vf_errlog_release(void *pArg){
  VfErrLog *p = (VfErrLog*)pArg;
  if( p==0 || --p->nRef>0 ) return;
  errlog_clear(p);
  sqlite3_free(p);
}

/*
** A copy of the offending line for the text column: at most VF_ERRLOG_TEXT
** bytes, cut at a character boundary, with every byte that is a control
** character or not part of valid UTF-8 shown as '?'. The column must be
** valid text whatever the line was (a line is often here because it was
** not), or clients such as Python's sqlite3 cannot read the table at all.
*/
static char *errlog_text(const char *z, size_t n){
  char *zOut;
  size_t i = 0, j = 0;
  if( n>VF_ERRLOG_TEXT ) n = (size_t)vf_utf8_prefix(z, n, VF_ERRLOG_TEXT);
  zOut = sqlite3_malloc64(n+1);
  if( zOut==0 ) return 0;
  while( i<n ){
    int bUtf8;
    size_t iBad = vf_check_text(z+i, n-i, &bUtf8);
    size_t nGood = iBad ? iBad-1 : n-i;
    memcpy(zOut+j, z+i, nGood);
    j += nGood;
    i += nGood;
    if( iBad ){
      zOut[j++] = '?';
      i++;
    }
  }
  zOut[j] = 0;
  return zOut;
}

/* See errlog.h */
char *vf_errlog_name(const char *zName, int *pbNoMem){
  size_t n = strlen(zName), i = 0;
  char *zOut = 0;
  *pbNoMem = 0;
  while( i<n ){
    int bUtf8 = 0;
    size_t iBad = vf_check_text(zName+i, n-i, &bUtf8);
    if( iBad==0 ) break;
    i += iBad - 1;
    if( bUtf8 ){
      if( zOut==0 ){
        zOut = sqlite3_mprintf("%s", zName);
        if( zOut==0 ){
          *pbNoMem = 1;
          return 0;
        }
      }
      zOut[i] = '?';
    }
    i++;
  }
  return zOut;
}

/* FNV-1a over the file name, line and reason. */
static unsigned int errlog_hash(const char *zFile, int64_t iLine,
                                const char *zReason){
  uint32_t h = 2166136261u;
  const unsigned char *z;
  int k;
  for(z=(const unsigned char*)zFile; *z; z++){ h ^= *z; h *= 16777619u; }
  for(k=0; k<8; k++){ h ^= (uint8_t)(iLine>>(k*8)); h *= 16777619u; }
  for(z=(const unsigned char*)zReason; *z; z++){ h ^= *z; h *= 16777619u; }
  return h % VF_ERRLOG_NHASH;
}

int vf_errlog_add(VfErrLog *p, const char *zFile, int64_t iLine,
                  const char *zReason, const char *zText, size_t nText){
  unsigned int h = errlog_hash(zFile, iLine, zReason);
  unsigned int i;
  VfErrEntry *pE;
  if( iLine<0 ) iLine = 0;
  for(i=p->aHash[h]; i; i=p->aEntry[i-1].iNext){
    pE = &p->aEntry[i-1];
    if( pE->iLine==iLine && strcmp(pE->zFile, zFile)==0
     && strcmp(pE->zReason, zReason)==0 ){
      if( pE->bGone ){                  /* deleted, met again: shown again */
        pE->bGone = 0;
        p->nGone--;
      }
      return SQLITE_OK;                 /* already recorded */
    }
  }
  if( p->nEntry>=VF_ERRLOG_MAX ){
    p->nDropped++;
    return SQLITE_OK;
  }
  if( p->nEntry>=p->nAlloc ){
    int nNew = p->nAlloc ? p->nAlloc*2 : 64;
    VfErrEntry *aNew;
    if( nNew>VF_ERRLOG_MAX ) nNew = VF_ERRLOG_MAX;
    aNew = sqlite3_realloc64(p->aEntry, sizeof(VfErrEntry)*(sqlite3_uint64)nNew);
    if( aNew==0 ) return SQLITE_NOMEM;
    p->aEntry = aNew;
    p->nAlloc = nNew;
  }
  pE = &p->aEntry[p->nEntry];
  pE->zFile = sqlite3_mprintf("%s", zFile);
  pE->zReason = sqlite3_mprintf("%s", zReason);
  pE->zText = zText ? errlog_text(zText, nText) : 0;
  pE->iLine = iLine;
  pE->bGone = 0;
  if( pE->zFile==0 || pE->zReason==0 || (zText && pE->zText==0) ){
    sqlite3_free(pE->zFile);
    sqlite3_free(pE->zReason);
    sqlite3_free(pE->zText);
    return SQLITE_NOMEM;
  }
  pE->iNext = p->aHash[h];
  p->nEntry++;
  p->aHash[h] = (unsigned int)p->nEntry;
  return SQLITE_OK;
}

/* ---------------------------------------------------------------------
** The vpcflow_errors virtual table.
*/
typedef struct ErrTable ErrTable;
struct ErrTable {
  sqlite3_vtab base;         /* Base class - must be first */
  VfErrLog *pLog;            /* the connection's log */
};

typedef struct ErrCursor ErrCursor;
struct ErrCursor {
  sqlite3_vtab_cursor base;  /* Base class - must be first */
  int iRow;                  /* current row: an entry, or nEntry = cap row */
};

#define ERR_COL_FILE   0
#define ERR_COL_LINE   1
#define ERR_COL_REASON 2
#define ERR_COL_TEXT   3

static int errConnect(sqlite3 *db, void *pAux, int argc,
                      const char *const *argv, sqlite3_vtab **ppVtab,
                      char **pzErr){
  ErrTable *pTab;
  int rc;
  (void)argc; (void)argv; (void)pzErr;
  rc = sqlite3_declare_vtab(db,
         "CREATE TABLE x(file TEXT, line INTEGER, reason TEXT, text TEXT)");
  if( rc!=SQLITE_OK ) return rc;
  pTab = sqlite3_malloc64(sizeof(*pTab));
  if( pTab==0 ) return SQLITE_NOMEM;
  memset(pTab, 0, sizeof(*pTab));
  pTab->pLog = (VfErrLog*)pAux;
  vf_errlog_ref(pTab->pLog);
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *ppVtab = &pTab->base;
  return SQLITE_OK;
}

static int errDisconnect(sqlite3_vtab *pVtab){
  ErrTable *pTab = (ErrTable*)pVtab;
  vf_errlog_release(pTab->pLog);
  sqlite3_free(pTab);
  return SQLITE_OK;
}

static int errOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCur){
  ErrCursor *pCur = sqlite3_malloc64(sizeof(*pCur));
  (void)pVtab;
  if( pCur==0 ) return SQLITE_NOMEM;
  memset(pCur, 0, sizeof(*pCur));
  *ppCur = &pCur->base;
  return SQLITE_OK;
}

static int errClose(sqlite3_vtab_cursor *cur){
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* Number of rows: the entries, plus one when some were dropped. */
static int err_row_count(VfErrLog *p){
  return p->nEntry + (p->nDropped>0);
}

/* Move the cursor from row iRow onwards to the first row not deleted. */
static void err_skip_gone(ErrCursor *pCur){
  VfErrLog *p = ((ErrTable*)pCur->base.pVtab)->pLog;
  while( pCur->iRow<p->nEntry && p->aEntry[pCur->iRow].bGone ) pCur->iRow++;
}

static int errFilter(sqlite3_vtab_cursor *cur, int idxNum,
                     const char *idxStr, int argc, sqlite3_value **argv){
  (void)idxNum; (void)idxStr; (void)argc; (void)argv;
  ((ErrCursor*)cur)->iRow = 0;
  err_skip_gone((ErrCursor*)cur);
  return SQLITE_OK;
}

static int errNext(sqlite3_vtab_cursor *cur){
  ((ErrCursor*)cur)->iRow++;
  err_skip_gone((ErrCursor*)cur);
  return SQLITE_OK;
}

static int errEof(sqlite3_vtab_cursor *cur){
  ErrTable *pTab = (ErrTable*)cur->pVtab;
  return ((ErrCursor*)cur)->iRow >= err_row_count(pTab->pLog);
}

static int errColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i){
  ErrTable *pTab = (ErrTable*)cur->pVtab;
  VfErrLog *pLog = pTab->pLog;
  int iRow = ((ErrCursor*)cur)->iRow;
  if( iRow>=pLog->nEntry ){
    /* The cap row: no file or line, the count of what was not kept. */
    if( i==ERR_COL_REASON ){
      char *z = sqlite3_mprintf(
          "error log full (%d entries): %lld more errors not recorded",
          VF_ERRLOG_MAX, (long long)pLog->nDropped);
      if( z==0 ) return SQLITE_NOMEM;
      sqlite3_result_text(ctx, z, -1, sqlite3_free);
    }
    return SQLITE_OK;
  }else{
    VfErrEntry *pE = &pLog->aEntry[iRow];
    switch( i ){
      case ERR_COL_FILE: {
        int bNoMem;
        char *z = vf_errlog_name(pE->zFile, &bNoMem);
        if( bNoMem ) return SQLITE_NOMEM;
        if( z ){
          sqlite3_result_text(ctx, z, -1, sqlite3_free);
        }else{
          sqlite3_result_text(ctx, pE->zFile, -1, SQLITE_TRANSIENT);
        }
        break;
      }
      case ERR_COL_LINE:
        if( pE->iLine>0 ) sqlite3_result_int64(ctx, pE->iLine);
        break;
      case ERR_COL_REASON:
        sqlite3_result_text(ctx, pE->zReason, -1, SQLITE_TRANSIENT);
        break;
      default:
        if( pE->zText ) sqlite3_result_text(ctx, pE->zText, -1, SQLITE_TRANSIENT);
        break;
    }
  }
  return SQLITE_OK;
}

static int errRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid){
  *pRowid = ((ErrCursor*)cur)->iRow + 1;
  return SQLITE_OK;
}

/*
** DELETE only (see WHY DELETE above): mark the entry whose rowid is
** argv[0] (the cap row forgets the count of dropped errors); when no
** entry is left, free them all.
*/
static int errUpdate(sqlite3_vtab *pVtab, int argc, sqlite3_value **argv,
                     sqlite3_int64 *pRowid){
  VfErrLog *p = ((ErrTable*)pVtab)->pLog;
  sqlite3_int64 iRow;
  (void)pRowid;
  if( argc!=1 ){
    sqlite3_free(pVtab->zErrMsg);
    pVtab->zErrMsg = sqlite3_mprintf("vpcflow_errors: only DELETE is "
                                     "allowed");
    return pVtab->zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  iRow = sqlite3_value_int64(argv[0]) - 1;
  if( iRow>=0 && iRow<p->nEntry ){
    if( !p->aEntry[iRow].bGone ){
      p->aEntry[iRow].bGone = 1;
      p->nGone++;
    }
  }else if( iRow==p->nEntry ){
    p->nDropped = 0;
  }
  if( p->nGone==p->nEntry && p->nDropped==0 ) errlog_clear(p);
  return SQLITE_OK;
}

static int errBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo){
  ErrTable *pTab = (ErrTable*)pVtab;
  pInfo->estimatedCost = (double)err_row_count(pTab->pLog) + 1.0;
  pInfo->estimatedRows = err_row_count(pTab->pLog) + 1;
  return SQLITE_OK;
}

static const sqlite3_module errModule = {
  .iVersion   = 0,
  .xCreate    = 0,               /* eponymous-only */
  .xConnect   = errConnect,
  .xBestIndex = errBestIndex,
  .xDisconnect= errDisconnect,
  .xDestroy   = errDisconnect,
  .xOpen      = errOpen,
  .xClose     = errClose,
  .xFilter    = errFilter,
  .xNext      = errNext,
  .xEof       = errEof,
  .xColumn    = errColumn,
  .xRowid     = errRowid,
  .xUpdate    = errUpdate,
};

int vf_errlog_register(sqlite3 *db, VfErrLog *p){
  vf_errlog_ref(p);
  return sqlite3_create_module_v2(db, "vpcflow_errors", &errModule, p,
                                  vf_errlog_release);
}
