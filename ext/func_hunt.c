/*
** 2026-12-06
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** func_hunt.c - the two rules every detection of sql/detections shares:
** what a score means (its severity), and which settings it accepts (its
** tunables).
**
** Usage (sql/prepare.sql does this for every detection):
**
**   .load ./vpcflow
**   SELECT vpcflow_severity(72.5);                      -- 'high'
**   SELECT * FROM findings
**    WHERE vpcflow_severity_floor(severity) >= vpcflow_severity_floor('high');
**   SELECT vpcflow_tunable('port_scan.min_ports', '50', 'integer', 2, 65536, NULL);
**                                                       -- 50 (INTEGER)
**
** vpcflow_severity(SCORE)  scalar, TEXT
**
**   'critical' for SCORE >= 85, 'high' >= 65, 'medium' >= 40, else 'low'
**   (sql/README.md, "Severity", says what each asks of a responder).
**   NULL gives NULL; a value that is not a number is an error.
**
** vpcflow_severity_floor(NAME)  scalar, REAL
**
**   The lowest score of severity NAME: 85, 65, 40 or 0, so severities
**   compare as numbers (alert.sql's threshold). NULL gives NULL; any
**   other text, 'crit' for one, is an error that lists the four names.
**
** vpcflow_tunable(NAME, VALUE, KIND, LO, HI, VALID)  scalar
**
**   VALUE checked against KIND and returned in that kind's type, or an
**   error that names the tunable and says what it accepts. KIND NULL
**   means NAME is not a tunable: the error then lists VALID (the names
**   there are, as one text). The kinds:
**     integer   an integer in [LO, HI] (numeric text and integral REALs
**               are accepted and returned as INTEGER)
**     number    any finite number in [LO, HI], returned as REAL
**     ports     a comma list of port numbers 0-65535 (spaces allowed, or
**               empty), returned as e.g. '80,443' without spaces
**     severity  low, medium, high or critical (any case), returned
**               lower-case
**   LO or HI NULL means no bound on that side. A NULL VALUE is an error
**   too: every tunable has a default, so NULL is never meant.
**
** HOW IT WORKS
**
** SQLite 3.40 has neither SQL-defined functions nor a RAISE() whose
** message is computed (3.47 added that), and a detection is a plain
** script read by the sqlite3 shell. So one number-to-name mapping used
** by 17 views, and an error message that says WHICH setting is wrong,
** both need C. The functions are deterministic and innocuous: the same
** arguments always give the same result or the same error, and they
** read nothing but their arguments. The list of tunables and their
** bounds is data (vpcflow_tunable_spec in sql/prepare.sql), not code.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3
#include "func.h"
#include <string.h>
#include <math.h>

/* The severity bands, highest first: a score at or above lo is that
** severity. Kept in one place so the name and floor functions agree. */
static const struct { const char *zName; double lo; } aSeverity[] = {
  { "critical", 85.0 },
  { "high",     65.0 },
  { "medium",   40.0 },
  { "low",       0.0 },
};
#define VF_NSEVERITY (int)(sizeof(aSeverity)/sizeof(aSeverity[0]))

/* Index into aSeverity[] of the name z (n bytes, any case), or -1. */
static int hunt_severity_index(const char *z, int n){
  int i;
  for(i=0; i<VF_NSEVERITY; i++){
    if( (int)strlen(aSeverity[i].zName)==n
     && sqlite3_strnicmp(aSeverity[i].zName, z, n)==0 ) return i;
  }
  return -1;
}

/* ====================================================================
** vpcflow_severity(score), vpcflow_severity_floor(name)
*/
static void vfSeverityFunc(sqlite3_context *ctx,
                           int argc, sqlite3_value **argv){
  double r;
  int i;
  (void)argc;
  if( sqlite3_value_type(argv[0])==SQLITE_NULL ) return;
  if( vf_num_arg(ctx, "vpcflow_severity", argv[0], "a score", &r)!=0 ) return;
  /* a score below 0 is still "low": the detections clamp to 0..100,
  ** and a caller that does not should not get an error for it */
  for(i=0; i<VF_NSEVERITY-1 && r<aSeverity[i].lo; i++){}
  sqlite3_result_text(ctx, aSeverity[i].zName, -1, SQLITE_STATIC);
}

