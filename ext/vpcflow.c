/*
** 2026-11-23
**
** The author disclaims copyright to this source code.
**
*************************************************************************
**
** vpcflow.c - entry point of the vpcflow SQLite extension.
**
** Usage, in the sqlite3 shell:
**
**   .load ./vpcflow
**   SELECT action, count(*) FROM vpcflow('logs/') GROUP BY 1;
**   CREATE VIRTUAL TABLE temp.flows USING vpcflow('logs/2026');
**
** This file only registers things: the virtual table modules (vtab.c,
** errors.c) and every SQL function from the one table aFunc[] below, so
** that a function's name, arity and flags are read in one place.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <stddef.h>
#include "func.h"
#include "vtab.h"
#include "norm.h"

/* Flags of pure functions: same result for the same arguments, no side
** effects, so safe in views, indexes and generated columns. */
#define VF_PURE (SQLITE_UTF8|SQLITE_DETERMINISTIC|SQLITE_INNOCUOUS)

/* Flags of aggregates and window functions: innocuous, but an aggregate
** is not "deterministic" in the scalar sense. */
#define VF_AGG  (SQLITE_UTF8|SQLITE_INNOCUOUS)

/* Flags of functions that read files: direct use only, like readfile(). */
#define VF_FILES (SQLITE_UTF8|SQLITE_DIRECTONLY)

typedef struct VfFuncDef VfFuncDef;
struct VfFuncDef {
  const char *zName;       /* SQL name */
  signed char nArg;        /* number of arguments, -1 for any */
  int mFlags;              /* SQLITE_UTF8|... */
  VfScalarFn xFunc;        /* scalar implementation, or 0 */
  VfScalarFn xStep;        /* aggregate step, or 0 */
  VfFinalFn xFinal;        /* aggregate final */
  VfFinalFn xValue;        /* window: current value (0 = aggregate only) */
  VfScalarFn xInverse;     /* window: remove the oldest row */
};

static void vfVersionFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc; (void)argv;
  sqlite3_result_text(ctx, VPCFLOW_VERSION, -1, SQLITE_STATIC);
}

static const VfFuncDef aFunc[] = {
  { "vpcflow_version", 0, VF_PURE, vfVersionFunc, 0, 0, 0, 0 },
  /* Reads files: never from a view or trigger in a database file. */
  { "vpcflow_athena_ddl", 2, VF_FILES, vfAthenaDdlFunc, 0, 0, 0, 0 },
  /* Writes the hunt's phase line to a terminal: direct use only. */
  { "vpcflow_progress", 1, SQLITE_UTF8|SQLITE_DIRECTONLY, vfProgressFunc, 0, 0, 0, 0 },
  /* FUNC-TABLE-BEGIN */
  /* func_net.c: pure scalars */
  { "ip_in_cidr",    2, VF_PURE, vfIpInCidrFunc,     0, 0, 0, 0 },
  { "is_private",    1, VF_PURE, vfIsPrivateFunc,    0, 0, 0, 0 },
  { "ip_class",      1, VF_PURE, vfIpClassFunc,      0, 0, 0, 0 },
  { "pcr",           2, VF_PURE, vfPcrFunc,          0, 0, 0, 0 },
  { "tcp_flags_str", 1, VF_PURE, vfTcpFlagsStrFunc,  0, 0, 0, 0 },
  { "tcp_has",       2, VF_PURE, vfTcpHasFunc,       0, 0, 0, 0 },
  { "is_syn_only",   1, VF_PURE, vfIsSynOnlyFunc,    0, 0, 0, 0 },
  { "protocol_name", 1, VF_PURE, vfProtocolNameFunc, 0, 0, 0, 0 },
  /* func_breadth.c: aggregates that are also window functions */
  { "port_breadth",  1, VF_AGG, 0, vfPortBreadthStep, vfPortBreadthFinal,
                                   vfPortBreadthValue, vfPortBreadthInverse },
  { "addr_breadth",  1, VF_AGG, 0, vfAddrBreadthStep, vfAddrBreadthFinal,
                                   vfAddrBreadthValue, vfAddrBreadthInverse },
  { "reject_ratio",  1, VF_AGG, 0, vfRejectRatioStep, vfRejectRatioValue,
                                   vfRejectRatioValue, vfRejectRatioInverse },
  /* func_beacon.c: aggregate-only (scoring sorts the whole series) */
  { "beacon_score",  1, VF_AGG, 0, vfBeaconScoreStep, vfBeaconScoreFinal,
                                   0, 0 },
  { "beacon_score",  2, VF_AGG, 0, vfBeaconScoreStep, vfBeaconScoreFinal,
                                   0, 0 },
  { "beacon_period", 1, VF_AGG, 0, vfBeaconPeriodStep, vfBeaconPeriodFinal,
                                   0, 0 },
  /* func_chart.c: a pure scalar and an aggregate-only */
  { "bar",           3, VF_PURE, vfBarFunc,          0, 0, 0, 0 },
  { "bar",           4, VF_PURE, vfBarFunc,          0, 0, 0, 0 },
  { "sparkline",     2, VF_AGG, 0, vfSparklineStep, vfSparklineFinal, 0, 0 },
  /* func_hunt.c: pure scalars shared by the detections */
  { "vpcflow_severity",       1, VF_PURE, vfSeverityFunc,      0, 0, 0, 0 },
  { "vpcflow_severity_floor", 1, VF_PURE, vfSeverityFloorFunc, 0, 0, 0, 0 },
  { "vpcflow_tunable",        6, VF_PURE, vfTunableFunc,       0, 0, 0, 0 },
  /* FUNC-TABLE-END */
};

/*
** Register every function of aFunc[]. Return SQLITE_OK or an error code
** with *pzErr naming the function that failed.
*/
static int vfRegisterFunctions(sqlite3 *db, char **pzErr){
  size_t i;
  for(i=0; i<sizeof(aFunc)/sizeof(aFunc[0]); i++){
    const VfFuncDef *p = &aFunc[i];
    int rc;
    if( p->xValue ){
      rc = sqlite3_create_window_function(db, p->zName, p->nArg, p->mFlags, 0,
               p->xStep, p->xFinal, p->xValue, p->xInverse, 0);
    }else{
      rc = sqlite3_create_function_v2(db, p->zName, p->nArg, p->mFlags, 0,
               p->xFunc, p->xStep, p->xFinal, 0);
    }
    if( rc!=SQLITE_OK ){
      *pzErr = sqlite3_mprintf("vpcflow: cannot register %s(): %s",
                               p->zName, sqlite3_errstr(rc));
      return rc;
    }
  }
  return SQLITE_OK;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
__attribute__((visibility("default")))
int sqlite3_vpcflow_init(sqlite3 *db, char **pzErrMsg,
                         const sqlite3_api_routines *pApi){
  int rc;
  SQLITE_EXTENSION_INIT2(pApi);
  rc = vf_register_modules(db, pzErrMsg);
  if( rc==SQLITE_OK ) rc = vfRegisterFunctions(db, pzErrMsg);
  if( rc==SQLITE_OK ) rc = vf_norm_register(db, pzErrMsg);
  return rc;
}
