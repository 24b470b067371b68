/*
** schema.c - the union of the fields of a set of flow log files (see
** schema.h).
**
** Only the first non-blank line of each file is read: S3 writes the
** header there. A header that appears further down a file (files glued
** together) is seen only when the file is scanned; its fields then need a
** column, and the scan records any that has none.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include <string.h>
#include "schema.h"
#include "parse.h"
#include "reader.h"
#include "source.h"
#include "s3.h"

const char vf_default_format[] =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol "
  "packets bytes start end action log-status";

/* Most lines read looking for the first non-blank one of a file, so that
** a file of nothing but newlines cannot stall the caller. */
#define VF_SCHEMA_MAXBLANK 1000

/* Add name z[0..n-1] ('_' read as '-') unless present. */
static int schema_add(VfSchema *p, const char *z, size_t n){
  char *zName, *q;
  char **azNew;
  int i;
  zName = sqlite3_mprintf("%.*s", (int)n, z);
  if( zName==0 ) return SQLITE_NOMEM;
  for(q=zName; *q; q++) if( *q=='_' ) *q = '-';
  for(i=0; i<p->nField; i++){
    if( strcmp(p->azField[i], zName)==0 ){
      sqlite3_free(zName);
      return SQLITE_OK;
    }
  }
  azNew = sqlite3_realloc64(p->azField, sizeof(char*)*(p->nField+1));
  if( azNew==0 ){
    sqlite3_free(zName);
    return SQLITE_NOMEM;
  }
  p->azField = azNew;
  p->azField[p->nField++] = zName;
  return SQLITE_OK;
}

/* Add each of the names a[0..n-1] of text z. */
static int schema_add_all(VfSchema *p, const char *z, const VfSpan *a, int n){
  int i, rc = SQLITE_OK;
  for(i=0; i<n && rc==SQLITE_OK; i++) rc = schema_add(p, z+a[i].iOff, a[i].nLen);
  return rc;
}

/* Keep the earliest S3 key date. */
static void schema_note_date(VfSchema *p, const char *zFile){
  int y, m, d;
  if( !vf_source_key_date(zFile, &y, &m, &d) ) return;
  if( !p->bDate || y*10000+m*100+d < p->iY*10000+p->iM*100+p->iD ){
    p->bDate = 1;
    p->iY = y; p->iM = m; p->iD = d;
  }
}

/*
** State of the interrupt check: a "SELECT 1" stepped on the connection
** fails with SQLITE_INTERRUPT once sqlite3_interrupt() was called (SQLite
** 3.40 has no sqlite3_is_interrupted()).
*/
typedef struct SchemaStop SchemaStop;
struct SchemaStop {
  sqlite3 *db;               /* the connection, or NULL: never stop */
  sqlite3_stmt *pProbe;      /* "SELECT 1", prepared on first use */
};

/* vf_source_expand_ex() stop callback too: 1 if interrupted. */
static int schema_stop(void *pArg){
  SchemaStop *pS = (SchemaStop*)pArg;
  int rc;
  if( pS->db==0 ) return 0;
  if( pS->pProbe==0
   && sqlite3_prepare_v2(pS->db, "SELECT 1", -1, &pS->pProbe, 0) ){
    return 0;
  }
  rc = sqlite3_step(pS->pProbe);
  sqlite3_reset(pS->pProbe);
  return rc==SQLITE_INTERRUPT;
}

int vf_schema_collect(const char *zPath, const char *zFormat, VfSchema *p,
                      char **pzErr, sqlite3 *db){
  SchemaStop stop;
  VfFileList files;
  VfS3Seen s3seen;           /* s3.h: one object per flow log is read */
  VfSpan aFmt[VF_MAX_FIELDS], aTok[VF_MAX_FIELDS];
  const char *zFmt = zFormat ? zFormat : vf_default_format;
  char zErr[512];
  int nFmt, i, rc = SQLITE_OK;

  nFmt = vf_parse_format(zFmt, strlen(zFmt), aFmt, VF_MAX_FIELDS, zErr,
                         sizeof(zErr));
  if( nFmt<0 ){
    *pzErr = sqlite3_mprintf("vpcflow: %s", zErr);
    return SQLITE_ERROR;
  }
  if( strcmp(zPath, "-")==0 ){
    /* Finding the columns would read standard input's first line, and
    ** the rows could not be read again after it. */
    *pzErr = sqlite3_mprintf("vpcflow: standard input ('-') can be read "
        "only once, by the table-valued form: CREATE TEMP TABLE t AS "
        "SELECT * FROM vpcflow('-')");
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  memset(&files, 0, sizeof(files));
  memset(&s3seen, 0, sizeof(s3seen));
  stop.db = db;
  stop.pProbe = 0;
  rc = vf_source_expand_ex(zPath, &files, pzErr, schema_stop, &stop);
  if( rc ){
    char *z = *pzErr;
    sqlite3_finalize(stop.pProbe);
    *pzErr = z ? sqlite3_mprintf("vpcflow: %s", z) : 0;
    sqlite3_free(z);
    if( rc==SQLITE_NOMEM ) return rc;
    return *pzErr ? (rc==SQLITE_INTERRUPT ? rc : SQLITE_ERROR) : SQLITE_NOMEM;
  }
  p->nFile = files.nFile;
  for(i=0; i<files.nFile && rc==SQLITE_OK; i++){
    VfReader *pR = 0;
    int nLine = 0;
    if( files.azWhy && files.azWhy[i] ) continue;  /* the scan reports it */
    if( schema_stop(&stop) ){
      rc = SQLITE_INTERRUPT;
      break;
    }
    schema_note_date(p, files.azFile[i]);
    if( vf_s3_schema_skip(&s3seen, files.azFile[i]) ) continue;  /* s3.h */
    if( vf_reader_open(files.azFile[i], &pR, zErr, sizeof(zErr)) ) continue;
    while( nLine++<VF_SCHEMA_MAXBLANK ){
      const char *z;
      size_t n;
      int nTok;
      int e;
      /* AGAIN: the inflating thread or a pipe has not delivered yet, or
      ** a line over the limit is being skipped: no header is that long,
      ** so the search stops there (an endless line would never end) */
      while( (e = vf_reader_next(pR, &z, &n))==VF_LINE_AGAIN ){
        if( vf_reader_skipping(pR) ) break;
        if( schema_stop(&stop) ){
          rc = SQLITE_INTERRUPT;
          break;
        }
      }
      if( e!=VF_LINE_OK ) break;
      nTok = vf_split(z, n, aTok, VF_MAX_FIELDS);
      if( nTok==0 ) continue;
      if( vf_is_header(z, aTok, nTok) ){
        rc = schema_add_all(p, z, aTok, nTok);
      }else{
        rc = schema_add_all(p, zFmt, aFmt, nFmt);
      }
      break;
    }
    vf_reader_close(pR);
  }
  vf_source_free(&files);
  vf_s3_seen_free(&s3seen);
  sqlite3_finalize(stop.pProbe);
  if( rc==SQLITE_INTERRUPT ){
    *pzErr = sqlite3_mprintf("interrupted");
    return *pzErr ? rc : SQLITE_NOMEM;
  }
  /* No file said anything: the format (or the default) is the schema. */
  if( rc==SQLITE_OK && p->nField==0 ) rc = schema_add_all(p, zFmt, aFmt, nFmt);
  return rc;
}

void vf_schema_free(VfSchema *p){
  int i;
  for(i=0; i<p->nField; i++) sqlite3_free(p->azField[i]);
  sqlite3_free(p->azField);
  memset(p, 0, sizeof(*p));
}