static void vfSeverityFloorFunc(sqlite3_context *ctx,
                                int argc, sqlite3_value **argv){
  const char *z;
  int n, i;
  (void)argc;
  if( sqlite3_value_type(argv[0])==SQLITE_NULL ) return;
  z = sqlite3_value_type(argv[0])==SQLITE_TEXT
        ? vf_value_chars(argv[0], &n) : 0;
  i = z ? hunt_severity_index(z, n) : -1;
  if( i<0 ){
    vf_error_value(ctx, "vpcflow_severity_floor", argv[0],
                   "a severity (low, medium, high, critical)");
    return;
  }
  sqlite3_result_double(ctx, aSeverity[i].lo);
}

/* ====================================================================
** vpcflow_tunable(name, value, kind, lo, hi, valid)
*/

/* Report "tunables: NAME = VALUE is not WHAT" on ctx. */
static void hunt_tunable_error(sqlite3_context *ctx, const char *zName,
                             sqlite3_value *v, const char *zWhat){
  char *zVal = vf_value_words(v);
  char *zMsg = zVal ? sqlite3_mprintf("tunables: %s = %s is not %s", zName, zVal, zWhat) : 0;
  sqlite3_free(zVal);
  if( zMsg==0 ){
    sqlite3_result_error_nomem(ctx);
  }else{
    sqlite3_result_error(ctx, zMsg, -1);
    sqlite3_free(zMsg);
  }
}

/* The words for a number range, e.g. "an integer in 1..65536", "a number
** >= 0", "an integer". Returns an sqlite3_malloc'ed string or 0. */
static char *hunt_range_words(const char *zKind, sqlite3_value *pLo,
                            sqlite3_value *pHi){
  int hasLo = sqlite3_value_type(pLo)!=SQLITE_NULL;
  int hasHi = sqlite3_value_type(pHi)!=SQLITE_NULL;
  double lo = sqlite3_value_double(pLo), hi = sqlite3_value_double(pHi);
  if( hasLo && hasHi ) return sqlite3_mprintf("%s in %.15g..%.15g", zKind, lo, hi);
  if( hasLo ) return sqlite3_mprintf("%s >= %.15g", zKind, lo);
  if( hasHi ) return sqlite3_mprintf("%s <= %.15g", zKind, hi);
  return sqlite3_mprintf("%s", zKind);
}

/* Check a number tunable; bInt asks for an integer. */
static void hunt_tunable_number(sqlite3_context *ctx, const char *zName,
                              sqlite3_value *v, int bInt,
                              sqlite3_value *pLo, sqlite3_value *pHi){
  int t = sqlite3_value_type(v);
  double r = 0.0;
  int ok = 0;
  if( t==SQLITE_TEXT ) t = sqlite3_value_numeric_type(v);
  if( t==SQLITE_INTEGER || t==SQLITE_FLOAT ){
    r = sqlite3_value_double(v);
    ok = isfinite(r) && (!bInt || r==floor(r));
    if( ok && sqlite3_value_type(pLo)!=SQLITE_NULL
        && r<sqlite3_value_double(pLo) ) ok = 0;
    if( ok && sqlite3_value_type(pHi)!=SQLITE_NULL
        && r>sqlite3_value_double(pHi) ) ok = 0;
  }
  if( !ok ){
    char *zWhat = hunt_range_words(bInt ? "an integer" : "a number", pLo, pHi);
    if( zWhat==0 ){ sqlite3_result_error_nomem(ctx); return; }
    hunt_tunable_error(ctx, zName, v, zWhat);
    sqlite3_free(zWhat);
    return;
  }
  /* bounds checked as doubles: an integer tunable's range is far inside
  ** 2^53, so the cast below is exact */
  if( bInt ){
    sqlite3_result_int64(ctx, (sqlite3_int64)r);
  }else{
    sqlite3_result_double(ctx, r);
  }
}

