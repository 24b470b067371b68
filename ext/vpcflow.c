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
** This file only registers things, in this order:
**
**   (1) the virtual table modules: vpcflow (vtab.c) and vpcflow_errors
**       (errlog.c), through vf_register_modules();
**   (2) the SQL functions: each func_*.c file, and progress.c for
**       vpcflow_progress(), keeps its functions in a static table beside
**       their code and registers it with its own vf_func_<file>_register()
**       (func.h, func_register.c); vpcflow_version() is this file's;
**   (3) the tables over the prepared day (norm.c, day.c).
**
** Adding a SQL function edits only the file that implements it: the
** static callback and one row of that file's table. A new func_*.c file
** also adds one call to aRegister[] below and its prototype in func.h.
** The flags follow one rule (func.h): VF_PURE for pure scalars, VF_AGG
** for aggregates and window functions, VF_DIRECT for what reads files
** or writes to the terminal.
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <stddef.h>
#include "func.h"
#include "vtab.h"
#include "norm.h"

static void vfVersionFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc; (void)argv;
  sqlite3_result_text(ctx, VPCFLOW_VERSION, -1, SQLITE_STATIC);
}

static const VfFuncDef aVersionFunc[] = {
  { "vpcflow_version", 0, VF_PURE, vfVersionFunc, 0, 0, 0, 0 },
};

static int vpcflow_version_register(sqlite3 *db, char **pzErr){
  return VF_FUNC_REGISTER(db, aVersionFunc, pzErr);
}

/* Every registration step, in order; the first that fails stops the
** rest and its error is the entry point's. */
static int (*const aRegister[])(sqlite3*, char**) = {
  vf_register_modules,          /* vtab.c: vpcflow, vpcflow_errors */
  vpcflow_version_register,            /* vpcflow_version() */
  vf_func_athena_register,      /* vpcflow_athena_ddl() */
  vf_func_progress_register,    /* vpcflow_progress() */
  vf_func_net_register,         /* ip_in_cidr(), ip_class(), ... */
  vf_func_breadth_register,     /* port_breadth(), addr_breadth(), ... */
  vf_func_beacon_register,      /* beacon_score(), beacon_period() */
  vf_func_chart_register,       /* bar(), sparkline() */
  vf_func_hunt_register,        /* vpcflow_severity(), vpcflow_tunable() */
  vf_norm_register,             /* norm.c: the prepared day's tables */
};

#ifdef _WIN32
__declspec(dllexport)
#endif
__attribute__((visibility("default")))
int sqlite3_vpcflow_init(sqlite3 *db, char **pzErrMsg,
                         const sqlite3_api_routines *pApi){
  int rc = SQLITE_OK;
  size_t i;
  SQLITE_EXTENSION_INIT2(pApi);
  for(i=0; rc==SQLITE_OK && i<sizeof(aRegister)/sizeof(aRegister[0]); i++){
    rc = aRegister[i](db, pzErrMsg);
  }
  return rc;
}