/* Check a comma list of ports and return it without spaces. */
static void hunt_tunable_ports(sqlite3_context *ctx, const char *zName,
                             sqlite3_value *v){
  static const char zWhat[] = "a comma list of ports 0-65535, e.g. '80,443'";
  const char *z;
  char *zOut;
  int n, i, nOut = 0, nDigit = 0, nItem = 0;
  long port = 0;
  if( sqlite3_value_type(v)==SQLITE_INTEGER ){
    /* one port given as a number */
    sqlite3_int64 p = sqlite3_value_int64(v);
    if( p<0 || p>65535 ){ hunt_tunable_error(ctx, zName, v, zWhat); return; }
    sqlite3_result_text(ctx, sqlite3_mprintf("%lld", p), -1, sqlite3_free);
    return;
  }
  if( sqlite3_value_type(v)!=SQLITE_TEXT ){
    hunt_tunable_error(ctx, zName, v, zWhat);
    return;
  }
  z = vf_value_chars(v, &n);
  if( z==0 ){ sqlite3_result_error_nomem(ctx); return; }
  zOut = sqlite3_malloc(n+1);
  if( zOut==0 ){ sqlite3_result_error_nomem(ctx); return; }
  /* one pass: digits make a port, a comma ends one, spaces are skipped;
  ** a comma with no digits before it (",80" or "80,,443") is an error */
  for(i=0; i<=n; i++){
    char c = i<n ? z[i] : ',';
    if( c==' ' ) continue;
    if( c>='0' && c<='9' ){
      port = port*10 + (c-'0');
      if( ++nDigit>5 || port>65535 ) break;
      zOut[nOut++] = c;
    }else if( c==',' ){
      if( nDigit==0 && !(i==n && nItem==0) ) break;
      if( nDigit>0 ){ nItem++; if( i<n ) zOut[nOut++] = ','; }
      nDigit = 0;
      port = 0;
    }else{
      break;
    }
  }
  if( i<=n ){
    sqlite3_free(zOut);
    hunt_tunable_error(ctx, zName, v, zWhat);
    return;
  }
  zOut[nOut] = 0;
  sqlite3_result_text(ctx, zOut, nOut, sqlite3_free);
}

static void vfTunableFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  const char *zName = (const char*)sqlite3_value_text(argv[0]);
  const char *zKind = (const char*)sqlite3_value_text(argv[2]);
  (void)argc;
  if( zName==0 ){
    if( sqlite3_value_type(argv[0])!=SQLITE_NULL ){
      sqlite3_result_error_nomem(ctx);
    }else{
      sqlite3_result_error(ctx, "tunables: a row has no name (NULL)", -1);
    }
    return;
  }
  if( zKind==0 ){
    const char *zValid = (const char*)sqlite3_value_text(argv[5]);
    char *zMsg = sqlite3_mprintf("tunables: no tunable is named '%q'; "
                                 "the valid names are: %s", zName,
                                 zValid ? zValid : "(none)");
    if( zMsg==0 ){ sqlite3_result_error_nomem(ctx); return; }
    sqlite3_result_error(ctx, zMsg, -1);
    sqlite3_free(zMsg);
    return;
  }
  if( strcmp(zKind, "integer")==0 || strcmp(zKind, "number")==0 ){
    hunt_tunable_number(ctx, zName, argv[1], zKind[0]=='i', argv[3], argv[4]);
  }else if( strcmp(zKind, "ports")==0 ){
    hunt_tunable_ports(ctx, zName, argv[1]);
  }else if( strcmp(zKind, "severity")==0 ){
    const char *z = 0;
    int n = 0, i = -1;
    if( sqlite3_value_type(argv[1])==SQLITE_TEXT ){
      z = vf_value_chars(argv[1], &n);
      if( z==0 ){ sqlite3_result_error_nomem(ctx); return; }
      i = hunt_severity_index(z, n);
    }
    if( i<0 ){
      hunt_tunable_error(ctx, zName, argv[1],
                       "a severity: low, medium, high or critical");
      return;
    }
    sqlite3_result_text(ctx, aSeverity[i].zName, -1, SQLITE_STATIC);
  }else{
    char *zMsg = sqlite3_mprintf("vpcflow_tunable(): unknown kind '%q' for "
                                 "%s (integer, number, ports, severity)",
                                 zKind, zName);
    if( zMsg==0 ){ sqlite3_result_error_nomem(ctx); return; }
    sqlite3_result_error(ctx, zMsg, -1);
    sqlite3_free(zMsg);
  }
}

/* ====================================================================
** Registration: this file's functions (see func.h)
*/

/* func_hunt.c: pure scalars shared by the detections */
static const VfFuncDef aHuntFunc[] = {
  { "vpcflow_severity",       1, VF_PURE, vfSeverityFunc,      0, 0, 0, 0 },
  { "vpcflow_severity_floor", 1, VF_PURE, vfSeverityFloorFunc, 0, 0, 0, 0 },
  { "vpcflow_tunable",        6, VF_PURE, vfTunableFunc,       0, 0, 0, 0 },
};

int vf_func_hunt_register(sqlite3 *db, char **pzErr){
  return VF_FUNC_REGISTER(db, aHuntFunc, pzErr);
}
